"""The claims table: every sentence that states a number, a comparison or a cause has its cell.

``notebooks/claims/NN_name.md`` lists, for notebook NN, each such sentence (a verbatim fragment
of an English markdown cell), the code cell that demonstrates it (by cell id, the same in both
editions), and what shows it: a fragment of that cell's stored output, or ``assert`` when the
cell asserts it. The table is kept in step with the notebooks: a sentence reworded, a cell
removed or an output changed fails here until the table says what the notebook now shows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import NOTEBOOKS_DIR

CLAIMS_DIR = NOTEBOOKS_DIR / "claims"
ROW = re.compile(r"^\|(?P<claim>.+?)\|\s*`(?P<cell>[^`]+)`\s*\|(?P<shown>.+)\|\s*$")
HEADER = "| claim | cell | shown by |"


def squash(text: str) -> str:
    return " ".join(text.split())


def table_rows(path: Path) -> list[tuple[str, str, str]]:
    """(claim fragment, code cell id, what shows it) for every row of a claims table."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert HEADER in lines, f"{path.name}: the table's header must read {HEADER!r}"
    rows = []
    for line in lines[lines.index(HEADER) + 2 :]:
        if not line.startswith("|"):
            break
        match = ROW.match(line)
        assert match, f"{path.name}: a row must read | claim | `cell id` | shown by |: {line!r}"
        claim, shown = squash(match["claim"]), squash(match["shown"])
        rows.append((claim.strip('"'), match["cell"], shown))
    return rows


def cells(path: Path) -> dict[str, dict]:
    return {c["id"]: c for c in json.loads(path.read_text(encoding="utf-8"))["cells"]}


def stored_text(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append("".join(out["text"]))
        parts.append("".join(out.get("data", {}).get("text/plain", "")))
    return squash("\n".join(parts))


TABLES = sorted(CLAIMS_DIR.glob("*.md"))


def test_the_tables_exist_and_name_their_notebooks():
    assert TABLES, f"no claims table found in {CLAIMS_DIR}"
    for table in TABLES:
        assert (NOTEBOOKS_DIR / f"{table.stem}.ipynb").exists(), f"{table.name}: no such notebook"


def test_every_notebook_has_its_table():
    notebooks = sorted(NOTEBOOKS_DIR.glob("[0-9]*.ipynb"))
    assert notebooks, f"no notebook found in {NOTEBOOKS_DIR}"
    missing = [nb.name for nb in notebooks if not (CLAIMS_DIR / f"{nb.stem}.md").exists()]
    assert missing == [], f"no claims table in {CLAIMS_DIR.name}/ for {missing}"


@pytest.mark.parametrize("table", TABLES, ids=lambda p: p.stem)
def test_every_claim_is_in_the_notebook_and_shown_by_its_cell(table):
    rows = table_rows(table)
    assert rows, f"{table.name} lists no claims"
    english = cells(NOTEBOOKS_DIR / f"{table.stem}.ipynb")
    vietnamese = cells(NOTEBOOKS_DIR / "vi" / f"{table.stem}.ipynb")
    for claim, cell_id, shown in rows:
        said_in = [
            cid
            for cid, c in english.items()
            if c["cell_type"] == "markdown" and claim in squash("".join(c["source"]))
        ]
        assert len(said_in) == 1, f"{table.name}: {claim!r} is in {len(said_in)} markdown cells"
        # The same markdown cell, translated, carries the claim in the other edition.
        assert vietnamese.get(said_in[0], {}).get("cell_type") == "markdown", (
            f"{table.name}: the Vietnamese edition has no markdown cell {said_in[0]!r}"
        )
        cell = english.get(cell_id)
        assert cell is not None and cell["cell_type"] == "code", (
            f"{table.name}: {claim!r} names {cell_id!r}, which is not a code cell"
        )
        assert vietnamese.get(cell_id, {}).get("cell_type") == "code"
        if shown == "assert":
            assert re.search(r"\bassert|assert_close", "".join(cell["source"])), (
                f"{table.name}: cell {cell_id} is said to assert {claim!r} but asserts nothing"
            )
        else:
            fragment = shown.strip("`")
            assert fragment in stored_text(cell), (
                f"{table.name}: cell {cell_id} does not print {fragment!r} (for {claim!r})"
            )
