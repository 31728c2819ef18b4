"""Notebook 02 (normalizing scores): softmax by hand, its stable form, where exp overflows."""

from __future__ import annotations

import math

import torch

from ...functional import sum_overflow_scale
from .common import Exercise, constant, journey_x

_SCORES_NEG = (2.0, -1.0, 0.5)  # the notebook's made-up row with a negative score


def _overflow_factor(dtype: torch.dtype, score: float) -> torch.Tensor:
    """The factor c at which exp(c · score) leaves the finite range of ``dtype``."""
    return torch.tensor(math.log(torch.finfo(dtype).max) / score, dtype=torch.float64)


def _sum_overflow_factor() -> torch.Tensor:
    """The factor c at which Σ exp(c · attn_scores_2) first passes float32's largest number."""
    scores = journey_x() @ journey_x()[1]  # (6,)
    return torch.tensor(sum_overflow_scale(scores, torch.float32), dtype=torch.float64)


def _largest_score() -> float:
    return (journey_x() @ journey_x()[1]).max().item()


EXERCISES = [
    Exercise(
        "02.softmax",
        lambda: torch.softmax(torch.tensor(_SCORES_NEG, dtype=torch.float64), dim=0),
        {
            "divided_by_sum": constant(*(s / sum(_SCORES_NEG) for s in _SCORES_NEG)),
            "forgot_to_normalize": constant(*(math.exp(s) for s in _SCORES_NEG)),
            "exp_of_sum": constant(*(math.exp(s - sum(_SCORES_NEG)) for s in _SCORES_NEG)),
            "exp_over_score_sum": constant(*(math.exp(s) / sum(_SCORES_NEG) for s in _SCORES_NEG)),
        },
        method_rule=True,
    ),
    Exercise(
        "02.stable",
        lambda: torch.softmax(torch.tensor([1000.0, 1001.0, 1002.0]), dim=0).double(),
        {
            "overflow": lambda: torch.full((3,), math.nan, dtype=torch.float64),
            "forgot_to_normalize": constant(math.exp(-2.0), math.exp(-1.0), 1.0),
            "divided_by_max": lambda: torch.softmax(
                torch.tensor([1000.0, 1001.0, 1002.0], dtype=torch.float64) / 1002.0, dim=0
            ),
        },
        method_rule=True,
    ),
    Exercise(
        "02.overflow_factor",
        lambda: _overflow_factor(torch.float32, _largest_score()),
        {
            "float64_threshold": lambda: _overflow_factor(torch.float64, _largest_score()),
            "float16_threshold": lambda: _overflow_factor(torch.float16, _largest_score()),
            "smallest_score": lambda: _overflow_factor(
                torch.float32, (journey_x() @ journey_x()[1]).min().item()
            ),
            "sum_overflow_scale": _sum_overflow_factor,
            "forgot_to_divide": lambda: torch.tensor(
                math.log(torch.finfo(torch.float32).max), dtype=torch.float64
            ),
        },
    ),
    Exercise(
        "02.predict_float16",
        constant(0),  # Σ exp overflows float16 first: every weight is x / inf = 0, none nan
        {"all_nan": constant(6), "one_nan": constant(1)},
    ),
]
