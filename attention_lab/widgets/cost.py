"""Cost explorer: slide n and d, see the bytes and FLOPs of attention, and where the n² part wins."""

from __future__ import annotations

import html
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets
import torch

from .._checks import check_positive_int
from ..default_device import on_cpu
from ..i18n import text as tr
from .figures import View
from .shell import Explorer, cpu_step, html_line, html_table

#: The sliders' ends, as powers of two: n from 16 to 65,536 tokens, d from 16 to 1,024 features.
N_EXPONENTS = (4, 16)
D_EXPONENTS = (4, 10)
BYTES = 4  # float32
#: The tiled form's tile of scores, (block, block), as notebook 09's default.
BLOCK = 64
#: The button's live run stops here: a few milliseconds a call on a laptop CPU.
MAX_LIVE_N = 1024
MiB = 2**20


@dataclass(frozen=True)
class CostStep:
    """FLOPs and bytes of one head of self-attention over n tokens of d features, in float32.

    A FLOP is one multiply or one add, so a (a, b) @ (b, c) product costs 2·a·b·c.
    """

    n: int
    d: int
    projection_flops: int  # q, k, v and the output projection: 4 · 2·n·d²
    scores_flops: int  # q kᵀ: 2·n²·d
    mixing_flops: int  # weights @ v: 2·n²·d
    score_bytes: int  # one (n, n) matrix of scores
    plain_bytes: int  # q, k, v, out and the (n, n) scores and weights
    tiled_bytes: int  # q, k, v, out, one (BLOCK, BLOCK) tile, the running max and sum

    @property
    def crossover(self) -> int:
        """The n where 2·(2·n²·d) equals 4·(2·n·d²): past it the n² part costs more."""
        return 2 * self.d


@cpu_step
def cost_step(n: int, d: int) -> CostStep:
    """The counts for sequence length n and width d (pure arithmetic, exact integers)."""
    n, d = check_positive_int("cost_step", "n", n), check_positive_int("cost_step", "d", d)
    io = 4 * n * d * BYTES  # q, k, v and out
    tile = min(BLOCK, n) ** 2
    return CostStep(
        n=n,
        d=d,
        projection_flops=4 * 2 * n * d * d,
        scores_flops=2 * n * n * d,
        mixing_flops=2 * n * n * d,
        score_bytes=n * n * BYTES,
        plain_bytes=io + 2 * n * n * BYTES,
        tiled_bytes=io + (tile + 2 * n) * BYTES,
    )


def describe_cost(step: CostStep) -> str:
    """The counts as HTML: FLOPs, memory, and which side of the crossover n lies on."""
    attention_flops = step.scores_flops + step.mixing_flops
    table = html_table(
        [tr("cost.projections"), "q kᵀ", tr("cost.mixing")],
        [
            (
                tr("cost.gflops"),
                [f / 1e9 for f in (step.projection_flops, step.scores_flops, step.mixing_flops)],
            )
        ],
        fmt="{:.4g}",
    )
    side = "cost.past_crossover" if step.n > step.crossover else "cost.before_crossover"
    if step.n == step.crossover:
        side = "cost.at_crossover"
    lines = [
        tr("cost.setup", n=step.n, d=step.d, crossover=step.crossover),
        tr(side, ratio=attention_flops / step.projection_flops, crossover=step.crossover),
        tr(
            "cost.memory",
            scores=step.score_bytes / MiB,
            plain=step.plain_bytes / MiB,
            tiled=step.tiled_bytes / MiB,
            block=BLOCK,
        ),
    ]
    return table + "".join(html_line(line) for line in lines)


def curve_ns() -> list[int]:
    """Every n the slider offers: the x values of the curves."""
    return [2**p for p in range(N_EXPONENTS[0], N_EXPONENTS[1] + 1)]


class CostView(View):
    """Left: FLOPs against n (log-log), crossover marked. Right: memory of plain against tiled."""

    figsize = (7.6, 3.2)

    def __init__(self) -> None:
        super().__init__()
        self.flops_ax, self.memory_ax = self.fig.add_subplot(1, 2, 1), self.fig.add_subplot(1, 2, 2)
        ns = curve_ns()
        for ax, title, ylabel in (
            (self.flops_ax, "cost.flops_title", "cost.flops_axis"),
            (self.memory_ax, "cost.memory_title", "cost.memory_axis"),
        ):
            ax.set_xscale("log", base=2)
            ax.set_yscale("log")
            ax.set_xlim(ns[0], ns[-1])
            ax.set_title(tr(title))
            ax.set_xlabel(tr("cost.n_axis"))
            ax.set_ylabel(tr(ylabel))
            ax.grid(True, which="major", alpha=0.3)
        self.flops_ax.set_ylim(1e3, 1e17)
        self.memory_ax.set_ylim(1e-3, 1e6)
        self.margins(left=0.09, right=0.98, bottom=0.16, top=0.9, wspace=0.3)

    def update(self, state: dict, result: CostStep) -> list[str]:
        ns = curve_ns()
        steps = [cost_step(n, result.d) for n in ns]
        ax = self.flops_ax
        flops = [
            ax.plot(
                ns,
                [s.projection_flops for s in steps],
                color="tab:blue",
                label=tr("cost.projections"),
            )[0],
            ax.plot(
                ns,
                [s.scores_flops + s.mixing_flops for s in steps],
                color="tab:orange",
                label=tr("cost.attention_flops"),
            )[0],
            ax.axvline(result.crossover, color="0.3", ls="--", lw=1),
            ax.text(result.crossover, 3e3, " n = 2d", fontsize=8, color="0.2"),
            ax.axvline(result.n, color="black", lw=1.5),
        ]
        flops.append(ax.legend(loc="upper left", fontsize=8))
        self.replace("flops", flops)
        ax = self.memory_ax
        memory = [
            ax.plot(
                ns, [s.plain_bytes / MiB for s in steps], color="tab:red", label=tr("cost.plain")
            )[0],
            ax.plot(
                ns, [s.tiled_bytes / MiB for s in steps], color="tab:green", label=tr("cost.tiled")
            )[0],
            ax.axvline(result.n, color="black", lw=1.5),
        ]
        memory.append(ax.legend(loc="upper left", fontsize=8))
        self.replace("memory", memory)
        return ["flops", "memory"]


def live_timing(n: int, d: int, *, repeats: int = 3) -> dict[str, float]:
    """Median milliseconds of ``attention`` and ``attention_tiled`` on one head, on the CPU.

    Shapes: q, k, v (min(n, MAX_LIVE_N), d), drawn from a seeded generator
    """
    from ..functional import attention
    from ..tiled import attention_tiled

    n = min(check_positive_int("live_timing", "n", n), MAX_LIVE_N)
    generator = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(n, d, generator=generator) for _ in range(3))
    return {
        "n": n,
        "plain": median_ms(lambda: attention(q, k, v), repeats),
        "tiled": median_ms(lambda: attention_tiled(q, k, v, block_q=BLOCK, block_k=BLOCK), repeats),
    }


def median_ms(call: Callable[[], object], repeats: int) -> float:
    """Median wall-clock milliseconds of ``call()`` on the CPU, after one warm-up call."""
    call()  # the first call pays for one-off set-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


@on_cpu
def cost_explorer(n: int = 1024, d: int = 64) -> Explorer:
    """Slide n and d (powers of two): FLOPs of the projections against the n² part, and memory.

    The first picture is pure arithmetic, the same on every machine; the button times a small
    live run here and shows it below the controls.
    """
    fn = "cost_explorer"
    start = cost_step(check_positive_int(fn, "n", n), check_positive_int(fn, "d", d))
    choices = {"n": curve_ns(), "d": [2**p for p in range(D_EXPONENTS[0], D_EXPONENTS[1] + 1)]}
    for name, value in (("n", start.n), ("d", start.d)):
        if value not in choices[name]:
            raise ValueError(f"{fn}: {name} must be a power of two in {choices[name]}, got {value}")

    def log_slider(name: str, value: int, exponents: tuple[int, int]) -> widgets.FloatLogSlider:
        return widgets.FloatLogSlider(
            value=value,
            base=2,
            min=exponents[0],
            max=exponents[1],
            step=1,
            readout_format=".0f",
            description=tr(f"cost.control.{name}"),
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="320px"),
        )

    controls = {"n": log_slider("n", n, N_EXPONENTS), "d": log_slider("d", d, D_EXPONENTS)}
    button = widgets.Button(description=tr("cost.measure"), tooltip=tr("cost.measure_tooltip"))
    timing = widgets.HTML()

    def read() -> dict:
        return {name: round(control.value) for name, control in controls.items()}

    def measure(_button) -> None:
        state = read()
        times = live_timing(state["n"], state["d"])
        timing.value = html_line(html.escape(tr("cost.measured", d=state["d"], **times)))

    button.on_click(measure)
    return Explorer(
        tr("cost.title"),
        controls,
        [widgets.HBox([controls["n"], controls["d"]]), widgets.HBox([button, timing])],
        CostView(),
        read=read,
        step=lambda state: cost_step(state["n"], state["d"]),
        describe=lambda state, result: describe_cost(result),
    )
