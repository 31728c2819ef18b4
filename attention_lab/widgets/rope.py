"""RoPE explorer: move a query and a key along the sentence; the score follows only their offset."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import torch

from .._checks import check_bool, check_index, check_same_dtype_device, check_tensor, shape_str
from ..default_device import on_cpu
from ..i18n import text as tr
from ..plots import INPUT_COLOR, QUERY_COLOR
from ..positions import apply_rope
from .figures import View
from .shell import Explorer, cpu_step, html_line, html_number, int_slider, own_copy

#: The sliders' last position: offsets run from -MAX_POSITION to MAX_POSITION.
MAX_POSITION = 15


@dataclass(frozen=True)
class RopeStep:
    """A query rotated to position m, a key rotated to position n, their score, and the score
    of the same query and key at every offset (the key at position 0).

    Shapes: q_rot (d,), k_rot (d,), score (), offsets (2·MAX_POSITION + 1,) int, curve (same)
    """

    m: int
    n: int
    interleaved: bool
    q_rot: torch.Tensor
    k_rot: torch.Tensor
    score: torch.Tensor
    offsets: torch.Tensor
    curve: torch.Tensor

    def score_at_offset(self, offset: int) -> float:
        """The score of the query ``offset`` positions after the key, read from the curve."""
        return float(self.curve[offset + MAX_POSITION])

    def first_pair(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The first rotated pair of q and of k (the fastest-turning plane), (2,) each."""
        d = self.q_rot.shape[0]
        pair = [0, 1] if self.interleaved else [0, d // 2]
        return self.q_rot[pair], self.k_rot[pair]


@cpu_step
def rope_step(
    q: torch.Tensor, k: torch.Tensor, m: int, n: int, *, interleaved: bool = False
) -> RopeStep:
    """q rotated to position m and k to position n by ``apply_rope``, and their dot product.

    Shapes: q (d,), k (d,) with d even -> as in ``RopeStep``
    """
    m, n = _check_rope("rope_step", q, k, m, n, interleaved)
    q_rot = apply_rope(q[None], torch.tensor([m], device=q.device), interleaved=interleaved)[0]
    k_rot = apply_rope(k[None], torch.tensor([n], device=k.device), interleaved=interleaved)[0]
    offsets = torch.arange(-MAX_POSITION, MAX_POSITION + 1)  # (2·MAX_POSITION + 1,)
    q_all = apply_rope(
        q.expand(len(offsets), -1), offsets.to(q.device), interleaved=interleaved
    )  # (offsets, d): the query at each position, the key staying at 0
    curve = q_all @ k  # (offsets,)
    return RopeStep(m, n, interleaved, q_rot, k_rot, q_rot @ k_rot, offsets, curve)


def _check_rope(
    fn: str, q: object, k: object, m: object, n: object, interleaved: object
) -> tuple[int, int]:
    """q and k: two vectors of one even length; m and n: positions; return m and n as ints."""
    check_tensor(fn, "q", q, ndim=1)
    check_tensor(fn, "k", k, ndim=1)
    check_same_dtype_device(fn, q=q, k=k)
    if q.shape != k.shape or q.shape[0] % 2:
        raise ValueError(
            f"{fn}: q and k must have the same even length d (RoPE turns pairs), "
            f"got q {shape_str(q)} and k {shape_str(k)}"
        )
    check_bool(fn, "interleaved", interleaved)
    m = check_index(fn, "m", m, MAX_POSITION + 1, what="a position")
    return m, check_index(fn, "n", n, MAX_POSITION + 1, what="a position")


def describe_rope(step: RopeStep) -> str:
    """The score at (m, n) beside the score of the same offset counted from position 0, as HTML."""
    offset = step.m - step.n
    start_q, start_k = max(offset, 0), max(-offset, 0)
    lines = [
        tr(
            "rope.score",
            m=step.m,
            n=step.n,
            offset=offset,
            score=html_number(float(step.score)),
        ),
        tr(
            "rope.same_offset",
            m=start_q,
            n=start_k,
            score=html_number(step.score_at_offset(offset)),
        ),
    ]
    return "".join(html_line(line) for line in lines)


class RopeView(View):
    """Left: the first rotated pair of q and k as arrows. Right: the score against m − n."""

    figsize = (7.2, 3.1)

    def __init__(self) -> None:
        super().__init__()
        self.plane = self.fig.add_subplot(1, 2, 1)
        self.curve = self.fig.add_subplot(1, 2, 2)
        self.margins(left=0.08, right=0.97, bottom=0.17, top=0.88, wspace=0.3)
        self.plane.set_aspect("equal")
        self.plane.axhline(0, color="0.8", lw=0.6)
        self.plane.axvline(0, color="0.8", lw=0.6)
        self.plane.set_title(tr("rope.figure.plane"), fontsize=9)
        self.curve.set_xlim(-MAX_POSITION - 0.5, MAX_POSITION + 0.5)
        self.curve.set_xlabel(tr("rope.figure.offset"))
        self.curve.set_ylabel(tr("rope.figure.score"))
        self.curve.set_title(tr("rope.figure.curve"), fontsize=9)
        self.interleaved: bool | None = None

    def update(self, state: dict, result: RopeStep) -> list[str] | None:
        if result.interleaved != self.interleaved:  # a new curve: redraw the frames too
            self.interleaved = result.interleaved
            self._draw_frames(result)
            self._draw_moving(result)
            return None
        self._draw_moving(result)
        return ["arrows", "marker"]

    def _draw_frames(self, step: RopeStep) -> None:
        q_pair, k_pair = step.first_pair()
        reach = 1.15 * float(max(q_pair.norm(), k_pair.norm()))
        self.plane.set_xlim(-reach, reach)
        self.plane.set_ylim(-reach, reach)
        line = self.curve.plot(
            step.offsets.tolist(), step.curve.tolist(), ".-", color="0.3", lw=1, ms=3
        )
        self.replace("curve", line)
        low, high = float(step.curve.min()), float(step.curve.max())
        margin = 0.08 * (high - low) + 1e-6
        self.curve.set_ylim(low - margin, high + margin)

    def _draw_moving(self, step: RopeStep) -> None:
        q_pair, k_pair = step.first_pair()
        arrows = [
            self.plane.annotate(
                "",
                xy=tuple(pair.tolist()),
                xytext=(0, 0),
                arrowprops={"arrowstyle": "->", "color": color, "lw": 2},
            )
            for pair, color in ((q_pair, QUERY_COLOR), (k_pair, INPUT_COLOR))
        ]
        labels = [
            self.plane.text(*(1.08 * pair).tolist(), name, color=color, ha="center", va="center")
            for pair, color, name in (
                (q_pair, QUERY_COLOR, f"q@{step.m}"),
                (k_pair, INPUT_COLOR, f"k@{step.n}"),
            )
        ]
        self.replace("arrows", arrows + labels)
        offset = step.m - step.n
        marker = self.curve.plot([offset], [float(step.score)], "o", color=QUERY_COLOR, ms=7)
        self.replace("marker", marker)


def default_query_key() -> tuple[torch.Tensor, torch.Tensor]:
    """The explorer's q and k: two 8-d vectors drawn from a CPU generator seeded 10."""
    generator = torch.Generator().manual_seed(10)
    return torch.randn(8, generator=generator), torch.randn(8, generator=generator)


@on_cpu
def rope_explorer(
    q: torch.Tensor | None = None,
    k: torch.Tensor | None = None,
    *,
    m: int = 5,
    n: int = 2,
    interleaved: bool = False,
) -> Explorer:
    """Sliders for the query's position m and the key's position n, and the RoPE layout.

    Shapes: q (d,), k (d,) with d even; positions 0 .. MAX_POSITION

    The score changes when m − n changes and stays put when both move together.
    """
    if q is None or k is None:
        default_q, default_k = default_query_key()
        q = default_q if q is None else q
        k = default_k if k is None else k
    _check_rope("rope_explorer", q, k, m, n, interleaved)  # a bad start fails the cell
    q, k = own_copy(q), own_copy(k)

    controls = {
        "m": int_slider(tr("rope.control.m"), m, 0, MAX_POSITION, width="280px"),
        "n": int_slider(tr("rope.control.n"), n, 0, MAX_POSITION, width="280px"),
        "interleaved": widgets.Checkbox(
            value=interleaved, description=tr("rope.control.interleaved"), indent=False
        ),
    }
    return Explorer(
        tr("rope.title"),
        controls,
        [widgets.HBox([controls["m"], controls["n"], controls["interleaved"]])],
        RopeView(),
        read=lambda: {name: control.value for name, control in controls.items()},
        step=lambda state: rope_step(
            q, k, int(state["m"]), int(state["n"]), interleaved=bool(state["interleaved"])
        ),
        describe=lambda state, result: describe_rope(result),
    )
