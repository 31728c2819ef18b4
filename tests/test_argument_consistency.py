"""An argument accepted in several places is checked by one rule: the same error everywhere.

For every kind of argument (a scale, a mask, a switch, a size, a dtype, ...) each public function
that takes it is listed with how to pass it a value. Every bad value must then give the same
exception type and the same message, once the function's own name and the argument's name are
set aside: "attention: causal must be True or False, got 1" and "SelfAttention: qkv_bias must be
True or False, got 1" have the same shape.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch

import attention_lab
from attention_lab.data import cat_sat_embeddings, journey_embeddings
from attention_lab.device import describe_environment
from attention_lab.functional import (
    attention,
    causal_mask,
    dot_scores_loop,
    softmax_naive,
    softmax_stable,
)
from attention_lab.kv_cache import cache_bytes, sliding_window_mask
from attention_lab.layers import MultiHeadAttention, SelfAttention, SelfAttentionParams
from attention_lab.plots import plot_head_split, plot_tile_walk
from attention_lab.tiled import attention_tiled
from attention_lab.triton_attention import attention_triton

PACKAGE = Path(attention_lab.__file__).resolve().parent
X = journey_embeddings()  # (6, 3)


class Site:
    """One place that takes the argument: the function's name, the argument's, and a call."""

    def __init__(self, fn: str, arg: str, call: Callable[[object], object]):
        self.fn, self.arg, self.call = fn, arg, call

    def __repr__(self) -> str:
        return f"{self.fn}({self.arg}=...)"


def _seeded(make):
    torch.manual_seed(0)
    return make()


SITES: dict[str, list[Site]] = {
    "scale": [
        Site("attention", "scale", lambda b: attention(X, X, X, scale=b)),
        Site("attention_tiled", "scale", lambda b: attention_tiled(X, X, X, scale=b)),
        Site("attention_triton", "scale", lambda b: attention_triton(X, X, X, scale=b)),
    ],
    "mask": [
        Site("attention", "mask", lambda b: attention(X, X, X, mask=b)),
        Site("attention_tiled", "mask", lambda b: attention_tiled(X, X, X, mask=b)),
    ],
    "switch": [
        Site("attention", "causal", lambda b: attention(X, X, X, causal=b)),
        Site("attention_tiled", "causal", lambda b: attention_tiled(X, X, X, causal=b)),
        Site("attention_triton", "causal", lambda b: attention_triton(X, X, X, causal=b)),
        Site("SelfAttention", "causal", lambda b: SelfAttention(3, 2, causal=b)),
        Site("SelfAttention", "qkv_bias", lambda b: SelfAttention(3, 2, qkv_bias=b)),
        Site(
            "SelfAttention",
            "return_weights",
            lambda b: _seeded(lambda: SelfAttention(3, 2))(X, return_weights=b),
        ),
        Site("MultiHeadAttention", "causal", lambda b: MultiHeadAttention(3, 4, 2, causal=b)),
        Site("MultiHeadAttention", "qkv_bias", lambda b: MultiHeadAttention(3, 4, 2, qkv_bias=b)),
        Site(
            "MultiHeadAttention",
            "return_weights",
            lambda b: _seeded(lambda: MultiHeadAttention(3, 4, 2))(X, return_weights=b),
        ),
    ],
    "probability": [
        Site("attention", "dropout_p", lambda b: attention(X, X, X, dropout_p=b)),
        Site("SelfAttention", "dropout", lambda b: SelfAttention(3, 2, dropout=b)),
        Site("MultiHeadAttention", "dropout", lambda b: MultiHeadAttention(3, 4, 2, dropout=b)),
    ],
    "size": [
        Site("causal_mask", "T", lambda b: causal_mask(b)),
        Site("SelfAttentionParams", "d_in", lambda b: SelfAttentionParams(b, 2)),
        Site("SelfAttentionParams", "d_out", lambda b: SelfAttentionParams(3, b)),
        Site("SelfAttention", "d_in", lambda b: SelfAttention(b, 2)),
        Site("SelfAttention", "d_out", lambda b: SelfAttention(3, b)),
        Site("MultiHeadAttention", "d_in", lambda b: MultiHeadAttention(b, 4, 2)),
        Site("MultiHeadAttention", "d_out", lambda b: MultiHeadAttention(3, b, 2)),
        Site("MultiHeadAttention", "n_heads", lambda b: MultiHeadAttention(3, 4, b)),
        Site("sliding_window_mask", "T", lambda b: sliding_window_mask(b, 2)),
        Site("sliding_window_mask", "window", lambda b: sliding_window_mask(4, b)),
        Site("cache_bytes", "T", lambda b: cache_bytes(1, 1, 1, b)),
        Site("attention_tiled", "block_q", lambda b: attention_tiled(X, X, X, block_q=b)),
        Site("attention_tiled", "block_k", lambda b: attention_tiled(X, X, X, block_k=b)),
        Site("attention_triton", "block_m", lambda b: attention_triton(X, X, X, block_m=b)),
        Site("attention_triton", "block_n", lambda b: attention_triton(X, X, X, block_n=b)),
        Site("plot_head_split", "T", lambda b: plot_head_split(2, b, 4, 2)),
        Site("plot_head_split", "n_heads", lambda b: plot_head_split(2, 6, 4, b)),
        Site("plot_tile_walk", "d_k", lambda b: plot_tile_walk(8, b, 3, block_q=4, block_k=4)),
        Site("plot_tile_walk", "block_k", lambda b: plot_tile_walk(8, 4, 3, block_q=4, block_k=b)),
    ],
    "dtype": [
        Site("journey_embeddings", "dtype", lambda b: journey_embeddings(dtype=b)),
        Site("cat_sat_embeddings", "dtype", lambda b: cat_sat_embeddings(dtype=b)),
    ],
    "device": [
        Site("causal_mask", "device", lambda b: causal_mask(3, device=b)),
        Site("journey_embeddings", "device", lambda b: journey_embeddings(device=b)),
        Site("cat_sat_embeddings", "device", lambda b: cat_sat_embeddings(device=b)),
        Site("describe_environment", "device", lambda b: describe_environment(b)),
    ],
    "dim": [
        Site("softmax_naive", "dim", lambda b: softmax_naive(X, dim=b)),
        Site("softmax_stable", "dim", lambda b: softmax_stable(X, dim=b)),
    ],
}

# Tensors: each site says the shape it wants, so a bad value differs from a good one only in the
# one way being tested (a dtype, a meta tensor, NaN), not in its rank.
TENSOR_SITES: list[tuple[Site, tuple[int, ...]]] = [
    (Site("dot_scores_loop", "query", lambda b: dot_scores_loop(b, X)), (3,)),
    (Site("dot_scores_loop", "inputs", lambda b: dot_scores_loop(X[1], b)), (6, 3)),
    (Site("softmax_naive", "x", lambda b: softmax_naive(b)), (6, 3)),
    (Site("softmax_stable", "x", lambda b: softmax_stable(b)), (6, 3)),
    (Site("attention", "q", lambda b: attention(b, X, X)), (6, 3)),
    (Site("attention", "k", lambda b: attention(X, b, X)), (6, 3)),
    (Site("attention", "v", lambda b: attention(X, X, b)), (6, 3)),
    (Site("attention_tiled", "q", lambda b: attention_tiled(b, X, X)), (6, 3)),
    (Site("attention_tiled", "v", lambda b: attention_tiled(X, X, b)), (6, 3)),
    (Site("attention_triton", "q", lambda b: attention_triton(b, X, X)), (6, 3)),
    (Site("attention_triton", "v", lambda b: attention_triton(X, X, b)), (6, 3)),
    (
        Site("SelfAttentionParams", "x", lambda b: _seeded(lambda: SelfAttentionParams(3, 2))(b)),
        (6, 3),
    ),
    (Site("SelfAttention", "x", lambda b: _seeded(lambda: SelfAttention(3, 2))(b)), (6, 3)),
    (
        Site("MultiHeadAttention", "x", lambda b: _seeded(lambda: MultiHeadAttention(3, 4, 2))(b)),
        (6, 3),
    ),
]

BAD_TENSORS: dict[str, Callable[[tuple[int, ...]], object]] = {
    "list": lambda shape: torch.ones(shape).tolist(),
    "int64": lambda shape: torch.ones(shape, dtype=torch.int64),
    "uint8": lambda shape: torch.ones(shape, dtype=torch.uint8),
    "bool": lambda shape: torch.ones(shape, dtype=torch.bool),
    "complex64": lambda shape: torch.ones(shape, dtype=torch.complex64),
    "float8": lambda shape: torch.ones(shape).to(torch.float8_e4m3fn),
    "meta": lambda shape: torch.ones(shape, device="meta"),
    "nan": lambda shape: torch.full(shape, math.nan),
    "empty": lambda shape: torch.ones((0, *shape[1:])),
    "0-d": lambda shape: torch.tensor(1.0),
}

BAD_VALUES: dict[str, list[object]] = {
    "scale": ["2", True, 0, -1.0, math.inf, math.nan, 10**400, torch.tensor(0.5), 1j, [1.0]],
    "mask": [
        1.0,
        [[True]],
        torch.ones(6, 6),
        torch.ones(6, 6, dtype=torch.int64),
        torch.ones(6, 6, dtype=torch.complex64),
        torch.ones(5, 6, dtype=torch.bool),
        torch.ones(6, 6, dtype=torch.bool, device="meta"),
    ],
    "switch": [1, 0, "yes", None, np.True_, torch.tensor(True)],
    "probability": [1.0, -0.1, "0.1", True, math.nan, 10**400, torch.tensor(0.1), None],
    "size": [0, -1, 2.0, "3", True, None, 2**64, np.float64(2.0), torch.tensor(3)],
    "dtype": [
        torch.int64,
        torch.bool,
        torch.complex64,
        torch.float8_e4m3fn,
        "int8",
        "float",
        32,
        float,
        None,
    ],
    "device": [3, "gpu0", "cuda:99", "meta", torch.device("cuda", 99)],
    "dim": [1.5, "0", 5, -5, True, None, np.float32(0)],
}


def _raised(site: Site, value: object) -> tuple[type, str]:
    """The exception type and the message shape that ``value`` gets at ``site``."""
    with pytest.raises((TypeError, ValueError)) as excinfo:
        site.call(value)
    raised_in = Path(excinfo.traceback[-1].path).resolve()
    assert PACKAGE in raised_in.parents, f"{site}: raised in {raised_in}, not attention_lab"
    message = str(excinfo.value)
    prefix = re.compile(rf"{re.escape(site.fn)}: {re.escape(site.arg)}\b")
    assert prefix.match(message), f"{site}: the message does not start with its names: {message}"
    return excinfo.type, prefix.sub("<fn>: <arg>", message, count=1)


KIND_CASES = [
    pytest.param(kind, value, id=f"{kind}-{value!r}"[:60])
    for kind, values in BAD_VALUES.items()
    for value in values
]


@pytest.mark.parametrize(("kind", "value"), KIND_CASES)
def test_the_same_bad_argument_gets_the_same_error_everywhere(kind, value):
    sites = SITES[kind]
    assert len(sites) >= 2, f"{kind}: a rule shared by fewer than two functions needs no test"
    answers = {repr(site): _raised(site, value) for site in sites}
    assert len(set(answers.values())) == 1, answers


@pytest.mark.parametrize("bad", list(BAD_TENSORS))
def test_the_same_bad_tensor_gets_the_same_error_everywhere(bad):
    answers = {}
    for site, shape in TENSOR_SITES:
        kind, message = _raised(site, BAD_TENSORS[bad](shape))
        # The message names the shape that came, which differs from site to site.
        answers[repr(site)] = kind, re.sub(r"\((\d+(, )?)*\)", "(...)", message)
    if bad == "0-d":  # each site names the rank it expects
        assert {kind for kind, _ in answers.values()} == {ValueError}, answers
        return
    assert len(set(answers.values())) == 1, answers


def test_every_public_function_taking_these_arguments_is_listed():
    listed = {site.fn for sites in SITES.values() for site in sites}
    listed |= {site.fn for site, _ in TENSOR_SITES}
    public = {
        "attention",
        "attention_tiled",
        "causal_mask",
        "dot_scores_loop",
        "softmax_naive",
        "softmax_stable",
        "journey_embeddings",
        "cat_sat_embeddings",
        "describe_environment",
        "SelfAttentionParams",
        "SelfAttention",
        "MultiHeadAttention",
    }
    assert public <= listed, sorted(public - listed)
