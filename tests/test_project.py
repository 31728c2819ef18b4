"""The set-up promises: one lock, one environment, the README's two commands, CI = make test."""

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def requirement_name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[@]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def pinned() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[requirement_name(name)] = version
    return pins


def test_lock_pins_the_tested_torch_and_every_declared_dependency():
    pins = pinned()
    assert pins["torch"] == "2.13.0"
    declared = (
        PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["dev"]
    )
    missing = [r for r in declared if requirement_name(r) not in pins and "python_version" not in r]
    assert missing == []


def test_environment_yml_installs_the_package_like_pyproject():
    text = (ROOT / "environment.yml").read_text()
    lines = [line.strip() for line in text.splitlines() if not line.strip().startswith("#")]
    assert "- conda-forge" in lines
    python = PYPROJECT["project"]["requires-python"]
    assert f"- python{python}" in lines
    assert "- pip" in lines
    assert "- -c constraints.txt" in lines
    assert "- -e .[dev]" in lines


def test_makefile_offers_the_documented_targets():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("help", "install", "lab", "test", "lint", "execute", "release", "clean"):
        assert re.search(rf"^{target}:.*## ", makefile, re.M), (
            f"make {target} missing or undocumented"
        )
    lab = re.search(r"^lab:.*\n\t(.*)", makefile, re.M).group(1)
    assert "--ServerApp.ip=127.0.0.1" in lab
    assert "token=" not in lab.lower()  # Jupyter's default random token stays on


def test_readme_shows_the_two_commands_and_every_notebook():
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme
    assert "make test" in readme
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert notebook.name in readme, f"README does not list {notebook.name}"


def test_ci_runs_make_test_and_nothing_the_readme_does_not():
    script = (ROOT / ".ci" / "run").read_text()
    assert "make test" in script
    assert "pip install" not in script


def test_make_lab_opens_without_asking_about_news_or_updates():
    # `make lab` writes these defaults into .venv's JupyterLab settings (overrides.json).
    import json

    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab:.*\$\(LAB_OVERRIDES\)", makefile, re.M), "lab does not write them"
    defaults = json.loads(re.search(r"^LAB_DEFAULTS\s*:=\s*(.*)$", makefile, re.M).group(1))
    assert defaults, "no JupyterLab defaults in the Makefile"
    # Every setting names a plugin and a value its schema accepts: a typo would be ignored.
    schemas = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"
    for plugin, settings in defaults.items():
        package, name = plugin.split(":")
        schema = json.loads((schemas / package / f"{name}.json").read_text())
        for key, value in settings.items():
            spec = schema["properties"][key]
            allowed = [c["const"] for c in spec.get("oneOf", [])] or [True, False]
            assert value in allowed, f"{plugin} {key}: {value!r} is not one of {allowed}"
    assert defaults["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_the_package_reports_the_version_pyproject_gives():
    import attention_lab

    assert attention_lab.__version__ == PYPROJECT["project"]["version"], (
        "the installed metadata is stale: run make install"
    )
