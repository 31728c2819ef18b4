"""Explorer figures that redraw only what moved, and their PNG encoding.

A ``View`` owns a matplotlib Figure drawn with Agg (no pyplot): its frames (axes, ticks, labels)
are drawn once, and its number-showing artists are kept in named groups that ``update`` replaces.
A ``Renderer`` turns a view into PNG bytes, redrawing only the groups that moved over a saved
picture of the rest (matplotlib's "blitting").
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import torch
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from ..plots import heatmap_artists, heatmap_frame

#: Pixels per inch of the explorers' figures: sharp enough, and cheap to encode on every move.
DPI = 90


class View:
    """A figure whose frames stay put and whose number-showing artists are redrawn in groups.

    ``groups`` maps a name to the artists last drawn for it. A subclass draws its frames in
    ``__init__`` and defines ``update(state, result)``, which replaces some groups and returns
    their names, or None when a frame changed too (a title, a limit), in which case the whole
    figure must be drawn again.
    """

    figsize: tuple[float, float] = (7.2, 3.0)
    #: Names the frame now shown, for a view that keeps several (one per number of heads): the
    #: renderer keeps each one's picture and, coming back to it, restores it instead of drawing.
    #: None: frames are not kept.
    frame: object = None

    def __init__(self) -> None:
        self.fig = Figure(figsize=self.figsize, dpi=DPI)
        FigureCanvasAgg(self.fig)  # a canvas of its own: no pyplot, so nothing to close
        self.groups: dict[str, list[Artist]] = {}

    def update(self, state: dict, result) -> Sequence[str] | None:
        raise NotImplementedError

    def replace(self, name: str, artists: list[Artist]) -> None:
        for artist in self.groups.get(name, ()):
            artist.remove()
        self.groups[name] = artists

    def margins(self, **kwargs) -> None:
        # Fixed margins: a layout engine would re-measure every label on every redraw.
        self.fig.subplots_adjust(**{"bottom": 0.24, "top": 0.9, **kwargs})


class HeatmapPairView(View):
    """Two heatmaps side by side: attention scores (left) and attention weights (right).

    ``update`` reads ``result.attn_scores`` and ``result.attn_weights``, both (T, T).
    """

    figsize = (7.2, 3.3)  # square cells plus rotated token labels below

    def __init__(self, tokens: Sequence[str], titles: tuple[str, str]):
        super().__init__()
        self.tokens = list(tokens)
        self.axes = [self.fig.add_subplot(1, 2, i + 1) for i in range(2)]
        for ax, title in zip(self.axes, titles, strict=True):
            heatmap_frame(ax, self.tokens, self.tokens, title)
        self.margins(left=0.12, right=0.98, bottom=0.26, wspace=0.45)
        self.shown: dict[str, torch.Tensor] = {}

    def update(self, state: dict, result) -> list[str]:
        changed = []
        matrices = {"scores": result.attn_scores, "weights": result.attn_weights}
        for ax, (name, m) in zip(self.axes, matrices.items(), strict=True):
            m = m.detach().to("cpu", torch.float64)
            if name in self.shown and torch.equal(self.shown[name], m):
                continue  # unchanged (the scores, when only dropout moved): stays in the background
            self.replace(name, heatmap_artists(ax, m, kind=name))
            self.shown[name] = m
            changed.append(name)
        return changed


class Renderer:
    """Turns a View into PNG bytes, drawing in full only when the frames or the moving groups change.

    A full draw leaves the moving groups out and keeps a copy of the pixels (the background);
    later redraws restore it and draw only those groups.
    """

    def __init__(self, view: View):
        self.view = view
        self.canvas = view.fig.canvas
        self.background = None
        self.moving: list[str] = []
        self.kept: dict[object, tuple[object, list[str]]] = {}  # frame -> (picture, moving)

    def forget(self) -> None:
        """Draw in full next time (the figure may be half-updated after a failed update)."""
        self.background, self.kept = None, {}

    def render(self, changed: Sequence[str] | None) -> bytes:
        groups = self.view.groups
        moving = list(groups) if changed is None else [n for n in groups if n in changed]
        frame = self.view.frame
        if (
            changed is None
            and frame is not None
            and self.kept.get(frame, (None, None))[1] == moving
        ):
            self.background, self.moving = self.kept[frame]  # a frame shown before: its picture
            self.canvas.restore_region(self.background)
        elif changed is None or self.background is None or moving != self.moving:
            for name, artists in groups.items():
                for artist in artists:
                    artist.set_animated(name in moving)
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.view.fig.bbox)
            self.moving = moving
            if frame is not None:
                self.kept[frame] = (self.background, moving)
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
