"""The words of notebook 12's exercises: each task, and each diagnosis by its id."""

EN = {
    "12.predict_cache_bytes.task": "the bytes of the KV cache of 1024 tokens for 12 layers, 4 KV heads of d_head = 64, in float16 (a number)",
    "12.predict_cache_bytes.forgot_keys_or_values": "counted the keys only (or the values only): the cache holds both, a factor of 2",
    "12.predict_cache_bytes.every_query_head": "counted all 12 query heads: only the 4 KV heads keep keys and values",
    "12.predict_cache_bytes.float32": "counted 4 bytes per number: float16 takes 2",
    "12.cached_flops.task": "the FLOPs of generating T = 4 tokens with a cache, for d = 8, counted as in section 1 (a number)",
    "12.cached_flops.without_cache": "this is the count without a cache: with one, step t projects only its own token, and only its query meets the t keys",
    "12.cached_flops.multiply_adds": "counted multiply-adds: a matrix product (m, k) @ (k, n) is 2 · m · k · n FLOPs, one multiply and one add each",
    "12.kv_head_of.task": "the KV head each query head reads when n_heads = 8 and n_kv_heads = 2, query head 0 first, shape (8,)",
    "12.kv_head_of.tiled": "this is k.repeat(1, 4, 1, 1), which cycles the KV heads (0, 1, 0, 1, ...); repeat_interleave, as SDPA's enable_gqa, gives neighbouring query heads the same KV head",
    "12.kv_head_of.one_per_head": "this is multi-head attention, one KV head per query head: with 2 KV heads, each serves 8 / 2 = 4 query heads",
}

VI = {
    "12.predict_cache_bytes.task": "số byte của bộ nhớ đệm KV cho 1024 token, với 12 tầng, 4 đầu KV có d_head = 64, ở float16 (một con số)",
    "12.predict_cache_bytes.forgot_keys_or_values": "mới đếm khóa (hoặc mới đếm vector giá trị): bộ nhớ đệm giữ cả hai, nhân thêm 2",
    "12.predict_cache_bytes.every_query_head": "đã đếm cả 12 đầu truy vấn: chỉ 4 đầu KV giữ khóa và vector giá trị",
    "12.predict_cache_bytes.float32": "đã tính 4 byte cho mỗi số: float16 chỉ chiếm 2 byte",
    "12.cached_flops.task": "số FLOP để sinh T = 4 token có bộ nhớ đệm, với d = 8, đếm như ở mục 1 (một con số)",
    "12.cached_flops.without_cache": "đây là số FLOP khi không có bộ nhớ đệm: có nó, bước t chỉ chiếu token của chính bước đó, và chỉ truy vấn của nó gặp t khóa",
    "12.cached_flops.multiply_adds": "đã đếm số phép nhân-cộng: một phép nhân ma trận (m, k) @ (k, n) tốn 2 · m · k · n FLOP, mỗi lần một phép nhân và một phép cộng",
    "12.kv_head_of.task": "đầu KV mà mỗi đầu truy vấn đọc khi n_heads = 8 và n_kv_heads = 2, bắt đầu từ đầu truy vấn 0, kích thước (8,)",
    "12.kv_head_of.tiled": "đây là k.repeat(1, 4, 1, 1), lặp vòng các đầu KV (0, 1, 0, 1, ...); repeat_interleave, giống enable_gqa của SDPA, cho các đầu truy vấn liền nhau dùng chung một đầu KV",
    "12.kv_head_of.one_per_head": "đây là chú ý đa đầu, mỗi đầu truy vấn một đầu KV: với 2 đầu KV, mỗi đầu phục vụ 8 / 2 = 4 đầu truy vấn",
}
