"""The learned-attention explorer (notebook 13): the layers and heads of a trained model."""

from __future__ import annotations

EN: dict[str, str] = {
    "learned.title": "learned-attention explorer",
    "learned.control.layer": "layer",
    "learned.control.head": "head",
    "learned.figure.title": "layer {layer}, head {head} (rings: induction targets)",
    "learned.scores": (
        "layer {layer}, head {head}: induction score {induction:.2f} (weight on the token after "
        "an earlier occurrence), previous-token score {previous:.2f} (weight on key i − 1)"
    ),
}

VI: dict[str, str] = {
    "learned.title": "công cụ khám phá chú ý đã học",
    "learned.control.layer": "tầng",
    "learned.control.head": "đầu chú ý",
    "learned.figure.title": "tầng {layer}, đầu {head} (vòng tròn: đích quy nạp)",
    "learned.scores": (
        "tầng {layer}, đầu {head}: điểm quy nạp {induction:.2f} (trọng số trên token đứng sau "
        "một lần xuất hiện trước đó), điểm token liền trước {previous:.2f} (trọng số trên khóa "
        "i − 1)"
    ),
}
