"""Notebook 03 (context vectors): another query's context, a batch, what one token changes."""

from __future__ import annotations

import math

import torch

from .common import Exercise, constant, journey_x


def _scores_changed() -> torch.Tensor:
    """How many of the 36 scores move when "journey" gets the embedding [0.1, 0.2, 0.3]."""
    x = journey_x()
    x_changed = x.clone()
    x_changed[1] = torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64)
    return (~torch.isclose(x @ x.T, x_changed @ x_changed.T)).sum().double()


def _batch_weights(dim: int, scale: float = 1.0) -> torch.Tensor:
    """Weights of the journey sentence and its reverse, stacked as a batch (unscaled: 1.0)."""
    batch = torch.stack([journey_x(), journey_x().flip(0)])  # (B, T, d_in) = (2, 6, 3)
    return torch.softmax(batch @ batch.transpose(-2, -1) * scale, dim=dim)  # (B, T, T)


def _context(query: int, normalize=lambda s: torch.softmax(s, dim=0)) -> torch.Tensor:
    """The context vector of token ``query``, its scores normalized by ``normalize``."""
    x = journey_x()
    return normalize(x @ x[query]) @ x  # (d_in,)


def _tokens_whose_context_changes_when_reversed() -> torch.Tensor:
    """How many tokens get another context vector when the sentence is read backwards."""
    x = journey_x()
    forward = torch.softmax(x @ x.T, dim=-1) @ x  # (T, d_in)
    backward = torch.softmax(x.flip(0) @ x.flip(0).T, dim=-1) @ x.flip(0)  # (T, d_in)
    return (~torch.isclose(forward, backward.flip(0)).all(dim=-1)).sum().double()


EXERCISES = [
    Exercise(
        "03.context_3",
        lambda: _context(2),
        {
            "raw_scores": lambda: _context(2, normalize=lambda s: s),
            "divided_by_sum": lambda: _context(2, normalize=lambda s: s / s.sum()),
            "counted_from_one": lambda: _context(3),
            "notebook_query": lambda: _context(1),
            "scaled_scores": lambda: _context(
                2, normalize=lambda s: torch.softmax(s / math.sqrt(3), dim=0)
            ),
        },
    ),
    Exercise(
        "03.batch_weights",
        lambda: _batch_weights(dim=-1),
        {
            "softmax_wrong_dim_queries": lambda: _batch_weights(dim=1),
            "softmax_wrong_dim_batch": lambda: _batch_weights(dim=0),
            "scaled_scores": lambda: _batch_weights(dim=-1, scale=1 / math.sqrt(3)),
        },
    ),
    Exercise(
        "03.changed_scores",
        _scores_changed,
        {
            "only_own_row": constant(6),
            "counted_self_twice": constant(12),
            "every_entry": constant(36),
        },
    ),
    Exercise(
        "03.predict_reversed",
        _tokens_whose_context_changes_when_reversed,
        {"every_token": constant(6), "half_of_them": constant(3)},
    ),
]
