"""Heads explorer: cut the same d_out = 6 projections into 1, 2, 3 or 6 heads, scale the weights."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import torch
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize

from .._checks import check_number, check_positive_int, check_seed, check_tensor
from ..data import JOURNEY_TOKENS, journey_embeddings
from ..default_device import on_cpu
from ..functional import attention
from ..i18n import text as tr
from ..plots import heatmap_artists, heatmap_frame
from .figures import View
from .shell import (
    Explorer,
    choice_slider,
    cpu_step,
    html_line,
    html_table,
    own_copy,
    slider,
    token_labels,
)

#: The head counts the explorer offers: every divisor of D_OUT, so every head has d_out / H features.
HEAD_CHOICES = (1, 2, 3, 6)
D_OUT = 6
#: A head is called saturated when its rows put, on average, this much weight on one key (as 05).
SATURATED = 0.9
MAX_SCALE = 4.0
#: Weights run from 0 to 1: a perceptually uniform map, legible to colour-blind eyes.
WEIGHTS_CMAP = "viridis"


@dataclass(frozen=True)
class HeadsStep:
    """Multi-head self-attention of x with n_heads heads of d_head = d_out / n_heads features.

    Shapes: attn_weights (H, T, T), head_outputs (H, T, d_head), concat (T, d_out),
    out (T, d_out) = concat W_oᵀ, largest (H,): each head's largest weight, averaged over rows
    """

    n_heads: int
    attn_weights: torch.Tensor
    head_outputs: torch.Tensor
    concat: torch.Tensor
    out: torch.Tensor
    largest: torch.Tensor

    @property
    def saturated(self) -> list[int]:
        """The heads whose rows are nearly one-hot."""
        return [h for h, value in enumerate(self.largest.tolist()) if value >= SATURATED]


def heads_weights(d_in: int, d_out: int = D_OUT, *, seed: int = 123) -> dict[str, torch.Tensor]:
    """W_q, W_k, W_v (d_out, d_in) and W_o (d_out, d_out), drawn on the CPU from ``seed``.

    W_q and W_k are standard normal (the explorer multiplies them by its scale); W_v and W_o are
    divided by √fan_in, so the outputs stay near 1 whatever the scale.
    """
    fn = "heads_weights"
    d_in, d_out = check_positive_int(fn, "d_in", d_in), check_positive_int(fn, "d_out", d_out)
    generator = torch.Generator().manual_seed(check_seed(fn, "seed", seed))
    W_q, W_k, W_v = (torch.randn(d_out, d_in, generator=generator) for _ in range(3))
    W_o = torch.randn(d_out, d_out, generator=generator)
    return {"W_q": W_q, "W_k": W_k, "W_v": W_v / d_in**0.5, "W_o": W_o / d_out**0.5}


@cpu_step
def heads_step(
    x: torch.Tensor, weights: dict[str, torch.Tensor], n_heads: int, scale: float
) -> HeadsStep:
    """Project x with ``weights``, split into n_heads heads, attend, merge and apply W_o.

    Shapes: x (T, d_in), weights as ``heads_weights`` makes them -> ``HeadsStep``

    The query and key matrices are multiplied by ``scale``: the scores grow by scale², and a
    large scale saturates the heads, as notebook 05 showed for unscaled scores.
    """
    fn = "heads_step"
    check_tensor(fn, "x", x, ndim=2)
    n_heads = check_positive_int(fn, "n_heads", n_heads)
    scale = check_number(fn, "scale", scale, minimum=0.0, expected="a number ≥ 0")
    if not isinstance(weights, Mapping):
        raise TypeError(f"{fn}: weights must be a dict as heads_weights makes it, got {weights!r}")
    for name in ("W_q", "W_k", "W_v", "W_o"):
        check_tensor(fn, f"weights[{name!r}]", weights.get(name), ndim=2)
    T, d_out = x.shape[0], weights["W_q"].shape[0]
    if d_out % n_heads:
        raise ValueError(f"{fn}: n_heads must divide d_out={d_out}, got n_heads={n_heads}")
    d_head = d_out // n_heads

    def split(w: torch.Tensor) -> torch.Tensor:  # (d_out, d_in) -> (H, T, d_head)
        return (x @ w.T).view(T, n_heads, d_head).transpose(0, 1)

    q, k, v = split(scale * weights["W_q"]), split(scale * weights["W_k"]), split(weights["W_v"])
    head_outputs, attn_weights = attention(q, k, v)  # (H, T, d_head), (H, T, T)
    concat = head_outputs.transpose(0, 1).reshape(T, d_out)  # (T, d_out): heads side by side
    out = concat @ weights["W_o"].T  # (T, d_out): W_o mixes the heads
    largest = attn_weights.max(dim=-1).values.mean(dim=-1)  # (H,)
    return HeadsStep(n_heads, attn_weights, head_outputs, concat, out, largest)


def describe_heads(step: HeadsStep, scale: float) -> str:
    """Each head's largest weight and the saturation verdict, as HTML."""
    H = step.n_heads
    table = html_table(
        [tr("heads.head", head=h) for h in range(H)], [(tr("heads.largest"), step.largest.tolist())]
    )
    setup = tr("heads.setup", n_heads=H, d_head=step.concat.shape[-1] // H, scale=scale)
    saturated = step.saturated
    if not saturated:
        verdict = tr("heads.none_saturated", threshold=SATURATED)
    elif len(saturated) == H:
        verdict = tr("heads.all_saturated", threshold=SATURATED)
    else:
        heads = ", ".join(str(h) for h in saturated)
        verdict = tr("heads.some_saturated", heads=heads, threshold=SATURATED)
    return html_line(setup) + table + html_line(verdict)


class HeadsView(View):
    """Top: one weight map per head. Bottom: the heads' outputs side by side, and the merged output.

    Each number of heads has its own axes, made the first time it is shown and hidden while
    another is; the renderer keeps each one's frame, so coming back to a number of heads redraws
    only the numbers.
    """

    figsize = (7.6, 5.4)

    def __init__(self, tokens: Sequence[str]):
        super().__init__()
        self.tokens = list(tokens)
        self.layouts: dict[int, list] = {}  # n_heads -> [head axes, concat, out, colorbar]

    def _make_layout(self, n_heads: int, d_out: int) -> list:
        grid = self.fig.add_gridspec(2, max(n_heads, 2), height_ratios=(1, 1))
        head_axes = [self.fig.add_subplot(grid[0, h]) for h in range(n_heads)]
        for h, ax in enumerate(head_axes):
            heatmap_frame(ax, self.tokens, self.tokens, tr("heads.head", head=h))
            if h:
                ax.set_yticklabels([])
                ax.set_ylabel("")
            if n_heads > 3:  # six maps side by side: too narrow for the keys' names
                ax.set_xticklabels([])
            if h:
                ax.set_xlabel("")
        half = max(n_heads, 2) // 2
        features = [str(f) for f in range(d_out)]
        concat_ax = self.fig.add_subplot(grid[1, :half])
        out_ax = self.fig.add_subplot(grid[1, half:])
        for ax, title in ((concat_ax, "heads.concat_title"), (out_ax, "heads.out_title")):
            heatmap_frame(ax, self.tokens, features, tr(title))
            ax.set_xticklabels(features, rotation=0, ha="center")
            ax.set_xlabel(tr("heads.feature_axis"))
        out_ax.set_ylabel("")
        d_head = d_out // n_heads
        for h in range(1, n_heads):  # where one head's features end and the next one's begin
            concat_ax.axvline(h * d_head - 0.5, color="black", lw=2)
        self.margins(left=0.11, right=0.9, bottom=0.08, top=0.95, hspace=0.7, wspace=0.25)
        top = grid[0, :].get_position(self.fig)  # the row of maps, before their aspect shrinks them
        cax = self.fig.add_axes((0.92, top.y0, 0.015, top.height))
        colorbar = self.fig.colorbar(ScalarMappable(Normalize(0.0, 1.0), WEIGHTS_CMAP), cax=cax)
        colorbar.set_label(tr("explorer.weights"))
        return [*head_axes, concat_ax, out_ax, cax]

    def update(self, state: dict, result: HeadsStep) -> list[str] | None:
        full = result.n_heads != self.frame
        if full:  # show this number of heads' axes (made the first time), hide the others'
            for name in list(self.groups):
                self.replace(name, [])
                del self.groups[name]
            if result.n_heads not in self.layouts:
                self.layouts[result.n_heads] = self._make_layout(
                    result.n_heads, result.concat.shape[-1]
                )
            for n, axes in self.layouts.items():
                for ax in axes:
                    ax.set_visible(n == result.n_heads)
            self.frame = result.n_heads
        *self.head_axes, self.concat_ax, self.out_ax, _ = self.layouts[result.n_heads]
        for h, ax in enumerate(self.head_axes):
            # Colours only: up to six maps of 36 numbers would not fit, nor redraw in time; the
            # readout gives each head's largest weight.
            weights = result.attn_weights[h].detach().to("cpu", torch.float64).numpy()
            image = ax.imshow(
                weights, cmap=WEIGHTS_CMAP, vmin=0.0, vmax=1.0, interpolation="nearest"
            )
            self.replace(f"head{h}", [image])
        limit = float(torch.cat([result.concat, result.out]).abs().max()) or 1.0
        for name, ax, m in (
            ("concat", self.concat_ax, result.concat),
            ("out", self.out_ax, result.out),
        ):
            m = m.detach().to("cpu", torch.float64)
            artists = heatmap_artists(ax, m, kind="scores", fmt="{:.1f}", limits=(-limit, limit))
            self.replace(name, artists)
        return None if full else list(self.groups)


@on_cpu
def heads_explorer(
    tokens: Sequence[str] | None = None,
    x: torch.Tensor | None = None,
    *,
    n_heads: int = 3,
    scale: float = 2.0,
    seed: int = 123,
) -> Explorer:
    """Choose the number of heads and the scale of W_q and W_k: each head's map, output and the merge.

    Shapes: x (T, d_in) with T = len(tokens); the projections have d_out = 6 features, cut into
    n_heads heads of 6 / n_heads features

    Defaults: the journey example. The projections are the same for every head count: more heads
    only cut the same six features into narrower pieces, each with a map of its own.
    """
    fn = "heads_explorer"
    x = journey_embeddings() if x is None else x
    tokens = JOURNEY_TOKENS if tokens is None else tokens
    check_tensor(fn, "x", x, ndim=2)
    tokens = token_labels(fn, tokens, x.shape[0], "x")
    if n_heads not in HEAD_CHOICES:
        raise ValueError(f"{fn}: n_heads must be one of {HEAD_CHOICES}, got {n_heads!r}")
    scale = check_number(fn, "scale", scale, minimum=0.0, expected="a number ≥ 0")
    if scale > MAX_SCALE:
        raise ValueError(f"{fn}: scale must be at most {MAX_SCALE} (the slider's end), got {scale}")
    seed = check_seed(fn, "seed", seed)
    x = own_copy(x)
    weights = heads_weights(x.shape[1], D_OUT, seed=seed)
    controls = {
        "n_heads": choice_slider(tr("heads.n_heads"), HEAD_CHOICES, n_heads),
        "scale": slider(tr("heads.scale"), scale, 0.0, MAX_SCALE, 0.1),
    }
    return Explorer(
        tr("heads.title"),
        controls,
        [widgets.HBox([controls["n_heads"], controls["scale"]])],
        HeadsView(tokens),
        read=lambda: {
            "n_heads": int(controls["n_heads"].value),
            "scale": float(controls["scale"].value),
        },
        step=lambda state: heads_step(x, weights, state["n_heads"], state["scale"]),
        describe=lambda state, result: describe_heads(result, state["scale"]),
    )
