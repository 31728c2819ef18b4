"""The words of notebook 11's exercises: each task, and each diagnosis by its id."""

EN = {
    "11.left_padding_mask.task": "the key mask of three sentences of lengths 3, 5 and 2 padded on the left to T = 5, True at the real tokens, shape (3, 5)",
    "11.left_padding_mask.torch_convention": "True at the padding: that is torch.nn.MultiheadAttention's key_padding_mask (True = ignore); the package's mask is True where a key may be attended to, a real token",
    "11.left_padding_mask.right_padding": "the padding is on the right: left padding puts it first, so a sentence of length n holds the last n positions, positions >= T - n",
    "11.left_padding_mask.torch_convention_right_padding": "True at the padding, and the padding on the right: the mask is True at the real tokens, and left padding puts those last",
    "11.cross_weights.task": "the attention weights of the 4 target queries against the 6 journey keys, softmax(target @ x.T / √3), shape (4, 6)",
    "11.cross_weights.roles_swapped": "the journey's tokens asked the questions: the queries come from target, the keys from x, so the weights are (4, 6), one row per target token",
    "11.cross_weights.self_attention_keys": "the keys came from target too: that is self-attention; in cross-attention the keys (and values) come from the other sentence, x",
    "11.cross_weights.unscaled": "forgot to scale the scores by 1/√d_k = 1/√3",
    "11.predict_weights_shape.task": "the shape of the weights MultiHeadAttention(3, 4, n_heads=2) returns for x (2, 4, 3) and context (2, 6, 3), as a tuple of 4 numbers",
    "11.predict_weights_shape.heads_averaged": "no heads axis: the package returns one map per head, (batch, n_heads, T_q, T_k); torch's module averages the heads unless average_attn_weights=False",
    "11.predict_weights_shape.queries_and_keys_swapped": "T_q and T_k swapped: one row per query (4, from x), one column per key (6, from context)",
    "11.predict_weights_shape.square_like_self_attention": "square, as in self-attention: the keys come from context, 6 of them, so each map is 4 × 6",
    "11.predict_weights_shape.no_heads_axis_order": "the heads axis comes before the queries: (batch, n_heads, T_q, T_k)",
}

VI = {
    "11.left_padding_mask.task": "mặt nạ khóa của ba câu dài 3, 5 và 2 được đệm bên trái tới T = 5, True ở các token thật, kích thước (3, 5)",
    "11.left_padding_mask.torch_convention": "True ở phần đệm: đó là key_padding_mask của torch.nn.MultiheadAttention (True = bỏ qua); mặt nạ của gói là True ở chỗ một khóa được chú ý tới, tức một token thật",
    "11.left_padding_mask.right_padding": "phần đệm nằm bên phải: đệm bên trái đặt phần đệm lên trước, nên một câu dài n chiếm n vị trí cuối, các vị trí >= T - n",
    "11.left_padding_mask.torch_convention_right_padding": "True ở phần đệm, và phần đệm nằm bên phải: mặt nạ là True ở các token thật, và đệm bên trái đặt các token thật ở cuối",
    "11.cross_weights.task": "các trọng số chú ý của 4 truy vấn của target với 6 khóa của câu journey, softmax(target @ x.T / √3), kích thước (4, 6)",
    "11.cross_weights.roles_swapped": "các token của câu journey lại đi đặt câu hỏi: truy vấn lấy từ target, khóa lấy từ x, nên ma trận trọng số là (4, 6), mỗi token của target một hàng",
    "11.cross_weights.self_attention_keys": "các khóa cũng lấy từ target: đó là cơ chế tự chú ý; trong chú ý chéo, khóa (và vector giá trị) lấy từ câu kia, x",
    "11.cross_weights.unscaled": "quên chia tỉ lệ các điểm cho 1/√d_k = 1/√3",
    "11.predict_weights_shape.task": "kích thước của ma trận trọng số mà MultiHeadAttention(3, 4, n_heads=2) trả về cho x (2, 4, 3) và context (2, 6, 3), dưới dạng một tuple 4 số",
    "11.predict_weights_shape.heads_averaged": "thiếu trục đầu chú ý: gói trả về mỗi đầu chú ý một bản đồ, (batch, n_heads, T_q, T_k); mô-đun của torch lấy trung bình các đầu chú ý, trừ khi average_attn_weights=False",
    "11.predict_weights_shape.queries_and_keys_swapped": "T_q và T_k bị đổi chỗ: mỗi truy vấn một hàng (4, từ x), mỗi khóa một cột (6, từ context)",
    "11.predict_weights_shape.square_like_self_attention": "ma trận vuông như trong cơ chế tự chú ý: khóa lấy từ context, có 6 khóa, nên mỗi bản đồ là 4 × 6",
    "11.predict_weights_shape.no_heads_axis_order": "trục đầu chú ý đứng trước trục truy vấn: (batch, n_heads, T_q, T_k)",
}
