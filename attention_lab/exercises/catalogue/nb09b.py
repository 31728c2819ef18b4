"""Notebook 09b (flash attention, the backward pass): causal tiles, the row term D, dV."""

from __future__ import annotations

import torch

from ...functional import attention
from .common import Answer, Exercise, constant, journey_x


def _d_out() -> torch.Tensor:
    """The notebook's dL/dO: (6, 3), randn in float64 from a CPU generator seeded 9."""
    return torch.randn(6, 3, generator=torch.Generator().manual_seed(9), dtype=torch.float64)


def _row_term(causal: bool = True, of_values: bool = False) -> Answer:
    """D = rowsum(dO ∘ O) of the journey sentence's attention (q = k = v = x), shape (6,)."""

    def answer() -> torch.Tensor:
        x = journey_x()
        out = x if of_values else attention(x, x, x, causal=causal)[0]  # (6, 3)
        return (_d_out() * out).sum(dim=-1)

    return answer


def _grad_v(causal: bool = True, transposed: bool = True) -> Answer:
    """dV = Pᵀ dO of the journey sentence's attention (q = k = v = x), shape (6, 3)."""

    def answer() -> torch.Tensor:
        x = journey_x()
        weights = attention(x, x, x, causal=causal)[1]  # (6, 6)
        return (weights.T if transposed else weights) @ _d_out()

    return answer


def _causal_tiles(n: int, block_q: int, block_k: int, diagonal: bool = True) -> Answer:
    """Tiles the causal backward recomputes: query block i meets key block j if its last query
    reaches the block's first key (or, without the diagonal tiles, its first query is past the
    block's last key)."""
    count = 0
    for k0 in range(0, n, block_k):
        k_last = min(k0 + block_k, n) - 1
        for q0 in range(0, n, block_q):
            q_last = min(q0 + block_q, n) - 1
            count += q_last >= k0 if diagonal else q0 > k_last
    return constant(count)


EXERCISES = [
    Exercise(
        "09b.causal_tiles",
        _causal_tiles(100, 16, 32),  # 7 + 5 + 3 + 1
        {
            "every_tile": constant(7 * 4),
            "no_diagonal": _causal_tiles(100, 16, 32, diagonal=False),
            "half_grid": constant(7 * 4 // 2),
        },
    ),
    Exercise(
        "09b.row_term",
        _row_term(),
        {
            "not_causal": _row_term(causal=False),
            "values_not_outputs": _row_term(of_values=True),
        },
    ),
    Exercise(
        "09b.grad_v",
        _grad_v(),
        {
            "missing_transpose": _grad_v(transposed=False),
            "not_causal": _grad_v(causal=False),
        },
    ),
]
