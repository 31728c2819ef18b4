"""attention-lab: self-attention, step by step.

Modules: ``functional`` (the math), ``tiled`` (flash-style attention without the n×n matrix),
``layers`` (torch modules), ``data`` (the worked examples),
``device`` (where tensors live), ``plots`` (matplotlib pictures),
``exercises`` (self-checking exercises); ``widgets`` (sliders) is imported on demand, since
ipywidgets is a heavy import. Maintainer tools live apart, in ``attention_lab.tools``.
"""

from .data import CAT_SAT_TOKENS, JOURNEY_TOKENS, cat_sat_embeddings, journey_embeddings
from .device import describe_environment, pick_device, to_cpu
from .exercises import check
from .functional import attention, causal_mask, dot_scores_loop, softmax_naive, softmax_stable
from .layers import MultiHeadAttention, SelfAttention, SelfAttentionParams
from .plots import (
    plot_attention_scores,
    plot_attention_weights,
    plot_bars,
    plot_benchmark,
    plot_curves,
    plot_heatmaps,
    plot_score_spread,
    plot_scores_and_weights,
    plot_softmax_curves,
    plot_vectors,
)
from .tiled import attention_tiled

__all__ = [
    "CAT_SAT_TOKENS",
    "JOURNEY_TOKENS",
    "MultiHeadAttention",
    "SelfAttention",
    "SelfAttentionParams",
    "attention",
    "attention_tiled",
    "cat_sat_embeddings",
    "causal_mask",
    "check",
    "describe_environment",
    "dot_scores_loop",
    "journey_embeddings",
    "pick_device",
    "plot_attention_scores",
    "plot_attention_weights",
    "plot_bars",
    "plot_benchmark",
    "plot_curves",
    "plot_heatmaps",
    "plot_score_spread",
    "plot_scores_and_weights",
    "plot_softmax_curves",
    "plot_vectors",
    "softmax_naive",
    "softmax_stable",
    "to_cpu",
]
