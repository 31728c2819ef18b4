"""Benchmark rows as an aligned text table, as the command line and the notebooks print them."""

from __future__ import annotations


def format_table(rows: list[dict]) -> str:
    """Rows of dicts as an aligned text table, columns in the order of the first row's keys."""
    if not rows:
        return "(no rows)"
    columns = list(rows[0])
    cells = [[_fmt(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.rjust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(lines)


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
