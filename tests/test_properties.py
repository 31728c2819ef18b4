"""Properties of the attention math on random shapes, dtypes and values (hypothesis).

Every property is checked against something independent of the code under test: a float64
computation, torch's own softmax and ``scaled_dot_product_attention``, or the property itself
(sums, order, permutations, convex hulls), never against numbers copied from an earlier run.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from torch import nn

from attention_lab._checks import broadcast_shape
from attention_lab.functional import (
    attention,
    causal_mask,
    dot_scores_loop,
    softmax_naive,
    softmax_stable,
)
from attention_lab.layers import MultiHeadAttention, SelfAttention, SelfAttentionParams
from attention_lab.positions import apply_rope, rope_permutation
from attention_lab.tiled import attention_tiled

HALF = (torch.float16, torch.bfloat16)
ALL_FLOATS = (torch.float16, torch.bfloat16, torch.float32, torch.float64)
# Largest magnitude each dtype represents comfortably (bfloat16 rounds float32 inputs, so stay
# below its maximum, 3.39e38, to keep the rounding from producing inf).
MAX_FINITE = {
    torch.float16: 65504.0,
    torch.bfloat16: 1e38,
    torch.float32: 3e38,
    torch.float64: 1e300,
}
# Where exp first overflows: the thresholds softmax_naive's docstring teaches.
EXP_OVERFLOW = {
    torch.float16: 11.2,
    torch.bfloat16: 89.0,
    torch.float32: 89.0,
    torch.float64: 710.0,
}
# Relative error of one rounding to each dtype, doubled.
EPS = {dtype: 2 * torch.finfo(dtype).eps for dtype in ALL_FLOATS}


# --- strategies ---------------------------------------------------------------------------------

small_sizes = st.integers(min_value=1, max_value=5)
shapes = st.lists(small_sizes, min_size=1, max_size=3).map(tuple)
batch_shapes = st.lists(st.integers(min_value=1, max_value=3), max_size=2).map(tuple)


def tensors(shape: tuple[int, ...], dtype: torch.dtype, bound: float) -> st.SearchStrategy:
    """Finite tensors of ``dtype`` with values in [-bound, bound], edge cases included."""
    np_dtype, width = {
        torch.float16: (np.float16, 16),
        torch.float64: (np.float64, 64),
    }.get(dtype, (np.float32, 32))  # bfloat16 is drawn in float32 and rounded
    # Round the bound toward zero to a value the width represents (hypothesis insists).
    bound = (
        np.nextafter(np_dtype(bound), np_dtype(0)) if np_dtype(bound) > bound else np_dtype(bound)
    )
    elements = st.floats(
        -float(bound),
        float(bound),
        allow_nan=False,
        allow_infinity=False,
        allow_subnormal=False,
        width=width,
    )
    return arrays(np_dtype, shape, elements=elements).map(
        lambda a: torch.from_numpy(np.ascontiguousarray(a)).to(dtype)
    )


@st.composite
def qkv(draw, dtype: torch.dtype = torch.float64, bound: float = 4.0):
    """q (*B, T_q, d_k), k (*B', T_k, d_k), v (*B', T_k, d_v) with broadcastable batch dims."""
    batch = draw(batch_shapes)
    # k and v may drop leading dims or use size 1 where q has more: they broadcast.
    kv_batch = tuple(draw(st.sampled_from((1, b))) for b in batch)[
        draw(st.integers(0, len(batch))) :
    ]
    T_q, T_k, d_k, d_v = (draw(small_sizes) for _ in range(4))
    q = draw(tensors((*batch, T_q, d_k), dtype, bound))
    k = draw(tensors((*kv_batch, T_k, d_k), dtype, bound))
    v = draw(tensors((*kv_batch, T_k, d_v), dtype, bound))
    return q, k, v


@st.composite
def masks(draw, q: torch.Tensor, k: torch.Tensor) -> torch.Tensor | None:
    """None, or a boolean mask of some shape that broadcasts to the scores' (..., T_q, T_k)."""
    T_q, T_k = q.shape[-2], k.shape[-2]
    batch = torch.broadcast_shapes(q.shape[:-2], k.shape[:-2])
    shape = draw(st.sampled_from([None, (T_q, T_k), (1, T_k), (*batch, T_q, T_k)]))
    if shape is None:
        return None
    return torch.from_numpy(draw(arrays(np.bool_, shape)))


def expand_batch(*ts: torch.Tensor) -> list[torch.Tensor]:
    """Broadcast the leading dims explicitly, so the reference never relies on SDPA broadcasting."""
    batch = torch.broadcast_shapes(*(t.shape[:-2] for t in ts))
    return [t.expand(*batch, *t.shape[-2:]) for t in ts]


def sdpa_reference(q, k, v, mask, scale, causal):
    """torch's SDPA in float64, with our mask and causal flag combined into one boolean mask."""
    q, k, v = expand_batch(q.double(), k.double(), v.double())
    if causal:
        tril = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril()  # top-left aligned
        mask = tril if mask is None else mask & tril
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=scale)
    # Older torch returns NaN for a query that may attend to nothing; ours documents zeros.
    return torch.nan_to_num(out, nan=0.0)


def allowed_keys(q, k, mask, causal) -> torch.Tensor:
    """Which keys each query may attend to: (..., T_q, T_k) bool."""
    batch = torch.broadcast_shapes(q.shape[:-2], k.shape[:-2])
    allowed = torch.ones(*batch, q.shape[-2], k.shape[-2], dtype=torch.bool)
    if mask is not None:
        allowed = allowed & mask
    if causal:
        allowed = allowed & torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril()
    return allowed


# --- softmax -----------------------------------------------------------------------------------

softmaxes = pytest.mark.parametrize("softmax", [softmax_naive, softmax_stable])


@softmaxes
@pytest.mark.parametrize("dtype", ALL_FLOATS)
@given(data=st.data())
def test_softmax_is_a_probability_distribution(softmax, dtype, data):
    shape = data.draw(shapes)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    # Below the point where exp, or the sum of up to 5 exps (log 5 < 1.7), overflows: there the
    # naive form is fair game too.
    x = data.draw(tensors(shape, dtype, EXP_OVERFLOW[dtype] - 3.0))
    weights = softmax(x, dim=dim)
    assert weights.dtype == dtype
    assert weights.shape == x.shape
    assert torch.isfinite(weights).all()
    assert ((weights >= 0) & (weights <= 1)).all()
    total = weights.double().sum(dim=dim)
    # One rounding to dtype at the end, plus the sum's own rounding in the working precision
    # (half precision is accumulated in float32).
    work = torch.float64 if dtype == torch.float64 else torch.float32
    tol = EPS[dtype] + (shape[dim] + 1) * EPS[work]
    torch.testing.assert_close(total, torch.ones_like(total), atol=tol, rtol=0)


@softmaxes
@given(data=st.data())
def test_softmax_ignores_a_constant_shift(softmax, data):
    shape = data.draw(shapes)
    x = data.draw(tensors(shape, torch.float64, 30.0))
    c = data.draw(st.floats(-300.0, 300.0))
    torch.testing.assert_close(softmax(x + c), softmax(x), atol=1e-12, rtol=1e-9)


@pytest.mark.parametrize("dtype", ALL_FLOATS)
@given(data=st.data())
def test_softmax_keeps_order(dtype, data):
    n = data.draw(st.integers(1, 8))
    x = data.draw(tensors((n,), dtype, MAX_FINITE[dtype]))
    weights = softmax_stable(x)
    xi, xj = x[:, None].expand(n, n), x[None, :].expand(n, n)  # every pair (i, j)
    wi, wj = weights[:, None].expand(n, n), weights[None, :].expand(n, n)
    assert not ((xi < xj) & (wi > wj)).any(), "a larger score got a smaller weight"
    assert torch.equal(wi[xi == xj], wj[xi == xj]), "equal scores got different weights"


@pytest.mark.parametrize("dtype", ALL_FLOATS)
@given(data=st.data())
def test_stable_softmax_is_finite_and_exact_for_large_magnitudes(dtype, data):
    shape = data.draw(shapes)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = data.draw(tensors(shape, dtype, MAX_FINITE[dtype]))
    weights = softmax_stable(x, dim=dim)
    assert torch.isfinite(weights).all()
    # Reference: the very same inputs, upcast exactly to float64. The result is rounded once to
    # dtype at the end, so allow a couple of roundings relative to each weight.
    reference = torch.softmax(x.double(), dim=dim)
    torch.testing.assert_close(weights.double(), reference, atol=1e-7, rtol=4 * EPS[dtype])


@pytest.mark.parametrize("dtype", ALL_FLOATS)
@given(data=st.data())
def test_naive_softmax_overflows_past_the_documented_threshold(dtype, data):
    n = data.draw(st.integers(1, 6))
    x = data.draw(tensors((n,), dtype, 5.0))
    big = data.draw(st.floats(EXP_OVERFLOW[dtype], MAX_FINITE[dtype]))
    x[data.draw(st.integers(0, n - 1))] = big
    assert torch.isnan(softmax_naive(x)).any()
    assert torch.isfinite(softmax_stable(x)).all()


@given(data=st.data())
def test_stable_softmax_gives_masked_entries_zero_weight(data):
    shape = data.draw(shapes)
    x = data.draw(tensors(shape, torch.float64, 50.0))
    masked = torch.from_numpy(data.draw(arrays(np.bool_, shape)))
    weights = softmax_stable(x.masked_fill(masked, float("-inf")))
    assert torch.equal(weights[masked], torch.zeros_like(weights[masked]))
    # The rest renormalize among themselves: compare with torch on the unmasked entries alone.
    reference = torch.nan_to_num(torch.softmax(x.masked_fill(masked, float("-inf")), dim=-1))
    torch.testing.assert_close(weights, reference)


# --- scores and masks --------------------------------------------------------------------------


@given(data=st.data())
def test_dot_scores_loop_equals_matrix_vector_product(data):
    n, d = data.draw(small_sizes), data.draw(small_sizes)
    inputs = data.draw(tensors((n, d), torch.float64, 10.0))
    query = data.draw(tensors((d,), torch.float64, 10.0))
    torch.testing.assert_close(dot_scores_loop(query, inputs), inputs @ query)


@given(T=st.integers(1, 40))
def test_causal_mask_lets_query_i_see_keys_up_to_i(T):
    mask = causal_mask(T)
    i, j = torch.meshgrid(torch.arange(T), torch.arange(T), indexing="ij")
    assert mask.dtype == torch.bool
    assert torch.equal(mask, j <= i)


# --- attention ---------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@given(data=st.data())
def test_attention_equals_torch_sdpa(dtype, data):
    q, k, v = data.draw(qkv(dtype))
    mask = data.draw(masks(q, k))
    causal = data.draw(st.booleans())
    scale = data.draw(st.none() | st.floats(0.05, 2.0))
    out, attn_weights = attention(q, k, v, mask=mask, scale=scale, causal=causal)
    atol = {torch.float32: 1e-5, torch.float64: 1e-12}[dtype]
    expected = sdpa_reference(q, k, v, mask, scale, causal)
    torch.testing.assert_close(out.double(), expected, atol=atol, rtol=atol)
    # The weights: torch.softmax of the masked scores in float64, zero where nothing is allowed.
    scale = q.shape[-1] ** -0.5 if scale is None else scale
    attn_scores = q.double() @ k.double().transpose(-2, -1) * scale
    allowed = allowed_keys(q, k, mask, causal)
    ref_weights = torch.nan_to_num(torch.softmax(attn_scores.masked_fill(~allowed, -torch.inf), -1))
    torch.testing.assert_close(attn_weights.double(), ref_weights, atol=atol, rtol=atol)


@given(data=st.data())
def test_attention_output_lies_in_the_convex_hull_of_the_values(data):
    q, k, v = data.draw(qkv(bound=20.0))
    mask, causal = data.draw(masks(q, k)), data.draw(st.booleans())
    out, _ = attention(q, k, v, mask=mask, causal=causal)
    allowed = allowed_keys(q, k, mask, causal)[..., None]  # (..., T_q, T_k, 1)
    v_rows = v.unsqueeze(-3)  # (..., 1, T_k, d_v)
    v_min = torch.where(allowed, v_rows, torch.inf).amin(dim=-2)  # (..., T_q, d_v)
    v_max = torch.where(allowed, v_rows, -torch.inf).amax(dim=-2)  # (..., T_q, d_v)
    any_allowed = allowed.any(dim=-2)  # (..., T_q, 1)
    tol = 1e-9
    inside = (out >= v_min - tol) & (out <= v_max + tol)
    assert inside[any_allowed.expand_as(out)].all(), "an output left the hull of its values"
    # A query that may attend to nothing gets a zero output (the documented choice), not NaN.
    assert torch.equal(
        out[~any_allowed.expand_as(out)], torch.zeros_like(out[~any_allowed.expand_as(out)])
    )


@given(data=st.data())
def test_permuting_keys_and_values_together_leaves_the_output_unchanged(data):
    q, k, v = data.draw(qkv())
    mask = data.draw(masks(q, k))
    perm = torch.tensor(data.draw(st.permutations(range(k.shape[-2]))))
    out, attn_weights = attention(q, k, v, mask=mask)
    mask_p = None if mask is None else mask[..., perm]
    out_p, attn_weights_p = attention(q, k[..., perm, :], v[..., perm, :], mask=mask_p)
    torch.testing.assert_close(out_p, out, atol=1e-12, rtol=1e-12)
    torch.testing.assert_close(attn_weights_p, attn_weights[..., perm])


@given(data=st.data())
def test_permuting_queries_permutes_the_output(data):
    q, k, v = data.draw(qkv())
    mask = data.draw(masks(q, k))
    perm = torch.tensor(data.draw(st.permutations(range(q.shape[-2]))))
    out, attn_weights = attention(q, k, v, mask=mask)
    # A mask with one row for every query moves with the queries; a (1, T_k) row stays put.
    mask_p = mask if mask is None or mask.shape[-2] == 1 else mask[..., perm, :]
    out_p, attn_weights_p = attention(q[..., perm, :], k, v, mask=mask_p)
    torch.testing.assert_close(out_p, out[..., perm, :])
    torch.testing.assert_close(attn_weights_p, attn_weights[..., perm, :])


@given(data=st.data())
def test_dropout_zeroes_weights_and_rescales_the_rest(data):
    q, k, v = data.draw(qkv())
    p = data.draw(st.floats(0.05, 0.95))
    seed = data.draw(st.integers(0, 2**32 - 1))
    _, plain = attention(q, k, v)
    out, dropped = attention(q, k, v, dropout_p=p, generator=torch.Generator().manual_seed(seed))
    kept = dropped != 0
    torch.testing.assert_close(dropped[kept], (plain / (1 - p)).expand_as(dropped)[kept])
    # The returned weights are the ones that multiplied v.
    torch.testing.assert_close(out, dropped @ v)
    # Same generator seed, same draw.
    again, _ = attention(q, k, v, dropout_p=p, generator=torch.Generator().manual_seed(seed))
    assert torch.equal(out, again)


@pytest.mark.parametrize("dtype", ALL_FLOATS)
@given(data=st.data())
def test_attention_keeps_dtype_and_stays_finite(dtype, data):
    q, k, v = data.draw(qkv(dtype, bound=MAX_FINITE[dtype] ** 0.25))
    causal = data.draw(st.booleans())
    out, attn_weights = attention(q, k, v, causal=causal)
    assert out.dtype == attn_weights.dtype == dtype
    assert out.device == q.device
    assert torch.isfinite(attn_weights).all()


# --- the modules -------------------------------------------------------------------------------


def seeded(seed: int, make):
    """Build a module from a fixed seed without disturbing the global random state."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return make()


@given(data=st.data())
def test_self_attention_equals_sdpa_on_its_projections(data):
    d_in, d_out = data.draw(small_sizes), data.draw(small_sizes)
    qkv_bias, causal = data.draw(st.booleans()), data.draw(st.booleans())
    sa = seeded(
        data.draw(st.integers(0, 1000)), lambda: SelfAttention(d_in, d_out, qkv_bias, causal=causal)
    )
    sa = sa.double()
    x = data.draw(
        tensors((*data.draw(batch_shapes), data.draw(small_sizes), d_in), torch.float64, 3.0)
    )
    out, attn_weights = sa(x, return_weights=True)
    q = F.linear(x, sa.W_q.weight, sa.W_q.bias)
    k = F.linear(x, sa.W_k.weight, sa.W_k.bias)
    v = F.linear(x, sa.W_v.weight, sa.W_v.bias)
    expected = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    torch.testing.assert_close(out, expected)
    assert attn_weights.shape == (*x.shape[:-1], x.shape[-2])


@given(data=st.data())
def test_self_attention_params_equals_sdpa_on_its_projections(data):
    d_in, d_out = data.draw(small_sizes), data.draw(small_sizes)
    sa = seeded(data.draw(st.integers(0, 1000)), lambda: SelfAttentionParams(d_in, d_out)).double()
    x = data.draw(
        tensors((*data.draw(batch_shapes), data.draw(small_sizes), d_in), torch.float64, 3.0)
    )
    expected = F.scaled_dot_product_attention(x @ sa.W_query, x @ sa.W_key, x @ sa.W_value)
    torch.testing.assert_close(sa(x), expected)


@st.composite
def multi_head(draw, square: bool = False):
    """A seeded MultiHeadAttention in float64 and an input x (B, T, d_in) for it."""
    n_heads, d_head = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    d_out = n_heads * d_head
    d_in = d_out if square else draw(small_sizes)
    qkv_bias, causal = draw(st.booleans()), draw(st.booleans())
    seed = draw(st.integers(0, 1000))
    mha = seeded(
        seed, lambda: MultiHeadAttention(d_in, d_out, n_heads, qkv_bias=qkv_bias, causal=causal)
    )
    x = draw(tensors((draw(st.integers(1, 2)), draw(small_sizes), d_in), torch.float64, 3.0))
    return mha.double().eval(), x


@given(case=multi_head())
def test_multi_head_attention_equals_heads_of_sdpa_then_W_o(case):
    mha, x = case
    B, T, _ = x.shape
    heads = (mha.n_heads, mha.d_head)
    # Reference: each head is SDPA on its slice of the projections; concatenate; project.
    q = F.linear(x, mha.W_q.weight, mha.W_q.bias).view(B, T, *heads).transpose(1, 2)
    k = F.linear(x, mha.W_k.weight, mha.W_k.bias).view(B, T, *heads).transpose(1, 2)
    v = F.linear(x, mha.W_v.weight, mha.W_v.bias).view(B, T, *heads).transpose(1, 2)
    per_head = F.scaled_dot_product_attention(q, k, v, is_causal=mha.causal)  # (B, H, T, d_head)
    expected = F.linear(per_head.transpose(1, 2).reshape(B, T, -1), mha.W_o.weight, mha.W_o.bias)
    out, attn_weights = mha(x, return_weights=True)
    torch.testing.assert_close(out, expected)
    assert attn_weights.shape == (B, mha.n_heads, T, T)


@given(case=multi_head(square=True))  # nn.MultiheadAttention maps d_model to d_model only
def test_multi_head_attention_equals_torch_multihead_attention(case):
    mha, x = case
    reference = nn.MultiheadAttention(
        mha.d_out, mha.n_heads, bias=True, batch_first=True, dtype=torch.float64
    ).eval()
    with torch.no_grad():
        reference.in_proj_weight.copy_(torch.cat([mha.W_q.weight, mha.W_k.weight, mha.W_v.weight]))
        biases = [W.bias for W in (mha.W_q, mha.W_k, mha.W_v)]
        in_bias = torch.cat(biases) if biases[0] is not None else torch.zeros(3 * mha.d_out)
        reference.in_proj_bias.copy_(in_bias)
        reference.out_proj.weight.copy_(mha.W_o.weight)
        reference.out_proj.bias.copy_(mha.W_o.bias)
    T = x.shape[1]
    # torch's boolean attn_mask says True = may NOT attend: the opposite of ours.
    blocked = ~causal_mask(T) if mha.causal else None
    expected, expected_weights = reference(
        x, x, x, attn_mask=blocked, need_weights=True, average_attn_weights=False
    )
    out, attn_weights = mha(x, return_weights=True)
    torch.testing.assert_close(out, expected)
    torch.testing.assert_close(attn_weights, expected_weights)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@given(data=st.data())
def test_tiled_attention_equals_torch_sdpa(dtype, data):
    q, k, v = data.draw(qkv(dtype))
    mask = data.draw(masks(q, k))
    causal = data.draw(st.booleans())
    scale = data.draw(st.none() | st.floats(0.05, 2.0))
    # Tiles smaller than the sequences, so the online softmax really rescales across tiles.
    block_q, block_k = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3))
    out = attention_tiled(
        q, k, v, mask=mask, scale=scale, causal=causal, block_q=block_q, block_k=block_k
    )
    assert out.dtype == dtype
    atol = {torch.float32: 1e-5, torch.float64: 1e-12}[dtype]
    expected = sdpa_reference(q, k, v, mask, scale, causal)
    torch.testing.assert_close(out.double(), expected, atol=atol, rtol=atol)


@given(data=st.data())
def test_tiled_attention_equals_attention_for_any_tiling(data):
    q, k, v = data.draw(qkv(bound=20.0))
    mask, causal = data.draw(masks(q, k)), data.draw(st.booleans())
    block_q, block_k = data.draw(st.integers(1, 6)), data.draw(st.integers(1, 6))
    expected, _ = attention(q, k, v, mask=mask, causal=causal)
    out = attention_tiled(q, k, v, mask=mask, causal=causal, block_q=block_q, block_k=block_k)
    torch.testing.assert_close(out, expected, atol=1e-12, rtol=1e-12)


@pytest.mark.parametrize("dtype", HALF)
@given(data=st.data())
def test_tiled_attention_in_half_precision_matches_float64(dtype, data):
    q, k, v = data.draw(qkv(dtype, bound=4.0))
    causal = data.draw(st.booleans())
    out = attention_tiled(q, k, v, causal=causal, block_q=2, block_k=2)
    assert out.dtype == dtype
    expected = sdpa_reference(q, k, v, None, None, causal)
    # The inputs are exact in float64 and the work is float32, so the error is the one rounding
    # of each output (|out| ≤ 4, the bound on v) to dtype: at most 4 · eps / 2. Allow twice that.
    torch.testing.assert_close(out.double(), expected, atol=4 * torch.finfo(dtype).eps, rtol=0)


@given(data=st.data())
def test_tiled_attention_gradients_equal_attention_gradients_in_float32(data):
    q, k, v = (t.float().requires_grad_() for t in data.draw(qkv(bound=3.0)))
    mask, causal = data.draw(masks(q, k)), data.draw(st.booleans())
    block_q, block_k = data.draw(st.integers(1, 5)), data.draw(st.integers(1, 5))
    d_out = data.draw(tensors(q.shape[:-1] + v.shape[-1:], torch.float32, 1.0))
    out = attention_tiled(q, k, v, mask=mask, causal=causal, block_q=block_q, block_k=block_k)
    grads = torch.autograd.grad(out, (q, k, v), d_out)
    expected_out, _ = attention(q, k, v, mask=mask, causal=causal)
    expected = torch.autograd.grad(expected_out, (q, k, v), d_out)
    for name, got, want in zip("qkv", grads, expected, strict=True):
        torch.testing.assert_close(got, want, atol=1e-5, rtol=1e-4, msg=f"d{name} differs")


# --- positions ----------------------------------------------------------------------------------


@given(
    T=st.integers(1, 12),
    half_d=st.integers(1, 8),
    shift=st.integers(-50, 50),
    interleaved=st.booleans(),
    seed=st.integers(0, 2**31),
)
def test_rope_keeps_lengths_and_scores_depend_only_on_offsets(T, half_d, shift, interleaved, seed):
    gen = torch.Generator().manual_seed(seed)
    q, k = torch.randn(2, T, 2 * half_d, generator=gen, dtype=torch.float64)
    positions = torch.arange(T)
    q_rot = apply_rope(q, positions, interleaved=interleaved)
    k_rot = apply_rope(k, positions, interleaved=interleaved)
    torch.testing.assert_close(q_rot.norm(dim=-1), q.norm(dim=-1))  # rotations keep lengths
    # moving every position by the same shift changes no score
    q_moved = apply_rope(q, positions + shift, interleaved=interleaved)
    k_moved = apply_rope(k, positions + shift, interleaved=interleaved)
    torch.testing.assert_close(q_moved @ k_moved.T, q_rot @ k_rot.T)
    # and the same rotation, reordered, is the other layout
    p = rope_permutation(2 * half_d)
    torch.testing.assert_close(
        apply_rope(q[:, p], positions), apply_rope(q, positions, interleaved=True)[:, p]
    )


@given(st.lists(st.lists(st.sampled_from([0, 1, 1, 2, 3]), max_size=4), min_size=1, max_size=4))
def test_broadcast_shape_follows_torch(shapes):
    try:
        expected = torch.broadcast_shapes(*shapes)
    except RuntimeError:  # the sizes clash
        expected = None
    assert broadcast_shape(*shapes) == expected
