"""The words of notebook 09's exercises: each task, and each diagnosis by its id."""

EN = {
    "09.reversed_chunks.task": "torch.stack of [row_max, row_sum] after each chunk of the online softmax over section 2's chunks, read last chunk first, shape (3, 2)",
    "09.reversed_chunks.no_rescale": "forgot to rescale the old sum by exp(m_old − m_new) when the maximum moves",
    "09.reversed_chunks.no_max_shift": "forgot to subtract the running maximum: ℓ sums e^(x − m), not e^x",
    "09.causal_tiles.task": "how many tiles causal attention_tiled computes for n = 4096 with its default 256 × 256 blocks (a number)",
    "09.causal_tiles.every_tile": "computed every tile: tiles above the diagonal are skipped",
    "09.causal_tiles.no_diagonal": "skipped the diagonal tiles too: they are partly visible, and computed with a mask",
    "09.causal_tiles.half_grid": "half of the n_b² tiles: the n_b diagonal tiles are computed whole, so n_b (n_b + 1) / 2",
    "09.causal_flash.task": "flash_attention(q, k, v, block=64, causal=True) for section 4's q, k, v, shape (1, 8, 256, 64)",
    "09.causal_flash.mask_reversed": "mask with True/False reversed in the diagonal tiles: True means may attend, so fill the scores where the mask is False with -inf",
    "09.causal_flash.diagonal_unmasked": "the diagonal tiles were not masked: in them, the keys after each query are still the future",
    "09.causal_flash.diagonal_skipped": "skipped the diagonal tiles: they hold each query's own key and the keys just before it",
    "09.reversed_chunks.forward_order": "this is the trace in section 2's order: read the chunks last first, reversed(...)",
    "09.causal_tiles.notebook_block": "counted blocks of 64, as in section 4: attention_tiled's default blocks are 256, so n_b = 16",
    "09.causal_flash.not_causal": "no causal mask: each query may attend only to the keys at or before its own position",
}

VI = {
    "09.reversed_chunks.task": "torch.stack của [row_max, row_sum] sau mỗi đoạn của softmax trực tuyến trên các đoạn của mục 2, đọc từ đoạn cuối trở về, kích thước (3, 2)",
    "09.reversed_chunks.no_rescale": "quên điều chỉnh lại tổng cũ theo exp(m_old − m_new) khi giá trị lớn nhất thay đổi",
    "09.reversed_chunks.no_max_shift": "quên trừ giá trị lớn nhất hiện thời: ℓ cộng e^(x − m), không phải e^x",
    "09.causal_tiles.task": "số mảnh (tile) mà attention_tiled nhân quả tính với n = 4096 và các khối 256 × 256 mặc định (một con số)",
    "09.causal_tiles.every_tile": "đã tính mọi mảnh: các mảnh phía trên đường chéo được bỏ qua",
    "09.causal_tiles.no_diagonal": "đã bỏ qua cả các mảnh trên đường chéo: chúng được nhìn thấy một phần, và được tính với một mặt nạ",
    "09.causal_tiles.half_grid": "một nửa trong n_b² mảnh: n_b mảnh trên đường chéo được tính trọn, nên là n_b (n_b + 1) / 2",
    "09.causal_flash.task": "flash_attention(q, k, v, block=64, causal=True) cho q, k, v của mục 4, kích thước (1, 8, 256, 64)",
    "09.causal_flash.mask_reversed": "mặt nạ bị đảo True/False trong các mảnh trên đường chéo: True nghĩa là được chú ý tới, nên hãy điền -inf vào các điểm ở chỗ mặt nạ là False",
    "09.causal_flash.diagonal_unmasked": "các mảnh trên đường chéo không được che: trong chúng, các khóa đứng sau mỗi truy vấn vẫn là tương lai",
    "09.causal_flash.diagonal_skipped": "đã bỏ qua các mảnh trên đường chéo: chúng chứa khóa của chính mỗi truy vấn và các khóa ngay trước nó",
    "09.reversed_chunks.forward_order": "đây là dấu vết theo thứ tự của mục 2: hãy đọc các đoạn từ đoạn cuối trở về, reversed(...)",
    "09.causal_tiles.notebook_block": "đã đếm theo khối 64 như ở mục 4: các khối mặc định của attention_tiled là 256, nên n_b = 16",
    "09.causal_flash.not_causal": "không có mặt nạ nhân quả: mỗi truy vấn chỉ được chú ý tới các khóa ở vị trí của nó hoặc trước đó",
}
