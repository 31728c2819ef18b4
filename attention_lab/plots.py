"""Matplotlib pictures of attention. Each function takes ``ax=`` and returns the Axes it drew on;
none calls ``plt.show()``, so the caller decides where the figure goes.

Without ``ax`` a small new figure is made with pyplot (so a notebook shows it). Each picture is
drawn in two parts, a frame (ticks, labels, title) and the artists that show the numbers, so that
the explorers of ``attention_lab.widgets`` can keep a frame and redraw only the numbers.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence

import matplotlib
import torch
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ._checks import (
    check_format,
    check_index,
    check_pair,
    check_positive_int,
    check_scale,
    check_tensor,
    check_tokens,
    shape_str,
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


def _new_ax(
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


def _new_figure(figsize: tuple[float, float], nrows: int, ncols: int) -> list[Axes]:
    """A new pyplot figure of nrows × ncols Axes, row by row (a notebook shows it)."""
    import matplotlib.pyplot as plt  # only when a figure is made, as in _new_ax

    _, grid = plt.subplots(nrows, ncols, figsize=figsize, layout="constrained", squeeze=False)
    return list(grid.flat)


def _as_cpu(fn: str, name: str, t: object, *, ndim: int, allow: str = "finite") -> torch.Tensor:
    """A float64 CPU copy of ``t`` for drawing, after checking it is a tensor of rank ``ndim``.

    ``allow``: "finite" (no NaN, no inf), "neg_inf" (-inf allowed: masked scores) or "any"
    (NaN and inf allowed: an overflowed softmax, which the picture marks).
    """
    check_tensor(
        fn, name, t, ndim=ndim, allow_neg_inf=allow == "neg_inf", allow_nonfinite=allow == "any"
    )
    return t.detach().to("cpu", torch.float64)


# ---------------------------------------------------------------------------------------------
# Heatmaps
# ---------------------------------------------------------------------------------------------


def plot_attention_weights(
    attn_weights: torch.Tensor,
    query_tokens: Sequence[str],
    key_tokens: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    title: str = "attention weights",
    fmt: str = "{:.2f}",
) -> Axes:
    """Heatmap of attention weights: one row per query token, one column per key token.

    Shapes: attn_weights (T_q, T_k)

    The colour scale runs from 0 to 1, or to the largest weight when dropout has scaled the kept
    weights past 1.
    """
    fn = "plot_attention_weights"
    check_format(fn, "fmt", fmt)
    w = _as_cpu(fn, "attn_weights", attn_weights, ndim=2)
    query_tokens, key_tokens = _heatmap_tokens(fn, w, query_tokens, key_tokens)
    ax = _new_ax(ax, fn=fn)
    heatmap_frame(ax, query_tokens, key_tokens, title)
    heatmap_artists(ax, w, kind="weights", fmt=fmt)
    return ax


def plot_attention_scores(
    attn_scores: torch.Tensor,
    query_tokens: Sequence[str],
    key_tokens: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    title: str = "attention scores",
    fmt: str = "{:.2f}",
) -> Axes:
    """Heatmap of attention scores (before softmax) on a colour scale centred at 0.

    Shapes: attn_scores (T_q, T_k)

    Masked scores (-inf) are drawn grey and labelled −∞: they are the ones softmax turns into 0.
    """
    fn = "plot_attention_scores"
    check_format(fn, "fmt", fmt)
    s = _as_cpu(fn, "attn_scores", attn_scores, ndim=2, allow="neg_inf")
    query_tokens, key_tokens = _heatmap_tokens(fn, s, query_tokens, key_tokens)
    ax = _new_ax(ax, fn=fn)
    heatmap_frame(ax, query_tokens, key_tokens, title)
    heatmap_artists(ax, s, kind="scores", fmt=fmt)
    return ax


def plot_heatmaps(
    matrices: torch.Tensor | Sequence[torch.Tensor],
    tokens: Sequence[str] | Sequence[Sequence[str]],
    *,
    titles: Sequence[str] | None = None,
    kind: str = "weights",
    ncols: int | None = None,
    fmt: str = "{:.2f}",
) -> list[Axes]:
    """A grid of heatmaps on one colour scale, in one call: heads, sentences, before and after.

    Shapes: matrices (n, T, T), or a sequence of n matrices (T_i, T_i) whose sizes may differ

    ``tokens`` label the rows (queries) and the columns (keys) of every panel, or give one token
    sequence per panel. ``kind`` is "weights" (0 to 1) or "scores" (centred at 0, masked -inf
    drawn grey). One colour bar shows the scale the panels share, so equal colours are equal
    numbers. Returns the n Axes, in order, on a new figure of at most ``ncols`` (default 4)
    panels per row.
    """
    fn = "plot_heatmaps"
    check_format(fn, "fmt", fmt)
    if kind not in ("weights", "scores"):
        raise ValueError(f"{fn}: kind must be 'weights' or 'scores', got {kind!r}")
    allow = "finite" if kind == "weights" else "neg_inf"
    if isinstance(matrices, torch.Tensor):
        ms = list(_as_cpu(fn, "matrices", matrices, ndim=3, allow=allow))
    elif isinstance(matrices, Sequence) and not isinstance(matrices, str) and matrices:
        ms = [_as_cpu(fn, f"matrices[{i}]", m, ndim=2, allow=allow) for i, m in enumerate(matrices)]
    else:
        raise TypeError(
            f"{fn}: matrices must be a tensor (n, T, T) or a non-empty sequence of (T, T) "
            f"tensors, got {matrices!r}"
        )
    for i, m in enumerate(ms):
        if m.shape[0] != m.shape[1]:
            raise ValueError(
                f"{fn}: matrices[{i}] must be square (T, T), one row and one column per token, "
                f"got {shape_str(m)}"
            )
    per_panel = _is_sequence(tokens) and all(_is_sequence(t) for t in tokens)
    if per_panel and len(tokens) != len(ms):
        raise ValueError(
            f"{fn}: tokens has {len(tokens)} token sequences, expected {len(ms)}, one per matrix"
        )
    labels = [
        check_tokens(
            fn, f"tokens[{i}]" if per_panel else "tokens", tokens[i] if per_panel else tokens,
            m.shape[0], f"row of matrices[{i}]",
        )
        for i, m in enumerate(ms)
    ]  # fmt: skip
    if titles is None:
        titles = [""] * len(ms)
    elif not _is_sequence(titles) or len(titles) != len(ms):
        raise ValueError(f"{fn}: titles must be {len(ms)} strings, one per matrix, got {titles!r}")
    ncols = min(len(ms), 4) if ncols is None else check_positive_int(fn, "ncols", ncols)
    ncols = min(ncols, len(ms))
    nrows = math.ceil(len(ms) / ncols)
    grid = _new_figure((3.4 * ncols + 0.6, 3.1 * nrows), nrows, ncols)
    limits = heatmap_limits(*ms, kind=kind)
    axes, images = grid[: len(ms)], []
    for ax, m, token_labels, title in zip(axes, ms, labels, titles, strict=True):
        heatmap_frame(ax, token_labels, token_labels, str(title))
        images.append(heatmap_artists(ax, m, kind=kind, fmt=fmt, limits=limits)[0])
    for ax in grid[len(ms) :]:
        ax.remove()  # the grid's empty places
    axes[0].figure.colorbar(images[0], ax=axes, shrink=0.8, label=kind)
    return axes


def _is_sequence(value: object) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def _heatmap_tokens(fn, m, query_tokens, key_tokens):
    query_tokens = check_tokens(fn, "query_tokens", query_tokens, m.shape[0], "row of the matrix")
    key_tokens = query_tokens if key_tokens is None else key_tokens
    key_tokens = check_tokens(fn, "key_tokens", key_tokens, m.shape[1], "column of the matrix")
    return query_tokens, key_tokens


def heatmap_frame(ax: Axes, query_tokens, key_tokens, title: str) -> None:
    ax.set_xticks(range(len(key_tokens)), key_tokens, rotation=45, ha="right")
    ax.set_yticks(range(len(query_tokens)), query_tokens)
    ax.set_xlim(-0.5, len(key_tokens) - 0.5)
    ax.set_ylim(len(query_tokens) - 0.5, -0.5)  # row 0 at the top, as a matrix is written
    ax.set_xlabel("key (attended to)")
    ax.set_ylabel("query")
    ax.set_title(title)


def heatmap_limits(*matrices: torch.Tensor, kind: str) -> tuple[float, float]:
    """The colour scale of heatmaps of ``kind`` "weights" (0 to 1, or to the largest weight when
    dropout scaled some past 1) or "scores" (± the largest |score|), masked (-inf) cells aside.
    Several matrices share one scale."""
    finite = torch.cat([m[~torch.isneginf(m)].flatten() for m in matrices])
    if kind == "weights":
        return 0.0, max(1.0, float(finite.max()) if finite.numel() else 1.0)
    limit = float(finite.abs().max()) if finite.numel() else 1.0
    return -(limit or 1.0), limit or 1.0


def heatmap_artists(
    ax: Axes,
    m: torch.Tensor,
    *,
    kind: str,
    fmt: str = "{:.2f}",
    limits: tuple[float, float] | None = None,
) -> list[Artist]:
    """The coloured cells and their numbers; ``kind`` is "weights" (0 to 1) or "scores" (± max).

    ``limits`` (vmin, vmax) sets the colour scale; by default ``heatmap_limits(m, kind=kind)``.
    """
    masked = torch.isneginf(m)
    vmin, vmax = heatmap_limits(m, kind=kind) if limits is None else limits
    cmap = "Blues" if kind == "weights" else "RdBu_r"
    image = m.masked_fill(masked, float("nan")).numpy()
    colormap = matplotlib.colormaps[cmap].with_extremes(bad=MASKED_COLOR)  # NaN here means "masked"
    artists: list[Artist] = [
        ax.imshow(image, cmap=colormap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ]
    # More than ~6 columns of numbers no longer fit in a small figure at size 8.
    fontsize = 8 if max(m.shape) <= 6 else 6
    dark = 0.6 * max(abs(vmin), abs(vmax))
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            value = float(m[i, j])
            label = "−∞" if masked[i, j] else fmt.format(value)
            color = "white" if abs(value) > dark and not masked[i, j] else "black"
            artists.append(
                ax.text(j, i, label, ha="center", va="center", fontsize=fontsize, color=color)
            )
    return artists


# ---------------------------------------------------------------------------------------------
# Bars
# ---------------------------------------------------------------------------------------------


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
    ax = _new_ax(ax, fn="plot_bars")
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
        str(name): _as_cpu(fn, f"values[{name!r}]", v, ndim=1, allow="any")
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
        -_nice_ceil(-low * 1.1) if low < 0 else 0.0,
        _nice_ceil(high * 1.1) if high > 0 else 0.0,
    )


def _nice_ceil(value: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) ≥ value > 0."""
    exponent = math.floor(math.log10(value))
    for step in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * 10.0**exponent >= value:
            return step * 10.0**exponent
    return 10.0 ** (exponent + 1)  # pragma: no cover - the loop always returns


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
        _as_cpu(fn, name, t, ndim=1, allow="any")
    if attn_scores.shape != attn_weights.shape:
        raise ValueError(
            f"{fn}: attn_scores {shape_str(attn_scores)} and attn_weights {shape_str(attn_weights)} "
            "must have the same shape (T)"
        )
    tokens = check_tokens(fn, "tokens", tokens, attn_scores.shape[0], "score")
    title = "scores and weights"
    if query is not None:
        title = f'query "{tokens[check_index(fn, "query", query, len(tokens))]}"'
    return plot_bars({"score ω": attn_scores, "weight α": attn_weights}, tokens, ax=ax, title=title)


# ---------------------------------------------------------------------------------------------
# Vectors
# ---------------------------------------------------------------------------------------------


def plot_vectors(
    x: torch.Tensor,
    tokens: Sequence[str],
    *,
    query: int | None = None,
    context: torch.Tensor | None = None,
    ax: Axes | None = None,
    limits: tuple[float, float] | None = None,
    title: str | None = None,
) -> Axes:
    """The embeddings as arrows from the origin, the query highlighted, the context vector as a star.

    Shapes: x (T, 2) or (T, 3), context (2,) or (3,) to match

    A context vector is a weighted average of the inputs, so it always lies inside their convex
    hull, drawn dashed. In 3-d the hull is drawn on the floor (z = 0) as the hull of the points'
    shadows, where the context vector's shadow falls inside it. A 3-d picture needs ``ax`` made
    with ``projection="3d"`` (or no ``ax``).
    """
    fn = "plot_vectors"
    x, query, context = _check_vectors(fn, x, tokens, query, context)
    tokens = list(tokens)
    limits = auto_limits(x, context) if limits is None else check_pair(fn, "limits", limits)
    if x.shape[1] == 3:
        if ax is not None and getattr(ax, "name", None) != "3d":
            raise ValueError(
                f"{fn}: a 3-d picture needs ax made with projection='3d', got a 2-d Axes; "
                "use fig.add_subplot(projection='3d') or leave ax=None"
            )
        ax = _new_ax(ax, fn=fn, projection="3d")
    else:
        ax = _new_ax(ax, fn=fn)
    vectors_frame(ax, limits)
    vector_artists(ax, x, tokens, query, context, limits)
    if title is not None:
        ax.set_title(title)
    return ax


def _check_vectors(fn, x, tokens, query, context):
    x = _as_cpu(fn, "x", x, ndim=2)
    d = x.shape[1]
    if d not in (2, 3):
        raise ValueError(f"{fn}: x must have 2 or 3 features per token to draw, got {shape_str(x)}")
    check_tokens(fn, "tokens", tokens, x.shape[0], "row of x")
    if query is not None:
        query = check_index(fn, "query", query, x.shape[0])
    if context is not None:
        context = _as_cpu(fn, "context", context, ndim=1)
        if context.shape[0] != d:
            raise ValueError(
                f"{fn}: context must have shape ({d}) to match x, got {shape_str(context)}"
            )
    return x, query, context


def vectors_frame(ax: Axes, limits: tuple[float, float]) -> None:
    low, high = limits
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    if ax.name == "3d":
        ax.set_zlim(low, high)
        ax.tick_params(labelsize=6, pad=0)
        for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
            axis.set_major_locator(MaxNLocator(3))
        ax.set_box_aspect((1, 1, 1), zoom=1.15)
        ax.view_init(elev=20, azim=-30)  # keeps the journey example's labels apart
    else:
        ax.set_aspect("equal")
        ax.axhline(0.0, color="0.7", lw=0.5, zorder=0)
        ax.axvline(0.0, color="0.7", lw=0.5, zorder=0)


def vector_artists(ax, x, tokens, query, context, limits) -> list[Artist]:
    colors = [QUERY_COLOR if i == query else INPUT_COLOR for i in range(len(tokens))]
    if ax.name == "3d":
        return _vector_artists_3d(ax, x, tokens, colors, query, context, limits)
    artists: list[Artist] = []
    hull = convex_hull_2d(x)
    if len(hull) >= 3:
        artists += ax.fill(*zip(*hull, strict=True), color=INPUT_COLOR, alpha=0.08, zorder=0)
    if len(hull) >= 2:
        ring = [*hull, hull[0]]
        artists += ax.plot(*zip(*ring, strict=True), "--", color=INPUT_COLOR, lw=0.8, zorder=1)
    artists.append(
        ax.quiver(
            [0.0] * len(tokens), [0.0] * len(tokens), x[:, 0].numpy(), x[:, 1].numpy(),
            color=colors, angles="xy", scale_units="xy", scale=1, width=0.012, zorder=2,
        )
    )  # fmt: skip
    for i, token in enumerate(tokens):
        artists.append(
            ax.annotate(
                token, (float(x[i, 0]), float(x[i, 1])), xytext=(3, 3), textcoords="offset points",
                fontsize=8, color=colors[i], fontweight="bold" if i == query else "normal",
            )
        )  # fmt: skip
    if context is not None:
        artists += ax.plot(*context.tolist(), "*", color=CONTEXT_COLOR, markersize=12, zorder=3)
        artists.append(
            ax.annotate(
                "context", context.tolist(), xytext=(4, -10), textcoords="offset points",
                fontsize=8, color=CONTEXT_COLOR,
            )
        )  # fmt: skip
    return artists


def _vector_artists_3d(ax, x, tokens, colors, query, context, limits) -> list[Artist]:
    low, high = limits
    floor = 0.0 if low <= 0.0 <= high else low
    artists: list[Artist] = []
    hull = convex_hull_2d(x[:, :2])
    if len(hull) >= 2:
        ring = [*hull, hull[0]]
        xs, ys = zip(*ring, strict=True)
        artists += ax.plot(xs, ys, [floor] * len(ring), "--", color=INPUT_COLOR, lw=0.8)
    artists.append(
        ax.scatter(x[:, 0], x[:, 1], [floor] * len(tokens), color="0.6", s=6, depthshade=False)
    )
    # One quiver per colour: a 3-d quiver cycles colours over shafts and heads, not arrows.
    for color in dict.fromkeys(colors):
        rows = [i for i, c in enumerate(colors) if c == color]
        tips, zeros = x[rows], [0.0] * len(rows)
        artists.append(
            ax.quiver(zeros, zeros, zeros, tips[:, 0], tips[:, 1], tips[:, 2], color=color,
                      arrow_length_ratio=0.08)
        )  # fmt: skip
    for i, token in enumerate(tokens):
        weight = "bold" if i == query else "normal"
        artists.append(
            ax.text(*x[i].tolist(), f" {token}", fontsize=8, color=colors[i], fontweight=weight)
        )
    if context is not None:
        c = context.tolist()
        artists.append(
            ax.scatter(*[[v] for v in c], marker="*", s=120, color=CONTEXT_COLOR, depthshade=False)
        )
        artists.append(
            ax.scatter([c[0]], [c[1]], [floor], marker="*", s=40, color=CONTEXT_COLOR, alpha=0.5)
        )
        artists += ax.plot([c[0], c[0]], [c[1], c[1]], [floor, c[2]], ":", color=CONTEXT_COLOR)
        artists.append(ax.text(*c, " context", fontsize=8, color=CONTEXT_COLOR))
    return artists


def auto_limits(x: torch.Tensor, context: torch.Tensor | None = None) -> tuple[float, float]:
    """A square window that holds the origin, every point and the context, with a margin.

    Shapes: x (T, d), context (d,)
    """
    values = [0.0, *x.flatten().tolist(), *([] if context is None else context.flatten().tolist())]
    low, high = min(values), max(values)
    margin = 0.15 * (high - low) if high > low else 1.0
    return low - margin, high + margin


def convex_hull_2d(points: torch.Tensor) -> list[tuple[float, float]]:
    """Corners of the convex hull of 2-d points, counter-clockwise (Andrew's monotone chain).

    Shapes: points (n, 2)
    Returns: a list of (x, y) corners; fewer than 3 when the points are collinear or coincide
    """
    points = _as_cpu("convex_hull_2d", "points", points, ndim=2)
    if points.shape[1] != 2:
        raise ValueError(f"convex_hull_2d: points must have shape (n, 2), got {shape_str(points)}")
    pts = sorted(set(map(tuple, points.tolist())))
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    upper: list[tuple[float, float]] = []
    for chain, ordered in ((lower, pts), (upper, reversed(pts))):
        for p in ordered:
            while len(chain) >= 2 and cross(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
    return lower[:-1] + upper[:-1]


# ---------------------------------------------------------------------------------------------
# Softmax and scaling
# ---------------------------------------------------------------------------------------------


def plot_softmax_curves(
    attn_scores: torch.Tensor,
    tokens: Sequence[str],
    *,
    scale: float | None = None,
    scale_range: tuple[float, float] = (0.01, 100.0),
    ax: Axes | None = None,
) -> Axes:
    """Each token's weight softmax(scale · ω) as the scale grows: flat at 0, one-hot when large.

    Shapes: attn_scores (T,)

    Multiplying scores by a scale is dividing them by a temperature 1/scale. The curves are
    computed in float64 with a stable softmax, so they are the true values; ``scale`` draws a
    dashed vertical line at one scale.
    """
    fn = "plot_softmax_curves"
    s = _as_cpu(fn, "attn_scores", attn_scores, ndim=1)
    tokens = check_tokens(fn, "tokens", tokens, s.shape[0], "score")
    low, high = check_pair(fn, "scale_range", scale_range, positive=True)
    ax = _new_ax(ax, fn=fn)
    scales = torch.logspace(math.log10(low), math.log10(high), 121, dtype=torch.float64)
    weights = torch.softmax(scales[:, None] * s[None, :], dim=-1)  # (n_scales, T)
    for i, token in enumerate(tokens):
        ax.plot(scales.numpy(), weights[:, i].numpy(), label=token, lw=1.2)
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("scale (1 / temperature)")
    ax.set_ylabel("weight")
    ax.legend(fontsize=7, frameon=False, loc="center left")
    ax.set_title("softmax(scale · ω)")
    if scale is not None:
        scale_marker(ax, check_scale(fn, scale))
    return ax


def scale_marker(ax: Axes, scale: float) -> list[Artist]:
    return [ax.axvline(scale, color="black", lw=0.8, ls="--")]


def plot_score_spread(
    attn_scores: torch.Tensor,
    scaled_scores: torch.Tensor,
    *,
    ax: Axes | None = None,
    bins: int = 40,
) -> Axes:
    """Histograms of dot products q·k before and after dividing by √d_k, with their spreads.

    Shapes: attn_scores (n,), scaled_scores (n,)
    """
    fn = "plot_score_spread"
    raw = _as_cpu(fn, "attn_scores", attn_scores, ndim=1)
    scaled = _as_cpu(fn, "scaled_scores", scaled_scores, ndim=1)
    # More bins than a figure has pixels draws nothing more, and a huge count cannot be allocated.
    bins = check_positive_int(fn, "bins", bins, maximum=10_000)
    ax = _new_ax(ax, fn=fn)
    limit = spread_limit(raw, scaled)
    spread_frame(ax, limit)
    spread_artists(ax, raw, scaled, limit, bins=bins)
    return ax


def spread_limit(*scores: torch.Tensor, current: float | None = None) -> float:
    """Half-width of a histogram window that holds every score, rounded to a round number;
    ``current`` is kept while it still fits and is not more than ~3 times too wide."""
    largest = max(float(s.abs().max()) for s in scores)
    if current is not None and 0.3 * current <= largest <= current:
        return current
    return _nice_ceil(max(largest, 1e-3) * 1.05)


def spread_frame(ax: Axes, limit: float) -> None:
    ax.set_xlim(-limit, limit)
    ax.set_xlabel("score")
    ax.set_ylabel("count")
    ax.set_yticks([])
    ax.set_title("spread of the scores")


def spread_artists(ax, raw, scaled, limit, *, bins: int = 40) -> list[Artist]:
    edges = torch.linspace(-limit, limit, bins + 1, dtype=torch.float64)
    artists: list[Artist] = []
    handles = []
    top = 1.0
    for t, label, color in ((raw, "q·k", "tab:gray"), (scaled, "q·k / √d_k", "tab:green")):
        counts = torch.histogram(t, bins=edges).hist
        top = max(top, float(counts.max()))
        std = float(t.std()) if t.numel() > 1 else 0.0
        patch = ax.stairs(counts.numpy(), edges.numpy(), fill=True, alpha=0.5, color=color)
        patch.set_label(f"{label}: std {std:.2f}")
        artists.append(patch)
        handles.append(patch)
    ax.set_ylim(0, 1.1 * top)  # no y ticks, so a new height changes nothing but the bars
    artists.append(ax.legend(handles=handles, fontsize=7, frameon=False, loc="upper left"))
    return artists


# ---------------------------------------------------------------------------------------------
# Benchmarks
# ---------------------------------------------------------------------------------------------

#: One line style and colour per implementation, the same in every notebook.
BENCHMARK_STYLES = {
    "loop": ("o:", "tab:gray"),
    "attention": ("s-", "tab:blue"),
    "tiled": ("D-", "tab:green"),
    "sdpa": ("^--", "tab:orange"),
}


def plot_benchmark(rows: Sequence[Mapping[str, object]]) -> list[Axes]:
    """Median time and peak memory against the sequence length n, one line per implementation.

    ``rows``: dicts with "impl" (a name), "n", "median_ms" and "peak_bytes" (None where it was
    not measured), as ``attention_lab.bench.attention.measure`` returns them. Both axes are
    logarithmic (n in powers of 2), so a cost that grows like n² draws a line twice as steep as
    one that grows like n. Returns the two Axes (time, memory) of a new figure.
    """
    fn = "plot_benchmark"
    lines = _check_benchmark_rows(fn, rows)
    time_ax, memory_ax = _new_figure((7.2, 3.0), 1, 2)
    for impl, impl_rows in lines.items():
        style, color = BENCHMARK_STYLES.get(impl, ("o-", None))
        ns = [row["n"] for row in impl_rows]
        time_ax.plot(
            ns, [row["median_ms"] for row in impl_rows], style, color=color, ms=3, label=impl
        )
        measured = [row for row in impl_rows if row["peak_bytes"] is not None]
        if measured:
            mib = [row["peak_bytes"] / 2**20 for row in measured]
            memory_ax.plot([row["n"] for row in measured], mib, style, color=color, ms=3)
    if not memory_ax.lines:
        memory_ax.text(0.5, 0.5, "not measured\non this device", ha="center", va="center",
                       transform=memory_ax.transAxes)  # fmt: skip
    for ax, title in ((time_ax, "median time (ms)"), (memory_ax, "peak memory (MiB)")):
        ax.set_xscale("log", base=2)
        if ax.lines:
            ax.set_yscale("log")
        ax.set_xlabel("sequence length n")
        ax.set_title(title)
    time_ax.legend()
    return [time_ax, memory_ax]


def _check_benchmark_rows(fn: str, rows: object) -> dict[str, list[Mapping[str, object]]]:
    """The rows grouped by implementation (in order of first appearance), each sorted by n."""
    if not _is_sequence(rows) or not rows:
        raise TypeError(f"{fn}: rows must be a non-empty list of dicts, got {rows!r}")
    keys = ("impl", "n", "median_ms", "peak_bytes")
    lines: dict[str, list[Mapping[str, object]]] = {}
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping) or any(key not in row for key in keys):
            raise TypeError(f"{fn}: rows[{i}] must be a dict with keys {list(keys)}, got {row!r}")
        if not isinstance(row["impl"], str):
            raise TypeError(f"{fn}: rows[{i}]['impl'] must be a name, got {row['impl']!r}")
        check_positive_int(fn, f"rows[{i}]['n']", row["n"])
        _check_positive(fn, f"rows[{i}]['median_ms']", row["median_ms"])
        if row["peak_bytes"] is not None:
            _check_positive(fn, f"rows[{i}]['peak_bytes']", row["peak_bytes"])
        lines.setdefault(row["impl"], []).append(row)
    for impl, impl_rows in lines.items():
        impl_rows.sort(key=lambda row: row["n"])
        ns = [row["n"] for row in impl_rows]
        if len(set(ns)) != len(ns):
            raise ValueError(f"{fn}: rows hold {impl!r} twice at the same n, in {ns}")
    return lines


def _check_positive(fn: str, name: str, value: object) -> None:
    """A measurement: a positive, finite number (a log axis has no place for 0)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fn}: {name} must be a positive number, got {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{fn}: {name} must be a positive, finite number, got {value}")
