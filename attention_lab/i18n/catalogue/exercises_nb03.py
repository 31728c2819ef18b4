"""The words of notebook 03's exercises: each task, and each diagnosis by its id."""

EN = {
    "03.context_3.task": 'the context vector z³ of "starts" (weights: softmax of its unscaled scores), shape (3,)',
    "03.context_3.raw_scores": "weighted by the raw scores: apply softmax first",
    "03.context_3.divided_by_sum": "normalized by divide-by-sum instead of softmax",
    "03.context_3.counted_from_one": 'counted from 1: inputs[3] is x⁴ ("with"); x³ ("starts") is inputs[2]',
    "03.context_3.notebook_query": 'this is z² of "journey", the notebook\'s query: the query is "starts", inputs[2]',
    "03.batch_weights.task": "the unscaled attention weights of the two sentences stacked in batch (the sentence and its reverse), shape (2, 6, 6)",
    "03.batch_weights.softmax_wrong_dim_queries": "softmax over the wrong dimension: with a batch in front, dim=1 runs over the queries; normalize over the keys, dim=-1",
    "03.batch_weights.softmax_wrong_dim_batch": "softmax over the wrong dimension: dim=0 runs over the batch; normalize over the keys, dim=-1",
    "03.changed_scores.task": 'how many of the 36 entries of attn_scores change when "journey" becomes [0.1, 0.2, 0.3] (a number)',
    "03.changed_scores.only_own_row": 'only the row of "journey": its column changes too, because "journey" is also the key of every query',
    "03.changed_scores.counted_self_twice": 'counted the score of "journey" with itself twice: its row and its column share that entry',
    "03.changed_scores.every_entry": 'every entry: only the scores that involve "journey" change (the weights of every row change, through the softmax)',
}

VI = {
    "03.context_3.task": 'vector ngữ cảnh z³ của "starts" (trọng số: softmax của các điểm chưa chia tỉ lệ), kích thước (3,)',
    "03.context_3.raw_scores": "đã lấy trọng số bằng các điểm thô: hãy áp dụng softmax trước",
    "03.context_3.divided_by_sum": "đã chuẩn hóa bằng cách chia cho tổng thay vì dùng softmax",
    "03.context_3.counted_from_one": 'đếm từ 1: inputs[3] là x⁴ ("with"); x³ ("starts") là inputs[2]',
    "03.context_3.notebook_query": 'đây là z² của "journey", truy vấn của notebook: truy vấn ở đây là "starts", inputs[2]',
    "03.batch_weights.task": "các trọng số chú ý chưa chia tỉ lệ của hai câu xếp chồng trong batch (câu và câu đảo ngược), kích thước (2, 6, 6)",
    "03.batch_weights.softmax_wrong_dim_queries": "softmax theo sai chiều: khi có batch ở phía trước, dim=1 chạy theo các truy vấn; hãy chuẩn hóa theo các khóa, dim=-1",
    "03.batch_weights.softmax_wrong_dim_batch": "softmax theo sai chiều: dim=0 chạy theo batch; hãy chuẩn hóa theo các khóa, dim=-1",
    "03.changed_scores.task": 'số phần tử trong 36 phần tử của attn_scores thay đổi khi "journey" thành [0.1, 0.2, 0.3] (một con số)',
    "03.changed_scores.only_own_row": 'chỉ hàng của "journey": cột của nó cũng thay đổi, vì "journey" còn là khóa của mọi truy vấn',
    "03.changed_scores.counted_self_twice": 'đã đếm hai lần điểm của "journey" với chính nó: hàng và cột của nó chung phần tử ấy',
    "03.changed_scores.every_entry": 'mọi phần tử: chỉ những điểm có liên quan đến "journey" mới thay đổi (trọng số của mọi hàng thì thay đổi, qua softmax)',
}
