"""Notebook 08 (the cost of attention): the memory of the scores, and how it grows with n."""

from __future__ import annotations

import torch

from .common import Exercise, constant

_NS = [2**p for p in range(7, 17)]  # section 2's sequence lengths, 128 ... 65,536
_MIB = 2**20


def _score_mib(bytes_per_number: int, heads: int = 8, square: bool = True) -> torch.Tensor:
    """MiB of one layer's scores (B = 1) for every n of section 2; d_head = 64 if not square."""
    sizes = [n * n if square else n * 64 for n in _NS]
    return torch.tensor([bytes_per_number * heads * s / _MIB for s in sizes], dtype=torch.float64)


EXERCISES = [
    Exercise(
        "08.half_scores",
        lambda: _score_mib(2),
        {
            "float32_bytes": lambda: _score_mib(4),
            "in_bytes": lambda: _score_mib(2) * _MIB,
            "one_head": lambda: _score_mib(2, heads=1),
            "size_of_q": lambda: _score_mib(2, square=False),
            "megabytes": lambda: _score_mib(2) * _MIB / 1e6,
        },
    ),
    Exercise(
        "08.half_2gib",
        constant(16384),
        {
            "float32_threshold": constant(8192),
            "one_head": constant(32768),
            "not_in_ns": constant(11586),
        },
    ),
    Exercise(
        "08.growth",
        constant(16, 4),
        {
            "swapped": constant(4, 16),
            "both_linear": constant(4, 4),
            "both_quadratic": constant(16, 16),
            "one_doubling": constant(4, 2),
            "sdpa_constant": constant(16, 1),
        },
    ),
]
