"""Every notebook in a real browser: JupyterLab on 127.0.0.1, driven in headless Chromium.

Each notebook is opened, run with "Run All Cells", and must finish with no error output, no
"Error displaying widget", and as many widget views in the page as the notebook model holds widget
outputs; the page holds one explorer per cell of the .ipynb that calls an ``*_explorer(`` function.
Each explorer is then driven from the keyboard alone: Tab from its first control to its first
slider (its first button where it has no slider), then ArrowRight/ArrowLeft in turn (Enter for a
button); every press must bring a new figure, and the first ones new numbers. Every control must
have a label a screen reader can read and every figure a non-empty alt text.

Each press is timed in the page, from the key press until the new figure is decoded and painted:
the samples go to test-artifacts/browser/latency.json, a table (median, p90 per explorer) to
latency.md and to the end of the terminal report. A benchmark, never asserted: 20 presses per
explorer (about 5 s each), or 3 with ATTENTION_LAB_LATENCY=0. Screenshots go to
test-artifacts/browser/.

Without a ``chromium`` on the PATH the tests skip, unless ATTENTION_LAB_REQUIRE_BROWSER=1 (as in
CI), which makes a missing browser a failure. ATTENTION_LAB_BROWSER_NOTEBOOKS points the test at
another folder of notebooks (to try it on scratch notebooks); the default is notebooks/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from browser_latency import LatencyLog, Sample, median, p90, presses_per_explorer
from browser_support import (
    ARM_PRESS,
    AWAIT_PRESS,
    CLOSE,
    ENTER_EXPLORER,
    FOCUS_IS,
    KERNEL_IDLE,
    LABELS_AND_ALTS,
    MODEL_ERRORS,
    MODEL_WIDGET_OUTPUTS,
    OPEN_AND_RUN_ALL,
    PAGE_WIDGET_VIEWS,
    REQUIRE_BROWSER,
    chromium_args,
    find_chromium,
    jupyterlab,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = Path(os.environ.get("ATTENTION_LAB_BROWSER_NOTEBOOKS") or ROOT / "notebooks")
ARTIFACTS = ROOT / "test-artifacts" / "browser"
RUN_TIMEOUT_MS = 300_000  # the slowest notebook, run on a busy 2-core machine
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
STDERR_MIME = "application/vnd.jupyter.stderr"
EXPLORER_CALL = re.compile(r"\b(\w+_explorer)\(")
EXPLORE_HEADING = re.compile(r"^## (Explore|Khám phá)\s*$", re.MULTILINE)  # EN, VI editions
MAX_TABS = 40  # Tab presses allowed from an explorer's first control to the one driven

pytestmark = pytest.mark.browser


def notebooks() -> list[str]:
    found = sorted(NOTEBOOKS_DIR.rglob("*.ipynb")) if NOTEBOOKS_DIR.is_dir() else []
    return [
        p.relative_to(NOTEBOOKS_DIR).as_posix()
        for p in found
        if ".ipynb_checkpoints" not in p.parts
    ]


def _skip_or_fail(reason: str):
    if os.environ.get(REQUIRE_BROWSER) == "1":
        pytest.fail(f"{reason}, and {REQUIRE_BROWSER}=1 requires the browser tests to run")
    pytest.skip(f"{reason} (set {REQUIRE_BROWSER}=1 to make this a failure)")


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        _skip_or_fail("no chromium on the PATH: install it with `apt-get install chromium`")
    return path


@pytest.fixture(scope="module")
def lab(tmp_path_factory, chromium):
    # A copy: running cells in the browser must never autosave into the committed notebooks.
    served = tmp_path_factory.mktemp("served") / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, served, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    with jupyterlab(served, tmp_path_factory.mktemp("jupyter")) as server:
        yield server


@pytest.fixture(scope="module")
def page(lab, chromium):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("Playwright for Python is not installed (it comes with `make install`)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=chromium_args()
        )
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(lab.lab_url())
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell")
        page.evaluate(
            "async () => { await window.jupyterapp.started; await window.jupyterapp.restored; }"
        )
        yield page
        browser.close()


@pytest.fixture(scope="module")
def latency(request) -> LatencyLog:
    """The session's latency samples, written after each notebook and tabled at the very end."""
    log = LatencyLog(ARTIFACTS)
    request.config.pluginmanager.register(log, "attention-lab-latency")
    return log


def explorer_cells(notebook: str) -> list[str]:
    """The explorer function each code cell of the notebook on disk calls, one per cell.

    A notebook with an Explore section must have at least one: finding none there means the
    pattern no longer matches how the notebooks call their explorers.
    """
    cells = json.loads((NOTEBOOKS_DIR / notebook).read_text(encoding="utf-8"))["cells"]
    found, explore_section = [], False
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            explore_section |= bool(EXPLORE_HEADING.search(source))
        elif calls := EXPLORER_CALL.findall(source):
            found.append(calls[0])
    assert found or not explore_section, f"{notebook} has an Explore section but no explorer cell"
    return found


@pytest.mark.parametrize("notebook", notebooks())
def test_every_explore_section_has_an_explorer_cell(notebook):
    # Needs no browser: the count the browser test expects, checked wherever the tests run.
    explorer_cells(notebook)


def test_explorer_cells_are_found_and_an_empty_explore_section_fails(tmp_path, monkeypatch):
    def write(cells):
        (tmp_path / "nb.ipynb").write_text(json.dumps({"cells": cells}))

    monkeypatch.setattr(sys.modules[__name__], "NOTEBOOKS_DIR", tmp_path)
    explore = {"cell_type": "markdown", "source": ["## Khám phá\n", "Kéo thanh trượt."]}
    call = {"cell_type": "code", "source": ["e = tiles_explorer(n=8)\n", "e"]}
    write([explore, call, {"cell_type": "code", "source": ["x = 1"]}])
    assert explorer_cells("nb.ipynb") == ["tiles_explorer"]
    write([explore, {"cell_type": "code", "source": ["print('no explorer')"]}])
    with pytest.raises(AssertionError, match="Explore section but no explorer"):
        explorer_cells("nb.ipynb")


def test_latency_statistics():
    samples = [float(v) for v in range(1, 21)]  # 1 .. 20 ms
    assert (median(samples), p90(samples)) == (10.5, 18.0)
    assert (median([5.0, 1.0, 3.0]), p90([5.0, 1.0, 3.0])) == (3.0, 5.0)


@pytest.mark.parametrize("notebook", notebooks())
def test_notebook_runs_in_jupyterlab_and_its_explorers_respond(page, latency, notebook):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / re.sub(r"[^\w.-]", "_", notebook.removesuffix(".ipynb"))
    expected_explorers = explorer_cells(notebook)
    page.evaluate(OPEN_AND_RUN_ALL, notebook)
    try:
        page.wait_for_function(KERNEL_IDLE, arg=notebook, timeout=RUN_TIMEOUT_MS, polling=500)
        panel = page.locator(f'[data-test-notebook="{notebook}"]')
        assert page.evaluate(MODEL_ERRORS) == [], "a cell raised an error"
        stderr = panel.locator(f'.jp-OutputArea-output[data-mime-type="{STDERR_MIME}"]')
        assert stderr.all_inner_texts() == [], "a cell wrote to stderr"

        # Every widget output of the model must become a widget view in the page (or an error).
        in_model = page.evaluate(MODEL_WIDGET_OUTPUTS, WIDGET_MIME)
        page.wait_for_function(
            f"([path, n]) => {{ const v = ({PAGE_WIDGET_VIEWS})(path); "
            "return v.rendered + v.failed >= n; }",
            arg=[notebook, in_model],
        )
        views = page.evaluate(PAGE_WIDGET_VIEWS, notebook)
        page.screenshot(path=f"{shot}.png")
        assert "Error displaying widget" not in panel.inner_text()
        assert views == {"rendered": in_model, "failed": 0}, (
            f"the notebook model holds {in_model} widget outputs, the page renders {views}"
        )
        assert in_model >= len(expected_explorers)

        explorers = panel.locator(".attention-lab-explorer")
        assert explorers.count() == len(expected_explorers), (
            f"{len(expected_explorers)} cells call an explorer ({expected_explorers}), "
            f"the page shows {explorers.count()} explorers"
        )
        problems = []
        for i, name in enumerate(expected_explorers):
            label = f"{name} #{i + 1}"
            problems += _drive_from_the_keyboard(
                explorers.nth(i), notebook, label, latency, f"{shot}-explorer{i}"
            )
        assert problems == [], "accessibility: " + "; ".join(problems)
    finally:
        latency.write()
        page.evaluate(CLOSE)


def _drive_from_the_keyboard(explorer, notebook, label, latency, shot) -> list[str]:
    """Reach the explorer's slider (or button) with Tab, press keys, time each press.

    Returns what a screen reader would miss (unlabelled controls, figures without alt text).
    """
    page = explorer.page
    explorer.locator(".attention-lab-figure img").wait_for()
    explorer.scroll_into_view_if_needed()
    target = explorer.evaluate(ENTER_EXPLORER)
    assert target is not None, f"{label}: no slider or button to drive from the keyboard"
    for _ in range(MAX_TABS):
        where = explorer.evaluate(FOCUS_IS)
        if where != "inside":
            break
        page.keyboard.press("Tab")
    assert where == "target", (
        f"{label}: Tab from the first control left the explorer before its "
        f"{'slider' if target['slider'] else 'button'} {target['label']!r} ({where})"
    )
    if target["slider"]:  # alternate, starting away from the end the slider stands at
        keys = ["ArrowLeft", "ArrowRight"] if target["atMax"] else ["ArrowRight", "ArrowLeft"]
    else:
        keys = ["Enter"]
    for press in range(presses_per_explorer()):
        key = keys[press % len(keys)]
        explorer.evaluate(ARM_PRESS)
        page.keyboard.press(key)
        timed = page.evaluate(AWAIT_PRESS)
        assert "error" not in timed, f"{label}: {key} on {target['label']!r}: {timed['error']}"
        if press < 2:  # away and back: both must show new numbers and a new picture
            assert timed["valuesChanged"] and timed["srcChanged"], (
                f"{label}: {key} on {target['label']!r} changed numbers "
                f"{timed['valuesChanged']}, figure {timed['srcChanged']}"
            )
        steps = {f"{k}_ms": _ms(timed[k]) for k in ("numbers", "inserted", "decoded")}
        latency.add(Sample(notebook, label, target["label"], key, _ms(timed["ms"]), **steps))
    assert explorer.evaluate(FOCUS_IS) == "target", f"{label}: a key press moved the focus"
    assert explorer.locator(".attention-lab-message").inner_text().strip() == ""
    explorer.screenshot(path=f"{shot}.png")

    found = explorer.evaluate(LABELS_AND_ALTS)
    assert found["labels"] and found["alts"], f"{label}: no controls or no figure found"
    problems = [
        f"{label}: control {i} has no label" for i, t in enumerate(found["labels"]) if not t
    ]
    problems += [
        f"{label}: figure {i} has no alt text" for i, t in enumerate(found["alts"]) if not t
    ]
    return problems


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
