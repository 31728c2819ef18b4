"""Notebook 14 (flash attention in Triton): the grid of programs, causal skipping, one trace."""

from __future__ import annotations

import math

import torch

from .common import Answer, Exercise, constant


def _qkv() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Exercise 3's q, k, v: (1, 2, 77, 16) each, one CPU generator seeded 14, in that order."""
    generator = torch.Generator().manual_seed(14)
    return tuple(torch.randn(1, 2, 77, 16, generator=generator).double() for _ in range(3))


def _state_of_row(row: int, head: int = 0, keys_seen: int | None = None) -> Answer:
    """[m, ℓ] of query ``row`` over keys 0..keys_seen - 1 (default: the causal ones, 0..row)."""

    def answer() -> torch.Tensor:
        q, k, _ = _qkv()
        seen = row + 1 if keys_seen is None else keys_seen
        s = k[0, head, :seen] @ q[0, head, row] / math.sqrt(16)  # (seen,): the row's scores
        return torch.stack([s.max(), torch.exp(s - s.max()).sum()])

    return answer


EXERCISES = [
    Exercise(
        "14.steps_of_program",
        constant(3),  # rows 128..159 read the key blocks starting at 0, 64 and 128
        {
            "every_block": constant(4),
            "block_m_as_block_n": constant(5),
            "diagonal_skipped": constant(2),
        },
    ),
    Exercise(
        "14.grid_size",
        constant(128),  # 16 query blocks × (2 × 4) batch rows × heads
        {
            "forgot_heads": constant(32),
            "forgot_batch": constant(64),
            "floor_division": constant(120),
            "one_per_head": constant(8),
        },
    ),
    Exercise(
        "14.last_state",
        _state_of_row(40),
        {
            "not_causal": _state_of_row(40, keys_seen=77),
            "first_step": _state_of_row(40, keys_seen=16),
            "other_head": _state_of_row(40, head=1),
        },
    ),
]
