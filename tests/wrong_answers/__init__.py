"""Plausible wrong answers, written as a beginner would write them, one module per notebook.

Each ``nbNN.py`` holds ``WRONG``, a list of ``Wrong`` rows: the exercise, the mistake in words,
the learner's wrong code (a function that computes the answer from scratch, never the
catalogue's own mistake functions) and the diagnosis id ``check()`` must give, or None where it
cannot name the mistake (then it must still refuse the answer). tests/test_wrong_answers.py runs
every row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Wrong:
    exercise: str
    mistake: str
    answer: Callable[[], object]
    named: str | None
