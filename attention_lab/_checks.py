"""Input checks shared by every public function: one home for each rule.

Each check raises a TypeError (the wrong kind of thing) or a ValueError (the right kind, a wrong
value) that names the function, the argument, what was expected and what was got, so a learner
never has to read a traceback from deep inside torch. The same argument gets the same check, and
so the same error, wherever it is accepted.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import numbers
import string
from collections.abc import Iterator, Sequence

import torch

#: The dtypes the package computes in; every other one (integers, bool, complex, float8, float4,
#: quantized) is refused before torch fails on it or silently rounds it.
FLOAT_DTYPES: dict[str, torch.dtype] = {
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
}
_FLOAT_NAMES = "float16, bfloat16, float32 or float64"

#: torch.Generator.manual_seed takes any integer that fits in 64 bits, signed or not.
SEED_RANGE = (-(2**63), 2**64 - 1)


def shape_str(t: torch.Tensor) -> str:
    """A tensor's shape as the docstrings write it: (2, 6, 3)."""
    return "(" + ", ".join(str(s) for s in t.shape) + ")"


def _type_name(value: object) -> str:
    return type(value).__name__


# --- tensors ------------------------------------------------------------------------------------


def check_tensor(
    fn: str,
    name: str,
    x: object,
    *,
    ndim: int | None = None,
    min_ndim: int | None = None,
    allow_neg_inf: bool = False,
    allow_nonfinite: bool = False,
) -> torch.Tensor:
    """Check that ``x`` is a non-empty floating-point tensor of the expected rank with finite values.

    ``allow_neg_inf`` admits -inf (a masked score is -inf on purpose) but still rejects NaN and +inf;
    ``allow_nonfinite`` admits NaN and ±inf too (a picture of an overflowed softmax marks them).
    """
    if not isinstance(x, torch.Tensor):
        hint = (
            " (wrap it with torch.tensor(...))" if isinstance(x, list | tuple | float | int) else ""
        )
        raise TypeError(f"{fn}: {name} must be a torch.Tensor, got {_type_name(x)}{hint}")
    check_float_tensor_dtype(fn, name, x)
    if x.is_meta:
        raise ValueError(
            f"{fn}: {name} must hold values, got a meta tensor of shape {shape_str(x)} "
            "(a shape without data); create it on a real device such as 'cpu'"
        )
    if ndim is not None and x.ndim != ndim:
        raise ValueError(f"{fn}: {name} must be {ndim}-d, got shape {shape_str(x)} ({x.ndim}-d)")
    if min_ndim is not None and x.ndim < min_ndim:
        raise ValueError(
            f"{fn}: {name} must have at least {min_ndim} dimension{'s' if min_ndim > 1 else ''}, "
            f"got shape {shape_str(x)}"
        )
    if x.numel() == 0:
        raise ValueError(f"{fn}: {name} must not be empty, got shape {shape_str(x)}")
    if not allow_nonfinite:
        check_values(fn, name, x, allow_neg_inf=allow_neg_inf)
    return x


def check_float_tensor_dtype(fn: str, name: str, x: torch.Tensor) -> None:
    """``x`` has one of the four floating-point dtypes the package computes in."""
    if x.dtype in FLOAT_DTYPES.values():
        return
    if x.is_complex():
        hint = "; take .real or .abs() first"
    elif x.is_quantized:
        hint = "; convert it with .dequantize()"
    else:
        hint = "; convert it with .float()"
    raise TypeError(
        f"{fn}: {name} must have a floating-point dtype ({_FLOAT_NAMES}), got {x.dtype}{hint}"
    )


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


def check_qkv(fn: str, q: object, k: object, v: object) -> torch.Size:
    """Check attention's q, k, v against each other; return the scores' shape (..., T_q, T_k).

    Shapes: q (..., T_q, d_k), k (..., T_k, d_k), v (..., T_k, d_v); leading dims broadcast
    """
    for name, t in (("q", q), ("k", k), ("v", v)):
        check_tensor(fn, name, t, min_ndim=2)
    check_same_dtype_device(fn, q=q, k=k, v=v)
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(
            f"{fn}: q and k must share the feature size d_k, got q {shape_str(q)} "
            f"and k {shape_str(k)}"
        )
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"{fn}: k and v must have the same sequence length T_k, "
            f"got k {shape_str(k)} and v {shape_str(v)}"
        )
    batch = broadcast_shape(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    if batch is None:
        raise ValueError(
            f"{fn}: the batch dimensions of q {shape_str(q)}, k {shape_str(k)} and v "
            f"{shape_str(v)} do not broadcast; expected (..., T, d) with matching or size-1 "
            "leading dims"
        )
    return torch.Size((*batch, q.shape[-2], k.shape[-2]))


def broadcast_shape(*shapes: Sequence[int]) -> torch.Size | None:
    """The shape ``shapes`` broadcast to, or None when two sizes clash (torch's rule).

    Written out because ``torch.broadcast_shapes`` imports sympy on its first call, which costs
    a learner's first ``attention`` call about 0.6 s.
    """
    result = []
    for sizes in itertools.zip_longest(*(reversed(tuple(s)) for s in shapes), fillvalue=1):
        others = {size for size in sizes if size != 1}  # a size of 1 stretches to any other
        if len(others) > 1:
            return None
        result.append(others.pop() if others else 1)
    return torch.Size(reversed(result))


def _broadcasts_to(shape: torch.Size, target: torch.Size) -> bool:
    """Whether a tensor of ``shape`` broadcasts to ``target`` without making it larger."""
    return broadcast_shape(shape, target) == target


def check_mask(fn: str, mask: object, scores_shape: torch.Size, device: torch.device) -> None:
    """A boolean mask (True = may attend) that broadcasts to the scores' (..., T_q, T_k) shape."""
    if not isinstance(mask, torch.Tensor):
        raise TypeError(f"{fn}: mask must be a bool torch.Tensor or None, got {_type_name(mask)}")
    if mask.dtype != torch.bool:
        hint = ""
        if mask.is_floating_point() or not (mask.is_complex() or mask.is_quantized):
            hint = (
                "; a 0/1 numeric mask is a classic mistake: use mask.bool() "
                "(True = may attend) or an additive bias instead"
            )
        raise TypeError(f"{fn}: mask must have dtype torch.bool, got {mask.dtype}{hint}")
    expected = "(" + ", ".join(str(s) for s in scores_shape) + ")"
    if not _broadcasts_to(mask.shape, scores_shape):
        raise ValueError(
            f"{fn}: mask of shape {shape_str(mask)} does not broadcast to the scores' shape "
            f"{expected} (..., T_q, T_k)"
        )
    if mask.device != device:
        raise ValueError(
            f"{fn}: mask is on {mask.device} but q is on {device}; expected one device"
        )


def check_key_mask(
    fn: str, key_mask: object, batch_shape: torch.Size, T_k: int, device: torch.device
) -> torch.Tensor:
    """A boolean key mask (..., T_k), True = may attend (a real token), for keys of length T_k.

    Its leading dims must broadcast to ``batch_shape``, the keys' leading dims. The opposite
    convention (True = ignore, ``torch.nn.MultiheadAttention``'s ``key_padding_mask``) is ``~mask``.
    """
    if not isinstance(key_mask, torch.Tensor):
        raise TypeError(
            f"{fn}: key_mask must be a bool torch.Tensor (..., T_k) or None, got "
            f"{_type_name(key_mask)}"
        )
    if key_mask.dtype != torch.bool:
        raise TypeError(
            f"{fn}: key_mask must have dtype torch.bool (True = may attend), got {key_mask.dtype}; "
            "a 0/1 mask becomes one with .bool()"
        )
    if key_mask.ndim == 0 or key_mask.shape[-1] != T_k:
        raise ValueError(
            f"{fn}: key_mask must end in T_k={T_k}, one entry per key, got shape "
            f"{shape_str(key_mask)}"
        )
    expected = "(" + ", ".join(str(s) for s in (*batch_shape, T_k)) + ")"
    if not _broadcasts_to(key_mask.shape[:-1], batch_shape):
        raise ValueError(
            f"{fn}: key_mask of shape {shape_str(key_mask)} does not broadcast to the keys' "
            f"shape {expected} (..., T_k)"
        )
    if key_mask.device != device:
        raise ValueError(
            f"{fn}: key_mask is on {key_mask.device} but x is on {device}; expected one device"
        )
    return key_mask


def check_dim(fn: str, x: torch.Tensor, dim: object) -> int:
    """``dim`` is an int that indexes one of x's dimensions."""
    if isinstance(dim, bool) or not isinstance(dim, numbers.Integral):
        raise TypeError(f"{fn}: dim must be an int, got {_type_name(dim)}")
    if not -x.ndim <= dim < x.ndim:
        raise ValueError(
            f"{fn}: dim must be in [{-x.ndim}, {x.ndim - 1}] for an input of shape "
            f"{shape_str(x)}, got {dim}"
        )
    return int(dim)


# --- numbers and flags ----------------------------------------------------------------------------


def check_bool(fn: str, name: str, value: object) -> bool:
    """A switch such as ``causal``: exactly True or False (not 0/1, not a string, not a tensor)."""
    if not isinstance(value, bool):
        raise TypeError(f"{fn}: {name} must be True or False, got {value!r}")
    return value


def check_positive_int(fn: str, name: str, value: object, *, maximum: int | None = None) -> int:
    """A size such as d_in or n_heads: a whole number ≥ 1 (not a float, not a bool).

    ``maximum`` defaults to the largest size torch can index (2**63 - 1).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{fn}: {name} must be a positive int, got {value!r}")
    if value < 1:
        raise ValueError(f"{fn}: {name} must be a positive int, got {value}")
    maximum = 2**63 - 1 if maximum is None else maximum
    if value > maximum:
        raise ValueError(f"{fn}: {name} must be a positive int at most {maximum}, got {value}")
    return int(value)


def check_seed(fn: str, name: str, seed: object) -> int:
    """A random seed: any int that torch.Generator.manual_seed takes (it must fit in 64 bits)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{fn}: {name} must be an int, got {seed!r}")
    low, high = SEED_RANGE
    if not low <= seed <= high:
        raise ValueError(f"{fn}: {name} must be an int in [-2**63, 2**64 - 1], got {seed}")
    return int(seed)


def check_number(
    fn: str, name: str, value: object, *, minimum: float | None = None, expected: str = "a number"
) -> float:
    """A finite real number (≥ ``minimum`` if given): not a bool, a string or a tensor."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fn}: {name} must be {expected}, got {value!r}")
    as_float = _as_float(fn, name, value, expected)
    if not math.isfinite(as_float) or (minimum is not None and as_float < minimum):
        raise ValueError(f"{fn}: {name} must be {expected}, got {value}")
    return as_float


def _as_float(fn: str, name: str, value: numbers.Real, expected: str) -> float:
    try:
        return float(value)
    except OverflowError:  # an int past float's range, 10**400 say
        raise ValueError(f"{fn}: {name} must be {expected}, got {value}") from None


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
    as_float = _as_float(fn, "scale", scale, "a positive, finite number")
    if not (math.isfinite(as_float) and as_float > 0):
        raise ValueError(f"{fn}: scale must be a positive, finite number, got {scale}")
    return as_float


def check_pair(fn: str, name: str, pair: object, *, positive: bool = False) -> tuple[float, float]:
    """A (low, high) pair of finite numbers with low < high (and 0 < low if ``positive``)."""
    bound = "0 < low < high" if positive else "low < high"
    if not isinstance(pair, tuple | list):
        raise TypeError(f"{fn}: {name} must be (low, high) with {bound}, got {pair!r}")
    numbers_only = len(pair) == 2 and all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in pair
    )
    if not numbers_only:
        raise ValueError(f"{fn}: {name} must be (low, high) with {bound}, got {pair!r}")
    try:
        low, high = float(pair[0]), float(pair[1])
    except OverflowError:
        low = high = math.nan
    if not (
        math.isfinite(low) and math.isfinite(high) and low < high and (low > 0 or not positive)
    ):
        raise ValueError(f"{fn}: {name} must be (low, high) with {bound}, got {pair!r}")
    return low, high


def check_index(fn: str, name: str, index: object, n: int, *, what: str = "") -> int:
    """A position in [0, n - 1], such as the query token of a picture; ``what`` names it."""
    if isinstance(index, bool) or not isinstance(index, numbers.Integral):
        expected = f"{what} in" if what else "an int index in"
        raise TypeError(f"{fn}: {name} must be {expected} [0, {n - 1}], got {index!r}")
    if not 0 <= index < n:
        expected = f"{what} in" if what else "in"
        raise ValueError(f"{fn}: {name} must be {expected} [0, {n - 1}], got {index}")
    return int(index)


# --- text ---------------------------------------------------------------------------------------


def check_tokens(fn: str, name: str, tokens: object, n: int, what: str) -> list[str]:
    """``tokens`` is a sequence of n strings, one per entry of ``what`` (named in the error)."""
    if isinstance(tokens, str) or not isinstance(tokens, Sequence):
        raise TypeError(f"{fn}: {name} must be a sequence of strings, got {_type_name(tokens)}")
    if len(tokens) != n:
        raise ValueError(f"{fn}: {name} has {len(tokens)} tokens, expected {n}, one per {what}")
    return [str(t) for t in tokens]


def check_format(fn: str, name: str, fmt: object) -> str:
    """A format string that turns one number into text, such as "{:.2f}"."""
    expected = "a format string with one field for a number, such as '{:.2f}'"
    if not isinstance(fmt, str):
        raise TypeError(f"{fn}: {name} must be {expected}, got {fmt!r}")
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(fmt) if field is not None]
        ok = len(fields) == 1 and isinstance(fmt.format(0.5), str)
    except Exception:  # any error of str.format: a bad spec, a missing key, an attribute, ...
        ok = False
    if not ok:
        raise ValueError(f"{fn}: {name} must be {expected}, got {fmt!r}")
    return fmt


# --- dtypes, devices, generators ------------------------------------------------------------------


def check_dtype(
    fn: str, name: str, dtype: object, allowed: Sequence[str] = tuple(FLOAT_DTYPES)
) -> torch.dtype:
    """A floating-point dtype, as a torch.dtype or its name: one of ``allowed``."""
    expected = f"one of {', '.join(allowed)} (a torch.dtype or its name)"
    if not isinstance(dtype, torch.dtype | str):
        raise TypeError(f"{fn}: {name} must be {expected}, got {dtype!r}")
    key = dtype if isinstance(dtype, str) else str(dtype).removeprefix("torch.")
    if key not in allowed:
        raise ValueError(f"{fn}: {name} must be {expected}, got {dtype!r}")
    return FLOAT_DTYPES[key]


def device_available(device: torch.device) -> bool:
    """Whether this machine has ``device`` (cpu always; cuda:N and mps when present)."""
    if device.type == "cpu":
        return True
    if device.type == "cuda":
        return torch.cuda.is_available() and (device.index or 0) < torch.cuda.device_count()
    if device.type == "mps":
        return torch.backends.mps.is_available()
    return False


def check_device(fn: str, device: object) -> torch.device | None:
    """``device`` is None, a torch.device or a name such as "cpu", and this machine has it."""
    if device is None:
        return None
    if not isinstance(device, str | torch.device):
        raise TypeError(
            f"{fn}: device must be a torch.device, a name such as 'cpu', or None, "
            f"got {_type_name(device)}"
        )
    try:
        resolved = torch.device(device)
    except RuntimeError:
        raise ValueError(
            f"{fn}: device must name a device such as 'cpu', 'cuda' or 'mps', got {device!r}"
        ) from None
    if not device_available(resolved):
        raise ValueError(
            f"{fn}: device must be available on this machine, got {device!r}, which is not"
        )
    return resolved


def check_generator(fn: str, generator: object, device: torch.device) -> torch.Generator | None:
    """None, or a torch.Generator on the CPU or on the same kind of device as the tensors it draws for."""
    if generator is None:
        return None
    if not isinstance(generator, torch.Generator):
        raise TypeError(
            f"{fn}: generator must be a torch.Generator or None, got {_type_name(generator)}"
        )
    if generator.device.type not in ("cpu", device.type):
        raise ValueError(
            f"{fn}: generator is on {generator.device} but q is on {device}; expected a "
            "CPU generator, torch.Generator(), or one on q's device"
        )
    return generator


@contextlib.contextmanager
def fits_in_memory(fn: str, what: str) -> Iterator[None]:
    """Turn torch's allocation failure for ``what`` into an error that says which size was too big."""
    try:
        yield
    except (RuntimeError, OverflowError) as error:
        message = str(error)
        if not (
            isinstance(error, OverflowError | torch.OutOfMemoryError)
            or "alloc" in message
            or "overflow" in message.lower()
        ):
            raise
        raise ValueError(f"{fn}: {what} does not fit in memory; expected smaller sizes") from None
