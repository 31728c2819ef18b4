"""Programs explorer: which Triton program computes which tile of the scores, in what order."""

from __future__ import annotations

import math
from dataclasses import dataclass

import matplotlib.colors as mcolors
import torch
from matplotlib.patches import Rectangle

from .._checks import check_bool, check_index, check_positive_int
from ..default_device import on_cpu
from ..i18n import text as tr
from ..triton_attention import check_block
from .shell import Explorer, cpu_step, html_line, html_table
from .tile_grid import TileGridView, tile_grid_explorer

#: Block sizes the sliders offer: the powers of two the kernel accepts, up to what fits a picture.
BLOCK_CHOICES = (16, 32, 64, 128)
MAX_N = 256
#: One colour per program, cycling: neighbouring programs always differ.
PROGRAM_COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown")
SKIPPED, MASKED, WHOLE = 0, 1, 2  # the kinds of tile


@dataclass(frozen=True)
class ProgramsStep:
    """The launch of ``attention_triton`` on one head of n queries and n keys, tile by tile.

    ``tiles[p, j]`` is how program p treats key block j: SKIPPED (never read: the causal loop
    stops before it), MASKED (computed, with some scores set to -inf: the future, or positions
    past n) or WHOLE. ``counts[i, j]`` says whether score (i, j) of the padded grid is used.

    Shapes: tiles (n_programs, n_key_blocks) int, counts (n_programs·block_m, n_key_blocks·block_n)
    """

    n: int
    block_m: int
    block_n: int
    causal: bool
    program: int
    tiles: torch.Tensor
    counts: torch.Tensor

    @property
    def steps(self) -> list[int]:
        """Key blocks read by each program, in launch order."""
        return (self.tiles != SKIPPED).sum(dim=1).tolist()


@cpu_step
def programs_step(n: int, block_m: int, block_n: int, causal: bool, program: int) -> ProgramsStep:
    """How the kernel's grid covers the (n, n) scores of one head with (block_m, block_n) tiles.

    Shapes: -> tiles (ceil(n / block_m), ceil(n / block_n)), counts (padded rows, padded keys)
    """
    fn = "programs_step"
    n = check_positive_int(fn, "n", n)
    block_m, block_n = check_block(fn, "block_m", block_m), check_block(fn, "block_n", block_n)
    causal = check_bool(fn, "causal", causal)
    n_programs, n_key_blocks = math.ceil(n / block_m), math.ceil(n / block_n)
    program = check_index(fn, "program", program, n_programs, what="a program")
    rows = torch.arange(n_programs * block_m)[:, None]  # (padded rows, 1): query positions
    keys = torch.arange(n_key_blocks * block_n)[None, :]  # (1, padded keys): key positions
    counts = (rows < n) & (keys < n)  # (padded rows, padded keys)
    if causal:
        counts &= keys <= rows
    # The kernel's loop: program p reads key blocks starting before min(n, (p + 1)·block_m).
    program_end = (torch.arange(n_programs) + 1) * block_m  # (n_programs,)
    ends = program_end.clamp(max=n) if causal else torch.full((n_programs,), n)
    read = torch.arange(n_key_blocks)[None, :] * block_n < ends[:, None]  # (programs, key blocks)
    whole = counts.reshape(n_programs, block_m, n_key_blocks, block_n).all(dim=3).all(dim=1)
    tiles = torch.where(read, torch.where(whole, WHOLE, MASKED), SKIPPED)
    return ProgramsStep(n, block_m, block_n, causal, program, tiles, counts)


def describe_programs(step: ProgramsStep) -> str:
    """The grid, the chosen program's work and the totals, as HTML."""
    n_programs, n_key_blocks = step.tiles.shape
    mine = step.tiles[step.program]
    first = step.program * step.block_m
    last = min(step.n, first + step.block_m) - 1
    padding = first + step.block_m - 1 - last
    lines = [
        tr(
            "programs.grid",
            n=step.n,
            block_m=step.block_m,
            block_n=step.block_n,
            programs=n_programs,
            key_blocks=n_key_blocks,
        ),
        tr(
            "programs.selected",
            program=step.program,
            first=first,
            last=last,
            padding=tr("programs.padding", rows=padding) if padding else "",
            steps=int((mine != SKIPPED).sum()),
            masked=int((mine == MASKED).sum()),
            skipped=int((mine == SKIPPED).sum()),
        ),
        tr(
            "programs.totals",
            computed=int((step.tiles != SKIPPED).sum()),
            tiles=step.tiles.numel(),
            masked=int((step.tiles == MASKED).sum()),
            skipped=int((step.tiles == SKIPPED).sum()),
        ),
    ]
    table = html_table(
        [str(p) for p in range(n_programs)],
        [(tr("programs.table.steps"), step.steps)],
        fmt="{:.0f}",
    )
    return "".join(html_line(line) for line in lines) + table + html_line(tr("programs.legend"))


def tile_colors(step: ProgramsStep) -> torch.Tensor:
    """Each score of the padded grid coloured by its program: dark if used, light if computed
    and masked, white if never computed.

    Shapes: -> (padded rows, padded keys, 3) floats in [0, 1]
    """
    n_programs = step.tiles.shape[0]
    palette = torch.tensor([mcolors.to_rgb(c) for c in PROGRAM_COLORS])  # (colours, 3)
    color = palette[torch.arange(n_programs) % len(PROGRAM_COLORS)]  # (n_programs, 3)
    color = color.repeat_interleave(step.block_m, dim=0)[:, None, :]  # (padded rows, 1, 3)
    computed = (step.tiles != SKIPPED).repeat_interleave(step.block_m, dim=0)
    computed = computed.repeat_interleave(step.block_n, dim=1)[..., None]  # (rows, keys, 1)
    light = 0.3 * color + 0.7  # the program's colour, most of the way to white
    used = step.counts[..., None]  # (rows, keys, 1)
    return torch.where(computed, torch.where(used, color, light), torch.ones(3))


class ProgramsView(TileGridView):
    """The padded score grid coloured by program, tile lines, and the chosen program's steps."""

    grid_fields = ("n", "block_m", "block_n", "causal")
    pick = "program"

    def draw_grid(self, step: ProgramsStep) -> None:
        ax = self.ax
        rows, keys = step.counts.shape
        image = ax.imshow(
            tile_colors(step).numpy(), extent=(0, keys, rows, 0), interpolation="nearest"
        )
        lines = [ax.axhline(y, color="0.4", lw=0.6) for y in range(0, rows + 1, step.block_m)]
        lines += [ax.axvline(x, color="0.4", lw=0.6) for x in range(0, keys + 1, step.block_n)]
        ends = [
            ax.axhline(step.n, color="k", lw=1, ls="--"),
            ax.axvline(step.n, color="k", ls="--"),
        ]
        self.replace("grid", [image, *lines, *ends])
        ax.set_xlim(0, keys)
        ax.set_ylim(rows, 0)
        ax.set_xlabel(tr("programs.figure.keys"))
        ax.set_ylabel(tr("programs.figure.queries"))

    def draw_pick(self, step: ProgramsStep) -> None:
        p, (_, keys) = step.program, step.counts.shape
        read = (step.tiles[p] != SKIPPED).nonzero().flatten().tolist()
        self.show_pick(
            Rectangle((0, p * step.block_m), keys, step.block_m, fill=False, ec="k", lw=2.2),
            [((j + 0.5) * step.block_n, (p + 0.5) * step.block_m) for j in read],
            tr("programs.figure.title", program=p),
        )


@on_cpu
def programs_explorer(
    n: int = 100,
    *,
    block_m: int = 32,
    block_n: int = 32,
    causal: bool = True,
    program: int = 0,
) -> Explorer:
    """Sliders for the program, n and the block sizes: the tiles each Triton program computes.

    Shapes: one head of n queries against n keys; the grid has ceil(n / block_m) programs

    Each program owns one row of tiles and reads its key blocks left to right; under the causal
    mask it stops after its diagonal tile; tiles past n are computed whole and masked.
    """
    return tile_grid_explorer(
        "programs",
        ProgramsView,
        programs_step,
        describe_programs,
        n=n,
        blocks={"block_m": block_m, "block_n": block_n},
        causal=causal,
        pick=("program", program),
        along="block_m",
        max_n=MAX_N,
        block_choices=BLOCK_CHOICES,
    )
