"""Notebook 00 (start here): indexing the embeddings, and what one changed input moves."""

from __future__ import annotations

import torch

from ...data import JOURNEY_TOKENS
from .common import Exercise, constant, journey_x


def _rows_changed(value: float) -> torch.Tensor:
    """How many rows of the unscaled attention weights move when inputs[1, 0] is set to value."""
    x = journey_x()
    x_changed = x.clone()
    x_changed[1, 0] = value
    before = torch.softmax(x @ x.T, dim=-1)  # (6, 6)
    after = torch.softmax(x_changed @ x_changed.T, dim=-1)  # (6, 6)
    return (~torch.isclose(before, after).all(dim=-1)).sum().double()


EXERCISES = [
    Exercise(
        "00.embedding_of_one",
        lambda: journey_x()[JOURNEY_TOKENS.index("one")],
        {
            "off_by_one": lambda: journey_x()[5],
            "fourth_token": lambda: journey_x()[3],
        },
    ),
    Exercise(
        "00.first_feature",
        lambda: journey_x()[:, 0],
        {
            "row_not_column": lambda: journey_x()[0],
            "off_by_one": lambda: journey_x()[:, 1],
        },
    ),
    Exercise(
        "00.rows_changed",
        lambda: _rows_changed(0.0),
        {
            "only_own_row": constant(1),
            "nothing_changed": constant(0),
            "counted_entries": constant(36),
            "counted_score_entries": constant(11),
        },
    ),
]
