"""Notebook 09 (flash attention from scratch): online softmax, causal tiles, causal flash."""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from .common import Answer, Exercise, constant


def _scores() -> torch.Tensor:
    """Section 1's row of 12 scores, 3 · randn from a CPU generator seeded 7."""
    return (3 * torch.randn(12, generator=torch.Generator().manual_seed(7))).double()


def _online_trace(
    *, reverse: bool = True, rescale: bool = True, shift: bool = True
) -> torch.Tensor:
    """[m, ℓ] after each chunk of the online softmax over section 2's chunks of 4.

    Shapes: returns (3, 2), one row per chunk in the order read (last chunk first if
    ``reverse``); the state after the first chunk read shows the order, the last row does not.
    """
    row_max = torch.tensor(-math.inf, dtype=torch.float64)
    row_sum = torch.tensor(0.0, dtype=torch.float64)
    chunks = _scores().split(4)
    trace = []
    for x_c in reversed(chunks) if reverse else chunks:
        row_max_new = torch.maximum(row_max, x_c.max())
        factor = torch.exp(row_max - row_max_new) if rescale else 1.0
        row_sum = row_sum * factor + torch.exp(x_c - (row_max_new if shift else 0.0)).sum()
        row_max = row_max_new
        trace.append(torch.stack([row_max, row_sum]))
    return torch.stack(trace)  # (n_chunks, 2)


def _flash(visible: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> Answer:
    """Attention of section 4's q, k, v (bench.make_qkv(256), seed 0) where visible(i, j)."""

    def answer() -> torch.Tensor:
        generator = torch.Generator().manual_seed(0)
        q, k, v = (torch.randn(1, 8, 256, 64, generator=generator).double() for _ in range(3))
        i, j = torch.arange(256)[:, None], torch.arange(256)[None, :]  # query and key positions
        attn_scores = q @ k.transpose(-2, -1) / 8.0  # (B, H, n, n), scaled by 1/√64
        attn_scores = attn_scores.masked_fill(~visible(i, j), float("-inf"))
        # A query left with no key gives NaN in plain torch and 0 in the package: the engine
        # compares a learner's answer with NaN read as 0, so the mistake is given as 0 too.
        return torch.nan_to_num(torch.softmax(attn_scores, dim=-1)) @ v  # (B, H, n, d_head)

    return answer


def _tiles(n_blocks: int, diagonal: bool = True) -> Answer:
    """Tiles on or below the diagonal of an n_blocks × n_blocks grid."""
    return constant(n_blocks * (n_blocks + 1) // 2 if diagonal else n_blocks * (n_blocks - 1) // 2)


EXERCISES = [
    Exercise(
        "09.reversed_chunks",
        _online_trace,
        {
            "forward_order": lambda: _online_trace(reverse=False),
            "no_rescale": lambda: _online_trace(rescale=False),
            "no_max_shift": lambda: _online_trace(shift=False),
        },
    ),
    Exercise(
        "09.causal_tiles",
        _tiles(16),
        {
            "every_tile": constant(16 * 16),
            "no_diagonal": _tiles(16, diagonal=False),
            "half_grid": constant(16 * 16 // 2),
            "notebook_block": _tiles(64),
        },
    ),
    Exercise(
        "09.causal_flash",
        _flash(lambda i, j: j <= i),
        {
            "mask_reversed": _flash(
                lambda i, j: (j // 64 < i // 64) | ((j // 64 == i // 64) & (j > i))
            ),
            "diagonal_unmasked": _flash(lambda i, j: j // 64 <= i // 64),
            "diagonal_skipped": _flash(lambda i, j: j // 64 < i // 64),
            "not_causal": _flash(lambda i, j: j >= 0),
        },
        method_rule=True,
    ),
]
