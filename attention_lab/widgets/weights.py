"""Weight explorer: move the entries of W_q and W_k, watch Q, K, the scores and the weights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import torch

from .._checks import check_tensor, shape_str
from ..data import CAT_SAT_TOKENS, cat_sat_embeddings
from ..default_device import on_cpu
from ..functional import softmax_stable
from ..i18n import text as tr
from .figures import HeatmapPairView
from .shell import Explorer, cpu_step, html_table, own_copy, slider, slider_limits, token_labels


@dataclass(frozen=True)
class WeightStep:
    """Queries, keys, scores and weights of self-attention with projections W_q, W_k.

    Shapes: q (T, d_k), k (T, d_k), attn_scores (T, T), attn_weights (T, T)
    """

    q: torch.Tensor
    k: torch.Tensor
    attn_scores: torch.Tensor
    attn_weights: torch.Tensor


@cpu_step
def weight_step(x: torch.Tensor, W_q: torch.Tensor, W_k: torch.Tensor) -> WeightStep:
    """q = x W_q, k = x W_k, ω = q kᵀ, α = softmax(ω / √d_k).

    Shapes: x (T, d_in), W_q (d_in, d_k), W_k (d_in, d_k)
    Returns: q, k (T, d_k), attn_scores (T, T), attn_weights (T, T)
    """
    _check_weights("weight_step", x, W_q, W_k)
    q = x @ W_q  # (T, d_k)
    k = x @ W_k  # (T, d_k)
    attn_scores = q @ k.T  # (T, T)
    attn_weights = softmax_stable(attn_scores * q.shape[-1] ** -0.5, dim=-1)  # (T, T)
    return WeightStep(q, k, attn_scores, attn_weights)


def _check_weights(fn: str, x: object, W_q: object, W_k: object) -> None:
    """x (T, d_in) and two projections of the same shape (d_in, d_k)."""
    check_tensor(fn, "x", x, ndim=2)
    for name, W in (("W_q", W_q), ("W_k", W_k)):
        check_tensor(fn, name, W, ndim=2)
        if W.shape[0] != x.shape[1]:
            raise ValueError(
                f"{fn}: {name} must have {x.shape[1]} rows (d_in of x {shape_str(x)}), "
                f"got {shape_str(W)}"
            )
    if W_q.shape != W_k.shape:
        raise ValueError(
            f"{fn}: W_q {shape_str(W_q)} and W_k {shape_str(W_k)} must have the same shape"
        )


def describe_weights(step: WeightStep, tokens: Sequence[str]) -> str:
    """Q and K as HTML tables, one row per token, side by side.

    Shapes: as in ``WeightStep``, with T = len(tokens)
    """
    header = [f"[{j}]" for j in range(step.q.shape[1])]
    tables = [
        f"<div><b>{name}</b>{html_table(header, list(zip(tokens, m.tolist(), strict=True)))}</div>"
        for name, m in (("Q = x W_q", step.q), ("K = x W_k", step.k))
    ]
    return f"<div style='display:flex;gap:24px'>{''.join(tables)}</div>"


@on_cpu
def weight_explorer(
    tokens: Sequence[str] | None = None,
    x: torch.Tensor | None = None,
    W_q: torch.Tensor | None = None,
    W_k: torch.Tensor | None = None,
    *,
    limits: tuple[float, float] = (-2.0, 2.0),
) -> Explorer:
    """A slider per entry of W_q and W_k: Q, K, the scores and the weights heatmap follow.

    Shapes: x (T, d_in) with T = len(tokens), W_q and W_k (d_in, d_k)

    Defaults: the "The cat sat" example with W_q = W_k = I, where the scores are the plain dot
    products of the embeddings (the weights are scaled by 1/√d_k, as ``attention`` does).
    """
    fn = "weight_explorer"
    x = cat_sat_embeddings() if x is None else x
    tokens = CAT_SAT_TOKENS if tokens is None else tokens
    check_tensor(fn, "x", x, ndim=2)
    tokens = token_labels(fn, tokens, x.shape[0], "x")
    eye = torch.eye(x.shape[1], dtype=x.dtype)
    W_q = eye if W_q is None else W_q
    W_k = eye if W_k is None else W_k
    _check_weights(fn, x, W_q, W_k)
    x, weights = own_copy(x), {"W_q": own_copy(W_q), "W_k": own_copy(W_k)}
    limits = slider_limits(fn, limits, torch.cat(list(weights.values())))
    controls, columns = {}, []
    for name, W in weights.items():
        column = []
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                key = f"{name}[{i},{j}]"
                controls[key] = slider(key, float(W[i, j]), *limits, 0.05)
                column.append(controls[key])
        columns.append(widgets.VBox(column))

    def read() -> dict:
        for name, W in weights.items():
            for i in range(W.shape[0]):
                for j in range(W.shape[1]):
                    W[i, j] = controls[f"{name}[{i},{j}]"].value
        return {"x": x, **weights}

    return Explorer(
        tr("explorer.name.weights"),
        controls,
        [widgets.HBox(columns)],
        HeatmapPairView(tokens, (tr("weights.scores_title"), tr("weights.weights_title"))),
        read=read,
        step=lambda state: weight_step(state["x"], state["W_q"], state["W_k"]),
        describe=lambda state, result: describe_weights(result, tokens),
    )
