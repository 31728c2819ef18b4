"""Softmax against its scale, and the spread of scores before and after ÷√d_k."""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from .._checks import (
    check_pair,
    check_positive_int,
    check_scale,
    check_tokens,
)
from ..i18n import text as tr
from .base import as_drawable, new_ax, nice_ceil


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
    s = as_drawable(fn, "attn_scores", attn_scores, ndim=1)
    tokens = check_tokens(fn, "tokens", tokens, s.shape[0], "score")
    low, high = check_pair(fn, "scale_range", scale_range, positive=True)
    ax = new_ax(ax, fn=fn)
    scales = torch.logspace(
        math.log10(low), math.log10(high), 121, dtype=torch.float64, device=s.device
    )
    weights = torch.softmax(scales[:, None] * s[None, :], dim=-1)  # (n_scales, T)
    for i, token in enumerate(tokens):
        ax.plot(scales.numpy(), weights[:, i].numpy(), label=token, lw=1.2)
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(tr("plots.scale_axis"))
    ax.set_ylabel(tr("plots.weight_axis"))
    ax.legend(fontsize=7, frameon=False, loc="center left")
    ax.set_title(tr("plots.softmax_title"))
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
    raw = as_drawable(fn, "attn_scores", attn_scores, ndim=1)
    scaled = as_drawable(fn, "scaled_scores", scaled_scores, ndim=1)
    # More bins than a figure has pixels draws nothing more, and a huge count cannot be allocated.
    bins = check_positive_int(fn, "bins", bins, maximum=10_000)
    ax = new_ax(ax, fn=fn)
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
    return nice_ceil(max(largest, 1e-3) * 1.05)


def spread_frame(ax: Axes, limit: float) -> None:
    ax.set_xlim(-limit, limit)
    ax.set_xlabel(tr("plots.score_axis"))
    ax.set_ylabel(tr("plots.count_axis"))
    ax.set_yticks([])
    ax.set_title(tr("plots.spread_title"))


def spread_artists(ax, raw, scaled, limit, *, bins: int = 40) -> list[Artist]:
    edges = torch.linspace(-limit, limit, bins + 1, dtype=torch.float64, device="cpu")
    artists: list[Artist] = []
    handles = []
    top = 1.0
    for t, label, color in ((raw, "q·k", "tab:gray"), (scaled, "q·k / √d_k", "tab:green")):
        counts = torch.histogram(t, bins=edges).hist
        top = max(top, float(counts.max()))
        std = float(t.std()) if t.numel() > 1 else 0.0
        patch = ax.stairs(counts.numpy(), edges.numpy(), fill=True, alpha=0.5, color=color)
        patch.set_label(tr("plots.spread_legend", label=label, std=std))
        artists.append(patch)
        handles.append(patch)
    ax.set_ylim(0, 1.1 * top)  # no y ticks, so a new height changes nothing but the bars
    # 9 points, near the tick labels: at 7 the legend was hard to read at the size JupyterLab shows.
    artists.append(ax.legend(handles=handles, fontsize=9, frameon=False, loc="upper left"))
    return artists
