"""Matplotlib pictures of attention. Each function takes ``ax=`` and returns the Axes it drew on;
none calls ``plt.show()``, so the caller decides where the figure goes."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes

#: Small figures keep the stored notebooks light.
SMALL = (3.6, 3.0)


def _new_ax(ax: Axes | None, figsize: tuple[float, float] = SMALL) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def plot_attention_weights(
    attn_weights: torch.Tensor,
    query_tokens: Sequence[str],
    key_tokens: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    title: str = "attention weights",
    fmt: str = "{:.2f}",
) -> Axes:
    """Heatmap of attention weights: one row per query token, one column per key token.

    Shapes: attn_weights (T_q, T_k)
    """
    key_tokens = query_tokens if key_tokens is None else key_tokens
    w = attn_weights.detach().float().cpu()
    if w.ndim != 2 or w.shape != (len(query_tokens), len(key_tokens)):
        raise ValueError(
            "plot_attention_weights: attn_weights must have shape "
            f"({len(query_tokens)}, {len(key_tokens)}) to match the tokens, got {tuple(w.shape)}"
        )
    ax = _new_ax(ax)
    ax.imshow(w.numpy(), cmap="Blues", vmin=0.0, vmax=max(1.0, float(w.max())))
    ax.set_xticks(range(len(key_tokens)), key_tokens, rotation=45, ha="right")
    ax.set_yticks(range(len(query_tokens)), query_tokens)
    ax.set_xlabel("key (attended to)")
    ax.set_ylabel("query")
    ax.set_title(title)
    for (i, j), value in _cells(w):
        color = "white" if value > 0.6 * max(1.0, float(w.max())) else "black"
        ax.text(j, i, fmt.format(value), ha="center", va="center", fontsize=8, color=color)
    return ax


def _cells(w: torch.Tensor):
    for i in range(w.shape[0]):
        for j in range(w.shape[1]):
            yield (i, j), float(w[i, j])
