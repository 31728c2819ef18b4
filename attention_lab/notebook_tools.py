"""Keep the stored notebooks honest: re-execute them in place and strip what varies between runs.

    python -m attention_lab.notebook_tools execute notebooks/*.ipynb

Every stored output comes from running its cell; what would change from run to run without
teaching anything (execution timings, widget state, widget model ids) is removed afterwards.
"""

from __future__ import annotations

import argparse
import sys
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


def execute(path: Path) -> None:
    """Run every cell of the notebook at ``path`` in a fresh kernel and save it in place."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=False,
    )
    client.execute()
    nbformat.write(strip_volatile(nb), path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m attention_lab.notebook_tools")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("execute", help="re-run notebooks in place, then strip volatile metadata")
    run.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for path in args.notebooks:
        print(f"executing {path}", file=sys.stderr)
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
