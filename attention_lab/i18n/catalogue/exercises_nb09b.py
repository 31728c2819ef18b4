"""The words of notebook 09b's exercises: each task, and each diagnosis by its id."""

EN = {
    "09b.causal_tiles.task": "how many tiles the causal backward recomputes for n = 100 with block_q = 16 and block_k = 32 (a number)",
    "09b.causal_tiles.every_tile": "counted every tile: under the causal mask, the query blocks that end before a key block starts are skipped",
    "09b.causal_tiles.no_diagonal": "skipped the tiles that hold the diagonal too: they are partly visible, and recomputed with a mask",
    "09b.causal_tiles.half_grid": "half of the 7 × 4 tiles: the blocks are not square, so count each key block's query blocks",
    "09b.row_term.task": "D = rowsum(dO ∘ O) of the causal attention of the journey sentence, shape (6,)",
    "09b.row_term.not_causal": "this is D without the causal mask: take O from attention(x, x, x, causal=True)",
    "09b.row_term.values_not_outputs": "multiplied dO by the values: D multiplies it by the output O = P V",
    "09b.grad_v.task": "dV = Pᵀ dO with the causal weights of the journey sentence, shape (6, 3)",
    "09b.grad_v.missing_transpose": "missing transpose: dV = Pᵀ dO, value j collects the dO_i of the queries that attend to it",
    "09b.grad_v.not_causal": "no causal mask: the weights must be zero above the diagonal",
}

VI = {
    "09b.causal_tiles.task": "số mảnh mà lượt truyền ngược nhân quả tính lại với n = 100, block_q = 16 và block_k = 32 (một con số)",
    "09b.causal_tiles.every_tile": "đã đếm mọi mảnh: dưới mặt nạ nhân quả, các khối truy vấn kết thúc trước khi một khối khóa bắt đầu được bỏ qua",
    "09b.causal_tiles.no_diagonal": "đã bỏ qua cả các mảnh chứa đường chéo: chúng được nhìn thấy một phần, và được tính lại với một mặt nạ",
    "09b.causal_tiles.half_grid": "một nửa trong 7 × 4 mảnh: các khối không vuông, nên hãy đếm các khối truy vấn của từng khối khóa",
    "09b.row_term.task": 'D = rowsum(dO ∘ O) của cơ chế chú ý nhân quả trên câu "journey", kích thước (6,)',
    "09b.row_term.not_causal": "đây là D khi không có mặt nạ nhân quả: hãy lấy O từ attention(x, x, x, causal=True)",
    "09b.row_term.values_not_outputs": "đã nhân dO với các vector giá trị: D nhân nó với đầu ra O = P V",
    "09b.grad_v.task": 'dV = Pᵀ dO với các trọng số nhân quả của câu "journey", kích thước (6, 3)',
    "09b.grad_v.missing_transpose": "thiếu phép chuyển vị: dV = Pᵀ dO, vector giá trị j gom các dO_i của những truy vấn chú ý tới nó",
    "09b.grad_v.not_causal": "không có mặt nạ nhân quả: các trọng số phải bằng 0 ở phía trên đường chéo",
}
