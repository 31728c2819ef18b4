"""Wrong answers to notebook 12's exercises, as a learner would compute them."""

from __future__ import annotations

import torch

from attention_lab import cache_bytes

from . import Wrong


def _flops(T: int, d: int, *, cached: bool = True, factor: int = 2) -> int:
    """The notebook's count, written out again: projections, then scores and weighted sum."""
    total = 0
    for t in range(1, T + 1):
        rows = 1 if cached else t  # without a cache every token of the prefix is projected again
        total += factor * (3 * rows * d * d + 2 * rows * t * d)
    return total


def _kv_numbers() -> torch.Tensor:
    return torch.arange(2.0)[None, :, None, None].expand(1, 2, 8, 4)  # (B, n_kv_heads, T, d_head)


WRONG = [
    Wrong(
        "12.predict_cache_bytes",
        "keys only",
        lambda: 12 * 4 * 64 * 1024 * 2,
        "forgot_keys_or_values",
    ),
    Wrong(
        "12.predict_cache_bytes",
        "every query head cached",
        lambda: cache_bytes(12, 12, 64, 1024, bytes_per_number=2),
        "every_query_head",
    ),
    Wrong(
        "12.predict_cache_bytes",
        "the default 4 bytes per number",
        lambda: cache_bytes(12, 4, 64, 1024),
        "float32",
    ),
    Wrong("12.predict_cache_bytes", "one layer", lambda: cache_bytes(1, 4, 64, 1024, 2), None),
    Wrong(
        "12.cached_flops",
        "the loop without a cache",
        lambda: _flops(4, 8, cached=False),
        "without_cache",
    ),
    Wrong(
        "12.cached_flops", "one per multiply-add", lambda: _flops(4, 8, factor=1), "multiply_adds"
    ),
    Wrong("12.cached_flops", "projections only", lambda: 4 * 2 * 3 * 8 * 8, None),
    Wrong(
        "12.kv_head_of",
        "repeat instead of repeat_interleave",
        lambda: _kv_numbers().repeat(1, 4, 1, 1)[0, :, 0, 0],
        "tiled",
    ),
    Wrong("12.kv_head_of", "one KV head per query head", lambda: torch.arange(8), "one_per_head"),
    Wrong("12.kv_head_of", "the KV heads unshared", lambda: _kv_numbers()[0, :, 0, 0], None),
]
