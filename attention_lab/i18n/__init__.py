"""Every sentence the package shows a learner, in English and Vietnamese, from one catalogue.

    from attention_lab.i18n import text
    text("check.correct", exercise="02.softmax")   # "02.softmax: correct!" or "02.softmax: đúng rồi!"

The catalogue is the package ``attention_lab.i18n.catalogue``: one module per area (the exercise
engine, one explorer, the plots), each with two dicts, ``EN`` and ``VI``, that have the same keys
and, per key, the same ``{placeholders}``. Modules are found by name, so a new area is a new file
and nothing else to register; a key may live in one module only. Keys are dotted and say what the
text means (``"check.correct"``, ``"explorer.query"``), never what it says.

The language is ``language()``; ``use_language`` fixes it for a block of code (tests, scripts).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pkgutil
from collections.abc import Iterator
from functools import cache

#: The languages every key has, English first (the fallback).
LANGUAGES = ("en", "vi")
#: Set to "en" or "vi" to choose the language whatever the notebook says.
ENV_VAR = "ATTENTION_LAB_LANG"

_forced: list[str] = []  # a stack: the innermost use_language wins


@cache
def load_catalogue() -> dict[str, dict[str, str]]:
    """Every key with its text per language: {language: {key: text}}, merged from all modules."""
    package = importlib.import_module(f"{__name__}.catalogue")

    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    owner: dict[str, str] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for lang in LANGUAGES:
            table = getattr(module, lang.upper())
            for key, value in table.items():
                if lang == "en" and key in owner:
                    raise RuntimeError(
                        f"catalogue key {key!r} is in both {owner[key]} and {info.name}"
                    )
                owner.setdefault(key, info.name)
                merged[lang][key] = value
    return merged


def check_language(fn: str, lang: object) -> str:
    """``lang`` as one of LANGUAGES, or a ValueError that names them."""
    if not (isinstance(lang, str) and lang in LANGUAGES):
        raise ValueError(f"{fn}: expected a language in {LANGUAGES}, got {lang!r}")
    return lang


def language() -> str:
    """The language the package speaks now: use_language, then ATTENTION_LAB_LANG, then English."""
    if _forced:
        return _forced[-1]
    env = os.environ.get(ENV_VAR, "").strip().lower()
    if env:
        return check_language(ENV_VAR, env)
    return "en"


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
