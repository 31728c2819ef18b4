"""Sinusoidal positions and RoPE against references written out one number at a time."""

from __future__ import annotations

import math

import pytest
import torch

from attention_lab import apply_rope, attention, rope_permutation, sinusoidal_positions


def sinusoid_reference(T: int, d: int) -> torch.Tensor:
    """PE[t, j] element by element, as "Attention Is All You Need" writes it."""
    table = torch.empty(T, d, dtype=torch.float64)
    for t in range(T):
        for j in range(d):
            angle = t / 10000 ** ((j - j % 2) / d)
            table[t, j] = math.sin(angle) if j % 2 == 0 else math.cos(angle)
    return table


def rope_reference(x: torch.Tensor, positions, base: float, interleaved: bool) -> torch.Tensor:
    """Each pair of features turned by a 2×2 rotation matrix, row by row, pair by pair."""
    T, d = x.shape
    out = torch.empty_like(x)
    for t in range(T):
        for i in range(d // 2):
            a, b = (2 * i, 2 * i + 1) if interleaved else (i, i + d // 2)
            angle = float(positions[t]) * base ** (-2 * i / d)
            rotation = torch.tensor(
                [[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]],
                dtype=x.dtype,
            )
            out[t, [a, b]] = rotation @ x[t, [a, b]]
    return out


@pytest.mark.parametrize(("T", "d"), [(1, 1), (5, 2), (7, 3), (6, 8), (3, 11)])
def test_sinusoidal_positions_match_the_formula(T, d):
    table = sinusoidal_positions(T, d, dtype=torch.float64)
    assert table.shape == (T, d)
    torch.testing.assert_close(table, sinusoid_reference(T, d))
    assert sinusoidal_positions(T, d).dtype == torch.float32


@pytest.mark.parametrize("interleaved", [False, True])
@pytest.mark.parametrize(("d", "base"), [(2, 10000.0), (8, 10000.0), (6, 100.0)])
def test_apply_rope_matches_pair_by_pair_rotations(interleaved, d, base):
    x = torch.randn(5, d, generator=torch.Generator().manual_seed(d), dtype=torch.float64)
    torch.testing.assert_close(
        apply_rope(x, base=base, interleaved=interleaved),
        rope_reference(x, range(5), base, interleaved),
    )
    later = torch.tensor([3, 4, 5, 6, 7])  # a later start, as generation with a cache has
    torch.testing.assert_close(
        apply_rope(x, later, base=base, interleaved=interleaved),
        rope_reference(x, later.tolist(), base, interleaved),
    )


def test_position_zero_is_the_identity_and_the_length_is_kept():
    x = torch.randn(2, 3, 4, 6, generator=torch.Generator().manual_seed(1))  # (B, H, T, d)
    out = apply_rope(x)
    assert out.shape == x.shape and out.dtype == x.dtype
    torch.testing.assert_close(out[..., 0, :], x[..., 0, :])
    torch.testing.assert_close(out.norm(dim=-1), x.norm(dim=-1))  # a rotation keeps lengths


@pytest.mark.parametrize("interleaved", [False, True])
def test_rotated_scores_depend_only_on_the_offset(interleaved):
    gen = torch.Generator().manual_seed(2)
    q, k = torch.randn(2, 16, dtype=torch.float64, generator=gen)
    T = 12
    q_rot = apply_rope(q.expand(T, 16), interleaved=interleaved)  # q at every position
    k_rot = apply_rope(k.expand(T, 16), interleaved=interleaved)
    scores = q_rot @ k_rot.T  # (T, T): [m, n] = q at m against k at n
    for offset in range(-T + 1, T):
        diagonal = scores.diagonal(offset)
        torch.testing.assert_close(diagonal, diagonal[:1].expand_as(diagonal))
    assert scores.diagonal(1).mean() != pytest.approx(scores.diagonal(2).mean())  # it does vary


def test_the_two_layouts_are_one_permutation_apart():
    x = torch.randn(3, 5, 10, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    p = rope_permutation(10)
    assert p.tolist() == [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]
    torch.testing.assert_close(apply_rope(x[..., p]), apply_rope(x, interleaved=True)[..., p])
    # the permutation keeps dot products, so permuted q and k give the interleaved scores
    q, k = x[0], x[1]
    torch.testing.assert_close(
        apply_rope(q[:, p]) @ apply_rope(k[:, p]).T,
        apply_rope(q, interleaved=True) @ apply_rope(k, interleaved=True).T,
    )
    # and without it the two layouts disagree
    assert not torch.allclose(apply_rope(x), apply_rope(x, interleaved=True))


def test_without_positions_attention_is_permutation_equivariant_and_with_them_not():
    x = torch.randn(6, 4, generator=torch.Generator().manual_seed(4), dtype=torch.float64)
    perm = torch.tensor([2, 0, 5, 1, 4, 3])
    out, _ = attention(x, x, x)
    out_perm, _ = attention(x[perm], x[perm], x[perm])
    torch.testing.assert_close(out_perm, out[perm])
    pe = sinusoidal_positions(6, 4, dtype=torch.float64)
    with_pe, _ = attention(x + pe, x + pe, x + pe)
    with_pe_perm, _ = attention(x[perm] + pe, x[perm] + pe, x[perm] + pe)
    assert not torch.allclose(with_pe_perm, with_pe[perm])


def test_half_precision_is_rotated_in_float32():
    x = torch.randn(4, 8, generator=torch.Generator().manual_seed(5))
    for dtype in (torch.float16, torch.bfloat16):
        out = apply_rope(x.to(dtype))
        assert out.dtype == dtype
        torch.testing.assert_close(out.float(), apply_rope(x), atol=2e-2, rtol=2e-2)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: apply_rope(torch.ones(4, 3)), ValueError, r"apply_rope: x must have an even"),
        (lambda: apply_rope(torch.ones(4)), ValueError, r"apply_rope: x must have at least 2"),
        (lambda: apply_rope(torch.ones(4, 2).long()), TypeError, r"apply_rope: x must have a flo"),
        (lambda: apply_rope(torch.ones(4, 2), torch.arange(3)), ValueError, r"shape \(4,\)"),
        (lambda: apply_rope(torch.ones(4, 2), [0, 1, 2, 3]), TypeError, r"positions must be a"),
        (
            lambda: apply_rope(torch.ones(4, 2), torch.ones(4, dtype=torch.bool)),
            TypeError,
            r"apply_rope: positions must hold integers",
        ),
        (
            lambda: apply_rope(torch.ones(4, 2), torch.tensor([0, 1, 2, math.nan])),
            ValueError,
            r"apply_rope: positions contains NaN",
        ),
        (lambda: apply_rope(torch.ones(4, 2), base=1.0), ValueError, r"base must be a number gr"),
        (lambda: apply_rope(torch.ones(4, 2), base="1e4"), TypeError, r"apply_rope: base must"),
        (lambda: apply_rope(torch.ones(4, 2), interleaved=1), TypeError, r"interleaved must be"),
        (
            lambda: apply_rope(torch.full((1, 2), 60000.0, dtype=torch.float16), torch.tensor([1])),
            ValueError,
            r"apply_rope: rotating x overflowed torch.float16",
        ),
        (lambda: sinusoidal_positions(0, 4), ValueError, r"sinusoidal_positions: T must be a pos"),
        (lambda: sinusoidal_positions(4, 2.0), TypeError, r"sinusoidal_positions: d must be a po"),
        (lambda: sinusoidal_positions(4, 2, dtype="int64"), ValueError, r"dtype must be one of"),
        (
            lambda: rope_permutation(5),
            ValueError,
            r"rope_permutation: d must be even \(RoPE rotates pairs of features\), got 5",
        ),
    ],
)
def test_bad_inputs_get_clear_errors(call, error, words):
    with pytest.raises(error, match=words):
        call()
