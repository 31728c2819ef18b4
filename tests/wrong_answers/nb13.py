"""Wrong answers to notebook 13's exercises, as a learner would compute them."""

from __future__ import annotations

import torch

from attention_lab.tiny_model import TinyTransformer

from . import Wrong

tokens_1 = [7, 3, 9, 4, 7, 3, 9, 4]


def _uniform_score(queries, divide_by) -> float:
    return sum(1 / (i + 1) for i in queries) / divide_by


def _count(vocab=50, context=64, d=48, layers=3, qkv=3, out_proj=True, positions=True) -> int:
    per_layer = qkv * d * d + (d * d if out_proj else 0)
    return vocab * d + (context * d if positions else 0) + layers * per_layer + d * vocab


def _with_biases() -> int:
    """Counted as if every projection had a bias, which none of TinyTransformer's has."""
    torch.manual_seed(0)
    model = TinyTransformer(50, 64, d_model=48, n_heads=4, n_layers=3)
    return sum(p.numel() for p in model.parameters()) + 3 * (3 * 48 + 48) + 50


WRONG = [
    Wrong(
        "13.induction_target",
        "the earlier 9 itself",
        lambda: tokens_1.index(9),
        "occurrence_itself",
    ),
    Wrong("13.induction_target", "the previous token", lambda: 6 - 1, "previous_token"),
    Wrong("13.induction_target", "the next position", lambda: 6 + 1, "next_query"),
    Wrong("13.induction_target", "the token instead of its position", lambda: 4, None),
    Wrong(
        "13.uniform_score",
        "mean over all 16 queries",
        lambda: _uniform_score(range(8, 16), 16),
        "all_queries",
    ),
    Wrong("13.uniform_score", "1/T for every query", lambda: 1 / 16, "whole_row"),
    Wrong(
        "13.uniform_score",
        "the queries of the first half",
        lambda: _uniform_score(range(8), 8),
        "first_half",
    ),
    Wrong(
        "13.uniform_score",
        "weight 1/i instead of 1/(i + 1)",
        lambda: _uniform_score(range(7, 15), 8),
        None,
    ),
    Wrong(
        "13.n_parameters", "no position embedding", lambda: _count(positions=False), "no_positions"
    ),
    Wrong("13.n_parameters", "no output projection", lambda: _count(out_proj=False), "no_out_proj"),
    Wrong("13.n_parameters", "q, k, v as one square matrix", lambda: _count(qkv=1), "qkv_once"),
    Wrong("13.n_parameters", "one layer", lambda: _count(layers=1), "one_layer"),
    Wrong("13.n_parameters", "biases counted", _with_biases, None),
]
