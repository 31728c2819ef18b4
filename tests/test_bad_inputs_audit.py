"""The wide bad-input audit: every public entry point × every argument × every kind of bad value.

tests/test_bad_inputs.py holds one hand-written row per mistake, with the exact words expected.
This file generates the cross product instead: each public function and explorer, each of its
tensor, number, size, seed, format and answer arguments, and every value a stranger might pass
there (the other dtypes, numpy scalars, 0-d tensors, meta tensors, integers too large for a
float or a seed, slider values past their ends, malformed format strings). Every case must end
in one of two ways:

- an answer: the call returns, with no NaN in what it returns; for ``diagnose``, never a wrong
  answer called correct;
- a clear error: a TypeError or ValueError raised by attention_lab itself, whose message starts
  with the function's name and names the argument.

Anything else (a raw error from torch, Python or matplotlib, a silent NaN, a wrong answer
accepted) fails the case.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import pytest
import torch

import attention_lab
from attention_lab import plots, widgets
from attention_lab.data import JOURNEY_TOKENS, cat_sat_embeddings, journey_embeddings
from attention_lab.device import to_cpu
from attention_lab.exercises import EXERCISES, diagnose
from attention_lab.functional import (
    attention,
    causal_mask,
    dot_scores_loop,
    softmax_naive,
    softmax_stable,
)
from attention_lab.kv_cache import KVCache, cache_bytes, sliding_window_mask
from attention_lab.layers import MultiHeadAttention, SelfAttention, SelfAttentionParams
from attention_lab.tiled import attention_tiled
from attention_lab.tiny_model import TinyTransformer, induction_score, previous_token_score

matplotlib.use("Agg")

PACKAGE = Path(attention_lab.__file__).resolve().parent
TOKENS = list(JOURNEY_TOKENS)
X = journey_embeddings()  # (6, 3)
W = torch.softmax(X @ X.T, dim=-1)  # (6, 6)
REPEATED = torch.tensor([3, 1, 4, 5, 3, 1, 4, 5])  # (8,): token ids, said twice
HEADS_W = widgets.heads_weights(3)  # the heads explorer's W_q, W_k, W_v for d_in = 3
TQ, TK, TV = widgets.tiles_example()  # (12, 4), (12, 4), (12, 3)
W_Q = torch.eye(3)[:, :2]  # (3, 2): a projection for x
EVEN = (torch.ones(8, 8).tril() / torch.arange(1, 9)[:, None]).expand(2, 2, 8, 8)  # (2, 2, 8, 8)


@dataclass(frozen=True)
class Case:
    category: str
    fn: str  # the name every error must start with
    arg: str  # the argument every error must name
    call: Callable[[], object]
    id: str
    may_be_correct: bool = False  # the value is the reference's in another dtype


def tensor_like(shape: tuple[int, ...], dtype: torch.dtype) -> torch.Tensor:
    """A tensor of ``shape`` in any dtype torch has, quantized and float4 included."""
    if dtype in (torch.qint8, torch.quint8, torch.qint32):
        return quantized(shape, dtype)
    if (dtype.is_floating_point and dtype.itemsize == 1) or "float4" in str(dtype):
        return torch.zeros(shape, dtype=torch.uint8).view(dtype)  # float8 / float4: raw bytes
    return torch.ones(shape, dtype=dtype)


def quantized(shape: tuple[int, ...], dtype: torch.dtype) -> torch.Tensor:
    # torch 2.13 deprecates making quantized tensors (a warning); a learner may still hold one.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return torch.quantize_per_tensor(torch.rand(shape), 0.1, 0, dtype)


OTHER_DTYPES = [
    torch.int8,
    torch.int16,
    torch.int32,
    torch.int64,
    torch.uint8,
    torch.uint16,
    torch.uint32,
    torch.uint64,
    torch.bool,
    torch.complex64,
    torch.complex128,
    *(getattr(torch, n) for n in ("float8_e4m3fn", "float8_e5m2") if hasattr(torch, n)),
    *(getattr(torch, n) for n in ("float8_e4m3fnuz", "float8_e5m2fnuz") if hasattr(torch, n)),
    *(getattr(torch, n) for n in ("float8_e8m0fnu", "float4_e2m1fn_x2") if hasattr(torch, n)),
    torch.qint8,
    torch.quint8,
    torch.qint32,
]


def bad_tensors(shape: tuple[int, ...]) -> list[tuple[str, Callable[[], torch.Tensor]]]:
    """Every tensor that is not a finite float tensor of this shape: other dtypes, meta, 0-d."""
    out = [
        (str(dt).removeprefix("torch."), lambda dt=dt: tensor_like(shape, dt))
        for dt in OTHER_DTYPES
    ]
    out += [
        ("meta", lambda: torch.ones(shape, device="meta")),
        ("0-d", lambda: torch.tensor(0.5)),
        ("numpy-array", lambda: np.ones(shape, dtype=np.float32)),
        ("numpy-scalar", lambda: np.float32(0.5)),
    ]
    return out


# Each entry: (function name in errors, argument, the shape a good value has, call(value)).
TENSOR_ARGS: list[tuple[str, str, tuple[int, ...], Callable[[object], object]]] = [
    ("attention", "q", (4, 3), lambda t: attention(t, X, X)),
    ("attention", "k", (6, 3), lambda t: attention(X, t, X)),
    ("attention", "v", (6, 3), lambda t: attention(X, X, t)),
    ("attention", "mask", (6, 6), lambda t: attention(X, X, X, mask=t)),
    ("attention_tiled", "q", (4, 3), lambda t: attention_tiled(t, X, X)),
    ("attention_tiled", "k", (6, 3), lambda t: attention_tiled(X, t, X)),
    ("attention_tiled", "v", (6, 3), lambda t: attention_tiled(X, X, t)),
    ("attention_tiled", "mask", (6, 6), lambda t: attention_tiled(X, X, X, mask=t)),
    ("softmax_naive", "x", (6,), lambda t: softmax_naive(t)),
    ("softmax_stable", "x", (6,), lambda t: softmax_stable(t)),
    ("dot_scores_loop", "query", (3,), lambda t: dot_scores_loop(t, X)),
    ("dot_scores_loop", "inputs", (6, 3), lambda t: dot_scores_loop(X[1], t)),
    ("SelfAttention", "x", (6, 3), lambda t: SelfAttention(3, 2)(t)),
    ("SelfAttentionParams", "x", (6, 3), lambda t: SelfAttentionParams(3, 2)(t)),
    ("MultiHeadAttention", "x", (2, 6, 3), lambda t: MultiHeadAttention(3, 4, 2)(t)),
    ("KVCache.append", "k", (2, 6, 3), lambda t: KVCache().append(t, torch.ones(2, 6, 3))),
    ("KVCache.append", "v", (2, 6, 3), lambda t: KVCache().append(torch.ones(2, 6, 3), t)),
    (
        "MultiHeadAttention",
        "context",
        (2, 5, 3),
        lambda t: MultiHeadAttention(3, 4, 2)(torch.ones(2, 6, 3), context=t),
    ),
    (
        "plot_attention_weights",
        "attn_weights",
        (6, 6),
        lambda t: plots.plot_attention_weights(t, TOKENS),
    ),
    (
        "plot_attention_scores",
        "attn_scores",
        (6, 6),
        lambda t: plots.plot_attention_scores(t, TOKENS),
    ),
    ("plot_vectors", "x", (6, 3), lambda t: plots.plot_vectors(t, TOKENS)),
    ("plot_vectors", "context", (3,), lambda t: plots.plot_vectors(X, TOKENS, context=t)),
    (
        "plot_scores_and_weights",
        "attn_scores",
        (6,),
        lambda t: plots.plot_scores_and_weights(t, W[1], TOKENS),
    ),
    (
        "plot_scores_and_weights",
        "attn_weights",
        (6,),
        lambda t: plots.plot_scores_and_weights(X @ X[1], t, TOKENS),
    ),
    (
        "plot_score_spread",
        "attn_scores",
        (32,),
        lambda t: plots.plot_score_spread(t, torch.ones(32)),
    ),
    (
        "plot_score_spread",
        "scaled_scores",
        (32,),
        lambda t: plots.plot_score_spread(torch.ones(32), t),
    ),
    ("plot_softmax_curves", "attn_scores", (6,), lambda t: plots.plot_softmax_curves(t, TOKENS)),
    ("plot_heatmaps", "matrices", (6, 6), lambda t: plots.plot_heatmaps([t], TOKENS)),
    ("plot_bars", "values", (6,), lambda t: plots.plot_bars({"score": t}, TOKENS)),
    ("embedding_step", "x", (6, 3), lambda t: widgets.embedding_step(t, 1)),
    ("embedding_explorer", "x", (6, 3), lambda t: widgets.embedding_explorer(TOKENS, t)),
    ("softmax_step", "attn_scores", (6,), lambda t: widgets.softmax_step(t, 1.0, "float32")),
    ("softmax_explorer", "attn_scores", (6,), lambda t: widgets.softmax_explorer(t, TOKENS)),
    ("weight_step", "x", (3, 2), lambda t: widgets.weight_step(t, torch.eye(2), torch.eye(2))),
    (
        "weight_step",
        "W_q",
        (2, 2),
        lambda t: widgets.weight_step(cat_sat_embeddings(), t, torch.eye(2)),
    ),
    (
        "weight_step",
        "W_k",
        (2, 2),
        lambda t: widgets.weight_step(cat_sat_embeddings(), torch.eye(2), t),
    ),
    ("weight_explorer", "W_q", (2, 2), lambda t: widgets.weight_explorer(W_q=t)),
    ("causal_step", "x", (6, 3), lambda t: widgets.causal_step(t, True, 0.0)),
    ("causal_explorer", "x", (6, 3), lambda t: widgets.causal_explorer(TOKENS, t)),
    ("padding_step", "x", (6, 3), lambda t: widgets.padding_step(t, 4, "right")),
    ("padding_explorer", "x", (6, 3), lambda t: widgets.padding_explorer(TOKENS, t)),
    ("to_cpu", "t", (6, 3), lambda t: to_cpu(t)),
    ("apply_rope", "x", (6, 4), lambda t: attention_lab.apply_rope(t)),
    ("apply_rope", "positions", (6,), lambda t: attention_lab.apply_rope(torch.ones(6, 4), t)),
    ("rope_step", "q", (8,), lambda t: widgets.rope_step(t, torch.ones(8), 1, 2)),
    ("rope_step", "k", (8,), lambda t: widgets.rope_step(torch.ones(8), t, 1, 2)),
    ("rope_explorer", "q", (8,), lambda t: widgets.rope_explorer(t)),
    ("plot_running_max", "x", (8,), lambda t: plots.plot_running_max(t, chunk=4)),
    (
        "plot_qkv_projection",
        "x",
        (6, 3),
        lambda t: plots.plot_qkv_projection(t, W_Q, W_Q, W_Q, TOKENS),
    ),
    (
        "plot_qkv_projection",
        "W_q",
        (3, 2),
        lambda t: plots.plot_qkv_projection(X, t, W_Q, W_Q, TOKENS),
    ),
    (
        "plot_qkv_projection",
        "W_k",
        (3, 2),
        lambda t: plots.plot_qkv_projection(X, W_Q, t, W_Q, TOKENS),
    ),
    (
        "plot_qkv_projection",
        "W_v",
        (3, 2),
        lambda t: plots.plot_qkv_projection(X, W_Q, W_Q, t, TOKENS),
    ),
    (
        "plot_causal_masking",
        "attn_scores",
        (6, 6),
        lambda t: plots.plot_causal_masking(t, TOKENS),
    ),
    ("induction_score", "attn_weights", (8, 8), lambda t: induction_score(t, REPEATED)),
    ("previous_token_score", "attn_weights", (8, 8), lambda t: previous_token_score(t)),
    (
        "learned_step",
        "attn_weights",
        (2, 2, 8, 8),
        lambda t: widgets.learned_step(t, REPEATED, 0, 0),
    ),
    (
        "learned_explorer",
        "attn_weights",
        (2, 2, 8, 8),
        lambda t: widgets.learned_explorer(t, REPEATED),
    ),
    ("heads_step", "x", (6, 3), lambda t: widgets.heads_step(t, HEADS_W, 3, 1.0)),
    ("heads_explorer", "x", (6, 3), lambda t: widgets.heads_explorer(TOKENS, t)),
    ("tiles_step", "q", (12, 4), lambda t: widgets.tiles_step(t, TK, TV, query_block=0, steps=1)),
    ("tiles_step", "k", (12, 4), lambda t: widgets.tiles_step(TQ, t, TV, query_block=0, steps=1)),
    ("tiles_step", "v", (12, 3), lambda t: widgets.tiles_step(TQ, TK, t, query_block=0, steps=1)),
    ("tiles_explorer", "q", (12, 4), lambda t: widgets.tiles_explorer(t, TK, TV)),
]

HUGE = 10**400  # too large for a float
SEED_TOO_BIG = 2**64  # too large for a 64-bit seed


def number_values(low: float, high: float, *, integral: bool) -> list[tuple[str, object]]:
    """Values for a number argument: past both ends of its range, odd types, odd magnitudes."""
    values = [
        ("below-range", low - 1 if integral else low - abs(low) - 1.0),
        ("above-range", high + 1 if integral else high * 1e6 + 1.0),
        ("huge-int", HUGE),
        ("minus-huge-int", -HUGE),
        ("nan", math.nan),
        ("inf", math.inf),
        ("bool", True),
        ("string", "1"),
        ("none", None),
        ("list", [1]),
        ("numpy-int", np.int64(int(low) + 1 if integral else 1)),
        ("numpy-float", np.float32((low + high) / 2 if math.isfinite(high) else 1.0)),
        ("numpy-nan", np.float64("nan")),
        ("0-d-tensor", torch.tensor(int(low) + 1 if integral else 0.5)),
        ("1-d-tensor", torch.tensor([1.0])),
        ("complex", 1 + 1j),
    ]
    if integral:
        values.append(("float-for-int", float(low) + 0.5))
    return values


INF_ = math.inf
# (function, argument, low, high, integral, call(value)): every number, size, index and seed.
NUMBER_ARGS: list[tuple[str, str, float, float, bool, Callable[[object], object]]] = [
    ("attention", "scale", 1e-3, 1e3, False, lambda s: attention(X, X, X, scale=s)),
    ("attention", "dropout_p", 0.0, 0.99, False, lambda p: attention(X, X, X, dropout_p=p)),
    ("attention_tiled", "scale", 1e-3, 1e3, False, lambda s: attention_tiled(X, X, X, scale=s)),
    ("attention_tiled", "block_q", 1, 2**20, True, lambda b: attention_tiled(X, X, X, block_q=b)),
    ("attention_tiled", "block_k", 1, 2**20, True, lambda b: attention_tiled(X, X, X, block_k=b)),
    (
        "attention_tiled",
        "dropout_p",
        0.0,
        0.0,
        False,
        lambda p: attention_tiled(X, X, X, dropout_p=p),
    ),
    ("softmax_naive", "dim", -1, 0, True, lambda d: softmax_naive(X[1], dim=d)),
    ("softmax_stable", "dim", -1, 0, True, lambda d: softmax_stable(X[1], dim=d)),
    ("causal_mask", "T", 1, 2**12, True, lambda T: causal_mask(T)),
    ("padding_step", "length", 1, 6, True, lambda n: widgets.padding_step(X, n, "left")),
    ("padding_mask", "T", 1, 2**12, True, lambda T: widgets.padding_mask(1, T, "right")),
    ("SelfAttention", "d_in", 1, 64, True, lambda d: SelfAttention(d, 2)),
    ("SelfAttention", "d_out", 1, 64, True, lambda d: SelfAttention(3, d)),
    ("SelfAttention", "dropout", 0.0, 0.99, False, lambda p: SelfAttention(3, 2, dropout=p)),
    ("SelfAttentionParams", "d_in", 1, 64, True, lambda d: SelfAttentionParams(d, 2)),
    ("MultiHeadAttention", "n_heads", 1, 4, True, lambda h: MultiHeadAttention(3, 4, h)),
    ("MultiHeadAttention", "d_out", 2, 64, True, lambda d: MultiHeadAttention(3, d, 2)),
    ("MultiHeadAttention", "dropout", 0.0, 0.99, False, lambda p: MultiHeadAttention(3, 4, 2, p)),
    (
        "MultiHeadAttention",
        "n_kv_heads",
        1,
        2,
        True,
        lambda g: MultiHeadAttention(3, 4, 2, n_kv_heads=g),
    ),
    ("sliding_window_mask", "T", 1, 2**12, True, lambda T: sliding_window_mask(T, 2)),
    ("sliding_window_mask", "window", 1, 2**12, True, lambda w: sliding_window_mask(6, w)),
    (
        "sliding_window_mask",
        "n_sink",
        0,
        2**12,
        True,
        lambda s: sliding_window_mask(6, 2, n_sink=s),
    ),
    ("cache_bytes", "T", 1, 2**40, True, lambda T: cache_bytes(1, 1, 1, T)),
    ("cache_bytes", "d_head", 1, 2**12, True, lambda d: cache_bytes(1, 1, d, 8)),
    ("gqa_step", "n_kv_heads", 1, 32, True, lambda g: widgets.gqa_step(g, 1024)),
    ("gqa_step", "T", 1, 2**20, True, lambda T: widgets.gqa_step(8, T)),
    ("gqa_explorer", "n_kv_heads", 1, 32, True, lambda g: widgets.gqa_explorer(g)),
    (
        "plot_score_spread",
        "bins",
        1,
        200,
        True,
        lambda b: plots.plot_score_spread(W.flatten(), W.flatten(), bins=b),
    ),
    (
        "plot_softmax_curves",
        "scale",
        0.01,
        100.0,
        False,
        lambda s: plots.plot_softmax_curves(X[1] @ X.T, TOKENS, scale=s),
    ),
    ("plot_vectors", "query", 0, 5, True, lambda i: plots.plot_vectors(X, TOKENS, query=i)),
    (
        "plot_scores_and_weights",
        "query",
        0,
        5,
        True,
        lambda i: plots.plot_scores_and_weights(X @ X[1], W[1], TOKENS, query=i),
    ),
    ("plot_heatmaps", "ncols", 1, 4, True, lambda n: plots.plot_heatmaps([W, W], TOKENS, ncols=n)),
    ("embedding_step", "query", 0, 5, True, lambda i: widgets.embedding_step(X, i)),
    (
        "softmax_step",
        "scale",
        0.01,
        100.0,
        False,
        lambda s: widgets.softmax_step(X[1] @ X.T, s, "float32"),
    ),
    ("softmax_explorer", "scale", 0.01, 100.0, False, lambda s: widgets.softmax_explorer(scale=s)),
    ("scaling_step", "d_k", 1, 4096, True, lambda d: widgets.scaling_step(d)),
    ("scaling_step", "n_queries", 1, 4096, True, lambda n: widgets.scaling_step(8, n_queries=n)),
    ("scaling_step", "n_keys", 1, 512, True, lambda n: widgets.scaling_step(8, n_keys=n)),
    ("scaling_step", "seed", -(2**63), 2**64 - 1, True, lambda s: widgets.scaling_step(8, seed=s)),
    ("scaling_explorer", "d_k", 1, 512, True, lambda d: widgets.scaling_explorer(d)),
    ("TinyTransformer", "vocab_size", 1, 64, True, lambda n: TinyTransformer(n, 8)),
    ("TinyTransformer", "context_length", 1, 64, True, lambda n: TinyTransformer(10, n)),
    ("TinyTransformer", "n_layers", 1, 4, True, lambda n: TinyTransformer(10, 8, n_layers=n)),
    ("learned_step", "layer", 0, 1, True, lambda i: widgets.learned_step(EVEN, REPEATED, i, 0)),
    (
        "learned_explorer",
        "head",
        0,
        1,
        True,
        lambda h: widgets.learned_explorer(EVEN, REPEATED, head=h),
    ),
    ("causal_step", "dropout_p", 0.0, 0.99, False, lambda p: widgets.causal_step(X, True, p)),
    (
        "causal_step",
        "seed",
        -(2**63),
        2**64 - 1,
        True,
        lambda s: widgets.causal_step(X, True, 0.5, seed=s),
    ),
    (
        "causal_explorer",
        "seed",
        -(2**63),
        2**64 - 1,
        True,
        lambda s: widgets.causal_explorer(seed=s),
    ),
    (
        "causal_explorer",
        "dropout_p",
        0.0,
        0.9,
        False,
        lambda p: widgets.causal_explorer(dropout_p=p),
    ),
    ("plot_running_max", "chunk", 1, 12, True, lambda c: plots.plot_running_max(X[1].repeat(4), c)),
    (
        "sinusoidal_positions",
        "T",
        1,
        2**12,
        True,
        lambda T: attention_lab.sinusoidal_positions(T, 4),
    ),
    ("sinusoidal_positions", "d", 1, 512, True, lambda d: attention_lab.sinusoidal_positions(6, d)),
    ("apply_rope", "base", 2.0, 1e6, False, lambda b: attention_lab.apply_rope(X[:, :2], base=b)),
    ("rope_permutation", "d", 2, 512, True, lambda d: attention_lab.rope_permutation(d)),
    (
        "rope_step",
        "m",
        0,
        15,
        True,
        lambda m: widgets.rope_step(torch.ones(8), torch.ones(8), m, 0),
    ),
    (
        "rope_step",
        "n",
        0,
        15,
        True,
        lambda n: widgets.rope_step(torch.ones(8), torch.ones(8), 0, n),
    ),
    ("rope_explorer", "m", 0, 15, True, lambda m: widgets.rope_explorer(m=m)),
    ("tile_plan", "n_blocks", 1, 64, True, lambda n: plots.tile_plan(n, causal=True)),
    ("heads_step", "n_heads", 1, 6, True, lambda h: widgets.heads_step(X, HEADS_W, h, 1.0)),
    ("heads_step", "scale", 0.0, 4.0, False, lambda s: widgets.heads_step(X, HEADS_W, 3, s)),
    ("heads_explorer", "n_heads", 1, 6, True, lambda h: widgets.heads_explorer(n_heads=h)),
    ("heads_explorer", "scale", 0.0, 4.0, False, lambda s: widgets.heads_explorer(scale=s)),
    (
        "heads_explorer",
        "seed",
        -(2**63),
        2**64 - 1,
        True,
        lambda s: widgets.heads_explorer(seed=s),
    ),
    ("cost_step", "n", 1, 2**16, True, lambda n: widgets.cost_step(n, 64)),
    ("cost_step", "d", 1, 2**10, True, lambda d: widgets.cost_step(1024, d)),
    ("cost_explorer", "n", 16, 2**16, True, lambda n: widgets.cost_explorer(n)),
    ("cost_explorer", "d", 16, 2**10, True, lambda d: widgets.cost_explorer(1024, d)),
    (
        "tiles_step",
        "query_block",
        0,
        2,
        True,
        lambda i: widgets.tiles_step(TQ, TK, TV, query_block=i, steps=0),
    ),
    (
        "tiles_step",
        "steps",
        0,
        3,
        True,
        lambda n: widgets.tiles_step(TQ, TK, TV, query_block=2, steps=n),
    ),
    (
        "tiles_step",
        "block",
        1,
        12,
        True,
        lambda b: widgets.tiles_step(TQ, TK, TV, query_block=0, steps=0, block=b),
    ),
    ("tiles_explorer", "query_block", 0, 2, True, lambda i: widgets.tiles_explorer(query_block=i)),
    ("tiles_explorer", "block", 1, 12, True, lambda b: widgets.tiles_explorer(block=b)),
    ("backward_step", "n", 1, 2**12, True, lambda n: widgets.backward_step(n, 2, 2, True, 0)),
    ("backward_step", "block_q", 1, 64, True, lambda b: widgets.backward_step(6, b, 2, True, 0)),
    ("backward_step", "block_k", 1, 64, True, lambda b: widgets.backward_step(6, 2, b, True, 0)),
    (
        "backward_step",
        "key_block",
        0,
        2,
        True,
        lambda j: widgets.backward_step(6, 2, 2, True, j),
    ),
    ("backward_explorer", "n", 1, 128, True, lambda n: widgets.backward_explorer(n)),
    (
        "backward_explorer",
        "key_block",
        0,
        2,
        True,
        lambda j: widgets.backward_explorer(key_block=j),
    ),
    ("programs_step", "n", 1, 2**12, True, lambda n: widgets.programs_step(n, 32, 32, True, 0)),
    ("programs_step", "program", 0, 3, True, lambda p: widgets.programs_step(100, 32, 32, True, p)),
    ("programs_explorer", "n", 1, 256, True, lambda n: widgets.programs_explorer(n)),
    ("programs_explorer", "program", 0, 3, True, lambda p: widgets.programs_explorer(program=p)),
    (
        "plot_qkv_projection",
        "highlight",
        0,
        5,
        True,
        lambda i: plots.plot_qkv_projection(X, W_Q, W_Q, W_Q, TOKENS, highlight=i),
    ),
    ("plot_head_split", "B", 1, 64, True, lambda b: plots.plot_head_split(b, 6, 4, 2)),
    ("plot_head_split", "T", 1, 64, True, lambda t: plots.plot_head_split(2, t, 4, 2)),
    ("plot_head_split", "d_out", 4, 4, True, lambda d: plots.plot_head_split(2, 6, d, 4)),
    ("plot_head_split", "n_heads", 1, 4, True, lambda h: plots.plot_head_split(2, 6, 4, h)),
    (
        "plot_tile_walk",
        "n",
        4,
        4,
        True,
        lambda n: plots.plot_tile_walk(n, 4, 3, block_q=4, block_k=4),
    ),
    (
        "plot_tile_walk",
        "d_k",
        1,
        512,
        True,
        lambda d: plots.plot_tile_walk(8, d, 3, block_q=4, block_k=4),
    ),
    (
        "plot_tile_walk",
        "d_v",
        1,
        512,
        True,
        lambda d: plots.plot_tile_walk(8, 4, d, block_q=4, block_k=4),
    ),
    (
        "plot_tile_walk",
        "block_q",
        1,
        8,
        True,
        lambda b: plots.plot_tile_walk(8, 4, 3, block_q=b, block_k=4),
    ),
    (
        "plot_tile_walk",
        "block_k",
        1,
        8,
        True,
        lambda b: plots.plot_tile_walk(8, 4, 3, block_q=4, block_k=b),
    ),
    ("diagnose", "atol", 0.0, 1.0, False, lambda a: diagnose("02.softmax", None, atol=a)),
]

BAD_FORMATS = [
    "{",
    "}",
    "{:q}",
    "{0}{1}",
    "{x}",
    "%d",
    "",
    "{:.2f} {:.2f}",
    "{0.real.imag.x}",
    3,
    None,
    b"{:.2f}",
]
FORMAT_ARGS: list[tuple[str, str, Callable[[object], object]]] = [
    ("plot_attention_weights", "fmt", lambda f: plots.plot_attention_weights(W, TOKENS, fmt=f)),
    ("plot_attention_scores", "fmt", lambda f: plots.plot_attention_scores(W, TOKENS, fmt=f)),
    ("plot_heatmaps", "fmt", lambda f: plots.plot_heatmaps([W], TOKENS, fmt=f)),
    ("plot_causal_masking", "fmt", lambda f: plots.plot_causal_masking(W, TOKENS, fmt=f)),
]

# Answers of every type for check(): none of them is the answer to any exercise.
ODD_ANSWERS: list[tuple[str, Callable[[], object]]] = [
    ("string", lambda: "0.5"),
    ("list-of-strings", lambda: ["0.1", "0.2"]),
    ("dict", lambda: {"answer": 1.0}),
    ("set", lambda: {1.0}),
    ("bytes", lambda: b"\x00"),
    ("object", lambda: object()),
    ("function", lambda: print),
    ("complex-number", lambda: 1 + 2j),
    ("bool", lambda: True),
    ("ragged-list", lambda: [[1.0, 2.0], [3.0]]),
    ("nested-list", lambda: [[[0.1] * 3] * 2]),
    ("numpy-array", lambda: np.full((5,), 0.3)),
    ("numpy-object-array", lambda: np.array([object()])),
    ("huge-int", lambda: HUGE),
    ("nan", lambda: math.nan),
    ("inf-tensor", lambda: torch.full((3,), math.inf)),
    ("meta-tensor", lambda: torch.ones(3, device="meta")),
    ("sparse-tensor", lambda: torch.eye(3).to_sparse()),
    ("quantized-tensor", lambda: quantized((3,), torch.qint8)),
    ("int-tensor", lambda: torch.arange(6)),
    ("bool-tensor", lambda: torch.ones(6, dtype=torch.bool)),
    ("requires-grad", lambda: torch.rand(6, requires_grad=True)),
    ("torch-size", lambda: torch.Size([6, 6])),
    ("generator", lambda: (x for x in range(3))),
]


def reference_variants(exercise_id: str) -> list[tuple[str, Callable[[], object]]]:
    """The reference answer disguised: complex with the right real part, bool, int, float8.

    A complex answer is never accepted; the others are accepted exactly when their values are
    the reference's (an integer count given as an int tensor is the answer).
    """
    ref = EXERCISES[exercise_id].reference
    return [
        ("complex-with-right-real-part", lambda: ref().to(torch.complex128) + 1j),
        ("complex-with-zero-imaginary-part", lambda: ref().to(torch.complex128)),
        ("the-reference-rounded-to-bool", lambda: ref() != 0),
        ("the-reference-in-float8", lambda: ref().to(torch.float8_e4m3fn)),
        ("the-reference-in-int", lambda: ref().round().long()),
    ]


def is_the_reference(make: Callable[[], object], reference: torch.Tensor) -> bool:
    """Whether an odd answer holds the reference's real values after all (then it is correct)."""
    value = make()
    if not isinstance(value, torch.Tensor) or value.is_complex() or value.is_meta:
        return False
    if value.is_quantized or value.is_sparse:
        return False
    value = value.detach().double()
    return value.shape == reference.shape and torch.allclose(value, reference, atol=1e-4)


def cases() -> list[Case]:
    found = []
    for fn, arg, shape, call in TENSOR_ARGS:
        for label, make in bad_tensors(shape):
            found.append(
                Case(
                    "tensor of another kind",
                    fn,
                    arg,
                    lambda c=call, m=make: c(m()),
                    f"{fn}-{arg}-{label}",
                )
            )
    for fn, arg, low, high, integral, call in NUMBER_ARGS:
        for label, value in number_values(low, high, integral=integral):
            category = "number past its range or of another kind"
            found.append(
                Case(category, fn, arg, lambda c=call, v=value: c(v), f"{fn}-{arg}-{label}")
            )
    for fn, arg, call in FORMAT_ARGS:
        for fmt in BAD_FORMATS:
            found.append(
                Case(
                    "malformed format string",
                    fn,
                    arg,
                    lambda c=call, f=fmt: c(f),
                    f"{fn}-{arg}-{fmt!r}",
                )
            )
    for exercise_id in EXERCISES:
        reference = EXERCISES[exercise_id].reference()
        answers = [*ODD_ANSWERS, *reference_variants(exercise_id)]
        for n, (label, make) in enumerate(answers):
            category = "check() answer " + (
                "of another type" if n < len(ODD_ANSWERS) else "in disguise"
            )
            found.append(
                Case(
                    category,
                    "diagnose",
                    "answer",
                    lambda e=exercise_id, m=make: diagnose(e, m()),
                    f"{exercise_id}-{label}",
                    may_be_correct=is_the_reference(make, reference),
                )
            )
    return found


CASES = cases()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt  # here, not at the top: importing the package must not need it

    plt.close("all")


def has_nan(result: object) -> bool:
    if isinstance(result, torch.Tensor):
        return bool(result.is_floating_point() and torch.isnan(result).any())
    if isinstance(result, tuple | list):
        return any(has_nan(r) for r in result)
    return False


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_ends_in_an_answer_or_a_clear_error(case):
    try:
        result = case.call()
    except (TypeError, ValueError) as error:
        message = str(error)
        assert message.startswith(f"{case.fn}:"), f"does not name {case.fn}: {message}"
        assert case.arg in message, f"does not name the argument {case.arg!r}: {message}"
        # Raised by attention_lab's own checks, not by torch, Python or matplotlib underneath.
        frame = error.__traceback__
        while frame.tb_next is not None:
            frame = frame.tb_next
        raised_in = Path(frame.tb_frame.f_code.co_filename).resolve()
        assert PACKAGE in raised_in.parents, f"raised in {raised_in}: {message}"
        return
    assert not has_nan(result), "a silent NaN"
    if case.fn == "diagnose":
        assert not (result.correct and not case.may_be_correct), (
            "a wrong answer accepted as correct"
        )
    if isinstance(result, widgets.Explorer):
        result.close()


def test_the_audit_covers_every_category_widely():
    sizes = Counter(case.category for case in CASES)
    print("audit size by category:", dict(sizes), "total", len(CASES))
    assert len(CASES) >= 1500
    assert min(sizes.values()) >= 30, sizes
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)), "two cases share an id"
