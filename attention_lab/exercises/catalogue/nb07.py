"""Notebook 07 (multi-head attention): splitting heads, averaging them, counting parameters."""

from __future__ import annotations

import math

import torch

from ...functional import causal_mask
from .common import Exercise, constant, journey_x, linear_weights


def _qkv() -> list[torch.Tensor]:
    """Section 2's fused q, k, v of x_batch, from the two heads drawn after seed 123."""
    W = linear_weights(123, 6, d_in=3, d_out=2)  # head 0's W_q, W_k, W_v, then head 1's
    x = journey_x()
    x_batch = torch.stack([x, x.flip(0)])  # (B, T, d_in) = (2, 6, 3)
    return [x_batch @ torch.cat([W[i], W[3 + i]]).T for i in range(3)]  # (B, T, d_out) each


def _split_heads(how: str) -> torch.Tensor:
    """Section 2's q, (B, T, d_out) = (2, 6, 4), split into 2 heads of 2 features ``how``."""
    q = _qkv()[0]
    if how == "view_heads_first":
        return q.view(2, 2, 6, 2)  # (B, n_heads, T, d_head), but cut in the wrong places
    q = q.view(2, 6, 2, 2)  # (B, T, n_heads, d_head)
    return q if how == "no_transpose" else q.transpose(1, 2)  # (B, n_heads, T, d_head)


def _head_weights() -> torch.Tensor:
    """Section 2's causal attn_weights, (B, n_heads, T, T) = (2, 2, 6, 6)."""
    q, k = (t.view(2, 6, 2, 2).transpose(1, 2) for t in _qkv()[:2])  # (B, n_heads, T, d_head)
    attn_scores = q @ k.transpose(-2, -1) / math.sqrt(2)  # (B, n_heads, T, T)
    return torch.softmax(attn_scores.masked_fill(~causal_mask(6), float("-inf")), dim=-1)


EXERCISES = [
    Exercise(
        "07.split_heads",
        lambda: _split_heads("right"),
        {
            "missing_transpose": lambda: _split_heads("no_transpose"),
            "missing_transpose_heads_first": lambda: _split_heads("view_heads_first"),
        },
    ),
    Exercise(
        "07.averaged_weights",
        lambda: _head_weights().mean(dim=1),
        {
            "mean_over_batch": lambda: _head_weights().mean(dim=0),
            "summed_heads": lambda: _head_weights().sum(dim=1),
            "first_head_only": lambda: _head_weights()[:, 0],
        },
    ),
    Exercise(
        "07.n_params",
        constant(3 * 768 * 768 + 768 * 768 + 768),
        {
            "no_out_bias": constant(4 * 768 * 768),
            "no_out_projection": constant(3 * 768 * 768),
            "full_size_per_head": constant(12 * 3 * 768 * 768 + 768 * 768 + 768),
            "qkv_bias_counted": constant(4 * 768 * 768 + 4 * 768),
        },
    ),
    Exercise(
        "07.predict_more_heads",
        constant(0),  # the heads share W_q, W_k, W_v, W_o: their number changes no size
        {
            "doubled": constant(3 * 768 * 768 + 768 * 768 + 768),
            "per_head_matrices": constant(12 * 3 * 768 * 768),
        },
    ),
]
