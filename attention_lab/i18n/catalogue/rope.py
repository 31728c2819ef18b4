"""The RoPE explorer (notebook 10): a query and a key moved along the sentence."""

from __future__ import annotations

EN: dict[str, str] = {
    "rope.title": "RoPE explorer",
    "rope.control.m": "query position m",
    "rope.control.n": "key position n",
    "rope.control.interleaved": "interleaved layout",
    "rope.figure.plane": "first pair of features, rotated",
    "rope.figure.curve": "score against the offset (key at 0)",
    "rope.figure.offset": "offset m − n",
    "rope.figure.score": "score q_m · k_n",
    "rope.score": "query at m = {m}, key at n = {n}: offset m − n = {offset}, score {score}",
    "rope.same_offset": "the same offset at m = {m}, n = {n}: score {score}",
}

VI: dict[str, str] = {
    "rope.title": "công cụ khám phá RoPE",
    "rope.control.m": "vị trí truy vấn m",
    "rope.control.n": "vị trí khóa n",
    "rope.control.interleaved": "cách xếp xen kẽ",
    "rope.figure.plane": "cặp đặc trưng đầu tiên, sau khi xoay",
    "rope.figure.curve": "điểm theo độ lệch (khóa ở vị trí 0)",
    "rope.figure.offset": "độ lệch m − n",
    "rope.figure.score": "điểm q_m · k_n",
    "rope.score": "truy vấn ở m = {m}, khóa ở n = {n}: độ lệch m − n = {offset}, điểm {score}",
    "rope.same_offset": "cùng độ lệch đó ở m = {m}, n = {n}: điểm {score}",
}
