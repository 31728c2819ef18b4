"""Self-attention as torch modules: trainable projections W_q, W_k, W_v around ``attention``."""

from __future__ import annotations

import torch
from torch import nn

from ._checks import check_positive_int, check_probability, check_tensor, shape_text
from .functional import attention


def _check_inputs(fn: str, x: torch.Tensor, d_in: int, weight: torch.Tensor) -> None:
    check_tensor(fn, "x", x, min_ndim=2)
    if x.shape[-1] != d_in:
        raise ValueError(f"{fn}: x must end in d_in={d_in} features, got shape {shape_text(x)}")
    if x.dtype != weight.dtype or x.device != weight.device:
        raise TypeError(
            f"{fn}: x is {x.dtype} on {x.device} but the weights are {weight.dtype} on "
            f"{weight.device}; expected both alike (move the module with .to(x.device, x.dtype))"
        )


class SelfAttentionParams(nn.Module):
    """Self-attention with raw weight matrices: q = x @ W_query, and likewise k and v.

    The form of notebook 04: three ``nn.Parameter`` matrices drawn with ``torch.randn``
    in the order query, key, value, so ``torch.manual_seed(123)`` before construction reproduces
    its numbers. Scores are scaled by 1/√d_out, as in every step after the first.

    Shapes: x (..., T, d_in) -> context vectors (..., T, d_out)
    """

    def __init__(self, d_in: int, d_out: int):
        super().__init__()
        self.d_in = check_positive_int("SelfAttentionParams", "d_in", d_in)
        self.d_out = check_positive_int("SelfAttentionParams", "d_out", d_out)
        self.W_query = nn.Parameter(torch.randn(d_in, d_out))
        self.W_key = nn.Parameter(torch.randn(d_in, d_out))
        self.W_value = nn.Parameter(torch.randn(d_in, d_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_inputs("SelfAttentionParams", x, self.d_in, self.W_query)
        q = x @ self.W_query  # (..., T, d_out)
        k = x @ self.W_key  # (..., T, d_out)
        v = x @ self.W_value  # (..., T, d_out)
        out, _ = attention(q, k, v)
        return out


class SelfAttention(nn.Module):
    """Self-attention with ``nn.Linear`` projections W_q, W_k, W_v.

    ``nn.Linear`` stores its matrix transposed (d_out, d_in) and initialises it with a scale that
    suits training better than ``torch.randn``; otherwise this is ``SelfAttentionParams``.
    ``causal=True`` lets token i attend to tokens 0..i only; ``dropout`` drops attention weights
    while the module is in training mode.

    Shapes: x (..., T, d_in) -> context vectors (..., T, d_out);
            with ``return_weights=True`` also attn_weights (..., T, T)
    """

    def __init__(
        self,
        d_in: int,
        d_out: int,
        qkv_bias: bool = False,
        *,
        causal: bool = False,
        dropout: float = 0.0,
    ):
        super().__init__()
        fn = "SelfAttention"
        self.d_in = check_positive_int(fn, "d_in", d_in)
        self.d_out = check_positive_int(fn, "d_out", d_out)
        for name, flag in (("qkv_bias", qkv_bias), ("causal", causal)):
            if not isinstance(flag, bool):
                raise TypeError(f"{fn}: {name} must be True or False, got {flag!r}")
        self.causal = causal
        self.dropout = check_probability(fn, "dropout", dropout)
        self.W_q = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_k = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_v = nn.Linear(d_in, d_out, bias=qkv_bias)

    def forward(
        self, x: torch.Tensor, return_weights: bool = False
    ) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        _check_inputs("SelfAttention", x, self.d_in, self.W_q.weight)
        if not isinstance(return_weights, bool):
            raise TypeError(
                f"SelfAttention: return_weights must be True or False, got {return_weights!r}"
            )
        q, k, v = self.W_q(x), self.W_k(x), self.W_v(x)  # each (..., T, d_out)
        dropout_p = self.dropout if self.training else 0.0
        out, attn_weights = attention(q, k, v, causal=self.causal, dropout_p=dropout_p)
        return (out, attn_weights) if return_weights else out


class MultiHeadAttention(nn.Module):
    """Multi-head self-attention: n_heads attentions of width d_head = d_out / n_heads, side by side.

    One ``nn.Linear`` per projection computes every head's queries (keys, values) at once; the
    result is split into heads, each head attends on its own, and the heads' outputs are
    concatenated and mixed by the output projection W_o. ``causal=True`` lets token i attend to
    tokens 0..i only; ``dropout`` drops attention weights while the module is in training mode.
    W_o has a bias, as in ``torch.nn.MultiheadAttention``; ``qkv_bias`` is for W_q, W_k, W_v.

    Shapes: x (..., T, d_in) -> out (..., T, d_out);
            with ``return_weights=True`` also attn_weights (..., n_heads, T, T), one map per head
    """

    def __init__(
        self,
        d_in: int,
        d_out: int,
        n_heads: int,
        dropout: float = 0.0,
        qkv_bias: bool = False,
        causal: bool = False,
    ):
        super().__init__()
        fn = "MultiHeadAttention"
        self.d_in = check_positive_int(fn, "d_in", d_in)
        self.d_out = check_positive_int(fn, "d_out", d_out)
        self.n_heads = check_positive_int(fn, "n_heads", n_heads)
        if d_out % n_heads != 0:
            raise ValueError(
                f"{fn}: n_heads must divide d_out so every head gets d_out / n_heads features, "
                f"got d_out={d_out} and n_heads={n_heads}"
            )
        self.d_head = d_out // n_heads
        self.dropout = check_probability(fn, "dropout", dropout)
        for name, flag in (("qkv_bias", qkv_bias), ("causal", causal)):
            if not isinstance(flag, bool):
                raise TypeError(f"{fn}: {name} must be True or False, got {flag!r}")
        self.causal = causal
        self.W_q = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_k = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_v = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_o = nn.Linear(d_out, d_out)

    def forward(
        self, x: torch.Tensor, return_weights: bool = False
    ) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        fn = "MultiHeadAttention"
        _check_inputs(fn, x, self.d_in, self.W_q.weight)
        if not isinstance(return_weights, bool):
            raise TypeError(f"{fn}: return_weights must be True or False, got {return_weights!r}")
        heads = (self.n_heads, self.d_head)
        q = self.W_q(x).unflatten(-1, heads)  # (..., T, n_heads, d_head)
        k = self.W_k(x).unflatten(-1, heads)  # (..., T, n_heads, d_head)
        v = self.W_v(x).unflatten(-1, heads)  # (..., T, n_heads, d_head)
        # Heads become a batch dimension, so one call to attention serves every head at once.
        q = q.transpose(-3, -2)  # (..., n_heads, T, d_head)
        k = k.transpose(-3, -2)  # (..., n_heads, T, d_head)
        v = v.transpose(-3, -2)  # (..., n_heads, T, d_head)
        dropout_p = self.dropout if self.training else 0.0
        out, attn_weights = attention(q, k, v, causal=self.causal, dropout_p=dropout_p)
        out = out.transpose(-3, -2)  # (..., T, n_heads, d_head)
        out = out.flatten(-2)  # (..., T, d_out): the heads' outputs side by side
        out = self.W_o(out)  # (..., T, d_out)
        return (out, attn_weights) if return_weights else out
