"""Notebook hygiene: what every stored notebook must look like, checked on the file alone.

These tests execute nothing: they read each .ipynb under notebooks/ (subfolders too) and check
that it was executed top to bottom, stores only outputs that are the same on every machine,
keeps its cells short and its plots free of stray reprs, and has the collection's frame (title,
learning goals, Colab badge, summary, a link to the next notebook), in the words of its edition.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOKS_DIR, REPO, notebook_id, notebook_paths
from IPython.core.inputtransformer2 import TransformerManager

from attention_lab.tools.colab import read_project

NOTEBOOKS = notebook_paths()
MAX_BYTES = 400 * 1024  # a notebook of a dozen small figures; the pictures are most of it
MAX_CELL_LINES = 15
LONG_CELL = "# long cell:"  # the first line of a longer cell, followed by the reason
PROJECT = read_project(REPO)
# The badge opens the notebook from the repository named in pyproject.toml, at main or at the
# release tag of this version (what `python -m attention_lab.tools.colab sync` writes).
BADGE = (
    "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
    "(https://colab.research.google.com/github/{github}/blob/{ref}/{path})"
)

ABSOLUTE_PATH = re.compile(r"/home/|/root/|/tmp/|/work/|/Users/|\b[A-Za-z]:\\")
# What differs between machines or runs, or prints autograd's bookkeeping instead of values.
MACHINE_SPECIFIC = {
    "a device in a tensor repr": re.compile(r"device='|device\(type="),
    "a device index": re.compile(r"\b(cuda|mps|xpu):\d"),
    "a GPU model": re.compile(r"NVIDIA|GeForce|Tesla [A-Z]|Quadro|Radeon|\b[AHLV]100\b|Apple M\d"),
    "a memory address": re.compile(r"0x[0-9a-fA-F]{6,}"),
    "a grad_fn (print x.detach() instead)": re.compile(r"grad_fn=|requires_grad=True"),
}
# The repr a plot call returns when a cell ends on it instead of `ax = ...` or `;`.
STRAY_REPR = re.compile(
    r"<Figure size|<matplotlib\.|\[<matplotlib|\bText\(|<Axes[:\s]|<AxesSubplot|<Axes3D|"
    r"<mpl_toolkits|<(Bar|Errorbar|Stem)Container|\bLine2D\(|<a list of \d+"
)
BINARY_MIME = ("image/png", "image/jpeg", "image/gif")
WIDGET_MIME = (
    "application/vnd.jupyter.widget-view+json",
    "application/vnd.jupyter.widget-state+json",
)
# nbval's switches: ignoring a cell's output is allowed by the rule below; skipping a cell or
# expecting it to raise never is (every cell runs, and none raises).
IGNORE_MARKER, IGNORE_TAG = "NBVAL_IGNORE_OUTPUT", "nbval-ignore-output"
FORBIDDEN_MARKERS = ("NBVAL_SKIP", "NBVAL_RAISES_EXCEPTION", "PYTEST_VALIDATE_IGNORE_OUTPUT")
FORBIDDEN_TAGS = ("nbval-skip", "nbval-raises-exception", "raises-exception")
MEASURES_TIME = re.compile(
    r"\b(time\.(perf_counter|monotonic|time|process_time)|timeit|Timer)\b|%%?timeit|\bbench\b"
)
ENVIRONMENT = re.compile(r"describe_environment\(|__version__")
SHOWS_WIDGET = re.compile(r"_explorer\(|\bwidgets\.|\binteract(ive)?\(")

# The frame's words in each edition: English at the top of notebooks/, translations in a folder
# named by language code. A new edition adds its line here.
EDITIONS = {
    "": {"goals": "Learning goals", "summary": "## Summary"},
    "vi": {"goals": "Mục tiêu học tập", "summary": "## Tóm tắt"},
}

parametrize = pytest.mark.parametrize("path", NOTEBOOKS, ids=notebook_id)


def edition(path: Path) -> dict[str, str]:
    folder = path.parent.relative_to(NOTEBOOKS_DIR).as_posix().strip(".")
    assert folder in EDITIONS, f"notebooks/{folder}/ is not a known edition: add it to EDITIONS"
    return EDITIONS[folder]


@functools.cache
def load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def code_cells(path: Path) -> list[tuple[int, nbformat.NotebookNode]]:
    """(index among all cells, cell) for every code cell."""
    return [(i, c) for i, c in enumerate(load(path).cells) if c.cell_type == "code"]


def output_texts(cell: nbformat.NotebookNode):
    """(where, text) for every text a code cell shows: streams, text mime types, errors."""
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            yield output.name, output.text
        elif output.output_type == "error":
            yield "error", "\n".join([output.ename, output.evalue, *output.traceback])
        else:
            for mime, value in output.get("data", {}).items():
                if mime not in BINARY_MIME:
                    yield mime, value if isinstance(value, str) else str(value)


def comments(source: str) -> list[str]:
    return [line.strip() for line in source.splitlines() if line.strip().startswith("#")]


def has_marker(source: str, marker: str) -> bool:
    return any(c.lstrip("#").strip() == marker for c in comments(source))


def counted_lines(source: str) -> int:
    """Non-blank lines, an import statement counting once however the formatter wraps it."""
    n = sum(1 for line in source.splitlines() if line.strip())
    try:
        tree = ast.parse(TransformerManager().transform_cell(source))  # %magics become calls
    except SyntaxError:
        return n
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            n -= node.end_lineno - node.lineno
    return n


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks under notebooks/"


# --- executed, in order, cleanly --------------------------------------------------------------------


@parametrize
def test_executed_top_to_bottom_in_one_run(path):
    counts = [cell.execution_count for _, cell in code_cells(path)]
    assert counts == list(range(1, len(counts) + 1)), f"execution counts {counts}"
    assert any(cell.outputs for _, cell in code_cells(path)), "no outputs stored"
    for i, cell in code_cells(path):
        for output in cell.outputs:
            if output.output_type == "execute_result":
                assert output.execution_count == cell.execution_count, f"cell {i}"


@parametrize
def test_no_errors_and_no_stderr(path):
    bad = [
        (i, output.output_type, output.get("name"))
        for i, cell in code_cells(path)
        for output in cell.outputs
        if output.output_type == "error"
        or (output.output_type == "stream" and output.name == "stderr")
    ]
    assert bad == [], "cells with an error or stderr output (fix the warning at its source)"


@parametrize
def test_no_widget_state_and_no_timings_stored(path):
    nb = load(path)
    assert "widgets" not in nb.metadata
    for i, cell in enumerate(nb.cells):
        for key in ("execution", "ExecuteTime"):
            assert key not in cell.metadata, f"cell {i} stores {key} metadata"
        for output in cell.get("outputs", []):
            assert "execution" not in output.get("metadata", {}), f"cell {i}"
            stored = set(output.get("data", {})) & set(WIDGET_MIME)
            assert not stored, f"cell {i} stores {stored}"


@parametrize
def test_small_enough(path):
    size = path.stat().st_size
    assert size <= MAX_BYTES, f"{size / 1024:.0f} KB > {MAX_BYTES // 1024} KB"


@parametrize
def test_kernel_is_python3(path):
    assert load(path).metadata.get("kernelspec", {}).get("name") == "python3"


# --- outputs that are the same on every machine -------------------------------------------------


@parametrize
def test_no_absolute_paths_in_sources_or_outputs(path):
    found = []
    for i, cell in enumerate(load(path).cells):
        texts = [("source", cell.source)]
        if cell.cell_type == "code":
            texts += list(output_texts(cell))
        found += [(i, where, m.group(0)) for where, t in texts if (m := ABSOLUTE_PATH.search(t))]
    assert found == []


@parametrize
def test_a_learner_reads_attention_not_copies_to_the_cpu(path):
    # Printing a tensor as it is keeps the outputs device-independent: on a GPU torch adds only
    # ", device='cuda:0'", which the nbval sanitizer removes (tests/test_nbval_sanitize.py).
    cells = nbformat.read(path, as_version=4).cells
    assert cells, f"{path.name} has no cells"
    found = [i for i, cell in enumerate(cells) if "to_cpu(" in cell.source]
    assert found == [], f"{path.name}: to_cpu(...) in cells {found}: print the tensor itself"


#: A line of code (comments aside) whose job is choosing a device or moving a tensor to one.
DEVICE_HANDLING = re.compile(
    r"\bdevice\b|\b(use|pick)_device\(|\.(cpu|cuda|mps)\(|\.to\(\s*(\"|'|torch\.device)"
)


def code_lines(source: str) -> list[str]:
    """The source's lines with their comments removed, blank ones dropped (strings kept)."""
    lines = []
    for line in source.splitlines():
        code = line.split("  #")[0] if not line.lstrip().startswith("#") else ""
        if code.strip():
            lines.append(code)
    return lines


@parametrize
def test_at_most_two_lines_of_a_notebook_handle_the_device(path):
    """``device = use_device()`` makes the device the default: the cells need no .to(device)."""
    cells = code_cells(path)
    assert cells, f"{path.name} has no code cells"
    found = [
        (i, line.strip())
        for i, cell in cells
        for line in code_lines(cell.source)
        if DEVICE_HANDLING.search(line)
    ]
    assert len(found) <= 2, f"{path.name}: {len(found)} lines handle the device: {found}"


def test_the_device_line_finder_finds_what_it_must():
    assert code_lines("x = y.to(device)  # moved\n# a comment\n\nz = 1") == [
        "x = y.to(device)",
        "z = 1",
    ]
    caught = ["device = use_device()", 'w.to("meta")', "q.cpu()", "torch.zeros(3, device=d)"]
    assert all(DEVICE_HANDLING.search(line) for line in caught)
    passed = ["x = x.to(torch.float64)", "w = torch.randn(3, 2)", "print(devices_seen)"]
    assert not any(DEVICE_HANDLING.search(line) for line in passed)


#: The set-up cell (the first that imports attention_lab) imports in at most this many lines.
SETUP_IMPORT_LINES = 7


@parametrize
def test_the_set_up_cell_imports_in_a_few_lines(path):
    def imports_of(cell) -> list[ast.stmt]:
        tree = ast.parse(TransformerManager().transform_cell(cell.source))
        return [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]

    def imports_the_package(node: ast.stmt) -> bool:
        names = (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [a.name for a in node.names]
        )
        return any(name.split(".")[0] == "attention_lab" for name in names)

    # The set-up cell: the first to import the package (Colab's install cell only names it).
    setups = [
        imports_of(c) for _, c in code_cells(path) if any(map(imports_the_package, imports_of(c)))
    ]
    assert setups, f"{path.name} never imports attention_lab"
    imports = setups[0]
    n_lines = sum(node.end_lineno - node.lineno + 1 for node in imports)
    assert n_lines <= SETUP_IMPORT_LINES, (
        f"{path.name}: the set-up cell imports in {n_lines} lines; import a name where it is "
        "first used, or from its submodule (attention_lab.data, .functional, .plots)"
    )


@parametrize
def test_outputs_are_machine_independent(path):
    found = [
        (i, what, m.group(0))
        for i, cell in code_cells(path)
        for _, text in output_texts(cell)
        for what, pattern in MACHINE_SPECIFIC.items()
        if (m := pattern.search(text))
    ]
    assert found == []


@parametrize
def test_nbval_output_checks_are_ignored_only_where_allowed(path):
    """The allow-list for a cell whose output nbval does not compare.

    - A cell that displays a widget, tagged ``nbval-ignore-output``: its view is live state.
    - Otherwise the cell must say why in a comment of its own, and be either
      - the environment cell of 00_start_here (devices and versions differ by machine), or
      - a timing cell, one whose source measures time (timings differ by run).
    Nothing may skip a cell or expect it to raise: every cell runs, and none raises.
    """
    problems = []
    for i, cell in code_cells(path):
        tags = cell.metadata.get("tags", [])
        forbidden = [m for m in FORBIDDEN_MARKERS if has_marker(cell.source, m)]
        forbidden += [t for t in tags if t in FORBIDDEN_TAGS]
        if forbidden:
            problems.append((i, f"uses {forbidden}"))
        marked, tagged = has_marker(cell.source, IGNORE_MARKER), IGNORE_TAG in tags
        if not (marked or tagged):
            continue
        if tagged and not marked and SHOWS_WIDGET.search(cell.source):
            continue  # a live widget
        why = [c for c in comments(cell.source) if c.lstrip("#").strip() != IGNORE_MARKER]
        environment = path.stem == "00_start_here" and ENVIRONMENT.search(cell.source)
        timing = MEASURES_TIME.search(cell.source)
        if not why:
            problems.append((i, "ignores its output without a comment saying why"))
        if not (environment or timing):
            problems.append(
                (i, "ignores its output but is neither the environment cell nor a timing")
            )
    assert problems == []


# --- short cells, clean plots -----------------------------------------------------------------


@parametrize
def test_code_cells_are_short_or_say_why(path):
    long = [
        (i, counted_lines(cell.source))
        for i, cell in code_cells(path)
        if counted_lines(cell.source) > MAX_CELL_LINES
        and not (
            cell.source.lstrip().startswith(LONG_CELL)
            and len(cell.source.lstrip().splitlines()[0]) > len(LONG_CELL) + 3
        )
    ]
    assert long == [], (
        f"cells over {MAX_CELL_LINES} lines: split them, or start with '{LONG_CELL} <reason>'"
    )


@parametrize
def test_no_stray_object_repr_after_a_plot(path):
    stray = [
        (i, output.data["text/plain"][:60])
        for i, cell in code_cells(path)
        for output in cell.outputs
        if output.output_type == "execute_result"
        and STRAY_REPR.search(output.data.get("text/plain", ""))
    ]
    assert stray == [], "end plot cells with `ax = ...` or `;`"


# --- the frame: title, goals, badge, summary, next ------------------------------------------------


@parametrize
def test_title_cell_has_learning_goals_and_colab_badge(path):
    first = load(path).cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith("# "), "the first line is the title"
    assert edition(path)["goals"] in first.source
    lines = [line.strip() for line in first.source.splitlines()]
    badges = [
        BADGE.format(github=PROJECT.github, ref=ref, path=path.relative_to(REPO).as_posix())
        for ref in ("main", PROJECT.ref)
    ]
    assert any(badge in lines for badge in badges), f"no Colab badge line, expected one of {badges}"


@parametrize
def test_ends_with_summary_and_links_to_the_next_notebook(path):
    markdown = [c.source for c in load(path).cells if c.cell_type == "markdown"]
    heading = edition(path)["summary"]
    summary = [i for i, s in enumerate(markdown) if re.search(rf"^{heading}\s*$", s, re.M)]
    assert summary, f"no '{heading}' heading"
    siblings = sorted(p for p in NOTEBOOKS if p.parent == path.parent)
    position = siblings.index(path)
    if position + 1 < len(siblings):
        following = siblings[position + 1].name
        after_summary = "\n".join(markdown[summary[-1] :])
        assert f"]({following})" in after_summary, f"no link to {following} after the summary"


@parametrize
def test_links_to_notebooks_resolve(path):
    links = [
        target
        for cell in load(path).cells
        if cell.cell_type == "markdown"
        for target in re.findall(r"\]\(([^)\s:]+\.ipynb)(?:#[^)]*)?\)", cell.source)
    ]
    missing = [t for t in links if not (path.parent / t).resolve().is_file()]
    assert missing == [], f"links to notebooks that do not exist (yet): {missing}"


def test_every_notebook_lives_under_notebooks():
    assert all(NOTEBOOKS_DIR in p.parents for p in NOTEBOOKS)
