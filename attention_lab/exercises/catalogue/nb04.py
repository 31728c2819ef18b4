"""Notebook 04 (trainable weights): seeded weight draws, scaling by √d_k, nn.Linear's layout."""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from .common import Exercise, constant, journey_x, linear_weights


def _seed_weights(
    shape: tuple[int, int], draw: Callable[..., torch.Tensor] = torch.randn
) -> list[torch.Tensor]:
    """W_query, W_key, W_value as section 1 draws them: seed 123, then three draws of shape."""
    # A fresh CPU generator seeded 123 draws what torch.manual_seed(123) then torch.randn draw.
    generator = torch.Generator().manual_seed(123)
    return [draw(*shape, generator=generator).double() for _ in range(3)]


def _context_2(scale: float, values: str = "values") -> torch.Tensor:
    """The context vector of "journey" with d_out = 4, scores multiplied by ``scale``.

    ``values="keys"`` mixes the keys instead of the values, the mistake of that name.
    """
    W_query, W_key, W_value = _seed_weights((3, 4))
    x = journey_x()
    attn_scores_2 = (x[1] @ W_query) @ (x @ W_key).T  # (T,)
    mixed = x @ (W_value if values == "values" else W_key)  # (T, d_out)
    return torch.softmax(attn_scores_2 * scale, dim=-1) @ mixed  # (d_out,)


def _linear_weight() -> torch.Tensor:
    """The (d_out, d_in) = (3, 3) weight of nn.Linear(3, 3, bias=False) built after seed 0."""
    return linear_weights(0, 1, d_in=3, d_out=3)[0]


EXERCISES = [
    Exercise(
        "04.W_key",
        lambda: _seed_weights((3, 4))[1],
        {
            "rand_not_randn": lambda: _seed_weights((3, 4), torch.rand)[1],
            "wrong_seed_order": lambda: _seed_weights((3, 4))[0],
            "transposed_shape": lambda: _seed_weights((4, 3))[1],
            "third_draw": lambda: _seed_weights((3, 4))[2],
        },
    ),
    Exercise(
        "04.context_2",
        lambda: _context_2(1 / math.sqrt(4)),
        {
            "divided_by_d_k": lambda: _context_2(1 / 4),
            "scale_of_d_out_2": lambda: _context_2(1 / math.sqrt(2)),
            "unscaled": lambda: _context_2(1.0),
            "keys_as_values": lambda: _context_2(1 / math.sqrt(4), values="keys"),
        },
    ),
    Exercise(
        "04.linear_queries",
        lambda: journey_x() @ _linear_weight().T,
        {
            "missing_transpose": lambda: journey_x() @ _linear_weight(),
        },
    ),
    Exercise(
        "04.predict_params",
        constant(3 * 3 * 2),  # W_q, W_k, W_v, each (d_in, d_out) = (3, 2), no bias
        {
            "one_matrix": constant(3 * 2),
            "no_values": constant(2 * 3 * 2),
            "with_bias": constant(3 * (3 * 2 + 2)),
            "square": constant(3 * 3 * 3),
        },
    ),
]
