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


def _linear_weights(seed: int, n_layers: int, d_in: int, d_out: int) -> list[torch.Tensor]:
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


def _linear_weight() -> torch.Tensor:
    """04: the (d_out, d_in) = (3, 3) weight of nn.Linear(3, 3, bias=False) built after seed 0."""
    return _linear_weights(0, 1, d_in=3, d_out=3)[0]


def _batch_qk() -> tuple[torch.Tensor, torch.Tensor]:
    """05: the q and k of section 7, drawn from a CPU generator seeded with 0."""
    generator = torch.Generator().manual_seed(0)
    q, k = (torch.randn(2, 4, 5, 16, generator=generator).double() for _ in range(2))
    return q, k  # (B, n_heads, T, d_head) = (2, 4, 5, 16) each


def _batch_attn_weights(scale: float, dim: int = -1) -> torch.Tensor:
    q, k = _batch_qk()
    return torch.softmax(q @ k.transpose(-2, -1) * scale, dim=dim)  # (B, n_heads, T, T)


def _qkv_06() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """06: q, k, v of section 1, from SelfAttention(3, 2) built after torch.manual_seed(789)."""
    W_q, W_k, W_v = _linear_weights(789, 3, d_in=3, d_out=2)
    x = _x()
    return x @ W_q.T, x @ W_k.T, x @ W_v.T  # (T, d_out) = (6, 2) each


def _not_padding() -> torch.Tensor:
    """06: True for the four real tokens, False for the last two positions, the padding."""
    return torch.arange(6) < 4  # (T,)


def _masked_weights(mask: torch.Tensor, renormalize: bool = True) -> torch.Tensor:
    """06: the weights of section 1's q and k under ``mask``, the -inf way or zeroed after softmax."""
    q, k, _ = _qkv_06()
    attn_scores = q @ k.T / math.sqrt(2)  # (T, T)
    if not renormalize:
        return torch.softmax(attn_scores, dim=-1) * mask
    # A row with no key left is NaN in plain torch; the package gives it zeros, as here.
    return torch.nan_to_num(torch.softmax(attn_scores.masked_fill(~mask, float("-inf")), dim=-1))


def _dropped(
    draw: Callable[..., torch.Tensor], keep_if_below: bool = False, scale: float | None = None
) -> torch.Tensor:
    """06: section 3's causal weights after dropout p = 0.2, the mask drawn as section 5 draws it."""
    p = 0.2
    generator = torch.Generator().manual_seed(123)
    drawn = draw(6, 6, generator=generator)  # (T, T)
    keep = drawn < p if keep_if_below else drawn >= p
    scale = 1 / (1 - p) if scale is None else scale
    return _masked_weights(causal_mask(6)) * keep * scale


def _rows_changed_06() -> torch.Tensor:
    """06: which rows of the causal output move when "Your" becomes [9, -9, 9]."""
    W_q, W_k, W_v = _linear_weights(789, 3, d_in=3, d_out=2)
    x = _x()
    x_first = x.clone()
    x_first[0] = torch.tensor([9.0, -9.0, 9.0], dtype=torch.float64)
    outs = []
    for inputs in (x, x_first):
        q, k, v = inputs @ W_q.T, inputs @ W_k.T, inputs @ W_v.T  # (T, d_out) each
        attn_scores = (q @ k.T / math.sqrt(2)).masked_fill(~causal_mask(6), float("-inf"))
        outs.append(torch.softmax(attn_scores, dim=-1) @ v)  # (T, d_out)
    return (~torch.isclose(outs[0], outs[1]).all(dim=-1)).double()  # (T,): 1 where it moved


def _rows(*changed: int) -> Answer:
    """06: a (6,) tensor with 1 at the rows listed, 0 elsewhere."""
    return lambda: torch.tensor([float(i in changed) for i in range(6)], dtype=torch.float64)


def _qkv_07() -> list[torch.Tensor]:
    """07: section 2's fused q, k, v of x_batch, from the two heads drawn after seed 123."""
    W = _linear_weights(123, 6, d_in=3, d_out=2)  # head 0's W_q, W_k, W_v, then head 1's
    x = _x()
    x_batch = torch.stack([x, x.flip(0)])  # (B, T, d_in) = (2, 6, 3)
    return [x_batch @ torch.cat([W[i], W[3 + i]]).T for i in range(3)]  # (B, T, d_out) each


def _split_heads(how: str) -> torch.Tensor:
    """07: section 2's q, (B, T, d_out) = (2, 6, 4), split into 2 heads of 2 features ``how``."""
    q = _qkv_07()[0]
    if how == "view_heads_first":
        return q.view(2, 2, 6, 2)  # (B, n_heads, T, d_head), but cut in the wrong places
    q = q.view(2, 6, 2, 2)  # (B, T, n_heads, d_head)
    return q if how == "no_transpose" else q.transpose(1, 2)  # (B, n_heads, T, d_head)


def _head_weights_07() -> torch.Tensor:
    """07: section 2's causal attn_weights, (B, n_heads, T, T) = (2, 2, 6, 6)."""
    q, k = (t.view(2, 6, 2, 2).transpose(1, 2) for t in _qkv_07()[:2])  # (B, n_heads, T, d_head)
    attn_scores = q @ k.transpose(-2, -1) / math.sqrt(2)  # (B, n_heads, T, T)
    return torch.softmax(attn_scores.masked_fill(~causal_mask(6), float("-inf")), dim=-1)


_NS_08 = [2**p for p in range(7, 17)]  # section 2's sequence lengths, 128 ... 65,536
_MIB = 2**20


def _score_mib(bytes_per_number: int, heads: int = 8, square: bool = True) -> torch.Tensor:
    """08: MiB of one layer's scores (B = 1) for every n of section 2; d_head = 64 if not square."""
    sizes = [n * n if square else n * 64 for n in _NS_08]
    return torch.tensor([bytes_per_number * heads * s / _MIB for s in sizes], dtype=torch.float64)


def _scores_09() -> torch.Tensor:
    """09: section 1's row of 12 scores, 3 · randn from a CPU generator seeded 7."""
    return (3 * torch.randn(12, generator=torch.Generator().manual_seed(7))).double()


def _softmax_state_09() -> torch.Tensor:
    """09: [m, ℓ] of the whole row at once: its maximum and the sum of e^(x − m)."""
    x = _scores_09()
    return torch.stack([x.max(), torch.exp(x - x.max()).sum()])


def _online_reversed(rescale: bool = True, shift: bool = True) -> torch.Tensor:
    """09: [m, ℓ] of the online softmax over section 2's chunks of 4, read last chunk first."""
    row_max = torch.tensor(-math.inf, dtype=torch.float64)
    row_sum = torch.tensor(0.0, dtype=torch.float64)
    for x_c in reversed(_scores_09().split(4)):
        row_max_new = torch.maximum(row_max, x_c.max())
        factor = torch.exp(row_max - row_max_new) if rescale else 1.0
        row_sum = row_sum * factor + torch.exp(x_c - (row_max_new if shift else 0.0)).sum()
        row_max = row_max_new
    return torch.stack([row_max, row_sum])


def _flash_09(visible: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> torch.Tensor:
    """09: attention of section 4's q, k, v (bench.make_qkv(256), seed 0) where visible(i, j)."""
    generator = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(1, 8, 256, 64, generator=generator).double() for _ in range(3))
    i, j = torch.arange(256)[:, None], torch.arange(256)[None, :]  # query and key positions
    attn_scores = q @ k.transpose(-2, -1) / 8.0  # (B, H, n, n), scaled by 1/√64
    attn_scores = attn_scores.masked_fill(~visible(i, j), float("-inf"))
    return torch.softmax(attn_scores, dim=-1) @ v  # (B, H, n, d_head); no key left: NaN


def _tiles(n_blocks: int, diagonal: bool = True) -> Answer:
    """09: tiles on or below the diagonal of an n_blocks × n_blocks grid."""
    return _t(n_blocks * (n_blocks + 1) // 2 if diagonal else n_blocks * (n_blocks - 1) // 2)


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
            "06.padded_weights",
            "the causal attention weights of section 1's q and k with the last two positions "
            "masked as padding, shape (6, 6)",
            lambda: _masked_weights(causal_mask(6) & _not_padding()),
            {
                "mask with True/False reversed: True means may attend, so fill the scores where "
                "the mask is False (~mask) with -inf": lambda: _masked_weights(
                    ~(causal_mask(6) & _not_padding())
                ),
                "forgot to renormalize after masking: zeroing weights after softmax leaves rows "
                "that no longer sum to 1; mask the scores with -inf before softmax": lambda: (
                    _masked_weights(causal_mask(6) & _not_padding(), renormalize=False)
                ),
                "only the causal mask: the padding keys, positions 4 and 5, must be hidden from "
                "every query too": lambda: _masked_weights(causal_mask(6)),
                "combined the masks with | (or): a key must pass both masks, so combine them "
                "with &": lambda: _masked_weights(causal_mask(6) | _not_padding()),
                "masked the padding rows (queries) instead of the padding columns (keys): "
                "padding is about what may be attended to, the last dimension": lambda: (
                    _masked_weights(causal_mask(6) & _not_padding()[:, None])
                ),
            },
        ),
        Exercise(
            "06.dropout_weights",
            "weights_cpu after dropout with p = 0.2, the keep mask drawn with torch.rand from "
            "a CPU generator seeded 123, shape (6, 6)",
            lambda: _dropped(torch.rand),
            {
                "torch.randn (normal) instead of torch.rand (uniform): the keep mask compares "
                "uniform numbers in [0, 1) with p": lambda: _dropped(torch.randn),
                "kept a weight with probability p: keep it where torch.rand(...) >= p, so that "
                "it survives with probability 1 − p": lambda: _dropped(
                    torch.rand, keep_if_below=True
                ),
                "scaled by (1 − p) instead of 1/(1 − p)": lambda: _dropped(torch.rand, scale=0.8),
                "forgot to divide the kept weights by 1 − p": lambda: _dropped(torch.rand, scale=1),
            },
        ),
        Exercise(
            "06.rows_changed",
            "a tensor of shape (6,), True for each row of the causal output that changes when "
            '"Your" becomes [9, -9, 9]',
            _rows_changed_06,
            {
                'only the row of "Your": every later token attends to "Your" too, so its key '
                "and value reach every row": _rows(0),
                'only the last row: that was section 4\'s experiment, where "step" changed': _rows(
                    5
                ),
                "no row changed: compare the outputs of x and x_first": _rows(),
            },
        ),
        Exercise(
            "07.split_heads",
            "section 2's q_fused, (B, T, d_out) = (2, 6, 4), split into heads, shape "
            "(B, n_heads, T, d_head) = (2, 2, 6, 2)",
            lambda: _split_heads("right"),
            {
                "missing transpose: view(B, T, n_heads, d_head) leaves the tokens before the "
                "heads; transpose(1, 2) puts the heads first": lambda: _split_heads("no_transpose"),
                "missing transpose: view(B, n_heads, T, d_head) has the right shape but cuts "
                "the numbers in the wrong places, mixing tokens into heads; view(B, T, n_heads, "
                "d_head), then transpose(1, 2)": lambda: _split_heads("view_heads_first"),
            },
        ),
        Exercise(
            "07.averaged_weights",
            "section 2's attn_weights averaged over the heads, as torch.nn.MultiheadAttention "
            "returns them by default, shape (B, T, T) = (2, 6, 6)",
            lambda: _head_weights_07().mean(dim=1),
            {
                "averaged over the wrong dimension: dim=0 runs over the batch; the heads are "
                "dim=1": lambda: _head_weights_07().mean(dim=0),
                "summed over the heads: average them, so that every row still sums to 1": lambda: (
                    _head_weights_07().sum(dim=1)
                ),
            },
        ),
        Exercise(
            "07.n_params",
            "the number of parameters of MultiHeadAttention(768, 768, n_heads=12) (a number)",
            _t(3 * 768 * 768 + 768 * 768 + 768),
            {
                "forgot W_o's bias: W_o is nn.Linear(d_out, d_out) with a bias": _t(4 * 768 * 768),
                "forgot W_o, the output projection": _t(3 * 768 * 768),
                "counted a full-size W_q, W_k, W_v per head: the heads share them, each head "
                "using d_head = 64 of their rows": _t(12 * 3 * 768 * 768 + 768 * 768 + 768),
            },
        ),
        Exercise(
            "08.half_scores",
            "the MiB of float16 scores of one layer (B = 1, H = 8) for every n in ns, shape (10,)",
            lambda: _score_mib(2),
            {
                "counted 4 bytes a number: float16 takes 2": lambda: _score_mib(4),
                "in bytes: divide by MiB = 2**20": lambda: _score_mib(2) * _MIB,
                "counted one head: the layer has H = 8": lambda: _score_mib(2, heads=1),
                "counted n · d_head numbers, the size of q: the scores are n × n": lambda: (
                    _score_mib(2, square=False)
                ),
            },
        ),
        Exercise(
            "08.half_2gib",
            "the smallest n in ns at which one layer's float16 scores take 2 GiB or more "
            "(a number)",
            _t(16384),
            {
                "8192 is where float32 scores reach 2 GiB: float16 takes half the bytes, so it "
                "gets there one doubling of n later": _t(8192),
                "counted one head: the layer has H = 8": _t(32768),
            },
        ),
        Exercise(
            "08.growth",
            "torch.tensor([attention's factor, SDPA's factor]): how many times their peak "
            "memory grows from n = 1024 to n = 4096, shape (2,)",
            _t(16, 4),
            {
                "swapped: attention stores the n × n matrix, SDPA essentially its output": _t(
                    4, 16
                ),
                "both linear: attention stores the n × n scores, which grow like n²": _t(4, 4),
                "both quadratic: SDPA never stores the n × n matrix": _t(16, 16),
                "the factors of one doubling: from 1,024 to 4,096, n grows 4 times": _t(4, 2),
            },
        ),
        Exercise(
            "09.reversed_chunks",
            "torch.stack([row_max, row_sum]) after the online softmax over section 2's chunks, "
            "last chunk first, shape (2,)",
            _softmax_state_09,
            {
                "forgot to rescale the old sum by exp(m_old − m_new) when the maximum moves": (
                    lambda: _online_reversed(rescale=False)
                ),
                "forgot to subtract the running maximum: ℓ sums e^(x − m), not e^x": lambda: (
                    _online_reversed(shift=False)
                ),
            },
        ),
        Exercise(
            "09.causal_tiles",
            "how many tiles causal attention_tiled computes for n = 4096 with its default "
            "256 × 256 blocks (a number)",
            _tiles(16),
            {
                "computed every tile: tiles above the diagonal are skipped": _t(16 * 16),
                "skipped the diagonal tiles too: they are partly visible, and computed with a "
                "mask": _tiles(16, diagonal=False),
                "half of the n_b² tiles: the n_b diagonal tiles are computed whole, so "
                "n_b (n_b + 1) / 2": _t(16 * 16 // 2),
            },
        ),
        Exercise(
            "09.causal_flash",
            "flash_attention(q, k, v, block=64, causal=True) for section 4's q, k, v, shape "
            "(1, 8, 256, 64)",
            lambda: _flash_09(lambda i, j: j <= i),
            {
                "mask with True/False reversed in the diagonal tiles: True means may attend, so "
                "fill the scores where the mask is False with -inf": lambda: _flash_09(
                    lambda i, j: (j // 64 < i // 64) | ((j // 64 == i // 64) & (j > i))
                ),
                "the diagonal tiles were not masked: in them, the keys after each query are "
                "still the future": lambda: _flash_09(lambda i, j: j // 64 <= i // 64),
                "skipped the diagonal tiles: they hold each query's own key and the keys just "
                "before it": lambda: _flash_09(lambda i, j: j // 64 < i // 64),
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
