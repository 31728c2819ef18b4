"""Causal explorer: toggle the causal mask, drag the dropout probability."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import torch

from .._checks import check_bool, check_probability, check_seed, check_tensor
from ..data import JOURNEY_TOKENS, journey_embeddings
from ..default_device import on_cpu
from ..functional import attention
from ..i18n import text as tr
from .figures import HeatmapPairView
from .shell import Explorer, cpu_step, html_line, html_table, own_copy, token_labels

#: The dropout slider's end: past it almost every weight is dropped and the picture says little.
MAX_DROPOUT_P = 0.9


@dataclass(frozen=True)
class CausalStep:
    """Masked scores, weights after dropout, and the output of self-attention.

    Shapes: attn_scores (T, T) with -inf where masked, attn_weights (T, T), out (T, d)
    """

    attn_scores: torch.Tensor
    attn_weights: torch.Tensor
    out: torch.Tensor


@cpu_step
def causal_step(x: torch.Tensor, causal: bool, dropout_p: float, *, seed: int = 123) -> CausalStep:
    """attention(x, x, x, causal=causal, dropout_p=dropout_p) with a generator seeded by ``seed``.

    Shapes: x (T, d) -> attn_scores (T, T), attn_weights (T, T), out (T, d)

    The same seed on every call draws the same random numbers, so raising dropout_p only ever
    drops more weights: a weight dropped at p stays dropped at any larger p.
    """
    seed = _check_causal("causal_step", x, causal, dropout_p, seed)
    generator = torch.Generator(device=x.device).manual_seed(seed)
    out, attn_weights = attention(x, x, x, causal=causal, dropout_p=dropout_p, generator=generator)
    attn_scores = x @ x.T * x.shape[-1] ** -0.5  # (T, T), as attention scales them
    if causal:
        allowed = torch.ones_like(attn_scores, dtype=torch.bool).tril()
        attn_scores = attn_scores.masked_fill(~allowed, float("-inf"))
    return CausalStep(attn_scores, attn_weights, out)


def _check_causal(fn: str, x: object, causal: object, dropout_p: object, seed: object) -> int:
    """Check the step's arguments; return the seed as a Python int (a numpy int seeds nothing)."""
    check_tensor(fn, "x", x, ndim=2)
    check_bool(fn, "causal", causal)
    check_probability(fn, "dropout_p", dropout_p)
    return check_seed(fn, "seed", seed)


def describe_causal(step: CausalStep, tokens: Sequence[str], dropout_p: float) -> str:
    """Row sums of the weights and how many dropout zeroed, as HTML.

    Shapes: as in ``CausalStep``, with T = len(tokens)
    """
    text = html_table(tokens, [(tr("explorer.row_sum"), step.attn_weights.sum(dim=-1).tolist())])
    if dropout_p > 0:
        allowed = torch.isfinite(step.attn_scores)
        dropped = int(((step.attn_weights == 0) & allowed).sum())
        text += html_line(
            tr(
                "causal.dropped",
                p=dropout_p,
                dropped=dropped,
                allowed=int(allowed.sum()),
                factor=1 / (1 - dropout_p),
            )
        )
    return text


@on_cpu
def causal_explorer(
    tokens: Sequence[str] | None = None,
    x: torch.Tensor | None = None,
    *,
    causal: bool = True,
    dropout_p: float = 0.0,
    seed: int = 123,
) -> Explorer:
    """Toggle the causal mask and drag the dropout probability over self-attention of x.

    Shapes: x (T, d) with T = len(tokens), used as queries, keys and values alike

    Defaults: the journey example. With the mask, token i attends to tokens 0..i only; with
    dropout, weights are zeroed at random and the rest scaled by 1/(1 − p), so a row sums to
    1 only on average.
    """
    fn = "causal_explorer"
    x = journey_embeddings() if x is None else x
    tokens = JOURNEY_TOKENS if tokens is None else tokens
    _check_causal(fn, x, causal, dropout_p, seed)
    tokens = token_labels(fn, tokens, x.shape[0], "x")
    if dropout_p > MAX_DROPOUT_P:
        raise ValueError(
            f"{fn}: dropout_p must be at most {MAX_DROPOUT_P} (the slider's end), got {dropout_p}"
        )
    x = own_copy(x)
    controls = {
        "causal": widgets.Checkbox(value=causal, description=tr("causal.mask"), indent=False),
        "dropout_p": widgets.FloatSlider(
            value=dropout_p,
            min=0.0,
            max=MAX_DROPOUT_P,
            step=0.05,
            description=tr("causal.dropout"),
            readout_format=".2f",
            continuous_update=True,
            layout=widgets.Layout(width="360px"),
        ),
    }
    return Explorer(
        tr("explorer.name.causal"),
        controls,
        [widgets.HBox([controls["causal"], controls["dropout_p"]])],
        HeatmapPairView(tokens, (tr("causal.scores_title"), tr("explorer.weights"))),
        read=lambda: {
            "causal": bool(controls["causal"].value),
            "dropout_p": float(controls["dropout_p"].value),
        },
        step=lambda state: causal_step(x, state["causal"], state["dropout_p"], seed=seed),
        describe=lambda state, result: describe_causal(result, tokens, state["dropout_p"]),
    )
