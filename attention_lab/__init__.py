"""attention-lab: self-attention, step by step.

Modules: ``functional`` (the math), ``tiled`` (flash-style attention without the n×n matrix),
``triton_attention`` (the same as a Triton kernel, which ``triton_kernel`` holds),
``layers`` (torch modules), ``positions`` (sinusoidal tables and RoPE), ``kv_cache`` (the
cache of generation and its masks), ``data`` (the worked examples),
``device`` and ``default_device`` (where tensors live: ``use_device()``), ``plots`` (matplotlib pictures),
``exercises`` (self-checking exercises); ``widgets`` (sliders) is imported on demand, since
ipywidgets is a heavy import. Maintainer tools live apart, in ``attention_lab.tools``.

The plot functions named here load matplotlib the first time one of them is asked for, not at
``import attention_lab``: a script that only computes never pays for it.
"""

import importlib
import importlib.metadata

from .data import CAT_SAT_TOKENS, JOURNEY_TOKENS, cat_sat_embeddings, journey_embeddings
from .default_device import use_device
from .device import describe_environment, pick_device, to_cpu
from .exercises import check
from .functional import attention, causal_mask, dot_scores_loop, softmax_naive, softmax_stable
from .kv_cache import KVCache, cache_bytes, sliding_window_mask
from .layers import MultiHeadAttention, SelfAttention, SelfAttentionParams
from .positions import apply_rope, rope_permutation, sinusoidal_positions
from .tiled import attention_tiled
from .triton_attention import attention_triton

try:
    #: The installed version; pyproject.toml is its only source.
    __version__ = importlib.metadata.version("attention-lab")
except importlib.metadata.PackageNotFoundError:  # imported from a checkout never installed
    __version__ = "0+unknown"

#: Re-exported from ``plots``, which is imported when one of them is first used.
_FROM_PLOTS = (
    "plot_attention_scores",
    "plot_attention_weights",
    "plot_bars",
    "plot_benchmark",
    "plot_causal_masking",
    "plot_curves",
    "plot_head_split",
    "plot_heatmaps",
    "plot_qkv_projection",
    "plot_score_spread",
    "plot_scores_and_weights",
    "plot_softmax_curves",
    "plot_tile_walk",
    "plot_transformer_block",
    "plot_vectors",
)


def __getattr__(name: str) -> object:
    if name in _FROM_PLOTS:
        return getattr(importlib.import_module(".plots", __name__), name)
    raise AttributeError(f"module 'attention_lab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_FROM_PLOTS])  # so tab completion offers the plots too


__all__ = [
    "CAT_SAT_TOKENS",
    "JOURNEY_TOKENS",
    "KVCache",
    "MultiHeadAttention",
    "SelfAttention",
    "SelfAttentionParams",
    "apply_rope",
    "attention",
    "attention_tiled",
    "attention_triton",
    "cache_bytes",
    "cat_sat_embeddings",
    "causal_mask",
    "check",
    "describe_environment",
    "dot_scores_loop",
    "journey_embeddings",
    "pick_device",
    *_FROM_PLOTS,  # lazily imported, listed once above
    "rope_permutation",
    "sinusoidal_positions",
    "sliding_window_mask",
    "softmax_naive",
    "softmax_stable",
    "to_cpu",
    "use_device",
]
