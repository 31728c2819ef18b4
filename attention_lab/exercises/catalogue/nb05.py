"""Notebook 05 (scaled attention): the right scale, an even spread, a batch of heads."""

from __future__ import annotations

import math

import torch

from .common import Exercise, constant

_LOG_64 = math.log(64)


def _batch_qk() -> tuple[torch.Tensor, torch.Tensor]:
    """The q and k of section 7, drawn from a CPU generator seeded with 0."""
    generator = torch.Generator().manual_seed(0)
    q, k = (torch.randn(2, 4, 5, 16, generator=generator).double() for _ in range(2))
    return q, k  # (B, n_heads, T, d_head) = (2, 4, 5, 16) each


def _batch_attn_weights(scale: float, dim: int = -1) -> torch.Tensor:
    q, k = _batch_qk()
    return torch.softmax(q @ k.transpose(-2, -1) * scale, dim=dim)  # (B, n_heads, T, T)


EXERCISES = [
    Exercise(
        "05.scale_times_3",
        constant(1 / (9 * math.sqrt(16))),
        {
            "factor_3_once": constant(1 / (3 * math.sqrt(16))),
            "divided_by_d_k": constant(1 / (9 * 16)),
            "divided_by_variance": constant(1 / (81 * 16)),
            "kept_unscaled_by_9": constant(1 / math.sqrt(16)),
        },
    ),
    Exercise(
        "05.even_spread",
        constant(1 / 64, _LOG_64),
        {
            "entropy_in_bits": constant(1 / 64, math.log2(64)),
            "entropy_sign": constant(1 / 64, -_LOG_64),
            "notebook_length": constant(1 / 8, math.log(8)),
        },
    ),
    Exercise(
        "05.batch_weights",
        lambda: _batch_attn_weights(1 / math.sqrt(16)),
        {
            "divided_by_d_k": lambda: _batch_attn_weights(1 / 16),
            "unscaled": lambda: _batch_attn_weights(1.0),
            "softmax_wrong_dim_heads": lambda: _batch_attn_weights(1 / math.sqrt(16), dim=1),
            "softmax_wrong_dim_queries": lambda: _batch_attn_weights(1 / math.sqrt(16), dim=-2),
        },
        method_rule=True,
    ),
]
