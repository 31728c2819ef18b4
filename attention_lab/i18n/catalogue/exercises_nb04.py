"""The words of notebook 04's exercises: each task, and each diagnosis by its id."""

EN = {
    "04.W_key.task": "W_key as section 1 draws it with d_out = 4: torch.manual_seed(123), then W_query, W_key, W_value with torch.randn, shape (3, 4)",
    "04.W_key.rand_not_randn": "torch.rand (uniform) instead of torch.randn (normal)",
    "04.W_key.wrong_seed_order": "wrong seed order: this is the first draw after torch.manual_seed(123), which belongs to W_query; seed once, then draw W_query, W_key, W_value in that order",
    "04.W_key.transposed_shape": "drew shape (d_out, d_in) = (4, 3): W_key is (d_in, d_out)",
    "04.context_2.task": 'the context vector of "journey" from W_query_4, W_key_4, W_value_4 (d_out = 4), scores scaled by 1/√d_k, shape (4,)',
    "04.context_2.divided_by_d_k": "divided by d_k instead of √d_k",
    "04.context_2.scale_of_d_out_2": "scaled by 1/√2, the scale of d_out = 2: d_k is now 4",
    "04.context_2.unscaled": "forgot to scale by 1/√d_k",
    "04.linear_queries.task": "the queries that W_q_layer = nn.Linear(3, 3, bias=False) computes from x, written as a matrix product with its .weight, shape (6, 3)",
    "04.linear_queries.missing_transpose": "missing transpose: nn.Linear stores W as (d_out, d_in) and computes x @ W.T",
}

VI = {
    "04.W_key.task": "W_key như mục 1 sinh ra với d_out = 4: torch.manual_seed(123), rồi W_query, W_key, W_value bằng torch.randn, kích thước (3, 4)",
    "04.W_key.rand_not_randn": "đã dùng torch.rand (phân phối đều) thay cho torch.randn (phân phối chuẩn)",
    "04.W_key.wrong_seed_order": "sai thứ tự sinh số: đây là lần sinh đầu tiên sau torch.manual_seed(123), vốn thuộc về W_query; đặt seed một lần, rồi sinh W_query, W_key, W_value theo đúng thứ tự ấy",
    "04.W_key.transposed_shape": "đã sinh kích thước (d_out, d_in) = (4, 3): W_key có kích thước (d_in, d_out)",
    "04.context_2.task": 'vector ngữ cảnh của "journey" từ W_query_4, W_key_4, W_value_4 (d_out = 4), các điểm được chia tỉ lệ 1/√d_k, kích thước (4,)',
    "04.context_2.divided_by_d_k": "đã chia cho d_k thay vì √d_k",
    "04.context_2.scale_of_d_out_2": "đã chia tỉ lệ 1/√2, tỉ lệ của d_out = 2: giờ d_k là 4",
    "04.context_2.unscaled": "quên chia tỉ lệ 1/√d_k",
    "04.linear_queries.task": "các truy vấn mà W_q_layer = nn.Linear(3, 3, bias=False) tính từ x, viết thành một phép nhân ma trận với .weight của nó, kích thước (6, 3)",
    "04.linear_queries.missing_transpose": "thiếu phép chuyển vị: nn.Linear lưu W với kích thước (d_out, d_in) và tính x @ W.T",
}
