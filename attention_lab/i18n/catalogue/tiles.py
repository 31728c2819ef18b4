"""The tiles explorer (notebook 09): one query block's walk over its key tiles."""

from __future__ import annotations

EN: dict[str, str] = {
    "tiles.name": "tiles explorer",
    "tiles.steps": "key tiles read",
    "tiles.query_block": "query block",
    "tiles.causal": "causal mask",
    "tiles.next": "next tile",
    "tiles.next_tooltip": "read one more key tile (after the last, start again)",
    "tiles.rescale": "exp(m_old − m_new)",
    "tiles.queries": "queries {first}–{last}",
    "tiles.start": (
        "nothing read yet: m = −∞, ℓ = 0, acc = 0; query block {query_block} has {tiles} key "
        "tile(s) to read"
    ),
    "tiles.read": (
        "last tile read: {tile} (keys {first}–{last}); ℓ and acc were multiplied by "
        "exp(m_old − m_new) before its terms were added"
    ),
    "tiles.skipped": "the causal mask skips {count} tile(s): their keys are all in the future",
    "tiles.done": "every tile read: acc / ℓ is this block's output, softmax(q kᵀ/√d_k) v",
    "tiles.key_axis": "key position j",
    "tiles.query_axis": "query i",
    "tiles.skipped_label": "skipped",
    "tiles.unread_label": "not read yet",
    "tiles.title_figure": "query block {query_block}: scores of the {steps} tile(s) read",
}

VI: dict[str, str] = {
    "tiles.name": "công cụ khám phá các mảnh",
    "tiles.steps": "số mảnh khóa đã đọc",
    "tiles.query_block": "khối truy vấn",
    "tiles.causal": "mặt nạ nhân quả",
    "tiles.next": "mảnh tiếp theo",
    "tiles.next_tooltip": "đọc thêm một mảnh khóa (sau mảnh cuối thì bắt đầu lại)",
    "tiles.rescale": "hệ số exp(m_old − m_new)",
    "tiles.queries": "các truy vấn {first}–{last}",
    "tiles.start": (
        "chưa đọc gì: m = −∞, ℓ = 0, acc = 0; khối truy vấn {query_block} cần đọc {tiles} mảnh khóa"
    ),
    "tiles.read": (
        "mảnh vừa đọc: {tile} (các khóa {first}–{last}); ℓ và acc được nhân với "
        "exp(m_old − m_new) trước khi cộng thêm các số hạng của mảnh này"
    ),
    "tiles.skipped": "mặt nạ nhân quả bỏ qua {count} mảnh: mọi khóa của chúng đều nằm ở tương lai",
    "tiles.done": "đã đọc hết các mảnh: acc / ℓ là đầu ra của khối này, softmax(q kᵀ/√d_k) v",
    "tiles.key_axis": "vị trí khóa j",
    "tiles.query_axis": "truy vấn i",
    "tiles.skipped_label": "bỏ qua",
    "tiles.unread_label": "chưa đọc",
    "tiles.title_figure": "khối truy vấn {query_block}: điểm số của {steps} mảnh đã đọc",
}
