"""The words of notebook 02's exercises: each task, and each diagnosis by its id."""

EN = {
    "02.softmax.task": "the softmax of attn_scores_neg = [2, -1, 0.5], written with torch.exp (not torch.softmax), shape (3,)",
    "02.softmax.divided_by_sum": "divided the scores by their sum: softmax divides exponentials by their sum",
    "02.softmax.forgot_to_normalize": "forgot to divide by the sum of the exponentials",
    "02.softmax.exp_of_sum": "divided by the exponential of the sum: divide by the sum of the exponentials",
    "02.stable.task": "the softmax of torch.tensor([1000., 1001., 1002.]) in float32 without nan: subtract the maximum first (not torch.softmax or softmax_stable), shape (3,)",
    "02.stable.overflow": "naive softmax overflowed (exp(1000) = inf): subtract the max first",
    "02.stable.forgot_to_normalize": "subtracted the max but forgot to divide by the sum",
    "02.overflow_factor.task": "the smallest factor c for which softmax_naive(c * attn_scores_2) returns nan in float32 (a number)",
    "02.overflow_factor.float64_threshold": "used float64's threshold (709.8): attn_scores_2 is float32, whose exp overflows past 88.7",
    "02.overflow_factor.float16_threshold": "used float16's threshold (11.1): attn_scores_2 is float32, whose exp overflows past 88.7",
    "02.overflow_factor.smallest_score": "reasoned from the smallest score: the largest score overflows first",
}

VI = {
    "02.softmax.task": "softmax của attn_scores_neg = [2, -1, 0.5], viết bằng torch.exp (không dùng torch.softmax), kích thước (3,)",
    "02.softmax.divided_by_sum": "đã chia các điểm cho tổng của chúng: softmax chia các hàm mũ cho tổng của chúng",
    "02.softmax.forgot_to_normalize": "quên chia cho tổng các hàm mũ",
    "02.softmax.exp_of_sum": "đã chia cho hàm mũ của tổng: hãy chia cho tổng của các hàm mũ",
    "02.stable.task": "softmax của torch.tensor([1000., 1001., 1002.]) ở float32 mà không ra nan: trừ giá trị lớn nhất trước (không dùng torch.softmax hay softmax_stable), kích thước (3,)",
    "02.stable.overflow": "softmax đơn giản đã bị tràn số (exp(1000) = inf): hãy trừ giá trị lớn nhất trước",
    "02.stable.forgot_to_normalize": "đã trừ giá trị lớn nhất nhưng quên chia cho tổng",
    "02.overflow_factor.task": "thừa số c nhỏ nhất mà với nó softmax_naive(c * attn_scores_2) trả về nan ở float32 (một con số)",
    "02.overflow_factor.float64_threshold": "đã dùng ngưỡng của float64 (709.8): attn_scores_2 là float32, kiểu mà exp bị tràn số khi vượt 88.7",
    "02.overflow_factor.float16_threshold": "đã dùng ngưỡng của float16 (11.1): attn_scores_2 là float32, kiểu mà exp bị tràn số khi vượt 88.7",
    "02.overflow_factor.smallest_score": "đã lập luận từ điểm nhỏ nhất: điểm lớn nhất mới là điểm tràn số trước",
}
