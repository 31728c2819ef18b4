"""The tiled, online-softmax attention against SDPA, float64 and the plain ``attention``.

The plain ``attention``'s causal and mask paths are held to the same references here, so the two
implementations are checked side by side.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from torch.profiler import ProfilerActivity, profile

import attention_lab
from attention_lab.bench.attention import peak_bytes
from attention_lab.functional import attention, causal_mask
from attention_lab.tiled import attention_tiled

PACKAGE = Path(attention_lab.__file__).resolve().parent
CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


def plain(q, k, v, mask=None, scale=None, *, causal=False, block_q=None, block_k=None):
    """``attention``'s output alone, so both implementations share one call signature."""
    return attention(q, k, v, mask, scale, causal=causal)[0]


def tiled(q, k, v, mask=None, scale=None, *, causal=False, block_q=16, block_k=8):
    """Small blocks, so even short test sequences span many tiles (and ragged last ones)."""
    return attention_tiled(q, k, v, mask, scale, causal=causal, block_q=block_q, block_k=block_k)


IMPLS = pytest.mark.parametrize("impl", [plain, tiled], ids=["attention", "attention_tiled"])


def qkv(B=2, H=3, T_q=37, T_k=37, d_k=16, d_v=8, seed=0, dtype=torch.float32, spread=1.0):
    g = torch.Generator().manual_seed(seed)
    q = spread * torch.randn(B, H, T_q, d_k, generator=g, dtype=dtype)
    k = spread * torch.randn(B, H, T_k, d_k, generator=g, dtype=dtype)
    v = torch.randn(B, H, T_k, d_v, generator=g, dtype=dtype)
    return q, k, v


# --- against SDPA ---------------------------------------------------------------------------------


@IMPLS
@pytest.mark.parametrize(("T_q", "T_k"), [(37, 37), (20, 45), (45, 20), (1, 9), (64, 64)])
@pytest.mark.parametrize("causal", [False, True])
def test_equals_sdpa(impl, T_q, T_k, causal):
    q, k, v = qkv(T_q=T_q, T_k=T_k)
    expected = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    torch.testing.assert_close(impl(q, k, v, causal=causal), expected, atol=1e-5, rtol=1e-5)


@IMPLS
def test_bool_mask_equals_sdpa_attn_mask(impl):
    q, k, v = qkv(T_q=30, T_k=41)
    mask = torch.rand(30, 41, generator=torch.Generator().manual_seed(1)) > 0.5
    mask[:, 0] = True  # SDPA gives NaN for a row with nothing to attend to; we test that apart
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    torch.testing.assert_close(impl(q, k, v, mask=mask), expected, atol=1e-5, rtol=1e-5)


@IMPLS
def test_causal_equals_the_explicit_causal_mask_and_combines_with_a_mask(impl):
    q, k, v = qkv(T_q=33, T_k=33)
    torch.testing.assert_close(impl(q, k, v, causal=True), impl(q, k, v, mask=causal_mask(33)))
    padding = torch.ones(33, dtype=torch.bool)
    padding[25:] = False  # the last keys are padding: nobody may attend to them
    both = causal_mask(33) & padding
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=both)
    torch.testing.assert_close(impl(q, k, v, mask=padding, causal=True), expected)


@IMPLS
@pytest.mark.parametrize("scale", [1.0, 0.05])
def test_scale_equals_sdpa_scale(impl, scale):
    q, k, v = qkv()
    expected = F.scaled_dot_product_attention(q, k, v, scale=scale)
    torch.testing.assert_close(impl(q, k, v, scale=scale), expected, atol=1e-5, rtol=1e-5)


def test_default_blocks_match_sdpa_to_1e_5_on_a_long_sequence():
    q, k, v = qkv(B=1, H=4, T_q=700, T_k=700, d_k=64, d_v=64)
    for causal in (False, True):
        expected = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
        got = attention_tiled(q, k, v, causal=causal)
        assert (got - expected).abs().max().item() <= 1e-5


# --- against float64, for any shape and block size ------------------------------------------------


@given(
    T_q=st.integers(1, 50),
    T_k=st.integers(1, 50),
    block_q=st.integers(1, 40),
    block_k=st.integers(1, 40),
    causal=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_any_blocks_equal_the_float64_reference(T_q, T_k, block_q, block_k, causal, seed):
    q, k, v = qkv(B=1, H=2, T_q=T_q, T_k=T_k, d_k=8, d_v=4, seed=seed)
    expected, _ = attention(q.double(), k.double(), v.double(), causal=causal)
    got = attention_tiled(q, k, v, causal=causal, block_q=block_q, block_k=block_k)
    torch.testing.assert_close(got, expected.float(), atol=1e-5, rtol=1e-5)


def test_large_scores_stay_exact_when_the_running_max_moves():
    # Scores of several hundred: exp would overflow without the running max, and with keys in
    # increasing order every new block raises the max, so the partial sums are rescaled often.
    q, k, v = qkv(T_q=40, T_k=64, spread=6.0)
    k = k * torch.linspace(0.1, 1.0, 64)[:, None]
    expected, _ = attention(q.double(), k.double(), v.double())
    got = attention_tiled(q, k, v, block_q=8, block_k=4)
    assert not got.isnan().any()
    torch.testing.assert_close(got, expected.float(), atol=1e-5, rtol=1e-5)


# --- edge cases -----------------------------------------------------------------------------------


@IMPLS
def test_a_query_with_nothing_to_attend_to_gets_zero_output(impl):
    q, k, v = qkv(T_q=12, T_k=20)
    mask = torch.ones(12, 20, dtype=torch.bool)
    mask[3] = False  # query 3 may attend to nothing
    mask[5, :10] = False  # query 5 sees nothing in the first key blocks, then some keys
    out = impl(q, k, v, mask=mask)
    assert not out.isnan().any()
    assert (out[..., 3, :] == 0).all()
    expected = F.scaled_dot_product_attention(q[..., 5:6, :], k[..., 10:, :], v[..., 10:, :])
    torch.testing.assert_close(out[..., 5:6, :], expected)


def test_batch_dimensions_broadcast_like_attention():
    g = torch.Generator().manual_seed(3)
    q = torch.randn(2, 1, 10, 8, generator=g)  # (B, 1, T_q, d_k): one query set for all heads
    k = torch.randn(1, 4, 13, 8, generator=g)  # (1, H, T_k, d_k): one key set for all batches
    v = torch.randn(13, 5, generator=g)  # (T_k, d_v)
    expected, _ = attention(q, k, v)
    got = attention_tiled(q, k, v, block_q=3, block_k=4)
    assert got.shape == (2, 4, 10, 5)
    torch.testing.assert_close(got, expected)


def test_unbatched_2d_inputs():
    q, k, v = (t[0, 0] for t in qkv())
    torch.testing.assert_close(tiled(q, k, v), plain(q, k, v))


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
def test_keeps_dtype_and_half_precision_is_close_to_float32(dtype):
    q, k, v = qkv(T_q=20, T_k=20)
    out = tiled(q.to(dtype), k.to(dtype), v.to(dtype))
    assert out.dtype == dtype
    tol = {torch.float16: 5e-3, torch.bfloat16: 3e-2}.get(dtype, 1e-5)
    torch.testing.assert_close(out.float(), plain(q, k, v), atol=tol, rtol=tol)


@CUDA
def test_keeps_cuda_device():
    q, k, v = (t.cuda() for t in qkv())
    out = tiled(q, k, v, causal=True)
    assert out.device == q.device
    expected = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=1e-5)


# --- the point of tiling: memory and skipped blocks -----------------------------------------------


def test_peak_memory_grows_with_the_block_not_with_the_score_matrix():
    q, k, v = qkv(B=1, H=4, T_q=1024, T_k=1024, d_k=32, d_v=32)
    score_matrix = 4 * 1024 * 1024 * 4  # (H, T, T) float32 bytes
    cpu = torch.device("cpu")
    plain_peak = peak_bytes(lambda: attention(q, k, v), cpu)
    tiled_peak = peak_bytes(lambda: attention_tiled(q, k, v, block_q=64, block_k=64), cpu)
    tile = 4 * 64 * 64 * 4  # one (H, block_q, block_k) float32 tile
    q_bytes = q.numel() * 4  # the scaled copy of q and the output are this size each
    assert plain_peak >= score_matrix
    assert tiled_peak <= 3 * q_bytes + 3 * tile < score_matrix / 8


def bmm_calls(call) -> int:
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        call()
    return sum(1 for e in prof.events() if e.name == "aten::bmm")


def test_causal_skips_key_blocks_wholly_in_the_future():
    q, k, v = qkv(B=1, H=1, T_q=64, T_k=64)
    n_blocks = 64 // 16
    # One score matmul per tile, plus the first tile of each row of blocks uses bmm for p @ v.
    full = bmm_calls(lambda: attention_tiled(q, k, v, block_q=16, block_k=16))
    causal = bmm_calls(lambda: attention_tiled(q, k, v, causal=True, block_q=16, block_k=16))
    assert full == n_blocks * n_blocks + n_blocks
    assert causal == n_blocks * (n_blocks + 1) // 2 + n_blocks


# --- the backward pass ------------------------------------------------------------------------


def gradcheck_tiled(q, k, v, mask=None, *, causal=False, block_q=3, block_k=2, scale=None):
    def f(q, k, v):
        return attention_tiled(
            q, k, v, mask, scale, causal=causal, block_q=block_q, block_k=block_k
        )

    return torch.autograd.gradcheck(f, (q, k, v))


def qkv64(**shape):
    return [t.requires_grad_() for t in qkv(dtype=torch.float64, **shape)]


@pytest.mark.parametrize(
    ("shape", "causal", "blocks"),
    [
        ({"B": 1, "H": 2, "T_q": 7, "T_k": 5, "d_k": 3, "d_v": 4}, False, (3, 2)),
        ({"B": 2, "H": 1, "T_q": 9, "T_k": 9, "d_k": 4, "d_v": 3}, True, (4, 3)),
        ({"B": 1, "H": 1, "T_q": 5, "T_k": 11, "d_k": 2, "d_v": 2}, True, (2, 5)),
        ({"B": 1, "H": 1, "T_q": 6, "T_k": 6, "d_k": 3, "d_v": 1}, False, (7, 7)),  # one tile
    ],
    ids=["odd-sizes", "causal", "causal-T_q<T_k", "one-tile"],
)
def test_gradcheck_in_float64(shape, causal, blocks):
    assert gradcheck_tiled(*qkv64(**shape), causal=causal, block_q=blocks[0], block_k=blocks[1])


@pytest.mark.parametrize("causal", [False, True])
def test_gradcheck_with_masks_broadcast_and_fully_masked_rows(causal):
    q, k, v = qkv64(B=2, H=2, T_q=6, T_k=7, d_k=3, d_v=2)
    mask = torch.rand(6, 7, generator=torch.Generator().manual_seed(1)) > 0.4  # (T_q, T_k)
    mask[2] = False  # query 2 may attend to nothing
    assert gradcheck_tiled(q, k, v, mask, causal=causal, scale=0.7)
    per_batch = torch.rand(2, 1, 6, 7, generator=torch.Generator().manual_seed(2)) > 0.5
    assert gradcheck_tiled(q, k, v, per_batch, causal=causal)


def test_gradcheck_when_k_and_v_broadcast_over_the_batch():
    q, k, v = qkv64(B=2, H=3, T_q=5, T_k=6, d_k=3, d_v=2)
    k_shared, v_shared = (t[:1, :1].detach().clone().requires_grad_() for t in (k, v))
    assert gradcheck_tiled(q, k_shared, v_shared)


def test_a_fully_masked_row_gets_zero_gradient_never_nan():
    q, k, v = (t.requires_grad_() for t in qkv(B=1, H=1, T_q=5, T_k=4, d_k=3, d_v=2))
    mask = torch.ones(5, 4, dtype=torch.bool)
    mask[1] = False
    out = attention_tiled(q, k, v, mask, block_q=2, block_k=3)
    out.square().sum().backward()
    assert torch.isfinite(q.grad).all() and torch.isfinite(k.grad).all()
    assert (q.grad[..., 1, :] == 0).all()


def test_gradients_match_attention_in_half_precision(dtype=torch.bfloat16):
    q, k, v = (t.to(dtype).requires_grad_() for t in qkv(B=1, H=2, T_q=9, T_k=9))
    grads = torch.autograd.grad(
        attention_tiled(q, k, v, causal=True, block_q=4, block_k=4).sum(), (q, k, v)
    )
    q64, k64, v64 = (t.detach().double().requires_grad_() for t in (q, k, v))
    expected = torch.autograd.grad(attention(q64, k64, v64, causal=True)[0].sum(), (q64, k64, v64))
    for got, want in zip(grads, expected, strict=True):
        assert got.dtype == dtype
        torch.testing.assert_close(got.double(), want, atol=0.05, rtol=0.05)


def test_the_forward_saves_no_score_sized_tensor():
    q, k, v = (t.requires_grad_() for t in qkv(B=1, H=2, T_q=64, T_k=48, d_k=8, d_v=8))
    mask = torch.ones(64, 48, dtype=torch.bool)
    saved = []
    with torch.autograd.graph.saved_tensors_hooks(
        lambda t: saved.append(t.shape) or t, lambda t: t
    ):
        out = attention_tiled(q, k, v, mask, causal=True, block_q=16, block_k=16)
    assert saved, "the hook saw nothing saved"
    largest = max(torch.Size(s).numel() for s in saved)
    assert largest <= 2 * 64 * 8, f"saved {saved}: expected O(T·d) tensors, never (T_q, T_k)"
    out.sum().backward()
    assert q.grad.shape == q.shape


def test_causal_backward_skips_the_tiles_the_forward_skipped():
    q, k, v = (t.requires_grad_() for t in qkv(B=1, H=1, T_q=64, T_k=64))
    n_blocks = 64 // 16

    def backward_bmms(causal):
        out = attention_tiled(q, k, v, causal=causal, block_q=16, block_k=16)
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            out.sum().backward()
        return sum(1 for e in prof.events() if e.name == "aten::bmm")

    # Two bmm per tile in the backward: the scores again, and dO Vᵀ.
    assert backward_bmms(False) == 2 * n_blocks * n_blocks
    assert backward_bmms(True) == 2 * n_blocks * (n_blocks + 1) // 2


# --- bad inputs -----------------------------------------------------------------------------------

Q, K, V = qkv(B=1, H=1, T_q=4, T_k=5, d_k=3, d_v=2)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        pytest.param(
            {"q": [[1.0, 2.0]]},
            TypeError,
            r"attention_tiled: q must be a torch\.Tensor, got list",
            id="q-is-a-list",
        ),
        pytest.param(
            {"k": K.long()},
            TypeError,
            r"attention_tiled: k must have a floating-point dtype",
            id="k-is-integer",
        ),
        pytest.param(
            {"k": K[..., :2]},
            ValueError,
            r"attention_tiled: q and k must share the feature size",
            id="k-wrong-features",
        ),
        pytest.param(
            {"v": V[..., :4, :]},
            ValueError,
            r"attention_tiled: k and v must have the same",
            id="v-wrong-length",
        ),
        pytest.param(
            {"v": V.double()},
            TypeError,
            r"attention_tiled: v has dtype torch\.float64 but q",
            id="v-other-dtype",
        ),
        pytest.param(
            {"q": Q.clone().fill_(float("nan"))},
            ValueError,
            r"attention_tiled: q contains NaN",
            id="q-has-nan",
        ),
        pytest.param(
            {"mask": torch.ones(4, 5)},
            TypeError,
            r"attention_tiled: mask must have dtype torch\.bool",
            id="mask-is-float",
        ),
        pytest.param(
            {"mask": torch.ones(5, 4).bool()},
            ValueError,
            r"attention_tiled: mask of shape \(5, 4\)",
            id="mask-wrong-shape",
        ),
        pytest.param(
            {"causal": 1},
            TypeError,
            r"attention_tiled: causal must be True or False, got 1",
            id="causal-is-int",
        ),
        pytest.param(
            {"scale": -1.0},
            ValueError,
            r"attention_tiled: scale must be a positive, finite",
            id="scale-negative",
        ),
        pytest.param(
            {"block_q": 0},
            ValueError,
            r"attention_tiled: block_q must be a positive int, got 0",
            id="block_q-zero",
        ),
        pytest.param(
            {"block_k": 2.5},
            TypeError,
            r"attention_tiled: block_k must be a positive int, got 2\.5",
            id="block_k-float",
        ),
        pytest.param(
            {"dropout_p": 0.1},
            ValueError,
            r"attention_tiled: dropout is not supported by the tiled form, expected "
            r"dropout_p=0\.0, got 0\.1",
            id="dropout",
        ),
        pytest.param(
            {"dropout_p": 1.5},
            ValueError,
            r"attention_tiled: dropout_p must be",
            id="dropout-out-of-range",
        ),
        pytest.param(
            {"q": Q.abs() * 1e20, "k": K.abs() * 1e20},
            ValueError,
            r"attention_tiled: the scores q kᵀ · scale overflowed torch\.float32",
            id="scores-overflow-to-inf",
        ),
        pytest.param(
            {"q": Q * 1e20, "k": K * 1e20},
            ValueError,
            r"attention_tiled: the scores q kᵀ · scale overflowed torch\.float32",
            id="scores-overflow-to-nan",
        ),
    ],
)
def test_bad_inputs_get_a_clear_error_from_attention_lab(kwargs, error, message):
    args = {"q": Q, "k": K, "v": V, **kwargs}
    with pytest.raises((TypeError, ValueError)) as excinfo:
        attention_tiled(**args)
    assert excinfo.type is error
    assert excinfo.match(message)
    assert PACKAGE in Path(excinfo.traceback[-1].path).resolve().parents
