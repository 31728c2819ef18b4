"""Flash attention's two pictures: the running maximum over chunks, and which tiles are computed."""

from __future__ import annotations

import torch
from matplotlib.axes import Axes

from .._checks import check_positive_int
from ..i18n import text as tr
from .base import as_drawable, new_ax, new_figure

#: How a tile is computed: whole, with the future's scores masked, or not at all.
TILE_FULL, TILE_MASKED, TILE_SKIPPED = 1.0, 0.5, 0.0


def plot_running_max(x: torch.Tensor, chunk: int, *, ax: Axes | None = None) -> Axes:
    """The scores of one row and the running maximum m after each chunk of ``chunk`` scores.

    Shapes: x (n,), with n a multiple of ``chunk``

    m only ever rises, and it rises at a chunk that holds a new largest score: that is when the
    online softmax rescales what it has summed so far.
    """
    fn = "plot_running_max"
    x = as_drawable(fn, "x", x, ndim=1)
    chunk = check_positive_int(fn, "chunk", chunk)
    if x.shape[0] % chunk:
        raise ValueError(f"{fn}: x has {x.shape[0]} scores, expected a multiple of chunk={chunk}")
    n_chunks = x.shape[0] // chunk
    m_after = x.view(n_chunks, chunk).amax(dim=1).cummax(dim=0).values  # (n_chunks,)
    starts = [c * chunk - 0.5 for c in range(n_chunks)]
    ax = new_ax(ax, fn=fn)
    ax.plot(range(x.shape[0]), x.numpy(), "o", ms=4, label=tr("plots.running_scores"))
    ax.hlines(
        m_after.numpy(),
        starts,
        [s + chunk for s in starts],
        color="C1",
        label=tr("plots.running_max"),
    )
    for boundary in starts[1:]:
        ax.axvline(boundary, color="gray", lw=0.8, ls=":")  # chunk boundaries
    low, high = float(x.min()), float(x.max())
    pad = 0.25 * (high - low) + 1.0
    ax.set(
        xlabel=tr("plots.position"), ylim=(low - 2 * pad, high + pad), title=tr("plots.one_pass")
    )
    ax.legend(fontsize=8, loc="lower left")
    return ax


def tile_plan(n_blocks: int, *, causal: bool) -> torch.Tensor:
    """Which (query block, key block) tiles are computed: TILE_FULL, TILE_MASKED or TILE_SKIPPED.

    Shapes: returns (n_blocks, n_blocks); row = query block, column = key block
    """
    n_blocks = check_positive_int("tile_plan", "n_blocks", n_blocks)
    plan = torch.full((n_blocks, n_blocks), TILE_FULL, device="cpu")  # a picture's data
    if causal:
        plan = plan.tril()  # above the diagonal: every key is in the future of every query
        plan.fill_diagonal_(TILE_MASKED)  # on it: computed, the future's scores masked
    return plan


def plot_tile_grid(n_blocks: int) -> list[Axes]:
    """The tiles of full and of causal attention side by side: computed, masked or skipped.

    Returns the two Axes of a new figure (full, causal); each title counts the tiles computed.
    """
    names = {TILE_FULL: "", TILE_MASKED: tr("plots.tile_mask"), TILE_SKIPPED: tr("plots.tile_skip")}
    axes = new_figure((6.0, 3.0), 1, 2)
    for ax, causal in zip(axes, (False, True), strict=True):
        plan = tile_plan(n_blocks, causal=causal)
        ax.imshow(plan.numpy(), cmap="Blues", vmin=0, vmax=1.2)
        for i in range(n_blocks):
            for j in range(n_blocks):
                ax.text(j, i, names[plan[i, j].item()], ha="center", va="center", fontsize=8)
        ticks = range(n_blocks)
        ax.set(
            xticks=ticks, yticks=ticks, xlabel=tr("plots.key_block"), ylabel=tr("plots.query_block")
        )
        computed = int((plan > 0).sum())
        key = "plots.tiles_causal" if causal else "plots.tiles_full"
        ax.set_title(tr(key, computed=computed, total=n_blocks**2))
    return axes
