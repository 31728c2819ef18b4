"""Wrong answers to notebook 06's exercises, as a learner would compute them."""

from __future__ import annotations

import math

import torch

from attention_lab import SelfAttention, causal_mask, journey_embeddings

from . import Wrong

x = journey_embeddings()  # (6, 3)
not_padding = torch.tensor([True, True, True, True, False, False])  # (T,): keys


def _qk() -> tuple[torch.Tensor, torch.Tensor]:
    torch.manual_seed(789)
    sa = SelfAttention(3, 2)
    with torch.no_grad():
        return sa.W_q(x), sa.W_k(x)  # (6, 2) each


def _weights(mask, *, fill=-math.inf, dim=-1, scale=2**-0.5, after=False):
    q, k = _qk()
    attn_scores = q @ k.T * scale  # (6, 6)
    if after:
        return torch.softmax(attn_scores, dim=-1) * mask
    return torch.nan_to_num(torch.softmax(attn_scores.masked_fill(~mask, fill), dim=dim))


def _causal_weights() -> torch.Tensor:
    return _weights(causal_mask(6))


def _dropped(draw, keep_below: bool = False, scale: float = 1 / 0.8) -> torch.Tensor:
    gen = torch.Generator().manual_seed(123)
    drawn = draw(6, 6, generator=gen)
    keep = drawn < 0.2 if keep_below else drawn >= 0.2
    return _causal_weights() * keep * scale


both = causal_mask(6) & not_padding

WRONG = [
    Wrong("06.padded_weights", "~mask reversed", lambda: _weights(~both), "mask_reversed"),
    Wrong(
        "06.padded_weights",
        "zeroed after softmax",
        lambda: _weights(both, after=True),
        "not_renormalized",
    ),
    Wrong("06.padded_weights", "causal mask only", lambda: _weights(causal_mask(6)), "causal_only"),
    Wrong(
        "06.padded_weights",
        "masks combined with |",
        lambda: _weights(causal_mask(6) | not_padding),
        "masks_combined_with_or",
    ),
    Wrong(
        "06.padded_weights",
        "masked the padding queries",
        lambda: _weights(causal_mask(6) & not_padding[:, None]),
        "masked_queries",
    ),
    Wrong(
        "06.padded_weights",
        "filled with 0, not -inf",
        lambda: _weights(both, fill=0.0),
        "masked_with_zero",
    ),
    Wrong(
        "06.padded_weights",
        "softmax over dim=0",
        lambda: _weights(both, dim=0),
        "softmax_wrong_dim_queries",
    ),
    Wrong("06.padded_weights", "forgot 1/√d_k", lambda: _weights(both, scale=1.0), "unscaled"),
    Wrong("06.dropout_weights", "torch.randn", lambda: _dropped(torch.randn), "randn_not_rand"),
    Wrong(
        "06.dropout_weights",
        "kept with probability p",
        lambda: _dropped(torch.rand, keep_below=True),
        "kept_with_p",
    ),
    Wrong(
        "06.dropout_weights",
        "scaled by 1 − p",
        lambda: _dropped(torch.rand, scale=0.8),
        "scaled_by_1_minus_p",
    ),
    Wrong(
        "06.dropout_weights",
        "not rescaled",
        lambda: _dropped(torch.rand, scale=1.0),
        "not_rescaled",
    ),
    Wrong(
        "06.rows_changed",
        'only the row of "Your"',
        lambda: torch.tensor([1, 0, 0, 0, 0, 0]).bool(),
        "only_own_row",
    ),
    Wrong(
        "06.rows_changed",
        "only the last row, as in section 4",
        lambda: torch.tensor([0, 0, 0, 0, 0, 1]).bool(),
        "only_last_row",
    ),
    Wrong(
        "06.rows_changed",
        "every row but its own",
        lambda: torch.tensor([0, 1, 1, 1, 1, 1]).bool(),
        "not_its_own_row",
    ),
    Wrong("06.rows_changed", "nothing", lambda: torch.zeros(6).bool(), "nothing_changed"),
]
