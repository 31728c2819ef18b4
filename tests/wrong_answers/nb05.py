"""Wrong answers to notebook 05's exercises, as a learner would compute them."""

from __future__ import annotations

import math

import torch

from . import Wrong

d_k = 16


def _dots_3() -> torch.Tensor:
    gen = torch.Generator().manual_seed(0)
    q_3 = 3 * torch.randn(10_000, d_k, generator=gen)
    k_3 = 3 * torch.randn(10_000, d_k, generator=gen)
    return (q_3 * k_3).sum(dim=-1)  # (10_000,)


def _batch_weights(scale: float, dim: int = -1) -> torch.Tensor:
    gen = torch.Generator().manual_seed(0)
    q, k, _ = (torch.randn(2, 4, 5, 16, generator=gen) for _ in range(3))
    return torch.softmax(q @ k.transpose(-2, -1) * scale, dim=dim)  # (2, 4, 5, 5)


WRONG = [
    Wrong(
        "05.scale_times_3", "the factor 3 once", lambda: 1 / (3 * math.sqrt(d_k)), "factor_3_once"
    ),
    Wrong("05.scale_times_3", "divided by d_k", lambda: 1 / (9 * d_k), "divided_by_d_k"),
    Wrong(
        "05.scale_times_3",
        "one over the variance",
        lambda: 1 / _dots_3().var().item(),
        "divided_by_variance",
    ),
    Wrong("05.scale_times_3", "the exact variance", lambda: 1 / (81 * d_k), "divided_by_variance"),
    Wrong("05.scale_times_3", "kept 1/√d_k", lambda: 1 / math.sqrt(d_k), "kept_unscaled_by_9"),
    Wrong("05.scale_times_3", "forgot √d_k", lambda: 1 / 9, "forgot_d_k"),
    Wrong("05.scale_times_3", "the size, not its inverse", lambda: _dots_3().std().item(), None),
    Wrong(
        "05.even_spread",
        "entropy in bits",
        lambda: torch.tensor([1 / 64, math.log2(64)]),
        "entropy_in_bits",
    ),
    Wrong(
        "05.even_spread",
        "forgot the minus sign",
        lambda: torch.tensor([1 / 64, -math.log(64)]),
        "entropy_sign",
    ),
    Wrong(
        "05.even_spread",
        "T = 8 from the notebook",
        lambda: torch.tensor([1 / 8, math.log(8)]),
        "notebook_length",
    ),
    Wrong("05.even_spread", "a one-hot row", lambda: torch.tensor([1.0, 0.0]), "one_hot"),
    Wrong(
        "05.even_spread",
        "stacked the other way",
        lambda: torch.tensor([math.log(64), 1 / 64]),
        "reversed",
    ),
    Wrong("05.batch_weights", "divided by d_k", lambda: _batch_weights(1 / 16), "divided_by_d_k"),
    Wrong("05.batch_weights", "unscaled", lambda: _batch_weights(1.0), "unscaled"),
    Wrong(
        "05.batch_weights",
        "softmax over the heads",
        lambda: _batch_weights(0.25, dim=1),
        "softmax_wrong_dim_heads",
    ),
    Wrong(
        "05.batch_weights",
        "softmax over the queries",
        lambda: _batch_weights(0.25, dim=-2),
        "softmax_wrong_dim_queries",
    ),
    Wrong(
        "05.batch_weights",
        "softmax over the batch",
        lambda: _batch_weights(0.25, dim=0),
        "softmax_wrong_dim_batch",
    ),
    Wrong(
        "05.batch_weights",
        "d_k left at 1024",
        lambda: _batch_weights(1 / math.sqrt(1024)),
        "stale_d_k",
    ),
    Wrong(
        "05.batch_weights",
        "transposed the weights",
        lambda: _batch_weights(0.25).transpose(-2, -1),
        "transposed",
    ),
    Wrong("05.predict_saturation", "an even spread", lambda: 1 / 8, "even_spread"),
    Wrong("05.predict_saturation", "halfway", lambda: 0.5, "halfway"),
]
