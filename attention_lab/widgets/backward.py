"""Backward explorer: which tiles the tiled backward pass recomputes, key block by key block.

The backward of ``attention_tiled`` (``tiled_passes.tiled_backward``) walks the key blocks in its
outer loop and the query blocks in its inner loop. For each tile it recomputes the scores from q
and k and the weights from the saved logsumexp, then adds the tile's share to dQ, dK and dV.
Under the causal mask it skips the query blocks that lie wholly before the key block.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from matplotlib.patches import Rectangle

from .._checks import check_bool, check_index, check_positive_int
from ..default_device import on_cpu
from ..i18n import text as tr
from .shell import Explorer, cpu_step, html_line, html_table
from .tile_grid import TileGridView, tile_grid_explorer

#: Block sizes the sliders offer, up to what a picture of MAX_N tokens shows.
BLOCK_CHOICES = (1, 2, 4, 8, 16, 32, 64)
MAX_N = 128
SKIPPED, MASKED, WHOLE = 0, 1, 2  # the kinds of tile
#: RGB of each kind: white (never recomputed), light (recomputed, part masked), dark (whole).
KIND_COLORS = torch.tensor([[1.0, 1.0, 1.0], [0.62, 0.79, 0.88], [0.12, 0.47, 0.71]])


@dataclass(frozen=True)
class BackwardStep:
    """The backward's walk over the (n, n) scores of one head with (block_q, block_k) tiles.

    ``tiles[i, j]`` is how the backward treats the tile of query block i and key block j:
    SKIPPED (never recomputed: the causal mask hides all of it), MASKED (recomputed, some scores
    set to -inf) or WHOLE. ``key_block`` is the outer step shown; ``order`` lists the query blocks
    it visits, in the order visited.

    Shapes: tiles (ceil(n / block_q), ceil(n / block_k)) int
    """

    n: int
    block_q: int
    block_k: int
    causal: bool
    key_block: int
    tiles: torch.Tensor

    @property
    def order(self) -> list[int]:
        """The query blocks the chosen key block's step recomputes, in loop order."""
        return (self.tiles[:, self.key_block] != SKIPPED).nonzero().flatten().tolist()


@cpu_step
def backward_step(n: int, block_q: int, block_k: int, causal: bool, key_block: int) -> BackwardStep:
    """Which tiles ``tiled_backward`` recomputes for n queries and n keys, and which it skips.

    Shapes: -> tiles (ceil(n / block_q), ceil(n / block_k))
    """
    fn = "backward_step"
    n = check_positive_int(fn, "n", n)
    block_q = check_positive_int(fn, "block_q", block_q)
    block_k = check_positive_int(fn, "block_k", block_k)
    causal = check_bool(fn, "causal", causal)
    n_q_blocks, n_k_blocks = math.ceil(n / block_q), math.ceil(n / block_k)
    key_block = check_index(fn, "key_block", key_block, n_k_blocks, what="a key block")
    q_first = torch.arange(n_q_blocks)[:, None] * block_q  # (n_q_blocks, 1): first query
    q_last = (q_first + block_q).clamp(max=n) - 1  # last query of each block
    k_first = torch.arange(n_k_blocks)[None, :] * block_k  # (1, n_k_blocks): first key
    k_last = (k_first + block_k).clamp(max=n) - 1
    if causal:
        # A tile is seen if its last query reaches its first key, and whole if its first query
        # is at or after its last key.
        seen, whole = q_last >= k_first, q_first >= k_last
    else:
        seen = whole = torch.ones(n_q_blocks, n_k_blocks, dtype=torch.bool)
    tiles = torch.where(seen, torch.where(whole, WHOLE, MASKED), SKIPPED)
    return BackwardStep(n, block_q, block_k, causal, key_block, tiles)


def describe_backward(step: BackwardStep) -> str:
    """The grid, the chosen key block's step and the totals, as HTML."""
    n_q_blocks, n_k_blocks = step.tiles.shape
    first = step.key_block * step.block_k
    last = min(step.n, first + step.block_k) - 1
    mine = step.tiles[:, step.key_block]
    lines = [
        tr(
            "backward.grid",
            n=step.n,
            block_q=step.block_q,
            block_k=step.block_k,
            query_blocks=n_q_blocks,
            key_blocks=n_k_blocks,
        ),
        tr(
            "backward.selected",
            key_block=step.key_block,
            first=first,
            last=last,
            recomputed=int((mine != SKIPPED).sum()),
            skipped=int((mine == SKIPPED).sum()),
        ),
        tr(
            "backward.totals",
            recomputed=int((step.tiles != SKIPPED).sum()),
            tiles=step.tiles.numel(),
            masked=int((step.tiles == MASKED).sum()),
            skipped=int((step.tiles == SKIPPED).sum()),
        ),
    ]
    per_key_block = (step.tiles != SKIPPED).sum(dim=0).tolist()
    table = html_table(
        [str(j) for j in range(n_k_blocks)],
        [(tr("backward.table.recomputed"), per_key_block)],
        fmt="{:.0f}",
    )
    return "".join(html_line(line) for line in lines) + table + html_line(tr("backward.legend"))


def tile_colors(step: BackwardStep) -> torch.Tensor:
    """Each tile of the grid coloured by its kind: white skipped, light masked, dark whole.

    Shapes: -> (n_q_blocks, n_k_blocks, 3) floats in [0, 1]
    """
    return KIND_COLORS[step.tiles]


class BackwardView(TileGridView):
    """The tile grid coloured by kind, the chosen key block framed, its visits numbered."""

    grid_fields = ("n", "block_q", "block_k", "causal")
    pick = "key_block"

    def draw_grid(self, step: BackwardStep) -> None:
        ax = self.ax
        rows, keys = step.tiles.shape
        image = ax.imshow(
            tile_colors(step).numpy(), extent=(0, keys, rows, 0), interpolation="nearest"
        )
        lines = [ax.axhline(y, color="0.4", lw=0.6) for y in range(rows + 1)]
        lines += [ax.axvline(x, color="0.4", lw=0.6) for x in range(keys + 1)]
        self.replace("grid", [image, *lines])
        ax.set_xlim(0, keys)
        ax.set_ylim(rows, 0)
        # one label per block, at its centre (every few blocks when there are many)
        for count, set_ticks in ((keys, ax.set_xticks), (rows, ax.set_yticks)):
            shown = range(0, count, max(1, count // 8))
            set_ticks([b + 0.5 for b in shown], [str(b) for b in shown])
        ax.set_xlabel(tr("backward.figure.keys"))
        ax.set_ylabel(tr("backward.figure.queries"))

    def draw_pick(self, step: BackwardStep) -> None:
        j, rows = step.key_block, step.tiles.shape[0]
        visits = [(j + 0.5, i + 0.5) for i in step.order] if rows <= 32 else []  # readable
        self.show_pick(
            Rectangle((j, 0), 1, rows, fill=False, ec="k", lw=2.2),
            visits,
            tr("backward.figure.title", key_block=j),
        )


@on_cpu
def backward_explorer(
    n: int = 6,
    *,
    block_q: int = 2,
    block_k: int = 2,
    causal: bool = True,
    key_block: int = 0,
) -> Explorer:
    """Sliders for the key block, n and the block sizes: the tiles the backward recomputes.

    Shapes: one head of n queries against n keys, cut into (block_q, block_k) tiles

    The backward's outer loop runs over key blocks, the inner one over query blocks; under the
    causal mask the query blocks wholly before a key block are skipped, as the forward skipped
    those tiles.
    """
    return tile_grid_explorer(
        "backward",
        BackwardView,
        backward_step,
        describe_backward,
        n=n,
        blocks={"block_q": block_q, "block_k": block_k},
        causal=causal,
        pick=("key_block", key_block),
        along="block_k",
        max_n=MAX_N,
        block_choices=BLOCK_CHOICES,
    )
