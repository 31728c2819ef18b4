"""Every plausible wrong answer in tests/wrong_answers/ is refused, and named where it can be."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
import wrong_answers

from attention_lab.exercises import EXERCISES, diagnose


def all_rows() -> list:
    rows = []
    for info in pkgutil.iter_modules(wrong_answers.__path__):
        rows += importlib.import_module(f"wrong_answers.{info.name}").WRONG
    return rows


ROWS = all_rows()


def test_the_table_has_rows_for_known_exercises():
    assert ROWS, "no wrong answers found in tests/wrong_answers/"
    unknown = sorted({row.exercise for row in ROWS} - set(EXERCISES))
    assert unknown == [], f"rows for exercises that do not exist: {unknown}"


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.exercise}: {r.mistake}")
def test_wrong_answer_is_refused_and_named(row):
    feedback = diagnose(row.exercise, row.answer())
    assert not feedback.correct, f"accepted a wrong answer: {row.mistake}"
    assert feedback.mistake == row.named, feedback.message
