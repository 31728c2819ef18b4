"""Embedding explorer: move one token's embedding, watch scores, weights and the context vector."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import torch

from .._checks import check_index, check_tensor
from ..default_device import on_cpu
from ..functional import softmax_stable
from ..i18n import text as tr
from ..plots import bar_artists, bar_limits, bars_frame, vector_artists, vectors_frame
from .figures import View
from .shell import (
    Explorer,
    cpu_step,
    html_line,
    html_number,
    html_table,
    own_copy,
    slider,
    slider_limits,
    token_index,
    token_labels,
)


@dataclass(frozen=True)
class EmbeddingStep:
    """Scores, weights and context vector of one query.

    Shapes: attn_scores (T,), attn_weights (T,), context (d,)
    """

    attn_scores: torch.Tensor
    attn_weights: torch.Tensor
    context: torch.Tensor


@cpu_step
def embedding_step(x: torch.Tensor, query: int) -> EmbeddingStep:
    """ω = x · x_query, α = softmax(ω), z = Σ_i α_i x_i for one query of the embeddings x.

    Shapes: x (T, d) -> attn_scores (T,), attn_weights (T,), context (d,)
    """
    fn = "embedding_step"
    check_tensor(fn, "x", x, ndim=2)
    check_index(fn, "query", query, x.shape[0], what="a row index")
    attn_scores = x @ x[query]  # (T,)
    if not torch.isfinite(attn_scores).all():
        raise ValueError(
            f"{fn}: the scores x · x_query overflowed {x.dtype} (largest |x| "
            f"{x.abs().max().item():.3g}); expected embeddings small enough for finite scores"
        )
    attn_weights = softmax_stable(attn_scores, dim=-1)  # (T,)
    context = attn_weights @ x  # (d,)
    return EmbeddingStep(attn_scores, attn_weights, context)


def describe_embedding(step: EmbeddingStep, tokens: Sequence[str], show: str = "context") -> str:
    """The numbers of an embedding step as HTML: the scores, and with ``show="context"`` also
    the weights and the context vector.

    Shapes: as in ``EmbeddingStep``, with T = len(tokens)
    """
    rows = [(tr("explorer.score"), step.attn_scores.tolist())]
    if show == "context":
        rows.append((tr("explorer.weight"), step.attn_weights.tolist()))
    text = html_table(tokens, rows)
    if show == "context":
        context = ", ".join(html_number(v) for v in step.context.tolist())
        text += html_line(tr("explorer.context", values=context))
    return text


class EmbeddingView(View):
    """Bars of one query's scores (and weights) beside the embeddings drawn as vectors."""

    def __init__(self, tokens: Sequence[str], d: int, show: str, limits: tuple[float, float]):
        super().__init__()
        self.tokens, self.show, self.limits = list(tokens), show, limits
        self.names = [tr("explorer.score"), tr("explorer.weight")][: 2 if show == "context" else 1]
        pictured = d in (2, 3)  # the vectors are drawn only where they can be
        grid = self.fig.add_gridspec(1, 2, width_ratios=(1, 1.5)) if pictured else None
        self.ax_bars = self.fig.add_subplot(grid[0] if pictured else 111)
        bars_frame(self.ax_bars, self.tokens, self.names)
        self.ax_vectors = None
        if pictured:
            projection = "3d" if d == 3 else None
            self.ax_vectors = self.fig.add_subplot(grid[1], projection=projection)
            vectors_frame(self.ax_vectors, limits)
        self.margins(left=0.08, right=0.97, wspace=0.3)
        self.query = None

    def update(self, state: dict, result: EmbeddingStep) -> list[str] | None:
        x, query = state["x"], state["query"]
        series = dict(zip(self.names, (result.attn_scores, result.attn_weights), strict=False))
        series = {name: v.detach().to("cpu", torch.float64) for name, v in series.items()}
        frames_changed = query != self.query
        if frames_changed:
            self.ax_bars.set_title(tr("embedding.title", token=self.tokens[query]))
            self.query = query
        ylim = bar_limits(series, self.ax_bars.get_ylim() if self.groups else None)
        if ylim != self.ax_bars.get_ylim():
            self.ax_bars.set_ylim(*ylim)
            frames_changed = True
        self.replace("bars", bar_artists(self.ax_bars, series))
        if self.ax_vectors is not None:
            x = x.detach().to("cpu", torch.float64)
            context = result.context.detach().to("cpu", torch.float64)
            context = context if self.show == "context" else None
            self.replace(
                "vectors",
                vector_artists(self.ax_vectors, x, self.tokens, query, context, self.limits),
            )
        return None if frames_changed else list(self.groups)


@on_cpu
def embedding_explorer(
    tokens: Sequence[str],
    x: torch.Tensor,
    *,
    query: int | str | None = None,
    token: int | str | None = None,
    show: str = "context",
    limits: tuple[float, float] = (-0.5, 1.25),
) -> Explorer:
    """Drag one token's embedding, pick the query: scores, weights and context vector follow.

    Shapes: x (T, d) with T = len(tokens); the vector picture is drawn for d = 2 or 3

    ``query`` (default: the second token, "journey" in the journey example) and ``token`` (the
    one the sliders move, default: the query) are a token or its index. ``show="scores"`` shows
    the scores only (before softmax is introduced); ``show="context"`` adds the weights and the
    context vector, which stays inside the hull of the inputs whatever you do. The explorer
    works on its own copy of ``x``; ``limits`` is the sliders' range.
    """
    fn = "embedding_explorer"
    x = own_copy(check_tensor(fn, "x", x, ndim=2))
    tokens = token_labels(fn, tokens, x.shape[0], "x")
    if show not in ("scores", "context"):
        raise ValueError(f"{fn}: show must be 'scores' or 'context', got {show!r}")
    if query is None:
        query = min(1, len(tokens) - 1)  # "journey" in the journey example, as in the book
    query = token_index(fn, "query", tokens, query)
    token = query if token is None else token_index(fn, "token", tokens, token)
    limits = slider_limits(fn, limits, x)
    options = [(t, i) for i, t in enumerate(tokens)]
    controls = {
        "query": widgets.ToggleButtons(
            options=options, value=query, description=tr("explorer.query")
        ),
        "token": widgets.Dropdown(
            options=options,
            value=token,
            description=tr("explorer.move"),
            layout=widgets.Layout(width="200px"),
        ),
    }
    controls["query"].style.button_width = "70px"
    sliders = [slider(f"x[{j}]", float(x[token, j]), *limits, 0.01) for j in range(x.shape[1])]
    controls.update({s.description: s for s in sliders})

    def read() -> dict:
        x[controls["token"].value] = torch.tensor([s.value for s in sliders], dtype=x.dtype)
        return {"x": x, "query": controls["query"].value}

    explorer = Explorer(
        tr("explorer.name.embedding"),
        controls,
        [controls["query"], widgets.HBox([controls["token"], widgets.VBox(sliders)])],
        EmbeddingView(tokens, x.shape[1], show, limits),
        read=read,
        step=lambda state: embedding_step(state["x"], state["query"]),
        describe=lambda state, result: describe_embedding(result, tokens, show),
        quiet=("token",),
    )

    def move_another_token(change) -> None:
        # The sliders now show another token: nothing moved yet, so nothing to recompute.
        with explorer.holding():
            for j, s in enumerate(sliders):
                s.value = float(x[change["new"], j])

    controls["token"].observe(move_another_token, names="value")
    return explorer
