"""The words of notebook 06's exercises: each task, and each diagnosis by its id."""

EN = {
    "06.padded_weights.task": "the causal attention weights of section 1's q and k with the last two positions masked as padding, shape (6, 6)",
    "06.padded_weights.mask_reversed": "mask with True/False reversed: True means may attend, so fill the scores where the mask is False (~mask) with -inf",
    "06.padded_weights.not_renormalized": "forgot to renormalize after masking: zeroing weights after softmax leaves rows that no longer sum to 1; mask the scores with -inf before softmax",
    "06.padded_weights.causal_only": "only the causal mask: the padding keys, positions 4 and 5, must be hidden from every query too",
    "06.padded_weights.masks_combined_with_or": "combined the masks with | (or): a key must pass both masks, so combine them with &",
    "06.padded_weights.masked_queries": "masked the padding rows (queries) instead of the padding columns (keys): padding is about what may be attended to, the last dimension",
    "06.dropout_weights.task": "weights_cpu after dropout with p = 0.2, the keep mask drawn with torch.rand from a CPU generator seeded 123, shape (6, 6)",
    "06.dropout_weights.randn_not_rand": "torch.randn (normal) instead of torch.rand (uniform): the keep mask compares uniform numbers in [0, 1) with p",
    "06.dropout_weights.kept_with_p": "kept a weight with probability p: keep it where torch.rand(...) >= p, so that it survives with probability 1 − p",
    "06.dropout_weights.scaled_by_1_minus_p": "scaled by (1 − p) instead of 1/(1 − p)",
    "06.dropout_weights.not_rescaled": "forgot to divide the kept weights by 1 − p",
    "06.rows_changed.task": 'a tensor of shape (6,), True for each row of the causal output that changes when "Your" becomes [9, -9, 9]',
    "06.rows_changed.only_own_row": 'only the row of "Your": every later token attends to "Your" too, so its key and value reach every row',
    "06.rows_changed.only_last_row": 'only the last row: that was section 4\'s experiment, where "step" changed',
    "06.rows_changed.nothing_changed": "no row changed: compare the outputs of x and x_first",
}

VI = {
    "06.padded_weights.task": "các trọng số chú ý nhân quả của q và k ở mục 1, với hai vị trí cuối bị che làm phần đệm (padding), kích thước (6, 6)",
    "06.padded_weights.mask_reversed": "mặt nạ bị đảo True/False: True nghĩa là được chú ý tới, nên hãy điền -inf vào các điểm ở chỗ mặt nạ là False (~mask)",
    "06.padded_weights.not_renormalized": "quên chuẩn hóa lại sau khi che: đặt trọng số bằng 0 sau softmax khiến các hàng không còn có tổng bằng 1; hãy che các điểm bằng -inf trước softmax",
    "06.padded_weights.causal_only": "chỉ có mặt nạ nhân quả: các khóa đệm, vị trí 4 và 5, cũng phải bị che khỏi mọi truy vấn",
    "06.padded_weights.masks_combined_with_or": "đã kết hợp các mặt nạ bằng | (hoặc): một khóa phải qua được cả hai mặt nạ, nên hãy kết hợp chúng bằng &",
    "06.padded_weights.masked_queries": "đã che các hàng đệm (truy vấn) thay vì các cột đệm (khóa): phần đệm liên quan đến những gì được chú ý tới, tức chiều cuối cùng",
    "06.dropout_weights.task": "weights_cpu sau dropout với p = 0.2, mặt nạ giữ lại được sinh bằng torch.rand từ một bộ sinh (generator) trên CPU với seed 123, kích thước (6, 6)",
    "06.dropout_weights.randn_not_rand": "đã dùng torch.randn (phân phối chuẩn) thay cho torch.rand (phân phối đều): mặt nạ giữ lại so sánh các số phân phối đều trong [0, 1) với p",
    "06.dropout_weights.kept_with_p": "đã giữ một trọng số với xác suất p: hãy giữ nó ở chỗ torch.rand(...) >= p, để nó được giữ lại với xác suất 1 − p",
    "06.dropout_weights.scaled_by_1_minus_p": "đã nhân với (1 − p) thay vì 1/(1 − p)",
    "06.dropout_weights.not_rescaled": "quên chia các trọng số được giữ lại cho 1 − p",
    "06.rows_changed.task": 'một tensor kích thước (6,), True ở mỗi hàng của đầu ra nhân quả bị thay đổi khi "Your" thành [9, -9, 9]',
    "06.rows_changed.only_own_row": 'chỉ hàng của "Your": mọi token phía sau cũng chú ý tới "Your", nên khóa và vector giá trị của nó đến được mọi hàng',
    "06.rows_changed.only_last_row": 'chỉ hàng cuối: đó là thí nghiệm của mục 4, nơi "step" thay đổi',
    "06.rows_changed.nothing_changed": "không hàng nào thay đổi: hãy so sánh đầu ra của x và x_first",
}
