"""The words of notebook 13's exercises: each task, and each diagnosis by its id."""

EN = {
    "13.induction_target.task": "which key a perfect induction head attends to from query 6 of the sequence 7 3 9 4 7 3 9 4 (a number)",
    "13.induction_target.occurrence_itself": "that is the earlier occurrence of the 9 itself: an induction head reads the token after it, one position on",
    "13.induction_target.previous_token": "that is the previous token, what a head of layer 0 looks at: the induction head goes to the position after the earlier 9",
    "13.induction_target.next_query": "that is the next position, in the future of query 6: the causal mask forbids it, and the target lies in the past",
    "13.uniform_score.task": "the induction score of even causal weights (16, 16) on the tokens 0..7 said twice (a number)",
    "13.uniform_score.all_queries": "averaged over all 16 queries: queries 0..7 hold new tokens, have no target and do not count, so divide by 8",
    "13.uniform_score.whole_row": "gave every query the weight 1/16: under the causal mask query i spreads its weight over i + 1 keys, 1/(i + 1) each",
    "13.uniform_score.first_half": "took queries 0..7: the queries with a target are 8..15, in the copied half",
    "13.n_parameters.task": "the number of parameters of TinyTransformer(vocab_size=50, context_length=64, d_model=48, n_heads=4, n_layers=3) (a number)",
    "13.n_parameters.no_positions": "left out one (64, 48) table, the position embedding: positions are learned, one row of 48 numbers per position",
    "13.n_parameters.no_out_proj": "left out the output projection of each layer, 48 × 48, which mixes the heads before the addition onto the stream",
    "13.n_parameters.qkv_once": "counted the q, k, v projection as 48 × 48: it makes all three, so it is 48 × 144",
    "13.n_parameters.one_layer": "counted one attention layer: there are n_layers = 3, each with its own projections",
}

VI = {
    "13.induction_target.task": "một đầu chú ý quy nạp hoàn hảo, từ truy vấn 6 của chuỗi 7 3 9 4 7 3 9 4, chú ý tới khóa nào (một con số)",
    "13.induction_target.occurrence_itself": "đó là chính lần xuất hiện trước của số 9: đầu chú ý quy nạp đọc token đứng sau nó, dịch thêm một vị trí",
    "13.induction_target.previous_token": "đó là token liền trước, chỗ mà một đầu chú ý ở tầng 0 nhìn vào: đầu chú ý quy nạp đi tới vị trí đứng sau số 9 lần trước",
    "13.induction_target.next_query": "đó là vị trí kế tiếp, nằm trong tương lai của truy vấn 6: mặt nạ nhân quả cấm vị trí này, còn đích nằm trong quá khứ",
    "13.uniform_score.task": "điểm quy nạp của các trọng số nhân quả đều nhau (16, 16) trên các token 0..7 lặp lại hai lần (một con số)",
    "13.uniform_score.all_queries": "đã lấy trung bình trên cả 16 truy vấn: các truy vấn 0..7 mang token mới, không có đích và không được tính, nên phải chia cho 8",
    "13.uniform_score.whole_row": "đã cho mọi truy vấn trọng số 1/16: dưới mặt nạ nhân quả, truy vấn i trải trọng số trên i + 1 khóa, mỗi khóa 1/(i + 1)",
    "13.uniform_score.first_half": "đã lấy các truy vấn 0..7: những truy vấn có đích là 8..15, ở nửa được chép lại",
    "13.n_parameters.task": "số tham số của TinyTransformer(vocab_size=50, context_length=64, d_model=48, n_heads=4, n_layers=3) (một con số)",
    "13.n_parameters.no_positions": "đã bỏ sót một bảng (64, 48), tức embedding vị trí: vị trí được học, mỗi vị trí một hàng 48 số",
    "13.n_parameters.no_out_proj": "đã bỏ sót phép chiếu đầu ra của mỗi tầng, 48 × 48, phép chiếu trộn các đầu chú ý lại với nhau trước khi cộng vào luồng phần dư",
    "13.n_parameters.qkv_once": "đã tính phép chiếu q, k, v là 48 × 48: nó tạo ra cả ba, nên có kích thước 48 × 144",
    "13.n_parameters.one_layer": "mới tính một tầng chú ý: có n_layers = 3 tầng, mỗi tầng có các phép chiếu riêng",
}
