"""Colab: every badge and setup cell agrees with pyproject, and the setup installs the package on
(a simulated) Colab without touching the network or Colab's torch, and does nothing elsewhere."""

from __future__ import annotations

import json
import platform
import shlex
import shutil
import subprocess
import sys
import sysconfig
import types
import venv
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from attention_lab.tools import colab

ROOT = Path(__file__).resolve().parents[1]
PROJECT = colab.read_project(ROOT)
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_every_notebook_and_the_readme_agree_with_pyproject():
    """Fix with `make colab` (python -m attention_lab.tools.colab sync notebooks/*.ipynb README.md)."""
    paths = [*colab.notebooks_under(ROOT / "notebooks"), ROOT / "README.md"]
    assert colab.check(paths) == []


def test_the_project_is_read_from_pyproject():
    pyproject = PYPROJECT
    assert PROJECT.repository == pyproject["project"]["urls"]["Repository"]
    assert PROJECT.ref == "v" + pyproject["project"]["version"]
    assert PROJECT.requirement == f"attention-lab @ git+{PROJECT.repository}@{PROJECT.ref}"
    owner_name = PROJECT.repository.removeprefix("https://github.com/")
    assert colab.badge(PROJECT, "notebooks/x.ipynb") == (
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"(https://colab.research.google.com/github/{owner_name}/blob/{PROJECT.ref}/notebooks/x.ipynb)"
    )
    with pytest.raises(
        ValueError, match=r"colab: the repository URL must be https://github.com/OWNER/NAME"
    ):
        _ = colab.Project("https://gitlab.com/a/b", "1.0").github


# -- sync and check on a scratch checkout ---------------------------------------------------------


def scratch_checkout(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    (root / "notebooks" / "extra").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    stale = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                "# 01 — Title\n\nProse.\n\n[![Open In Colab](https://colab.research.google.com/"
                "assets/colab-badge.svg)](https://colab.research.google.com/github/someone/old/"
                "blob/main/notebooks/01_a.ipynb)\n\nMore prose."
            ),
            nbformat.v4.new_code_cell(
                '%pip install "attention-lab @ git+https://x@main"',
                metadata={"tags": ["colab-setup"]},
            ),
            nbformat.v4.new_code_cell("import torch"),
        ]
    )
    bare = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# 02 — Bare"), nbformat.v4.new_code_cell("1 + 1")]
    )
    nbformat.write(stale, root / "notebooks" / "01_a.ipynb")
    nbformat.write(bare, root / "notebooks" / "extra" / "02_b.ipynb")
    (root / "README.md").write_text(
        "| 01 | [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        "(https://colab.research.google.com/github/someone/old/blob/main/notebooks/01_a.ipynb) |\n"
    )
    return root


def test_check_names_each_disagreement_and_sync_fixes_them(tmp_path):
    root = scratch_checkout(tmp_path)
    notebooks = colab.notebooks_under(root / "notebooks")
    paths = [*notebooks, root / "README.md"]
    problems = colab.check(paths)
    assert any("01_a.ipynb: title cell: Colab badge" in p for p in problems)
    assert any("01_a.ipynb: the 'colab-setup' cell differs" in p for p in problems)
    assert any("02_b.ipynb: title cell: Colab badge is missing" in p for p in problems)
    assert any(
        "02_b.ipynb: expected exactly one cell tagged 'colab-setup', found 0" in p for p in problems
    )
    assert any("README.md: Colab link" in p for p in problems)
    assert any("README.md: no Colab badge for notebooks/extra/02_b.ipynb" in p for p in problems)

    assert set(colab.sync(paths)) == set(paths)
    assert colab.sync(paths) == []  # a second sync changes nothing
    remaining = colab.check(paths)
    assert remaining == [f"{root / 'README.md'}: no Colab badge for notebooks/extra/02_b.ipynb"]

    stale = nbformat.read(root / "notebooks" / "01_a.ipynb", as_version=4)
    title = stale.cells[0].source
    assert title.startswith("# 01 — Title\n\nProse.\n\n[![Open In Colab]") and title.endswith(
        "More prose."
    )
    assert colab.badge(PROJECT, "notebooks/01_a.ipynb") in title
    assert stale.cells[1].source == colab.setup_cell_source(PROJECT)
    assert [c.source for c in stale.cells[2:]] == ["import torch"]
    bare = nbformat.read(root / "notebooks" / "extra" / "02_b.ipynb", as_version=4)
    assert bare.cells[0].source.endswith(colab.badge(PROJECT, "notebooks/extra/02_b.ipynb"))
    assert bare.cells[1].metadata.tags == ["colab-setup"]
    assert [c.source for c in bare.cells[2:]] == ["1 + 1"]


def test_the_command_line_checks_and_syncs(tmp_path):
    root = scratch_checkout(tmp_path)
    notebook = str(root / "notebooks" / "01_a.ipynb")
    command = [sys.executable, "-m", "attention_lab.tools.colab"]
    assert subprocess.run([*command, "check", notebook], capture_output=True).returncode == 1
    subprocess.run([*command, "sync", notebook], check=True, capture_output=True)
    assert subprocess.run([*command, "check", notebook], capture_output=True).returncode == 0


# -- the setup cell and the setup function ------------------------------------------------------


class FakeShell:
    """Stands in for IPython: records the line magics a cell runs."""

    def __init__(self):
        self.magics = []

    def run_line_magic(self, name, line, _stack_depth=1):
        self.magics.append((name, line))


def run_setup_cell(source: str) -> FakeShell:
    shell = FakeShell()
    code = TransformerManager().transform_cell(source)  # what IPython runs: %pip -> a call
    exec(code, {"get_ipython": lambda: shell})
    return shell


@pytest.fixture
def on_colab(monkeypatch):
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))


def test_outside_colab_the_setup_cell_and_function_do_nothing_and_print_nothing(
    monkeypatch, capsys
):
    assert "google.colab" not in sys.modules

    def no_subprocess(*args, **kwargs):
        raise AssertionError("nothing may run outside Colab")

    monkeypatch.setattr(subprocess, "run", no_subprocess)
    assert run_setup_cell(colab.setup_cell_source(PROJECT)).magics == []
    assert colab.setup() is False
    assert capsys.readouterr() == ("", "")


def test_on_colab_the_setup_cell_pip_installs_the_pinned_requirement(on_colab):
    shell = run_setup_cell(colab.setup_cell_source(PROJECT))
    ((magic, line),) = shell.magics
    assert magic == "pip"
    assert shlex.split(line) == colab.pip_args(PROJECT.requirement)
    assert "@v" in PROJECT.requirement  # pinned to a release tag, never a moving branch


# Run inside the simulated Colab: each requirement of the installed attention-lab, whether its
# marker applies there, and whether the version found there meets it.
REQUIREMENTS_PROBE = """
import importlib.metadata as md, json
from packaging.requirements import Requirement
report = []
for line in md.requires("attention-lab"):
    req = Requirement(line)
    if req.marker is not None and "extra" in str(req.marker):
        continue  # the dev extra is not installed on Colab
    applies = req.marker is None or req.marker.evaluate()
    try:
        found = md.version(req.name)
    except md.PackageNotFoundError:
        found = None
    met = found is not None and req.specifier.contains(found, prereleases=True)
    report.append({"name": req.name, "applies": applies, "found": found, "met": met})
print(json.dumps(report))
"""


def test_the_declared_dependencies_keep_colab_s_torch_and_mark_triton():
    """Lower bounds only (so pip leaves Colab's torch alone), and triton only where it has wheels."""
    from packaging.requirements import Requirement

    requirements = {
        Requirement(r).name: Requirement(r) for r in PYPROJECT["project"]["dependencies"]
    }
    assert {"torch", "numpy", "triton"} <= requirements.keys()
    for name in ("torch", "numpy", "matplotlib", "triton"):
        operators = {spec.operator for spec in requirements[name].specifier}
        assert operators == {">="}, f"{name}: {requirements[name]} is more than a lower bound"
    triton = requirements["triton"].marker
    assert triton is not None
    colab_host = {"sys_platform": "linux", "platform_machine": "x86_64"}
    assert triton.evaluate(colab_host)
    assert triton.evaluate({"sys_platform": "linux", "platform_machine": "aarch64"})
    for host in (
        {"sys_platform": "darwin", "platform_machine": "arm64"},
        {"sys_platform": "win32", "platform_machine": "AMD64"},
    ):
        assert not triton.evaluate(host), host


def colab_like_environment(tmp_path: Path) -> Path:
    """A throwaway venv that already has torch and the rest, as Colab does, but not attention-lab.

    Its site-packages points (.pth) at a view of this environment's packages without
    attention-lab, so nothing is copied, downloaded or reinstalled.
    """
    ours = Path(sysconfig.get_paths()["purelib"])
    view = tmp_path / "colab-site-packages"
    view.mkdir()
    for entry in ours.iterdir():
        if "attention_lab" in entry.name or entry.suffix == ".pth" or entry.name == "__pycache__":
            continue
        (view / entry.name).symlink_to(entry)
    env = tmp_path / "colab-venv"
    venv.create(env, with_pip=False)  # pip comes through the view
    python = env / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    (Path(site) / "colab_packages.pth").write_text(f"{view}\n")
    return python


def test_setup_on_simulated_colab_installs_from_a_local_checkout_and_keeps_torch(
    tmp_path, on_colab, monkeypatch
):
    source = tmp_path / "source"  # a copy, so the build leaves nothing in this checkout
    shutil.copytree(
        ROOT / "attention_lab",
        source / "attention_lab",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    for name in ("pyproject.toml", "README.md", *PYPROJECT["project"]["license-files"]):
        shutil.copy(ROOT / name, source / name)
    python = colab_like_environment(tmp_path)
    monkeypatch.chdir(tmp_path)  # so that `python -c` cannot import this checkout's package
    probe = "import json, attention_lab, torch; print(json.dumps([attention_lab.__file__, torch.__file__]))"
    before = subprocess.run(
        [python, "-c", "import torch; print(torch.__file__)"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert (
        subprocess.run([python, "-c", "import attention_lab"], capture_output=True).returncode != 0
    )

    # No index and no build isolation: pip may use only what is installed, so the install
    # proves that nothing (torch least of all) had to be fetched or replaced.
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_NO_BUILD_ISOLATION", "0")
    monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    assert colab.setup(f"attention-lab @ {source.as_uri()}", python=str(python)) is True

    installed, torch_file = json.loads(
        subprocess.run([python, "-c", probe], check=True, capture_output=True, text=True).stdout
    )
    assert Path(installed).is_relative_to(python.parent.parent)  # in the throwaway venv
    assert torch_file == before.stdout.strip()  # Colab's torch, untouched

    # Every requirement the installed package declares (as pip read it from pyproject.toml) is
    # met there, each by the copy Colab already had: triton where its marker applies, torch at
    # or above the lower bound. pip added attention-lab and nothing else.
    report = json.loads(
        subprocess.run(
            [python, "-c", REQUIREMENTS_PROBE], check=True, capture_output=True, text=True
        ).stdout
    )
    declared = PYPROJECT["project"]["dependencies"]
    assert len(report) == len(declared) and len(report) >= 6, report
    unmet = [r for r in report if r["applies"] and not r["met"]]
    assert unmet == [], f"requirements Colab's packages do not meet: {unmet}"
    applying = {r["name"] for r in report if r["applies"]}
    assert "torch" in applying
    if sys.platform == "linux" and platform.machine() in ("x86_64", "aarch64"):  # as on Colab
        assert "triton" in applying
    site = Path(installed).parent.parent  # installed is attention_lab/__init__.py
    added = sorted(p.name for p in site.iterdir() if p.name != "__pycache__")
    assert [n for n in added if not n.startswith(("attention_lab", "__editable__"))] == [
        "colab_packages.pth"
    ], added
