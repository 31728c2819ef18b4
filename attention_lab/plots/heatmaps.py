"""Heatmaps of attention scores and weights: one matrix, or a grid of them on one colour scale."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib
import torch
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from .._checks import (
    check_format,
    check_positive_int,
    check_tokens,
    shape_str,
)
from ..i18n import text as tr
from .base import MASKED_COLOR, as_drawable, is_sequence, new_ax, new_figure


def plot_attention_weights(
    attn_weights: torch.Tensor,
    query_tokens: Sequence[str],
    key_tokens: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    fmt: str = "{:.2f}",
) -> Axes:
    """Heatmap of attention weights: one row per query token, one column per key token.

    Shapes: attn_weights (T_q, T_k)

    The colour scale runs from 0 to 1, or to the largest weight when dropout has scaled the kept
    weights past 1.
    """
    fn = "plot_attention_weights"
    check_format(fn, "fmt", fmt)
    w = as_drawable(fn, "attn_weights", attn_weights, ndim=2)
    query_tokens, key_tokens = _heatmap_tokens(fn, w, query_tokens, key_tokens)
    ax = new_ax(ax, fn=fn)
    heatmap_frame(
        ax, query_tokens, key_tokens, tr("plots.weights_title") if title is None else title
    )
    heatmap_artists(ax, w, kind="weights", fmt=fmt)
    return ax


def plot_attention_scores(
    attn_scores: torch.Tensor,
    query_tokens: Sequence[str],
    key_tokens: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    fmt: str = "{:.2f}",
) -> Axes:
    """Heatmap of attention scores (before softmax) on a colour scale centred at 0.

    Shapes: attn_scores (T_q, T_k)

    Masked scores (-inf) are drawn grey and labelled −∞: they are the ones softmax turns into 0.
    """
    fn = "plot_attention_scores"
    check_format(fn, "fmt", fmt)
    s = as_drawable(fn, "attn_scores", attn_scores, ndim=2, allow="neg_inf")
    query_tokens, key_tokens = _heatmap_tokens(fn, s, query_tokens, key_tokens)
    ax = new_ax(ax, fn=fn)
    heatmap_frame(
        ax, query_tokens, key_tokens, tr("plots.scores_title") if title is None else title
    )
    heatmap_artists(ax, s, kind="scores", fmt=fmt)
    return ax


def plot_heatmaps(
    matrices: torch.Tensor | Sequence[torch.Tensor],
    tokens: Sequence[str] | Sequence[Sequence[str]],
    *,
    titles: Sequence[str] | None = None,
    kind: str | Sequence[str] = "weights",
    ncols: int | None = None,
    fmt: str = "{:.2f}",
) -> list[Axes]:
    """A grid of heatmaps in one call: heads, sentences, before and after, scores beside weights.

    Shapes: matrices (n, T, T), or a sequence of n matrices (T_i, T_i) whose sizes may differ

    ``tokens`` label the rows (queries) and the columns (keys) of every panel, or give one token
    sequence per panel. ``kind`` is "weights" (0 to 1) or "scores" (centred at 0, masked -inf
    drawn grey), for every panel or one per panel. The panels of one kind share one colour scale
    and one colour bar, so equal colours are equal numbers. Returns the n Axes, in order, on a
    new figure of at most ``ncols`` (default 4) panels per row.
    """
    fn = "plot_heatmaps"
    check_format(fn, "fmt", fmt)
    n = matrices.shape[0] if isinstance(matrices, torch.Tensor) and matrices.ndim == 3 else None
    n = len(matrices) if n is None and is_sequence(matrices) else n
    kinds = [kind] * (n or 1) if isinstance(kind, str) else kind
    if not is_sequence(kinds) or (n and len(kinds) != n):
        raise ValueError(f"{fn}: kind must be 'weights', 'scores' or one of them per matrix")
    for k in kinds:
        if k not in ("weights", "scores"):
            raise ValueError(f"{fn}: kind must be 'weights' or 'scores', got {k!r}")
    allows = ["finite" if k == "weights" else "neg_inf" for k in kinds]
    if isinstance(matrices, torch.Tensor):
        allow = "neg_inf" if "neg_inf" in allows else "finite"
        ms = list(as_drawable(fn, "matrices", matrices, ndim=3, allow=allow))
    elif isinstance(matrices, Sequence) and not isinstance(matrices, str) and matrices:
        ms = [
            as_drawable(fn, f"matrices[{i}]", m, ndim=2, allow=allows[i])
            for i, m in enumerate(matrices)
        ]
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
    per_panel = is_sequence(tokens) and all(is_sequence(t) for t in tokens)
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
    elif not is_sequence(titles) or len(titles) != len(ms):
        raise ValueError(f"{fn}: titles must be {len(ms)} strings, one per matrix, got {titles!r}")
    ncols = min(len(ms), 4) if ncols is None else check_positive_int(fn, "ncols", ncols)
    ncols = min(ncols, len(ms))
    nrows = math.ceil(len(ms) / ncols)
    grid = new_figure((3.4 * ncols + 0.6, 3.1 * nrows), nrows, ncols)
    limits = {
        k: heatmap_limits(*(m for m, mk in zip(ms, kinds, strict=True) if mk == k), kind=k)
        for k in dict.fromkeys(kinds)
    }
    axes, images = grid[: len(ms)], []
    for ax, m, token_labels, title, k in zip(axes, ms, labels, titles, kinds, strict=True):
        heatmap_frame(ax, token_labels, token_labels, str(title))
        images.append(heatmap_artists(ax, m, kind=k, fmt=fmt, limits=limits[k])[0])
    for ax in grid[len(ms) :]:
        ax.remove()  # the grid's empty places
    for k in limits:  # one colour bar per kind, beside the panels that share its scale
        group = [ax for ax, mk in zip(axes, kinds, strict=True) if mk == k]
        image = images[kinds.index(k)]
        axes[0].figure.colorbar(image, ax=group, shrink=0.8, label=tr(f"plots.{k}_scale"))
    return axes


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
    ax.set_xlabel(tr("plots.key_axis"))
    ax.set_ylabel(tr("plots.query_axis"))
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


def number_color(value: float, vmin: float, vmax: float, *, kind: str) -> str:
    """Black on a light cell, white on a dark one, for a number written on the map of ``kind``.

    viridis (weights) is dark at the low end and light at the high end; the diverging map of
    signed scores is dark at both ends.
    """
    if kind == "weights":
        return "black" if value > vmin + 0.55 * (vmax - vmin) else "white"
    return "black" if abs(value) <= 0.6 * max(abs(vmin), abs(vmax)) else "white"


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
    # Weights (0 to 1): viridis, perceptually uniform and readable with colour-blindness. Signed
    # scores: a diverging map; the numbers written in every cell keep the sign legible without it.
    cmap = "viridis" if kind == "weights" else "RdBu_r"
    image = m.masked_fill(masked, float("nan")).numpy()
    colormap = matplotlib.colormaps[cmap].with_extremes(bad=MASKED_COLOR)  # NaN here means "masked"
    artists: list[Artist] = [
        ax.imshow(image, cmap=colormap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ]
    # More than ~6 columns of numbers no longer fit in a small figure at size 8.
    fontsize = 8 if max(m.shape) <= 6 else 6
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            value = float(m[i, j])
            label = "−∞" if masked[i, j] else fmt.format(value)
            color = "black" if masked[i, j] else number_color(value, vmin, vmax, kind=kind)
            artists.append(
                ax.text(j, i, label, ha="center", va="center", fontsize=fontsize, color=color)
            )
    return artists
