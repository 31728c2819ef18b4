"""What every picture shares: the colours, a new Axes or figure, and tensors made ready to draw."""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from matplotlib.axes import Axes

from .._checks import (
    check_tensor,
)

#: Small figures keep the stored notebooks light.
SMALL = (3.6, 3.0)

#: One colour per role, the same in every picture.
QUERY_COLOR = "tab:orange"
CONTEXT_COLOR = "tab:red"
INPUT_COLOR = "tab:blue"
OVERFLOW_COLOR = "crimson"
SERIES_COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:purple")
MASKED_COLOR = "0.85"


def new_ax(
    ax: Axes | None, figsize: tuple[float, float] = SMALL, *, fn: str = "plot", **subplot_kw
) -> Axes:
    if ax is None:
        # pyplot only here, when a figure is asked for: importing it costs ~0.3 s and picks a
        # backend, which `import attention_lab` (and every explorer, drawn with Agg) need not do.
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize, layout="constrained", subplot_kw=subplot_kw)
    elif not isinstance(ax, Axes):
        raise TypeError(f"{fn}: ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def new_figure(figsize: tuple[float, float], nrows: int, ncols: int) -> list[Axes]:
    """A new pyplot figure of nrows × ncols Axes, row by row (a notebook shows it)."""
    import matplotlib.pyplot as plt  # only when a figure is made, as in new_ax

    _, grid = plt.subplots(nrows, ncols, figsize=figsize, layout="constrained", squeeze=False)
    return list(grid.flat)


def as_drawable(fn: str, name: str, t: object, *, ndim: int, allow: str = "finite") -> torch.Tensor:
    """A float64 CPU copy of ``t`` for drawing, after checking it is a tensor of rank ``ndim``.

    ``allow``: "finite" (no NaN, no inf), "neg_inf" (-inf allowed: masked scores) or "any"
    (NaN and inf allowed: an overflowed softmax, which the picture marks).
    """
    check_tensor(
        fn, name, t, ndim=ndim, allow_neg_inf=allow == "neg_inf", allow_nonfinite=allow == "any"
    )
    return t.detach().to("cpu", torch.float64)


def is_sequence(value: object) -> bool:
    """A list, tuple or other sequence, but not a string (a string is one token, not many)."""
    return isinstance(value, Sequence) and not isinstance(value, str)


def nice_ceil(value: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) ≥ value > 0."""
    exponent = math.floor(math.log10(value))
    for step in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * 10.0**exponent >= value:
            return step * 10.0**exponent
    return 10.0 ** (exponent + 1)  # pragma: no cover - the loop always returns
