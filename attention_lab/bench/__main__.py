"""Command line for the benchmarks: ``python -m attention_lab.bench NAME [--json FILE]``."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from .table import format_table

BENCHMARKS = {
    "widgets": "callback-to-redrawn-figure time of every explorer",
    "attention": "time and peak memory of each attention implementation",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m attention_lab.bench")
    sub = parser.add_subparsers(dest="benchmark", required=True)
    for name, help_text in BENCHMARKS.items():
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--json", type=Path, metavar="FILE", help="also write the rows as JSON")
        importlib.import_module(f"attention_lab.bench.{name}").add_arguments(p)
    args = parser.parse_args(argv)
    module = importlib.import_module(f"attention_lab.bench.{args.benchmark}")
    rows = module.run(args)
    # A module may show more columns than it stores (a ratio, say) through table(rows).
    print(format_table(module.table(rows) if hasattr(module, "table") else rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
