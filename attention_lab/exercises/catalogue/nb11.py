"""Notebook 11 (cross-attention and padding): a left-padding mask, cross-attention weights, and
the shape of the module's weights with a context."""

from __future__ import annotations

import torch

from .common import Answer, Exercise, constant, journey_x

LENGTHS = (3, 5, 2)  # the sentences of exercise 1, padded to T = 5
T = 5


def _lengths_mask(*, left: bool = True, torch_convention: bool = False) -> torch.Tensor:
    """(3, 5): 1 at the real tokens (the package's True), padded left or right; as float64, so
    that a learner's bool mask compares as 1 and 0."""
    positions = torch.arange(T)  # (T,)
    n = torch.tensor(LENGTHS)[:, None]  # (B, 1)
    real = positions >= T - n if left else positions < n  # (B, T)
    return (~real if torch_convention else real).double()


def target_x() -> torch.Tensor:
    """The 4 queries of section 1, torch.randn(4, 3) from a CPU generator seeded 11, float64."""
    return torch.randn(4, 3, generator=torch.Generator().manual_seed(11)).double()


def _cross_weights(
    *, scale: float = 3**-0.5, swap: bool = False, self_keys: bool = False
) -> Answer:
    """softmax(target · sourceᵀ · scale): 4 queries of the target against 6 keys of the journey."""

    def weights() -> torch.Tensor:
        queries, keys = target_x(), journey_x()  # (4, 3), (6, 3)
        if swap:
            queries, keys = keys, queries
        if self_keys:
            keys = queries
        return torch.softmax(queries @ keys.T * scale, dim=-1)  # (T_q, T_k)

    return weights


EXERCISES = [
    Exercise(
        "11.left_padding_mask",
        _lengths_mask,
        {
            "torch_convention": lambda: _lengths_mask(torch_convention=True),
            "right_padding": lambda: _lengths_mask(left=False),
            "torch_convention_right_padding": lambda: _lengths_mask(
                left=False, torch_convention=True
            ),
        },
        truth_values=True,
    ),
    Exercise(
        "11.cross_weights",
        _cross_weights(),
        {
            "roles_swapped": _cross_weights(swap=True),
            "self_attention_keys": _cross_weights(self_keys=True),
            "unscaled": _cross_weights(scale=1.0),
        },
    ),
    Exercise(
        "11.predict_weights_shape",
        constant(2, 2, 4, 6),
        {
            "heads_averaged": constant(2, 4, 6),
            "queries_and_keys_swapped": constant(2, 2, 6, 4),
            "square_like_self_attention": constant(2, 2, 4, 4),
            "no_heads_axis_order": constant(2, 4, 2, 6),
        },
    ),
]
