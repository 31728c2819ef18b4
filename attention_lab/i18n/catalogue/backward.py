"""The backward explorer (notebook 09b): which tiles the tiled backward pass recomputes."""

from __future__ import annotations

EN: dict[str, str] = {
    "backward.title": "backward explorer",
    "backward.control.key_block": "key block",
    "backward.control.n": "sequence length n",
    "backward.control.block_q": "block_q",
    "backward.control.block_k": "block_k",
    "backward.control.causal": "causal mask",
    "backward.figure.title": "key block {key_block}: the query blocks it recomputes, in order",
    "backward.figure.keys": "key block",
    "backward.figure.queries": "query block",
    "backward.grid": (
        "n = {n}, block_q = {block_q}, block_k = {block_k}: {query_blocks} query blocks × "
        "{key_blocks} key blocks"
    ),
    "backward.selected": (
        "key block {key_block} holds keys {first}–{last}: the backward recomputes {recomputed} "
        "tile(s) for it and skips {skipped}"
    ),
    "backward.totals": (
        "whole backward: {recomputed} of {tiles} tiles recomputed from q, k and the logsumexp, "
        "{masked} with a mask, {skipped} skipped"
    ),
    "backward.legend": (
        "dark: recomputed whole · light: recomputed, some scores set to −∞ (the future) · "
        "white: never recomputed"
    ),
    "backward.table.recomputed": "tiles recomputed",
}

VI: dict[str, str] = {
    "backward.title": "công cụ khám phá lượt lan truyền ngược",
    "backward.control.key_block": "khối khóa",
    "backward.control.n": "độ dài chuỗi n",
    "backward.control.block_q": "block_q",
    "backward.control.block_k": "block_k",
    "backward.control.causal": "mặt nạ nhân quả",
    "backward.figure.title": "khối khóa {key_block}: các khối truy vấn được tính lại, theo thứ tự",
    "backward.figure.keys": "khối khóa",
    "backward.figure.queries": "khối truy vấn",
    "backward.grid": (
        "n = {n}, block_q = {block_q}, block_k = {block_k}: {query_blocks} khối truy vấn × "
        "{key_blocks} khối khóa"
    ),
    "backward.selected": (
        "khối khóa {key_block} chứa các khóa {first}–{last}: lượt ngược tính lại {recomputed} "
        "mảnh cho nó và bỏ qua {skipped}"
    ),
    "backward.totals": (
        "toàn bộ lượt ngược: tính lại {recomputed} trên {tiles} mảnh từ q, k và logsumexp, "
        "{masked} mảnh có mặt nạ, bỏ qua {skipped}"
    ),
    "backward.legend": (
        "đậm: tính lại trọn vẹn · nhạt: tính lại, một số điểm bị đặt thành −∞ (tương lai) · "
        "trắng: không bao giờ tính lại"
    ),
    "backward.table.recomputed": "số mảnh tính lại",
}
