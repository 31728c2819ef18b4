"""Keep the stored notebooks honest: re-execute them in place and strip what varies between runs.

    python -m attention_lab.tools.notebook_tools execute notebooks/*.ipynb
    python -m attention_lab.tools.notebook_tools determinism --runs 10 notebooks/*.ipynb

Every stored output comes from running its cell; what would change from run to run without
teaching anything (execution timings, widget state, widget model ids) is removed afterwards.
``determinism`` re-runs each notebook in fresh kernels, never touching the stored file, and
compares every text output byte for byte with the stored one. The kernels inherit the
environment, so ``ATTENTION_LAB_DEVICE=cpu`` in front of the command compares a CPU run.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

KERNEL = "python3"
CELL_TIMEOUT_S = 300
# Mime types whose content is a random id or live state, not something a reader can see offline.
VOLATILE_MIME = (
    "application/vnd.jupyter.widget-view+json",
    "application/vnd.jupyter.widget-state+json",
)


def strip_volatile(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove timings, widget state and widget view ids; keep everything a reader sees."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        for output in cell.get("outputs", []):
            output.get("metadata", {}).pop("execution", None)
            data = output.get("data")
            if data:
                for mime in VOLATILE_MIME:
                    data.pop(mime, None)
    return nb


def run(nb: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
    """Run every cell of ``nb`` in a fresh kernel started in ``cwd``; return it with outputs."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(cwd)}},
        record_timing=False,
        store_widget_state=False,
        # A print's text may reach the client in several messages, split at random: merge them
        # into one output per stream, as the reader sees it and as nbval compares it.
        coalesce_streams=True,
    )
    client.execute()
    return strip_volatile(nb)


def execute(path: Path) -> None:
    """Run every cell of the notebook at ``path`` in a fresh kernel and save it in place."""
    nb = nbformat.read(path, as_version=4)
    nbformat.write(run(nb, path.parent), path)


# --- determinism ------------------------------------------------------------------------------

# nbval's ways of saying "do not compare this cell's output" (a comment or a tag).
IGNORE_MARKERS = ("NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP")
IGNORE_TAGS = ("nbval-ignore-output", "nbval-skip")
# Pictures are compared by nbval neither; text is what a reader checks numbers against.
BINARY_MIME = ("image/png", "image/jpeg", "image/gif")


def ignores_output(cell: nbformat.NotebookNode) -> bool:
    """Whether nbval is told not to compare this cell's output (so neither do we)."""
    comments = {
        line.strip().lstrip("#").strip()
        for line in cell.source.splitlines()
        if line.strip().startswith("#")
    }
    tags = cell.get("metadata", {}).get("tags", [])
    return bool(comments & set(IGNORE_MARKERS)) or any(tag in IGNORE_TAGS for tag in tags)


def text_outputs(cell: nbformat.NotebookNode) -> str:
    """Every text a code cell shows (streams, text mime types, errors), as one canonical string."""
    parts: list[dict] = []
    streams: dict[str, dict] = {}
    for output in cell.get("outputs", []):
        kind = output["output_type"]
        if kind == "stream" and output["name"] in streams:
            # One stream's text split over several outputs reads as one text: merge, as nbval does.
            streams[output["name"]]["text"] += output["text"]
        elif kind == "stream":
            streams[output["name"]] = {"stream": output["name"], "text": output["text"]}
            parts.append(streams[output["name"]])
        elif kind == "error":
            parts.append({"error": output["ename"], "value": output["evalue"]})
        else:
            data = {
                mime: value
                for mime, value in output.get("data", {}).items()
                if mime not in BINARY_MIME and mime not in VOLATILE_MIME
            }
            parts.append({kind: data})
    return json.dumps(parts, indent=1, sort_keys=True, ensure_ascii=False)


@dataclass
class Report:
    """One notebook's determinism runs: how many matched, and the first difference seen."""

    notebook: Path
    cells: int = 0
    ignored: int = 0
    identical: int = 0
    runs: int = 0
    seconds: list[float] = field(default_factory=list)
    first_difference: str = ""
    kept: list[Path] = field(default_factory=list)


def compare(stored: nbformat.NotebookNode, fresh: nbformat.NotebookNode) -> str:
    """The first code cell whose text outputs differ, with a short diff; "" when all agree."""
    stored_cells = [c for c in stored.cells if c.cell_type == "code"]
    fresh_cells = [c for c in fresh.cells if c.cell_type == "code"]
    for i, (old, new) in enumerate(zip(stored_cells, fresh_cells, strict=True), start=1):
        if ignores_output(old):
            continue
        before, after = text_outputs(old), text_outputs(new)
        if before != after:
            diff = difflib.unified_diff(
                before.splitlines(), after.splitlines(), "stored", "re-run", n=0, lineterm=""
            )
            lines = [line for line in diff if not line.startswith(("---", "+++", "@@"))]
            return f"code cell {i}: " + " | ".join(lines[:4])
    return ""


def check_determinism(path: Path, runs: int, keep_dir: Path) -> Report:
    """Re-run the notebook ``runs`` times and compare each run's text outputs with the stored ones."""
    stored = nbformat.read(path, as_version=4)
    code = [c for c in stored.cells if c.cell_type == "code"]
    report = Report(path, cells=len(code), ignored=sum(ignores_output(c) for c in code))
    for n in range(1, runs + 1):
        start = time.perf_counter()
        fresh = run(copy.deepcopy(stored), path.parent)
        report.seconds.append(time.perf_counter() - start)
        report.runs += 1
        difference = compare(stored, fresh)
        if not difference:
            report.identical += 1
            continue
        report.first_difference = report.first_difference or f"run {n}, {difference}"
        kept = keep_dir / f"{path.stem}.run{n}.ipynb"
        nbformat.write(fresh, kept)
        report.kept.append(kept)
    return report


def print_table(reports: list[Report], file=None) -> None:
    # sys.stdout is looked up at call time, so a redirected stdout (a test, a pipe) gets the table.
    file = file or sys.stdout
    header = ("notebook", "code cells", "compared", "ignored", "identical runs", "s/run")
    rows = [
        (
            r.notebook.as_posix(),
            str(r.cells),
            str(r.cells - r.ignored),
            str(r.ignored),
            f"{r.identical}/{r.runs}",
            f"{sum(r.seconds) / max(len(r.seconds), 1):.1f}",
        )
        for r in reports
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        print("  ".join(cells), file=file)
    for r in reports:
        if r.first_difference:
            print(f"\n{r.notebook}: {r.first_difference}", file=file)
            for kept in r.kept:
                print(f"  differing run saved as {kept}", file=file)


def determinism(paths: list[Path], runs: int) -> int:
    """Run the determinism check over ``paths``, print the table; 0 when every run matched."""
    device = os.environ.get("ATTENTION_LAB_DEVICE") or "unset (pick_device() chooses)"
    print(f"ATTENTION_LAB_DEVICE: {device}; {runs} fresh run(s) per notebook", flush=True)
    keep_dir = Path(tempfile.mkdtemp(prefix="attention-lab-determinism-"))
    reports = []
    for path in paths:
        print(f"running {path} x{runs}", file=sys.stderr, flush=True)
        reports.append(check_determinism(path, runs, keep_dir))
    print_table(reports)
    failed = [r for r in reports if r.identical != r.runs]
    print(
        f"\n{len(reports) - len(failed)} of {len(reports)} notebooks reproduced their stored "
        "text outputs in every run"
    )
    if not any(r.kept for r in reports):
        keep_dir.rmdir()
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m attention_lab.tools.notebook_tools")
    sub = parser.add_subparsers(dest="command", required=True)
    execute_cmd = sub.add_parser(
        "execute", help="re-run notebooks in place, then strip volatile metadata"
    )
    execute_cmd.add_argument("notebooks", nargs="+", type=Path)
    determinism_cmd = sub.add_parser(
        "determinism",
        help="re-run notebooks N times (the files are not touched) and compare text outputs",
    )
    determinism_cmd.add_argument("--runs", type=int, default=10, help="fresh runs per notebook")
    determinism_cmd.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "determinism":
        if args.runs < 1:
            parser.error(f"--runs must be at least 1, got {args.runs}")
        return determinism(args.notebooks, args.runs)
    for path in args.notebooks:
        print(f"executing {path}", file=sys.stderr)
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
