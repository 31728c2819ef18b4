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


def _measured_scale() -> torch.Tensor:
    """1 / std of the exercise's own dots_3: what "brings var(dots_3 * scale) to about 1" by
    measurement, as right as the exact 1 / (9 √d_k) that the notebook derives."""
    generator = torch.Generator().manual_seed(0)
    q_3 = 3 * torch.randn(10_000, 16, generator=generator)
    k_3 = 3 * torch.randn(10_000, 16, generator=generator)
    return (1 / (q_3 * k_3).sum(dim=-1).std()).double()


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
            "forgot_d_k": constant(1 / 9),
            "not_inverted": constant(9 * math.sqrt(16)),
        },
        also_right=(_measured_scale,),
    ),
    Exercise(
        "05.even_spread",
        constant(1 / 64, _LOG_64),
        {
            "entropy_in_bits": constant(1 / 64, math.log2(64)),
            "entropy_sign": constant(1 / 64, -_LOG_64),
            "notebook_length": constant(1 / 8, math.log(8)),
            "one_hot": constant(1.0, 0.0),
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
            "stale_d_k": lambda: _batch_attn_weights(1 / math.sqrt(1024)),
            "softmax_wrong_dim_batch": lambda: _batch_attn_weights(1 / math.sqrt(16), dim=0),
        },
        method_rule=True,
    ),
    Exercise(
        "05.predict_saturation",
        constant(1.0),  # section 6 measures about 0.88 at d_k = 64: nearest of the three is 1
        {"even_spread": constant(1 / 8), "halfway": constant(0.5)},
    ),
]
