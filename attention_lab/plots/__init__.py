"""Matplotlib pictures of attention, one module per kind of picture.

Each function takes ``ax=`` and returns the Axes it drew on; none calls ``plt.show()``, so the
caller decides where the figure goes. Without ``ax`` a small new figure is made with pyplot (so a
notebook shows it). Each picture is drawn in two parts, a frame (ticks, labels, title) and the
artists that show the numbers, so that the explorers of ``attention_lab.widgets`` can keep a frame
and redraw only the numbers.

- ``heatmaps``: scores and weights as matrices, one or a grid on one colour scale;
- ``bars``: one query's scores and weights per token;
- ``vectors``: embeddings as arrows, the context vector inside their hull;
- ``softmax``: softmax against its scale, and the spread of scores before and after ÷√d_k;
- ``curves``: measurements against a size (a benchmark against n, a statistic against d_k);
- ``block``: where attention sits in a transformer block (residual, LayerNorm, MLP);
- ``online``: flash attention's running maximum over chunks, and which tiles it computes;
- ``dataflow``: where the numbers go: the Q/K/V projection, the head split and merge with the
  shape at each step, the causal mask applied before softmax;
- ``walk``: flash attention's tile walk, one query block along the key blocks, step by step;
- ``base``: what they share (colours, a new Axes, tensors made ready to draw).
"""

from __future__ import annotations

from .bars import bar_artists, bar_limits, bars_frame, plot_bars, plot_scores_and_weights
from .base import (
    CONTEXT_COLOR,
    INPUT_COLOR,
    MASKED_COLOR,
    OVERFLOW_COLOR,
    QUERY_COLOR,
    SERIES_COLORS,
    SMALL,
)
from .block import plot_transformer_block
from .curves import BENCHMARK_STYLES, CURVE_STYLES, plot_benchmark, plot_curves
from .dataflow import plot_causal_masking, plot_head_split, plot_qkv_projection
from .heatmaps import (
    heatmap_artists,
    heatmap_frame,
    heatmap_limits,
    plot_attention_scores,
    plot_attention_weights,
    plot_heatmaps,
)
from .online import (
    TILE_FULL,
    TILE_MASKED,
    TILE_SKIPPED,
    plot_running_max,
    plot_tile_grid,
    tile_plan,
)
from .softmax import (
    plot_score_spread,
    plot_softmax_curves,
    scale_marker,
    spread_artists,
    spread_frame,
    spread_limit,
)
from .vectors import auto_limits, convex_hull_2d, plot_vectors, vector_artists, vectors_frame
from .walk import plot_tile_walk, tile_walk_shapes

__all__ = [
    "BENCHMARK_STYLES",
    "CONTEXT_COLOR",
    "CURVE_STYLES",
    "INPUT_COLOR",
    "MASKED_COLOR",
    "OVERFLOW_COLOR",
    "QUERY_COLOR",
    "SERIES_COLORS",
    "SMALL",
    "TILE_FULL",
    "TILE_MASKED",
    "TILE_SKIPPED",
    "auto_limits",
    "bar_artists",
    "bar_limits",
    "bars_frame",
    "convex_hull_2d",
    "heatmap_artists",
    "heatmap_frame",
    "heatmap_limits",
    "plot_attention_scores",
    "plot_attention_weights",
    "plot_bars",
    "plot_benchmark",
    "plot_causal_masking",
    "plot_curves",
    "plot_head_split",
    "plot_heatmaps",
    "plot_qkv_projection",
    "plot_running_max",
    "plot_score_spread",
    "plot_scores_and_weights",
    "plot_softmax_curves",
    "plot_tile_grid",
    "plot_tile_walk",
    "plot_transformer_block",
    "plot_vectors",
    "scale_marker",
    "spread_artists",
    "spread_frame",
    "spread_limit",
    "tile_plan",
    "tile_walk_shapes",
    "vector_artists",
    "vectors_frame",
]
