"""Where attention sits: one transformer block drawn as boxes on its residual stream."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .._checks import check_bool
from ..i18n import text as tr
from .base import INPUT_COLOR, MASKED_COLOR, QUERY_COLOR, new_ax

#: The block from bottom to top (pre-LayerNorm, as GPT-2 and most models since): each pair of
#: a LayerNorm and a sublayer reads the residual stream and adds its output back at a ⊕.
BLOCK_PARTS = ("layernorm", "attention", "add", "layernorm", "mlp", "add")
#: The parts the tiny model of notebook 13 keeps: attention and the additions onto the stream.
KEPT_BY_TINY_MODEL = {"attention", "add"}
PART_COLORS = {"layernorm": "white", "attention": QUERY_COLOR, "mlp": "tab:green"}


def plot_transformer_block(ax: Axes | None = None, *, mark_left_out: bool = True) -> Axes:
    """One transformer block: LayerNorm, multi-head attention, ⊕, LayerNorm, MLP, ⊕, each
    sublayer on a branch off the residual stream (the vertical line) that adds back onto it.

    ``mark_left_out`` greys the parts an attention-only model leaves out (LayerNorm, MLP) and
    says so in the legend. Returns the Axes.
    """
    fn = "plot_transformer_block"
    mark_left_out = check_bool(fn, "mark_left_out", mark_left_out)
    ax = new_ax(ax, (4.4, 5.0), fn=fn)
    stream_x, branch_x = 0.0, 1.6
    ax.plot([stream_x, stream_x], [-0.6, 7.4], color=INPUT_COLOR, lw=3, zorder=1)
    ax.text(stream_x - 0.15, -0.6, tr("plots.block.input"), ha="right", va="center")
    ax.text(stream_x - 0.15, 7.4, tr("plots.block.output"), ha="right", va="center")
    ax.text(stream_x - 0.15, 3.0, tr("plots.block.stream"), rotation=90, ha="right", va="center",
            fontsize=8)  # fmt: skip
    for stage in range(2):  # (LayerNorm, sublayer, ⊕) twice
        norm, sublayer, _ = BLOCK_PARTS[3 * stage : 3 * stage + 3]
        y0 = 3.5 * stage
        left_out = {p: mark_left_out and p not in KEPT_BY_TINY_MODEL for p in (norm, sublayer)}
        ax.add_patch(FancyArrowPatch((stream_x, y0 + 0.2), (branch_x - 0.95, y0 + 0.8), arrowstyle="->",
                                     mutation_scale=10))  # fmt: skip
        _box(ax, branch_x, y0 + 0.6, norm, left_out[norm])
        _box(ax, branch_x, y0 + 1.8, sublayer, left_out[sublayer])
        ax.add_patch(
            FancyArrowPatch(
                (branch_x, y0 + 1.05),
                (branch_x, y0 + 1.75),
                arrowstyle="->",
                mutation_scale=10,
                zorder=3,
            )
        )
        ax.add_patch(
            FancyArrowPatch(
                (branch_x, y0 + 2.2),
                (stream_x + 0.18, y0 + 2.9),
                arrowstyle="->",
                mutation_scale=10,
            )
        )
        ax.text(stream_x, y0 + 2.9, "⊕", ha="center", va="center", fontsize=16, zorder=3,
                bbox={"boxstyle": "circle,pad=0.05", "fc": "white", "ec": "none"})  # fmt: skip
    if mark_left_out:
        ax.text(0.5, -1.3, tr("plots.block.left_out"), ha="center", va="center", fontsize=8,
                color="0.35")  # fmt: skip
    ax.set_xlim(-2.0, 3.0)
    ax.set_ylim(-1.6, 7.8)
    ax.set_axis_off()
    ax.set_title(tr("plots.block.title"))
    return ax


def _box(ax: Axes, x: float, y: float, part: str, left_out: bool) -> None:
    """The box of ``part`` centred on (x, y + 0.2): grey and hatched when the tiny model omits it."""
    face = MASKED_COLOR if left_out else PART_COLORS[part]
    ax.add_patch(
        FancyBboxPatch(
            (x - 0.95, y), 1.9, 0.4, boxstyle="round,pad=0.05", fc=face, ec="0.3",
            hatch="//" if left_out else None, ls="--" if left_out else "-", zorder=2,
        )
    )  # fmt: skip
    ax.text(x, y + 0.2, tr(f"plots.block.{part}"), ha="center", va="center", fontsize=9, zorder=3,
            color="0.35" if left_out else "black")  # fmt: skip
