"""The Vietnamese edition: every notebook has a partner whose code cells are the English ones."""

import json
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
ENGLISH = sorted(NOTEBOOKS.glob("*.ipynb"))
VIETNAMESE = sorted((NOTEBOOKS / "vi").glob("*.ipynb"))


def code_cells(path: Path) -> list[tuple[str, list[str]]]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        ("".join(c["source"]), sorted(c.get("metadata", {}).get("tags", [])))
        for c in cells
        if c["cell_type"] == "code"
    ]


def prose(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_every_notebook_has_a_partner_in_each_edition():
    assert [p.name for p in VIETNAMESE] == [p.name for p in ENGLISH]


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_code_cells_match_the_english_ones(english):
    vietnamese = NOTEBOOKS / "vi" / english.name
    assert code_cells(vietnamese) == code_cells(english), (
        f"code cells of vi/{english.name} drifted from {english.name}: "
        "copy the English code cells over and re-run `make execute`"
    )


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_prose_is_translated(english):
    vietnamese = NOTEBOOKS / "vi" / english.name
    text = prose(vietnamese)
    assert text != prose(english)
    # Vietnamese is written with its diacritics; a page without them was not translated.
    assert sum(ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ" for ch in text) > 50
