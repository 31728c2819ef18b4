"""The one explorer shell: controls in, a pure step, its numbers and its figure out.

``Explorer`` knows nothing of attention. It is composed from four parts an explorer module
provides: the ``controls`` (ipywidgets), ``read`` (controls -> a state dict), ``step`` (state ->
result, pure), ``describe`` (state, result -> HTML) and a ``View`` (state, result -> redrawn
figure). Also here: the helpers every explorer module shares (a slider, token arguments, small
HTML tables of numbers, the error message shown in red).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import html
import math
import re
from collections.abc import Callable, Collection, Iterator, Sequence

import ipywidgets as widgets
import torch
from torch.utils._pytree import tree_map

from .._checks import check_index, check_pair, check_tokens
from ..default_device import cpu_defaults
from ..i18n import text as tr
from ..plots import OVERFLOW_COLOR
from .figures import Renderer, View, canvas_png

_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


class Explorer:
    """Controls, the numbers they produce, and a figure that follows them, shown as one widget.

    ``controls`` maps names to the ipywidgets that hold the state; ``values`` (HTML) shows the
    numbers, ``message`` (HTML) the error of the last update if it failed, ``output`` (Output)
    the figure. ``result`` and ``png`` hold the last successful update's numbers and picture.
    A change of any control re-runs ``update``, except for the controls named in ``quiet``
    (their owner observes them itself).
    """

    def __init__(
        self,
        title: str,
        controls: dict[str, widgets.Widget],
        rows: Sequence[widgets.Widget],
        view: View,
        *,
        read: Callable[[], dict],
        step: Callable[[dict], object],
        describe: Callable[[dict, object], str],
        quiet: Collection[str] = (),
    ):
        self.title, self.controls, self.view = title, controls, view
        self.read, self.step, self.describe = read, step, describe
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
        for name, control in controls.items():
            if name not in quiet:
                control.observe(self._on_change, names="value")

    def update(self) -> None:
        """Read the controls, compute, and show the new numbers and figure."""
        with one_torch_thread(), cpu_defaults():  # CPU copies, whatever use_device chose
            state = self.read()
            result = self.step(state)
            values = self.describe(state, result)
            changed = self.view.update(state, result)
            png = self.renderer.render(changed)
        self.result, self.png = result, png
        self.values.value = values
        self._show(png)

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Inside the block, control changes update nothing (setting several controls at once)."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    def _on_change(self, change) -> None:
        if self._holding:
            return
        try:
            self.update()
        except Exception as error:  # shown to the learner, who can move the control back
            self.renderer.forget()  # the figure may be half-updated: draw it in full
            self.message.value = error_html(error)
        else:
            self.message.value = ""

    def _show(self, png: bytes) -> None:
        # The Output widget's outputs are replaced whole, which JupyterLab's and Colab's Output
        # views both render at once (no flicker). Capturing display() calls instead (`with
        # output:`) needs a frontend that follows message ids: nbclient, which executes the
        # notebooks, fails on it unless it stores widget state, and plain Python has none.
        # As HTML, so that the picture has an alt text (a front end shows image/png without
        # one); the PNG stays in the bundle for front ends that cannot show HTML.
        alt = html.escape(alt_text(self.title, self.values.value), quote=True)
        image = f'<img src="data:image/png;base64,{_b64(png)}" alt="{alt}">'
        self.output.outputs = (
            {
                "output_type": "display_data",
                "data": {"text/html": image, "image/png": _b64(png), "text/plain": "<figure>"},
                "metadata": {},
            },
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The widget where a kernel draws it; its figure as a plain PNG everywhere else (a saved
        # notebook on GitHub or nbviewer).
        return {
            "text/plain": tr("explorer.static", name=self.title),
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
def one_torch_thread() -> Iterator[None]:
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
    words = html.escape(str(error) or type(error).__name__)  # the error itself stays English
    hint = ""
    if not isinstance(error, ValueError | TypeError | ArithmeticError):
        hint = f" ({html.escape(tr('explorer.bug_hint'))})"
    return (
        f'<div style="color:{OVERFLOW_COLOR}">⚠ {html.escape(tr("explorer.error"))}: '
        f"<b>{type(error).__name__}</b>: {words}{hint}</div>"
    )


def alt_text(title: str, values_html: str, limit: int = 300) -> str:
    """What the picture shows, for a screen reader: the explorer's name and its readout, as text."""
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", values_html)).split())
    if len(words) > limit:
        words = words[: limit - 1].rsplit(" ", 1)[0] + "…"
    return tr("explorer.alt", name=title, state=words)


def _b64(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")


# -- helpers for the explorer modules -----------------------------------------------------------


def slider(description: str, value: float, low: float, high: float, step: float):
    """A float slider as every explorer shows one: live, two decimals, 260 px."""
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


def int_slider(description: str, value: int, low: int, high: int, width: str = "300px"):
    """A whole-number slider as every explorer shows one: live, its label never cut short."""
    return widgets.IntSlider(
        value=value,
        min=low,
        max=high,
        description=description,
        continuous_update=True,
        style={"description_width": "initial"},
        layout=widgets.Layout(width=width),
    )


def choice_slider(description: str, options: Sequence, value: object, width: str = "300px"):
    """A slider that stops only on ``options`` (block sizes, head counts): every step is valid."""
    return widgets.SelectionSlider(
        options=options,
        value=value,
        description=description,
        continuous_update=True,
        style={"description_width": "initial"},
        layout=widgets.Layout(width=width),
    )


def cpu_step(step: Callable) -> Callable:
    """An explorer's pure step, run on CPU copies of its tensors, whatever ``use_device`` chose.

    A notebook may call a step itself, with tensors on the GPU, and read the result with
    ``.numpy()``; the explorer calls it with its own CPU copies. Meta tensors are passed on as they
    are, for the step's own check to refuse them.
    """

    @functools.wraps(step)
    def on_cpu_copies(*args, **kwargs):
        args, kwargs = tree_map(
            lambda a: a.detach().cpu() if isinstance(a, torch.Tensor) and not a.is_meta else a,
            (args, kwargs),
        )
        with cpu_defaults():
            return step(*args, **kwargs)

    return on_cpu_copies


def own_copy(t: torch.Tensor) -> torch.Tensor:
    """The explorer's own CPU copy: moving a slider never changes the caller's tensor."""
    return t.detach().to("cpu").clone()


def token_labels(fn: str, tokens: object, n: int, what: str) -> tuple[str, ...]:
    """One label per row of ``what`` (named in the error)."""
    return tuple(check_tokens(fn, "tokens", tokens, n, f"row of {what}"))


def token_index(fn: str, name: str, tokens: Sequence[str], value: object) -> int:
    """A token given by its position or by its text."""
    if isinstance(value, str):
        if value not in tokens:
            raise ValueError(f"{fn}: {name}={value!r} is not one of the tokens {list(tokens)}")
        return list(tokens).index(value)
    return check_index(fn, name, value, len(tokens), what="a token or its index")


def slider_limits(fn: str, limits: object, data: torch.Tensor) -> tuple[float, float]:
    """Slider limits that hold the data: a slider silently clips a value outside its range."""
    low, high = check_pair(fn, "limits", limits)
    return min(low, math.floor(float(data.min()))), max(high, math.ceil(float(data.max())))


# -- small HTML tables of numbers ---------------------------------------------------------------
_TABLE = '<table style="border-collapse:collapse;font-family:monospace;font-size:12px">'
_CELL = 'style="padding:1px 8px;text-align:right"'


def html_number(value: float, fmt: str = "{:.3f}") -> str:
    """A number as text; nan and ±inf in bold red, where they must catch the eye."""
    if math.isfinite(value):
        return fmt.format(value)
    name = "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return f'<b style="color:{OVERFLOW_COLOR}">{name}</b>'


def html_table(
    header: Sequence[str], rows: Sequence[tuple[str, Sequence[float]]], fmt: str = "{:.3f}"
) -> str:
    """Named rows of numbers under a header, as a small monospace HTML table."""
    head = "".join(f"<th {_CELL}>{html.escape(h)}</th>" for h in ["", *header])
    body = "".join(
        f"<tr><th {_CELL}>{html.escape(name)}</th>"
        + "".join(f"<td {_CELL}>{html_number(float(v), fmt)}</td>" for v in values)
        + "</tr>"
        for name, values in rows
    )
    return f"{_TABLE}<tr>{head}</tr>{body}</table>"


def html_line(text: str) -> str:
    """One line of monospace text (already HTML) under a table."""
    return f"<div style='font-family:monospace;font-size:12px'>{text}</div>"
