"""Notebook 12 (the KV cache and GQA): the cache's bytes, the FLOPs it saves, the head sharing."""

from __future__ import annotations

from .common import Exercise, constant


def _cache_bytes(n_kv_heads: int = 4, factor: int = 2, bytes_per_number: int = 2) -> float:
    """Exercise 1's cache: 12 layers, d_head 64, 1024 tokens (float16 unless told otherwise)."""
    return float(factor * 12 * n_kv_heads * 64 * 1024 * bytes_per_number)


def _flops(T: int, d: int, *, cached: bool = True, factor: int = 2) -> float:
    """Exercise 2's count: step t projects one token (cached) or all t tokens (not), then its
    query (or its t queries) meets t keys and t values."""
    total = 0
    for t in range(1, T + 1):
        rows = 1 if cached else t
        total += factor * (3 * rows * d * d + 2 * rows * t * d)
    return float(total)


EXERCISES = [
    Exercise(
        "12.predict_cache_bytes",
        constant(_cache_bytes()),  # 2 · 12 · 4 · 64 · 1024 · 2 = 12,582,912
        {
            "forgot_keys_or_values": constant(_cache_bytes(factor=1)),
            "every_query_head": constant(_cache_bytes(n_kv_heads=12)),
            "float32": constant(_cache_bytes(bytes_per_number=4)),
        },
    ),
    Exercise(
        "12.cached_flops",
        constant(_flops(4, 8)),  # 2 · (4 · 3 · 64 + 2 · 8 · (1 + 2 + 3 + 4)) = 1856
        {
            "without_cache": constant(_flops(4, 8, cached=False)),
            "multiply_adds": constant(_flops(4, 8, factor=1)),
        },
    ),
    Exercise(
        "12.kv_head_of",
        constant(0, 0, 0, 0, 1, 1, 1, 1),  # neighbouring query heads share a KV head
        {
            "tiled": constant(0, 1, 0, 1, 0, 1, 0, 1),
            "one_per_head": constant(0, 1, 2, 3, 4, 5, 6, 7),
        },
    ),
]
