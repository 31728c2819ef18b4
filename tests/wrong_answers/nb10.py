"""Wrong answers to notebook 10's exercises, as a learner would compute them."""

from __future__ import annotations

import torch

from attention_lab import apply_rope, rope_permutation

from . import Wrong

gen = torch.Generator().manual_seed(0)
q = torch.randn(8, generator=gen)  # section 3's query and key, (8,) each
k = torch.randn(8, generator=gen)
positions = torch.arange(8)
q8, k8 = q.expand(8, 8), k.expand(8, 8)  # (T, d): the query and the key at positions 0..7
p = rope_permutation(8)


def _row(position=4, *, swap=False, pair_index=False):
    columns = torch.arange(0, 6, 2, dtype=torch.float32)
    exponent = torch.arange(3) / 6 if pair_index else columns / 6
    angles = position / 10000**exponent
    first, second = (
        (torch.cos(angles), torch.sin(angles)) if swap else (torch.sin(angles), torch.cos(angles))
    )
    return torch.stack([first, second], dim=-1).flatten()


def _at(v, position, interleaved=False):
    return apply_rope(v[None], torch.tensor([position]), interleaved=interleaved)[0]


WRONG = [
    Wrong("10.position_row", "cos in the even columns", lambda: _row(swap=True), "sin_cos_swapped"),
    Wrong(
        "10.position_row",
        "10000 ** (i / d) with the pair index",
        lambda: _row(pair_index=True),
        "exponent_without_2",
    ),
    Wrong(
        "10.position_row",
        "the fourth row, position 3",
        lambda: _row(position=3),
        "position_off_by_one",
    ),
    Wrong(
        "10.position_row", "sines only", lambda: torch.sin(4 / 10000 ** (torch.arange(6) / 6)), None
    ),
    Wrong(
        "10.score_at_offset",
        "query at 4, key at 7",
        lambda: _at(q, 4) @ _at(k, 7),
        "offset_reversed",
    ),
    Wrong("10.score_at_offset", "key left at position 0", lambda: _at(q, 7) @ k, "key_not_rotated"),
    Wrong("10.score_at_offset", "q @ k", lambda: q @ k, "not_rotated"),
    Wrong(
        "10.score_at_offset",
        "interleaved=True",
        lambda: _at(q, 7, True) @ _at(k, 4, True),
        "interleaved_layout",
    ),
    Wrong(
        "10.score_at_offset",
        "the positions added: q at 11, k at 0",
        lambda: _at(q, 11) @ k,
        None,
    ),
    Wrong(
        "10.fix_layout",
        "split-half, not reordered",
        lambda: apply_rope(q8) @ apply_rope(k8).T,
        "not_permuted",
    ),
    Wrong(
        "10.fix_layout",
        "only q reordered",
        lambda: apply_rope(q8[:, p]) @ apply_rope(k8).T,
        "query_only_permuted",
    ),
    Wrong(
        "10.fix_layout",
        "the inverse order",
        lambda: apply_rope(q8[:, p.argsort()]) @ apply_rope(k8[:, p.argsort()]).T,
        "inverse_permutation",
    ),
    Wrong(
        "10.fix_layout",
        "the mixed scores of section 5",
        lambda: apply_rope(q8) @ apply_rope(k8, interleaved=True).T,
        None,
    ),
]
