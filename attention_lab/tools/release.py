"""Release: what must hold before the commit is tagged ``v{version}``, and the tagging itself.

    python -m attention_lab.tools.release check     # list what stops a release (exit 1 if any)
    python -m attention_lab.tools.release tag       # check again, then git tag -a v{version}
    python -m attention_lab.tools.release version   # print the version pyproject.toml gives

``make release`` runs ``check``, then ``make test``, then ``tag``. A release needs: a clean
working tree (the tag names a commit, so what is not committed is not released), no tag of that
name yet, a ``## [version]`` section in CHANGELOG.md, and every Colab badge and setup cell at the
version (``colab check``; ``make colab`` fixes them). Tags travel apart from commits: push both,
``git push origin main v{version}``; until the tag is on GitHub, the badges lead nowhere.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from . import colab

CHANGELOG = "CHANGELOG.md"


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)


def tree_problems(root: Path) -> list[str]:
    """Uncommitted changes and untracked files (those .gitignore does not hide), one line each."""
    status = _git(root, "status", "--porcelain")
    if status.returncode != 0:
        return [f"git status failed in {root}: {status.stderr.strip()}"]
    return [f"not committed: {line}" for line in status.stdout.splitlines() if line.strip()]


def tag_problems(root: Path, project: colab.Project) -> list[str]:
    """The release tag must not exist yet: a tag, once pushed, is never moved."""
    found = _git(root, "rev-parse", "--quiet", "--verify", f"refs/tags/{project.ref}")
    return [f"the tag {project.ref} exists already"] if found.returncode == 0 else []


def changelog_problems(root: Path, project: colab.Project) -> list[str]:
    """CHANGELOG.md must have a section for this version: ``## [0.2.0]``, maybe with a date."""
    path = root / CHANGELOG
    if not path.is_file():
        return [f"{CHANGELOG} is missing"]
    heading = re.compile(rf"^## \[{re.escape(project.version)}\]", re.M)
    if heading.search(path.read_text(encoding="utf-8")) is None:
        return [f"{CHANGELOG} has no '## [{project.version}]' section"]
    return []


def badge_problems(root: Path) -> list[str]:
    """Every badge and setup cell, and the README's links, at ``v{version}`` (``colab check``)."""
    notebooks = colab.notebooks_under(root / "notebooks")
    if not notebooks:
        return [f"no notebooks under {root / 'notebooks'}"]
    return colab.check([*notebooks, root / "README.md"])


def check(root: Path) -> list[str]:
    """Everything that stops tagging the checkout at ``root``, one line each; [] means go."""
    project = colab.read_project(root)
    return [
        *tree_problems(root),
        *tag_problems(root, project),
        *changelog_problems(root, project),
        *badge_problems(root),
    ]


def tag(root: Path) -> str:
    """Check, then tag HEAD ``v{version}`` (annotated); return the tag. Raises if a check fails."""
    problems = check(root)
    if problems:
        raise RuntimeError("release: not tagging, because\n  " + "\n  ".join(problems))
    project = colab.read_project(root)
    made = _git(root, "tag", "-a", project.ref, "-m", f"attention-lab {project.version}")
    if made.returncode != 0:
        raise RuntimeError(f"release: git tag {project.ref} failed: {made.stderr.strip()}")
    return project.ref


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m attention_lab.tools.release")
    parser.add_argument("command", choices=("check", "tag", "version"))
    args = parser.parse_args(argv)
    root = colab.find_root()
    if args.command == "version":
        print(colab.read_project(root).version)
        return 0
    if args.command == "check":
        problems = check(root)
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    try:
        ref = tag(root)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Tagged {ref}. Push the commit and the tag together: git push origin main {ref}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
