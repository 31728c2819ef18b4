"""Input checks shared by every public function.

Each check raises a TypeError or ValueError that names the function, the argument, what was
expected and what was got, so a learner never has to read a traceback from deep inside torch.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import torch


def _shape(t: torch.Tensor) -> str:
    return "(" + ", ".join(str(s) for s in t.shape) + ")"


def check_tensor(
    fn: str,
    name: str,
    x: object,
    *,
    ndim: int | None = None,
    min_ndim: int | None = None,
    allow_neg_inf: bool = False,
) -> torch.Tensor:
    """Check that ``x`` is a non-empty floating-point tensor of the expected rank with finite values.

    ``allow_neg_inf`` admits -inf (a masked score is -inf on purpose) but still rejects NaN and +inf.
    """
    if not isinstance(x, torch.Tensor):
        hint = (
            " (wrap it with torch.tensor(...))" if isinstance(x, list | tuple | float | int) else ""
        )
        raise TypeError(f"{fn}: {name} must be a torch.Tensor, got {type(x).__name__}{hint}")
    if not x.is_floating_point():
        raise TypeError(
            f"{fn}: {name} must have a floating-point dtype (float16, bfloat16, float32 or "
            f"float64), got {x.dtype}; convert it with .float()"
        )
    if ndim is not None and x.ndim != ndim:
        raise ValueError(f"{fn}: {name} must be {ndim}-d, got shape {_shape(x)} ({x.ndim}-d)")
    if min_ndim is not None and x.ndim < min_ndim:
        raise ValueError(
            f"{fn}: {name} must have at least {min_ndim} dimensions, got shape {_shape(x)}"
        )
    if x.numel() == 0:
        raise ValueError(f"{fn}: {name} must not be empty, got shape {_shape(x)}")
    check_values(fn, name, x, allow_neg_inf=allow_neg_inf)
    return x


def check_values(fn: str, name: str, x: torch.Tensor, *, allow_neg_inf: bool = False) -> None:
    """Reject NaN and infinities (except -inf where allowed) before they spread silently."""
    if torch.isfinite(x).all():  # the common case, in one pass; the details only on failure
        return
    if torch.isnan(x).any():
        raise ValueError(f"{fn}: {name} contains NaN; expected finite values")
    bad_inf = torch.isposinf(x) if allow_neg_inf else torch.isinf(x)
    if bad_inf.any():
        allowed = "finite values or -inf" if allow_neg_inf else "finite values"
        raise ValueError(f"{fn}: {name} contains inf; expected {allowed}")


def check_same_dtype_device(fn: str, **tensors: torch.Tensor) -> None:
    """All tensors share one dtype and one device (torch would fail or silently upcast)."""
    items = list(tensors.items())
    first_name, first = items[0]
    for name, t in items[1:]:
        if t.dtype != first.dtype:
            raise TypeError(
                f"{fn}: {name} has dtype {t.dtype} but {first_name} has {first.dtype}; "
                "expected one dtype for all inputs"
            )
        if t.device != first.device:
            raise ValueError(
                f"{fn}: {name} is on {t.device} but {first_name} is on {first.device}; "
                "expected one device for all inputs"
            )


def check_dim(fn: str, x: torch.Tensor, dim: object) -> int:
    """``dim`` is an int that indexes one of x's dimensions."""
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(f"{fn}: dim must be an int, got {type(dim).__name__}")
    if not -x.ndim <= dim < x.ndim:
        raise ValueError(
            f"{fn}: dim must be in [{-x.ndim}, {x.ndim - 1}] for an input of shape {_shape(x)}, "
            f"got {dim}"
        )
    return dim


def check_positive_int(fn: str, name: str, value: object) -> int:
    """A size such as d_in or n_heads: a whole number ≥ 1 (not a float, not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{fn}: {name} must be a positive int, got {value!r}")
    if value < 1:
        raise ValueError(f"{fn}: {name} must be a positive int, got {value}")
    return int(value)


def check_probability(fn: str, name: str, value: object) -> float:
    """A dropout probability in [0, 1)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fn}: {name} must be a float in [0, 1), got {value!r}")
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{fn}: {name} must be in [0, 1), got {value}")
    return float(value)


def check_scale(fn: str, scale: object) -> float:
    """A softmax scale: a positive, finite real number."""
    if isinstance(scale, bool) or not isinstance(scale, numbers.Real):
        raise TypeError(f"{fn}: scale must be a positive number or None, got {scale!r}")
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"{fn}: scale must be a positive, finite number, got {scale}")
    return float(scale)


def check_device(fn: str, device: object) -> torch.device | None:
    """``device`` is None, a torch.device or a name such as "cpu", and this machine has it."""
    from .device import _available  # device.py imports this module: import when needed

    if device is None:
        return None
    if not isinstance(device, str | torch.device):
        raise TypeError(
            f"{fn}: device must be a torch.device, a name such as 'cpu', or None, "
            f"got {type(device).__name__}"
        )
    try:
        resolved = torch.device(device)
    except RuntimeError:
        raise ValueError(
            f"{fn}: device must name a device such as 'cpu', 'cuda' or 'mps', got {device!r}"
        ) from None
    if not _available(resolved):
        raise ValueError(
            f"{fn}: device must be available on this machine, got {device!r}, which is not"
        )
    return resolved


def check_mask(fn: str, mask: object, scores_shape: torch.Size, device: torch.device) -> None:
    """A boolean mask (True = may attend) that broadcasts to the scores' (..., T_q, T_k) shape."""
    if not isinstance(mask, torch.Tensor):
        raise TypeError(
            f"{fn}: mask must be a bool torch.Tensor or None, got {type(mask).__name__}"
        )
    if mask.dtype != torch.bool:
        hint = ""
        if mask.is_floating_point() or mask.dtype in (torch.int8, torch.int32, torch.int64):
            hint = (
                "; a 0/1 numeric mask is a classic mistake: use mask.bool() "
                "(True = may attend) or an additive bias instead"
            )
        raise TypeError(f"{fn}: mask must have dtype torch.bool, got {mask.dtype}{hint}")
    expected = "(" + ", ".join(str(s) for s in scores_shape) + ")"
    try:
        broadcast = torch.broadcast_shapes(mask.shape, scores_shape)
    except RuntimeError:
        broadcast = None
    if broadcast != scores_shape:
        raise ValueError(
            f"{fn}: mask of shape {_shape(mask)} does not broadcast to the scores' shape {expected} "
            "(..., T_q, T_k)"
        )
    if mask.device != device:
        raise ValueError(
            f"{fn}: mask is on {mask.device} but q is on {device}; expected one device"
        )


# -- shared by the plots and the explorers ------------------------------------------------------

#: A tensor's shape as the messages write it, "(T, d)": for modules that word their own errors.
shape_text = _shape


def check_bool(fn: str, name: str, value: object) -> bool:
    """A switch such as ``causal``: True or False itself (not 1, not "yes")."""
    if not isinstance(value, bool):
        raise TypeError(f"{fn}: {name} must be True or False, got {value!r}")
    return value


def check_seed(fn: str, name: str, value: object) -> int:
    """A seed for torch.Generator.manual_seed: an int that fits in 64 bits."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{fn}: {name} must be an int, got {value!r}")
    if not -(2**63) <= value < 2**64:
        raise ValueError(f"{fn}: {name} must fit in 64 bits, got {value}")
    return int(value)


def check_index(fn: str, name: str, index: object, n: int, *, what: str = "") -> int:
    """An int position in [0, n); ``what`` ("a row index", say) is said in the message."""
    expected = f"{what} in" if what else "in"
    if isinstance(index, bool) or not isinstance(index, numbers.Integral):
        raise TypeError(f"{fn}: {name} must be {expected} [0, {n - 1}], got {index!r}")
    if not 0 <= index < n:
        raise ValueError(f"{fn}: {name} must be {expected} [0, {n - 1}], got {index}")
    return int(index)


def check_tokens(fn: str, name: str, tokens: object, n: int, what: str) -> list[str]:
    """``tokens`` is a sequence of n labels, one per entry of ``what`` (named in the error)."""
    if isinstance(tokens, str) or not isinstance(tokens, Sequence):
        raise TypeError(f"{fn}: {name} must be a sequence of strings, got {type(tokens).__name__}")
    if len(tokens) != n:
        raise ValueError(f"{fn}: {name} has {len(tokens)} tokens, expected {n}, one per {what}")
    return [str(t) for t in tokens]


def check_pair(fn: str, name: str, pair: object, *, positive: bool = False) -> tuple[float, float]:
    """A (low, high) pair of finite numbers with low < high (and 0 < low if ``positive``)."""
    bound = "0 < low < high" if positive else "low < high"
    if not isinstance(pair, tuple | list):
        raise TypeError(f"{fn}: {name} must be (low, high) with {bound}, got {pair!r}")
    numeric = len(pair) == 2 and all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in pair
    )
    low, high = (float(pair[0]), float(pair[1])) if numeric else (math.nan, math.nan)
    if not (
        math.isfinite(low) and math.isfinite(high) and low < high and (low > 0 or not positive)
    ):
        raise ValueError(f"{fn}: {name} must be (low, high) with {bound}, got {pair!r}")
    return low, high


def check_format(fn: str, name: str, fmt: object) -> str:
    """A format string that turns one float into text, such as "{:.2f}"."""
    try:
        ok = isinstance(fmt, str) and isinstance(fmt.format(0.5), str)
    except (IndexError, KeyError, ValueError, TypeError, AttributeError):
        ok = False
    if not ok:
        raise TypeError(f"{fn}: {name} must be a format string such as '{{:.2f}}', got {fmt!r}")
    return fmt
