"""The browser test's latency samples: one per key press, from the press until the new figure is
on screen. Kept here, written to test-artifacts/browser/latency.{json,md} and summed up in a table
at the end of the session. A benchmark: nothing here asserts a time.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: 20 key presses per explorer are timed (the benchmark, about 5 s an explorer); set this to 0
#: for 3 (a quicker check, the same assertions).
LATENCY = "ATTENTION_LAB_LATENCY"
BENCHMARK_PRESSES = 20
CHECK_PRESSES = 3


def presses_per_explorer() -> int:
    return CHECK_PRESSES if os.environ.get(LATENCY) == "0" else BENCHMARK_PRESSES


@dataclass
class Sample:
    notebook: str  # relative to the notebooks folder, e.g. "vi/01_dot_product_scores.ipynb"
    explorer: str  # the function its cell calls, with its position: "embedding_explorer #1"
    control: str  # the description of the control pressed, e.g. "x[0]"
    key: str  # "ArrowRight", "ArrowLeft" or "Enter"
    ms: float  # key press -> new image loaded -> next frame painted
    # Where the time went, each from the key press: the new numbers shown (the kernel's reply has
    # come back), the new <img> in the page, the image decoded. None when not seen.
    numbers_ms: float | None = None
    inserted_ms: float | None = None
    decoded_ms: float | None = None


@dataclass
class LatencyLog:
    """Every sample of the session; ``write`` (re)writes the two artifacts from all of them."""

    folder: Path
    samples: list[Sample] = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)

    def rows(self) -> list[tuple[str, str, int, float, float, str, str, str]]:
        """(notebook, explorer, n, median ms, p90 ms, then the medians of the numbers shown,
        the <img> inserted and decoded), in the order they were measured."""
        groups: dict[tuple[str, str], list[Sample]] = {}
        for s in self.samples:
            groups.setdefault((s.notebook, s.explorer), []).append(s)
        rows = []
        for (nb, ex), group in groups.items():
            ms = [s.ms for s in group]
            steps = [
                [getattr(s, f"{name}_ms") for s in group if getattr(s, f"{name}_ms") is not None]
                for name in ("numbers", "inserted", "decoded")
            ]
            shown = [f"{median(v):.0f}" if v else "-" for v in steps]
            rows.append((nb, ex, len(ms), median(ms), p90(ms), *shown))
        return rows

    def table(self) -> str:
        lines = [
            "| notebook | explorer | n | median ms | p90 ms "
            "| median: numbers shown | img inserted | img decoded |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {nb} | {ex} | {n} | {med:.0f} | {high:.0f} | {numbers} | {inserted} | {decoded} |"
            for nb, ex, n, med, high, numbers, inserted, decoded in self.rows()
        ]
        return "\n".join(lines)

    def write(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        what = {
            "measured": "key press (performance.now() in a capturing keydown listener) until the "
            "new <img> is decoded and the next animation frame has painted",
            "presses_per_explorer": presses_per_explorer(),
            "samples": [asdict(s) for s in self.samples],
        }
        (self.folder / "latency.json").write_text(json.dumps(what, indent=1) + "\n")
        header = (
            "# Explorer latency in JupyterLab (headless Chromium)\n\n"
            f"From a key press to the new figure painted; {what['presses_per_explorer']} presses "
            f"per explorer ({LATENCY}=0 for {CHECK_PRESSES}). p90: nearest rank. The last three columns "
            "say where the time goes: medians from the key press until the new numbers are "
            "shown, the new <img> is in the page, and it is decoded.\n\n"
        )
        (self.folder / "latency.md").write_text(header + self.table() + "\n")

    # A pytest plugin, registered by the browser test: the table closes the session's report.
    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.samples:
            return
        terminalreporter.write_sep("-", "explorer latency, key press to painted figure (ms)")
        terminalreporter.write_line(self.table())
        terminalreporter.write_line(f"samples: {self.folder / 'latency.json'}")


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def p90(values: list[float]) -> float:
    """The nearest-rank 90th percentile: the smallest sample with 90 % of them at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]
