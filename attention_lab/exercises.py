"""Self-checking exercises: ``check("02.softmax", answer)`` says "correct" or what went wrong.

Every exercise knows its reference answer and the answers that the usual mistakes produce
(``torch.rand`` for ``torch.randn``, a missing transpose, dividing by d_k instead of √d_k, softmax
over the wrong dimension, a reversed mask, ...), so a wrong answer is named, not only refused.
The inputs of every exercise come from ``attention_lab.data`` or from a seeded draw that the
notebook cell repeats: the notebook cell and the reference start from the same tensors.
"""

from __future__ import annotations

import math
import numbers
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
# float64 throughout, so the reference is the exact answer and a learner's float32 is within
# the tolerance of ``diagnose``.


def _x() -> torch.Tensor:
    return journey_embeddings(dtype=torch.float64)  # (6, 3)


def _t(*values: float) -> Answer:
    """A constant answer: a scalar for one value, a 1-d tensor (a shape, say) for several."""
    data = values[0] if len(values) == 1 else values
    return lambda: torch.tensor(data, dtype=torch.float64)


def _rows_changed(value: float) -> torch.Tensor:
    """00: how many rows of the unscaled attention weights move when inputs[1, 0] is set to value."""
    x = _x()
    x_changed = x.clone()
    x_changed[1, 0] = value
    before = torch.softmax(x @ x.T, dim=-1)  # (6, 6)
    after = torch.softmax(x_changed @ x_changed.T, dim=-1)  # (6, 6)
    return (~torch.isclose(before, after).all(dim=-1)).sum().double()


def _doubled_starts() -> torch.Tensor:
    """01: [score, cosine] of "journey" against "starts" made twice as long."""
    query, starts_doubled = _x()[1], 2 * _x()[2]
    return torch.stack([query @ starts_doubled, torch.cosine_similarity(query, starts_doubled, 0)])


def _overflow_factor(dtype: torch.dtype, score: float) -> torch.Tensor:
    """02: the factor c at which exp(c · score) leaves the finite range of ``dtype``."""
    return torch.tensor(math.log(torch.finfo(dtype).max) / score, dtype=torch.float64)


def _scores_changed() -> torch.Tensor:
    """03: how many of the 36 scores move when "journey" gets the embedding [0.1, 0.2, 0.3]."""
    x = _x()
    x_changed = x.clone()
    x_changed[1] = torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64)
    return (~torch.isclose(x @ x.T, x_changed @ x_changed.T)).sum().double()


def _batch_weights(dim: int) -> torch.Tensor:
    """03: unscaled weights of the journey sentence and its reverse, stacked as a batch."""
    batch = torch.stack([_x(), _x().flip(0)])  # (B, T, d_in) = (2, 6, 3)
    return torch.softmax(batch @ batch.transpose(-2, -1), dim=dim)  # (B, T, T)


def _seed_weights(
    shape: tuple[int, int], draw: Callable[..., torch.Tensor] = torch.randn
) -> list[torch.Tensor]:
    """04: W_query, W_key, W_value as section 1 draws them: seed 123, then three draws of shape."""
    # A fresh CPU generator seeded 123 draws what torch.manual_seed(123) then torch.randn draw.
    generator = torch.Generator().manual_seed(123)
    return [draw(*shape, generator=generator).double() for _ in range(3)]


def _context_2(scale: float) -> torch.Tensor:
    """04: the context vector of "journey" with d_out = 4, scores multiplied by ``scale``."""
    W_query, W_key, W_value = _seed_weights((3, 4))
    x = _x()
    attn_scores_2 = (x[1] @ W_query) @ (x @ W_key).T  # (T,)
    return torch.softmax(attn_scores_2 * scale, dim=-1) @ (x @ W_value)  # (d_out,)


def _linear_weight() -> torch.Tensor:
    """04: the (d_out, d_in) = (3, 3) weight of nn.Linear(3, 3, bias=False) built after seed 0."""
    # The learner builds the layer with the global generator; borrow it without disturbing it.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        return torch.nn.Linear(3, 3, bias=False).weight.detach().double()


def _batch_qk() -> tuple[torch.Tensor, torch.Tensor]:
    """05: the q and k of section 7, drawn from a CPU generator seeded with 0."""
    generator = torch.Generator().manual_seed(0)
    q, k = (torch.randn(2, 4, 5, 16, generator=generator).double() for _ in range(2))
    return q, k  # (B, n_heads, T, d_head) = (2, 4, 5, 16) each


def _batch_attn_weights(scale: float, dim: int = -1) -> torch.Tensor:
    q, k = _batch_qk()
    return torch.softmax(q @ k.transpose(-2, -1) * scale, dim=dim)  # (B, n_heads, T, T)


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


_SCORES_NEG = (2.0, -1.0, 0.5)  # notebook 02's made-up row with a negative score
_LOG_64 = math.log(64)

EXERCISES: dict[str, Exercise] = {
    e.id: e
    for e in [
        Exercise(
            "00.embedding_of_one",
            'the embedding of "one", the fifth token of the sentence, shape (3,)',
            lambda: _x()[JOURNEY_TOKENS.index("one")],
            {
                'inputs[5] is the sixth token, "step": Python counts from 0, so the fifth token '
                "is inputs[4]": lambda: _x()[5],
            },
        ),
        Exercise(
            "00.first_feature",
            "the first feature of every token, one column of inputs, shape (6,)",
            lambda: _x()[:, 0],
            {
                "inputs[0] is the first token, a row: a feature is a column, inputs[:, 0]": lambda: (
                    _x()[0]
                ),
                "inputs[:, 1] is the second feature: Python counts from 0": lambda: _x()[:, 1],
            },
        ),
        Exercise(
            "00.rows_changed",
            "how many rows of the attention weights change when inputs[1, 0] is set to 0.0 "
            "(a number)",
            lambda: _rows_changed(0.0),
            {
                'only the row of "journey": but "journey" is also a key in every row, and every '
                "row is normalized again": _t(1),
                "no row changed: recompute the weights from the changed inputs": _t(0),
            },
        ),
        Exercise(
            "01.scores_with",
            'the scores of the query "with", x⁴, against all six tokens, shape (6,)',
            lambda: _x() @ _x()[3],
            {
                'counted from 1: inputs[4] is x⁵ ("one"); x⁴ ("with") is inputs[3]': lambda: (
                    _x() @ _x()[4]
                ),
                'these are the scores of "journey", the notebook\'s query: the query is "with", '
                "inputs[3]": lambda: _x() @ _x()[1],
            },
        ),
        Exercise(
            "01.scores_no_matmul",
            'the six scores of the query "journey" from an elementwise product and .sum(dim=...), '
            "without torch.dot or @, shape (6,)",
            lambda: _x() @ _x()[1],
            {
                "summed over dim=0, the tokens: sum over the features, dim=1 (or dim=-1)": lambda: (
                    _x() * _x()[1]
                ).sum(dim=0),
                "forgot to sum: these are the products; add them up over the features, dim=1": (
                    lambda: _x() * _x()[1]
                ),
                "summed everything into one number: sum over the features only, dim=1": lambda: (
                    _x() * _x()[1]
                ).sum(),
            },
        ),
        Exercise(
            "01.doubled_starts",
            'torch.stack([score, cosine]) of the query "journey" against '
            "starts_doubled = 2 * inputs[2], shape (2,)",
            _doubled_starts,
            {
                "doubled the cosine too: dividing by both lengths cancels the factor 2": lambda: (
                    _doubled_starts() * torch.tensor([1.0, 2.0], dtype=torch.float64)
                ),
                'the score and cosine of the original "starts": use starts_doubled': lambda: (
                    _doubled_starts() / torch.tensor([2.0, 1.0], dtype=torch.float64)
                ),
                "the raw dot product as the cosine: divide it by both lengths": lambda: (
                    _doubled_starts()[0].repeat(2)
                ),
            },
        ),
        Exercise(
            "02.softmax",
            "the softmax of attn_scores_neg = [2, -1, 0.5], written with torch.exp (not "
            "torch.softmax), shape (3,)",
            lambda: torch.softmax(torch.tensor(_SCORES_NEG, dtype=torch.float64), dim=0),
            {
                "divided the scores by their sum: softmax divides exponentials by their sum": _t(
                    *(s / sum(_SCORES_NEG) for s in _SCORES_NEG)
                ),
                "forgot to divide by the sum of the exponentials": _t(
                    *(math.exp(s) for s in _SCORES_NEG)
                ),
                "divided by the exponential of the sum: divide by the sum of the exponentials": _t(
                    *(math.exp(s - sum(_SCORES_NEG)) for s in _SCORES_NEG)
                ),
            },
        ),
        Exercise(
            "02.stable",
            "the softmax of torch.tensor([1000., 1001., 1002.]) in float32 without nan: subtract "
            "the maximum first (not torch.softmax or softmax_stable), shape (3,)",
            lambda: torch.softmax(torch.tensor([1000.0, 1001.0, 1002.0]), dim=0).double(),
            {
                "naive softmax overflowed (exp(1000) = inf): subtract the max first": lambda: (
                    torch.full((3,), math.nan, dtype=torch.float64)
                ),
                "subtracted the max but forgot to divide by the sum": _t(
                    math.exp(-2.0), math.exp(-1.0), 1.0
                ),
            },
        ),
        Exercise(
            "02.overflow_factor",
            "the smallest factor c for which softmax_naive(c * attn_scores_2) returns nan in "
            "float32 (a number)",
            lambda: _overflow_factor(torch.float32, (_x() @ _x()[1]).max().item()),
            {
                "used float64's threshold (709.8): attn_scores_2 is float32, whose exp overflows "
                "past 88.7": lambda: _overflow_factor(torch.float64, (_x() @ _x()[1]).max().item()),
                "used float16's threshold (11.1): attn_scores_2 is float32, whose exp overflows "
                "past 88.7": lambda: _overflow_factor(torch.float16, (_x() @ _x()[1]).max().item()),
                "reasoned from the smallest score: the largest score overflows first": lambda: (
                    _overflow_factor(torch.float32, (_x() @ _x()[1]).min().item())
                ),
            },
        ),
        Exercise(
            "03.context_3",
            'the context vector z³ of "starts" (weights: softmax of its unscaled scores), '
            "shape (3,)",
            lambda: torch.softmax(_x() @ _x()[2], dim=0) @ _x(),
            {
                "weighted by the raw scores: apply softmax first": lambda: (_x() @ _x()[2]) @ _x(),
                "normalized by divide-by-sum instead of softmax": lambda: (
                    (_x() @ _x()[2]) / (_x() @ _x()[2]).sum() @ _x()
                ),
                'counted from 1: inputs[3] is x⁴ ("with"); x³ ("starts") is inputs[2]': lambda: (
                    torch.softmax(_x() @ _x()[3], dim=0) @ _x()
                ),
                'this is z² of "journey", the notebook\'s query: the query is "starts", '
                "inputs[2]": lambda: torch.softmax(_x() @ _x()[1], dim=0) @ _x(),
            },
        ),
        Exercise(
            "03.batch_weights",
            "the unscaled attention weights of the two sentences stacked in batch (the sentence "
            "and its reverse), shape (2, 6, 6)",
            lambda: _batch_weights(dim=-1),
            {
                "softmax over the wrong dimension: with a batch in front, dim=1 runs over the "
                "queries; normalize over the keys, dim=-1": lambda: _batch_weights(dim=1),
                "softmax over the wrong dimension: dim=0 runs over the batch; normalize over the "
                "keys, dim=-1": lambda: _batch_weights(dim=0),
            },
        ),
        Exercise(
            "03.changed_scores",
            'how many of the 36 entries of attn_scores change when "journey" becomes '
            "[0.1, 0.2, 0.3] (a number)",
            _scores_changed,
            {
                'only the row of "journey": its column changes too, because "journey" is also '
                "the key of every query": _t(6),
                'counted the score of "journey" with itself twice: its row and its column share '
                "that entry": _t(12),
                'every entry: only the scores that involve "journey" change (the weights of every '
                "row change, through the softmax)": _t(36),
            },
        ),
        Exercise(
            "04.W_key",
            "W_key as section 1 draws it with d_out = 4: torch.manual_seed(123), then W_query, "
            "W_key, W_value with torch.randn, shape (3, 4)",
            lambda: _seed_weights((3, 4))[1],
            {
                "torch.rand (uniform) instead of torch.randn (normal)": lambda: _seed_weights(
                    (3, 4), torch.rand
                )[1],
                "wrong seed order: this is the first draw after torch.manual_seed(123), which "
                "belongs to W_query; seed once, then draw W_query, W_key, W_value in that order": (
                    lambda: _seed_weights((3, 4))[0]
                ),
                "drew shape (d_out, d_in) = (4, 3): W_key is (d_in, d_out)": lambda: _seed_weights(
                    (4, 3)
                )[1],
            },
        ),
        Exercise(
            "04.context_2",
            'the context vector of "journey" from W_query_4, W_key_4, W_value_4 (d_out = 4), '
            "scores scaled by 1/√d_k, shape (4,)",
            lambda: _context_2(1 / math.sqrt(4)),
            {
                "divided by d_k instead of √d_k": lambda: _context_2(1 / 4),
                "scaled by 1/√2, the scale of d_out = 2: d_k is now 4": lambda: _context_2(
                    1 / math.sqrt(2)
                ),
                "forgot to scale by 1/√d_k": lambda: _context_2(1.0),
            },
        ),
        Exercise(
            "04.linear_queries",
            "the queries that W_q_layer = nn.Linear(3, 3, bias=False) computes from x, written as "
            "a matrix product with its .weight, shape (6, 3)",
            lambda: _x() @ _linear_weight().T,
            {
                "missing transpose: nn.Linear stores W as (d_out, d_in) and computes x @ W.T": (
                    lambda: _x() @ _linear_weight()
                )
            },
        ),
        Exercise(
            "05.scale_times_3",
            "the scale that brings the variance of q·k back to 1 when q and k (entries of "
            "variance 1) are both multiplied by 3, for d_k = 16 (a number)",
            _t(1 / (9 * math.sqrt(16))),
            {
                "multiplied by 3 only once: q and k each bring a factor 3, so q·k grows by 9": _t(
                    1 / (3 * math.sqrt(16))
                ),
                "divided by d_k instead of √d_k: the variance is 81 · d_k, so the typical size is "
                "9 · √d_k": _t(1 / (9 * 16)),
                "divided by the variance 81 · d_k: divide by its square root, 9 · √d_k": _t(
                    1 / (81 * 16)
                ),
                "kept 1/√d_k: it undoes d_k but not the factor 9": _t(1 / math.sqrt(16)),
            },
        ),
        Exercise(
            "05.even_spread",
            "torch.tensor([largest weight, entropy]) of an even spread of weights over T = 64 "
            "keys, entropy in nats, shape (2,)",
            _t(1 / 64, _LOG_64),
            {
                "entropy in bits (log base 2): the notebook measures nats, with the natural log": _t(
                    1 / 64, math.log2(64)
                ),
                "forgot the minus sign: the entropy is −Σ α log α, never negative": _t(
                    1 / 64, -_LOG_64
                ),
                "T = 8, as in the notebook's experiment: here T = 64": _t(1 / 8, math.log(8)),
            },
        ),
        Exercise(
            "05.batch_weights",
            "the attention weights softmax(q kᵀ / √d_head) of section 7's q and k, without "
            "attention(), shape (2, 4, 5, 5)",
            lambda: _batch_attn_weights(1 / math.sqrt(16)),
            {
                "divided by d_k instead of √d_k": lambda: _batch_attn_weights(1 / 16),
                "forgot to scale by 1/√d_k": lambda: _batch_attn_weights(1.0),
                "softmax over the wrong dimension: dim=1 runs over the heads; normalize over the "
                "keys, dim=-1": lambda: _batch_attn_weights(1 / math.sqrt(16), dim=1),
                "softmax over the wrong dimension: dim=-2 runs over the queries; normalize over "
                "the keys, dim=-1": lambda: _batch_attn_weights(1 / math.sqrt(16), dim=-2),
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
    # isinstance first: an unhashable id (a list, say) would fail inside the dict lookup.
    if not (isinstance(exercise_id, str) and exercise_id in EXERCISES):
        raise ValueError(
            f"check: unknown exercise {exercise_id!r}; expected one of {', '.join(EXERCISES)}"
        )
    if isinstance(atol, bool) or not isinstance(atol, numbers.Real):
        raise TypeError(f"diagnose: atol must be a number, got {type(atol).__name__}")
    if not (math.isfinite(atol) and atol >= 0):
        raise ValueError(f"diagnose: atol must be a finite number >= 0, got {atol}")
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
