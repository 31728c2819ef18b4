"""Callback-to-redrawn-figure time of every explorer: ``python -m attention_lab.bench widgets``.

Each explorer of ``attention_lab.widgets.EXAMPLES`` is built once, then its main slider is walked
step by step, as arrow keys or a slow drag would move it; each move is timed from setting the
slider's value to the new PNG being in the explorer's Output widget (computing, describing,
redrawing and encoding: everything but the trip to the browser). The figures are drawn with
matplotlib's Agg backend, as in a notebook.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

#: The slider each explorer's benchmark moves: the one a learner reaches for first.
MAIN_SLIDER = {
    "embedding 2-d": "x[0]",
    "embedding 3-d": "x[0]",
    "softmax": "scale",
    "weights": "W_q[0,0]",
    "scaling": "d_k",
    "causal": "dropout_p",
    "padding": "length",
    "heads": "scale",
    "cost": "n",
    "tiles": "steps",
    "programs": "program",
    "rope": "m",
    "learned": "head",
    "gqa": "T_ki",  # the context length: an IntSlider the walk can step
    "backward": "key_block",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--moves", type=int, default=50, help="timed slider moves per explorer")
    parser.add_argument("--warmup", type=int, default=5, help="untimed moves first")


def slider_walk(slider, n: int) -> list[float]:
    """``n`` successive values one step apart, bouncing between the slider's ends.

    A log slider's step is in powers of its base, as its arrow keys move it.
    """
    log = hasattr(slider, "base")
    to_pos = (lambda v: math.log(v, slider.base)) if log else (lambda v: v)
    low, high = slider.min, slider.max  # a log slider's min and max are exponents already
    position, direction, values = to_pos(slider.value), 1, []
    for _ in range(n):
        if not low <= position + direction * slider.step <= high:
            direction = -direction
        position += direction * slider.step
        values.append(slider.base**position if log else position)
    return values


def run(args: argparse.Namespace) -> list[dict]:
    import matplotlib

    matplotlib.use("Agg")
    from attention_lab.widgets import EXAMPLES

    if args.moves < 1 or args.warmup < 0:
        raise ValueError(f"--moves must be ≥ 1 and --warmup ≥ 0, got {args.moves}, {args.warmup}")
    rows = []
    for name, make in EXAMPLES.items():
        explorer = make()
        slider = explorer.controls[MAIN_SLIDER[name]]
        values = slider_walk(slider, args.warmup + args.moves)
        times_ms = []
        for i, value in enumerate(values):
            start = time.perf_counter()
            slider.value = value
            elapsed = time.perf_counter() - start
            if explorer.message.value:  # an update failed: its time would mean nothing
                raise RuntimeError(
                    f"bench widgets: {name} showed an error: {explorer.message.value}"
                )
            if i >= args.warmup:
                times_ms.append(elapsed * 1e3)
        explorer.close()
        rows.append(
            {
                "widget": name,
                "median_ms": statistics.median(times_ms),
                "p90_ms": _percentile(times_ms, 90),
            }
        )
    return rows


def _percentile(values: list[float], q: float) -> float:
    """The q-th percentile by linear interpolation between the sorted values."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    below, above = math.floor(position), math.ceil(position)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)
