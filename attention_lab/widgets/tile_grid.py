"""The controls shared by the explorers of a tile grid: one row or column of tiles, n, two block
sizes and the causal mask.

The backward explorer (09b) picks a key block, the programs explorer (14) a Triton program; both
cut one head's (n, n) scores into tiles, and the slider that picks must end at the grid's last
block whenever n or the block size along it changes.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import ipywidgets as widgets
from matplotlib.patches import Patch

from .._checks import check_bool, check_index, check_positive_int
from ..default_device import on_cpu
from ..i18n import text as tr
from .figures import View
from .shell import Explorer, choice_slider, int_slider


class TileGridView(View):
    """One axes of tiles: the grid drawn again when its shape changes, the picked block on every
    move. A subclass names its grid's fields and pick, and draws both."""

    figsize = (4.6, 4.2)
    #: The step's fields that fix the grid (n, the block sizes, causal), and the picking field.
    grid_fields: tuple[str, ...] = ()
    pick = ""

    def __init__(self) -> None:
        super().__init__()
        self.ax = self.fig.add_subplot(1, 1, 1)
        self.margins(left=0.14, right=0.97, bottom=0.12, top=0.91)
        self.shape: tuple | None = None

    def update(self, state: dict, result) -> list[str] | None:
        shape = tuple(getattr(result, name) for name in self.grid_fields)
        if shape != self.shape:  # a new grid: every artist and the limits change
            self.shape = shape
            self.draw_grid(result)
            self.draw_pick(result)
            return None
        self.draw_pick(result)
        return [self.pick]

    def draw_grid(self, step) -> None:
        """Draw the tiles, the axes' limits and labels (the group "grid")."""
        raise NotImplementedError

    def draw_pick(self, step) -> None:
        """Draw the picked block's frame and order (the group named ``pick``)."""
        raise NotImplementedError

    def show_pick(self, frame: Patch, visits: list[tuple[float, float]], title: str) -> None:
        """The picked block as the group ``pick``: its frame, each tile it visits numbered in
        visiting order (at the given centres), and the title above the axes."""
        ax = self.ax
        artists = [ax.add_patch(frame)]
        for order, (x, y) in enumerate(visits, start=1):
            label = ax.text(x, y, str(order), ha="center", va="center", fontsize=8)
            label.set_bbox({"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"})
            artists.append(label)
        artists.append(ax.text(0.5, 1.02, title, transform=ax.transAxes, ha="center"))
        self.replace(self.pick, artists)


def last_pick(n: int, size: int) -> int:
    """The last block of n positions cut into blocks of ``size``."""
    return math.ceil(n / size) - 1


@on_cpu
def tile_grid_explorer(
    key: str,
    make_view: Callable[[], View],
    step: Callable[..., object],
    describe: Callable[[object], str],
    *,
    n: int,
    blocks: dict[str, int],
    causal: bool,
    pick: tuple[str, int],
    along: str,
    max_n: int,
    block_choices: tuple[int, ...],
) -> Explorer:
    """An explorer whose step is ``step(n, *blocks, causal, pick)`` on a grid of tiles.

    ``make_view`` makes the figure (after the checks, so a bad argument leaves no figure open).
    ``key`` names the catalogue entries ("{key}.title", "{key}.control.{name}") and the factory
    ("{key}_explorer") in errors; ``blocks`` maps the two block-size names to their values;
    ``pick`` is the picking slider's name and value; ``along`` the block size that cuts the
    picked dimension, so the picking slider runs over 0 .. ceil(n / blocks[along]) - 1.
    """
    fn = f"{key}_explorer"
    pick_name, pick_value = pick
    n = check_positive_int(fn, "n", n, maximum=max_n)
    for name, size in blocks.items():
        if check_positive_int(fn, name, size) not in block_choices:
            raise ValueError(
                f"{fn}: {name} must be one of {block_choices} (the slider's stops), got {size}"
            )
    causal = check_bool(fn, "causal", causal)
    what = "a " + pick_name.replace("_", " ")  # "a key block", "a program"
    check_index(fn, pick_name, pick_value, last_pick(n, blocks[along]) + 1, what=what)

    controls = {
        pick_name: int_slider(
            tr(f"{key}.control.{pick_name}"), pick_value, 0, last_pick(n, blocks[along])
        ),
        "n": int_slider(tr(f"{key}.control.n"), n, 1, max_n),
        **{
            name: choice_slider(tr(f"{key}.control.{name}"), block_choices, size)
            for name, size in blocks.items()
        },
        "causal": widgets.Checkbox(
            value=causal, description=tr(f"{key}.control.causal"), indent=False
        ),
    }
    names = [pick_name, "n", *blocks, "causal"]

    def read() -> dict:
        state = {name: control.value for name, control in controls.items()}
        last = last_pick(state["n"], state[along])
        state[pick_name] = min(int(state[pick_name]), last)  # the slider follows just after
        return state

    explorer = Explorer(
        tr(f"{key}.title"),
        controls,
        [
            widgets.HBox([controls[pick_name], controls["n"]]),
            widgets.HBox([controls[name] for name in (*blocks, "causal")]),
        ],
        make_view(),  # made only once the arguments are known good
        read=read,
        step=lambda state: step(*(state[name] for name in names[1:]), state[pick_name]),
        describe=lambda state, result: describe(result),
    )

    def follow_grid(change) -> None:  # the picking slider ends at the grid's last block
        with explorer.holding():
            controls[pick_name].max = last_pick(controls["n"].value, controls[along].value)

    for name in ("n", along):
        controls[name].observe(follow_grid, names="value")
    return explorer
