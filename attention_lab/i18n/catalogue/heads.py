"""The heads explorer (notebook 07): head counts, per-head maps and the saturation verdict."""

from __future__ import annotations

EN: dict[str, str] = {
    "heads.title": "heads explorer",
    "heads.n_heads": "number of heads H",
    "heads.scale": "scale of W_q and W_k",
    "heads.head": "head {head}",
    "heads.largest": "largest weight (row mean)",
    "heads.setup": (
        "H = {n_heads} heads of d_head = {d_head} features (d_out = 6); W_q and W_k "
        "multiplied by {scale:.2f}, so the scores by its square"
    ),
    "heads.none_saturated": (
        "no head is saturated: every head's rows put less than {threshold} of their weight on "
        "one key"
    ),
    "heads.some_saturated": (
        "saturated: head(s) {heads} put {threshold} or more of each row's weight, on average, on "
        "one key (nearly one-hot, as in notebook 05)"
    ),
    "heads.all_saturated": (
        "every head is saturated: each puts {threshold} or more of each row's weight, on average, "
        "on one key (nearly one-hot, as in notebook 05)"
    ),
    "heads.concat_title": "heads' outputs, side by side",
    "heads.out_title": "merged output (× W_o)",
    "heads.feature_axis": "feature",
}

VI: dict[str, str] = {
    "heads.title": "công cụ khám phá các đầu chú ý",
    "heads.n_heads": "số đầu chú ý H",
    "heads.scale": "hệ số nhân của W_q và W_k",
    "heads.head": "đầu {head}",
    "heads.largest": "trọng số lớn nhất (trung bình theo hàng)",
    "heads.setup": (
        "H = {n_heads} đầu chú ý, mỗi đầu d_head = {d_head} đặc trưng (d_out = 6); W_q và W_k "
        "được nhân với {scale:.2f}, nên điểm số được nhân với bình phương của nó"
    ),
    "heads.none_saturated": (
        "không đầu chú ý nào bão hòa: mỗi hàng của mọi đầu dồn ít hơn {threshold} trọng số vào "
        "một khóa"
    ),
    "heads.some_saturated": (
        "bão hòa: (các) đầu {heads} dồn trung bình từ {threshold} trọng số của mỗi hàng trở lên "
        "vào một khóa (gần như one-hot, như ở notebook 05)"
    ),
    "heads.all_saturated": (
        "mọi đầu chú ý đều bão hòa: mỗi đầu dồn trung bình từ {threshold} trọng số của mỗi hàng "
        "trở lên vào một khóa (gần như one-hot, như ở notebook 05)"
    ),
    "heads.concat_title": "đầu ra của từng đầu chú ý, đặt cạnh nhau",
    "heads.out_title": "đầu ra sau khi trộn (× W_o)",
    "heads.feature_axis": "đặc trưng",
}
