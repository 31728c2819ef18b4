"""Scaling explorer: grow d_k, watch the dot products spread and softmax turn one-hot."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from .._checks import check_positive_int, check_seed
from ..default_device import on_cpu
from ..functional import softmax_stable
from ..i18n import text as tr
from ..plots import bar_artists, bars_frame, spread_artists, spread_frame, spread_limit
from .figures import View
from .shell import Explorer, cpu_step, html_line, html_table, int_slider


@dataclass(frozen=True)
class ScalingStep:
    """Scores of random queries against random keys, with and without ÷√d_k.

    Shapes: attn_scores, scaled_scores, weights, scaled_weights: all (n_queries, n_keys)
    """

    d_k: int
    attn_scores: torch.Tensor
    scaled_scores: torch.Tensor
    weights: torch.Tensor
    scaled_weights: torch.Tensor

    @property
    def peakedness(self) -> tuple[float, float]:
        """Mean largest weight per query, without and with ÷√d_k (1 = one-hot, 1/n_keys = flat)."""
        return (
            float(self.weights.amax(dim=-1).mean()),
            float(self.scaled_weights.amax(dim=-1).mean()),
        )


@cpu_step
def scaling_step(d_k: int, *, n_queries: int = 256, n_keys: int = 8, seed: int = 0) -> ScalingStep:
    """Random q, k with unit-variance entries: ω = q kᵀ spreads like √d_k, ω / √d_k does not.

    Shapes: q (n_queries, d_k), k (n_keys, d_k) -> attn_scores (n_queries, n_keys)
    """
    seed = _check_scaling("scaling_step", d_k, n_queries, n_keys, seed)
    generator = torch.Generator().manual_seed(seed)
    q = torch.randn(n_queries, d_k, generator=generator, dtype=torch.float64)
    k = torch.randn(n_keys, d_k, generator=generator, dtype=torch.float64)
    attn_scores = q @ k.T  # (n_queries, n_keys)
    scaled_scores = attn_scores / math.sqrt(d_k)
    return ScalingStep(
        d_k=d_k,
        attn_scores=attn_scores,
        scaled_scores=scaled_scores,
        weights=softmax_stable(attn_scores, dim=-1),
        scaled_weights=softmax_stable(scaled_scores, dim=-1),
    )


def _check_scaling(fn: str, d_k: object, n_queries: object, n_keys: object, seed: object) -> int:
    """Check the step's arguments; return the seed as a Python int (a numpy int seeds nothing)."""
    for name, value in (("d_k", d_k), ("n_queries", n_queries), ("n_keys", n_keys)):
        check_positive_int(fn, name, value)
    return check_seed(fn, "seed", seed)


def describe_scaling(step: ScalingStep) -> str:
    """The spread of the scores and the peakedness of softmax, with and without ÷√d_k, as HTML."""
    peaked, scaled_peaked = step.peakedness
    n_queries, n_keys = step.attn_scores.shape
    rows = [
        ("q·k", [float(step.attn_scores.std()), peaked]),
        ("q·k / √d_k", [float(step.scaled_scores.std()), scaled_peaked]),
    ]
    setup = tr(
        "scaling.setup",
        d_k=step.d_k,
        sqrt_d_k=math.sqrt(step.d_k),
        n_queries=n_queries,
        n_keys=n_keys,
    )
    return html_line(setup) + html_table([tr("scaling.std"), tr("scaling.peak")], rows)


class ScalingView(View):
    """Histograms of the scores beside one query's weights, with and without ÷√d_k."""

    names = ("softmax(q·k)", "softmax(q·k / √d_k)")

    def __init__(self, n_keys: int):
        super().__init__()
        self.keys = [f"k{j + 1}" for j in range(n_keys)]
        self.ax_spread = self.fig.add_subplot(1, 2, 1)
        self.limit = None
        self.ax_bars = self.fig.add_subplot(1, 2, 2)
        bars_frame(
            self.ax_bars,
            self.keys,
            self.names,
            title=tr("scaling.bars_title"),
            legend="upper right",
        )
        self.ax_bars.set_ylim(0.0, 1.15)
        self.margins(left=0.05, right=0.98, bottom=0.18, wspace=0.2)

    def update(self, state: dict, result: ScalingStep) -> list[str] | None:
        limit = spread_limit(result.attn_scores, result.scaled_scores, current=self.limit)
        frames_changed = limit != self.limit
        if frames_changed:
            self.limit = limit
            spread_frame(self.ax_spread, limit)
        raw, scaled = result.attn_scores.flatten(), result.scaled_scores.flatten()
        self.replace("spread", spread_artists(self.ax_spread, raw, scaled, limit))
        first_query = (result.weights[0], result.scaled_weights[0])
        self.replace(
            "bars", bar_artists(self.ax_bars, dict(zip(self.names, first_query, strict=True)))
        )
        return None if frames_changed else list(self.groups)


@on_cpu
def scaling_explorer(
    d_k: int = 64,
    *,
    max_d_k: int = 512,
    n_queries: int = 256,
    n_keys: int = 8,
    seed: int = 0,
) -> Explorer:
    """A d_k slider: the spread of q·k and the peakedness of softmax, with and without ÷√d_k.

    Shapes: random q (n_queries, d_k) and k (n_keys, d_k), entries drawn from N(0, 1)

    The entries have variance 1, so a dot product of d_k of them has variance d_k: its spread
    grows like √d_k and softmax turns nearly one-hot, unless the scores are divided by √d_k.
    """
    fn = "scaling_explorer"
    max_d_k = check_positive_int(fn, "max_d_k", max_d_k)
    _check_scaling(fn, d_k, n_queries, n_keys, seed)
    if d_k > max_d_k:
        raise ValueError(f"{fn}: d_k must be at most max_d_k={max_d_k}, got {d_k}")
    controls = {"d_k": int_slider(tr("scaling.d_k"), d_k, 1, max_d_k, width="420px")}
    return Explorer(
        tr("explorer.name.scaling"),
        controls,
        [controls["d_k"]],
        ScalingView(n_keys),
        read=lambda: {"d_k": int(controls["d_k"].value)},
        step=lambda state: scaling_step(
            state["d_k"], n_queries=n_queries, n_keys=n_keys, seed=seed
        ),
        describe=lambda state, result: describe_scaling(result),
    )
