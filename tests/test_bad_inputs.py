"""The bad-input audit: every public function, given what a learner might type by mistake.

One row per mistake. Each must raise TypeError or ValueError from attention_lab itself (never a
traceback from deep inside torch, never a silent NaN), with a message that names the function,
the argument, what was expected and what was got: the ``match`` pattern of each row says which
words carry that.
"""

from __future__ import annotations

import math
from pathlib import Path

import ipywidgets
import matplotlib
import pytest
import torch

import attention_lab
from attention_lab import plots, widgets
from attention_lab.data import JOURNEY_TOKENS, cat_sat_embeddings, journey_embeddings
from attention_lab.device import describe_environment, to_cpu
from attention_lab.exercises import check, diagnose
from attention_lab.functional import (
    attention,
    causal_mask,
    dot_scores_loop,
    softmax_naive,
    softmax_stable,
)
from attention_lab.layers import MultiHeadAttention, SelfAttention, SelfAttentionParams
from attention_lab.tiled import attention_tiled

matplotlib.use("Agg")

PACKAGE = Path(attention_lab.__file__).resolve().parent

X = journey_embeddings()  # (6, 3)
Q = torch.ones(2, 4, 3)  # (B, T_q, d_k)
K = torch.ones(2, 5, 3)  # (B, T_k, d_k)
V = torch.ones(2, 5, 2)  # (B, T_k, d_v)
NAN = torch.tensor([[1.0, math.nan, 0.0]] * 5)
INF = torch.tensor([[1.0, math.inf, 0.0]] * 5)
TOKENS = list(JOURNEY_TOKENS)
W = torch.softmax(X @ X.T, dim=-1)  # (6, 6) attention weights to draw
# Scores that overflow float32 to -inf: q kᵀ = -2e40 for both keys, so each key's exact
# weight is 1/2; read as "masked", they would silently give no weight at all.
Q_BIG, K_BIG_NEG = torch.tensor([[1e20, 1e20]]), torch.full((2, 2), -1e20)
# The same two keys and a third, finite one that the mask hides: the keys left all overflow.
K_BIG_NEG_AND_ONE = torch.cat([K_BIG_NEG, torch.ones(1, 2)])


def seeded(make):
    torch.manual_seed(0)
    return make()


def case(id: str, call, error: type[Exception], message: str):
    return pytest.param(call, error, message, id=id)


CASES = [
    # --- dot_scores_loop(query (d,), inputs (n, d)) ---------------------------------------------
    case(
        "dot_scores_loop-query-is-a-list",
        lambda: dot_scores_loop([0.43, 0.15, 0.89], X),
        TypeError,
        r"dot_scores_loop: query must be a torch\.Tensor, got list \(wrap it with torch\.tensor",
    ),
    case(
        "dot_scores_loop-query-wrong-rank",
        lambda: dot_scores_loop(X[:2], X),
        ValueError,
        r"dot_scores_loop: query must be 1-d, got shape \(2, 3\) \(2-d\)",
    ),
    case(
        "dot_scores_loop-inputs-wrong-rank",
        lambda: dot_scores_loop(X[1], X[1]),
        ValueError,
        r"dot_scores_loop: inputs must be 2-d, got shape \(3\) \(1-d\)",
    ),
    case(
        "dot_scores_loop-feature-sizes-differ",
        lambda: dot_scores_loop(X[1], X[:, :2]),
        ValueError,
        r"dot_scores_loop: inputs must have 3 features to match query \(3\), got \(6, 2\)",
    ),
    case(
        "dot_scores_loop-integer-dtype",
        lambda: dot_scores_loop(torch.tensor([1, 2, 3]), X),
        TypeError,
        r"dot_scores_loop: query must have a floating-point dtype .* got torch\.int64",
    ),
    case(
        "dot_scores_loop-mixed-dtypes",
        lambda: dot_scores_loop(X[1].double(), X),
        TypeError,
        r"dot_scores_loop: inputs has dtype torch\.float32 but query has torch\.float64; "
        r"expected one dtype",
    ),
    case(
        "dot_scores_loop-empty-inputs",
        lambda: dot_scores_loop(X[1], X[:0]),
        ValueError,
        r"dot_scores_loop: inputs must not be empty, got shape \(0, 3\)",
    ),
    case(
        "dot_scores_loop-nan-in-inputs",
        lambda: dot_scores_loop(X[1], NAN),
        ValueError,
        r"dot_scores_loop: inputs contains NaN; expected finite values",
    ),
    # --- softmax_naive / softmax_stable(x, dim) ---------------------------------------------------
    case(
        "softmax_naive-list",
        lambda: softmax_naive([1.0, 2.0, 3.0]),
        TypeError,
        r"softmax_naive: x must be a torch\.Tensor, got list",
    ),
    case(
        "softmax_naive-integer-dtype",
        lambda: softmax_naive(torch.tensor([1, 2, 3])),
        TypeError,
        r"softmax_naive: x must have a floating-point dtype .* got torch\.int64; convert it "
        r"with \.float\(\)",
    ),
    case(
        "softmax_naive-nan",
        lambda: softmax_naive(torch.tensor([1.0, math.nan])),
        ValueError,
        r"softmax_naive: x contains NaN; expected finite values",
    ),
    case(
        "softmax_naive-neg-inf",
        lambda: softmax_naive(torch.tensor([1.0, -math.inf])),
        ValueError,
        r"softmax_naive: x contains inf; expected finite values",
    ),
    case(
        "softmax_naive-empty",
        lambda: softmax_naive(torch.tensor([])),
        ValueError,
        r"softmax_naive: x must not be empty, got shape \(0\)",
    ),
    case(
        "softmax_naive-dim-out-of-range",
        lambda: softmax_naive(X, dim=2),
        ValueError,
        r"softmax_naive: dim must be in \[-2, 1\] for an input of shape \(6, 3\), got 2",
    ),
    case(
        "softmax_stable-dim-is-a-float",
        lambda: softmax_stable(X, dim=1.0),
        TypeError,
        r"softmax_stable: dim must be an int, got float",
    ),
    case(
        "softmax_stable-pos-inf",
        lambda: softmax_stable(torch.tensor([1.0, math.inf])),
        ValueError,
        r"softmax_stable: x contains inf; expected finite values or -inf",
    ),
    case(
        "softmax_stable-bool-tensor",
        lambda: softmax_stable(torch.tensor([True, False])),
        TypeError,
        r"softmax_stable: x must have a floating-point dtype .* got torch\.bool",
    ),
    case(
        "softmax_stable-numpy-array",
        lambda: softmax_stable(X.numpy()),
        TypeError,
        r"softmax_stable: x must be a torch\.Tensor, got ndarray",
    ),
    # --- causal_mask(T, device) -------------------------------------------------------------------
    case(
        "causal_mask-zero",
        lambda: causal_mask(0),
        ValueError,
        r"causal_mask: T must be a positive int, got 0",
    ),
    case(
        "causal_mask-fractional",
        lambda: causal_mask(2.5),
        TypeError,
        r"causal_mask: T must be a positive int, got 2\.5",
    ),
    case(
        "causal_mask-bool",
        lambda: causal_mask(True),
        TypeError,
        r"causal_mask: T must be a positive int, got True",
    ),
    case(
        "causal_mask-string",
        lambda: causal_mask("6"),
        TypeError,
        r"causal_mask: T must be a positive int, got '6'",
    ),
    case(
        "causal_mask-unknown-device",
        lambda: causal_mask(3, device="gpu"),
        ValueError,
        r"causal_mask: device must name a device such as 'cpu', 'cuda' or 'mps', got 'gpu'",
    ),
    case(
        "causal_mask-missing-device",
        lambda: causal_mask(3, device="cuda:99"),
        ValueError,
        r"causal_mask: device must be available on this machine, got 'cuda:99'",
    ),
    # --- attention(q, k, v, mask, scale, *, causal, dropout_p, generator) ----------------------
    case(
        "attention-q-is-a-list",
        lambda: attention(X.tolist(), X, X),
        TypeError,
        r"attention: q must be a torch\.Tensor, got list \(wrap it with torch\.tensor",
    ),
    case(
        "attention-q-wrong-rank",
        lambda: attention(X[0], X, X),
        ValueError,
        r"attention: q must have at least 2 dimensions, got shape \(3\)",
    ),
    case(
        "attention-feature-sizes-differ",
        lambda: attention(Q, K[..., :2], V),
        ValueError,
        r"attention: q and k must share the feature size d_k, got q \(2, 4, 3\) and "
        r"k \(2, 5, 2\)",
    ),
    case(
        "attention-sequence-lengths-differ",
        lambda: attention(Q, K, V[:, :4]),
        ValueError,
        r"attention: k and v must have the same sequence length T_k, got k \(2, 5, 3\) and "
        r"v \(2, 4, 2\)",
    ),
    case(
        "attention-batches-do-not-broadcast",
        lambda: attention(Q, torch.ones(3, 5, 3), torch.ones(3, 5, 2)),
        ValueError,
        r"attention: the batch dimensions of q \(2, 4, 3\), k \(3, 5, 3\) and v \(3, 5, 2\) "
        r"do not broadcast",
    ),
    case(
        "attention-integer-dtype",
        lambda: attention(Q, K, V.long()),
        TypeError,
        r"attention: v must have a floating-point dtype .* got torch\.int64",
    ),
    case(
        "attention-mixed-dtypes",
        lambda: attention(Q, K.double(), V),
        TypeError,
        r"attention: k has dtype torch\.float64 but q has torch\.float32; expected one dtype",
    ),
    case(
        "attention-empty-sequence",
        lambda: attention(Q, K[:, :0], V[:, :0]),
        ValueError,
        r"attention: k must not be empty, got shape \(2, 0, 3\)",
    ),
    case(
        "attention-nan-in-k",
        lambda: attention(X[:5], NAN, X[:5]),
        ValueError,
        r"attention: k contains NaN; expected finite values",
    ),
    case(
        "attention-inf-in-v",
        lambda: attention(X[:5], X[:5], INF),
        ValueError,
        r"attention: v contains inf; expected finite values",
    ),
    case(
        "attention-float-01-mask",
        lambda: attention(X, X, X, mask=torch.ones(6, 6)),
        TypeError,
        r"attention: mask must have dtype torch\.bool, got torch\.float32; a 0/1 numeric mask "
        r"is a classic mistake: use mask\.bool\(\)",
    ),
    case(
        "attention-int-01-mask",
        lambda: attention(X, X, X, mask=torch.ones(6, 6, dtype=torch.long)),
        TypeError,
        r"attention: mask must have dtype torch\.bool, got torch\.int64; a 0/1 numeric mask "
        r"is a classic mistake",
    ),
    case(
        "attention-mask-wrong-shape",
        lambda: attention(Q, K, V, mask=torch.ones(4, 4, dtype=torch.bool)),
        ValueError,
        r"attention: mask of shape \(4, 4\) does not broadcast to the scores' shape "
        r"\(2, 4, 5\)",
    ),
    case(
        "attention-mask-is-a-list",
        lambda: attention(X, X, X, mask=[[True] * 6] * 6),
        TypeError,
        r"attention: mask must be a bool torch\.Tensor or None, got list",
    ),
    case(
        "attention-scale-zero",
        lambda: attention(X, X, X, scale=0.0),
        ValueError,
        r"attention: scale must be a positive, finite number, got 0\.0",
    ),
    case(
        "attention-scale-nan",
        lambda: attention(X, X, X, scale=math.nan),
        ValueError,
        r"attention: scale must be a positive, finite number, got nan",
    ),
    case(
        "attention-scale-is-a-string",
        lambda: attention(X, X, X, scale="1/sqrt(d_k)"),
        TypeError,
        r"attention: scale must be a positive number or None, got '1/sqrt\(d_k\)'",
    ),
    case(
        "attention-huge-scale-overflows",
        lambda: attention(X, X, X, scale=1e300),
        ValueError,
        r"attention: the scores q kᵀ · scale overflowed torch\.float32 .* scale 1e\+300\); "
        r"expected finite scores: .* a wider dtype such as float64",
    ),
    case(
        "attention-huge-inputs-overflow",
        lambda: attention(X * 1e30, X * 1e30, X),
        ValueError,
        r"attention: the scores q kᵀ · scale overflowed torch\.float32 \(largest \|q\| 8\.9e\+29, "
        r"largest \|k\| 8\.9e\+29",
    ),
    case(
        "attention-float16-overflows",
        lambda: attention(X.half() * 300, X.half() * 300, X.half()),
        ValueError,
        r"attention: the scores q kᵀ · scale overflowed torch\.float16 .* or a wider dtype "
        r"such as float32",
    ),
    case(
        "attention-causal-not-a-bool",
        lambda: attention(X, X, X, causal="yes"),
        TypeError,
        r"attention: causal must be True or False, got 'yes'",
    ),
    case(
        "attention-dropout-one",
        lambda: attention(X, X, X, dropout_p=1.0),
        ValueError,
        r"attention: dropout_p must be in \[0, 1\), got 1\.0",
    ),
    case(
        "attention-dropout-negative",
        lambda: attention(X, X, X, dropout_p=-0.1),
        ValueError,
        r"attention: dropout_p must be in \[0, 1\), got -0\.1",
    ),
    case(
        "attention-dropout-is-a-string",
        lambda: attention(X, X, X, dropout_p="0.1"),
        TypeError,
        r"attention: dropout_p must be a float in \[0, 1\), got '0\.1'",
    ),
    case(
        "attention-generator-is-a-seed",
        lambda: attention(X, X, X, dropout_p=0.5, generator=123),
        TypeError,
        r"attention: generator must be a torch\.Generator or None, got int",
    ),
    # --- SelfAttentionParams / SelfAttention: constructors ------------------------------------
    case(
        "SelfAttentionParams-negative-d_in",
        lambda: SelfAttentionParams(-1, 2),
        ValueError,
        r"SelfAttentionParams: d_in must be a positive int, got -1",
    ),
    case(
        "SelfAttentionParams-fractional-d_out",
        lambda: SelfAttentionParams(3, 1.5),
        TypeError,
        r"SelfAttentionParams: d_out must be a positive int, got 1\.5",
    ),
    case(
        "SelfAttention-zero-d_in",
        lambda: SelfAttention(0, 2),
        ValueError,
        r"SelfAttention: d_in must be a positive int, got 0",
    ),
    case(
        "SelfAttention-tensor-d_out",
        lambda: SelfAttention(3, torch.tensor(2)),
        TypeError,
        r"SelfAttention: d_out must be a positive int, got tensor\(2\)",
    ),
    case(
        "SelfAttention-dropout-one",
        lambda: SelfAttention(3, 2, dropout=1.0),
        ValueError,
        r"SelfAttention: dropout must be in \[0, 1\), got 1\.0",
    ),
    case(
        "SelfAttention-dropout-percent",
        lambda: SelfAttention(3, 2, dropout=10),
        ValueError,
        r"SelfAttention: dropout must be in \[0, 1\), got 10",
    ),
    case(
        "SelfAttention-qkv_bias-not-a-bool",
        lambda: SelfAttention(3, 2, qkv_bias="no"),
        TypeError,
        r"SelfAttention: qkv_bias must be True or False, got 'no'",
    ),
    case(
        "SelfAttention-causal-not-a-bool",
        lambda: SelfAttention(3, 2, causal=1),
        TypeError,
        r"SelfAttention: causal must be True or False, got 1",
    ),
    # --- SelfAttentionParams / SelfAttention: forward -----------------------------------------
    case(
        "SelfAttention-x-wrong-features",
        lambda: seeded(lambda: SelfAttention(3, 2))(X[:, :2]),
        ValueError,
        r"SelfAttention: x must end in d_in=3 features, got shape \(6, 2\)",
    ),
    case(
        "SelfAttention-x-wrong-rank",
        lambda: seeded(lambda: SelfAttention(3, 2))(X[0]),
        ValueError,
        r"SelfAttention: x must have at least 2 dimensions, got shape \(3\)",
    ),
    case(
        "SelfAttention-x-float64-weights-float32",
        lambda: seeded(lambda: SelfAttention(3, 2))(X.double()),
        TypeError,
        r"SelfAttention: x is torch\.float64 on cpu but the weights are torch\.float32 on cpu; "
        r"expected both alike",
    ),
    case(
        "SelfAttention-x-is-a-list",
        lambda: seeded(lambda: SelfAttention(3, 2))(X.tolist()),
        TypeError,
        r"SelfAttention: x must be a torch\.Tensor, got list",
    ),
    case(
        "SelfAttention-x-empty-sequence",
        lambda: seeded(lambda: SelfAttention(3, 2))(torch.ones(1, 0, 3)),
        ValueError,
        r"SelfAttention: x must not be empty, got shape \(1, 0, 3\)",
    ),
    case(
        "SelfAttention-x-huge-overflows",
        lambda: seeded(lambda: SelfAttention(3, 2))(X * 1e30),
        ValueError,
        r"attention: the scores q kᵀ · scale overflowed torch\.float32",
    ),
    case(
        "SelfAttentionParams-x-integer",
        lambda: seeded(lambda: SelfAttentionParams(3, 2))(torch.ones(6, 3, dtype=torch.long)),
        TypeError,
        r"SelfAttentionParams: x must have a floating-point dtype .* got torch\.int64",
    ),
    case(
        "SelfAttentionParams-x-nan",
        lambda: seeded(lambda: SelfAttentionParams(3, 2))(NAN),
        ValueError,
        r"SelfAttentionParams: x contains NaN; expected finite values",
    ),
    # --- data, device ------------------------------------------------------------------------
    case(
        "journey_embeddings-integer-dtype",
        lambda: journey_embeddings(dtype=torch.int64),
        ValueError,
        r"journey_embeddings: dtype must be one of float16, bfloat16, float32, float64 \(a "
        r"torch\.dtype or its name\), got torch\.int64",
    ),
    case(
        "journey_embeddings-dtype-is-an-unknown-name",
        lambda: journey_embeddings(dtype="float"),
        ValueError,
        r"journey_embeddings: dtype must be one of float16, .* got 'float'",
    ),
    case(
        "journey_embeddings-dtype-is-a-type",
        lambda: journey_embeddings(dtype=float),
        TypeError,
        r"journey_embeddings: dtype must be one of float16, .* got <class 'float'>",
    ),
    case(
        "cat_sat_embeddings-unknown-device",
        lambda: cat_sat_embeddings(device="gpu"),
        ValueError,
        r"cat_sat_embeddings: device must name a device such as 'cpu', 'cuda' or 'mps', "
        r"got 'gpu'",
    ),
    case(
        "cat_sat_embeddings-device-is-a-number",
        lambda: cat_sat_embeddings(device=1.5),
        TypeError,
        r"cat_sat_embeddings: device must be a torch\.device, a name such as 'cpu', or None, "
        r"got float",
    ),
    case(
        "to_cpu-list",
        lambda: to_cpu([1.0, 2.0]),
        TypeError,
        r"to_cpu: t must be a torch\.Tensor, got list",
    ),
    case(
        "describe_environment-missing-device",
        lambda: describe_environment("cuda:99"),
        ValueError,
        r"describe_environment: device must be available on this machine, got 'cuda:99'",
    ),
    # --- MultiHeadAttention ----------------------------------------------------------------
    case(
        "MultiHeadAttention-n_heads-does-not-divide-d_out",
        lambda: MultiHeadAttention(4, 6, 4),
        ValueError,
        r"MultiHeadAttention: n_heads must divide d_out .* got d_out=6 and n_heads=4",
    ),
    case(
        "MultiHeadAttention-zero-heads",
        lambda: MultiHeadAttention(4, 4, 0),
        ValueError,
        r"MultiHeadAttention: n_heads must be a positive int, got 0",
    ),
    case(
        "MultiHeadAttention-fractional-heads",
        lambda: MultiHeadAttention(4, 4, 1.5),
        TypeError,
        r"MultiHeadAttention: n_heads must be a positive int, got 1\.5",
    ),
    case(
        "MultiHeadAttention-dropout-one",
        lambda: MultiHeadAttention(4, 4, 2, dropout=1.0),
        ValueError,
        r"MultiHeadAttention: dropout must be in \[0, 1\), got 1\.0",
    ),
    case(
        "MultiHeadAttention-causal-not-a-bool",
        lambda: MultiHeadAttention(4, 4, 2, causal="y"),
        TypeError,
        r"MultiHeadAttention: causal must be True or False, got 'y'",
    ),
    case(
        "MultiHeadAttention-x-wrong-features",
        lambda: seeded(lambda: MultiHeadAttention(4, 4, 2))(torch.ones(3, 5)),
        ValueError,
        r"MultiHeadAttention: x must end in d_in=4 features, got shape \(3, 5\)",
    ),
    case(
        "MultiHeadAttention-x-wrong-rank",
        lambda: seeded(lambda: MultiHeadAttention(4, 4, 2))(torch.ones(4)),
        ValueError,
        r"MultiHeadAttention: x must have at least 2 dimensions, got shape \(4\)",
    ),
    case(
        "MultiHeadAttention-x-float64-weights-float32",
        lambda: seeded(lambda: MultiHeadAttention(4, 4, 2))(torch.ones(3, 4).double()),
        TypeError,
        r"MultiHeadAttention: x is torch\.float64 on cpu but the weights are torch\.float32",
    ),
    case(
        "MultiHeadAttention-return_weights-not-a-bool",
        lambda: seeded(lambda: MultiHeadAttention(4, 4, 2))(torch.ones(3, 4), return_weights="y"),
        TypeError,
        r"MultiHeadAttention: return_weights must be True or False, got 'y'",
    ),
    case(
        "MultiHeadAttention-x-huge-overflows",
        lambda: seeded(lambda: MultiHeadAttention(4, 4, 2))(torch.ones(3, 4) * 1e30),
        ValueError,
        r"attention: the scores q kᵀ · scale overflowed torch\.float32",
    ),
    # --- attention_tiled ---------------------------------------------------------------------
    case(
        "attention_tiled-q-is-a-list",
        lambda: attention_tiled(X.tolist(), X, X),
        TypeError,
        r"attention_tiled: q must be a torch\.Tensor, got list",
    ),
    case(
        "attention_tiled-feature-sizes-differ",
        lambda: attention_tiled(X, X[:, :2], X),
        ValueError,
        r"attention_tiled: q and k must share the feature size d_k, got q \(6, 3\) and "
        r"k \(6, 2\)",
    ),
    case(
        "attention_tiled-mixed-dtypes",
        lambda: attention_tiled(X, X.double(), X),
        TypeError,
        r"attention_tiled: k has dtype torch\.float64 but q has torch\.float32",
    ),
    case(
        "attention_tiled-empty-sequence",
        lambda: attention_tiled(X[:0], X, X),
        ValueError,
        r"attention_tiled: q must not be empty, got shape \(0, 3\)",
    ),
    case(
        "attention_tiled-float-01-mask",
        lambda: attention_tiled(X, X, X, mask=torch.ones(6, 6)),
        TypeError,
        r"attention_tiled: mask must have dtype torch\.bool, got torch\.float32; a 0/1 "
        r"numeric mask is a classic mistake",
    ),
    case(
        "attention_tiled-mask-wrong-shape",
        lambda: attention_tiled(X, X, X, mask=torch.ones(5, 6, dtype=torch.bool)),
        ValueError,
        r"attention_tiled: mask of shape \(5, 6\) does not broadcast to the scores' shape "
        r"\(6, 6\)",
    ),
    case(
        "attention_tiled-zero-block",
        lambda: attention_tiled(X, X, X, block_q=0),
        ValueError,
        r"attention_tiled: block_q must be a positive int, got 0",
    ),
    case(
        "attention_tiled-fractional-block",
        lambda: attention_tiled(X, X, X, block_k=1.5),
        TypeError,
        r"attention_tiled: block_k must be a positive int, got 1\.5",
    ),
    case(
        "attention_tiled-causal-not-a-bool",
        lambda: attention_tiled(X, X, X, causal=1),
        TypeError,
        r"attention_tiled: causal must be True or False, got 1",
    ),
    case(
        "attention_tiled-huge-inputs-overflow",
        lambda: attention_tiled(X * 1e30, X * 1e30, X),
        ValueError,
        r"attention_tiled: the scores q kᵀ · scale overflowed torch\.float32 .* expected "
        r"finite scores",
    ),
    case(
        "attention_tiled-scores-overflow-to-minus-inf",
        lambda: attention_tiled(Q_BIG, K_BIG_NEG, torch.eye(2)),
        ValueError,
        r"attention_tiled: the scores q kᵀ · scale overflowed",
    ),
    case(
        "attention_tiled-unmasked-scores-overflow-to-minus-inf",
        lambda: attention_tiled(
            Q_BIG, K_BIG_NEG_AND_ONE, torch.eye(3, 2), mask=torch.tensor([[True, True, False]])
        ),
        ValueError,
        r"attention_tiled: the scores q kᵀ · scale overflowed",
    ),
    case(
        "attention-unmasked-scores-overflow-to-minus-inf",
        lambda: attention(
            Q_BIG, K_BIG_NEG_AND_ONE, torch.eye(3, 2), mask=torch.tensor([[True, True, False]])
        ),
        ValueError,
        r"attention: the scores q kᵀ · scale overflowed",
    ),
    case(
        "attention-scores-overflow-to-minus-inf",
        lambda: attention(Q_BIG, K_BIG_NEG, torch.eye(2)),
        ValueError,
        r"attention: the scores q kᵀ · scale overflowed torch\.float32",
    ),
    # --- plots -------------------------------------------------------------------------------
    case(
        "plot_attention_weights-list",
        lambda: plots.plot_attention_weights(W.tolist(), TOKENS),
        TypeError,
        r"plot_attention_weights: attn_weights must be a torch\.Tensor, got list",
    ),
    case(
        "plot_attention_weights-wrong-rank",
        lambda: plots.plot_attention_weights(W[0], TOKENS),
        ValueError,
        r"plot_attention_weights: attn_weights must be 2-d, got shape \(6\) \(1-d\)",
    ),
    case(
        "plot_attention_weights-too-few-tokens",
        lambda: plots.plot_attention_weights(W, TOKENS[:5]),
        ValueError,
        r"plot_attention_weights: query_tokens has 5 tokens, expected 6",
    ),
    case(
        "plot_attention_weights-tokens-is-a-string",
        lambda: plots.plot_attention_weights(W, "abcdef"),
        TypeError,
        r"plot_attention_weights: query_tokens must be a sequence of strings, got str",
    ),
    case(
        "plot_attention_weights-nan",
        lambda: plots.plot_attention_weights(W * math.nan, TOKENS),
        ValueError,
        r"plot_attention_weights: attn_weights contains NaN; expected finite values",
    ),
    case(
        "plot_attention_weights-ax-is-a-string",
        lambda: plots.plot_attention_weights(W, TOKENS, ax="left"),
        TypeError,
        r"plot_attention_weights: ax must be a matplotlib Axes or None, got str",
    ),
    case(
        "plot_attention_weights-fmt-is-not-a-format",
        lambda: plots.plot_attention_weights(W, TOKENS, fmt=2),
        TypeError,
        r"plot_attention_weights: fmt must be a format string with one field for a number, such as '\{:\.2f\}', got 2",
    ),
    case(
        "plot_attention_scores-pos-inf",
        lambda: plots.plot_attention_scores(torch.full((6, 6), math.inf), TOKENS),
        ValueError,
        r"plot_attention_scores: attn_scores contains inf; expected finite values or -inf",
    ),
    case(
        "plot_bars-list-of-tensors",
        lambda: plots.plot_bars([W[0]], TOKENS),
        TypeError,
        r"plot_bars: values must be a non-empty mapping of name -> tensor, got \[tensor",
    ),
    case(
        "plot_bars-too-many-series",
        lambda: plots.plot_bars({str(i): W[0] for i in range(5)}, TOKENS),
        ValueError,
        r"plot_bars: at most 4 series, got 5",
    ),
    case(
        "plot_bars-integer-series",
        lambda: plots.plot_bars({"a": torch.ones(6, dtype=torch.long)}, TOKENS),
        TypeError,
        r"plot_bars: values\['a'\] must have a floating-point dtype \(float16, bfloat16, "
        r"float32 or float64\), got torch\.int64; convert it with \.float\(\)",
    ),
    case(
        "plot_scores_and_weights-shapes-differ",
        lambda: plots.plot_scores_and_weights(W[0], W[0, :5], TOKENS),
        ValueError,
        r"plot_scores_and_weights: attn_scores \(6\) and attn_weights \(5\) must have the "
        r"same shape",
    ),
    case(
        "plot_scores_and_weights-query-out-of-range",
        lambda: plots.plot_scores_and_weights(W[0], W[0], TOKENS, query=9),
        ValueError,
        r"plot_scores_and_weights: query must be in \[0, 5\], got 9",
    ),
    case(
        "plot_vectors-four-features",
        lambda: plots.plot_vectors(torch.ones(6, 4), TOKENS),
        ValueError,
        r"plot_vectors: x must have 2 or 3 features per token to draw, got \(6, 4\)",
    ),
    case(
        "plot_vectors-limits-reversed",
        lambda: plots.plot_vectors(X, TOKENS, limits=(1.0, 0.0)),
        ValueError,
        r"plot_vectors: limits must be \(low, high\) with low < high, got \(1\.0, 0\.0\)",
    ),
    case(
        "plot_vectors-limits-is-a-string",
        lambda: plots.plot_vectors(X, TOKENS, limits="ab"),
        TypeError,
        r"plot_vectors: limits must be \(low, high\) .* got 'ab'",
    ),
    case(
        "plot_vectors-context-wrong-size",
        lambda: plots.plot_vectors(X, TOKENS, context=torch.ones(2)),
        ValueError,
        r"plot_vectors: context must have shape \(3\) to match x, got \(2\)",
    ),
    case(
        "plot_softmax_curves-scale_range-from-zero",
        lambda: plots.plot_softmax_curves(W[0], TOKENS, scale_range=(0, 10)),
        ValueError,
        r"plot_softmax_curves: scale_range must be \(low, high\) with 0 < low < high, "
        r"got \(0, 10\)",
    ),
    case(
        "plot_softmax_curves-scale_range-one-number",
        lambda: plots.plot_softmax_curves(W[0], TOKENS, scale_range=(1.0,)),
        ValueError,
        r"plot_softmax_curves: scale_range must be \(low, high\) .* got \(1\.0,\)",
    ),
    case(
        "plot_score_spread-empty",
        lambda: plots.plot_score_spread(torch.tensor([]), W[0]),
        ValueError,
        r"plot_score_spread: attn_scores must not be empty, got shape \(0\)",
    ),
    case(
        "plot_score_spread-zero-bins",
        lambda: plots.plot_score_spread(W[0], W[0], bins=0),
        ValueError,
        r"plot_score_spread: bins must be a positive int, got 0",
    ),
    case(
        "convex_hull_2d-list",
        lambda: plots.convex_hull_2d([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]]),
        TypeError,
        r"convex_hull_2d: points must be a torch\.Tensor, got list",
    ),
    # --- widgets: the pure state functions and the explorers' arguments -------------------------
    case(
        "embedding_step-query-out-of-range",
        lambda: widgets.embedding_step(X, 9),
        ValueError,
        r"embedding_step: query must be a row index in \[0, 5\], got 9",
    ),
    case(
        "embedding_step-huge-x-overflows",
        lambda: widgets.embedding_step(X * 1e20, 1),
        ValueError,
        r"embedding_step: .*overflow",
    ),
    case(
        "softmax_step-zero-scale",
        lambda: widgets.softmax_step(W[0], 0, "float32"),
        ValueError,
        r"softmax_step: scale must be a positive, finite number, got 0",
    ),
    case(
        "softmax_step-integer-dtype",
        lambda: widgets.softmax_step(W[0], 1.0, torch.int32),
        ValueError,
        r"softmax_step: dtype must be one of \['float16', 'bfloat16', 'float32', 'float64'\], "
        r"got torch\.int32",
    ),
    case(
        "softmax_step-product-too-large-for-float16",
        lambda: widgets.softmax_step(W[0], 1e6, "float16"),
        ValueError,
        r"softmax_step: scale · ω reaches 2\.098e\+05, more than the largest float16",
    ),
    case(
        "softmax_step-scores-list",
        lambda: widgets.softmax_step([1.0, 2.0], 1.0, "float32"),
        TypeError,
        r"softmax_step: attn_scores must be a torch\.Tensor, got list",
    ),
    case(
        "weight_step-W_q-wrong-rows",
        lambda: widgets.weight_step(X, torch.ones(2, 2), torch.ones(2, 2)),
        ValueError,
        r"weight_step: W_q must have 3 rows \(d_in of x \(6, 3\)\), got \(2, 2\)",
    ),
    case(
        "weight_step-W_q-W_k-shapes-differ",
        lambda: widgets.weight_step(X, torch.ones(3, 2), torch.ones(3, 4)),
        ValueError,
        r"weight_step: W_q \(3, 2\) and W_k \(3, 4\) must have the same shape",
    ),
    case(
        "scaling_step-zero-d_k",
        lambda: widgets.scaling_step(0),
        ValueError,
        r"scaling_step: d_k must be a positive int, got 0",
    ),
    case(
        "scaling_step-fractional-d_k",
        lambda: widgets.scaling_step(2.5),
        TypeError,
        r"scaling_step: d_k must be a positive int, got 2\.5",
    ),
    case(
        "scaling_step-seed-is-a-string",
        lambda: widgets.scaling_step(4, seed="a"),
        TypeError,
        r"scaling_step: seed must be an int, got 'a'",
    ),
    case(
        "causal_step-dropout-one",
        lambda: widgets.causal_step(X, True, 1.0),
        ValueError,
        r"causal_step: dropout_p must be in \[0, 1\), got 1\.0",
    ),
    case(
        "causal_step-causal-not-a-bool",
        lambda: widgets.causal_step(X, "yes", 0.1),
        TypeError,
        r"causal_step: causal must be True or False, got 'yes'",
    ),
    case(
        "causal_step-x-wrong-rank",
        lambda: widgets.causal_step(X[None], True, 0.1),
        ValueError,
        r"causal_step: x must be 2-d, got shape \(1, 6, 3\) \(3-d\)",
    ),
    case(
        "exp_overflow_threshold-integer-dtype",
        lambda: widgets.exp_overflow_threshold("int8"),
        ValueError,
        r"exp_overflow_threshold: dtype must be one of .* got 'int8'",
    ),
    case(
        "embedding_explorer-tokens-and-rows-differ",
        lambda: widgets.embedding_explorer(TOKENS[:5], X),
        ValueError,
        r"embedding_explorer: tokens has 5 tokens, expected 6, one per row of x",
    ),
    case(
        "embedding_explorer-unknown-query",
        lambda: widgets.embedding_explorer(TOKENS, X, query="dog"),
        ValueError,
        r"embedding_explorer: query='dog' is not one of the tokens",
    ),
    case(
        "embedding_explorer-limits-reversed",
        lambda: widgets.embedding_explorer(TOKENS, X, limits=(1, 0)),
        ValueError,
        r"embedding_explorer: limits must be \(low, high\) with low < high, got \(1, 0\)",
    ),
    case(
        "softmax_explorer-scale-off-the-slider",
        lambda: widgets.softmax_explorer(scale=1e9),
        ValueError,
        r"softmax_explorer: scale must be a number in \[0\.01, 1000\.0\], got 1000000000\.0",
    ),
    case(
        "scaling_explorer-d_k-above-max",
        lambda: widgets.scaling_explorer(600),
        ValueError,
        r"scaling_explorer: d_k must be at most max_d_k=512, got 600",
    ),
    case(
        "causal_explorer-dropout-off-the-slider",
        lambda: widgets.causal_explorer(dropout_p=0.95),
        ValueError,
        r"causal_explorer: dropout_p must be at most 0\.9 \(the slider's end\), got 0\.95",
    ),
    case(
        "weight_explorer-W_q-wrong-rank",
        lambda: widgets.weight_explorer(W_q=torch.ones(2, 2, 2)),
        ValueError,
        r"weight_explorer: W_q must be 2-d, got shape \(2, 2, 2\) \(3-d\)",
    ),
    # --- exercises ---------------------------------------------------------------------------
    case(
        "check-unknown-exercise",
        lambda: check("02.softmx", torch.ones(6)),
        ValueError,
        r"check: unknown exercise '02\.softmx'; expected one of .*02\.softmax",
    ),
    case(
        "diagnose-exercise-id-is-a-number",
        lambda: diagnose(2, torch.ones(6)),
        ValueError,
        r"check: unknown exercise 2; expected one of",
    ),
]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt  # here, not at the top: importing the package must not need it

    plt.close("all")


@pytest.mark.parametrize(("call", "error", "message"), CASES)
def test_bad_input_gets_a_clear_error_from_attention_lab(call, error, message):
    with pytest.raises((TypeError, ValueError)) as excinfo:
        call()
    assert excinfo.type is error, f"expected {error.__name__}, got {excinfo.type.__name__}"
    assert excinfo.match(message)
    # Raised by a `raise` of our own checks, not by torch (whose C++ errors surface at the line
    # of ours that called it) after the damage is done.
    last = excinfo.traceback[-1]
    raised_in = Path(last.path).resolve()
    assert PACKAGE in raised_in.parents, f"raised in {raised_in}, not in attention_lab"
    assert "raise" in str(last.statement), f"not one of our raises: {last.statement}"


# --- explorers pushed to their extremes --------------------------------------------------------


def extremes(control: ipywidgets.Widget) -> list:
    """The values a learner can reach at the ends of a control: both ends, or every option."""
    if isinstance(control, ipywidgets.FloatLogSlider):
        return [control.base**control.min, control.base**control.max]
    if isinstance(control, ipywidgets.Checkbox):
        return [not control.value, control.value]
    if hasattr(control, "min") and hasattr(control, "max"):
        return [control.min, control.max]
    return [option[1] if isinstance(option, tuple) else option for option in control.options]


EXPLORERS = {
    **widgets.EXAMPLES,
    "embedding all-zero": lambda: widgets.embedding_explorer(TOKENS, torch.zeros(6, 3)),
    "weights all-zero": lambda: widgets.weight_explorer(
        W_q=torch.zeros(2, 2), W_k=torch.zeros(2, 2)
    ),
    "softmax huge scores": lambda: widgets.softmax_explorer(torch.tensor([1e4, -1e4, 0.0])),
}


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_explorers_at_their_extremes_show_a_message_or_a_figure(name):
    explorer = EXPLORERS[name]()  # a valid start: any error here fails the test
    moves = 0
    try:
        for control_name, control in explorer.controls.items():
            for value in extremes(control):
                control.value = value  # an exception escaping here would be a traceback
                moves += 1
                shown = explorer.message.value
                where = f"{name}: {control_name}={value!r}"
                if shown:
                    assert "Cannot update the figure" in shown, where
                    assert "Traceback" not in shown, where
                    assert "looks like a bug" not in shown, f"{where}: {shown}"
                else:
                    assert explorer.png.startswith(b"\x89PNG"), where
                    assert explorer.result is not None, where
    finally:
        explorer.close()
    assert moves >= 2


def test_the_audit_is_wide_enough():
    assert len(CASES) >= 40
    ids = [param.id for param in CASES]
    assert len(ids) == len(set(ids)), "two rows share an id"
