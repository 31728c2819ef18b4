"""Tiles explorer: walk one query block over its key tiles, one click per tile, as notebook 09 does."""

from __future__ import annotations

import math
from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib
import torch
from matplotlib.patches import Rectangle

from .._checks import check_bool, check_index, check_positive_int, check_seed, check_tensor
from ..default_device import on_cpu
from ..i18n import text as tr
from ..plots import MASKED_COLOR
from .figures import View
from .shell import Explorer, cpu_step, html_line, html_table, int_slider

#: The default example: 12 tokens in tiles of 4, so a query block has three key tiles.
N_TOKENS, D_K, D_V, BLOCK = 12, 4, 3, 4


@dataclass(frozen=True)
class TilesStep:
    """The running state of one query block after reading its first ``steps`` key tiles.

    Shapes: scores (block, n) the block's scaled scores, row_max m (block,), row_sum ℓ (block,),
    rescale (block,) = exp(m_old − m_new) of the last tile read (1 before any), acc (block, d_v),
    out (block, d_v) = acc / ℓ (nan until a tile is read); read, skipped (n_tiles,) bool
    """

    query_block: int
    block: int
    steps: int
    causal: bool
    scores: torch.Tensor
    row_max: torch.Tensor
    row_sum: torch.Tensor
    rescale: torch.Tensor
    acc: torch.Tensor
    out: torch.Tensor
    read: torch.Tensor
    skipped: torch.Tensor

    @property
    def n_tiles_to_read(self) -> int:
        """Key tiles this query block reads in all (the causal mask skips the others)."""
        return int((~self.skipped).sum())

    @property
    def done(self) -> bool:
        return self.steps == self.n_tiles_to_read


def tiles_example(seed: int = 9) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """q, k (N_TOKENS, D_K) and v (N_TOKENS, D_V), drawn on the CPU from ``seed``."""
    generator = torch.Generator().manual_seed(check_seed("tiles_example", "seed", seed))
    q = torch.randn(N_TOKENS, D_K, generator=generator)
    k = torch.randn(N_TOKENS, D_K, generator=generator)
    return q, k, torch.randn(N_TOKENS, D_V, generator=generator)


def _check_tiles(
    fn: str, q: object, k: object, v: object, block: object, causal: object, query_block: object
) -> tuple[int, bool, int]:
    """Check the tensors, the block size, causal and the query block in the name of ``fn``."""
    for name, t in (("q", q), ("k", k), ("v", v)):
        check_tensor(fn, name, t, ndim=2)
    block = check_positive_int(fn, "block", block)
    causal = check_bool(fn, "causal", causal)
    n = k.shape[0]
    if q.shape != k.shape or v.shape[0] != n or n % block:
        raise ValueError(
            f"{fn}: expected q and k of one shape (n, d_k), v of n rows, and n a multiple of "
            f"block={block}; got q {tuple(q.shape)}, k {tuple(k.shape)}, v {tuple(v.shape)}"
        )
    query_block = check_index(fn, "query_block", query_block, n // block, what="a query block")
    return block, causal, query_block


@cpu_step
def tiles_step(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    *,
    query_block: int,
    steps: int,
    block: int = BLOCK,
    causal: bool = False,
) -> TilesStep:
    """Read the first ``steps`` key tiles of query block ``query_block`` with the online softmax.

    Shapes: q (n, d_k), k (n, d_k), v (n, d_v) -> ``TilesStep`` for rows
    query_block·block … +block−1

    Each tile: s = q kᵀ / √d_k; m_new = max(m, max s); ℓ ← ℓ·exp(m − m_new) + Σ exp(s − m_new);
    acc ← acc·exp(m − m_new) + exp(s − m_new) v. Under the causal mask, tiles past the diagonal
    are skipped and the diagonal tile sets the future's scores to −∞.
    """
    fn = "tiles_step"
    block, causal, query_block = _check_tiles(fn, q, k, v, block, causal, query_block)
    n = k.shape[0]
    n_tiles = n // block
    rows = slice(query_block * block, (query_block + 1) * block)
    scores = q[rows] @ k.T / math.sqrt(q.shape[-1])  # (block, n)
    if causal:
        allowed = torch.arange(n)[None, :] <= torch.arange(n)[rows, None]  # (block, n)
        scores = scores.masked_fill(~allowed, float("-inf"))
    skipped = torch.arange(n_tiles) > query_block if causal else torch.zeros(n_tiles, dtype=bool)
    to_read = int((~skipped).sum())
    steps = check_index(fn, "steps", steps, to_read + 1, what="a number of tiles read")
    row_max = torch.full((block,), float("-inf"))
    row_sum, rescale = torch.zeros(block), torch.ones(block)
    acc = torch.zeros(block, v.shape[-1])
    for j in range(steps):  # the key tiles are read left to right
        s = scores[:, j * block : (j + 1) * block]  # (block, block)
        new_max = torch.maximum(row_max, s.max(dim=-1).values)  # (block,)
        rescale = torch.exp(row_max - new_max)  # exp(-inf) = 0 on the first tile
        p = torch.exp(s - new_max[:, None])  # (block, block): exp(-inf) = 0 where masked
        row_sum = row_sum * rescale + p.sum(dim=-1)
        acc = acc * rescale[:, None] + p @ v[j * block : (j + 1) * block]
        row_max = new_max
    out = acc / row_sum[:, None] if steps else torch.full_like(acc, float("nan"))
    read = torch.arange(n_tiles) < steps
    return TilesStep(
        query_block,
        block,
        steps,
        causal,
        scores,
        row_max,
        row_sum,
        rescale,
        acc,
        out,
        read,
        skipped,
    )


def describe_tiles(step: TilesStep) -> str:
    """The running state per query row, and what the last tile did, as HTML."""
    first = step.query_block * step.block
    header = [str(first + i) for i in range(step.block)]
    rows = [
        ("m", step.row_max.tolist()),
        ("ℓ", step.row_sum.tolist()),
        (tr("tiles.rescale"), step.rescale.tolist()),
    ]
    rows += [(f"acc[{c}]", step.acc[:, c].tolist()) for c in range(step.acc.shape[1])]
    if step.steps == 0:
        line = tr("tiles.start", query_block=step.query_block, tiles=step.n_tiles_to_read)
    else:
        j = step.steps - 1
        line = tr("tiles.read", tile=j, first=j * step.block, last=(j + 1) * step.block - 1)
    lines = [tr("tiles.queries", first=first, last=first + step.block - 1), line]
    if step.causal and step.skipped.any():
        lines.append(tr("tiles.skipped", count=int(step.skipped.sum())))
    if step.done:
        lines.append(tr("tiles.done"))
    return (
        html_line(" · ".join(lines[:2]))
        + html_table(header, rows)
        + "".join(html_line(line) for line in lines[2:])
    )


class TilesView(View):
    """The query block's row of scores, tile by tile: read tiles in colour, the last one framed."""

    figsize = (7.6, 2.6)

    def __init__(self, n: int, block: int):
        super().__init__()
        self.ax = self.fig.add_subplot(1, 1, 1)
        self.n, self.block = n, block
        self.query_block: int | None = None
        self.ax.set_xticks(range(n))
        self.ax.set_xlabel(tr("tiles.key_axis"))
        self.ax.set_ylabel(tr("tiles.query_axis"))
        self.ax.set_xlim(-0.5, n - 0.5)
        self.ax.set_ylim(block - 0.5, -0.5)
        for x in range(block, n, block):  # tile boundaries
            self.ax.axvline(x - 0.5, color="black", lw=1.5)
        self.colormap = matplotlib.colormaps["RdBu_r"].with_extremes(bad=MASKED_COLOR)
        self.margins(left=0.08, right=0.98, bottom=0.2, top=0.86)

    def update(self, state: dict, result: TilesStep) -> list[str] | None:
        ax, block = self.ax, self.block
        first = result.query_block * block
        full = result.query_block != self.query_block
        if full:  # new row labels: a frame changed
            self.query_block = result.query_block
            ax.set_yticks(range(block), [str(first + i) for i in range(block)])
        finite = result.scores[torch.isfinite(result.scores)]
        limit = float(finite.abs().max()) if finite.numel() else 1.0
        read_columns = result.read.repeat_interleave(block)  # (n,)
        shown = result.scores.masked_fill(~read_columns[None, :], float("nan"))
        shown = shown.masked_fill(torch.isneginf(shown), float("nan"))
        artists = [
            ax.imshow(
                shown.numpy(), cmap=self.colormap, vmin=-limit, vmax=limit, interpolation="nearest"
            )
        ]
        for i in range(block):
            for j in range(self.n):
                if read_columns[j]:
                    value = float(result.scores[i, j])
                    label = "−∞" if math.isinf(value) else f"{value:.1f}"
                    color = (
                        "white" if abs(value) > 0.6 * limit and math.isfinite(value) else "black"
                    )
                    artists.append(
                        ax.text(j, i, label, ha="center", va="center", fontsize=8, color=color)
                    )
        for t in range(len(result.read)):
            centre = (t * block + (block - 1) / 2, (block - 1) / 2)
            if result.skipped[t]:
                artists.append(
                    ax.text(*centre, tr("tiles.skipped_label"), ha="center", va="center")
                )
            elif not result.read[t]:
                artists.append(ax.text(*centre, tr("tiles.unread_label"), ha="center", va="center"))
        if result.steps:
            x0 = (result.steps - 1) * block - 0.5
            frame = Rectangle((x0, -0.5), block, block, fill=False, ec="gold", lw=3)
            artists.append(ax.add_patch(frame))
        title = tr("tiles.title_figure", query_block=result.query_block, steps=result.steps)
        artists.append(ax.text(0.5, 1.04, title, transform=ax.transAxes, ha="center"))
        self.replace("tiles", artists)
        return None if full else ["tiles"]


@on_cpu
def tiles_explorer(
    q: torch.Tensor | None = None,
    k: torch.Tensor | None = None,
    v: torch.Tensor | None = None,
    *,
    query_block: int = 1,
    block: int = BLOCK,
    causal: bool = False,
) -> Explorer:
    """Step one query block through its key tiles: m, ℓ, the rescale factor and the accumulator.

    Shapes: q, k (n, d_k), v (n, d_v) with n a multiple of block; default ``tiles_example()``

    A click on "next tile" reads one more tile; at the end acc / ℓ is the block's rows of
    ``attention(q, k, v)``.
    """
    if q is None and k is None and v is None:
        q, k, v = tiles_example()
    _check_tiles("tiles_explorer", q, k, v, block, causal, query_block)  # in our name
    start = tiles_step(q, k, v, query_block=query_block, steps=0, block=block, causal=causal)
    n_blocks = len(start.read)
    controls = {
        "steps": int_slider(tr("tiles.steps"), 0, 0, start.n_tiles_to_read),
        "query_block": int_slider(tr("tiles.query_block"), start.query_block, 0, n_blocks - 1),
        "causal": widgets.Checkbox(value=causal, description=tr("tiles.causal"), indent=False),
    }
    button = widgets.Button(description=tr("tiles.next"), tooltip=tr("tiles.next_tooltip"))

    def read() -> dict:
        state = {name: control.value for name, control in controls.items()}
        last = state["query_block"] + 1 if state["causal"] else n_blocks
        state["steps"] = min(int(state["steps"]), last)  # the slider follows just after
        return state

    explorer = Explorer(
        tr("tiles.name"),
        controls,
        [
            widgets.HBox([button, controls["steps"]]),
            widgets.HBox([controls["query_block"], controls["causal"]]),
        ],
        TilesView(k.shape[0], block),
        read=read,
        step=lambda state: tiles_step(
            q.detach().cpu(),
            k.detach().cpu(),
            v.detach().cpu(),
            query_block=state["query_block"],
            steps=state["steps"],
            block=block,
            causal=state["causal"],
        ),
        describe=lambda state, result: describe_tiles(result),
    )

    def next_tile(_button) -> None:  # one click, one tile; past the last, start again
        slider = controls["steps"]
        slider.value = slider.value + 1 if slider.value < slider.max else 0

    def follow(change) -> None:  # the step slider ends at the block's last tile to read
        with explorer.holding():
            causal_now, block_now = controls["causal"].value, controls["query_block"].value
            controls["steps"].max = block_now + 1 if causal_now else n_blocks

    button.on_click(next_tile)
    for name in ("query_block", "causal"):
        controls[name].observe(follow, names="value")
    return explorer
