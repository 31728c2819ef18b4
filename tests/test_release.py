"""make release: each check stops a release that is not ready, and a ready checkout gets its tag.

Each check runs on a scratch git checkout made ready first (so every failure below is caused by
the one thing the test breaks), then broken in one way.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from attention_lab.tools import colab, release

ROOT = Path(__file__).resolve().parents[1]
PROJECT = colab.read_project(ROOT)


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def ready(tmp_path, monkeypatch) -> Path:
    """A scratch checkout that passes every check: synced badges, a CHANGELOG entry, committed."""
    for key, value in {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_GLOBAL": "/dev/null",  # no user settings (signing, hooks) reach the scratch repo
    }.items():
        monkeypatch.setenv(key, value)
    root = tmp_path / "checkout"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    notebook = root / "notebooks" / "01_a.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_markdown_cell("# 01 — A"), nbformat.v4.new_code_cell("1")]
        ),
        notebook,
    )
    (root / "README.md").write_text(f"| 01 | {colab.badge(PROJECT, 'notebooks/01_a.ipynb')} |\n")
    (root / "CHANGELOG.md").write_text(f"# Changelog\n\n## [{PROJECT.version}] - 2026-12-03\n")
    colab.sync([notebook], PROJECT)
    git(root, "init", "--quiet")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "ready")
    assert release.check(root) == []
    return root


def test_a_ready_checkout_is_tagged_at_its_version_and_only_once(ready):
    assert release.tag(ready) == f"v{PROJECT.version}"
    assert git(ready, "tag", "--list").split() == [f"v{PROJECT.version}"]
    assert git(ready, "cat-file", "-t", f"v{PROJECT.version}").strip() == "tag"  # annotated
    assert release.check(ready) == [f"the tag v{PROJECT.version} exists already"]
    with pytest.raises(RuntimeError, match=r"release: not tagging, because\n  the tag v"):
        release.tag(ready)


def test_uncommitted_and_untracked_files_stop_a_release(ready):
    (ready / "README.md").write_text((ready / "README.md").read_text() + "More.\n")
    (ready / "new.txt").write_text("not added\n")
    assert release.check(ready) == ["not committed:  M README.md", "not committed: ?? new.txt"]
    with pytest.raises(RuntimeError, match="not committed"):
        release.tag(ready)
    assert git(ready, "tag", "--list") == ""


def test_a_stale_badge_stops_a_release(ready):
    readme = ready / "README.md"
    readme.write_text(readme.read_text().replace(f"/blob/v{PROJECT.version}/", "/blob/v0.0.1/"))
    git(ready, "commit", "--quiet", "-am", "a stale badge")
    problems = release.check(ready)
    assert len(problems) == 1 and re.search(r"README\.md: Colab link .*/v0\.0\.1/", problems[0])


def test_a_stale_setup_cell_stops_a_release(ready):
    path = ready / "notebooks" / "01_a.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].source = nb.cells[1].source.replace(f"@v{PROJECT.version}", "@v0.0.1")
    nbformat.write(nb, path)
    git(ready, "commit", "--quiet", "-am", "a stale setup cell")
    assert release.check(ready) == [
        f"{path}: the 'colab-setup' cell differs from the generated one"
    ]


def test_a_changelog_without_this_version_stops_a_release(ready):
    (ready / "CHANGELOG.md").write_text("# Changelog\n\n## [0.0.1]\n")
    git(ready, "commit", "--quiet", "-am", "an old changelog")
    assert release.check(ready) == [f"CHANGELOG.md has no '## [{PROJECT.version}]' section"]
    (ready / "CHANGELOG.md").unlink()
    git(ready, "commit", "--quiet", "-am", "no changelog")
    assert release.check(ready) == ["CHANGELOG.md is missing"]


def test_the_command_line_reports_and_tags(ready, monkeypatch):
    monkeypatch.chdir(ready)
    command = [sys.executable, "-m", "attention_lab.tools.release"]
    version = subprocess.run([*command, "version"], check=True, capture_output=True, text=True)
    assert version.stdout == f"{PROJECT.version}\n"
    assert subprocess.run([*command, "check"], capture_output=True).returncode == 0
    tagged = subprocess.run([*command, "tag"], check=True, capture_output=True, text=True)
    assert f"git push origin main v{PROJECT.version}" in tagged.stdout
    again = subprocess.run([*command, "check"], capture_output=True, text=True)
    assert again.returncode == 1 and "exists already" in again.stdout


def test_this_checkout_has_a_changelog_entry_for_its_version():
    assert release.changelog_problems(ROOT, PROJECT) == []


def test_make_release_checks_then_tests_then_tags():
    makefile = (ROOT / "Makefile").read_text()
    match = re.search(r"^release:.*## .*\n((?:\t.*\n)+)", makefile, re.M)
    assert match, "make release missing or undocumented"
    steps = match.group(1).split("\n")
    assert [s.strip() for s in steps if s.strip()][1:] == [
        "$(BIN)/python -m attention_lab.tools.release check",
        "$(MAKE) test",
        "$(BIN)/python -m attention_lab.tools.release tag",
    ]


def test_make_release_refuses_a_subset_of_the_notebooks():
    run = subprocess.run(
        ["make", "-n", "release", "NOTEBOOKS=notebooks/00_start_here.ipynb"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    guards = [line for line in run.stdout.splitlines() if line.startswith('test "')]
    assert len(guards) == 1, run.stdout  # (install lines may come first, if .venv is stale)
    guard = guards[0]
    assert guard.startswith('test "command line" = file'), guard
    shell = subprocess.run(["sh", "-c", guard], capture_output=True, text=True)
    assert shell.returncode == 1 and "without NOTEBOOKS=" in shell.stderr
    plain = subprocess.run(["make", "-n", "release"], cwd=ROOT, capture_output=True, text=True)
    (guard,) = [line for line in plain.stdout.splitlines() if line.startswith('test "')]
    assert subprocess.run(["sh", "-c", guard]).returncode == 0


def test_the_readme_says_to_push_the_tag_with_the_commit():
    readme = (ROOT / "README.md").read_text()
    assert "make release" in readme
    assert f"git push origin main v{PROJECT.version}" in readme
