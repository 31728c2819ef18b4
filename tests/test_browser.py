"""Every notebook in a real browser: JupyterLab on 127.0.0.1, driven in headless Chromium.

Each notebook is opened, run with "Run All Cells", and must finish with no error output, no
"Error displaying widget", and every widget rendered; in each explorer, a slider moved with the
keyboard must change the numbers shown and the figure. Screenshots go to test-artifacts/browser/.

Without a ``chromium`` on the PATH the tests skip, unless ATTENTION_LAB_REQUIRE_BROWSER=1 (as in
CI), which makes a missing browser a failure. ATTENTION_LAB_BROWSER_NOTEBOOKS points the test at
another folder of notebooks (to try it on scratch notebooks); the default is notebooks/.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from browser_support import (
    CLOSE,
    KERNEL_IDLE,
    MODEL_ERRORS,
    OPEN_AND_RUN_ALL,
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


@pytest.mark.parametrize("notebook", notebooks())
def test_notebook_runs_in_jupyterlab_and_its_explorers_respond(page, notebook):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / re.sub(r"[^\w.-]", "_", notebook.removesuffix(".ipynb"))
    page.evaluate(OPEN_AND_RUN_ALL, notebook)
    try:
        page.wait_for_function(KERNEL_IDLE, arg=notebook, timeout=RUN_TIMEOUT_MS, polling=500)
        panel = page.locator(f'[data-test-notebook="{notebook}"]')
        widget_outputs = panel.locator(f'.jp-OutputArea-output[data-mime-type="{WIDGET_MIME}"]')
        # A widget view is rendered once it holds a widget node or an error.
        page.wait_for_function(
            """([path, mime]) => [...document.querySelectorAll(
                 `[data-test-notebook="${path}"] .jp-OutputArea-output[data-mime-type="${mime}"]`)]
               .every(o => o.querySelector('.jupyter-widgets') || o.textContent.includes('Error'))""",
            arg=[notebook, WIDGET_MIME],
        )
        page.screenshot(path=f"{shot}.png")

        assert page.evaluate(MODEL_ERRORS) == [], "a cell raised an error"
        stderr = panel.locator(f'.jp-OutputArea-output[data-mime-type="{STDERR_MIME}"]')
        assert stderr.all_inner_texts() == [], "a cell wrote to stderr"
        assert "Error displaying widget" not in panel.inner_text()
        for i in range(widget_outputs.count()):
            assert widget_outputs.nth(i).locator(".jupyter-widgets").count() > 0, (
                f"widget {i} did not render"
            )

        explorers = panel.locator(".attention-lab-explorer")
        for i in range(explorers.count()):
            _move_a_slider_and_see_the_figure_change(explorers.nth(i), f"{shot}-explorer{i}")
    finally:
        page.evaluate(CLOSE)


def _move_a_slider_and_see_the_figure_change(explorer, shot: str) -> None:
    values = explorer.locator(".attention-lab-values")
    image = explorer.locator(".attention-lab-figure img")
    image.wait_for()
    before_values, before_src = values.inner_text(), image.get_attribute("src")
    handle = explorer.locator(".noUi-handle, .ui-slider-handle").first  # ipywidgets 8, 7
    handle.scroll_into_view_if_needed()
    handle.focus()
    handle.press("ArrowRight")
    # Looked up afresh on each poll: a redrawn figure is a new <img>, not the old one changed.
    explorer.page.wait_for_function(
        """([node, values, src]) => {
             const shown = node.querySelector('.attention-lab-values').innerText;
             const image = node.querySelector('.attention-lab-figure img');
             return shown !== values && image !== null && image.getAttribute('src') !== src;
           }""",
        arg=[explorer.element_handle(), before_values, before_src],
        timeout=30_000,
    )
    assert explorer.locator(".attention-lab-message").inner_text().strip() == ""
    explorer.screenshot(path=f"{shot}.png")
