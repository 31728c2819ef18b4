"""Notebook 10 (position and order): a sinusoidal row, a score read from its offset, a layout fix."""

from __future__ import annotations

import torch

from ...positions import apply_rope, rope_permutation, sinusoidal_positions
from .common import Answer, Exercise


def _position_row(
    position: int = 4, *, swapped: bool = False, exponent_factor: float = 1.0
) -> Answer:
    """Row ``position`` of the (·, 6) sinusoidal table; ``swapped`` puts cos before sin, and
    ``exponent_factor = 0.5`` forgets the 2 of 10000^(2i/d)."""

    def answer() -> torch.Tensor:
        d = 6
        columns = torch.arange(0, d, 2, dtype=torch.float64)  # the even columns 2i
        angles = position / 10000 ** (exponent_factor * columns / d)  # (d/2,)
        even, odd = torch.sin(angles), torch.cos(angles)  # columns 2i and 2i + 1
        if swapped:
            even, odd = odd, even
        return torch.stack([even, odd], dim=-1).flatten()  # (d,): sin, cos, sin, cos, ...

    return answer


def _query_key() -> tuple[torch.Tensor, torch.Tensor]:
    """Section 3's q and k: (8,) each, from a CPU generator seeded 0, in that order."""
    generator = torch.Generator().manual_seed(0)
    q = torch.randn(8, generator=generator)
    k = torch.randn(8, generator=generator)
    return q.double(), k.double()


def _rotated(v: torch.Tensor, position: int, interleaved: bool = False) -> torch.Tensor:
    return apply_rope(v[None], torch.tensor([position]), interleaved=interleaved)[0]


def _score(m: int | None, n: int | None, interleaved: bool = False) -> Answer:
    """q at position m against k at position n; None leaves that vector unrotated."""

    def answer() -> torch.Tensor:
        q, k = _query_key()
        q = q if m is None else _rotated(q, m, interleaved)
        k = k if n is None else _rotated(k, n, interleaved)
        return q @ k

    return answer


def _layout_scores(q_order: str = "p", k_order: str = "p") -> Answer:
    """(8, 8) scores of q and k at positions 0..7 with their features reordered first.

    An order is "p" (rope_permutation), "inverse" (its inverse) or "none".
    """

    def answer() -> torch.Tensor:
        q, k = _query_key()
        p = rope_permutation(8)
        orders = {"p": p, "inverse": torch.argsort(p), "none": torch.arange(8)}
        q_all = q.expand(8, 8)[:, orders[q_order]]  # (T, d): the query at every position
        k_all = k.expand(8, 8)[:, orders[k_order]]
        return apply_rope(q_all) @ apply_rope(k_all).T  # (T, T)

    return answer


EXERCISES = [
    Exercise(
        "10.position_row",
        lambda: sinusoidal_positions(5, 6, dtype=torch.float64)[4],
        {
            "sin_cos_swapped": _position_row(swapped=True),
            "exponent_without_2": _position_row(exponent_factor=0.5),
            "position_off_by_one": _position_row(position=3),
        },
    ),
    Exercise(
        "10.score_at_offset",
        _score(7, 4),
        {
            "offset_reversed": _score(4, 7),
            "key_not_rotated": _score(7, None),
            "not_rotated": _score(None, None),
            "interleaved_layout": _score(7, 4, interleaved=True),
        },
    ),
    Exercise(
        "10.fix_layout",
        _layout_scores(),
        {
            "not_permuted": _layout_scores("none", "none"),
            "query_only_permuted": _layout_scores("p", "none"),
            "inverse_permutation": _layout_scores("inverse", "inverse"),
        },
    ),
]
