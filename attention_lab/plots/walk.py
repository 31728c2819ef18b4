"""Flash attention's tile walk: one query block along the key blocks, and what each step keeps.

``online`` draws which tiles are computed (``plot_tile_grid``) and how the running maximum rises
(``plot_running_max``); this picture is the data flow of one query block's walk, with the shape of
every tensor it holds, found by running one step of the walk on tensors of those sizes.
"""

from __future__ import annotations

import math

import torch
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, Rectangle

from .._checks import check_positive_int, fits_in_memory
from ..i18n import text as tr
from .base import CONTEXT_COLOR, INPUT_COLOR, QUERY_COLOR, new_ax

#: The lines of the picture, top to bottom: (name, formula, which tensor's shape it shows). The
#: names of the loop's lines are the steps of ``flash_attention`` in notebook 09.
START = (
    ("row_max", r"$m \leftarrow -\infty$", "m"),
    ("row_sum", r"$\ell \leftarrow 0$", "m"),
    ("acc", r"$\mathrm{acc} \leftarrow 0$", "acc"),
)
LOOP = (
    ("scores", r"$S = Q_i K_j^\top / \sqrt{d_k}$", "S"),
    ("new_max", r"$m_\mathrm{new} = \max(m,\ \max_\mathrm{row} S)$", "m"),
    ("rescale", r"$r = e^{\,m - m_\mathrm{new}}$", "m"),
    ("exps", r"$P = e^{\,S - m_\mathrm{new}}$", "S"),
    ("sum", r"$\ell \leftarrow r\,\ell + \sum_\mathrm{row} P$", "m"),
    ("acc_step", r"$\mathrm{acc} \leftarrow r\,\mathrm{acc} + P\,V_j$", "acc"),
    ("max_step", r"$m \leftarrow m_\mathrm{new}$", "m"),
)
END = (("out", r"$O_i = \mathrm{acc}\, /\, \ell$", "acc"),)
#: Symbols of each shape, as the notebook writes them.
SYMBOLS = {"S": "(b_q, b_k)", "m": "(b_q, 1)", "acc": "(b_q, d_v)"}


def tile_walk_shapes(
    n: int, d_k: int, d_v: int, *, block_q: int, block_k: int, fn: str = "tile_walk_shapes"
) -> dict[str, tuple[int, ...]]:
    """The shapes one step of the walk holds: S (the tile), m and ℓ, acc; and the key blocks.

    Shapes: q block (block_q, d_k), k (n, d_k), v (n, d_v); returns {"S": (block_q, block_k),
    "m": (block_q, 1), "acc": (block_q, d_v)}, computed on meta tensors (no numbers)
    """
    n, d_k = check_positive_int(fn, "n", n), check_positive_int(fn, "d_k", d_k)
    d_v = check_positive_int(fn, "d_v", d_v)
    block_q = check_positive_int(fn, "block_q", block_q)
    block_k = check_positive_int(fn, "block_k", block_k)
    for name, block in (("block_q", block_q), ("block_k", block_k)):
        if n % block:
            raise ValueError(f"{fn}: {name} must divide n={n} into whole blocks, got {block}")
    with fits_in_memory(
        fn, f"a block of {block_q} queries or {block_k} keys of d_k={d_k}, d_v={d_v}"
    ):
        q_blk = torch.empty(block_q, d_k, device="meta")
        k_blk, v_blk = (
            torch.empty(block_k, d_k, device="meta"),
            torch.empty(block_k, d_v, device="meta"),
        )
        row_max = torch.full((block_q, 1), -math.inf, device="meta")
        s = q_blk @ k_blk.T  # (b_q, b_k): one tile of scores
        row_max_new = torch.maximum(row_max, s.amax(dim=-1, keepdim=True))
        acc = torch.zeros(block_q, d_v, device="meta") + torch.exp(s - row_max_new) @ v_blk
        return {"S": tuple(s.shape), "m": tuple(row_max_new.shape), "acc": tuple(acc.shape)}


def plot_tile_walk(
    n: int, d_k: int, d_v: int, *, block_q: int, block_k: int, ax: Axes | None = None
) -> Axes:
    """One query block Q_i walks along the key/value blocks K_j, V_j: the online softmax's steps.

    Shapes: q, k (n, d_k), v (n, d_v); Q_i (b_q, d_k), K_j (b_k, d_k), V_j (b_k, d_v), with
    b_q = ``block_q``, b_k = ``block_k``; each must divide n

    Top: the row of tiles S_ij the block computes, one per key block, each forgotten after its
    step. Below: what one step does (the tile S, the running maximum m, the rescale factor
    e^(m_old − m_new), the exponentials P, the running sum ℓ, the accumulator acc) and, after the
    last key block, the output acc / ℓ; each line with its shape and a box drawn to that shape.
    """
    fn = "plot_tile_walk"
    shapes = tile_walk_shapes(n, d_k, d_v, block_q=block_q, block_k=block_k, fn=fn)
    ax = new_ax(ax, (7.6, 6.4), fn=fn)
    _walk_row(ax, n // block_k, block_q, d_k, block_k, d_v)
    largest = max(max(s) for s in shapes.values())
    y = 2.9
    for part, lines in (("start", START), ("loop", LOOP), ("end", END)):
        ax.text(0.0, y, tr(f"plots.walk.{part}", blocks=n // block_k), ha="left", va="center",
                fontsize=9, fontweight="bold")  # fmt: skip
        top = y + 0.55
        for name, formula, tensor in lines:
            y += 0.55
            ax.text(0.8, y, formula, ha="left", va="center", fontsize=10)
            ax.text(4.6, y, tr(f"plots.walk.{name}"), ha="left", va="center", fontsize=8,
                    color="0.3")  # fmt: skip
            ax.text(8.7, y, f"{SYMBOLS[tensor]} = {shapes[tensor]}", ha="left", va="center",
                    fontsize=8)  # fmt: skip
            _shape_box(ax, 11.6, y, shapes[tensor], largest, tensor)
        if part == "loop":  # the loop goes round once per key block: back up, left of its lines
            bar = "bar,fraction=-0.1"
            ax.add_patch(FancyArrowPatch((0.65, y), (0.65, top), connectionstyle=bar,
                                         arrowstyle="->", mutation_scale=10, color="0.4"))  # fmt: skip
        y += 0.75
    ax.set_xlim(-0.1, 12.1)
    ax.set_ylim(y - 0.3, -0.2)
    ax.set_axis_off()
    ax.set_title(tr("plots.walk.title"))
    return ax


def _walk_row(ax: Axes, n_blocks: int, block_q: int, d_k: int, block_k: int, d_v: int) -> None:
    """Q_i, then its row of tiles S_i0, S_i1, ... (at most 6 drawn), and the arrow of the walk.

    Heights stand for b_q rows; widths for d_k (Q_i) and b_k (a tile), kept between 0.5 and 1.6.
    """
    unit = 1.2 / block_q
    q_w, tile_w = (min(max(cols * unit, 0.5), 1.6) for cols in (d_k, block_k))
    ax.add_patch(Rectangle((0.0, 0.3), q_w, 1.2, fc=QUERY_COLOR, alpha=0.5, ec="0.3"))
    ax.text(q_w / 2, 0.9, "$Q_i$", ha="center", va="center", fontsize=10)
    ax.text(q_w / 2, 1.75, f"({block_q}, {d_k})", ha="center", va="center", fontsize=8)
    shown = list(range(n_blocks)) if n_blocks <= 6 else [0, 1, 2, None, n_blocks - 1]
    start = q_w + 0.7
    for place, j in enumerate(shown):
        left = start + place * (tile_w + 0.3)
        if j is None:
            ax.text(left + tile_w / 2, 0.9, "…", ha="center", va="center", fontsize=12)
            continue
        ax.add_patch(Rectangle((left, 0.3), tile_w, 1.2, fc=INPUT_COLOR, alpha=0.25, ec="0.3"))
        ax.text(left + tile_w / 2, 0.9, f"$S_{{i{j}}}$", ha="center", va="center", fontsize=10)
        ax.text(left + tile_w / 2, 0.12, f"$K_{{{j}}}, V_{{{j}}}$", ha="center", va="bottom",
                fontsize=9)  # fmt: skip
    right = start + len(shown) * (tile_w + 0.3) - 0.3
    ax.add_patch(FancyArrowPatch((start, 1.8), (right, 1.8), arrowstyle="->", mutation_scale=12,
                                 color="0.3"))  # fmt: skip
    ax.text(start, 2.05, tr("plots.walk.along", blocks=n_blocks, b_k=block_k), ha="left",
            va="top", fontsize=8, color="0.3")  # fmt: skip
    ax.text(right + 0.3, 0.9, f"$O_i$  ({block_q}, {d_v})", ha="left", va="center", fontsize=9)


def _shape_box(ax: Axes, x: float, y: float, shape: tuple[int, ...], largest: int, tensor: str):
    """A box of ``shape`` (rows, columns), scaled so the largest size is 0.45 high."""
    rows, cols = shape
    h, w = max(0.45 * rows / largest, 0.04), max(0.45 * cols / largest, 0.04)
    color = {"S": INPUT_COLOR, "m": "0.5", "acc": CONTEXT_COLOR}[tensor]
    ax.add_patch(Rectangle((x - w / 2, y - h / 2), w, h, fc=color, alpha=0.5, ec="0.3", lw=0.6))
