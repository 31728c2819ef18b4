"""Notebook 06 (causal attention): padding with a causal mask, dropout, what a token reaches."""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from ...functional import causal_mask
from .common import Answer, Exercise, journey_x, linear_weights


def _qkv() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """q, k, v of section 1, from SelfAttention(3, 2) built after torch.manual_seed(789)."""
    W_q, W_k, W_v = linear_weights(789, 3, d_in=3, d_out=2)
    x = journey_x()
    return x @ W_q.T, x @ W_k.T, x @ W_v.T  # (T, d_out) = (6, 2) each


def _not_padding() -> torch.Tensor:
    """True for the four real tokens, False for the last two positions, the padding."""
    return torch.arange(6) < 4  # (T,)


def _masked_weights(
    mask: torch.Tensor,
    renormalize: bool = True,
    *,
    fill: float = -math.inf,
    dim: int = -1,
    scale: float = 1 / math.sqrt(2),
) -> torch.Tensor:
    """The weights of section 1's q and k under ``mask``, the -inf way or zeroed after softmax.

    ``fill``, ``dim`` and ``scale`` give the mistakes of filling with 0, normalizing the wrong
    dimension and leaving the scores unscaled.
    """
    q, k, _ = _qkv()
    attn_scores = q @ k.T * scale  # (T, T)
    if not renormalize:
        return torch.softmax(attn_scores, dim=-1) * mask
    # A row with no key left is NaN in plain torch; the package gives it zeros, as here.
    return torch.nan_to_num(torch.softmax(attn_scores.masked_fill(~mask, fill), dim=dim))


def _padded(mask: Callable[[], torch.Tensor]) -> Answer:
    return lambda: _masked_weights(mask())


def _dropped(
    draw: Callable[..., torch.Tensor], keep_if_below: bool = False, scale: float | None = None
) -> torch.Tensor:
    """Section 3's causal weights after dropout p = 0.2, the mask drawn as section 5 draws it."""
    p = 0.2
    generator = torch.Generator().manual_seed(123)
    drawn = draw(6, 6, generator=generator)  # (T, T)
    keep = drawn < p if keep_if_below else drawn >= p
    scale = 1 / (1 - p) if scale is None else scale
    return _masked_weights(causal_mask(6)) * keep * scale


def _rows_changed() -> torch.Tensor:
    """Which rows of the causal output move when "Your" becomes [9, -9, 9]."""
    W_q, W_k, W_v = linear_weights(789, 3, d_in=3, d_out=2)
    x = journey_x()
    x_first = x.clone()
    x_first[0] = torch.tensor([9.0, -9.0, 9.0], dtype=torch.float64)
    outs = []
    for inputs in (x, x_first):
        q, k, v = inputs @ W_q.T, inputs @ W_k.T, inputs @ W_v.T  # (T, d_out) each
        attn_scores = (q @ k.T / math.sqrt(2)).masked_fill(~causal_mask(6), float("-inf"))
        outs.append(torch.softmax(attn_scores, dim=-1) @ v)  # (T, d_out)
    return (~torch.isclose(outs[0], outs[1]).all(dim=-1)).double()  # (T,): 1 where it moved


def _rows(*changed: int) -> Answer:
    """A (6,) tensor with 1 at the rows listed, 0 elsewhere."""
    return lambda: torch.tensor([float(i in changed) for i in range(6)], dtype=torch.float64)


EXERCISES = [
    Exercise(
        "06.padded_weights",
        _padded(lambda: causal_mask(6) & _not_padding()),
        {
            "mask_reversed": _padded(lambda: ~(causal_mask(6) & _not_padding())),
            "not_renormalized": lambda: _masked_weights(
                causal_mask(6) & _not_padding(), renormalize=False
            ),
            "causal_only": _padded(lambda: causal_mask(6)),
            "masks_combined_with_or": _padded(lambda: causal_mask(6) | _not_padding()),
            "masked_queries": _padded(lambda: causal_mask(6) & _not_padding()[:, None]),
            "masked_with_zero": lambda: _masked_weights(causal_mask(6) & _not_padding(), fill=0.0),
            "softmax_wrong_dim_queries": lambda: _masked_weights(
                causal_mask(6) & _not_padding(), dim=0
            ),
            "unscaled": lambda: _masked_weights(causal_mask(6) & _not_padding(), scale=1.0),
        },
    ),
    Exercise(
        "06.dropout_weights",
        lambda: _dropped(torch.rand),
        {
            "randn_not_rand": lambda: _dropped(torch.randn),
            "kept_with_p": lambda: _dropped(torch.rand, keep_if_below=True),
            "scaled_by_1_minus_p": lambda: _dropped(torch.rand, scale=0.8),
            "not_rescaled": lambda: _dropped(torch.rand, scale=1),
        },
    ),
    Exercise(
        "06.rows_changed",
        _rows_changed,
        {
            "only_own_row": _rows(0),
            "only_last_row": _rows(5),
            "nothing_changed": _rows(),
            "not_its_own_row": _rows(1, 2, 3, 4, 5),
        },
        truth_values=True,
    ),
]
