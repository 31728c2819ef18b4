"""What every notebook's exercises are made of: the ``Exercise`` record and the shared inputs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from ...data import journey_embeddings

Answer = Callable[[], torch.Tensor]


@dataclass(frozen=True)
class Exercise:
    """One exercise: its reference answer, and what each known mistake gives, by diagnosis id.

    ``id`` is "NN.name" (NN the notebook); its task and every diagnosis are worded in the
    catalogue (``attention_lab.i18n.catalogue.exercises_nbNN``) under "NN.name.task" and
    "NN.name.<diagnosis id>". ``method_rule`` marks a task that asks for a way of computing
    (without @, without torch.softmax): ``check`` says that it sees only the numbers. The mistakes
    of every exercise (a transposed answer, a reversed stack, ...) are the engine's, tried after
    an exercise's own.
    """

    id: str
    reference: Answer
    mistakes: dict[str, Answer] = field(default_factory=dict)
    method_rule: bool = False
    #: Other answers that are right too: what the task's wording also allows (a measured value
    #: beside the exact one, say).
    also_right: tuple[Answer, ...] = ()
    #: The answer is a mask (True where a row changed, say): only then do True and False count
    #: as 1 and 0. Elsewhere True would pass for the number 1.
    truth_values: bool = False


# float64 throughout, so the reference is the exact answer and a learner's float32 is within
# the engine's tolerance.


def journey_x() -> torch.Tensor:
    """The journey sentence's embeddings, (T, d_in) = (6, 3), in float64."""
    return journey_embeddings(dtype=torch.float64)


def constant(*values: float) -> Answer:
    """A constant answer: a scalar for one value, a 1-d tensor (a shape, say) for several."""
    data = values[0] if len(values) == 1 else values
    return lambda: torch.tensor(data, dtype=torch.float64)


def linear_weights(seed: int, n_layers: int, d_in: int, d_out: int) -> list[torch.Tensor]:
    """The (d_out, d_in) weights of n_layers nn.Linear(d_in, d_out, bias=False) after a seed.

    The layers are built one after the other after torch.manual_seed(seed), as a notebook's
    modules draw them from the global generator.
    """
    # The learner builds the layers with the global generator; borrow it without disturbing it.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return [
            torch.nn.Linear(d_in, d_out, bias=False).weight.detach().double()
            for _ in range(n_layers)
        ]
