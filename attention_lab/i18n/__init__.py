"""Every sentence the package shows a learner, in English and Vietnamese, from one catalogue.

    from attention_lab.i18n import text
    text("check.correct", exercise="02.softmax")   # "02.softmax: correct!" or "02.softmax: đúng rồi!"

The catalogue is the package ``attention_lab.i18n.catalogue``: one module per area (the exercise
engine, one explorer, the plots), each with two dicts, ``EN`` and ``VI``, that have the same keys
and, per key, the same ``{placeholders}``. Modules are found by name, so a new area is a new file
and nothing else to register; a key may live in one module only. Keys are dotted and say what the
text means (``"check.correct"``, ``"explorer.query"``), never what it says.

Which language ``language()`` speaks: the first of these rules that gives one wins.

1. ``use_language("vi")`` around a block of code (tests, scripts);
2. the environment variable ``ATTENTION_LAB_LANG`` ("en" or "vi"): an override for a whole run;
3. the notebook's own metadata, ``"language": "vi"`` in the Vietnamese edition's notebooks. The
   kernel finds its notebook the way its host allows: on Colab it asks the Colab frontend for
   the open notebook; in JupyterLab and Jupyter Notebook it reads the file that
   ``JPY_SESSION_NAME`` names (the server sets it for every kernel it starts); under nbval and
   ``make execute``, which start the kernel in the notebook's folder, a folder whose notebooks
   all declare the same language speaks it;
4. English.

Code cells stay identical in both editions: the words a learner sees follow the notebook they
are in, never a line of code. The notebook's answer is looked up once per process (a kernel's
notebook does not change); ``forget_notebook()`` forgets it, for tests.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import pkgutil
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

#: The languages every key has, English first (the fallback).
LANGUAGES = ("en", "vi")
#: Set to "en" or "vi" to choose the language whatever the notebook says.
ENV_VAR = "ATTENTION_LAB_LANG"

_forced: list[str] = []  # a stack: the innermost use_language wins


@cache
def load_catalogue() -> dict[str, dict[str, str]]:
    """Every key with its text per language: {language: {key: text}}, merged from all modules."""
    package = importlib.import_module(f"{__name__}.catalogue")
    modules = [
        (info.name, importlib.import_module(f"{package.__name__}.{info.name}"))
        for info in pkgutil.iter_modules(package.__path__)
    ]
    return merge_tables(modules)


def merge_tables(modules: list[tuple[str, object]]) -> dict[str, dict[str, str]]:
    """One catalogue from (name, module) pairs, each with EN and VI; a key may be in one only."""
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    owner: dict[str, str] = {}
    for name, module in modules:
        for key in module.EN:
            if key in owner:
                raise RuntimeError(f"catalogue key {key!r} is in both {owner[key]} and {name}")
            owner[key] = name
        for lang in LANGUAGES:
            merged[lang].update(getattr(module, lang.upper()))
    return merged


def check_language(fn: str, lang: object) -> str:
    """``lang`` as one of LANGUAGES, or a ValueError that names them."""
    if not (isinstance(lang, str) and lang in LANGUAGES):
        raise ValueError(f"{fn}: expected a language in {LANGUAGES}, got {lang!r}")
    return lang


def language() -> str:
    """The language the package speaks now, by the rules of this module's docstring."""
    if _forced:
        return _forced[-1]
    env = os.environ.get(ENV_VAR, "").strip().lower()
    if env:
        return check_language(ENV_VAR, env)
    return notebook_language() or "en"


@cache
def notebook_language() -> str | None:
    """The language the running notebook declares in its metadata, or None if none is found."""
    for find in (_colab_notebook, _session_notebook, _folder_notebooks):
        try:
            found = find()
        except Exception:  # a host that answers oddly must never break a learner's cell
            continue
        if found is not None:
            return found
    return None


def forget_notebook() -> None:
    """Look the notebook's language up again on the next ``language()`` (for tests)."""
    notebook_language.cache_clear()


def declared_language(metadata: object) -> str | None:
    """The ``language`` a notebook's metadata declares, if it is one of LANGUAGES."""
    lang = metadata.get("language") if isinstance(metadata, dict) else None
    return lang if lang in LANGUAGES else None


def _colab_notebook() -> str | None:
    # Colab's kernel does not see the notebook's path, but its frontend hands over the notebook.
    if "google.colab" not in sys.modules:
        return None
    from google.colab import _message

    reply = _message.blocking_request("get_ipynb", request="", timeout_sec=5)
    return declared_language(reply["ipynb"]["metadata"])


def _session_notebook() -> str | None:
    path = os.environ.get("JPY_SESSION_NAME", "")
    if not path.endswith(".ipynb") or not Path(path).is_file():
        return None
    return declared_language(_read_metadata(Path(path)))


def _folder_notebooks() -> str | None:
    notebooks = sorted(Path.cwd().glob("*.ipynb"))
    declared = {declared_language(_read_metadata(nb)) for nb in notebooks}
    return declared.pop() if notebooks and len(declared) == 1 else None


def _read_metadata(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")).get("metadata", {})


@contextlib.contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Speak ``lang`` inside the block, whatever the environment says."""
    _forced.append(check_language("use_language", lang))
    try:
        yield
    finally:
        _forced.pop()


def text(key: str, /, **fields: object) -> str:
    """The text of ``key`` in the current language, its placeholders filled from ``fields``."""
    table = load_catalogue()
    lang = language()
    if key not in table["en"]:
        raise KeyError(f"text: no catalogue key {key!r}")
    return table[lang].get(key, table["en"][key]).format(**fields)
