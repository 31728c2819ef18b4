"""The words of notebook 01's exercises: each task, and each diagnosis by its id."""

EN = {
    "01.scores_with.task": 'the scores of the query "with", x⁴, against all six tokens, shape (6,)',
    "01.scores_with.counted_from_one": 'counted from 1: inputs[4] is x⁵ ("one"); x⁴ ("with") is inputs[3]',
    "01.scores_with.notebook_query": 'these are the scores of "journey", the notebook\'s query: the query is "with", inputs[3]',
    "01.scores_no_matmul.task": 'the six scores of the query "journey" from an elementwise product and .sum(dim=...), without torch.dot or @, shape (6,)',
    "01.scores_no_matmul.summed_over_tokens": "summed over dim=0, the tokens: sum over the features, dim=1 (or dim=-1)",
    "01.scores_no_matmul.forgot_to_sum": "forgot to sum: these are the products; add them up over the features, dim=1",
    "01.scores_no_matmul.summed_everything": "summed everything into one number: sum over the features only, dim=1",
    "01.doubled_starts.task": 'torch.stack([score, cosine]) of the query "journey" against starts_doubled = 2 * inputs[2], shape (2,)',
    "01.doubled_starts.doubled_cosine": "doubled the cosine too: dividing by both lengths cancels the factor 2",
    "01.doubled_starts.original_starts": 'the score and cosine of the original "starts": use starts_doubled',
    "01.doubled_starts.raw_dot_as_cosine": "the raw dot product as the cosine: divide it by both lengths",
}

VI = {
    "01.scores_with.task": 'các điểm chú ý của truy vấn "with", x⁴, với cả sáu token, kích thước (6,)',
    "01.scores_with.counted_from_one": 'đếm từ 1: inputs[4] là x⁵ ("one"); x⁴ ("with") là inputs[3]',
    "01.scores_with.notebook_query": 'đây là các điểm của "journey", truy vấn của notebook: truy vấn ở đây là "with", inputs[3]',
    "01.scores_no_matmul.task": 'sáu điểm chú ý của truy vấn "journey" từ một phép nhân từng phần tử và .sum(dim=...), không dùng torch.dot hay @, kích thước (6,)',
    "01.scores_no_matmul.summed_over_tokens": "đã cộng theo dim=0, tức theo các token: hãy cộng theo các đặc trưng, dim=1 (hoặc dim=-1)",
    "01.scores_no_matmul.forgot_to_sum": "quên cộng: đây mới là các tích; hãy cộng chúng theo các đặc trưng, dim=1",
    "01.scores_no_matmul.summed_everything": "đã cộng tất cả thành một số: chỉ cộng theo các đặc trưng, dim=1",
    "01.doubled_starts.task": 'torch.stack([score, cosine]) của truy vấn "journey" với starts_doubled = 2 * inputs[2], kích thước (2,)',
    "01.doubled_starts.doubled_cosine": "đã nhân đôi cả cosin: chia cho cả hai độ dài đã triệt tiêu thừa số 2",
    "01.doubled_starts.original_starts": 'điểm và cosin của "starts" ban đầu: hãy dùng starts_doubled',
    "01.doubled_starts.raw_dot_as_cosine": "lấy tích vô hướng thô làm cosin: hãy chia nó cho cả hai độ dài",
}
