"""The words of notebook 05's exercises: each task, and each diagnosis by its id."""

EN = {
    "05.scale_times_3.task": "the scale that brings the variance of q·k back to 1 when q and k (entries of variance 1) are both multiplied by 3, for d_k = 16 (a number)",
    "05.scale_times_3.factor_3_once": "multiplied by 3 only once: q and k each bring a factor 3, so q·k grows by 9",
    "05.scale_times_3.divided_by_d_k": "divided by d_k instead of √d_k: the variance is 81 · d_k, so the typical size is 9 · √d_k",
    "05.scale_times_3.divided_by_variance": "divided by the variance 81 · d_k: divide by its square root, 9 · √d_k",
    "05.scale_times_3.kept_unscaled_by_9": "kept 1/√d_k: it undoes d_k but not the factor 9",
    "05.even_spread.task": "torch.tensor([largest weight, entropy]) of an even spread of weights over T = 64 keys, entropy in nats, shape (2,)",
    "05.even_spread.entropy_in_bits": "entropy in bits (log base 2): the notebook measures nats, with the natural log",
    "05.even_spread.entropy_sign": "forgot the minus sign: the entropy is −Σ α log α, never negative",
    "05.even_spread.notebook_length": "T = 8, as in the notebook's experiment: here T = 64",
    "05.batch_weights.task": "the attention weights softmax(q kᵀ / √d_head) of section 7's q and k, without attention(), shape (2, 4, 5, 5)",
    "05.batch_weights.divided_by_d_k": "divided by d_k instead of √d_k",
    "05.batch_weights.unscaled": "forgot to scale by 1/√d_k",
    "05.batch_weights.softmax_wrong_dim_heads": "softmax over the wrong dimension: dim=1 runs over the heads; normalize over the keys, dim=-1",
    "05.batch_weights.softmax_wrong_dim_queries": "softmax over the wrong dimension: dim=-2 runs over the queries; normalize over the keys, dim=-1",
}

VI = {
    "05.scale_times_3.task": "tỉ lệ đưa phương sai của q·k về lại 1 khi q và k (các phần tử có phương sai 1) cùng được nhân với 3, với d_k = 16 (một con số)",
    "05.scale_times_3.factor_3_once": "chỉ nhân với 3 một lần: q và k mỗi vector mang một thừa số 3, nên q·k tăng 9 lần",
    "05.scale_times_3.divided_by_d_k": "đã chia cho d_k thay vì √d_k: phương sai là 81 · d_k, nên độ lớn điển hình là 9 · √d_k",
    "05.scale_times_3.divided_by_variance": "đã chia cho phương sai 81 · d_k: hãy chia cho căn bậc hai của nó, 9 · √d_k",
    "05.scale_times_3.kept_unscaled_by_9": "vẫn giữ 1/√d_k: nó khử được d_k nhưng không khử được thừa số 9",
    "05.even_spread.task": "torch.tensor([trọng số lớn nhất, entropy]) của các trọng số trải đều trên T = 64 khóa, entropy tính bằng nat, kích thước (2,)",
    "05.even_spread.entropy_in_bits": "entropy tính bằng bit (log cơ số 2): notebook đo bằng nat, với log tự nhiên",
    "05.even_spread.entropy_sign": "quên dấu trừ: entropy là −Σ α log α, không bao giờ âm",
    "05.even_spread.notebook_length": "T = 8, như trong thí nghiệm của notebook: ở đây T = 64",
    "05.batch_weights.task": "các trọng số chú ý softmax(q kᵀ / √d_head) của q và k ở mục 7, không dùng attention(), kích thước (2, 4, 5, 5)",
    "05.batch_weights.divided_by_d_k": "đã chia cho d_k thay vì √d_k",
    "05.batch_weights.unscaled": "quên chia tỉ lệ 1/√d_k",
    "05.batch_weights.softmax_wrong_dim_heads": "softmax theo sai chiều: dim=1 chạy theo các đầu chú ý; hãy chuẩn hóa theo các khóa, dim=-1",
    "05.batch_weights.softmax_wrong_dim_queries": "softmax theo sai chiều: dim=-2 chạy theo các truy vấn; hãy chuẩn hóa theo các khóa, dim=-1",
}
