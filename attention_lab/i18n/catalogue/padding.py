"""The padding explorer (notebook 11): a sentence padded on the right or the left, its keys masked."""

from __future__ import annotations

EN: dict[str, str] = {
    "explorer.name.padding": "padding explorer",
    "padding.length": "real tokens",
    "padding.side": "padding",
    "padding.side.right": "right",
    "padding.side.left": "left",
    "padding.on_padding": "weight on padding",
    "padding.summary": (
        "{real} real tokens, {pads} padding: the key mask hides the padding's columns from every "
        "query, so each row's weights lie on the real tokens and still sum to 1"
    ),
}

VI: dict[str, str] = {
    "explorer.name.padding": "công cụ khám phá phần đệm",
    "padding.length": "số token thật",
    "padding.side": "phần đệm",
    "padding.side.right": "bên phải",
    "padding.side.left": "bên trái",
    "padding.on_padding": "trọng số trên phần đệm",
    "padding.summary": (
        "{real} token thật, {pads} vị trí đệm: mặt nạ khóa che các cột của phần đệm khỏi mọi "
        "truy vấn, nên trọng số của mỗi hàng chỉ nằm trên các token thật và vẫn có tổng bằng 1"
    ),
}
