"""Softmax explorer: scale the scores, change the dtype, watch the naive formula overflow."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import torch
from matplotlib.artist import Artist

from .._checks import check_scale, check_tensor
from ..data import JOURNEY_TOKENS, journey_embeddings
from ..default_device import on_cpu
from ..functional import exp_overflow_threshold, softmax_naive, softmax_stable, sum_overflow_scale
from ..i18n import text as tr
from ..plots import OVERFLOW_COLOR, bar_artists, bars_frame, plot_softmax_curves, scale_marker
from .figures import View
from .shell import Explorer, cpu_step, html_line, html_table, own_copy, token_labels

#: The floating-point types the softmax explorer offers, by the names it shows.
DTYPES = {
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
}
#: The scales the explorer's slider spans: from uniform weights to a one-hot choice.
SCALE_RANGE = (0.01, 1000.0)


@dataclass(frozen=True)
class SoftmaxStep:
    """One softmax computed two ways in one dtype.

    Shapes: scaled_scores, exp_scores, naive, stable: all (T,), in that dtype; exp_sum ()
    """

    scaled_scores: torch.Tensor
    exp_scores: torch.Tensor
    exp_sum: torch.Tensor
    naive: torch.Tensor
    stable: torch.Tensor

    @property
    def overflowed(self) -> bool:
        """Whether the naive softmax produced inf or NaN."""
        return bool((~torch.isfinite(self.naive)).any())


def _dtype(fn: str, dtype: object) -> torch.dtype:
    if isinstance(dtype, str) and dtype in DTYPES:
        return DTYPES[dtype]
    if isinstance(dtype, torch.dtype) and dtype in DTYPES.values():
        return dtype
    raise ValueError(f"{fn}: dtype must be one of {list(DTYPES)}, got {dtype!r}")


def _dtype_name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


@cpu_step
def softmax_step(attn_scores: torch.Tensor, scale: float, dtype: torch.dtype | str) -> SoftmaxStep:
    """softmax(scale · ω) in ``dtype``, by the naive formula and by the stable one.

    Shapes: attn_scores (T,) -> every field of the result (T,)

    The product scale · ω is formed in float64 and then rounded to ``dtype``, so what overflows
    is the softmax, not the multiplication; a product too large for ``dtype`` itself (above
    65504 in float16) is a ValueError.
    """
    fn = "softmax_step"
    check_tensor(fn, "attn_scores", attn_scores, ndim=1)
    scale = check_scale(fn, scale)
    dtype = _dtype(fn, dtype)
    scaled = attn_scores.detach().to("cpu", torch.float64) * scale  # (T,)
    largest = float(scaled.abs().max())
    if largest > torch.finfo(dtype).max:
        raise ValueError(
            f"{fn}: scale · ω reaches {largest:.4g}, more than the largest {_dtype_name(dtype)} "
            f"({torch.finfo(dtype).max:.4g}); lower the scale"
        )
    scaled = scaled.to(dtype)  # (T,)
    exp_scores = torch.exp(scaled)  # (T,)
    return SoftmaxStep(
        scaled_scores=scaled,
        exp_scores=exp_scores,
        exp_sum=exp_scores.sum(),  # what softmax_naive divides by, in the same dtype
        naive=softmax_naive(scaled, dim=-1),
        stable=softmax_stable(scaled, dim=-1),
    )


def describe_softmax(step: SoftmaxStep, tokens: Sequence[str]) -> str:
    """The numbers of a softmax step as an HTML table, and a verdict that matches them.

    Shapes: as in ``SoftmaxStep``, with T = len(tokens)

    The verdict names what the naive formula did: a term exp(x) overflowed (inf / inf = nan),
    the sum overflowed while every term was finite (x / inf = 0 for every weight), or nothing
    overflowed but the two formulas round differently in a narrow dtype (then it says by how
    much); "agree" only when every weight shown is the same, digit for digit.
    """
    fmt = "{:.4g}"
    rows = [
        (tr("softmax.scaled"), step.scaled_scores.tolist()),
        (tr("softmax.exp"), step.exp_scores.tolist()),
        (tr("softmax.naive"), step.naive.tolist()),
        (tr("softmax.stable"), step.stable.tolist()),
    ]
    dtype = step.scaled_scores.dtype
    name = _dtype_name(dtype)
    overflow = [
        tok for tok, e in zip(tokens, step.exp_scores.tolist(), strict=True) if math.isinf(e)
    ]
    if overflow:
        verdict = tr("softmax.term_overflow", tokens=", ".join(overflow))
    elif math.isinf(step.exp_sum.item()):
        verdict = tr("softmax.sum_overflow")
    elif [fmt.format(v) for v in step.naive.tolist()] != [
        fmt.format(v) for v in step.stable.tolist()
    ]:
        gap = (step.naive.double() - step.stable.double()).abs().max().item()
        verdict = tr("softmax.rounding", dtype=name, gap=gap)
    else:
        verdict = tr("softmax.agree")
    limits = tr(
        "softmax.limits",
        dtype=name,
        threshold=exp_overflow_threshold(dtype),
        largest=torch.finfo(dtype).max,
    )
    return html_table(tokens, rows, fmt=fmt) + html_line(html.escape(f"{limits} {verdict}"))


class SoftmaxView(View):
    """Naive and stable softmax as bars, beside the true weights as the scale grows."""

    def __init__(self, attn_scores: torch.Tensor, tokens: Sequence[str], scale_range):
        super().__init__()
        self.attn_scores, self.tokens, self.scale_range = attn_scores, list(tokens), scale_range
        self.ax_bars = self.fig.add_subplot(1, 2, 1)
        self.names = [tr("softmax.naive"), tr("softmax.stable")]
        bars_frame(self.ax_bars, self.tokens, self.names)
        self.ax_bars.set_ylim(-0.05, 1.15)  # weights live in [0, 1]: the frame never moves
        self.ax_curves = self.fig.add_subplot(1, 2, 2)
        plot_softmax_curves(attn_scores, self.tokens, scale_range=scale_range, ax=self.ax_curves)
        self.margins(left=0.08, right=0.97, wspace=0.3)
        self.dtype = None
        self.overflow_marks: list[Artist] = []

    def update(self, state: dict, result: SoftmaxStep) -> list[str] | None:
        dtype = result.scaled_scores.dtype
        frames_changed = dtype != self.dtype
        if frames_changed:
            self.dtype = dtype
            self.ax_bars.set_title(tr("softmax.title", dtype=_dtype_name(dtype)))
            self._mark_overflow(dtype)
        series = dict(zip(self.names, (result.naive, result.stable), strict=True))
        series = {name: v.detach().to("cpu", torch.float64) for name, v in series.items()}
        self.replace("bars", bar_artists(self.ax_bars, series))
        self.replace("scale", scale_marker(self.ax_curves, state["scale"]))
        return None if frames_changed else list(self.groups)

    def _mark_overflow(self, dtype: torch.dtype) -> None:
        """Shade the scales at which Σ exp(scale · ω) overflows in ``dtype``: naive softmax fails."""
        for artist in self.overflow_marks:
            artist.remove()
        self.overflow_marks = []
        low, high = self.scale_range
        if (start := sum_overflow_scale(self.attn_scores, dtype)) < high:
            start = max(start, low)
            self.overflow_marks = [
                self.ax_curves.axvspan(start, high, color=OVERFLOW_COLOR, alpha=0.1, lw=0),
                self.ax_curves.text(
                    start, 0.5, tr("softmax.shade"), color=OVERFLOW_COLOR, fontsize=7,
                    rotation=90, ha="right", va="center",
                ),
            ]  # fmt: skip


@on_cpu
def softmax_explorer(
    attn_scores: torch.Tensor | None = None,
    tokens: Sequence[str] | None = None,
    *,
    scale: float = 1.0,
    dtype: torch.dtype | str = "float32",
) -> Explorer:
    """Scale the scores and pick a dtype: naive and stable softmax side by side, overflow marked.

    Shapes: attn_scores (T,) with T = len(tokens)

    Without ``attn_scores`` it uses the journey example's scores for the query "journey".
    Moving the scale from 0.01 to 1000 walks softmax from uniform weights to a one-hot choice;
    the naive formula exp(x) / Σ exp(x) breaks where the sum Σ exp(x) passes the dtype's largest
    number, which comes before any single exp(x) overflows (x > 11.09 in float16, 88.72 in
    bfloat16 and float32, 709.78 in float64).
    """
    fn = "softmax_explorer"
    if attn_scores is None:
        x = journey_embeddings()
        attn_scores = x @ x[1]  # the query "journey"
        tokens = JOURNEY_TOKENS if tokens is None else tokens
    attn_scores = own_copy(check_tensor(fn, "attn_scores", attn_scores, ndim=1))
    if tokens is None:
        tokens = [f"x{i + 1}" for i in range(attn_scores.shape[0])]
    tokens = token_labels(fn, tokens, attn_scores.shape[0], "attn_scores")
    dtype = _dtype(fn, dtype)
    low, high = SCALE_RANGE
    if not low <= check_scale(fn, scale) <= high:
        raise ValueError(f"{fn}: scale must be a number in [{low}, {high}], got {scale!r}")
    controls = {
        "scale": widgets.FloatLogSlider(
            value=scale,
            base=10,
            min=math.log10(low),
            max=math.log10(high),
            step=0.02,
            description=tr("softmax.scale"),
            readout_format=".3g",
            continuous_update=True,
            layout=widgets.Layout(width="420px"),
        ),
        "dtype": widgets.ToggleButtons(
            options=list(DTYPES), value=_dtype_name(dtype), description=tr("softmax.dtype")
        ),
    }
    controls["dtype"].style.button_width = "80px"
    return Explorer(
        tr("explorer.name.softmax"),
        controls,
        [controls["scale"], controls["dtype"]],
        SoftmaxView(attn_scores, tokens, SCALE_RANGE),
        read=lambda: {"scale": float(controls["scale"].value), "dtype": controls["dtype"].value},
        step=lambda state: softmax_step(attn_scores, state["scale"], state["dtype"]),
        describe=lambda state, result: describe_softmax(result, tokens),
    )
