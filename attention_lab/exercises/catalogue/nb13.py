"""Notebook 13 (watch attention learn): induction targets, the score of even weights, the model's size."""

from __future__ import annotations

import torch

from .common import Answer, Exercise, constant


def _uniform_score(queries: range, divide_by: int) -> Answer:
    """Σ 1/(i + 1) over ``queries`` (the weight of even causal weights on one key), / divide_by."""
    return lambda: torch.tensor(sum(1 / (i + 1) for i in queries) / divide_by, dtype=torch.float64)


def _n_parameters(
    positions: bool = True, out_proj: bool = True, qkv: int = 3, layers: int = 3
) -> Answer:
    """Parameters of TinyTransformer(50, 64, d_model=48, n_heads=4, n_layers=3), or a miscount."""
    vocab, context, d = 50, 64, 48
    per_layer = qkv * d * d + (d * d if out_proj else 0)
    total = vocab * d + (context * d if positions else 0) + layers * per_layer + d * vocab
    return constant(total)


EXERCISES = [
    Exercise(
        "13.induction_target",
        constant(3),  # the 9 at query 6 was at 2 before: the token after it is at 3
        {
            "occurrence_itself": constant(2),
            "previous_token": constant(5),
            "next_query": constant(7),
        },
    ),
    Exercise(
        "13.uniform_score",
        _uniform_score(range(8, 16), 8),  # queries 8..15 have one target each, weight 1/(i + 1)
        {
            "all_queries": _uniform_score(range(8, 16), 16),
            "whole_row": constant(1 / 16),
            "first_half": _uniform_score(range(0, 8), 8),
        },
    ),
    Exercise(
        "13.n_parameters",
        _n_parameters(),  # 2400 + 3072 + 3 · (6912 + 2304) + 2400 = 35,520
        {
            "no_positions": _n_parameters(positions=False),
            "no_out_proj": _n_parameters(out_proj=False),
            "qkv_once": _n_parameters(qkv=1),
            "one_layer": _n_parameters(layers=1),
        },
    ),
]
