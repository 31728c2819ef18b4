"""Wrong answers to notebook 09b's exercises, as a learner would compute them."""

from __future__ import annotations

import torch

from attention_lab import attention, journey_embeddings

from . import Wrong

x = journey_embeddings(dtype=torch.float64)  # (6, 3)
d_out = torch.randn(6, 3, generator=torch.Generator().manual_seed(9), dtype=torch.float64)


def _tiles(skip) -> int:
    """Tiles of n = 100 with blocks 16 × 32 that skip(q0, q_last, k0, k_last) keeps."""
    return sum(
        bool(skip(q0, min(q0 + 16, 100) - 1, k0, min(k0 + 32, 100) - 1))
        for k0 in range(0, 100, 32)
        for q0 in range(0, 100, 16)
    )


def _causal_weights() -> torch.Tensor:
    return attention(x, x, x, causal=True)[1]  # (6, 6)


WRONG = [
    Wrong("09b.causal_tiles", "every tile", lambda: 7 * 4, "every_tile"),
    Wrong(
        "09b.causal_tiles",
        "only the tiles wholly below the diagonal",
        lambda: _tiles(lambda q0, q_last, k0, k_last: q0 > k_last),
        "no_diagonal",
    ),
    Wrong("09b.causal_tiles", "half the grid", lambda: 28 // 2, "half_grid"),
    Wrong("09b.causal_tiles", "square blocks of 32", lambda: 4 * 5 // 2, None),
    Wrong(
        "09b.row_term",
        "without the causal mask",
        lambda: (d_out * attention(x, x, x)[0]).sum(dim=-1),
        "not_causal",
    ),
    Wrong(
        "09b.row_term", "dO times the values", lambda: (d_out * x).sum(dim=-1), "values_not_outputs"
    ),
    Wrong(
        "09b.row_term",
        "summed over the tokens instead of the features",
        lambda: (d_out * attention(x, x, x, causal=True)[0]).sum(dim=0),
        None,
    ),
    Wrong("09b.grad_v", "P dO, not Pᵀ dO", lambda: _causal_weights() @ d_out, "missing_transpose"),
    Wrong("09b.grad_v", "without the mask", lambda: attention(x, x, x)[1].T @ d_out, "not_causal"),
    Wrong("09b.grad_v", "dO Vᵀ, the gradient of the weights", lambda: d_out @ x.T, None),
]
