"""Learned-attention explorer: pick a layer and a head of a trained model, see where it looks."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import torch

from .._checks import check_index, check_tensor, shape_str
from ..default_device import on_cpu
from ..i18n import text as tr
from ..plots import CONTEXT_COLOR, heatmap_frame
from ..tiny_model import (
    TinyTransformer,
    check_square_weights,
    check_token_tensor,
    induction_score,
    induction_targets,
    previous_token_score,
)
from .figures import View
from .shell import Explorer, cpu_step, html_line, int_slider, own_copy


@dataclass(frozen=True)
class LearnedStep:
    """One head's weights, where an induction head would look, and the head's two scores.

    Shapes: attn_weights (T, T), targets (T, T) bool; scores are floats
    """

    layer: int
    head: int
    attn_weights: torch.Tensor
    targets: torch.Tensor
    induction: float
    previous_token: float


@cpu_step
def learned_step(attn_weights: torch.Tensor, tokens: torch.Tensor, layer: int, head: int):
    """Head ``head`` of layer ``layer``: its weights, its induction and previous-token scores.

    Shapes: attn_weights (n_layers, n_heads, T, T), tokens (T,) -> LearnedStep
    """
    layer, head = _check_step("learned_step", attn_weights, tokens, layer, head)
    weights = attn_weights[layer, head]  # (T, T)
    return LearnedStep(
        layer,
        head,
        weights,
        induction_targets(tokens),
        float(induction_score(weights, tokens)),
        float(previous_token_score(weights)),
    )


@cpu_step
def _check_step(
    fn: str, attn_weights: object, tokens: object, layer: object, head: object
) -> tuple[int, int]:
    """Check the step's arguments in the name of ``fn``; return layer and head as ints."""
    check_tensor(fn, "attn_weights", attn_weights, ndim=4)  # (n_layers, n_heads, T, T)
    T = check_square_weights(fn, attn_weights, at_least=2)
    check_token_tensor(fn, tokens)
    if tokens.shape != (T,):
        raise ValueError(
            f"{fn}: tokens must be (T,) = ({T},), one id per row of attn_weights, got "
            f"{shape_str(tokens)}"
        )
    layer = check_index(fn, "layer", layer, attn_weights.shape[0], what="a layer")
    return layer, check_index(fn, "head", head, attn_weights.shape[1], what="a head")


def describe_learned(step: LearnedStep) -> str:
    """The head's two scores as HTML."""
    return html_line(
        tr(
            "learned.scores",
            layer=step.layer,
            head=step.head,
            induction=step.induction,
            previous=step.previous_token,
        )
    )


class LearnedView(View):
    """The head's weights as a heatmap, rings where an induction head would put its weight."""

    figsize = (4.6, 4.4)

    def __init__(self, tokens: list[str]):
        super().__init__()
        self.ax = self.fig.add_subplot(1, 1, 1)
        heatmap_frame(self.ax, tokens, tokens, "")
        self.ax.tick_params(labelsize=7)
        self.margins(left=0.14, right=0.97, bottom=0.14, top=0.91)

    def update(self, state: dict, result: LearnedStep) -> list[str]:
        ax = self.ax
        weights = result.attn_weights.detach().to("cpu", torch.float64).numpy()
        image = ax.imshow(weights, cmap="Blues", vmin=0, vmax=1, interpolation="nearest")
        rows, cols = result.targets.nonzero(as_tuple=True)
        rings = ax.scatter(cols, rows, s=30, facecolors="none", edgecolors=CONTEXT_COLOR, lw=1.2)
        title = tr("learned.figure.title", layer=result.layer, head=result.head)
        label = ax.text(0.5, 1.02, title, transform=ax.transAxes, ha="center")
        self.replace("weights", [image, rings, label])
        return ["weights"]


def default_example() -> tuple[torch.Tensor, torch.Tensor]:
    """An untrained TinyTransformer's weights on 12 random tokens said twice (seeds 0 and 1).

    Shapes: -> attn_weights (2, 2, 24, 24), tokens (24,)
    """
    with torch.random.fork_rng(devices=[]):  # leave the caller's global generator alone
        torch.manual_seed(0)
        model = TinyTransformer(vocab_size=32, context_length=32)
    first = torch.randint(32, (12,), generator=torch.Generator().manual_seed(1))
    tokens = torch.cat([first, first])  # (24,)
    with torch.no_grad():
        _, attn_weights = model(tokens[None])
    return attn_weights[0], tokens


@on_cpu
def learned_explorer(
    attn_weights: torch.Tensor | None = None,
    tokens: torch.Tensor | None = None,
    *,
    layer: int = 0,
    head: int = 0,
) -> Explorer:
    """Sliders for the layer and the head: where each head of a model looks, on one sequence.

    Shapes: attn_weights (n_layers, n_heads, T, T), tokens (T,): one sequence's weights, as
            ``TinyTransformer`` returns them for a batch of one (take ``[0]``)

    Default: an untrained model on a repeated sequence. Rings mark the induction targets, the
    positions just after an earlier occurrence of the query's token.
    """
    fn = "learned_explorer"
    if (attn_weights is None) != (tokens is None):
        raise TypeError(
            f"{fn}: pass both attn_weights and tokens, or neither (the default example)"
        )
    if attn_weights is None:
        attn_weights, tokens = default_example()
    _check_step(fn, attn_weights, tokens, layer, head)  # a bad start fails the cell, in our name
    start = learned_step(attn_weights, tokens, layer, head)
    attn_weights, tokens = own_copy(attn_weights), own_copy(tokens)
    n_layers, n_heads = attn_weights.shape[:2]

    controls = {
        "layer": int_slider(
            tr("learned.control.layer"), start.layer, 0, n_layers - 1, width="260px"
        ),
        "head": int_slider(tr("learned.control.head"), start.head, 0, n_heads - 1, width="260px"),
    }
    return Explorer(
        tr("learned.title"),
        controls,
        [widgets.HBox([controls["layer"], controls["head"]])],
        LearnedView([str(t) for t in tokens.tolist()]),
        read=lambda: {name: int(control.value) for name, control in controls.items()},
        step=lambda state: learned_step(attn_weights, tokens, state["layer"], state["head"]),
        describe=lambda state, result: describe_learned(result),
    )
