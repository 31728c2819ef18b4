"""The exercises, one module per notebook (``nb00`` ... ``nbNN``), each a list ``EXERCISES``.

A notebook's module is found by its name: adding ``nb10.py`` adds notebook 10's exercises,
with no list to edit here. A notebook that follows another as a part b (``09b_...``) has the
module ``nb09b`` and exercise ids "09b.name".
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from .common import Exercise

_NOTEBOOK_MODULE = re.compile(r"nb\d\d[a-z]?")


def _collect() -> dict[str, Exercise]:
    found: dict[str, Exercise] = {}
    names = sorted(m.name for m in pkgutil.iter_modules(__path__))
    for name in filter(_NOTEBOOK_MODULE.fullmatch, names):
        module = importlib.import_module(f"{__name__}.{name}")
        for exercise in module.EXERCISES:
            if not exercise.id.startswith(name[2:] + "."):
                raise ValueError(f"{name}: exercise {exercise.id!r} belongs to another notebook")
            if exercise.id in found:
                raise ValueError(f"{name}: exercise {exercise.id!r} is defined twice")
            found[exercise.id] = exercise
    return found


EXERCISES: dict[str, Exercise] = _collect()

__all__ = ["EXERCISES", "Exercise"]
