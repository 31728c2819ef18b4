"""Wrong answers to notebook 09's exercises, as a learner would compute them."""

from __future__ import annotations

import math

import torch

from attention_lab import attention

from . import Wrong

x = 3 * torch.randn(12, generator=torch.Generator().manual_seed(7))  # section 1's scores


def _states(order: str = "reversed", rescale: bool = True, shift: bool = True) -> torch.Tensor:
    row_max, row_sum = torch.tensor(-math.inf), torch.tensor(0.0)
    starts = range(0, len(x), 4)
    states = []
    for start in reversed(starts) if order == "reversed" else starts:
        x_c = x[start : start + 4]
        row_max_new = torch.maximum(row_max, x_c.max())
        factor = torch.exp(row_max - row_max_new) if rescale else 1.0
        row_sum = row_sum * factor + torch.exp(x_c - (row_max_new if shift else 0.0)).sum()
        row_max = row_max_new
        states.append(torch.stack([row_max, row_sum]))
    return torch.stack(states)  # (3, 2)


def _qkv():
    gen = torch.Generator().manual_seed(0)
    return [torch.randn(1, 8, 256, 64, generator=gen) for _ in range(3)]


def _blockwise(visible) -> torch.Tensor:
    """Attention where visible(i, j) says which keys each query sees, as a tiled loop would."""
    q, k, v = _qkv()
    i, j = torch.arange(256)[:, None], torch.arange(256)[None, :]
    scores = (q @ k.transpose(-2, -1) / 8).masked_fill(~visible(i, j), -math.inf)
    return torch.nan_to_num(torch.softmax(scores, dim=-1)) @ v


WRONG = [
    Wrong(
        "09.reversed_chunks", "section 2's order", lambda: _states(order="forward"), "forward_order"
    ),
    Wrong("09.reversed_chunks", "no rescale", lambda: _states(rescale=False), "no_rescale"),
    Wrong("09.reversed_chunks", "no max shift", lambda: _states(shift=False), "no_max_shift"),
    Wrong("09.reversed_chunks", "the final state only", lambda: _states()[-1], None),
    Wrong(
        "09.reversed_chunks", "sum and max stacked the other way", lambda: _states().flip(-1), None
    ),
    Wrong("09.causal_tiles", "every tile", lambda: 16 * 16, "every_tile"),
    Wrong("09.causal_tiles", "no diagonal", lambda: 16 * 15 // 2, "no_diagonal"),
    Wrong("09.causal_tiles", "half the grid", lambda: 16 * 16 // 2, "half_grid"),
    Wrong("09.causal_tiles", "blocks of 64", lambda: 64 * 65 // 2, "notebook_block"),
    Wrong("09.causal_flash", "no causal mask", lambda: attention(*_qkv())[0], "not_causal"),
    Wrong(
        "09.causal_flash",
        "mask reversed in the diagonal tiles",
        lambda: _blockwise(lambda i, j: (j // 64 < i // 64) | ((j // 64 == i // 64) & (j > i))),
        "mask_reversed",
    ),
    Wrong(
        "09.causal_flash",
        "diagonal tiles unmasked",
        lambda: _blockwise(lambda i, j: j // 64 <= i // 64),
        "diagonal_unmasked",
    ),
    Wrong(
        "09.causal_flash",
        "diagonal tiles skipped",
        lambda: _blockwise(lambda i, j: j // 64 < i // 64),
        "diagonal_skipped",
    ),
    Wrong(
        "09.causal_flash",
        "scaled by 1/d_head",
        lambda: attention(*_qkv(), scale=1 / 64, causal=True)[0],
        None,
    ),
]
