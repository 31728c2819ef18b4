"""Wrong answers to notebook 08's exercises, as a learner would compute them."""

from __future__ import annotations

import torch

from . import Wrong

ns = [2**p for p in range(7, 17)]  # 128 … 65,536
MiB, H = 2**20, 8


def _mib(bytes_per_number: int = 2, heads: int = H, size=lambda n: n * n, unit: float = MiB):
    return torch.tensor([bytes_per_number * heads * size(n) / unit for n in ns])


def _first_n_at_2gib(bytes_per_number: int = 2, heads: int = H) -> int:
    return next(n for n in ns if bytes_per_number * heads * n * n >= 2 * 2**30)


WRONG = [
    Wrong("08.half_scores", "4 bytes a number", lambda: _mib(bytes_per_number=4), "float32_bytes"),
    Wrong("08.half_scores", "in bytes", lambda: _mib(unit=1), "in_bytes"),
    Wrong("08.half_scores", "one head", lambda: _mib(heads=1), "one_head"),
    Wrong("08.half_scores", "the size of q", lambda: _mib(size=lambda n: n * 64), "size_of_q"),
    Wrong("08.half_scores", "megabytes", lambda: _mib(unit=1e6), "megabytes"),
    Wrong(
        "08.half_scores",
        "one number per n², no heads and no bytes",
        lambda: _mib(bytes_per_number=1, heads=1, unit=1),
        None,
    ),
    Wrong(
        "08.half_2gib",
        "float32's threshold",
        lambda: _first_n_at_2gib(bytes_per_number=4),
        "float32_threshold",
    ),
    Wrong("08.half_2gib", "one head", lambda: _first_n_at_2gib(heads=1), "one_head"),
    Wrong(
        "08.half_2gib",
        "solved for n exactly",
        lambda: round((2 * 2**30 / (2 * H)) ** 0.5 + 0.5),
        "not_in_ns",
    ),
    Wrong("08.growth", "swapped", lambda: torch.tensor([4.0, 16.0]), "swapped"),
    Wrong("08.growth", "both linear", lambda: torch.tensor([4.0, 4.0]), "both_linear"),
    Wrong("08.growth", "both quadratic", lambda: torch.tensor([16.0, 16.0]), "both_quadratic"),
    Wrong("08.growth", "one doubling", lambda: torch.tensor([4.0, 2.0]), "one_doubling"),
    Wrong("08.growth", "SDPA constant", lambda: torch.tensor([16.0, 1.0]), "sdpa_constant"),
    Wrong("08.growth", "cubic for attention", lambda: torch.tensor([64.0, 4.0]), None),
]
