"""The worked examples: token lists and their small embeddings.

Functions, not module-level tensors, so every call hands out a fresh tensor that a learner may
modify in place without changing the example for the next cell.
"""

from __future__ import annotations

import torch

from ._checks import check_device, check_dtype

#: "Your journey starts with one step": six tokens with 3-d embeddings.
JOURNEY_TOKENS: tuple[str, ...] = ("Your", "journey", "starts", "with", "one", "step")

_JOURNEY = [
    [0.43, 0.15, 0.89],  # Your    (x^1)
    [0.55, 0.87, 0.66],  # journey (x^2)
    [0.57, 0.85, 0.64],  # starts  (x^3)
    [0.22, 0.58, 0.33],  # with    (x^4)
    [0.77, 0.25, 0.10],  # one     (x^5)
    [0.05, 0.80, 0.55],  # step    (x^6)
]

#: "The cat sat": three tokens with 2-d embeddings.
CAT_SAT_TOKENS: tuple[str, ...] = ("The", "cat", "sat")

_CAT_SAT = [
    [1.0, 0.0],  # The
    [0.0, 1.0],  # cat
    [0.5, 0.5],  # sat
]


def journey_embeddings(
    device: torch.device | str | None = None, dtype: torch.dtype | str = torch.float32
) -> torch.Tensor:
    """The journey example's embeddings, one row per token of ``JOURNEY_TOKENS``.

    Shapes: returns (6, 3)
    """
    return _example("journey_embeddings", _JOURNEY, device, dtype)


def cat_sat_embeddings(
    device: torch.device | str | None = None, dtype: torch.dtype | str = torch.float32
) -> torch.Tensor:
    """The "The cat sat" example's embeddings, one row per token of ``CAT_SAT_TOKENS``.

    Shapes: returns (3, 2)
    """
    return _example("cat_sat_embeddings", _CAT_SAT, device, dtype)


def _example(fn: str, rows: list, device: object, dtype: object) -> torch.Tensor:
    # An integer dtype would silently truncate 0.43 to 0: refuse it.
    dtype = check_dtype(fn, "dtype", dtype)
    return torch.tensor(rows, dtype=dtype, device=check_device(fn, device))
