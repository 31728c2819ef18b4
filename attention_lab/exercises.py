"""Self-checking exercises: ``check("02.softmax", answer)`` says "correct" or what went wrong.

Every exercise knows its reference answer and the answers that the usual mistakes produce
(``torch.rand`` for ``torch.randn``, a missing transpose, dividing by d_k instead of √d_k, softmax
over the wrong dimension, a reversed mask, ...), so a wrong answer is named, not only refused.
The inputs of every exercise come from ``attention_lab.data``: the notebook cell and the reference
start from the same tensors.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from .data import JOURNEY_TOKENS, journey_embeddings
from .functional import causal_mask

Answer = Callable[[], torch.Tensor]


@dataclass(frozen=True)
class Exercise:
    """One exercise: what to compute, its reference answer, and what each known mistake gives."""

    id: str
    task: str
    reference: Answer
    mistakes: dict[str, Answer] = field(default_factory=dict)


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``correct``, a message for the learner, and the mistake's name."""

    correct: bool
    message: str
    mistake: str | None = None


# --- the references, from the same data the notebooks use ------------------------------------


def _x() -> torch.Tensor:
    return journey_embeddings(dtype=torch.float64)  # (6, 3)


def _seed_weights(draw: Callable[..., torch.Tensor] = torch.randn) -> list[torch.Tensor]:
    """W_query, W_key, W_value as notebook 04 draws them: seed 123, then three (3, 2) draws."""
    generator = torch.Generator().manual_seed(123)
    return [draw(3, 2, generator=generator).double() for _ in range(3)]


def _linear_weight() -> torch.Tensor:
    """An nn.Linear-style weight, stored (d_out, d_in) = (3, 3)."""
    return torch.randn(3, 3, generator=torch.Generator().manual_seed(0)).double()


def _context_2(scale: float) -> torch.Tensor:
    W_query, W_key, W_value = _seed_weights()
    x = _x()
    attn_scores_2 = (x[1] @ W_query) @ (x @ W_key).T  # (6,)
    return torch.softmax(attn_scores_2 * scale, dim=-1) @ (x @ W_value)  # (2,)


def _qk() -> tuple[torch.Tensor, torch.Tensor]:
    x = _x()
    return x[:3], x[3:]  # Q (3, 3), K (3, 3): square, so a missing transpose still runs


def _causal(mask: torch.Tensor, renormalize: bool = True) -> torch.Tensor:
    x = _x()
    attn_scores = x @ x.T / math.sqrt(3)  # (6, 6)
    if renormalize:
        masked = attn_scores.masked_fill(~mask, float("-inf"))
        weights = torch.softmax(masked, dim=-1)
        return torch.nan_to_num(weights)  # a reversed mask leaves the last row with no key
    return torch.softmax(attn_scores, dim=-1) * mask


def _online_softmax(rescale: bool) -> torch.Tensor:
    scores = torch.tensor([1.0, 3.0, 2.0, 5.0], dtype=torch.float64)
    running_max, running_sum = torch.tensor(-math.inf, dtype=torch.float64), 0.0
    for block in scores.split(2):
        new_max = torch.maximum(running_max, block.max())
        old = running_sum * torch.exp(running_max - new_max) if rescale else running_sum
        running_sum = old + torch.exp(block - new_max).sum()
        running_max = new_max
    return torch.stack([running_max, torch.as_tensor(running_sum)])


def _t(*values: float) -> Answer:
    """A constant answer: a scalar for one value, a 1-d tensor (a shape, say) for several."""
    data = values[0] if len(values) == 1 else values
    return lambda: torch.tensor(data, dtype=torch.float64)


EXERCISES: dict[str, Exercise] = {
    e.id: e
    for e in [
        Exercise(
            "00.step_embedding",
            'the embedding of the token "step"',
            lambda: _x()[JOURNEY_TOKENS.index("step")],
            {"counted from 1: that is the token before it": lambda: _x()[4]},
        ),
        Exercise(
            "00.cat_sat_shape",
            'the shape of the "The cat sat" embeddings, as a tuple',
            _t(3, 2),
            {"rows and columns swapped: one row per token": _t(2, 3)},
        ),
        Exercise(
            "01.scores_3",
            'the attention scores of query x³ ("starts") against every input',
            lambda: _x() @ _x()[2],
            {
                "used query x² (journey), the notebook's query: use x³ = inputs[2]": lambda: (
                    _x() @ _x()[1]
                ),
                "counted from 1: inputs[3] is x⁴ (with)": lambda: _x() @ _x()[3],
            },
        ),
        Exercise(
            "01.cosine",
            'the cosine similarity of "journey" and "starts"',
            lambda: torch.cosine_similarity(_x()[1], _x()[2], dim=0),
            {"the raw dot product: divide by both lengths": lambda: _x()[1] @ _x()[2]},
        ),
        Exercise(
            "02.softmax",
            "the softmax of attn_scores_2",
            lambda: torch.softmax(_x() @ _x()[1], dim=0),
            {
                "divided by the sum: softmax divides exponentials": lambda: (
                    (_x() @ _x()[1]) / (_x() @ _x()[1]).sum()
                )
            },
        ),
        Exercise(
            "02.stable",
            "the softmax of torch.tensor([1000., 1001., 1002.]) (float32), without NaN",
            lambda: torch.softmax(torch.tensor([1000.0, 1001.0, 1002.0]), dim=0).double(),
            {
                "naive softmax overflowed (exp(1000) = inf): subtract the max first": lambda: (
                    torch.full((3,), math.nan, dtype=torch.float64)
                )
            },
        ),
        Exercise(
            "03.context_3",
            "the context vector z³ (weights: softmax of x³'s unscaled scores)",
            lambda: torch.softmax(_x() @ _x()[2], dim=0) @ _x(),
            {
                "weighted by the raw scores: apply softmax first": lambda: (_x() @ _x()[2]) @ _x(),
                "normalized by divide-by-sum instead of softmax": lambda: (
                    (_x() @ _x()[2]) / (_x() @ _x()[2]).sum() @ _x()
                ),
            },
        ),
        Exercise(
            "03.all_weights",
            "the 6×6 attention weights, each row one query's weights",
            lambda: torch.softmax(_x() @ _x().T, dim=-1),
            {
                "softmax over the wrong dimension: each row (dim=-1) must sum to 1": lambda: (
                    torch.softmax(_x() @ _x().T, dim=0)
                )
            },
        ),
        Exercise(
            "04.W_key",
            "W_key, drawn as in the notebook: torch.manual_seed(123), then W_query, W_key, W_value",
            lambda: _seed_weights()[1],
            {
                "torch.rand (uniform) instead of torch.randn (normal)": lambda: _seed_weights(
                    torch.rand
                )[1],
                "wrong seed order: W_key was drawn first, before W_query": lambda: _seed_weights()[
                    0
                ],
            },
        ),
        Exercise(
            "04.linear_queries",
            "the queries x @ Wᵀ that nn.Linear computes from its (d_out, d_in) weight W",
            lambda: _x() @ _linear_weight().T,
            {
                "missing transpose: nn.Linear stores W as (d_out, d_in)": lambda: (
                    _x() @ _linear_weight()
                )
            },
        ),
        Exercise(
            "04.context_2",
            "the context vector of query 2, with scores scaled by 1/√d_k",
            lambda: _context_2(1 / math.sqrt(2)),
            {
                "divided by d_k instead of √d_k": lambda: _context_2(1 / 2),
                "forgot to scale by 1/√d_k": lambda: _context_2(1.0),
            },
        ),
        Exercise(
            "05.scaled_scores",
            "the scaled scores Q Kᵀ / √d_k for Q = x[:3], K = x[3:]",
            lambda: _qk()[0] @ _qk()[1].T / math.sqrt(3),
            {
                "missing transpose: use K.T": lambda: _qk()[0] @ _qk()[1] / math.sqrt(3),
                "divided by d_k instead of √d_k": lambda: _qk()[0] @ _qk()[1].T / 3,
                "forgot to scale by 1/√d_k": lambda: _qk()[0] @ _qk()[1].T,
            },
        ),
        Exercise(
            "05.weights",
            "the attention weights from those scaled scores",
            lambda: torch.softmax(_qk()[0] @ _qk()[1].T / math.sqrt(3), dim=-1),
            {
                "softmax over the wrong dimension: each query's row (dim=-1) must sum to 1": lambda: (
                    torch.softmax(_qk()[0] @ _qk()[1].T / math.sqrt(3), dim=0)
                )
            },
        ),
        Exercise(
            "06.causal_weights",
            "causal attention weights of the journey example (scale 1/√3)",
            lambda: _causal(causal_mask(6)),
            {
                "mask with True/False reversed: True means may attend": lambda: _causal(
                    ~causal_mask(6)
                ),
                "forgot to renormalize after masking: rows must sum to 1 again": lambda: _causal(
                    causal_mask(6), renormalize=False
                ),
            },
        ),
        Exercise(
            "06.dropout_scale",
            "the factor that multiplies the surviving weights when dropout p = 0.2",
            _t(1.25),
            {"scaled by (1 − p) instead of 1/(1 − p)": _t(0.8)},
        ),
        Exercise(
            "07.head_shape",
            "the shape of q after splitting (B=2, T=6, d_out=12) into 3 heads, ready for attention",
            _t(2, 3, 6, 4),
            {"forgot the transpose: heads must come before the sequence": _t(2, 6, 3, 4)},
        ),
        Exercise(
            "07.d_head",
            "d_head for d_out = 12 and n_heads = 4",
            _t(3),
            {"multiplied instead of divided": _t(48)},
        ),
        Exercise(
            "08.score_bytes",
            "bytes of float32 scores for batch 1, 8 heads, n = 4096",
            _t(8 * 4096 * 4096 * 4),
            {
                "counted one head only": _t(4096 * 4096 * 4),
                "counted 1 byte per float32: it takes 4": _t(8 * 4096 * 4096),
            },
        ),
        Exercise(
            "08.growth",
            "how many times more score memory n = 2048 needs than n = 1024",
            _t(4),
            {"linear growth assumed: the score matrix is n × n": _t(2)},
        ),
        Exercise(
            "09.online_max_sum",
            "the running max and running sum of exp after both blocks of [1, 3 | 2, 5]",
            lambda: _online_softmax(rescale=True),
            {
                "forgot to rescale the old sum by exp(old_max − new_max)": lambda: _online_softmax(
                    rescale=False
                )
            },
        ),
        Exercise(
            "09.causal_tiles",
            "how many (query block, key block) tiles causal tiled attention computes for n = 1024, block = 128",
            _t(8 * 9 // 2),
            {
                "computed every tile: causal attention skips tiles above the diagonal": _t(64),
                "skipped the diagonal tiles too: they are partly visible": _t(8 * 7 // 2),
            },
        ),
    ]
}


def _as_tensor(answer: object) -> torch.Tensor:
    if isinstance(answer, torch.Tensor):
        return answer.detach().cpu().double()
    return torch.as_tensor(answer, dtype=torch.float64)


def _close(a: torch.Tensor, b: torch.Tensor, atol: float) -> bool:
    return a.shape == b.shape and torch.allclose(a, b, atol=atol, rtol=1e-4, equal_nan=True)


def diagnose(exercise_id: str, answer: object, *, atol: float = 1e-4) -> Feedback:
    """Compare ``answer`` with the reference of ``exercise_id``; name the mistake if it is a known one.

    Shapes: answer must match the reference's shape; tensors, numbers, tuples and torch.Size work.
    """
    if exercise_id not in EXERCISES:
        raise ValueError(
            f"check: unknown exercise {exercise_id!r}; expected one of {', '.join(EXERCISES)}"
        )
    exercise = EXERCISES[exercise_id]
    if answer is None:
        return Feedback(False, f"{exercise_id}: no answer yet. Compute {exercise.task}.")
    try:
        got = _as_tensor(answer)
    except (TypeError, ValueError, RuntimeError):
        return Feedback(
            False,
            f"{exercise_id}: expected a tensor or a number, got {type(answer).__name__}",
        )
    expected = exercise.reference()
    if _close(got, expected, atol):
        return Feedback(True, f"{exercise_id}: correct!")
    for name, mistake in exercise.mistakes.items():
        wrong = mistake()
        # A mistake may show as NaN in plain torch where the package gives 0 (an all-masked row).
        if _close(got, wrong, atol) or _close(torch.nan_to_num(got), wrong, atol):
            return Feedback(False, f"{exercise_id}: not yet: {name}.", mistake=name)
    if got.shape != expected.shape:
        return Feedback(
            False,
            f"{exercise_id}: expected shape {tuple(expected.shape)}, got {tuple(got.shape)}",
        )
    if torch.isnan(got).any():
        return Feedback(False, f"{exercise_id}: your answer contains NaN: did exp overflow?")
    worst = (got - expected).abs().max().item()
    return Feedback(
        False, f"{exercise_id}: not yet: right shape, but values differ (by up to {worst:.4g})."
    )


def check(exercise_id: str, answer: object) -> None:
    """Print whether ``answer`` solves the exercise, naming the mistake when it is a known one."""
    print(diagnose(exercise_id, answer).message)
