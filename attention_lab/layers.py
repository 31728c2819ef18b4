"""Self-attention as torch modules: trainable projections W_q, W_k, W_v around ``attention``."""

from __future__ import annotations

import torch
from torch import nn

from ._checks import (
    broadcast_shape,
    check_bool,
    check_key_mask,
    check_positive_int,
    check_probability,
    check_tensor,
    fits_in_memory,
    shape_str,
)
from .functional import attention
from .kv_cache import KVCache


def _check_inputs(
    fn: str, x: torch.Tensor, d_in: int, weight: torch.Tensor, name: str = "x"
) -> None:
    check_tensor(fn, name, x, min_ndim=2)
    if x.shape[-1] != d_in:
        raise ValueError(f"{fn}: {name} must end in d_in={d_in} features, got shape {shape_str(x)}")
    if x.dtype != weight.dtype or x.device != weight.device:
        raise TypeError(
            f"{fn}: {name} is {x.dtype} on {x.device} but the weights are {weight.dtype} on "
            f"{weight.device}; expected both alike (move the module with .to({name}.device, "
            f"{name}.dtype))"
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
        fn = "SelfAttentionParams"
        self.d_in = check_positive_int(fn, "d_in", d_in)
        self.d_out = check_positive_int(fn, "d_out", d_out)
        with fits_in_memory(fn, f"three (d_in, d_out) = ({d_in}, {d_out}) weight matrices"):
            self.W_query = nn.Parameter(torch.randn(self.d_in, self.d_out))
            self.W_key = nn.Parameter(torch.randn(self.d_in, self.d_out))
            self.W_value = nn.Parameter(torch.randn(self.d_in, self.d_out))

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
        qkv_bias = check_bool(fn, "qkv_bias", qkv_bias)
        self.causal = check_bool(fn, "causal", causal)
        self.dropout = check_probability(fn, "dropout", dropout)
        with fits_in_memory(fn, f"three (d_out, d_in) = ({d_out}, {d_in}) weight matrices"):
            self.W_q = nn.Linear(self.d_in, self.d_out, bias=qkv_bias)
            self.W_k = nn.Linear(self.d_in, self.d_out, bias=qkv_bias)
            self.W_v = nn.Linear(self.d_in, self.d_out, bias=qkv_bias)

    def forward(
        self, x: torch.Tensor, return_weights: bool = False
    ) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        _check_inputs("SelfAttention", x, self.d_in, self.W_q.weight)
        check_bool("SelfAttention", "return_weights", return_weights)
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

    ``n_kv_heads`` (default n_heads) is how many heads keep their own keys and values: W_k and
    W_v project to n_kv_heads · d_head features, and each key/value head serves a group of
    n_heads / n_kv_heads query heads (grouped-query attention; n_kv_heads=1 is multi-query).
    ``forward(x, cache=KVCache())`` appends x's keys and values to the cache and attends over
    every cached token, so feeding a sequence token by token gives full causal attention.

    ``forward(x, context=c)`` is cross-attention: queries from x, keys and values from c, so
    T_q and T_k may differ. ``key_mask`` (bool, True = may attend, a real token) hides keys, such
    as the padding of a batch of sentences of different lengths; a query with no key left gets
    zero weights and the output W_o(0) = W_o's bias, never NaN. ``causal=True`` with a context
    of another length is an error: which keys are "the future" of a query is defined only when
    the two sequences are aligned, T_q = T_k, and then query i sees keys 0..i. A cache serves
    self-attention alone: with ``context`` or ``key_mask`` it is an error.

    Shapes: x (..., T, d_in) -> out (..., T, d_out);
            with ``return_weights=True`` also attn_weights (..., n_heads, T, T_k), one map per
            head, with T_k = T, or T_seen + T with a cache that held T_seen tokens;
            with context (..., T_k, d_in): out (..., T_q, d_out), attn_weights (..., n_heads,
            T_q, T_k); key_mask (..., T_k), its leading dims broadcast to the batch's
    """

    def __init__(
        self,
        d_in: int,
        d_out: int,
        n_heads: int,
        dropout: float = 0.0,
        qkv_bias: bool = False,
        causal: bool = False,
        *,
        n_kv_heads: int | None = None,
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
        self.n_kv_heads = (
            self.n_heads if n_kv_heads is None else _check_n_kv_heads(n_kv_heads, n_heads)
        )
        d_kv = self.n_kv_heads * self.d_head  # the keys' (and values') width, all heads together
        self.dropout = check_probability(fn, "dropout", dropout)
        qkv_bias = check_bool(fn, "qkv_bias", qkv_bias)
        self.causal = check_bool(fn, "causal", causal)
        with fits_in_memory(fn, f"four weight matrices with d_in={d_in} and d_out={d_out}"):
            self.W_q = nn.Linear(self.d_in, self.d_out, bias=qkv_bias)
            self.W_k = nn.Linear(self.d_in, d_kv, bias=qkv_bias)
            self.W_v = nn.Linear(self.d_in, d_kv, bias=qkv_bias)
            self.W_o = nn.Linear(self.d_out, self.d_out)

    def forward(
        self,
        x: torch.Tensor,
        return_weights: bool = False,
        *,
        context: torch.Tensor | None = None,
        key_mask: torch.Tensor | None = None,
        cache: KVCache | None = None,
    ) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        fn = "MultiHeadAttention"
        _check_inputs(fn, x, self.d_in, self.W_q.weight)
        check_bool(fn, "return_weights", return_weights)
        if cache is not None and not isinstance(cache, KVCache):
            raise TypeError(f"{fn}: cache must be a KVCache or None, got {type(cache).__name__}")
        if cache is not None and (context is not None or key_mask is not None):
            raise ValueError(
                f"{fn}: a cache holds the keys and values of x's own sequence; expected no "
                "context and no key_mask with it (use cache=None for cross-attention or padding)"
            )
        source = x if context is None else context  # where keys and values come from
        if context is not None:
            _check_inputs(fn, context, self.d_in, self.W_q.weight, name="context")
        mask = self._key_mask_for_heads(fn, x, source, key_mask)
        q = self.W_q(x).unflatten(-1, (self.n_heads, self.d_head))  # (..., T_q, n_heads, d_head)
        kv_heads = (self.n_kv_heads, self.d_head)
        k = self.W_k(source).unflatten(-1, kv_heads)  # (..., T_k, n_kv_heads, d_head)
        v = self.W_v(source).unflatten(-1, kv_heads)  # (..., T_k, n_kv_heads, d_head)
        # Heads become a batch dimension, so one call to attention serves every head at once.
        q = q.transpose(-3, -2)  # (..., n_heads, T_q, d_head)
        k = k.transpose(-3, -2)  # (..., n_kv_heads, T_k, d_head)
        v = v.transpose(-3, -2)  # (..., n_kv_heads, T_k, d_head)
        n_seen = 0
        if cache is not None:
            n_seen = len(cache)
            _check_cache_fits(fn, cache, k)
            k, v = cache.append(k, v)  # (..., n_kv_heads, n_seen + T, d_head)
        # Each key/value head serves n_heads / n_kv_heads neighbouring query heads.
        group = self.n_heads // self.n_kv_heads
        k = k.repeat_interleave(group, dim=-3)  # (..., n_heads, T_k, d_head)
        v = v.repeat_interleave(group, dim=-3)  # (..., n_heads, T_k, d_head)
        causal = self.causal
        if self.causal and n_seen > 0:
            # The new queries sit at positions n_seen.., so query i sees keys 0..n_seen + i.
            query = torch.arange(q.shape[-2], device=x.device)[:, None] + n_seen  # (T, 1)
            mask = torch.arange(k.shape[-2], device=x.device)[None, :] <= query  # (T, T_k)
            causal = False
        dropout_p = self.dropout if self.training else 0.0
        out, attn_weights = attention(q, k, v, mask, causal=causal, dropout_p=dropout_p)
        out = out.transpose(-3, -2)  # (..., T_q, n_heads, d_head)
        out = out.flatten(-2)  # (..., T_q, d_out): the heads' outputs side by side
        out = self.W_o(out)  # (..., T_q, d_out)
        return (out, attn_weights) if return_weights else out

    def _key_mask_for_heads(
        self, fn: str, x: torch.Tensor, source: torch.Tensor, key_mask: torch.Tensor | None
    ) -> torch.Tensor | None:
        """Check x against the key source and key_mask; return the mask as (..., 1, 1, T_k).

        The two new axes broadcast the mask over the heads and over the queries: a hidden key
        is hidden from every head and every query.
        """
        batch = broadcast_shape(x.shape[:-2], source.shape[:-2])
        if batch is None:
            raise ValueError(
                f"{fn}: the batch dimensions of x {shape_str(x)} and context "
                f"{shape_str(source)} do not broadcast; expected (..., T, d_in) with matching "
                "or size-1 leading dims"
            )
        T_q, T_k = x.shape[-2], source.shape[-2]
        if self.causal and T_q != T_k:
            raise ValueError(
                f"{fn}: causal=True needs a context as long as x (T_q = T_k), got T_q={T_q} and "
                f"T_k={T_k}; the causal mask orders one sequence, so use causal=False for "
                "cross-attention, or a key_mask"
            )
        if key_mask is None:
            return None
        check_key_mask(fn, key_mask, batch, T_k, x.device)
        return key_mask.unsqueeze(-2).unsqueeze(-3)  # (..., 1, 1, T_k)


def _check_n_kv_heads(n_kv_heads: object, n_heads: int) -> int:
    fn = "MultiHeadAttention"
    n_kv_heads = check_positive_int(fn, "n_kv_heads", n_kv_heads)
    if n_heads % n_kv_heads != 0:
        raise ValueError(
            f"{fn}: n_kv_heads must divide n_heads so each key/value head serves the same number "
            f"of query heads, got n_heads={n_heads} and n_kv_heads={n_kv_heads}"
        )
    return n_kv_heads


def _check_cache_fits(fn: str, cache: KVCache, k: torch.Tensor) -> None:
    """The cache holds keys of this module's shape, dtype and device (or nothing yet)."""
    if cache.keys is None:
        return
    if cache.keys.shape[:-2] != k.shape[:-2] or cache.keys.shape[-1] != k.shape[-1]:
        raise ValueError(
            f"{fn}: cache holds keys of shape {shape_str(cache.keys)} but x gives keys of shape "
            f"{shape_str(k)} (..., n_kv_heads, T, d_head); expected the same leading dims, "
            "n_kv_heads and d_head (use a new KVCache for another batch or module)"
        )
    if cache.keys.dtype != k.dtype or cache.keys.device != k.device:
        raise TypeError(
            f"{fn}: cache holds {cache.keys.dtype} keys on {cache.keys.device} but x gives "
            f"{k.dtype} on {k.device}; expected both alike (use a new KVCache)"
        )
