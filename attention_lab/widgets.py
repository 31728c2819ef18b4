"""Explorers: sliders that move the attention math, and a figure that follows them.

    from attention_lab.widgets import embedding_explorer
    embedding_explorer(JOURNEY_TOKENS, journey_embeddings(), query="journey")

Each explorer is a thin shell over pure functions of its own: a ``*_step`` function (state in,
tensors out), a ``describe_*`` function (tensors in, the HTML of the numbers shown) and a
``draw_*`` function (tensors in, a matplotlib Figure out). The shell reads its controls, calls
them, and shows the numbers and the figure; an error raised by an update is shown in the
explorer, in red, rather than lost in a log.

Figures are rendered to PNG with matplotlib's Agg backend and shown in an ``Output`` widget, as
``%matplotlib inline`` shows them, so no interactive matplotlib backend is needed (ipympl does
not work on Colab). To redraw within a slider's step, an explorer keeps its figure: the frames
(axes, ticks, labels) are drawn once, and a move redraws only the artists that show numbers,
over a saved picture of the rest. Displayed, an explorer also carries its first figure as a
plain PNG, which a saved notebook shows where no kernel is running (GitHub, nbviewer).

Only the ipywidgets API common to versions 7 and 8 is used. This module imports ipywidgets,
which ``import attention_lab`` does not.
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import torch
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from ._checks import _shape, check_positive_int, check_probability, check_scale, check_tensor
from .data import CAT_SAT_TOKENS, JOURNEY_TOKENS, cat_sat_embeddings, journey_embeddings
from .functional import attention, softmax_naive, softmax_stable
from .plots import (
    OVERFLOW_COLOR,
    _bar_artists,
    _bars_frame,
    _heatmap_artists,
    _heatmap_frame,
    _scale_marker,
    _spread_artists,
    _spread_frame,
    _vector_artists,
    _vectors_frame,
    bar_limits,
    plot_softmax_curves,
    spread_limit,
)

#: Pixels per inch of the explorers' figures: sharp enough, and cheap to encode on every move.
DPI = 90
#: The floating-point types the softmax explorer offers, by the names it shows.
DTYPES = {
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
}
_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


# =============================================================================================
# Figures that redraw only what moved
# =============================================================================================


class View:
    """A figure whose frames stay put and whose number-showing artists are redrawn in groups.

    ``groups`` maps a name to the artists last drawn for it; ``update`` (in subclasses) replaces
    some groups and returns their names, or None when a frame changed too (a title, a limit), in
    which case the whole figure must be drawn again.
    """

    figsize: tuple[float, float] = (7.2, 3.0)

    def __init__(self) -> None:
        self.fig = Figure(figsize=self.figsize, dpi=DPI)
        FigureCanvasAgg(self.fig)  # a canvas of its own: no pyplot, so nothing to close
        self.groups: dict[str, list[Artist]] = {}

    def replace(self, name: str, artists: list[Artist]) -> None:
        for artist in self.groups.get(name, ()):
            artist.remove()
        self.groups[name] = artists

    def margins(self, **kwargs) -> None:
        # Fixed margins: a layout engine would re-measure every label on every redraw.
        self.fig.subplots_adjust(**{"bottom": 0.24, "top": 0.9, **kwargs})


class Renderer:
    """Turns a View into PNG bytes, drawing in full only when the frames or the moving groups change.

    A full draw leaves the moving groups out and keeps a copy of the pixels (the background);
    later redraws restore it and draw only those groups: matplotlib's "blitting".
    """

    def __init__(self, view: View):
        self.view = view
        self.canvas = view.fig.canvas
        self.background = None
        self.moving: list[str] = []

    def render(self, changed: Sequence[str] | None) -> bytes:
        groups = self.view.groups
        moving = list(groups) if changed is None else [n for n in groups if n in changed]
        if changed is None or self.background is None or moving != self.moving:
            for name, artists in groups.items():
                for artist in artists:
                    artist.set_animated(name in moving)
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.view.fig.bbox)
            self.moving = moving
        else:
            self.canvas.restore_region(self.background)
        for name in moving:
            for artist in groups[name]:
                _draw_artist(artist)
        return canvas_png(self.canvas)


def _draw_artist(artist: Artist) -> None:
    if hasattr(artist, "do_3d_projection"):
        artist.do_3d_projection()  # 3-d collections project themselves only when asked
    artist.axes.draw_artist(artist)


def canvas_png(canvas: FigureCanvasAgg, *, small: bool = False) -> bytes:
    """The canvas's current pixels as PNG bytes.

    By default fast to encode (a live redraw has milliseconds); ``small=True`` spends ~30 ms on
    a 128-colour palette and full compression, a third of the size, for a picture to be stored.
    """
    width, height = canvas.get_width_height(physical=True)
    rgba = PILImage.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    if small:
        palette = rgba.convert("RGB").quantize(colors=128, dither=PILImage.Dither.NONE)
        palette.save(buffer, format="png", optimize=True)
    else:
        rgba.convert("RGB").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def figure_png(fig: Figure) -> bytes:
    """A figure drawn in full as PNG bytes, without a version stamp (so the bytes are stable)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


# =============================================================================================
# The shell shared by every explorer
# =============================================================================================


class Explorer:
    """Controls, the numbers they produce, and a figure that follows them, shown as one widget.

    ``controls`` maps names to the ipywidgets that hold the state; ``values`` (HTML) shows the
    numbers, ``message`` (HTML) the error of the last update if it failed, ``output`` (Output)
    the figure. ``result`` and ``png`` hold the last successful update's numbers and picture.
    Subclasses say how to read the state, compute, describe and redraw.
    """

    title = "explorer"

    def __init__(self, controls: dict[str, widgets.Widget], rows: Sequence[widgets.Widget], view):
        self.controls = controls
        self.view = view
        self.figure = view.fig
        self.renderer = Renderer(view)
        self.values = widgets.HTML()
        self.message = widgets.HTML()
        self.output = widgets.Output()
        self.result = None
        self.png = b""
        self.box = widgets.VBox([*rows, self.values, self.message, self.output])
        for widget, name in (
            (self.box, "explorer"),
            (self.values, "values"),
            (self.message, "message"),
            (self.output, "figure"),
        ):
            widget.add_class(f"attention-lab-{name}")
        self._holding = False
        # No try here: a bad starting state is the caller's mistake and fails the cell.
        self.update()
        for control in controls.values():
            control.observe(self._on_change, names="value")

    # -- what subclasses provide ---------------------------------------------------------------
    def state(self) -> dict:
        raise NotImplementedError

    def compute(self, state: dict):
        raise NotImplementedError

    def describe(self, state: dict, result) -> str:
        raise NotImplementedError

    def redraw(self, state: dict, result) -> Sequence[str] | None:
        """Update the view; return the names of the groups redrawn, or None for a full redraw."""
        raise NotImplementedError

    # -- the update cycle ------------------------------------------------------------------------
    def update(self) -> None:
        """Read the controls, compute, and show the new numbers and figure."""
        with one_torch_thread():
            state = self.state()
            result = self.compute(state)
            values = self.describe(state, result)
            changed = self.redraw(state, result)
            png = self.renderer.render(changed)
        self.result, self.png = result, png
        self.values.value = values
        self._show(png)

    def _on_change(self, change) -> None:
        if self._holding:
            return
        try:
            self.update()
        except Exception as error:  # shown to the learner, who can move the control back
            self.renderer.background = None  # the figure may be half-updated: draw it in full
            self.message.value = error_html(error)
        else:
            self.message.value = ""

    def _show(self, png: bytes) -> None:
        # The Output widget's outputs are replaced whole, which JupyterLab's and Colab's Output
        # views both render at once (no flicker). Capturing display() calls instead (`with
        # output:`) needs a frontend that follows message ids: nbclient, which executes the
        # notebooks, fails on it unless it stores widget state, and plain Python has none.
        self.output.outputs = (
            {
                "output_type": "display_data",
                "data": {"image/png": _b64(png), "text/plain": "<figure>"},
                "metadata": {},
            },
        )

    # -- display ---------------------------------------------------------------------------------
    def _repr_mimebundle_(self, include=None, exclude=None):
        # The widget where a kernel draws it; its figure as a plain PNG everywhere else.
        return {
            "text/plain": f"{self.title} (run the notebook to move its controls)",
            "image/png": _b64(canvas_png(self.figure.canvas, small=True)),
            _WIDGET_MIME: {"version_major": 2, "version_minor": 0, "model_id": self.box.model_id},
        }

    def close(self) -> None:
        """Close every widget of this explorer (they stop listening to the browser)."""
        stack = [self.box]
        while stack:
            widget = stack.pop()
            stack.extend(getattr(widget, "children", ()))
            widget.close()


@contextlib.contextmanager
def one_torch_thread():
    """Run torch on one thread inside the block, as many as before after it.

    The explorers' tensors are tiny: on a busy machine, waking torch's worker threads for
    them costs milliseconds (more than the work), and a slider move has about 50 ms in all.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def error_html(error: BaseException) -> str:
    """An error as a short red message for the learner: its type and text, no traceback."""
    text = html.escape(str(error) or type(error).__name__)
    hint = ""
    if not isinstance(error, ValueError | TypeError | ArithmeticError):
        hint = " (this looks like a bug in attention_lab; please report it)"
    return (
        f'<div style="color:{OVERFLOW_COLOR}">⚠ Cannot update the figure: '
        f"<b>{type(error).__name__}</b>: {text}{hint}</div>"
    )


def _b64(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")


def _slider(description: str, value: float, low: float, high: float, step: float):
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        readout_format=".2f",
        continuous_update=True,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="260px"),
    )


def _cpu(t: torch.Tensor) -> torch.Tensor:
    return t.detach().to("cpu").clone()


def _tokens(fn: str, tokens: object, n: int, what: str) -> tuple[str, ...]:
    if isinstance(tokens, str) or not isinstance(tokens, Sequence):
        raise TypeError(f"{fn}: tokens must be a sequence of strings, got {type(tokens).__name__}")
    if len(tokens) != n:
        raise ValueError(f"{fn}: got {len(tokens)} tokens but {what} has {n} rows")
    return tuple(str(t) for t in tokens)


def _token_index(fn: str, name: str, tokens: Sequence[str], value: object) -> int:
    """A token given by its position or by its text."""
    if isinstance(value, str):
        if value not in tokens:
            raise ValueError(f"{fn}: {name}={value!r} is not one of the tokens {list(tokens)}")
        return list(tokens).index(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{fn}: {name} must be a token or its index, got {value!r}")
    if not 0 <= value < len(tokens):
        raise ValueError(f"{fn}: {name} must be in [0, {len(tokens) - 1}], got {value}")
    return value


def _limits(fn: str, limits: object, data: torch.Tensor) -> tuple[float, float]:
    """Slider limits that hold the data: a slider silently clips a value outside its range."""
    if not (isinstance(limits, tuple | list) and len(limits) == 2):
        raise TypeError(f"{fn}: limits must be a (low, high) pair, got {limits!r}")
    low, high = (float(v) for v in limits)
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"{fn}: limits must be finite with low < high, got {limits!r}")
    return min(low, math.floor(float(data.min()))), max(high, math.ceil(float(data.max())))


# -- small HTML tables of numbers -----------------------------------------------------------------
_TABLE = '<table style="border-collapse:collapse;font-family:monospace;font-size:12px">'
_CELL = 'style="padding:1px 8px;text-align:right"'


def _number(value: float, fmt: str = "{:.3f}") -> str:
    if math.isfinite(value):
        return fmt.format(value)
    name = "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return f'<b style="color:{OVERFLOW_COLOR}">{name}</b>'


def _table(header: Sequence[str], rows: Sequence[tuple[str, Sequence[float]]], fmt="{:.3f}"):
    head = "".join(f"<th {_CELL}>{html.escape(h)}</th>" for h in ["", *header])
    body = "".join(
        f"<tr><th {_CELL}>{html.escape(name)}</th>"
        + "".join(f"<td {_CELL}>{_number(float(v), fmt)}</td>" for v in values)
        + "</tr>"
        for name, values in rows
    )
    return f"{_TABLE}<tr>{head}</tr>{body}</table>"


def _line(text: str) -> str:
    return f"<div style='font-family:monospace;font-size:12px'>{text}</div>"


# =============================================================================================
# Embedding explorer: move one token's embedding, watch scores, weights and the context vector
# =============================================================================================


@dataclass(frozen=True)
class EmbeddingStep:
    """Scores, weights and context vector of one query.

    Shapes: attn_scores (T,), attn_weights (T,), context (d,)
    """

    attn_scores: torch.Tensor
    attn_weights: torch.Tensor
    context: torch.Tensor


def embedding_step(x: torch.Tensor, query: int) -> EmbeddingStep:
    """ω = x · x_query, α = softmax(ω), z = Σ_i α_i x_i for one query of the embeddings x.

    Shapes: x (T, d) -> attn_scores (T,), attn_weights (T,), context (d,)
    """
    fn = "embedding_step"
    check_tensor(fn, "x", x, ndim=2)
    if isinstance(query, bool) or not isinstance(query, int) or not 0 <= query < x.shape[0]:
        raise ValueError(f"{fn}: query must be a row index in [0, {x.shape[0] - 1}], got {query!r}")
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
    rows = [("score ω", step.attn_scores.tolist())]
    if show == "context":
        rows.append(("weight α", step.attn_weights.tolist()))
    text = _table(tokens, rows)
    if show == "context":
        text += _line("context z = [" + ", ".join(_number(v) for v in step.context.tolist()) + "]")
    return text


class EmbeddingView(View):
    """Bars of one query's scores (and weights) beside the embeddings drawn as vectors."""

    def __init__(self, tokens: Sequence[str], d: int, show: str, limits: tuple[float, float]):
        super().__init__()
        self.tokens, self.show, self.limits = list(tokens), show, limits
        self.names = ["score ω", "weight α"] if show == "context" else ["score ω"]
        pictured = d in (2, 3)  # the vectors are drawn only where they can be
        grid = self.fig.add_gridspec(1, 2, width_ratios=(1, 1.2)) if pictured else None
        self.ax_bars = self.fig.add_subplot(grid[0] if pictured else 111)
        _bars_frame(self.ax_bars, self.tokens, self.names)
        self.ax_vectors = None
        if pictured:
            projection = "3d" if d == 3 else None
            self.ax_vectors = self.fig.add_subplot(grid[1], projection=projection)
            _vectors_frame(self.ax_vectors, limits)
        self.margins(left=0.08, right=0.97, wspace=0.3)
        self.query = None

    def update(self, step: EmbeddingStep, x: torch.Tensor, query: int) -> list[str] | None:
        series = dict(zip(self.names, (step.attn_scores, step.attn_weights), strict=False))
        series = {name: v.detach().to("cpu", torch.float64) for name, v in series.items()}
        frames_changed = query != self.query
        if frames_changed:
            self.ax_bars.set_title(f'query "{self.tokens[query]}"')
            self.query = query
        ylim = bar_limits(series, self.ax_bars.get_ylim() if self.groups else None)
        if ylim != self.ax_bars.get_ylim():
            self.ax_bars.set_ylim(*ylim)
            frames_changed = True
        self.replace("bars", _bar_artists(self.ax_bars, series))
        if self.ax_vectors is not None:
            x = x.detach().to("cpu", torch.float64)
            context = step.context.detach().to("cpu", torch.float64)
            context = context if self.show == "context" else None
            self.replace(
                "vectors",
                _vector_artists(self.ax_vectors, x, self.tokens, query, context, self.limits),
            )
        return None if frames_changed else list(self.groups)


def draw_embedding(
    step: EmbeddingStep,
    x: torch.Tensor,
    tokens: Sequence[str],
    query: int,
    *,
    show: str = "context",
    limits: tuple[float, float] = (-0.5, 1.25),
) -> Figure:
    """Bars of the scores (and weights), and the embeddings as vectors, on a new Figure.

    Shapes: x (T, d); the vector picture needs d = 2 or 3 and is left out otherwise
    """
    view = EmbeddingView(tokens, x.shape[1], show, limits)
    view.update(step, x, query)
    return view.fig


class EmbeddingExplorer(Explorer):
    """Sliders for one token's embedding and a choice of query; see ``embedding_explorer``."""

    title = "embedding explorer"

    def __init__(self, tokens, x, *, query, token, show, limits):
        fn = "embedding_explorer"
        x = check_tensor(fn, "x", x, ndim=2)
        self.tokens = _tokens(fn, tokens, x.shape[0], "x")
        if show not in ("scores", "context"):
            raise ValueError(f"{fn}: show must be 'scores' or 'context', got {show!r}")
        self.show = show
        self.x = _cpu(x)  # the explorer's own copy: moving a slider never changes the caller's x
        if query is None:
            query = min(1, len(self.tokens) - 1)  # "journey" in the journey example, as in the book
        query = _token_index(fn, "query", self.tokens, query)
        token = query if token is None else _token_index(fn, "token", self.tokens, token)
        self.limits = _limits(fn, limits, self.x)
        options = [(t, i) for i, t in enumerate(self.tokens)]
        controls = {
            "query": widgets.ToggleButtons(options=options, value=query, description="query"),
            "token": widgets.Dropdown(
                options=options,
                value=token,
                description="move",
                layout=widgets.Layout(width="200px"),
            ),
        }
        controls["query"].style.button_width = "70px"
        for j in range(self.x.shape[1]):
            controls[f"x[{j}]"] = _slider(f"x[{j}]", float(self.x[token, j]), *self.limits, 0.01)
        sliders = [controls[f"x[{j}]"] for j in range(self.x.shape[1])]
        rows = [controls["query"], widgets.HBox([controls["token"], widgets.VBox(sliders)])]
        view = EmbeddingView(self.tokens, self.x.shape[1], show, self.limits)
        super().__init__(controls, rows, view)

    def state(self):
        token = self.controls["token"].value
        for j in range(self.x.shape[1]):
            self.x[token, j] = self.controls[f"x[{j}]"].value
        return {"x": self.x, "query": self.controls["query"].value}

    def _on_change(self, change):
        if change["owner"] is self.controls["token"]:
            # The sliders now move another token: nothing moved yet, so nothing to recompute.
            self._holding = True
            try:
                for j in range(self.x.shape[1]):
                    self.controls[f"x[{j}]"].value = float(self.x[change["new"], j])
            finally:
                self._holding = False
            return
        super()._on_change(change)

    def compute(self, state):
        return embedding_step(state["x"], state["query"])

    def describe(self, state, result):
        return describe_embedding(result, self.tokens, self.show)

    def redraw(self, state, result):
        return self.view.update(result, state["x"], state["query"])


def embedding_explorer(
    tokens: Sequence[str],
    x: torch.Tensor,
    *,
    query: int | str | None = None,
    token: int | str | None = None,
    show: str = "context",
    limits: tuple[float, float] = (-0.5, 1.25),
) -> EmbeddingExplorer:
    """Drag one token's embedding, pick the query: scores, weights and context vector follow.

    Shapes: x (T, d) with T = len(tokens); the vector picture is drawn for d = 2 or 3

    ``query`` (default: the second token, "journey" in the journey example) and ``token`` (the
    one the sliders move, default: the query) are a token or its index. ``show="scores"`` shows
    the scores only (before softmax is introduced); ``show="context"`` adds the weights and the
    context vector, which stays inside the hull of the inputs whatever you do. The explorer
    works on its own copy of ``x``; ``limits`` is the sliders' range.
    """
    return EmbeddingExplorer(tokens, x, query=query, token=token, show=show, limits=limits)


# =============================================================================================
# Softmax explorer: scale the scores, change the dtype, watch the naive formula overflow
# =============================================================================================


@dataclass(frozen=True)
class SoftmaxStep:
    """One softmax computed two ways in one dtype.

    Shapes: scaled_scores, exp_scores, naive, stable: all (T,), in that dtype
    """

    scaled_scores: torch.Tensor
    exp_scores: torch.Tensor
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


def exp_overflow_threshold(dtype: torch.dtype | str) -> float:
    """The largest x whose exp(x) is finite in ``dtype``: ln of its largest finite number."""
    return math.log(torch.finfo(_dtype("exp_overflow_threshold", dtype)).max)


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
    return SoftmaxStep(
        scaled_scores=scaled,
        exp_scores=torch.exp(scaled),
        naive=softmax_naive(scaled, dim=-1),
        stable=softmax_stable(scaled, dim=-1),
    )


def describe_softmax(step: SoftmaxStep, tokens: Sequence[str]) -> str:
    """The numbers of a softmax step as an HTML table, and where (if anywhere) exp overflowed.

    Shapes: as in ``SoftmaxStep``, with T = len(tokens)
    """
    rows = [
        ("scale·ω", step.scaled_scores.tolist()),
        ("exp(scale·ω)", step.exp_scores.tolist()),
        ("naive", step.naive.tolist()),
        ("stable", step.stable.tolist()),
    ]
    threshold = exp_overflow_threshold(step.scaled_scores.dtype)
    overflow = [t for t, e in zip(tokens, step.exp_scores.tolist(), strict=True) if math.isinf(e)]
    if overflow:
        result = "nan" if step.overflowed else "wrong values"
        verdict = f"exp overflows for {', '.join(overflow)}: the naive softmax gives {result}."
    else:
        verdict = "no overflow: both formulas agree."
    name = _dtype_name(step.scaled_scores.dtype)
    return _table(tokens, rows, fmt="{:.4g}") + _line(
        f"{name}: exp(x) is inf for x &gt; {threshold:.2f}. {html.escape(verdict)}"
    )


class SoftmaxView(View):
    """Naive and stable softmax as bars, beside the true weights as the scale grows."""

    def __init__(self, attn_scores: torch.Tensor, tokens: Sequence[str], scale_range):
        super().__init__()
        self.attn_scores, self.tokens, self.scale_range = attn_scores, list(tokens), scale_range
        self.ax_bars = self.fig.add_subplot(1, 2, 1)
        _bars_frame(self.ax_bars, self.tokens, ["naive", "stable"])
        self.ax_bars.set_ylim(-0.05, 1.15)  # weights live in [0, 1]: the frame never moves
        self.ax_curves = self.fig.add_subplot(1, 2, 2)
        plot_softmax_curves(attn_scores, self.tokens, scale_range=scale_range, ax=self.ax_curves)
        self.margins(left=0.08, right=0.97, wspace=0.3)
        self.dtype = None
        self.overflow_marks: list[Artist] = []

    def update(self, step: SoftmaxStep, scale: float) -> list[str] | None:
        dtype = step.scaled_scores.dtype
        frames_changed = dtype != self.dtype
        if frames_changed:
            self.dtype = dtype
            self.ax_bars.set_title(f"softmax in {_dtype_name(dtype)}")
            self._mark_overflow(dtype)
        series = {"naive": step.naive, "stable": step.stable}
        series = {name: v.detach().to("cpu", torch.float64) for name, v in series.items()}
        self.replace("bars", _bar_artists(self.ax_bars, series))
        self.replace("scale", _scale_marker(self.ax_curves, scale))
        return None if frames_changed else list(self.groups)

    def _mark_overflow(self, dtype: torch.dtype) -> None:
        """Shade the scales at which exp of the largest score overflows in ``dtype``."""
        for artist in self.overflow_marks:
            artist.remove()
        self.overflow_marks = []
        largest = float(self.attn_scores.max())
        low, high = self.scale_range
        if largest > 0 and (start := exp_overflow_threshold(dtype) / largest) < high:
            start = max(start, low)
            self.overflow_marks = [
                self.ax_curves.axvspan(start, high, color=OVERFLOW_COLOR, alpha=0.1, lw=0),
                self.ax_curves.text(
                    start,
                    0.5,
                    "exp overflows ",
                    color=OVERFLOW_COLOR,
                    fontsize=7,
                    rotation=90,
                    ha="right",
                    va="center",
                ),
            ]


def draw_softmax(
    step: SoftmaxStep,
    attn_scores: torch.Tensor,
    tokens: Sequence[str],
    scale: float,
    *,
    scale_range: tuple[float, float] = (0.01, 1000.0),
) -> Figure:
    """Naive and stable softmax side by side, and the true weights as the scale grows.

    Shapes: attn_scores (T,); the right panel shades the scales where exp overflows in the
    step's dtype
    """
    view = SoftmaxView(attn_scores, tokens, scale_range)
    view.update(step, scale)
    return view.fig


class SoftmaxExplorer(Explorer):
    """A scale slider and a dtype choice over softmax; see ``softmax_explorer``."""

    title = "softmax explorer"
    scale_range = (0.01, 1000.0)

    def __init__(self, attn_scores, tokens, *, scale, dtype):
        fn = "softmax_explorer"
        if attn_scores is None:
            x = journey_embeddings()
            attn_scores = x @ x[1]  # the query "journey"
            tokens = JOURNEY_TOKENS if tokens is None else tokens
        check_tensor(fn, "attn_scores", attn_scores, ndim=1)
        if tokens is None:
            tokens = [f"x{i + 1}" for i in range(attn_scores.shape[0])]
        self.tokens = _tokens(fn, tokens, attn_scores.shape[0], "attn_scores")
        self.attn_scores = _cpu(attn_scores)
        dtype = _dtype(fn, dtype)
        low, high = self.scale_range
        if (
            isinstance(scale, bool)
            or not isinstance(scale, int | float)
            or not low <= scale <= high
        ):
            raise ValueError(f"{fn}: scale must be a number in [{low}, {high}], got {scale!r}")
        controls = {
            "scale": widgets.FloatLogSlider(
                value=scale,
                base=10,
                min=math.log10(low),
                max=math.log10(high),
                step=0.02,
                description="scale",
                readout_format=".3g",
                continuous_update=True,
                layout=widgets.Layout(width="420px"),
            ),
            "dtype": widgets.ToggleButtons(
                options=list(DTYPES), value=_dtype_name(dtype), description="dtype"
            ),
        }
        controls["dtype"].style.button_width = "80px"
        view = SoftmaxView(self.attn_scores, self.tokens, self.scale_range)
        super().__init__(controls, [controls["scale"], controls["dtype"]], view)

    def state(self):
        return {"scale": float(self.controls["scale"].value), "dtype": self.controls["dtype"].value}

    def compute(self, state):
        return softmax_step(self.attn_scores, state["scale"], state["dtype"])

    def describe(self, state, result):
        return describe_softmax(result, self.tokens)

    def redraw(self, state, result):
        return self.view.update(result, state["scale"])


def softmax_explorer(
    attn_scores: torch.Tensor | None = None,
    tokens: Sequence[str] | None = None,
    *,
    scale: float = 1.0,
    dtype: torch.dtype | str = "float32",
) -> SoftmaxExplorer:
    """Scale the scores and pick a dtype: naive and stable softmax side by side, overflow marked.

    Shapes: attn_scores (T,) with T = len(tokens)

    Without ``attn_scores`` it uses the journey example's scores for the query "journey".
    Moving the scale from 0.01 to 1000 walks softmax from uniform weights to a one-hot choice;
    the naive formula exp(x) / Σ exp(x) breaks where exp(x) overflows (x > 11.09 in float16,
    88.72 in bfloat16 and float32, 709.78 in float64).
    """
    return SoftmaxExplorer(attn_scores, tokens, scale=scale, dtype=dtype)


# =============================================================================================
# Weight explorer: move the entries of W_q and W_k, watch Q, K, the scores and the weights
# =============================================================================================


@dataclass(frozen=True)
class WeightStep:
    """Queries, keys, scores and weights of self-attention with projections W_q, W_k.

    Shapes: q (T, d_k), k (T, d_k), attn_scores (T, T), attn_weights (T, T)
    """

    q: torch.Tensor
    k: torch.Tensor
    attn_scores: torch.Tensor
    attn_weights: torch.Tensor


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
    check_tensor(fn, "x", x, ndim=2)
    for name, W in (("W_q", W_q), ("W_k", W_k)):
        check_tensor(fn, name, W, ndim=2)
        if W.shape[0] != x.shape[1]:
            raise ValueError(
                f"{fn}: {name} must have {x.shape[1]} rows (d_in of x {_shape(x)}), got {_shape(W)}"
            )
    if W_q.shape != W_k.shape:
        raise ValueError(f"{fn}: W_q {_shape(W_q)} and W_k {_shape(W_k)} must have the same shape")


def describe_weights(step: WeightStep, tokens: Sequence[str]) -> str:
    """Q and K as HTML tables, one row per token, side by side.

    Shapes: as in ``WeightStep``, with T = len(tokens)
    """
    header = [f"[{j}]" for j in range(step.q.shape[1])]
    tables = [
        f"<div><b>{name}</b>{_table(header, list(zip(tokens, m.tolist(), strict=True)))}</div>"
        for name, m in (("Q = x W_q", step.q), ("K = x W_k", step.k))
    ]
    return f"<div style='display:flex;gap:24px'>{''.join(tables)}</div>"


class HeatmapPairView(View):
    """Two heatmaps side by side: attention scores (left) and attention weights (right)."""

    figsize = (7.2, 3.3)  # square cells plus rotated token labels below

    def __init__(self, tokens: Sequence[str], titles: tuple[str, str]):
        super().__init__()
        self.tokens = list(tokens)
        self.axes = [self.fig.add_subplot(1, 2, i + 1) for i in range(2)]
        for ax, title in zip(self.axes, titles, strict=True):
            _heatmap_frame(ax, self.tokens, self.tokens, title)
        self.margins(left=0.12, right=0.98, bottom=0.26, wspace=0.45)
        self.shown: dict[str, torch.Tensor] = {}

    def update(self, attn_scores: torch.Tensor, attn_weights: torch.Tensor) -> list[str]:
        changed = []
        for ax, name, m in zip(
            self.axes, ("scores", "weights"), (attn_scores, attn_weights), strict=True
        ):
            m = m.detach().to("cpu", torch.float64)
            if name in self.shown and torch.equal(self.shown[name], m):
                continue  # unchanged (the scores, when only dropout moved): stays in the background
            self.replace(name, _heatmap_artists(ax, m, kind=name))
            self.shown[name] = m
            changed.append(name)
        return changed


def draw_weights(step: WeightStep, tokens: Sequence[str]) -> Figure:
    """Heatmaps of the scores q kᵀ and of the weights softmax(q kᵀ / √d_k), on a new Figure.

    Shapes: as in ``WeightStep``, with T = len(tokens)
    """
    view = HeatmapPairView(tokens, WeightExplorer.titles)
    view.update(step.attn_scores, step.attn_weights)
    return view.fig


class WeightExplorer(Explorer):
    """A slider per entry of W_q and W_k; see ``weight_explorer``."""

    title = "weight explorer"
    titles = ("scores ω = q kᵀ", "weights softmax(ω / √d_k)")

    def __init__(self, tokens, x, W_q, W_k, *, limits):
        fn = "weight_explorer"
        x = cat_sat_embeddings() if x is None else x
        tokens = CAT_SAT_TOKENS if tokens is None else tokens
        check_tensor(fn, "x", x, ndim=2)
        self.tokens = _tokens(fn, tokens, x.shape[0], "x")
        eye = torch.eye(x.shape[1], dtype=x.dtype)
        W_q = eye if W_q is None else W_q
        W_k = eye if W_k is None else W_k
        _check_weights(fn, x, W_q, W_k)
        self.x = _cpu(x)
        self.W = {"W_q": _cpu(W_q), "W_k": _cpu(W_k)}
        self.limits = _limits(fn, limits, torch.cat([self.W["W_q"], self.W["W_k"]]))
        controls, columns = {}, []
        for name, W in self.W.items():
            column = []
            for i in range(W.shape[0]):
                for j in range(W.shape[1]):
                    key = f"{name}[{i},{j}]"
                    controls[key] = _slider(key, float(W[i, j]), *self.limits, 0.05)
                    column.append(controls[key])
            columns.append(widgets.VBox(column))
        view = HeatmapPairView(self.tokens, self.titles)
        super().__init__(controls, [widgets.HBox(columns)], view)

    def state(self):
        for name, W in self.W.items():
            for i in range(W.shape[0]):
                for j in range(W.shape[1]):
                    W[i, j] = self.controls[f"{name}[{i},{j}]"].value
        return {"x": self.x, **self.W}

    def compute(self, state):
        return weight_step(state["x"], state["W_q"], state["W_k"])

    def describe(self, state, result):
        return describe_weights(result, self.tokens)

    def redraw(self, state, result):
        return self.view.update(result.attn_scores, result.attn_weights)


def weight_explorer(
    tokens: Sequence[str] | None = None,
    x: torch.Tensor | None = None,
    W_q: torch.Tensor | None = None,
    W_k: torch.Tensor | None = None,
    *,
    limits: tuple[float, float] = (-2.0, 2.0),
) -> WeightExplorer:
    """A slider per entry of W_q and W_k: Q, K, the scores and the weights heatmap follow.

    Shapes: x (T, d_in) with T = len(tokens), W_q and W_k (d_in, d_k)

    Defaults: the "The cat sat" example with W_q = W_k = I, where the scores are the plain dot
    products of the embeddings (the weights are scaled by 1/√d_k, as ``attention`` does).
    """
    return WeightExplorer(tokens, x, W_q, W_k, limits=limits)


# =============================================================================================
# Scaling explorer: grow d_k, watch the dot products spread and softmax turn one-hot
# =============================================================================================


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


def scaling_step(d_k: int, *, n_queries: int = 256, n_keys: int = 8, seed: int = 0) -> ScalingStep:
    """Random q, k with unit-variance entries: ω = q kᵀ spreads like √d_k, ω / √d_k does not.

    Shapes: q (n_queries, d_k), k (n_keys, d_k) -> attn_scores (n_queries, n_keys)
    """
    _check_scaling("scaling_step", d_k, n_queries, n_keys, seed)
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


def _check_scaling(fn: str, d_k: object, n_queries: object, n_keys: object, seed: object) -> None:
    for name, value in (("d_k", d_k), ("n_queries", n_queries), ("n_keys", n_keys)):
        check_positive_int(fn, name, value)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"{fn}: seed must be an int, got {seed!r}")


def describe_scaling(step: ScalingStep) -> str:
    """The spread of the scores and the peakedness of softmax, with and without ÷√d_k, as HTML."""
    peaked, scaled_peaked = step.peakedness
    n_queries, n_keys = step.attn_scores.shape
    rows = [
        ("q·k", [float(step.attn_scores.std()), peaked]),
        ("q·k / √d_k", [float(step.scaled_scores.std()), scaled_peaked]),
    ]
    return _line(
        f"d_k = {step.d_k}, √d_k = {math.sqrt(step.d_k):.2f}: "
        f"{n_queries} random queries against {n_keys} keys"
    ) + _table(["std of the scores", "mean largest weight"], rows)


class ScalingView(View):
    """Histograms of the scores beside one query's weights, with and without ÷√d_k."""

    names = ("softmax(q·k)", "softmax(q·k / √d_k)")

    def __init__(self, n_keys: int):
        super().__init__()
        self.keys = [f"k{j + 1}" for j in range(n_keys)]
        self.ax_spread = self.fig.add_subplot(1, 2, 1)
        self.limit = None
        self.ax_bars = self.fig.add_subplot(1, 2, 2)
        _bars_frame(
            self.ax_bars, self.keys, self.names, title="weights of one query", legend="upper right"
        )
        self.ax_bars.set_ylim(0.0, 1.15)
        self.margins(left=0.05, right=0.98, bottom=0.18, wspace=0.2)

    def update(self, step: ScalingStep) -> list[str] | None:
        limit = spread_limit(step.attn_scores, step.scaled_scores, current=self.limit)
        frames_changed = limit != self.limit
        if frames_changed:
            self.limit = limit
            _spread_frame(self.ax_spread, limit)
        raw, scaled = step.attn_scores.flatten(), step.scaled_scores.flatten()
        self.replace("spread", _spread_artists(self.ax_spread, raw, scaled, limit))
        series = dict(zip(self.names, (step.weights[0], step.scaled_weights[0]), strict=True))
        self.replace("bars", _bar_artists(self.ax_bars, series))
        return None if frames_changed else list(self.groups)


def draw_scaling(step: ScalingStep) -> Figure:
    """Histograms of the scores, and the first query's weights, with and without ÷√d_k."""
    view = ScalingView(step.attn_scores.shape[1])
    view.update(step)
    return view.fig


class ScalingExplorer(Explorer):
    """A d_k slider over random queries and keys; see ``scaling_explorer``."""

    title = "scaling explorer"

    def __init__(self, d_k, *, max_d_k, n_queries, n_keys, seed):
        fn = "scaling_explorer"
        max_d_k = check_positive_int(fn, "max_d_k", max_d_k)
        _check_scaling(fn, d_k, n_queries, n_keys, seed)
        if d_k > max_d_k:
            raise ValueError(f"{fn}: d_k must be at most max_d_k={max_d_k}, got {d_k}")
        self.options = {"n_queries": n_queries, "n_keys": n_keys, "seed": seed}
        slider = widgets.IntSlider(
            value=d_k,
            min=1,
            max=max_d_k,
            description="d_k",
            continuous_update=True,
            layout=widgets.Layout(width="420px"),
        )
        super().__init__({"d_k": slider}, [slider], ScalingView(n_keys))

    def state(self):
        return {"d_k": int(self.controls["d_k"].value)}

    def compute(self, state):
        return scaling_step(state["d_k"], **self.options)

    def describe(self, state, result):
        return describe_scaling(result)

    def redraw(self, state, result):
        return self.view.update(result)


def scaling_explorer(
    d_k: int = 64,
    *,
    max_d_k: int = 512,
    n_queries: int = 256,
    n_keys: int = 8,
    seed: int = 0,
) -> ScalingExplorer:
    """A d_k slider: the spread of q·k and the peakedness of softmax, with and without ÷√d_k.

    Shapes: random q (n_queries, d_k) and k (n_keys, d_k), entries drawn from N(0, 1)

    The entries have variance 1, so a dot product of d_k of them has variance d_k: its spread
    grows like √d_k and softmax turns nearly one-hot, unless the scores are divided by √d_k.
    """
    return ScalingExplorer(d_k, max_d_k=max_d_k, n_queries=n_queries, n_keys=n_keys, seed=seed)


# =============================================================================================
# Causal explorer: toggle the causal mask, drag the dropout probability
# =============================================================================================


@dataclass(frozen=True)
class CausalStep:
    """Masked scores, weights after dropout, and the output of self-attention.

    Shapes: attn_scores (T, T) with -inf where masked, attn_weights (T, T), out (T, d)
    """

    attn_scores: torch.Tensor
    attn_weights: torch.Tensor
    out: torch.Tensor


def causal_step(x: torch.Tensor, causal: bool, dropout_p: float, *, seed: int = 123) -> CausalStep:
    """attention(x, x, x, causal=causal, dropout_p=dropout_p) with a generator seeded by ``seed``.

    Shapes: x (T, d) -> attn_scores (T, T), attn_weights (T, T), out (T, d)

    The same seed on every call draws the same random numbers, so raising dropout_p only ever
    drops more weights: a weight dropped at p stays dropped at any larger p.
    """
    _check_causal("causal_step", x, causal, dropout_p, seed)
    generator = torch.Generator(device=x.device).manual_seed(seed)
    out, attn_weights = attention(x, x, x, causal=causal, dropout_p=dropout_p, generator=generator)
    attn_scores = x @ x.T * x.shape[-1] ** -0.5  # (T, T), as attention scales them
    if causal:
        allowed = torch.ones_like(attn_scores, dtype=torch.bool).tril()
        attn_scores = attn_scores.masked_fill(~allowed, float("-inf"))
    return CausalStep(attn_scores, attn_weights, out)


def _check_causal(fn: str, x: object, causal: object, dropout_p: object, seed: object) -> None:
    check_tensor(fn, "x", x, ndim=2)
    if not isinstance(causal, bool):
        raise TypeError(f"{fn}: causal must be True or False, got {causal!r}")
    check_probability(fn, "dropout_p", dropout_p)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"{fn}: seed must be an int, got {seed!r}")


def describe_causal(step: CausalStep, tokens: Sequence[str], dropout_p: float) -> str:
    """Row sums of the weights and how many dropout zeroed, as HTML.

    Shapes: as in ``CausalStep``, with T = len(tokens)
    """
    text = _table(tokens, [("row sum", step.attn_weights.sum(dim=-1).tolist())])
    if dropout_p > 0:
        allowed = torch.isfinite(step.attn_scores)
        dropped = int(((step.attn_weights == 0) & allowed).sum())
        text += _line(
            f"dropout p = {dropout_p:.2f}: {dropped} of {int(allowed.sum())} weights zeroed, "
            f"the rest multiplied by 1/(1 − p) = {1 / (1 - dropout_p):.2f}"
        )
    return text


def draw_causal(step: CausalStep, tokens: Sequence[str]) -> Figure:
    """Heatmaps of the (masked) scores and of the weights after the mask and dropout.

    Shapes: as in ``CausalStep``, with T = len(tokens)
    """
    view = HeatmapPairView(tokens, CausalExplorer.titles)
    view.update(step.attn_scores, step.attn_weights)
    return view.fig


class CausalExplorer(Explorer):
    """A causal-mask toggle and a dropout slider; see ``causal_explorer``."""

    title = "causal explorer"
    titles = ("scores (masked: −∞)", "weights")
    max_dropout_p = 0.9

    def __init__(self, tokens, x, *, causal, dropout_p, seed):
        fn = "causal_explorer"
        x = journey_embeddings() if x is None else x
        tokens = JOURNEY_TOKENS if tokens is None else tokens
        _check_causal(fn, x, causal, dropout_p, seed)
        self.tokens = _tokens(fn, tokens, x.shape[0], "x")
        if dropout_p > self.max_dropout_p:
            raise ValueError(
                f"{fn}: dropout_p must be at most {self.max_dropout_p} (the slider's end), "
                f"got {dropout_p}"
            )
        self.x = _cpu(x)
        self.seed = seed
        controls = {
            "causal": widgets.Checkbox(value=causal, description="causal mask", indent=False),
            "dropout_p": widgets.FloatSlider(
                value=dropout_p,
                min=0.0,
                max=self.max_dropout_p,
                step=0.05,
                description="dropout p",
                readout_format=".2f",
                continuous_update=True,
                layout=widgets.Layout(width="360px"),
            ),
        }
        rows = [widgets.HBox([controls["causal"], controls["dropout_p"]])]
        super().__init__(controls, rows, HeatmapPairView(self.tokens, self.titles))

    def state(self):
        return {
            "causal": bool(self.controls["causal"].value),
            "dropout_p": float(self.controls["dropout_p"].value),
        }

    def compute(self, state):
        return causal_step(self.x, state["causal"], state["dropout_p"], seed=self.seed)

    def describe(self, state, result):
        return describe_causal(result, self.tokens, state["dropout_p"])

    def redraw(self, state, result):
        return self.view.update(result.attn_scores, result.attn_weights)


def causal_explorer(
    tokens: Sequence[str] | None = None,
    x: torch.Tensor | None = None,
    *,
    causal: bool = True,
    dropout_p: float = 0.0,
    seed: int = 123,
) -> CausalExplorer:
    """Toggle the causal mask and drag the dropout probability over self-attention of x.

    Shapes: x (T, d) with T = len(tokens), used as queries, keys and values alike

    Defaults: the journey example. With the mask, token i attends to tokens 0..i only; with
    dropout, weights are zeroed at random and the rest scaled by 1/(1 − p), so a row sums to
    1 only on average.
    """
    return CausalExplorer(tokens, x, causal=causal, dropout_p=dropout_p, seed=seed)


#: Every explorer on its default example, by name: what the benchmark and the tests run.
EXAMPLES: dict[str, Callable[[], Explorer]] = {
    "embedding 2-d": lambda: embedding_explorer(CAT_SAT_TOKENS, cat_sat_embeddings()),
    "embedding 3-d": lambda: embedding_explorer(JOURNEY_TOKENS, journey_embeddings()),
    "softmax": softmax_explorer,
    "weights": weight_explorer,
    "scaling": scaling_explorer,
    "causal": causal_explorer,
}
