"""Curves against a size: benchmark time and memory against n, and measurements against d_k."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes

from .._checks import (
    check_positive_int,
)
from ..i18n import text as tr
from .base import is_sequence, new_figure

#: One line style and colour per implementation, the same in every notebook.
BENCHMARK_STYLES = {
    "loop": ("o:", "tab:gray"),
    "attention": ("s-", "tab:blue"),
    "tiled": ("D-", "tab:green"),
    "sdpa": ("^--", "tab:orange"),
}


def plot_benchmark(rows: Sequence[Mapping[str, object]]) -> list[Axes]:
    """Median time and peak memory against the sequence length n, one line per implementation.

    ``rows``: dicts with "impl" (a name), "n", "median_ms" and "peak_bytes" (None where it was
    not measured), as ``attention_lab.bench.attention.measure`` returns them. Both axes are
    logarithmic (n in powers of 2), so a cost that grows like n² draws a line twice as steep as
    one that grows like n. Returns the two Axes (time, memory) of a new figure.
    """
    fn = "plot_benchmark"
    lines = _check_benchmark_rows(fn, rows)
    time_ax, memory_ax = new_figure((7.2, 3.0), 1, 2)
    for impl, impl_rows in lines.items():
        style, color = BENCHMARK_STYLES.get(impl, ("o-", None))
        ns = [row["n"] for row in impl_rows]
        time_ax.plot(
            ns, [row["median_ms"] for row in impl_rows], style, color=color, ms=3, label=impl
        )
        measured = [row for row in impl_rows if row["peak_bytes"] is not None]
        if measured:
            mib = [row["peak_bytes"] / 2**20 for row in measured]
            memory_ax.plot([row["n"] for row in measured], mib, style, color=color, ms=3)
    if not memory_ax.lines:
        memory_ax.text(0.5, 0.5, tr("plots.not_measured"), ha="center", va="center",
                       transform=memory_ax.transAxes)  # fmt: skip
    for ax, title in ((time_ax, tr("plots.median_time")), (memory_ax, tr("plots.peak_memory"))):
        ax.set_xscale("log", base=2)
        if ax.lines:
            ax.set_yscale("log")
        ax.set_xlabel(tr("plots.sequence_length"))
        ax.set_title(title)
    time_ax.legend()
    return [time_ax, memory_ax]


def _check_benchmark_rows(fn: str, rows: object) -> dict[str, list[Mapping[str, object]]]:
    """The rows grouped by implementation (in order of first appearance), each sorted by n."""
    if not is_sequence(rows) or not rows:
        raise TypeError(f"{fn}: rows must be a non-empty list of dicts, got {rows!r}")
    keys = ("impl", "n", "median_ms", "peak_bytes")
    lines: dict[str, list[Mapping[str, object]]] = {}
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping) or any(key not in row for key in keys):
            raise TypeError(f"{fn}: rows[{i}] must be a dict with keys {list(keys)}, got {row!r}")
        if not isinstance(row["impl"], str):
            raise TypeError(f"{fn}: rows[{i}]['impl'] must be a name, got {row['impl']!r}")
        check_positive_int(fn, f"rows[{i}]['n']", row["n"])
        _check_positive(fn, f"rows[{i}]['median_ms']", row["median_ms"])
        if row["peak_bytes"] is not None:
            _check_positive(fn, f"rows[{i}]['peak_bytes']", row["peak_bytes"])
        lines.setdefault(row["impl"], []).append(row)
    for impl, impl_rows in lines.items():
        impl_rows.sort(key=lambda row: row["n"])
        ns = [row["n"] for row in impl_rows]
        if len(set(ns)) != len(ns):
            raise ValueError(f"{fn}: rows hold {impl!r} twice at the same n, in {ns}")
    return lines


def _check_positive(fn: str, name: str, value: object) -> None:
    """A measurement: a positive, finite number (a log axis has no place for 0)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fn}: {name} must be a positive number, got {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{fn}: {name} must be a positive, finite number, got {value}")


def plot_curves(
    x: Sequence[float],
    panels: Mapping[str, Mapping[str, Sequence[float]]],
    *,
    xlabel: str,
    ylabel: str | None = None,
    log_y: bool = False,
    guides: Mapping[str, tuple[float, str]] | None = None,
) -> list[Axes]:
    """Measurements against a size (d_k, n), one panel per quantity and one line per series.

    ``panels`` maps a panel's title to its series, {name: values}, each as long as ``x``; the
    same series name keeps one style in every panel, and the first panel carries the legend.
    The x axis is logarithmic in base 2 (sizes that double); the y axis too if ``log_y``, else it
    starts at 0. ``guides`` maps a panel's title to (y, label): a dotted reference line, such as
    the entropy of an even spread. Returns the Axes of a new figure, one per panel, in order.
    """
    fn = "plot_curves"
    if not is_sequence(x) or not x:
        raise TypeError(f"{fn}: x must be a non-empty list of sizes, got {x!r}")
    for i, value in enumerate(x):
        _check_positive(fn, f"x[{i}]", value)
    if not isinstance(panels, Mapping) or not panels:
        raise TypeError(f"{fn}: panels must be a non-empty dict of title -> series, got {panels!r}")
    guides = {} if guides is None else guides
    unknown = set(guides) - set(panels)
    if unknown:
        raise ValueError(f"{fn}: guides name panels that do not exist: {sorted(unknown)}")
    styles = dict.fromkeys(name for series in panels.values() for name in series)
    for n, name in enumerate(styles):
        styles[name] = CURVE_STYLES[n % len(CURVE_STYLES)]
    axes = new_figure((3.0 * len(panels) + 0.6, 2.8), 1, len(panels))
    for ax, (title, series) in zip(axes, panels.items(), strict=True):
        if not isinstance(series, Mapping) or not series:
            raise TypeError(f"{fn}: panels[{title!r}] must be a dict of name -> values")
        for name, values in series.items():
            if not is_sequence(values) or len(values) != len(x):
                raise ValueError(
                    f"{fn}: panels[{title!r}][{name!r}] must hold {len(x)} values, one per x"
                )
            ax.plot(x, values, styles[name], ms=3, label=name)
        if title in guides:
            y, label = guides[title]
            ax.axhline(y, color="gray", lw=0.8, ls=":")
            ax.text(x[0], y, f" {label}", va="top", fontsize=8, color="gray")
        ax.set_xscale("log", base=2)
        if log_y:
            ax.set_yscale("log")
        else:
            ax.set_ylim(bottom=0)
        ax.set(xlabel=xlabel, title=str(title))
        if ylabel is not None:
            ax.set_ylabel(ylabel)
    axes[0].legend(fontsize=8, frameon=False)
    return axes


#: Line styles for the series of ``plot_curves``, in order of first appearance.
CURVE_STYLES = ("o-", "s--", "^:", "D-.")
