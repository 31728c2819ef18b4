"""Notebook 01 (dot-product scores): scores of another query, a sum by hand, a longer key."""

from __future__ import annotations

import torch

from .common import Exercise, constant, journey_x


def _doubled_starts() -> torch.Tensor:
    """[score, cosine] of "journey" against "starts" made twice as long."""
    query, starts_doubled = journey_x()[1], 2 * journey_x()[2]
    return torch.stack([query @ starts_doubled, torch.cosine_similarity(query, starts_doubled, 0)])


EXERCISES = [
    Exercise(
        "01.scores_with",
        lambda: journey_x() @ journey_x()[3],
        {
            "counted_from_one": lambda: journey_x() @ journey_x()[4],
            "notebook_query": lambda: journey_x() @ journey_x()[1],
            "cosine_not_dot": lambda: torch.cosine_similarity(
                journey_x(), journey_x()[3][None], dim=-1
            ),
        },
    ),
    Exercise(
        "01.scores_no_matmul",
        lambda: journey_x() @ journey_x()[1],
        {
            "summed_over_tokens": lambda: (journey_x() * journey_x()[1]).sum(dim=0),
            "forgot_to_sum": lambda: journey_x() * journey_x()[1],
            "summed_everything": lambda: (journey_x() * journey_x()[1]).sum(),
            "added_not_multiplied": lambda: (journey_x() + journey_x()[1]).sum(dim=1),
        },
        method_rule=True,
    ),
    Exercise(
        "01.doubled_starts",
        _doubled_starts,
        {
            "doubled_cosine": lambda: (
                _doubled_starts() * torch.tensor([1.0, 2.0], dtype=torch.float64)
            ),
            "original_starts": lambda: (
                _doubled_starts() / torch.tensor([2.0, 1.0], dtype=torch.float64)
            ),
            "raw_dot_as_cosine": lambda: _doubled_starts()[0].repeat(2),
            "divided_by_one_length": lambda: torch.stack(
                [_doubled_starts()[0], _doubled_starts()[0] / (2 * journey_x()[2]).norm()]
            ),
        },
    ),
    Exercise(
        "01.predict_largest",
        lambda: (journey_x() @ journey_x()[3]).argmax().double(),  # the token "journey"
        {
            "itself": constant(3),
            "least_similar": lambda: (journey_x() @ journey_x()[3]).argmin().double(),
        },
    ),
]
