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


#: The goal: a table of at least this many wrong answers, and check() names at least this share.
AT_LEAST_ROWS, AT_LEAST_NAMED = 100, 0.75


def test_the_table_is_large_and_check_names_most_mistakes():
    named = sum(row.named is not None for row in ROWS)
    notebooks = {row.exercise.split(".")[0] for row in ROWS}
    print(f"{len(ROWS)} wrong answers over {len(notebooks)} notebooks, {named} named")
    assert len(ROWS) >= AT_LEAST_ROWS
    assert named / len(ROWS) >= AT_LEAST_NAMED
    assert notebooks >= {f"{n:02d}" for n in range(10)}, "every notebook has rows"
