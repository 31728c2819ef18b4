"""Every exercise accepts its reference answer and names each of its known mistakes."""

import pytest
import torch

from attention_lab import attention, causal_mask, journey_embeddings
from attention_lab.exercises import EXERCISES, check, diagnose

MISTAKES = [
    pytest.param(eid, name, id=f"{eid}:{name[:30]}")
    for eid, e in EXERCISES.items()
    for name in e.mistakes
]


@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_reference_answer_is_correct(exercise_id, capsys):
    check(exercise_id, EXERCISES[exercise_id].reference())
    assert capsys.readouterr().out == f"{exercise_id}: correct!\n"


@pytest.mark.parametrize(("exercise_id", "mistake"), MISTAKES)
def test_each_known_mistake_is_named(exercise_id, mistake):
    feedback = diagnose(exercise_id, EXERCISES[exercise_id].mistakes[mistake]())
    assert not feedback.correct
    assert feedback.mistake == mistake
    assert mistake in feedback.message


def test_every_notebook_has_two_to_four_exercises():
    per_notebook = {}
    for eid in EXERCISES:
        per_notebook.setdefault(eid.split(".")[0], []).append(eid)
    assert sorted(per_notebook) == [f"{n:02d}" for n in range(10)]
    assert all(2 <= len(ids) <= 4 for ids in per_notebook.values())


def test_mistakes_made_the_usual_way_are_recognised():
    # Written as a learner would, not taken from the exercise table.
    torch.manual_seed(123)
    _, W_key_rand, _ = (torch.rand(3, 2) for _ in range(3))
    assert diagnose("04.W_key", W_key_rand).mistake.startswith("torch.rand")
    x = journey_embeddings()
    _, reversed_weights = attention(x, x, x, mask=~causal_mask(6))
    assert "reversed" in diagnose("06.causal_weights", reversed_weights).mistake
    naive = torch.exp(torch.tensor([1000.0, 1001.0, 1002.0]))
    assert "overflow" in diagnose("02.stable", naive / naive.sum()).mistake


def test_unanswered_wrong_shape_and_wrong_type_get_plain_messages():
    assert "no answer yet" in diagnose("02.softmax", None).message
    assert "expected shape (6,), got (3,)" in diagnose("02.softmax", torch.zeros(3)).message
    assert "expected a tensor or a number, got str" in diagnose("02.softmax", "0.1").message
    assert "values differ" in diagnose("02.softmax", torch.zeros(6)).message
    assert diagnose("07.d_head", 3).correct  # plain numbers and shapes are answers too
    assert diagnose("07.head_shape", torch.Size([2, 3, 6, 4])).correct


def test_unknown_exercise_is_an_error():
    with pytest.raises(ValueError, match=r"unknown exercise '99.nope'"):
        check("99.nope", 1.0)
