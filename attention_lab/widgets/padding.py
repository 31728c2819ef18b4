"""Padding explorer: one sentence in a padded batch, padded on the right or the left, its keys masked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import torch
from matplotlib import rcParams
from matplotlib.axes import Axes
from matplotlib.text import Text

from .._checks import check_positive_int, check_tensor
from ..data import JOURNEY_TOKENS, journey_embeddings
from ..default_device import on_cpu
from ..functional import attention
from ..i18n import text as tr
from ..plots import heatmap_artists, heatmap_frame
from .figures import View
from .shell import Explorer, cpu_step, html_line, html_table, int_slider, own_copy, token_labels

#: The label of a padding position.
PAD = "<pad>"

#: Where the padding goes: after the real tokens (right) or before them (left).
SIDES = ("right", "left")


@dataclass(frozen=True)
class PaddingStep:
    """One sentence of ``length`` real tokens padded to T positions, and its masked attention.

    Shapes: x (T, d) with zero rows at the padding, key_mask (T,) True at the real tokens,
            attn_scores (T, T) with -inf in the padding's columns, attn_weights (T, T)
    """

    x: torch.Tensor
    key_mask: torch.Tensor
    attn_scores: torch.Tensor
    attn_weights: torch.Tensor


def padding_mask(length: int, T: int, side: str) -> torch.Tensor:
    """True at the ``length`` real positions of T: the first ones (right padding) or the last.

    Shapes: returns (T,), bool
    """
    length, T, side = _check_padding("padding_mask", length, T, side)
    positions = torch.arange(T)  # (T,)
    return positions < length if side == "right" else positions >= T - length


@cpu_step
def padding_step(x: torch.Tensor, length: int, side: str) -> PaddingStep:
    """The first ``length`` rows of x as a sentence padded to T = len(x), attending with a key mask.

    Shapes: x (T, d) -> as in ``PaddingStep``

    Queries, keys and values are the padded x (as ``attention(x, x, x, mask)``), the mask hiding
    the padding's keys from every query; the padding's own rows still get weights, and a model
    throws their outputs away.
    """
    fn = "padding_step"
    check_tensor(fn, "x", x, ndim=2)
    T = x.shape[0]
    key_mask = padding_mask(_check_length(fn, length, T), T, side)
    padded = torch.zeros_like(x)
    padded[key_mask] = x[: int(key_mask.sum())]  # the real tokens keep their order
    _, attn_weights = attention(padded, padded, padded, key_mask)  # mask (T,) broadcasts
    attn_scores = (padded @ padded.T * x.shape[-1] ** -0.5).masked_fill(~key_mask, float("-inf"))
    return PaddingStep(padded, key_mask, attn_scores, attn_weights)


def padded_tokens(tokens: Sequence[str], length: int, side: str) -> tuple[str, ...]:
    """The first ``length`` tokens with ``PAD`` labels on the right or the left, len(tokens) in all."""
    T = len(tokens)
    length, T, side = _check_padding("padded_tokens", length, T, side)
    pads = (PAD,) * (T - length)
    real = tuple(tokens[:length])
    return real + pads if side == "right" else pads + real


def _check_length(fn: str, length: object, T: int) -> int:
    length = check_positive_int(fn, "length", length)
    if length > T:
        raise ValueError(f"{fn}: length must be at most T={T}, the padded length, got {length}")
    return length


def _check_padding(fn: str, length: object, T: object, side: object) -> tuple[int, int, str]:
    T = check_positive_int(fn, "T", T)
    length = _check_length(fn, length, T)
    if side not in SIDES:
        raise ValueError(f"{fn}: side must be 'right' or 'left', got {side!r}")
    return length, T, side


def describe_padding(step: PaddingStep, tokens: Sequence[str]) -> str:
    """Row sums, and the weight each row gives the padding (0: the mask works), as HTML.

    Shapes: as in ``PaddingStep``, with T = len(tokens)
    """
    on_padding = step.attn_weights[:, ~step.key_mask].sum(dim=-1)  # (T,)
    text = html_table(
        tokens,
        [
            (tr("explorer.row_sum"), step.attn_weights.sum(dim=-1).tolist()),
            (tr("padding.on_padding"), on_padding.tolist()),
        ],
    )
    real = int(step.key_mask.sum())
    return text + html_line(tr("padding.summary", real=real, pads=len(tokens) - real))


class PaddingView(View):
    """Masked scores (left) and weights (right); the token labels follow the padding.

    The labels move with every change of length or side, so they are drawn as a group of their
    own, over tick labels kept invisible (the widest label, to hold the axis titles clear): the
    frame stays put and a move redraws only the groups.
    """

    figsize = (7.2, 3.3)

    def __init__(self, tokens: Sequence[str]) -> None:
        super().__init__()
        self.axes = [self.fig.add_subplot(1, 2, i + 1) for i in range(2)]
        widest = [max([*tokens, PAD], key=len)] * len(tokens)
        titles = (tr("causal.scores_title"), tr("explorer.weights"))
        for ax, title in zip(self.axes, titles, strict=True):
            heatmap_frame(ax, widest, widest, title)
            for tick_label in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
                tick_label.set_alpha(0.0)  # holds the space; the group draws the real labels
        self.margins(left=0.14, right=0.98, bottom=0.28, wspace=0.5)

    def update(self, state: dict, result: PaddingStep) -> list[str]:
        matrices = {"scores": result.attn_scores, "weights": result.attn_weights}
        for ax, (name, m) in zip(self.axes, matrices.items(), strict=True):
            self.replace(name, heatmap_artists(ax, m.detach().to("cpu"), kind=name))
        labels = state["labels"]
        self.replace("labels", [a for ax in self.axes for a in token_label_artists(ax, labels)])
        return [*matrices, "labels"]


def token_label_artists(ax: Axes, labels: Sequence[str]) -> list[Text]:
    """The tokens where a heatmap's tick labels stand (keys below, rotated; queries to the
    left), as Text artists that can be redrawn without the frame."""
    keys, queries = ax.get_xticklabels(), ax.get_yticklabels()
    pad = rcParams["xtick.major.size"] + rcParams["xtick.major.pad"]  # points, as tick labels
    below, left = ax.get_xaxis_text1_transform(pad)[0], ax.get_yaxis_text1_transform(pad)[0]
    style = {"fontsize": keys[0].get_fontsize(), "color": keys[0].get_color()}
    return [
        *(ax.text(j, 0, t, transform=below, rotation=45, ha="right", va="top", **style)
          for j, t in enumerate(labels)),
        *(ax.text(0, i, t, transform=left, ha="right", va="center", **style)
          for i, t in enumerate(labels)),
    ] if keys and queries else []  # fmt: skip


@on_cpu
def padding_explorer(
    tokens: Sequence[str] | None = None,
    x: torch.Tensor | None = None,
    *,
    length: int = 4,
    side: str = "right",
) -> Explorer:
    """Choose a sentence's length and the padding side; see the padding's keys masked.

    Shapes: x (T, d) with T = len(tokens); the sentence is its first ``length`` rows, padded to T

    Defaults: the journey example, four real tokens and two of padding on the right.
    """
    fn = "padding_explorer"
    x = journey_embeddings() if x is None else x
    tokens = JOURNEY_TOKENS if tokens is None else tokens
    check_tensor(fn, "x", x, ndim=2)
    tokens = token_labels(fn, tokens, x.shape[0], "x")
    _check_padding(fn, length, x.shape[0], side)
    x = own_copy(x)
    controls = {
        "length": int_slider(tr("padding.length"), length, 1, x.shape[0], width="320px"),
        "side": widgets.ToggleButtons(
            options=[(tr(f"padding.side.{s}"), s) for s in SIDES],
            value=side,
            description=tr("padding.side"),
        ),
    }

    def read() -> dict:
        length, side = int(controls["length"].value), str(controls["side"].value)
        return {"length": length, "side": side, "labels": padded_tokens(tokens, length, side)}

    return Explorer(
        tr("explorer.name.padding"),
        controls,
        [widgets.HBox([controls["length"], controls["side"]])],
        PaddingView(tokens),
        read=read,
        step=lambda state: padding_step(x, state["length"], state["side"]),
        describe=lambda state, result: describe_padding(result, state["labels"]),
    )
