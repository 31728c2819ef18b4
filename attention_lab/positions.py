"""Positions: the sinusoidal table added to embeddings, and rotary position embedding (RoPE).

Attention alone does not know word order: permute the tokens and its outputs are permuted the
same way. Absolute positions add a vector per position to the embeddings; RoPE rotates queries
and keys instead, so that a score depends on the offset between two positions, not on where
they are. The angles are computed in float64 on the CPU and then moved, so every device rotates
by the same numbers.
"""

from __future__ import annotations

import torch

from ._checks import (
    FLOAT_DTYPES,
    check_bool,
    check_device,
    check_dtype,
    check_number,
    check_positive_int,
    check_tensor,
    shape_str,
)
from .device import CPU

#: The base of the frequencies in "Attention Is All You Need" and in RoPE.
BASE = 10000.0


def sinusoidal_positions(
    T: int,
    d: int,
    *,
    device: torch.device | str | None = None,
    dtype: torch.dtype | str = torch.float32,
) -> torch.Tensor:
    """The sinusoidal position table: row t is added to the embedding of the token at position t.

    PE[t, 2i] = sin(t / 10000^(2i/d)),  PE[t, 2i + 1] = cos(t / 10000^(2i/d)).
    An odd d keeps the last sine column without its cosine.

    Shapes: returns (T, d)
    """
    fn = "sinusoidal_positions"
    T = check_positive_int(fn, "T", T)
    d = check_positive_int(fn, "d", d)
    dtype = check_dtype(fn, "dtype", dtype)
    device = check_device(fn, device)
    t = torch.arange(T, dtype=torch.float64, device=CPU)[:, None]  # (T, 1)
    i = torch.arange(0, d, 2, dtype=torch.float64, device=CPU)  # (ceil(d/2),): the even columns 2i
    angles = t / BASE ** (i / d)  # (T, ceil(d/2))
    table = torch.empty(T, d, dtype=torch.float64, device=CPU)
    table[:, 0::2] = torch.sin(angles)
    table[:, 1::2] = torch.cos(angles[:, : d // 2])
    return table.to(device=device, dtype=dtype)


def rope_permutation(d: int) -> torch.Tensor:
    """The order of dimensions that turns the interleaved RoPE layout into the split-half one.

    [0, 2, 4, ..., d-2, 1, 3, ..., d-1]: the first of each interleaved pair (2i, 2i+1) goes to
    i, the second to i + d/2, so that
    ``apply_rope(x[..., p]) == apply_rope(x, interleaved=True)[..., p]``.

    Shapes: returns (d,) int64
    """
    d = _check_even("rope_permutation", "d", d)
    return torch.cat([torch.arange(0, d, 2), torch.arange(1, d, 2)])


def apply_rope(
    x: torch.Tensor,
    positions: torch.Tensor | None = None,
    base: float = BASE,
    interleaved: bool = False,
) -> torch.Tensor:
    """Rotary position embedding: rotate each pair of features of x by position · θ_i.

    θ_i = base^(-2i/d) for i = 0 .. d/2 - 1. Pair i is (x[i], x[i + d/2]) in the split-half
    layout (the default, as in GPT-NeoX and Llama in transformers) and (x[2i], x[2i+1]) with
    ``interleaved=True`` (as in the RoFormer paper and Meta's Llama code). ``positions`` defaults
    to 0, 1, ..., T-1; a 1-d tensor of T integers or floats (a later start, say) may replace it.
    Rotated queries and keys score q_m · k_n = f(q, k, m - n): only the offset counts.

    Shapes: x (..., T, d) with d even, positions (T,)
    Returns: the same shape, dtype and device as x
    """
    fn = "apply_rope"
    check_tensor(fn, "x", x, min_ndim=2)
    T, d = x.shape[-2], x.shape[-1]
    if d % 2:
        raise ValueError(
            f"{fn}: x must have an even number of features d (RoPE rotates them in pairs), "
            f"got shape {shape_str(x)}"
        )
    base = check_number(fn, "base", base, expected="a number greater than 1")
    if base <= 1:
        raise ValueError(f"{fn}: base must be a number greater than 1, got {base}")
    interleaved = check_bool(fn, "interleaved", interleaved)
    pos = _check_positions(fn, positions, T, x.device)
    theta = base ** (-torch.arange(0, d, 2, dtype=torch.float64, device=CPU) / d)  # (d/2,)
    angles = pos[:, None] * theta[None, :]  # (T, d/2)
    work = torch.float32 if x.dtype in (torch.float16, torch.bfloat16) else x.dtype
    cos = torch.cos(angles).to(x.device, work)  # (T, d/2)
    sin = torch.sin(angles).to(x.device, work)
    xw = x.to(work)
    if interleaved:
        first, second = xw[..., 0::2], xw[..., 1::2]  # (..., T, d/2) each
    else:
        first, second = xw[..., : d // 2], xw[..., d // 2 :]
    rotated = (first * cos - second * sin, first * sin + second * cos)
    # back to the input's layout: (x0, x1), (x2, x3), ... or both halves side by side
    joined = torch.stack(rotated, dim=-1).flatten(-2) if interleaved else torch.cat(rotated, -1)
    out = joined.to(x.dtype)
    if not torch.isfinite(out).all():
        raise ValueError(
            f"{fn}: rotating x overflowed {x.dtype} (largest |x| {x.abs().max().item():.3g}); "
            "expected smaller values or a wider dtype such as float32"
        )
    return out


def _check_even(fn: str, name: str, d: object) -> int:
    d = check_positive_int(fn, name, d)
    if d % 2:
        raise ValueError(f"{fn}: {name} must be even (RoPE rotates pairs of features), got {d}")
    return d


INTEGER_DTYPES = (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)


def _check_positions(fn: str, positions: object, T: int, device: torch.device) -> torch.Tensor:
    """positions as float64 on the CPU: T integers or finite floats, on x's device."""
    if positions is None:
        return torch.arange(T, dtype=torch.float64, device=CPU)
    if not isinstance(positions, torch.Tensor):
        raise TypeError(
            f"{fn}: positions must be a 1-d torch.Tensor of {T} positions or None, "
            f"got {type(positions).__name__}"
        )
    if positions.dtype in FLOAT_DTYPES.values():
        check_tensor(fn, "positions", positions)  # no NaN, no inf, not meta
    elif positions.dtype not in INTEGER_DTYPES:
        raise TypeError(
            f"{fn}: positions must hold integers (int64, say) or floats, got {positions.dtype}"
        )
    elif positions.is_meta:
        raise ValueError(f"{fn}: positions must hold values, got a meta tensor")
    if positions.shape != (T,):
        raise ValueError(
            f"{fn}: positions must have shape ({T},), one per row of x, got {shape_str(positions)}"
        )
    if positions.device != device:
        raise ValueError(
            f"{fn}: positions is on {positions.device} but x is on {device}; expected one device"
        )
    return positions.detach().to("cpu", torch.float64)
