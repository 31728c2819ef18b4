"""Explorers: sliders that move the attention math, and a figure that follows them.

    from attention_lab.widgets import embedding_explorer
    embedding_explorer(JOURNEY_TOKENS, journey_embeddings(), query="journey")

The package is one shell and one module per explorer:

- ``shell``: ``Explorer``, the one explorer class. It reads its controls into a state, runs a
  pure step on it, shows the step's numbers (HTML) and its figure (a PNG in an ``Output``
  widget), and shows an error raised by an update in red, in the explorer, rather than in a
  log. Displayed, it also carries its first figure as a plain PNG, which a saved notebook shows
  where no kernel runs (GitHub, nbviewer). Also the helpers the explorer modules share.
- ``figures``: ``View`` (a figure whose frames are drawn once and whose number-showing artists
  are redrawn in named groups), ``HeatmapPairView``, and the ``Renderer`` that redraws only the
  groups that moved and encodes the PNG. Figures use matplotlib's Agg backend, as
  ``%matplotlib inline`` does, so no interactive backend is needed (ipympl fails on Colab).
- ``embedding``, ``softmax``, ``weights``, ``scaling``, ``causal``, ``heads``, ``cost``, ``tiles``,
  ``backward``, ``rope``, ``padding``, ``gqa``, ``learned``, ``programs``: one explorer each.

Adding an explorer (for notebook NN, say ``mask_explorer``) is one new module,
``widgets/mask.py``, with four parts, and two lines here:

1. ``MaskStep``, a frozen dataclass of the tensors the step computes (a ``Shapes:`` docstring).
2. ``mask_step(...) -> MaskStep``: pure (tensors and numbers in, no widgets), checking its
   arguments with the shared validators of ``attention_lab._checks`` (``check_tensor``,
   ``check_positive_int``, ``check_bool``, ...), never with a copy of them.
3. ``describe_mask(step, ...) -> str``: the numbers as HTML, with ``shell.html_table`` and
   ``shell.html_line``.
4. ``MaskView(View)``: draws its frames in ``__init__`` with the ``*_frame`` functions of
   ``attention_lab.plots``, and in ``update(state, step)`` replaces its groups of artists
   (``self.replace("bars", plots.bar_artists(...))``) and returns the names redrawn, or None
   when a frame (a title, a limit) changed. Reuse ``HeatmapPairView`` where two heatmaps do.
5. ``mask_explorer(...) -> Explorer``, the factory: checks its arguments (a bad start fails the
   cell), makes the controls, and returns::

       Explorer("mask explorer", controls, rows, MaskView(...),
                read=lambda: {"p": controls["p"].value},             # controls -> state
                step=lambda state: mask_step(x, state["p"]),          # state -> MaskStep
                describe=lambda state, step: describe_mask(step, tokens))

Then export ``mask_step``, ``describe_mask`` and ``mask_explorer`` below and add the explorer on
its default example to ``EXAMPLES``: the tests and the benchmark (``python -m
attention_lab.bench widgets``, give its main slider in ``bench/widgets.py``) then cover it. Keep
a module under ~300 lines. Only the ipywidgets API common to versions 7 and 8 is used. This
package imports ipywidgets, which ``import attention_lab`` does not.
"""

from __future__ import annotations

from collections.abc import Callable

from ..data import CAT_SAT_TOKENS, JOURNEY_TOKENS, cat_sat_embeddings, journey_embeddings
from ..default_device import on_cpu
from .backward import BackwardStep, backward_explorer, backward_step, describe_backward
from .causal import CausalStep, causal_explorer, causal_step, describe_causal
from .cost import CostStep, cost_explorer, cost_step, describe_cost
from .embedding import EmbeddingStep, describe_embedding, embedding_explorer, embedding_step
from .figures import DPI, HeatmapPairView, Renderer, View, canvas_png, figure_png
from .gqa import GQAStep, describe_gqa, gqa_explorer, gqa_step
from .heads import HeadsStep, describe_heads, heads_explorer, heads_step, heads_weights
from .learned import LearnedStep, describe_learned, learned_explorer, learned_step
from .padding import (
    PaddingStep,
    describe_padding,
    padded_tokens,
    padding_explorer,
    padding_mask,
    padding_step,
)
from .programs import ProgramsStep, describe_programs, programs_explorer, programs_step
from .rope import RopeStep, describe_rope, rope_explorer, rope_step
from .scaling import ScalingStep, describe_scaling, scaling_explorer, scaling_step
from .shell import Explorer, error_html, one_torch_thread
from .softmax import (
    DTYPES,
    SoftmaxStep,
    describe_softmax,
    exp_overflow_threshold,
    softmax_explorer,
    softmax_step,
)
from .tiles import TilesStep, describe_tiles, tiles_example, tiles_explorer, tiles_step
from .weights import WeightStep, describe_weights, weight_explorer, weight_step

#: Every explorer on its default example, by name: what the benchmark and the tests run.
EXAMPLES: dict[str, Callable[[], Explorer]] = {
    "embedding 2-d": on_cpu(lambda: embedding_explorer(CAT_SAT_TOKENS, cat_sat_embeddings())),
    "embedding 3-d": on_cpu(lambda: embedding_explorer(JOURNEY_TOKENS, journey_embeddings())),
    "softmax": softmax_explorer,
    "weights": weight_explorer,
    "scaling": scaling_explorer,
    "causal": causal_explorer,
    "padding": padding_explorer,
    "heads": heads_explorer,
    "cost": cost_explorer,
    "tiles": tiles_explorer,
    "programs": programs_explorer,
    "rope": rope_explorer,
    "learned": learned_explorer,
    "gqa": gqa_explorer,
    "backward": backward_explorer,
}

__all__ = [
    "DPI",
    "DTYPES",
    "EXAMPLES",
    "BackwardStep",
    "CausalStep",
    "CostStep",
    "EmbeddingStep",
    "Explorer",
    "GQAStep",
    "HeadsStep",
    "HeatmapPairView",
    "LearnedStep",
    "PaddingStep",
    "ProgramsStep",
    "Renderer",
    "RopeStep",
    "ScalingStep",
    "SoftmaxStep",
    "TilesStep",
    "View",
    "WeightStep",
    "backward_explorer",
    "backward_step",
    "canvas_png",
    "causal_explorer",
    "causal_step",
    "cost_explorer",
    "cost_step",
    "describe_backward",
    "describe_causal",
    "describe_cost",
    "describe_embedding",
    "describe_gqa",
    "describe_heads",
    "describe_learned",
    "describe_padding",
    "describe_programs",
    "describe_rope",
    "describe_scaling",
    "describe_softmax",
    "describe_tiles",
    "describe_weights",
    "embedding_explorer",
    "embedding_step",
    "error_html",
    "exp_overflow_threshold",
    "figure_png",
    "gqa_explorer",
    "gqa_step",
    "heads_explorer",
    "heads_step",
    "heads_weights",
    "learned_explorer",
    "learned_step",
    "one_torch_thread",
    "padded_tokens",
    "padding_explorer",
    "padding_mask",
    "padding_step",
    "programs_explorer",
    "programs_step",
    "rope_explorer",
    "rope_step",
    "scaling_explorer",
    "scaling_step",
    "softmax_explorer",
    "softmax_step",
    "tiles_example",
    "tiles_explorer",
    "tiles_step",
    "weight_explorer",
    "weight_step",
]
