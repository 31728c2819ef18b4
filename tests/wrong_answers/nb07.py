"""Wrong answers to notebook 07's exercises, as a learner would compute them."""

from __future__ import annotations

import torch

from attention_lab import SelfAttention, attention, journey_embeddings

from . import Wrong

x = journey_embeddings()
x_batch = torch.stack([x, x.flip(0)])  # (B, T, d_in) = (2, 6, 3)
B, T, n_heads, d_head = 2, 6, 2, 2


def _fused() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    torch.manual_seed(123)
    heads = [SelfAttention(3, d_head, causal=True) for _ in range(n_heads)]
    with torch.no_grad():
        return tuple(
            x_batch @ torch.cat([getattr(h, name).weight for h in heads]).T
            for name in ("W_q", "W_k", "W_v")
        )  # (B, T, d_out) each


def _attn_weights() -> torch.Tensor:
    q, k, v = (t.view(B, T, n_heads, d_head).transpose(1, 2) for t in _fused())
    return attention(q, k, v, causal=True)[1]  # (B, n_heads, T, T)


def _n_params(per_head: bool = False, qkv_bias: bool = False, out: str = "full") -> int:
    d = 768
    qkv = 3 * d * d * (12 if per_head else 1) + (3 * d if qkv_bias else 0)
    return qkv + {"full": d * d + d, "no_bias": d * d, "none": 0}[out]


WRONG = [
    Wrong(
        "07.split_heads",
        "view(B, T, h, d) without transpose",
        lambda: _fused()[0].view(B, T, n_heads, d_head),
        "missing_transpose",
    ),
    Wrong(
        "07.split_heads",
        "view(B, h, T, d) directly",
        lambda: _fused()[0].view(B, n_heads, T, d_head),
        "missing_transpose_heads_first",
    ),
    Wrong(
        "07.split_heads",
        "reshape(B, h, T, d)",
        lambda: _fused()[0].reshape(B, n_heads, T, d_head),
        "missing_transpose_heads_first",
    ),
    Wrong(
        "07.split_heads",
        "transposed the wrong pair",
        lambda: _fused()[0].view(B, T, n_heads, d_head).transpose(2, 3),
        None,
    ),
    Wrong(
        "07.split_heads",
        "the keys, not the queries",
        lambda: _fused()[1].view(B, T, n_heads, d_head).transpose(1, 2),
        None,
    ),
    Wrong(
        "07.averaged_weights",
        "averaged over the batch",
        lambda: _attn_weights().mean(dim=0),
        "mean_over_batch",
    ),
    Wrong(
        "07.averaged_weights",
        "summed the heads",
        lambda: _attn_weights().sum(dim=1),
        "summed_heads",
    ),
    Wrong(
        "07.averaged_weights",
        "the first head only",
        lambda: _attn_weights()[:, 0],
        "first_head_only",
    ),
    Wrong(
        "07.averaged_weights", "averaged over the keys", lambda: _attn_weights().mean(dim=-1), None
    ),
    Wrong("07.n_params", "forgot W_o's bias", lambda: _n_params(out="no_bias"), "no_out_bias"),
    Wrong("07.n_params", "forgot W_o", lambda: _n_params(out="none"), "no_out_projection"),
    Wrong(
        "07.n_params",
        "full matrices per head",
        lambda: _n_params(per_head=True),
        "full_size_per_head",
    ),
    Wrong(
        "07.n_params",
        "biases on W_q, W_k, W_v too",
        lambda: _n_params(qkv_bias=True),
        "qkv_bias_counted",
    ),
    Wrong("07.predict_more_heads", "twice the weights", lambda: _n_params(), "doubled"),
    Wrong(
        "07.predict_more_heads",
        "12 more heads of full size",
        lambda: 12 * 3 * 768 * 768,
        "per_head_matrices",
    ),
]
