"""Bars: scores and weights of one query, grouped by token, with overflow marked."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import torch
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch

from .._checks import (
    check_index,
    check_tokens,
    shape_str,
)
from ..i18n import text as tr
from .base import OVERFLOW_COLOR, SERIES_COLORS, as_drawable, new_ax, nice_ceil


def plot_bars(
    values: Mapping[str, torch.Tensor],
    tokens: Sequence[str],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    ylabel: str | None = None,
) -> Axes:
    """Grouped bars, one group per token and one bar per named series, overflow marked in red.

    Shapes: every series (T,), with T = len(tokens)

    A value that is inf or NaN (an overflowed softmax, say) gets no bar: a red × on the axis
    and its name ("nan", "inf") mark where it happened instead.
    """
    series = _check_series("plot_bars", values)
    tokens = check_tokens("plot_bars", "tokens", tokens, _length(series), "value of each series")
    ax = new_ax(ax, fn="plot_bars")
    bars_frame(ax, tokens, list(series), title=title, ylabel=ylabel)
    ax.set_ylim(*bar_limits(series))
    bar_artists(ax, series)
    return ax


def _check_series(fn: str, values: object) -> dict[str, torch.Tensor]:
    if not isinstance(values, Mapping) or not values:
        raise TypeError(
            f"{fn}: values must be a non-empty mapping of name -> tensor, got {values!r}"
        )
    if len(values) > len(SERIES_COLORS):
        raise ValueError(f"{fn}: at most {len(SERIES_COLORS)} series, got {len(values)}")
    series = {
        str(name): as_drawable(fn, f"values[{name!r}]", v, ndim=1, allow="any")
        for name, v in values.items()
    }
    n = _length(series)
    for name, v in series.items():
        if v.shape[0] != n:
            raise ValueError(f"{fn}: every series must have {n} values, {name!r} has {v.shape[0]}")
    return series


def _length(series: Mapping[str, torch.Tensor]) -> int:
    return next(iter(series.values())).shape[0]


def bars_frame(ax: Axes, tokens, names, *, title=None, ylabel=None, legend="upper left") -> None:
    ax.set_xticks(range(len(tokens)), tokens, rotation=45, ha="right")
    ax.set_xlim(-0.6, len(tokens) - 0.4)
    ax.axhline(0.0, color="black", linewidth=0.6)
    if len(names) > 1:
        handles = [Patch(color=c, label=n) for n, c in zip(names, SERIES_COLORS, strict=False)]
        ax.legend(handles=handles, fontsize=7, frameon=False, loc=legend)
    if title is not None:
        ax.set_title(title)
    if ylabel is not None:
        ax.set_ylabel(ylabel)


def bar_artists(ax: Axes, series: Mapping[str, torch.Tensor]) -> list[Artist]:
    """The bars, and a red × with "nan"/"inf" where a value is not finite."""
    n, width = _length(series), 0.8 / len(series)
    low, high = ax.get_ylim()
    artists: list[Artist] = []
    for s, (v, color) in enumerate(zip(series.values(), SERIES_COLORS, strict=False)):
        offset = (s - (len(series) - 1) / 2) * width
        positions = [i + offset for i in range(n)]
        finite = torch.isfinite(v)
        heights = v.masked_fill(~finite, 0.0).tolist()
        # One collection per series rather than ax.bar: the explorers redraw bars on every move,
        # and ax.bar's rectangles each recompute the data limits (which are set by hand here).
        bars = PolyCollection(
            [
                [(p - width / 2, 0.0), (p - width / 2, h), (p + width / 2, h), (p + width / 2, 0.0)]
                for p, h in zip(positions, heights, strict=True)
            ],
            facecolors=color,
            edgecolors="none",
        )
        artists.append(ax.add_collection(bars, autolim=False))
        for i in torch.nonzero(~finite).flatten().tolist():
            artists += ax.plot(positions[i], 0.0, "x", color=OVERFLOW_COLOR, markersize=8, mew=2)
            artists.append(
                ax.text(
                    positions[i],
                    0.04 * (high - low),
                    _nonfinite_name(float(v[i])),
                    color=OVERFLOW_COLOR,
                    ha="center",
                    va="bottom",
                    rotation=90,
                    fontsize=8,
                    fontweight="bold",
                )
            )
    return artists


def bar_limits(
    series: Mapping[str, torch.Tensor], current: tuple[float, float] | None = None
) -> tuple[float, float]:
    """Y limits that hold every finite value with a margin, rounded to a round number.

    Shapes: every series (T,)

    With ``current`` limits that still fit (and are not more than ~3 times too large) those are
    kept, so that a picture redrawn on every slider move does not jump at every step.
    """
    values = torch.cat([v.flatten() for v in series.values()])
    values = values[torch.isfinite(values)]
    low = min(0.0, float(values.min())) if values.numel() else 0.0
    high = max(0.0, float(values.max())) if values.numel() else 0.0
    if current is not None:
        c_low, c_high = current
        if c_low <= low and high <= c_high and (high - low) >= 0.3 * (c_high - c_low):
            return current
    if high == low:
        return (0.0, 1.0)
    return (
        -nice_ceil(-low * 1.1) if low < 0 else 0.0,
        nice_ceil(high * 1.1) if high > 0 else 0.0,
    )


def _nonfinite_name(value: float) -> str:
    if math.isnan(value):
        return "nan"
    return "inf" if value > 0 else "-inf"


def plot_scores_and_weights(
    attn_scores: torch.Tensor,
    attn_weights: torch.Tensor,
    tokens: Sequence[str],
    *,
    query: int | None = None,
    ax: Axes | None = None,
) -> Axes:
    """One query's scores ω and weights α = softmax(ω) as bars side by side, one pair per token.

    Shapes: attn_scores (T,), attn_weights (T,); ``query`` indexes ``tokens`` for the title
    """
    fn = "plot_scores_and_weights"
    for name, t in (("attn_scores", attn_scores), ("attn_weights", attn_weights)):
        as_drawable(fn, name, t, ndim=1, allow="any")
    if attn_scores.shape != attn_weights.shape:
        raise ValueError(
            f"{fn}: attn_scores {shape_str(attn_scores)} and attn_weights {shape_str(attn_weights)} "
            "must have the same shape (T)"
        )
    tokens = check_tokens(fn, "tokens", tokens, attn_scores.shape[0], "score")
    title = tr("plots.scores_and_weights")
    if query is not None:
        title = tr("plots.query_title", token=tokens[check_index(fn, "query", query, len(tokens))])
    series = {tr("plots.score"): attn_scores, tr("plots.weight"): attn_weights}
    return plot_bars(series, tokens, ax=ax, title=title)
