"""The checking engine: compare an answer with its exercise's reference and its known mistakes."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
import torch

from .._checks import check_number
from ..default_device import on_cpu
from ..i18n import text
from .catalogue import EXERCISES

#: check() breaks its reply into lines of at most this many characters, between words: a
#: notebook's output area breaks a longer line wherever it meets the edge, mid-word.
REPLY_WIDTH = 88

# Learners answer in float32; the references are float64, exact to far below these.
ATOL = 1e-4
RTOL = 1e-4


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``correct``, a message for the learner, and the mistake's id."""

    correct: bool
    message: str
    mistake: str | None = None


def _as_tensor(answer: object) -> torch.Tensor:
    """The answer as a float64 CPU tensor; TypeError for what is not a real number or tensor."""
    if isinstance(answer, torch.Tensor):
        if answer.is_complex() or answer.is_meta or answer.is_quantized or answer.is_sparse:
            raise TypeError  # the real part alone could pass for the answer: refuse it whole
        return answer.detach().cpu().double()
    if isinstance(answer, complex) or np.iscomplexobj(answer):
        raise TypeError
    return torch.as_tensor(answer, dtype=torch.float64)


def _is_truth_value(answer: object) -> bool:
    """True, False, or a tensor, array or list of them."""
    if isinstance(answer, torch.Tensor):
        return answer.dtype == torch.bool
    if isinstance(answer, (bool, np.bool_)):
        return True
    try:
        return np.asarray(answer).dtype == np.bool_
    except (TypeError, ValueError, RuntimeError):
        return False


def _kind(answer: object) -> str:
    """What the learner passed, in words: the type, and for a tensor its dtype or device."""
    if isinstance(answer, torch.Tensor):
        what = "meta" if answer.is_meta else answer.layout if answer.is_sparse else answer.dtype
        return f"Tensor ({what})"
    return type(answer).__name__


def _whole(reference: torch.Tensor) -> bool:
    """A count, a size, a number of rows: every value of the reference is a whole number."""
    return bool((reference == reference.round()).all())


def _close(a: torch.Tensor, b: torch.Tensor, atol: float) -> bool:
    """``a`` equals the reference ``b``: exactly where b is whole, else within atol + RTOL·|b|."""
    if a.shape != b.shape:
        return False
    if _whole(b):  # a count is right or wrong: off by one must not pass as rounding
        return torch.equal(torch.nan_to_num(a, nan=0.5), b)
    return torch.allclose(a, b, atol=atol, rtol=RTOL, equal_nan=True)


@on_cpu  # the references are computed on the CPU, where the answer is compared
def diagnose(exercise_id: str, answer: object, *, atol: float = ATOL) -> Feedback:
    """Compare ``answer`` with the reference of ``exercise_id``; name the mistake if it is a known one.

    Shapes: answer must match the reference's shape; tensors, numbers, tuples and torch.Size work.
    """
    # isinstance first: an unhashable id (a list, say) would fail inside the dict lookup.
    if not (isinstance(exercise_id, str) and exercise_id in EXERCISES):
        raise ValueError(
            text("check.unknown_exercise", exercise=repr(exercise_id), known=", ".join(EXERCISES))
        )
    atol = check_number("diagnose", "atol", atol, minimum=0, expected="a finite number >= 0")
    exercise = EXERCISES[exercise_id]
    if answer is None:
        task = text(f"{exercise_id}.task")
        if _whole(exercise.reference()):
            precision = text("check.precision_whole")
        else:
            precision = text("check.precision", atol=f"{atol:g}", rtol_percent=f"{RTOL * 100:g}")
        message = text("check.no_answer", exercise=exercise_id, task=task, precision=precision)
        if exercise.method_rule:
            message += " " + text("check.method_unseen")
        return Feedback(False, message)
    try:
        if _is_truth_value(answer) and not exercise.truth_values:
            raise TypeError  # True == 1 in Python and torch: it must not pass for the number 1
        got = _as_tensor(answer)
    except (TypeError, ValueError, RuntimeError, OverflowError, NotImplementedError):
        kind = _kind(answer)
        return Feedback(False, text("check.not_a_number", exercise=exercise_id, type=kind))
    expected = exercise.reference()
    if any(_close(got, right(), atol) for right in (exercise.reference, *exercise.also_right)):
        return Feedback(True, text("check.correct", exercise=exercise_id))
    for mistake_id, mistake in exercise.mistakes.items():
        wrong = mistake()
        # A mistake may show as NaN in plain torch where the package gives 0 (an all-masked row).
        if _close(got, wrong, atol) or _close(torch.nan_to_num(got), wrong, atol):
            diagnosis = text(f"{exercise_id}.{mistake_id}")
            message = text("check.known_mistake", exercise=exercise_id, diagnosis=diagnosis)
            return Feedback(False, message, mistake=mistake_id)
    for mistake_id, undo in GENERIC_MISTAKES.items():
        undone = undo(got, expected)
        if undone is not None and _close(undone, expected, atol):
            diagnosis = text(f"check.{mistake_id}")
            message = text("check.known_mistake", exercise=exercise_id, diagnosis=diagnosis)
            return Feedback(False, message, mistake=mistake_id)
    if got.shape != expected.shape:
        return Feedback(
            False,
            text(
                "check.wrong_shape",
                exercise=exercise_id,
                expected=tuple(expected.shape),
                got=tuple(got.shape),
            ),
        )
    if torch.isnan(got).any():
        return Feedback(False, text("check.nan", exercise=exercise_id))
    # The gap itself is not shown: its size would give the answer away.
    verdict = "check.number_differs" if expected.ndim == 0 else "check.values_differ"
    return Feedback(False, text(verdict, exercise=exercise_id))


def _transposed(got: torch.Tensor, expected: torch.Tensor) -> torch.Tensor | None:
    """The answer with its last two dimensions swapped back, where that could be the reference."""
    if got.ndim < 2 or got.shape[-2] == got.shape[-1] == 1 or got.mT.shape != expected.shape:
        return None
    return None if torch.equal(expected.mT, expected) else got.mT  # symmetric: no telling


def _reversed(got: torch.Tensor, expected: torch.Tensor) -> torch.Tensor | None:
    """The answer's first dimension read backwards: a stack in the wrong order, rows reversed."""
    if got.ndim < 1 or got.shape != expected.shape or got.shape[0] < 2:
        return None
    return None if _close(expected.flip(0), expected, 0.0) else got.flip(0)


def _negated(got: torch.Tensor, expected: torch.Tensor) -> torch.Tensor | None:
    return -got if got.shape == expected.shape and (expected != 0).any() else None


def _rounded(got: torch.Tensor, expected: torch.Tensor) -> torch.Tensor | None:
    """The reference itself where the answer is within 0.005 of it: rounded, or float16."""
    if got.shape != expected.shape or _whole(expected):
        return None
    return expected if torch.allclose(got, expected, atol=5e-3, rtol=0) else None


def _extra_dimension(got: torch.Tensor, expected: torch.Tensor) -> torch.Tensor | None:
    """The answer without its dimensions of size 1, where that is the reference's shape."""
    if got.shape == expected.shape or got.squeeze().shape != expected.squeeze().shape:
        return None
    return got.reshape(expected.shape)


#: Mistakes any exercise can show, tried after its own: each undoes one slip, if it can.
GENERIC_MISTAKES = {
    "extra_dimension": _extra_dimension,
    "transposed": _transposed,
    "reversed": _reversed,
    "negated": _negated,
    "rounded": _rounded,
}


def reply_lines(message: str) -> str:
    """``message`` in lines of at most REPLY_WIDTH characters, broken between words only."""
    glued = message.replace(" %", "\u00a0%")  # "0.01 %" stays on one line: a no-break space
    lines = textwrap.fill(glued, width=REPLY_WIDTH, break_long_words=False, break_on_hyphens=False)
    return lines.replace("\u00a0", " ")


def check(exercise_id: str, answer: object) -> None:
    """Print whether ``answer`` solves the exercise, naming the mistake when it is a known one."""
    print(reply_lines(diagnose(exercise_id, answer).message))
