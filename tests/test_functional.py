"""Unit tests of the attention math against the source material and against torch itself."""

import math

import pytest
import torch
import torch.nn.functional as F

from attention_lab import (
    attention,
    cat_sat_embeddings,
    causal_mask,
    dot_scores_loop,
    journey_embeddings,
    softmax_naive,
    softmax_stable,
)

FLOAT_DTYPES = [torch.float16, torch.bfloat16, torch.float32, torch.float64]
CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


def rounded(t: torch.Tensor) -> list:
    """What torch prints at its default precision: 4 decimals."""
    return [round(v, 4) for v in t.flatten().tolist()]


# --- the numbers printed in the source documents -------------------------------------------


def test_seed_scores_of_query_2():
    x = journey_embeddings()
    attn_scores_2 = dot_scores_loop(x[1], x)
    assert rounded(attn_scores_2) == [0.9544, 1.4950, 1.4754, 0.8434, 0.7070, 1.0865]
    assert round(attn_scores_2.sum().item(), 4) == 6.5617


def test_seed_divide_by_sum_and_softmax():
    x = journey_embeddings()
    attn_scores_2 = dot_scores_loop(x[1], x)
    assert rounded(attn_scores_2 / attn_scores_2.sum()) == [
        0.1455, 0.2278, 0.2249, 0.1285, 0.1077, 0.1656
    ]  # fmt: skip
    expected = [0.1385, 0.2379, 0.2333, 0.1240, 0.1082, 0.1581]
    assert rounded(softmax_naive(attn_scores_2)) == expected
    assert rounded(softmax_stable(attn_scores_2)) == expected


def test_seed_context_vector_2():
    x = journey_embeddings()
    attn_weights_2 = softmax_stable(dot_scores_loop(x[1], x))
    assert rounded(attn_weights_2 @ x) == [0.4419, 0.6515, 0.5683]
    out, _ = attention(x, x, x, scale=1.0)
    torch.testing.assert_close(out[1], attn_weights_2 @ x)


def test_seed_the_cat_sat():
    e = cat_sat_embeddings()
    out, attn_weights = attention(e, e, e)
    assert rounded(attn_weights) == [
        0.4555, 0.2246, 0.3199, 0.2246, 0.4555, 0.3199, 0.3333, 0.3333, 0.3333
    ]  # fmt: skip
    assert rounded(out) == [0.6155, 0.3845, 0.3845, 0.6155, 0.5, 0.5]


# --- against independent references ----------------------------------------------------------


def test_dot_scores_loop_equals_matrix_vector_product():
    g = torch.Generator().manual_seed(0)
    inputs, query = torch.randn(7, 5, generator=g), torch.randn(5, generator=g)
    torch.testing.assert_close(dot_scores_loop(query, inputs), inputs @ query)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmaxes_equal_torch_softmax(dim):
    x = torch.randn(4, 6, generator=torch.Generator().manual_seed(1))
    torch.testing.assert_close(softmax_naive(x, dim=dim), torch.softmax(x, dim=dim))
    torch.testing.assert_close(softmax_stable(x, dim=dim), torch.softmax(x, dim=dim))


@pytest.mark.parametrize(
    ("dtype", "big"),
    [(torch.float16, 12.0), (torch.bfloat16, 89.0), (torch.float32, 89.0), (torch.float64, 710.0)],
)
def test_naive_softmax_overflows_where_stable_does_not(dtype, big):
    # Just past each dtype's exp overflow threshold: the lesson of notebook 02.
    x = torch.tensor([big, 1.0], dtype=dtype)
    assert torch.isnan(softmax_naive(x)).any()
    stable = softmax_stable(x)
    assert torch.isfinite(stable).all()
    reference = torch.softmax(x.double(), dim=-1).to(dtype)
    torch.testing.assert_close(stable, reference)


def test_stable_softmax_matches_float64_for_large_float32():
    x = torch.tensor([1e4, 9990.0, -1e4, 0.0, 9999.5])
    reference = torch.softmax(x.double(), dim=-1)
    torch.testing.assert_close(softmax_stable(x).double(), reference, atol=1e-7, rtol=1e-6)


def test_stable_softmax_gives_zero_weights_to_neg_inf_and_to_fully_masked_rows():
    x = torch.tensor([[0.0, -math.inf, 1.0], [-math.inf, -math.inf, -math.inf]])
    weights = softmax_stable(x)
    assert weights[0, 1] == 0
    torch.testing.assert_close(weights[0].sum(), torch.tensor(1.0))
    assert torch.equal(weights[1], torch.zeros(3))


@pytest.mark.parametrize("scale", [None, 1.0, 0.3])
def test_attention_equals_sdpa(scale):
    g = torch.Generator().manual_seed(2)
    q, k, v = (torch.randn(2, 3, 5, 8, generator=g) for _ in range(3))
    out, attn_weights = attention(q, k, v, scale=scale)
    torch.testing.assert_close(out, F.scaled_dot_product_attention(q, k, v, scale=scale))
    torch.testing.assert_close(attn_weights.sum(-1), torch.ones(2, 3, 5))


def test_attention_scale_defaults_to_inverse_sqrt_dk():
    g = torch.Generator().manual_seed(3)
    q, k, v = torch.randn(4, 16, generator=g), torch.randn(6, 16, generator=g), torch.randn(6, 2)
    _, attn_weights = attention(q, k, v)
    torch.testing.assert_close(attn_weights, torch.softmax(q @ k.T / 4.0, dim=-1))


def test_attention_mask_and_causal_equal_sdpa():
    g = torch.Generator().manual_seed(4)
    q, k, v = (torch.randn(2, 6, 4, generator=g) for _ in range(3))
    mask = torch.rand(2, 6, 6, generator=g) > 0.3
    mask[..., 0] = True  # every query may attend to something, as SDPA needs to avoid NaN
    out, _ = attention(q, k, v, mask=mask)
    torch.testing.assert_close(out, F.scaled_dot_product_attention(q, k, v, attn_mask=mask))
    out, attn_weights = attention(q, k, v, causal=True)
    torch.testing.assert_close(out, F.scaled_dot_product_attention(q, k, v, is_causal=True))
    assert torch.equal(attn_weights[0] > 0, causal_mask(6))


def test_fully_masked_row_gives_zero_weights_and_zero_output():
    x = journey_embeddings()
    mask = torch.ones(6, 6, dtype=torch.bool)
    mask[2] = False
    out, attn_weights = attention(x, x, x, mask=mask)
    assert torch.equal(attn_weights[2], torch.zeros(6))
    assert torch.equal(out[2], torch.zeros(3))
    assert torch.isfinite(out).all()


def test_causal_mask_is_lower_triangular():
    assert causal_mask(3).tolist() == [
        [True, False, False],
        [True, True, False],
        [True, True, True],
    ]


# --- dtype and device are kept ---------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_functions_keep_dtype(dtype):
    x = journey_embeddings(dtype=dtype)
    assert dot_scores_loop(x[1], x).dtype == dtype
    assert softmax_naive(x).dtype == dtype
    assert softmax_stable(x).dtype == dtype
    out, attn_weights = attention(x, x, x)
    assert out.dtype == attn_weights.dtype == dtype


@CUDA
def test_functions_keep_cuda_device():
    x = journey_embeddings(device="cuda")
    assert dot_scores_loop(x[1], x).device.type == "cuda"
    assert softmax_stable(x).device.type == "cuda"
    out, attn_weights = attention(x, x, x, causal=True)
    assert out.device.type == attn_weights.device.type == "cuda"
    torch.testing.assert_close(out.cpu(), attention(x.cpu(), x.cpu(), x.cpu(), causal=True)[0])


# --- bad input gets a clear error --------------------------------------------------------------


def test_errors_name_the_argument_and_the_expectation():
    x = journey_embeddings()
    with pytest.raises(TypeError, match=r"query must be a torch.Tensor, got list"):
        dot_scores_loop([0.1, 0.2, 0.3], x)
    with pytest.raises(ValueError, match=r"inputs must have 3 features .* got \(6, 2\)"):
        dot_scores_loop(x[1], x[:, :2])
    with pytest.raises(TypeError, match=r"floating-point dtype .* got torch.int64"):
        softmax_stable(torch.tensor([1, 2, 3]))
    with pytest.raises(ValueError, match=r"x contains NaN"):
        softmax_naive(torch.tensor([1.0, math.nan]))
    with pytest.raises(ValueError, match=r"q and k must share the feature size d_k"):
        attention(x, x[:, :2], x)
    with pytest.raises(TypeError, match=r"0/1 numeric mask is a classic mistake"):
        attention(x, x, x, mask=torch.ones(6, 6))
    with pytest.raises(ValueError, match=r"scale must be a positive, finite number, got -1"):
        attention(x, x, x, scale=-1.0)
