"""Self-checking exercises: ``check("02.softmax", answer)`` says "correct" or what went wrong.

Every exercise knows its reference answer and the answers that the usual mistakes produce
(``torch.rand`` for ``torch.randn``, a missing transpose, dividing by d_k instead of √d_k, softmax
over the wrong dimension, a reversed mask, ...), so a wrong answer is named, not only refused.
The inputs of every exercise come from ``attention_lab.data`` or from a seeded draw that the
notebook cell repeats: the notebook cell and the reference start from the same tensors.

The package has three parts, each with one job:

- ``catalogue``: the exercises as data, one module per notebook (``catalogue/nb06.py``): each
  ``Exercise`` has an id "NN.name", a reference answer, and its known mistakes, each a diagnosis
  id (``"mask_reversed"``) with the answer that mistake gives. No words live here.
- the message catalogue (``attention_lab.i18n.catalogue.exercises_nbNN``, English and
  Vietnamese): every sentence a learner reads, keyed by id: the engine's verdicts
  (``"check.correct"``, ``"check.no_answer"``, ...) live in ``i18n.catalogue.check``, each
  exercise's task (``"NN.name.task"``) and each diagnosis (``"NN.name.<diagnosis id>"``) in its
  notebook's module.
- ``engine``: ``check`` and ``diagnose``, which compare an answer with the reference and the
  mistakes within a tolerance, and word the verdict from the messages table.

To add an exercise: add an ``Exercise`` to the ``EXERCISES`` list of its notebook's module
(a new notebook NN gets a new ``catalogue/nbNN.py``, found by its name; nothing else to register),
then add its ``"NN.name.task"`` and one ``"NN.name.<diagnosis id>"`` per mistake, in both
languages, to ``i18n/catalogue/exercises_nbNN.py``. A diagnosis id is lowercase words joined by ``_`` and stays fixed once published (tests and
translations key on it); reuse an existing id for the same kind of mistake (``missing_transpose``,
``divided_by_d_k``, ``softmax_wrong_dim_...``). The tests check that every exercise has its texts,
that no text is left without its exercise, and that every reference and mistake is told apart.
"""

from .catalogue import EXERCISES, Exercise
from .engine import ATOL, Feedback, check, diagnose

__all__ = ["ATOL", "EXERCISES", "Exercise", "Feedback", "check", "diagnose"]
