"""The GQA explorer (notebook 12): query heads sharing key/value heads, and the cache they need."""

from __future__ import annotations

EN: dict[str, str] = {
    "gqa.title": "GQA explorer",
    "gqa.control.n_kv_heads": "KV heads n_kv_heads",
    "gqa.control.T_ki": "context length T (× 1024 tokens)",
    "gqa.figure.query_heads": "query head",
    "gqa.figure.kv_heads": "KV head",
    "gqa.figure.sharing": "which KV head each query head reads",
    "gqa.figure.n_kv_heads": "n_kv_heads",
    "gqa.figure.mib": "MiB",
    "gqa.figure.memory": "KV cache for T = {T} tokens",
    "gqa.groups": (
        "{n_heads} query heads share {n_kv_heads} KV head(s) (each keeps its own keys and "
        "values): each KV head serves {group} query head(s)"
    ),
    "gqa.memory": (
        "KV cache for T = {T} tokens: {mib:.0f} MiB, against {mha_mib:.0f} MiB with one "
        "KV head per query head ({ratio}× smaller)"
    ),
}

VI: dict[str, str] = {
    "gqa.title": "công cụ khám phá GQA",
    "gqa.control.n_kv_heads": "số đầu KV n_kv_heads",
    "gqa.control.T_ki": "độ dài ngữ cảnh T (× 1024 token)",
    "gqa.figure.query_heads": "đầu truy vấn",
    "gqa.figure.kv_heads": "đầu KV",
    "gqa.figure.sharing": "mỗi đầu truy vấn đọc đầu KV nào",
    "gqa.figure.n_kv_heads": "n_kv_heads",
    "gqa.figure.mib": "MiB",
    "gqa.figure.memory": "bộ nhớ đệm KV cho T = {T} token",
    "gqa.groups": (
        "{n_heads} đầu truy vấn dùng chung {n_kv_heads} đầu KV (mỗi đầu KV giữ khóa và vector "
        "giá trị riêng): mỗi đầu KV phục vụ {group} đầu truy vấn"
    ),
    "gqa.memory": (
        "bộ nhớ đệm KV cho T = {T} token: {mib:.0f} MiB, so với {mha_mib:.0f} MiB khi mỗi đầu "
        "truy vấn có đầu KV riêng (nhỏ hơn {ratio} lần)"
    ),
}
