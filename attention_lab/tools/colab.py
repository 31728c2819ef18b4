"""Colab: the "Open in Colab" badges and the setup cell of every notebook, kept in step with pyproject.

    python -m attention_lab.tools.colab sync notebooks/*.ipynb README.md    # rewrite badges, setup cells
    python -m attention_lab.tools.colab check notebooks/*.ipynb README.md   # list disagreements (exit 1)
    python -m attention_lab.tools.colab badge notebooks/*.ipynb             # print badges for a README

The repository's address lives in one place, ``[project.urls] Repository`` in pyproject.toml.
Badges and setup cells point at one pinned ref, the tag ``v{version}``: a notebook opened from a
badge installs the package from the very tag it was opened from, so notebook and package always
match. Releasing therefore means: set ``version`` in pyproject.toml, run ``make colab`` (which runs
``sync``), commit, then tag the commit ``v{version}`` and push the tag (until the tag exists on
GitHub, the badges lead nowhere).

On Colab the setup cell runs ``%pip install "attention-lab @ git+URL@vX.Y.Z"``. That replaces none
of Colab's packages: the package asks only for lower bounds (torch>=2.1, numpy>=1.24,
matplotlib>=3.7, ipywidgets>=7.6,<9) that Colab's own versions meet, and pip leaves a requirement
that is already met alone. Anywhere else the cell does nothing and prints nothing. ``setup`` is
the same logic as a function, so that it can be tested.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

DISTRIBUTION = "attention-lab"
SETUP_TAG = "colab-setup"
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
_COLAB_URL = re.compile(
    r"https://colab\.research\.google\.com/github/(?P<repo>[\w.-]+/[\w.-]+)/blob/"
    r"(?P<ref>[^/\s)]+)/(?P<path>[^\s)]+\.ipynb)"
)
_BADGE_LINE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)[ \t]*")


@dataclass(frozen=True)
class Project:
    """What the badges and the setup cell are made from: the repository and the version."""

    repository: str  # https://github.com/OWNER/NAME
    version: str

    @property
    def github(self) -> str:
        """OWNER/NAME, as Colab's GitHub links spell it."""
        match = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?", self.repository)
        if match is None:
            raise ValueError(
                f"colab: the repository URL must be https://github.com/OWNER/NAME for Colab to "
                f"open its notebooks, got {self.repository!r}"
            )
        return match.group(1)

    @property
    def ref(self) -> str:
        """The pinned ref: the release tag of this version."""
        return f"v{self.version}"

    @property
    def requirement(self) -> str:
        """The pip requirement that installs the package from the repository at the pinned ref."""
        return f"{DISTRIBUTION} @ git+{self.repository}@{self.ref}"


def find_root(start: Path | None = None) -> Path:
    """The checkout holding ``start`` (default: the working directory): where pyproject.toml is."""
    start = (start or Path.cwd()).resolve()
    for folder in [start, *start.parents]:
        if (folder / "pyproject.toml").is_file():
            return folder
    raise FileNotFoundError(f"colab: no pyproject.toml in {start} or any folder above it")


def read_project(root: Path | None = None) -> Project:
    """The repository URL and version from pyproject.toml at ``root`` (found from the cwd if None).

    Python 3.10 has no tomllib: there the installed package's metadata, which pip wrote from the
    same pyproject.toml, answers instead.
    """
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        return installed_project()
    pyproject = tomllib.loads((find_root(root) / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    try:
        repository = project["urls"]["Repository"]
    except KeyError:
        raise ValueError("colab: pyproject.toml has no [project.urls] Repository") from None
    return Project(repository=repository, version=project["version"])


def installed_project() -> Project:
    """The repository URL and version of the installed attention-lab (its package metadata)."""
    metadata = importlib.metadata.metadata(DISTRIBUTION)
    for entry in metadata.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip() == "Repository":
            return Project(repository=url.strip(), version=metadata["Version"])
    raise ValueError(f"colab: the installed {DISTRIBUTION} names no Repository URL")


# -- what the notebooks carry ----------------------------------------------------------------


def pip_args(requirement: str) -> list[str]:
    """The arguments after ``pip`` that the setup cell and ``setup`` both run."""
    return ["install", "--quiet", requirement]


def setup_cell_source(project: Project, requirement: str | None = None) -> str:
    """The source of every notebook's setup cell (``requirement`` replaces the pinned one)."""
    requirement = project.requirement if requirement is None else requirement
    return (
        "# On Colab, install attention_lab from its repository; anywhere else this cell does nothing.\n"
        "# Colab keeps its own torch: the package asks only for versions Colab already has.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f"    %pip {' '.join(pip_args(_quoted(requirement)))}"
    )


def _quoted(requirement: str) -> str:
    if '"' in requirement:
        raise ValueError(
            f"colab: a requirement may not contain a double quote, got {requirement!r}"
        )
    return f'"{requirement}"'


def colab_url(project: Project, notebook: str) -> str:
    """Colab's address of a notebook, by its path from the repository root."""
    return (
        f"https://colab.research.google.com/github/{project.github}/blob/{project.ref}/{notebook}"
    )


def badge(project: Project, notebook: str) -> str:
    """The "Open in Colab" badge, in Markdown, of a notebook given by its path from the root."""
    return f"[![Open In Colab]({BADGE_IMAGE})]({colab_url(project, notebook)})"


def setup(requirement: str | None = None, *, python: str | None = None) -> bool:
    """On Colab, pip-install attention-lab as the setup cell does; elsewhere do nothing, silently.

    ``requirement`` defaults to the pinned one of the installed package (read from its metadata);
    ``python`` (default: this interpreter) is the environment installed into. Returns whether it
    installed.
    """
    if "google.colab" not in sys.modules:
        return False
    requirement = installed_project().requirement if requirement is None else requirement
    subprocess.run([python or sys.executable, "-m", "pip", *pip_args(requirement)], check=True)
    return True


# -- keeping files in step -------------------------------------------------------------------


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        raise ValueError(f"colab: {path} is not inside the checkout {root}") from None


def _notebook_problems(nb, name: str, project: Project) -> list[str]:
    problems = []
    title = nb.cells[0] if nb.cells else None
    if title is None or title.cell_type != "markdown":
        return ["the first cell must be the markdown title cell"]
    found = [line for line in title.source.split("\n") if _BADGE_LINE.fullmatch(line)]
    expected = badge(project, name)
    if found != [expected]:
        problems.append(f"title cell: Colab badge is {found or 'missing'}, expected [{expected!r}]")
    setup_cells = [c for c in nb.cells if SETUP_TAG in c.get("metadata", {}).get("tags", [])]
    if len(setup_cells) != 1:
        problems.append(f"expected exactly one cell tagged {SETUP_TAG!r}, found {len(setup_cells)}")
    elif nb.cells.index(setup_cells[0]) != 1 or setup_cells[0].cell_type != "code":
        problems.append(f"the {SETUP_TAG!r} cell must be the second cell, a code cell")
    elif setup_cells[0].source != setup_cell_source(project):
        problems.append(f"the {SETUP_TAG!r} cell differs from the generated one")
    return problems


def _sync_notebook(nb, name: str, project: Project) -> None:
    title = nb.cells[0]
    lines = title.source.split("\n")
    badges = [i for i, line in enumerate(lines) if _BADGE_LINE.fullmatch(line)]
    if badges:
        lines[badges[0]] = badge(project, name)
        for i in reversed(badges[1:]):  # a second badge line is a stale duplicate
            del lines[i]
    else:
        lines += ["", badge(project, name)]
    title.source = "\n".join(lines)
    tagged = [c for c in nb.cells if SETUP_TAG in c.get("metadata", {}).get("tags", [])]
    for cell in tagged[1:]:
        nb.cells.remove(cell)
    if tagged and tagged[0].cell_type == "code":
        cell = tagged[0]
        nb.cells.remove(cell)
    else:
        if tagged:
            nb.cells.remove(tagged[0])
        cell = _nbformat().v4.new_code_cell(metadata={"tags": [SETUP_TAG]})
    cell.source = setup_cell_source(project)
    nb.cells.insert(1, cell)


def _markdown_problems(text: str, project: Project, root: Path) -> list[str]:
    problems = []
    linked = set()
    for match in _COLAB_URL.finditer(text):
        linked.add(match["path"])
        if match.group(0) != colab_url(project, match["path"]):
            problems.append(
                f"Colab link {match.group(0)} should be {colab_url(project, match['path'])}"
            )
        if not (root / match["path"]).is_file():
            problems.append(f"Colab link to {match['path']}, which does not exist")
    for notebook in notebooks_under(root / "notebooks"):
        name = _relative(notebook, root)
        if name not in linked:
            problems.append(f"no Colab badge for {name}")
    return problems


def _sync_markdown(text: str, project: Project) -> str:
    return _COLAB_URL.sub(lambda m: colab_url(project, m["path"]), text)


def _nbformat():
    # A maintainer's tool (make install brings it); `setup` on Colab must not need it.
    import nbformat

    return nbformat


def notebooks_under(folder: Path) -> list[Path]:
    """Every notebook under ``folder``, subfolders included, checkpoints left out, sorted."""
    return sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def check(paths: list[Path], project: Project | None = None) -> list[str]:
    """What disagrees with pyproject in these notebooks and Markdown files, one line each."""
    problems = []
    for path in paths:
        root = find_root(path.parent)
        project_here = project or read_project(root)
        if path.suffix == ".ipynb":
            nb = _nbformat().read(path, as_version=4)
            found = _notebook_problems(nb, _relative(path, root), project_here)
        else:
            found = _markdown_problems(path.read_text(encoding="utf-8"), project_here, root)
        problems += [f"{path}: {problem}" for problem in found]
    return problems


def sync(paths: list[Path], project: Project | None = None) -> list[Path]:
    """Rewrite the badges and setup cells of these files from pyproject; return those changed.

    A Markdown file (the README) has its Colab links rewritten; badges missing from it are only
    reported by ``check``, since where they go is the file's business.
    """
    changed = []
    for path in paths:
        root = find_root(path.parent)
        project_here = project or read_project(root)
        if path.suffix == ".ipynb":
            nb = _nbformat().read(path, as_version=4)
            if not _notebook_problems(nb, _relative(path, root), project_here):
                continue
            if not nb.cells or nb.cells[0].cell_type != "markdown":
                raise ValueError(
                    f"colab sync: {path} has no markdown title cell to carry the badge"
                )
            _sync_notebook(nb, _relative(path, root), project_here)
            _nbformat().write(nb, path)
        else:
            text = path.read_text(encoding="utf-8")
            new = _sync_markdown(text, project_here)
            if new == text:
                continue
            path.write_text(new, encoding="utf-8")
        changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m attention_lab.tools.colab")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("sync", "rewrite Colab badges and setup cells from pyproject.toml"),
        ("check", "list every badge or setup cell that disagrees with pyproject.toml"),
        ("badge", "print the Colab badge of each notebook (for a README)"),
    ):
        sub.add_parser(name, help=help_text).add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "badge":
        for path in args.paths:
            root = find_root(path.parent)
            print(f"{_relative(path, root)}: {badge(read_project(root), _relative(path, root))}")
        return 0
    if args.command == "sync":
        for path in sync(args.paths):
            print(f"updated {path}", file=sys.stderr)
        return 0
    problems = check(args.paths)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
