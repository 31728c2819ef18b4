"""The words of notebook 07's exercises: each task, and each diagnosis by its id."""

EN = {
    "07.split_heads.task": "section 2's q_fused, (B, T, d_out) = (2, 6, 4), split into heads, shape (B, n_heads, T, d_head) = (2, 2, 6, 2)",
    "07.split_heads.missing_transpose": "missing transpose: view(B, T, n_heads, d_head) leaves the tokens before the heads; transpose(1, 2) puts the heads first",
    "07.split_heads.missing_transpose_heads_first": "missing transpose: view(B, n_heads, T, d_head) has the right shape but cuts the numbers in the wrong places, mixing tokens into heads; view(B, T, n_heads, d_head), then transpose(1, 2)",
    "07.averaged_weights.task": "section 2's attn_weights averaged over the heads, as torch.nn.MultiheadAttention returns them by default, shape (B, T, T) = (2, 6, 6)",
    "07.averaged_weights.mean_over_batch": "averaged over the wrong dimension: dim=0 runs over the batch; the heads are dim=1",
    "07.averaged_weights.summed_heads": "summed over the heads: average them, so that every row still sums to 1",
    "07.n_params.task": "the number of parameters of MultiHeadAttention(768, 768, n_heads=12) (a number)",
    "07.n_params.no_out_bias": "forgot W_o's bias: W_o is nn.Linear(d_out, d_out) with a bias",
    "07.n_params.no_out_projection": "forgot W_o, the output projection",
    "07.n_params.full_size_per_head": "counted a full-size W_q, W_k, W_v per head: the heads share them, each head using d_head = 64 of their rows",
    "07.averaged_weights.first_head_only": "took the first head only: average over all the heads, dim=1",
    "07.n_params.qkv_bias_counted": "counted biases for W_q, W_k and W_v: MultiHeadAttention has qkv_bias=False by default, only W_o has a bias",
    "07.predict_more_heads.task": "your prediction, before running the cell below: how many more parameters MultiHeadAttention(768, 768, n_heads=24) has than with n_heads=12 (a number)",
    "07.predict_more_heads.doubled": "twice the heads is not twice the weights: the heads share W_q, W_k, W_v and W_o, and only cut their d_out = 768 columns into more, narrower pieces",
    "07.predict_more_heads.per_head_matrices": "the heads do not get matrices of their own: they share W_q, W_k, W_v and W_o, so the count does not change",
}

VI = {
    "07.split_heads.task": "q_fused của mục 2, (B, T, d_out) = (2, 6, 4), tách thành các đầu chú ý, kích thước (B, n_heads, T, d_head) = (2, 2, 6, 2)",
    "07.split_heads.missing_transpose": "thiếu phép chuyển vị: view(B, T, n_heads, d_head) để các token đứng trước các đầu chú ý; transpose(1, 2) đưa các đầu chú ý lên trước",
    "07.split_heads.missing_transpose_heads_first": "thiếu phép chuyển vị: view(B, n_heads, T, d_head) cho đúng kích thước nhưng cắt các số sai chỗ, trộn token vào các đầu chú ý; hãy dùng view(B, T, n_heads, d_head), rồi transpose(1, 2)",
    "07.averaged_weights.task": "attn_weights của mục 2 lấy trung bình theo các đầu chú ý, như torch.nn.MultiheadAttention trả về theo mặc định, kích thước (B, T, T) = (2, 6, 6)",
    "07.averaged_weights.mean_over_batch": "lấy trung bình theo sai chiều: dim=0 chạy theo batch; các đầu chú ý nằm ở dim=1",
    "07.averaged_weights.summed_heads": "đã cộng theo các đầu chú ý: hãy lấy trung bình, để mọi hàng vẫn có tổng bằng 1",
    "07.n_params.task": "số tham số của MultiHeadAttention(768, 768, n_heads=12) (một con số)",
    "07.n_params.no_out_bias": "quên độ lệch (bias) của W_o: W_o là nn.Linear(d_out, d_out) có bias",
    "07.n_params.no_out_projection": "quên W_o, phép chiếu đầu ra",
    "07.n_params.full_size_per_head": "đã tính W_q, W_k, W_v đủ kích thước cho mỗi đầu chú ý: các đầu dùng chung chúng, mỗi đầu dùng d_head = 64 hàng của chúng",
    "07.averaged_weights.first_head_only": "chỉ lấy đầu chú ý thứ nhất: hãy lấy trung bình theo mọi đầu chú ý, dim=1",
    "07.n_params.qkv_bias_counted": "đã tính cả bias của W_q, W_k và W_v: MultiHeadAttention mặc định có qkv_bias=False, chỉ W_o có bias",
    "07.predict_more_heads.task": "dự đoán của bạn, trước khi chạy ô bên dưới: MultiHeadAttention(768, 768, n_heads=24) có nhiều hơn bao nhiêu tham số so với khi n_heads=12 (một con số)",
    "07.predict_more_heads.doubled": "gấp đôi số đầu chú ý không có nghĩa là gấp đôi trọng số: các đầu dùng chung W_q, W_k, W_v và W_o, chỉ chia d_out = 768 cột của chúng thành nhiều phần hẹp hơn",
    "07.predict_more_heads.per_head_matrices": "các đầu chú ý không có ma trận riêng: chúng dùng chung W_q, W_k, W_v và W_o, nên số tham số không đổi",
}
