"""Where the numbers go: the Q/K/V projection, the head split and merge, and the causal mask.

Each picture writes the shapes (and, where it is given the tensors, the numbers) of the real
computation: the shapes of the head split come from running ``view`` and ``transpose`` on a
tensor, the weights of the causal picture from ``softmax_stable`` on the scores passed in. The
tile walk of flash attention is in ``walk``.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
import torch
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, Rectangle

from .._checks import (
    check_format,
    check_index,
    check_positive_int,
    check_tokens,
    fits_in_memory,
    shape_str,
)
from ..functional import causal_mask, softmax_stable
from ..i18n import text as tr
from .base import OVERFLOW_COLOR, QUERY_COLOR, as_drawable, new_ax, new_figure
from .heatmaps import heatmap_artists, heatmap_frame, number_color

#: Matrices up to this many rows and columns get their numbers written in the cells.
NUMBERS_UP_TO = 8


def plot_qkv_projection(
    x: torch.Tensor,
    W_q: torch.Tensor,
    W_k: torch.Tensor,
    W_v: torch.Tensor,
    tokens: Sequence[str],
    *,
    highlight: int | None = None,
    ax: Axes | None = None,
) -> Axes:
    """x times W_q, W_k and W_v: the three projections of a sequence, laid out as products.

    Shapes: x (T, d_in); W_q, W_k (d_in, d_out); W_v (d_in, d_v); Q, K (T, d_out); V (T, d_v)

    Each product sits below its matrix and beside x, so row i of Q, K and V is row i of x (one
    token) times the matrix above it. ``highlight`` outlines one token's row in x and in Q, K, V.
    Cells are coloured on one diverging scale; small matrices have their numbers written in.
    """
    fn = "plot_qkv_projection"
    x = as_drawable(fn, "x", x, ndim=2)
    T, d_in = x.shape
    given = {"W_q": W_q, "W_k": W_k, "W_v": W_v}
    mats = {name: as_drawable(fn, name, w, ndim=2) for name, w in given.items()}
    for name, w in mats.items():
        if w.shape[0] != d_in:
            raise ValueError(
                f"{fn}: {name} must have d_in = {d_in} rows, one per feature of x "
                f"{shape_str(x)}, got {shape_str(w)}"
            )
    if mats["W_k"].shape[1] != mats["W_q"].shape[1]:
        raise ValueError(
            f"{fn}: W_k must have as many columns as W_q ({mats['W_q'].shape[1]}), since every "
            f"query is compared with every key, got {shape_str(mats['W_k'])}"
        )
    tokens = check_tokens(fn, "tokens", tokens, T, "row of x")
    if highlight is not None:
        highlight = check_index(fn, "highlight", highlight, T, what="a row of x")
    ax = new_ax(ax, (6.4, 5.2), fn=fn)
    products = {name: x @ w for name, w in mats.items()}  # (T, d_out) each
    limit = max(float(m.abs().max()) for m in (x, *mats.values(), *products.values())) or 1.0
    top = d_in + 1.3  # the products (and x) start below the matrices and their labels
    _matrix(ax, x, 0.0, top, limit)
    ax.text(d_in / 2, top - 0.25, f"$x$  {shape_str(x)}", ha="center", va="bottom", fontsize=9)
    for i, token in enumerate(tokens):
        ax.text(-0.15, top + i + 0.5, token, ha="right", va="center", fontsize=9)
    left = d_in + 1.4
    roles = ("queries", "keys", "values")
    for (name, w), letter, role in zip(mats.items(), "QKV", roles, strict=True):
        product = products[name]
        _matrix(ax, w, left, 0.0, limit)
        subscript = name[-1]
        ax.text(left - 0.15, d_in / 2, f"$W_{subscript}$", ha="right", va="center", fontsize=10)
        ax.text(left + w.shape[1] / 2, -0.2, shape_str(w), ha="center", va="bottom", fontsize=8)
        _matrix(ax, product, left, top, limit)
        centre = left + w.shape[1] / 2
        ax.text(centre, top + T + 0.25, f"${letter} = x W_{subscript}$", ha="center", va="top",
                fontsize=10)  # fmt: skip
        ax.text(centre, top + T + 1.05, f"{tr(f'plots.qkv.{role}')}\n{shape_str(product)}",
                ha="center", va="top", fontsize=8, linespacing=1.4)  # fmt: skip
        if highlight is not None:
            _outline(ax, left, top + highlight, w.shape[1])
        left += w.shape[1] + 1.2
    if highlight is not None:
        _outline(ax, 0.0, top + highlight, d_in)
    ax.set_xlim(-2.2, left - 0.5)
    ax.set_ylim(top + T + 2.3, -0.9)  # row 0 at the top, as a matrix is written
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(tr("plots.qkv.title"))
    return ax


def _matrix(ax: Axes, m: torch.Tensor, left: float, top: float, limit: float) -> None:
    """``m`` as coloured cells with its top-left corner at (left, top), one unit per cell."""
    rows, cols = m.shape
    ax.imshow(m.numpy(), cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest",
              extent=(left, left + cols, top + rows, top))  # fmt: skip
    ax.add_patch(Rectangle((left, top), cols, rows, fill=False, ec="0.3", lw=0.8))
    if max(rows, cols) > NUMBERS_UP_TO:
        return
    for i in range(rows):
        for j in range(cols):
            value = float(m[i, j])
            color = number_color(value, -limit, limit, kind="scores")
            label = f"{round(value, 2) + 0.0:.2f}"  # + 0.0: -0.0048 shows as 0.00, not -0.00
            ax.text(left + j + 0.5, top + i + 0.5, label, ha="center", va="center",
                    fontsize=8, color=color)  # fmt: skip


def _outline(ax: Axes, left: float, top: float, width: float) -> None:
    ax.add_patch(Rectangle((left, top), width, 1.0, fill=False, ec=QUERY_COLOR, lw=2.2, zorder=4))


# --- the head split ---------------------------------------------------------------------------

#: The steps of multi-head attention, top to bottom: the step, its code and the symbols of the
#: shape it makes (code and maths, the same in every language), and how its drawing lays out one
#: sequence's numbers ("flat": d_out features side by side; "grouped": cut into heads; "split":
#: one (T, d_head) matrix per head) and what they hold.
HEAD_STEPS = (
    ("project", "q = W_q(x)", "(B, T, d_out)", "flat", "projected"),
    ("view", "q.view(B, T, n_heads, d_head)", "(B, T, n_heads, d_head)", "grouped", "projected"),
    ("transpose", ".transpose(1, 2)", "(B, n_heads, T, d_head)", "split", "projected"),
    ("attend", "attention(q, k, v)", "(B, n_heads, T, d_head)", "split", "context"),
    ("transpose_back", ".transpose(1, 2)", "(B, T, n_heads, d_head)", "grouped", "context"),
    ("merge", ".contiguous().view(B, T, d_out)", "(B, T, d_out)", "flat", "context"),
    ("out", "W_o(context)", "(B, T, d_out)", "flat", "mixed"),
)


def _head_shapes(fn: str, B: int, T: int, d_out: int, n_heads: int) -> list[tuple[int, ...]]:
    """The shape after each step of HEAD_STEPS, from running the steps on a (meta) tensor."""
    B, T = check_positive_int(fn, "B", B), check_positive_int(fn, "T", T)
    d_out = check_positive_int(fn, "d_out", d_out)
    n_heads = check_positive_int(fn, "n_heads", n_heads)
    if d_out % n_heads:
        raise ValueError(f"{fn}: d_out must be a multiple of n_heads={n_heads}, got {d_out}")
    d_head = d_out // n_heads
    with fits_in_memory(fn, f"(B, n_heads, T, T) = ({B}, {n_heads}, {T}, {T}) weights"):
        q = torch.empty(B, T, d_out, device="meta")  # shapes only: no number is computed
        heads = q.view(B, T, n_heads, d_head)
        split = heads.transpose(1, 2)  # (B, n_heads, T, d_head)
        weights = torch.empty(B, n_heads, T, T, device="meta")
        context = weights @ split  # (B, n_heads, T, d_head): attention, every head at once
        back = context.transpose(1, 2)  # (B, T, n_heads, d_head)
        merged = back.contiguous().view(B, T, d_out)
        out = torch.nn.functional.linear(merged, torch.empty(d_out, d_out, device="meta"))
        return [tuple(t.shape) for t in (q, heads, split, context, back, merged, out)]


def plot_head_split(
    B: int, T: int, d_out: int, n_heads: int, *, ax: Axes | None = None
) -> Axes:  # fmt: skip
    """Multi-head attention's split and merge, step by step, with the tensor shape after each.

    Shapes: (B, T, d_out) → view (B, T, n_heads, d_head) → transpose (B, n_heads, T, d_head) →
    attention per head → transpose back (B, T, n_heads, d_head) → view (B, T, d_out) → W_o

    Each step draws one sequence of the batch, its T rows and its features coloured by head.
    """
    fn = "plot_head_split"
    shapes = _head_shapes(fn, B, T, d_out, n_heads)
    ax = new_ax(ax, (6.8, 7.6), fn=fn)
    width, y = 3.0, 0.0  # the drawings' width; the top of the current step
    for s, (step, shape) in enumerate(zip(HEAD_STEPS, shapes, strict=True)):
        name, code, symbols, layout, holds = step
        if s:
            ax.add_patch(FancyArrowPatch((0.75, y + 0.08), (0.75, y + 0.62), arrowstyle="->",
                                         mutation_scale=10, color="0.4"))  # fmt: skip
            y += 0.7
        drawn = _head_cells(ax, y, width, T, d_out, n_heads, layout, holds)
        middle = y + max(drawn, 1.0) / 2
        ax.text(width + 0.4, middle - 0.38, code, ha="left", va="center", family="monospace",
                fontsize=9)  # fmt: skip
        ax.text(width + 0.4, middle, tr(f"plots.heads.{name}"), ha="left", va="center",
                fontsize=8, color="0.3")  # fmt: skip
        ax.text(width + 0.4, middle + 0.38, f"{symbols} = {shape}", ha="left", va="center",
                fontsize=9)  # fmt: skip
        y += max(drawn, 1.0)
    ax.text(0.0, y + 0.45, tr("plots.heads.caption"), ha="left", va="top", fontsize=8,
            color="0.3", linespacing=1.4)  # fmt: skip
    ax.set_xlim(-0.1, 9.6)
    ax.set_ylim(y + 1.5, -0.2)
    ax.set_axis_off()
    ax.set_title(tr("plots.heads.title", n_heads=n_heads))
    return ax


def _head_cells(ax, top, width, T, d_out, n_heads, layout, holds) -> float:
    """One sequence's numbers from ``top`` down, laid out as the step has them; returns the height.

    "flat" and "grouped": T rows of d_out features (grouped: a gap between heads). "split": the
    heads stacked, one (T, d_head) matrix each, as a (n_heads, T, d_head) tensor reads row by row.
    """
    d_head = d_out // n_heads
    gap = 0.12 if layout == "grouped" and n_heads > 1 else 0.0
    cell_w = (width - gap * (n_heads - 1)) / d_out
    block_h = 1.0 if layout != "split" else min(1.0, 2.4 / n_heads)
    alpha = 0.4 if holds == "projected" else 1.0
    cells = T * d_out <= 24 * 24  # small enough to draw every cell
    for h in range(n_heads):
        left, y = h * (d_head * cell_w + gap), top
        if layout == "split":
            left, y = 0.0, top + h * (block_h + 0.15)
            if n_heads <= 8:
                ax.text(d_head * cell_w + 0.1, y + block_h / 2, tr("plots.heads.head", h=h),
                        ha="left", va="center", fontsize=8)  # fmt: skip
        color = "0.55" if holds == "mixed" else matplotlib.colormaps["tab10"](h % 10)
        if not cells:
            ax.add_patch(Rectangle((left, y), d_head * cell_w, block_h, fc=color, alpha=alpha))
            continue
        for i in range(T):
            for j in range(d_head):
                corner = (left + j * cell_w, y + i * block_h / T)
                ax.add_patch(Rectangle(corner, cell_w, block_h / T, fc=color, alpha=alpha,
                                       ec="white", lw=0.6))  # fmt: skip
    return block_h if layout != "split" else n_heads * (block_h + 0.15) - 0.15


# --- the causal mask ----------------------------------------------------------------------------


def plot_causal_masking(
    attn_scores: torch.Tensor, tokens: Sequence[str], *, fmt: str = "{:.2f}"
) -> list[Axes]:
    """The causal mask applied before softmax, and zeroing after softmax for contrast.

    Shapes: attn_scores (T, T), finite: the scores before any mask

    Two panels: (1) the scores with the future (above the diagonal) set to -inf; (2) softmax of
    those: exact zeros (written 0) above the diagonal. At the right of each row, two sums: that
    row's weights (1), and, in red, the row of softmax of the unmasked scores with the future
    zeroed afterwards, which sums to less than 1 unless divided again. Returns the two Axes.
    """
    fn = "plot_causal_masking"
    check_format(fn, "fmt", fmt)
    scores = as_drawable(fn, "attn_scores", attn_scores, ndim=2)
    T = scores.shape[0]
    if scores.shape[1] != T:
        raise ValueError(
            f"{fn}: attn_scores must be square (T, T), one row and one column per token, "
            f"got {shape_str(scores)}"
        )
    tokens = check_tokens(fn, "tokens", tokens, T, "row of attn_scores")
    allowed = causal_mask(T, device=scores.device)  # (T, T): True on and below the diagonal
    masked = scores.masked_fill(~allowed, float("-inf"))
    weights = softmax_stable(masked, dim=-1)  # (T, T)
    zeroed = softmax_stable(scores, dim=-1) * allowed  # (T, T): the other order
    axes = new_figure((6.8, 3.6), 1, 2)
    heatmap_frame(axes[0], tokens, tokens, tr("plots.causal.masked"))
    heatmap_artists(axes[0], masked, kind="scores", fmt=fmt)
    heatmap_frame(axes[1], tokens, tokens, tr("plots.causal.weights"))
    cells = heatmap_artists(axes[1], weights, kind="weights", fmt=fmt, limits=(0.0, 1.0))[1:]
    for cell, value in zip(cells, weights.flatten().tolist(), strict=True):
        if value == 0.0:
            cell.set_text("0")  # exactly 0, not a small weight rounded
    for column, (m, color) in enumerate(((weights, "black"), (zeroed, OVERFLOW_COLOR))):
        for i, total in enumerate(m.sum(dim=-1).tolist()):  # each row's sum, at its right
            axes[1].text(T - 0.35 + 1.35 * column, i, f"Σ {fmt.format(total)}", ha="left",
                         va="center", fontsize=8, color=color)  # fmt: skip
    for ax in axes:
        ax.title.set_fontsize(10)
    axes[1].set_ylabel("")  # the same queries as the first panel, row for row
    axes[1].tick_params(labelleft=False)
    figure = axes[0].figure
    figure.suptitle(tr("plots.causal.title"))
    figure.supxlabel(tr("plots.causal.zeroed"), fontsize=8, color=OVERFLOW_COLOR)
    return axes
