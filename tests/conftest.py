"""Shared test settings: a reproducible hypothesis profile, the list of notebooks, and the
fixtures of the explorer tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = REPO / "notebooks"

# "ci" (the default) draws the same examples on every run, so a failure in CI reproduces locally;
# HYPOTHESIS_PROFILE=explore searches with fresh random examples (and more of them) instead.
settings.register_profile(
    "ci",
    max_examples=50,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def notebook_paths() -> list[Path]:
    """Every notebook under notebooks/ (subfolders too), checkpoints excluded, in reading order."""
    return sorted(p for p in NOTEBOOKS_DIR.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def notebook_id(path: Path) -> str:
    return path.relative_to(NOTEBOOKS_DIR).as_posix()


@pytest.fixture(scope="module")
def agg_backend():
    """Figures drawn without a window, whatever the machine (a module marks itself with it)."""
    import matplotlib.pyplot as plt

    plt.switch_backend("agg")


@pytest.fixture
def explorers(agg_backend):
    """Explorers made by a test, closed after it (a closed widget stops listening)."""
    made = []
    yield made
    for explorer in made:
        explorer.close()
