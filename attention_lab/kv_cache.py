"""The KV cache of generation, and the masks that bound it (sliding window, attention sinks).

When a model generates one token at a time, the keys and values of the earlier tokens never
change: the cache keeps them, so each new step projects only its own token and attends over
everything kept so far.
"""

from __future__ import annotations

import numbers

import torch

from ._checks import (
    check_device,
    check_positive_int,
    check_same_dtype_device,
    check_tensor,
    fits_in_memory,
    shape_str,
)


class KVCache:
    """The keys and values of every token seen so far, grown by ``append`` one step at a time.

    Shapes: keys (..., T_seen, d_k), values (..., T_seen, d_v); in ``MultiHeadAttention`` the
            leading dims are (batch..., n_kv_heads), so a GQA cache is n_heads / n_kv_heads
            times smaller than a multi-head one
    """

    def __init__(self) -> None:
        self.keys: torch.Tensor | None = None
        self.values: torch.Tensor | None = None

    def __len__(self) -> int:
        """T_seen, the number of tokens cached."""
        return 0 if self.keys is None else self.keys.shape[-2]

    @property
    def nbytes(self) -> int:
        """The bytes the cached tensors hold: 2 · T_seen · (leading dims) · d · bytes per number."""
        if self.keys is None:
            return 0
        return self.keys.nbytes + self.values.nbytes

    def append(self, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Add the new tokens' keys and values; return all of them, old then new.

        Shapes: k (..., T_new, d_k), v (..., T_new, d_v)
                -> keys (..., T_seen + T_new, d_k), values (..., T_seen + T_new, d_v)
        """
        fn = "KVCache.append"
        check_tensor(fn, "k", k, min_ndim=2)
        check_tensor(fn, "v", v, min_ndim=2)
        check_same_dtype_device(fn, k=k, v=v)
        if k.shape[:-1] != v.shape[:-1]:
            raise ValueError(
                f"{fn}: k and v must agree in every dim but the last (..., T_new), "
                f"got k {shape_str(k)} and v {shape_str(v)}"
            )
        if self.keys is not None:
            expected = (*self.keys.shape[:-2], "T_new", self.keys.shape[-1])
            if k.shape[:-2] != self.keys.shape[:-2] or k.shape[-1] != self.keys.shape[-1]:
                raise ValueError(
                    f"{fn}: k must have shape ({', '.join(map(str, expected))}) like the cached "
                    f"keys {shape_str(self.keys)}, got {shape_str(k)}"
                )
            if v.shape[-1] != self.values.shape[-1]:
                raise ValueError(
                    f"{fn}: v must end in d_v={self.values.shape[-1]} like the cached values "
                    f"{shape_str(self.values)}, got {shape_str(v)}"
                )
            check_same_dtype_device(fn, cached_keys=self.keys, k=k)
            k = torch.cat([self.keys, k], dim=-2)  # (..., T_seen + T_new, d_k)
            v = torch.cat([self.values, v], dim=-2)  # (..., T_seen + T_new, d_v)
        self.keys, self.values = k, v
        return k, v

    def reset(self) -> None:
        """Forget every cached token (a new sequence starts)."""
        self.keys = self.values = None


def cache_bytes(
    n_layers: int, n_kv_heads: int, d_head: int, T: int, bytes_per_number: int = 4
) -> int:
    """What a KV cache of T tokens holds: 2 (K and V) · n_layers · n_kv_heads · d_head · T · bytes.

    The cost per token does not depend on n_heads: only the heads that keep their own keys and
    values (n_kv_heads) count, which is why GQA and MQA shrink the cache.
    """
    fn = "cache_bytes"
    sizes = {
        "n_layers": n_layers,
        "n_kv_heads": n_kv_heads,
        "d_head": d_head,
        "T": T,
        "bytes_per_number": bytes_per_number,
    }
    checked = [check_positive_int(fn, name, value) for name, value in sizes.items()]
    total = 2
    for size in checked:
        total *= size
    return total


def sliding_window_mask(
    T: int, window: int, *, n_sink: int = 0, device: torch.device | str | None = None
) -> torch.Tensor:
    """Causal mask where query i sees only the last ``window`` keys (i - window + 1 .. i), plus
    the first ``n_sink`` keys, the attention sinks, which every query keeps (True = may attend).

    With ``window`` ≥ T and no sinks it is the causal mask. Keys before the window and after the
    sinks could be dropped from the cache: it never holds more than window + n_sink tokens.

    Shapes: -> (T, T) bool
    """
    fn = "sliding_window_mask"
    T = check_positive_int(fn, "T", T)
    window = check_positive_int(fn, "window", window)
    if isinstance(n_sink, bool) or not isinstance(n_sink, numbers.Integral):
        raise TypeError(f"{fn}: n_sink must be an int ≥ 0, got {n_sink!r}")
    if not 0 <= n_sink <= 2**63 - 1:  # past that, torch cannot compare positions with it
        raise ValueError(f"{fn}: n_sink must be an int in [0, 2**63 - 1], got {n_sink}")
    n_sink = int(n_sink)
    device = check_device(fn, device)
    with fits_in_memory(fn, f"a (T, T) mask with T={T}"):
        query = torch.arange(T, device=device)[:, None]  # (T, 1)
        key = torch.arange(T, device=device)[None, :]  # (1, T)
        causal = key <= query
        in_window = key > query - window
        sink = key < n_sink
        return causal & (in_window | sink)  # (T, T)
