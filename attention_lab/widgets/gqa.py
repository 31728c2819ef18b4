"""GQA explorer: share key/value heads between query heads, watch the KV cache shrink."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import torch

from .._checks import check_positive_int
from ..default_device import on_cpu
from ..i18n import text as tr
from ..kv_cache import cache_bytes
from ..plots import CONTEXT_COLOR, INPUT_COLOR
from .figures import View
from .shell import Explorer, choice_slider, cpu_step, html_line, int_slider

#: The context-length slider moves in steps of KI tokens, up to MAX_KI of them (128 Ki tokens).
KI, MAX_KI = 1024, 128
MIB = 2**20


@dataclass(frozen=True)
class GQAStep:
    """Which key/value head each query head reads, and the KV cache that sharing costs.

    ``bytes_by_kv_heads`` maps each allowed n_kv_heads (a divisor of n_heads) to its cache bytes.

    Shapes: kv_head_of (n_heads,) int, the key/value head that query head h reads
    """

    n_heads: int
    n_kv_heads: int
    T: int
    kv_head_of: torch.Tensor
    bytes: int
    bytes_by_kv_heads: dict[int, int]

    @property
    def mha_bytes(self) -> int:
        """The cache of plain multi-head attention (n_kv_heads = n_heads)."""
        return self.bytes_by_kv_heads[self.n_heads]


def kv_head_choices(n_heads: int) -> tuple[int, ...]:
    """The n_kv_heads a module with n_heads accepts: the divisors of n_heads, smallest first."""
    n_heads = check_positive_int("kv_head_choices", "n_heads", n_heads)
    return tuple(g for g in range(1, n_heads + 1) if n_heads % g == 0)


@cpu_step
def gqa_step(
    n_kv_heads: int,
    T: int,
    *,
    n_heads: int = 32,
    d_head: int = 128,
    n_layers: int = 32,
    bytes_per_number: int = 2,
) -> GQAStep:
    """Group n_heads query heads onto n_kv_heads key/value heads; the cache of T tokens.

    Defaults: a model of the 7-8 B class (32 layers of 32 heads of 128 features, float16).

    Shapes: -> kv_head_of (n_heads,)
    """
    n_kv_heads, T, n_heads = _check_gqa("gqa_step", n_kv_heads, T, n_heads)

    def size(g: int) -> int:
        return cache_bytes(n_layers, g, d_head, T, bytes_per_number)

    # Neighbouring query heads share: heads 0..group-1 read key/value head 0, and so on.
    kv_head_of = torch.arange(n_heads) // (n_heads // n_kv_heads)
    by_kv = {g: size(g) for g in kv_head_choices(n_heads)}
    return GQAStep(n_heads, n_kv_heads, T, kv_head_of, by_kv[n_kv_heads], by_kv)


def _check_gqa(fn: str, n_kv_heads: object, T: object, n_heads: object) -> tuple[int, int, int]:
    """Check the step's sizes under the name of the caller; return them as Python ints."""
    n_heads = check_positive_int(fn, "n_heads", n_heads)
    n_kv_heads = check_positive_int(fn, "n_kv_heads", n_kv_heads)
    if n_heads % n_kv_heads != 0:
        raise ValueError(
            f"{fn}: n_kv_heads must divide n_heads={n_heads}, expected one of "
            f"{kv_head_choices(n_heads)}, got {n_kv_heads}"
        )
    return n_kv_heads, check_positive_int(fn, "T", T), n_heads


def describe_gqa(step: GQAStep) -> str:
    """The grouping and the cache's size against multi-head attention's, as HTML."""
    lines = [
        tr(
            "gqa.groups",
            n_heads=step.n_heads,
            n_kv_heads=step.n_kv_heads,
            group=step.n_heads // step.n_kv_heads,
        ),
        tr(
            "gqa.memory",
            T=step.T,
            mib=step.bytes / MIB,
            mha_mib=step.mha_bytes / MIB,
            ratio=step.mha_bytes // step.bytes,
        ),
    ]
    return "".join(html_line(line) for line in lines)


class GQAView(View):
    """Left: query head × key/value head, dark where one reads the other. Right: the cache's MiB
    for each allowed n_kv_heads, the chosen one highlighted, on a log scale fixed for every T the
    slider reaches (so moving T redraws only the bars and the title: they rise with T)."""

    figsize = (8.4, 3.2)

    def __init__(self, n_heads: int) -> None:
        super().__init__()
        self.sharing = self.fig.add_subplot(1, 2, 1)
        self.memory = self.fig.add_subplot(1, 2, 2)
        self.margins(left=0.08, right=0.98, bottom=0.18, top=0.88, wspace=0.35)
        self.sharing.set_xlabel(tr("gqa.figure.query_heads"))
        self.sharing.set_ylabel(tr("gqa.figure.kv_heads"))
        self.sharing.set_title(tr("gqa.figure.sharing"))
        self.choices = kv_head_choices(n_heads)
        self.memory.set_xlabel(tr("gqa.figure.n_kv_heads"))
        self.memory.set_ylabel(tr("gqa.figure.mib"))
        self.memory.set_xticks(range(len(self.choices)), [str(g) for g in self.choices])
        # The smallest and the largest cache the sliders can ask for, with room above and below.
        low = gqa_step(1, KI, n_heads=n_heads).bytes / MIB
        high = gqa_step(n_heads, MAX_KI * KI, n_heads=n_heads).bytes / MIB
        self.floor = low / 2
        self.memory.set_yscale("log")
        self.memory.set_ylim(self.floor, high * 2)
        self.n_kv_heads: int | None = None

    def update(self, state: dict, result: GQAStep) -> list[str] | None:
        reads = result.kv_head_of[None, :] == torch.arange(result.n_kv_heads)[:, None]
        image = self.sharing.imshow(
            reads.float().numpy(), cmap="Blues", vmin=0, vmax=1.2, aspect="auto"
        )
        self.replace("sharing", [image])
        mib = [result.bytes_by_kv_heads[g] / MIB - self.floor for g in self.choices]
        colors = [CONTEXT_COLOR if g == result.n_kv_heads else INPUT_COLOR for g in self.choices]
        bars = self.memory.bar(range(len(self.choices)), mib, bottom=self.floor, color=colors)
        title = self.memory.text(
            0.5,
            1.02,
            tr("gqa.figure.memory", T=result.T),
            transform=self.memory.transAxes,
            ha="center",
            fontsize="large",  # as an axes title
        )
        self.replace("memory", [*bars, title])
        if result.n_kv_heads != self.n_kv_heads:  # new limits: the whole figure is redrawn
            self.n_kv_heads = result.n_kv_heads
            self.sharing.set_ylim(result.n_kv_heads - 0.5, -0.5)
            self.sharing.set_xlim(-0.5, result.n_heads - 0.5)
            return None
        return ["sharing", "memory"]


def largest_divisor_at_most(n_heads: int, value: int) -> int:
    """The n_kv_heads the slider's ``value`` stands for: the largest divisor of n_heads ≤ value."""
    return max(g for g in kv_head_choices(n_heads) if g <= value)


@on_cpu
def gqa_explorer(n_kv_heads: int = 8, T: int = 8192, *, n_heads: int = 32) -> Explorer:
    """An n_kv_heads slider and a context-length slider, with the KV cache's size live.

    Defaults: 32 query heads, 32 layers, d_head 128, float16 (``gqa_step``'s model). The
    n_kv_heads slider stops only on the divisors of n_heads.
    """
    fn = "gqa_explorer"
    n_kv_heads, T, n_heads = _check_gqa(fn, n_kv_heads, T, n_heads)
    if T % KI != 0 or T > MAX_KI * KI:
        raise ValueError(
            f"{fn}: T must be a multiple of {KI} up to {MAX_KI * KI} (the slider's stops), got {T}"
        )

    # The context length first: it is the slider that moves the memory most smoothly.
    controls = {
        "T_ki": int_slider(tr("gqa.control.T_ki"), T // KI, 1, MAX_KI, width="340px"),
        # Only the divisors of n_heads are stops, so an arrow key always moves to a valid value.
        "n_kv_heads": choice_slider(
            tr("gqa.control.n_kv_heads"),
            kv_head_choices(n_heads),
            largest_divisor_at_most(n_heads, n_kv_heads),
            width="340px",
        ),
    }

    def read() -> dict:
        return {
            "n_kv_heads": int(controls["n_kv_heads"].value),
            "T": int(controls["T_ki"].value) * KI,
        }

    explorer = Explorer(
        tr("gqa.title"),
        controls,
        [widgets.HBox([controls["n_kv_heads"], controls["T_ki"]])],
        GQAView(n_heads),
        read=read,
        step=lambda state: gqa_step(state["n_kv_heads"], state["T"], n_heads=n_heads),
        describe=lambda state, result: describe_gqa(result),
    )

    return explorer
