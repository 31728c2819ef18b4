"""The Vietnamese edition says each term one way: the way notebooks/vi/GLOSSARY.md gives it.

The glossary's tables have a column "Không dùng" (do not use) with the other renderings of each
term in backticks; none of them may appear in the prose of a Vietnamese notebook. Bare "attention"
may not stand in a Vietnamese sentence either: outside code, formulas, links, English glosses in
parentheses and the proper names the glossary lists, the word is translated.
"""

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from attention_lab.data import CAT_SAT_TOKENS, JOURNEY_TOKENS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
GLOSSARY = NOTEBOOKS / "vi" / "GLOSSARY.md"

# Letters that only Vietnamese uses: a parenthesis without any of them is an English gloss.
VIETNAMESE_LETTERS = set("àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ")
HEADERS = ("English", "Tiếng Việt", "Nghĩa", "Không dùng")
MIN_ENTRIES = 60  # the glossary covers at least the terms of notebooks 00-14


@dataclass(frozen=True)
class Entry:
    english: str
    renderings: tuple[str, ...]  # the chosen Vietnamese, in bold
    forbidden: tuple[str, ...]  # the other renderings, in backticks


@dataclass(frozen=True)
class Glossary:
    entries: tuple[Entry, ...]
    names: tuple[str, ...]  # proper names that keep "attention"
    quotes: tuple[str, ...]  # the fixed paragraphs: exercise intro, explorer footer


def table_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def section(text: str, heading: str) -> str:
    """The lines under '## heading' up to the next '## '."""
    match = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"GLOSSARY.md has no '## {heading}' section"
    return match.group(1)


def parse_glossary(text: str) -> Glossary:
    entries = []
    header_seen = False
    for line in text.splitlines():
        if not line.startswith("|"):
            continue
        cells = table_cells(line)
        if tuple(cells) == HEADERS:
            header_seen = True
            continue
        if set("".join(cells)) <= set("-: "):
            continue  # the separator row
        assert len(cells) == len(HEADERS), f"a glossary row has {len(cells)} cells: {line}"
        english, vietnamese, meaning, forbidden = cells
        renderings = tuple(re.findall(r"\*\*(.+?)\*\*", vietnamese))
        assert renderings, f"glossary row {english!r} has no rendering in bold"
        assert meaning, f"glossary row {english!r} has no meaning"
        entries.append(Entry(english, renderings, tuple(re.findall(r"`([^`]+)`", forbidden))))
    assert header_seen, f"no table with the header {HEADERS}"
    names = tuple(re.findall(r"^- `([^`]+)`", section(text, "Tên riêng giữ nguyên"), re.M))
    quotes = tuple(
        " ".join(line[1:].strip() for line in block.splitlines())
        for block in re.findall(r"(?:^>.*\n?)+", section(text, "Bài tập"), re.M)
    )
    return Glossary(tuple(entries), names, quotes)


def markdown_cells(path: Path) -> list[tuple[int, str]]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(i, "".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "markdown"]


def prose(markdown: str) -> str:
    """The words of a markdown cell: no code, formulas, link targets, HTML tags or emphasis marks."""
    text = re.sub(r"```.*?```", " · ", markdown, flags=re.S)
    text = re.sub(r"`[^`]*`", " · ", text)
    text = re.sub(r"\$\$.*?\$\$", " · ", text, flags=re.S)
    text = re.sub(r"\$[^$]*\$", " · ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("*", "")
    return re.sub(r"\s+", " ", text)


def without_english_glosses(text: str) -> str:
    """``text`` with every parenthesis that holds no Vietnamese letter taken out."""
    previous = None
    while previous != text:
        previous = text
        text = re.sub(
            r"\(([^()]*)\)",
            lambda m: m.group(0) if VIETNAMESE_LETTERS & set(m.group(1).lower()) else " ",
            text,
        )
    return text


def phrase(words: str) -> re.Pattern[str]:
    """``words`` as a whole phrase, any case, any run of spaces between words."""
    body = r"\s+".join(re.escape(w) for w in words.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", re.I)


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def variants_in(text: str, glossary: Glossary) -> list[str]:
    """The forbidden renderings in ``text``, except where one lies inside a chosen rendering
    (``lớp`` inside ``lớp (class)``) or inside an English gloss in parentheses."""
    allowed = [s for e in glossary.entries for r in e.renderings for s in spans(phrase(r), text)]
    glosses = re.finditer(r"\(([^()]*)\)", text)
    allowed += [m.span(1) for m in glosses if not VIETNAMESE_LETTERS & set(m.group(1).lower())]
    found = []
    for entry in glossary.entries:
        for variant in entry.forbidden:
            for start, end in spans(phrase(variant), text):
                if not any(a <= start and end <= b for a, b in allowed):
                    found.append(
                        f"{variant!r} (say {entry.renderings[0]!r}): …{text[start - 30 : end + 30]}…"
                    )
    return found


def bare_attention_in(text: str, glossary: Glossary) -> list[str]:
    """Every "attention" left in ``text`` once glosses and proper names are taken out."""
    text = without_english_glosses(text)
    for name in glossary.names:
        text = phrase(name).sub(" ", text)
    return [
        f"…{text[max(m.start() - 40, 0) : m.end() + 40]}…"
        for m in phrase("attention").finditer(text)
    ]


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    assert GLOSSARY.is_file(), "notebooks/vi/GLOSSARY.md is missing"
    return parse_glossary(GLOSSARY.read_text(encoding="utf-8"))


def vietnamese_notebooks() -> list[Path]:
    found = sorted((NOTEBOOKS / "vi").glob("*.ipynb"))
    assert len(found) >= 10 and len(found) == len(list(NOTEBOOKS.glob("*.ipynb"))), found
    return found


VI = vietnamese_notebooks()


def test_the_glossary_has_its_entries(glossary):
    assert len(glossary.entries) >= MIN_ENTRIES
    english = [e.english for e in glossary.entries]
    assert len(set(english)) == len(english), "a term appears twice"
    renderings = [r for e in glossary.entries for r in e.renderings]
    assert len(set(renderings)) == len(renderings), "two terms share a rendering"
    assert sum(len(e.forbidden) for e in glossary.entries) >= 40
    for term in ("attention", "value", "head", "layer", "class", "tile", "block", "underflow"):
        assert term in english, f"the glossary has no entry for {term!r}"
    assert "flash attention" in glossary.names
    assert len(glossary.quotes) == 2, "the exercise intro and the explorer footer"


def test_the_rules_catch_what_they_should(glossary):
    """The two checks, on sentences that break them and on sentences that do not."""
    assert variants_in(prose("đầu ra của các đầu"), glossary)
    assert variants_in(prose("một lớp tuyến tính"), glossary)
    assert not variants_in(prose("một tầng tuyến tính và một lớp (class) Python"), glossary)
    assert not variants_in(prose("một mô-đun (module) của PyTorch, `nn.Module`"), glossary)
    assert bare_attention_in(prose("đầu ra của attention rộng bao nhiêu"), glossary)
    assert bare_attention_in(prose("Self-attention làm việc này"), glossary)
    assert not bare_attention_in(prose("cơ chế tự chú ý (self-attention)"), glossary)
    assert not bare_attention_in(
        prose("Flash attention từ con số không, `attention(q, k, v)`"), glossary
    )


@pytest.mark.parametrize("path", VI, ids=lambda p: p.stem)
def test_no_forbidden_rendering(path, glossary):
    cells = markdown_cells(path)
    assert cells, f"{path.name} has no markdown"
    assert any("chú ý" in prose(s) for _, s in cells), "the scan sees no Vietnamese prose"
    found = [f"cell {i}: {v}" for i, s in cells for v in variants_in(prose(s), glossary)]
    assert found == [], "\n".join(found)


def code_names(path: Path) -> set[str]:
    """Every name the notebook's code cells use: variables, attributes, arguments, strings."""
    names = set()
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            lines = "".join(cell["source"]).splitlines()
            # A %pip or !command line is no Python: it stands as "pass", at its indentation.
            code = "\n".join(
                line[: len(line) - len(line.lstrip())] + "pass"
                if line.lstrip().startswith(("%", "!"))
                else line
                for line in lines
            )
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.Name | ast.arg):
                    names.add(getattr(node, "id", None) or node.arg)
                elif isinstance(node, ast.Attribute | ast.keyword):
                    names.add(node.attr if isinstance(node, ast.Attribute) else node.arg)
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    names.add(node.value)  # the example's tokens ("Your", "journey")
    return names - {None}


# Words a formula keeps in every language: values' names, the unit, the examples' tokens.
FORMULA_WORDS = {"NaN", "True", "False", "byte", *JOURNEY_TOKENS, *CAT_SAT_TOKENS}


def english_in_formulas(text: str, names: set[str]) -> list[str]:
    """Each \\text{...} of a formula that is English: no Vietnamese letter, not a subscript or
    superscript (n_\\text{heads} names a variable), and not a name the code uses."""
    found = []
    for match in re.finditer(r"(?<![_^])\\text\{([^}]*)\}", text):
        body = match.group(1).replace("\\_", "_").strip(" ():")
        if not body or set(body.lower()) & VIETNAMESE_LETTERS:
            continue
        if body not in names and body not in FORMULA_WORDS:
            found.append(match.group(0))
    return found


def test_the_formula_rule_catches_what_it_should():
    names = {"scale", "inputs"}
    assert english_in_formulas(r"$\text{bytes per number} \cdot \text{scale}$", names) == [
        r"\text{bytes per number}"
    ]
    assert english_in_formulas(r"$n_\text{heads}, \text{số byte}, \text{ byte}$", names) == []


@pytest.mark.parametrize("path", VI, ids=lambda p: p.stem)
def test_no_english_inside_formulas(path):
    names = code_names(path)
    assert names, f"{path.name}: the scan found no code names"
    found = [
        f"cell {i}: {t}" for i, s in markdown_cells(path) for t in english_in_formulas(s, names)
    ]
    assert found == [], "translate the words, or use a name the code uses:\n" + "\n".join(found)


@pytest.mark.parametrize("path", VI, ids=lambda p: p.stem)
def test_no_bare_attention_in_vietnamese_sentences(path, glossary):
    cells = markdown_cells(path)
    assert any("chú ý" in prose(s) for _, s in cells), "the scan sees no Vietnamese prose"
    found = [f"cell {i}: {a}" for i, s in cells for a in bare_attention_in(prose(s), glossary)]
    assert found == [], "\n".join(found)


def fixed_paragraph(path: Path, heading: str, *, last: bool) -> str:
    blocks = [s for _, s in markdown_cells(path) if s.startswith(heading)]
    assert len(blocks) == 1, f"{path.name}: expected one '{heading}' cell, found {len(blocks)}"
    paragraphs = [p for p in blocks[0].split("\n\n")[1:] if p.strip()]
    return " ".join((paragraphs[-1] if last else paragraphs[0]).split())


@pytest.mark.parametrize("path", VI, ids=lambda p: p.stem)
def test_exercises_open_with_the_glossary_paragraph(path, glossary):
    assert fixed_paragraph(path, "## Bài tập", last=False) == glossary.quotes[0]


def test_explore_sections_end_with_the_glossary_paragraph(glossary):
    explored = [p for p in VI if any(s.startswith("## Khám phá") for _, s in markdown_cells(p))]
    assert len(explored) >= 5, "the scan finds too few Explore sections"
    footers = {p.name: fixed_paragraph(p, "## Khám phá", last=True) for p in explored}
    assert footers == dict.fromkeys(footers, glossary.quotes[1])


def test_the_glossary_is_linked():
    start_here = "".join(s for _, s in markdown_cells(NOTEBOOKS / "vi" / "00_start_here.ipynb"))
    assert "](GLOSSARY.md)" in start_here
    assert "](notebooks/vi/GLOSSARY.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
