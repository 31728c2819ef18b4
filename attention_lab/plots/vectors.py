"""Embeddings as arrows in 2-d or 3-d, the query highlighted, the context vector inside their hull."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from .._checks import (
    check_index,
    check_pair,
    check_tokens,
    shape_str,
)
from ..i18n import text as tr
from .base import CONTEXT_COLOR, INPUT_COLOR, QUERY_COLOR, as_drawable, new_ax


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
        ax = new_ax(ax, fn=fn, projection="3d")
    else:
        ax = new_ax(ax, fn=fn)
    vectors_frame(ax, limits)
    vector_artists(ax, x, tokens, query, context, limits)
    if title is not None:
        ax.set_title(title)
    return ax


def _check_vectors(fn, x, tokens, query, context):
    x = as_drawable(fn, "x", x, ndim=2)
    d = x.shape[1]
    if d not in (2, 3):
        raise ValueError(f"{fn}: x must have 2 or 3 features per token to draw, got {shape_str(x)}")
    check_tokens(fn, "tokens", tokens, x.shape[0], "row of x")
    if query is not None:
        query = check_index(fn, "query", query, x.shape[0])
    if context is not None:
        context = as_drawable(fn, "context", context, ndim=1)
        if context.shape[0] != d:
            raise ValueError(
                f"{fn}: context must have shape ({d}) to match x, got {shape_str(context)}"
            )
    return x, query, context


def vectors_frame(ax: Axes, limits: tuple[float, float]) -> None:
    low, high = limits
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    size = 7 if ax.name == "3d" else 8
    ax.set_xlabel(tr("plots.feature", n=1), fontsize=size, labelpad=-4 if ax.name == "3d" else 2)
    ax.set_ylabel(tr("plots.feature", n=2), fontsize=size, labelpad=-4 if ax.name == "3d" else 2)
    if ax.name == "3d":
        ax.set_zlabel(tr("plots.feature", n=3), fontsize=size, labelpad=-4)
        ax.set_zlim(low, high)
        ax.tick_params(labelsize=6, pad=0)
        for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
            axis.set_major_locator(MaxNLocator(3))
        ax.set_box_aspect((1, 1, 1), zoom=1.3)
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
    for rows, label in label_groups(x, tokens, limits):
        i = query if query in rows else rows[0]
        artists.append(
            ax.annotate(
                label, (float(x[i, 0]), float(x[i, 1])), xytext=(3, 3), textcoords="offset points",
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
    for rows, label in label_groups(x, tokens, limits):
        i = query if query in rows else rows[0]
        weight = "bold" if i == query else "normal"
        artists.append(
            ax.text(*x[i].tolist(), f" {label}", fontsize=8, color=colors[i], fontweight=weight)
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
        artists.append(ax.text(*c, tr("plots.context"), fontsize=8, color=CONTEXT_COLOR))
    return artists


def label_groups(
    x: torch.Tensor, tokens: Sequence[str], limits: tuple[float, float], *, near: float = 0.06
) -> list[tuple[list[int], str]]:
    """Tokens whose points nearly coincide share one label, "journey / starts", so that two
    labels never print on top of each other; every other token keeps its own.

    Shapes: x (T, d). Two points are near when every coordinate differs by less than ``near``
    of the window's width. Returns (the rows of x, the label) per group, in the order of x.
    """
    reach = near * (limits[1] - limits[0])
    groups: list[list[int]] = []
    for i in range(len(tokens)):
        home = next((g for g in groups if (x[i] - x[g[0]]).abs().max() < reach), None)
        if home is None:
            groups.append([i])
        else:
            home.append(i)
    return [(rows, " / ".join(tokens[i] for i in rows)) for rows in groups]


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
    points = as_drawable("convex_hull_2d", "points", points, ndim=2)
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
