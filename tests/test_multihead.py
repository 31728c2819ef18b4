"""Multi-head attention against torch.nn.MultiheadAttention and against single heads stacked;
the causal and dropout paths of ``attention`` and ``SelfAttention`` that it builds on."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

import attention_lab
from attention_lab.data import journey_embeddings
from attention_lab.functional import attention, causal_mask
from attention_lab.layers import MultiHeadAttention, SelfAttention

PACKAGE = Path(attention_lab.__file__).resolve().parent
CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


def mha(d_in=6, d_out=12, n_heads=3, seed=0, **kwargs) -> MultiHeadAttention:
    torch.manual_seed(seed)
    module = MultiHeadAttention(d_in, d_out, n_heads, **kwargs)
    if module.W_q.bias is not None:
        # nn.Linear's biases start small; make them count so a missed bias fails the tests.
        with torch.no_grad():
            for W in (module.W_q, module.W_k, module.W_v):
                W.bias.normal_()
    return module


def inputs(B=2, T=7, d_in=6, seed=1) -> torch.Tensor:
    return torch.randn(B, T, d_in, generator=torch.Generator().manual_seed(seed))


def torch_mha_like(module: MultiHeadAttention) -> nn.MultiheadAttention:
    """torch's module with our weights copied in: it packs W_q, W_k, W_v into one in_proj."""
    ref = nn.MultiheadAttention(module.d_out, module.n_heads, bias=True, batch_first=True)
    with torch.no_grad():
        ref.in_proj_weight.copy_(
            torch.cat([module.W_q.weight, module.W_k.weight, module.W_v.weight])
        )
        if module.W_q.bias is None:
            ref.in_proj_bias.zero_()
        else:
            ref.in_proj_bias.copy_(torch.cat([module.W_q.bias, module.W_k.bias, module.W_v.bias]))
        ref.out_proj.weight.copy_(module.W_o.weight)
        ref.out_proj.bias.copy_(module.W_o.bias)
    return ref.eval()


# --- MultiHeadAttention ---------------------------------------------------------------------------


@pytest.mark.parametrize("qkv_bias", [False, True])
@pytest.mark.parametrize("causal", [False, True])
def test_equals_torch_multihead_attention_with_the_same_weights(qkv_bias, causal):
    module = mha(d_in=12, d_out=12, n_heads=4, qkv_bias=qkv_bias, causal=causal).eval()
    ref = torch_mha_like(module)
    x = inputs(T=9, d_in=12)
    # torch's boolean attn_mask says where attention is NOT allowed: the opposite of ours.
    attn_mask = ~causal_mask(9) if causal else None
    expected, expected_weights = ref(
        x, x, x, attn_mask=attn_mask, need_weights=True, average_attn_weights=False
    )
    out, attn_weights = module(x, return_weights=True)
    torch.testing.assert_close(out, expected)
    torch.testing.assert_close(attn_weights, expected_weights)  # (B, n_heads, T, T)
    _, averaged = ref(x, x, x, attn_mask=attn_mask, need_weights=True)
    torch.testing.assert_close(attn_weights.mean(dim=1), averaged)


@pytest.mark.parametrize("qkv_bias", [False, True])
def test_equals_single_heads_stacked_then_projected(qkv_bias):
    module = mha(d_in=5, d_out=12, n_heads=3, qkv_bias=qkv_bias, causal=True)
    x = inputs(d_in=5)
    outs, weights = [], []
    for h in range(3):
        rows = slice(4 * h, 4 * (h + 1))  # head h owns rows h·d_head … (h+1)·d_head - 1
        head = SelfAttention(5, 4, qkv_bias=qkv_bias, causal=True)
        with torch.no_grad():
            for mine, theirs in (
                (head.W_q, module.W_q),
                (head.W_k, module.W_k),
                (head.W_v, module.W_v),
            ):
                mine.weight.copy_(theirs.weight[rows])
                if qkv_bias:
                    mine.bias.copy_(theirs.bias[rows])
        out_h, weights_h = head(x, return_weights=True)
        outs.append(out_h)
        weights.append(weights_h)
    expected = module.W_o(torch.cat(outs, dim=-1))
    out, attn_weights = module(x, return_weights=True)
    torch.testing.assert_close(out, expected)
    torch.testing.assert_close(attn_weights, torch.stack(weights, dim=1))


def test_one_head_is_self_attention_then_the_output_projection():
    module = mha(d_in=3, d_out=4, n_heads=1)
    head = SelfAttention(3, 4)
    head.load_state_dict({k: v for k, v in module.state_dict().items() if not k.startswith("W_o")})
    x = journey_embeddings()
    torch.testing.assert_close(module(x), module.W_o(head(x)))


def test_shapes_for_no_one_and_two_batch_dimensions():
    module = mha(d_in=6, d_out=8, n_heads=2)
    x = inputs(B=3, T=5)  # (B, T, d_in)
    out, attn_weights = module(x, return_weights=True)
    assert out.shape == (3, 5, 8)
    assert attn_weights.shape == (3, 2, 5, 5)
    torch.testing.assert_close(module(x[1]), out[1])  # (T, d_in): no batch dimension
    x4 = torch.stack([x, x.flip(1)])  # (2, B, T, d_in)
    assert module(x4).shape == (2, 3, 5, 8)
    torch.testing.assert_close(module(x4)[0], out)


def test_causal_output_ignores_the_future():
    module = mha(causal=True)
    x = inputs(T=8)
    changed = x.clone()
    changed[:, 5:] = torch.randn(2, 3, 6)  # rewrite tokens 5, 6, 7
    torch.testing.assert_close(module(changed)[:, :5], module(x)[:, :5])
    assert not torch.allclose(module(changed)[:, 5:], module(x)[:, 5:])


def test_dropout_only_in_training_mode_and_rescales_what_it_keeps():
    module = mha(dropout=0.5)
    x = inputs()
    module.eval()
    _, kept = module(x, return_weights=True)
    torch.testing.assert_close(module(x), module(x))
    module.train()
    torch.manual_seed(3)
    _, dropped = module(x, return_weights=True)
    assert (dropped == 0).any()
    nonzero = dropped != 0
    torch.testing.assert_close(dropped[nonzero], kept[nonzero] / 0.5)


def test_keeps_dtype_and_gradients_reach_every_projection():
    module = mha().double()
    x = inputs().double()
    out = module(x)
    assert out.dtype == torch.float64
    out.sum().backward()
    for W in (module.W_q, module.W_k, module.W_v, module.W_o):
        assert W.weight.grad is not None and W.weight.grad.abs().sum() > 0


@CUDA
def test_keeps_cuda_device():
    module = mha().cuda()
    x = inputs().cuda()
    assert module(x).device == x.device
    torch.testing.assert_close(module(x).cpu(), module.cpu()(x.cpu()))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        pytest.param({"d_in": 0}, ValueError, r"d_in must be a positive int, got 0", id="d_in-0"),
        pytest.param({"d_out": 12.0}, TypeError, r"d_out must be a positive int", id="d_out-float"),
        pytest.param(
            {"n_heads": True}, TypeError, r"n_heads must be a positive int", id="heads-bool"
        ),
        pytest.param(
            {"n_heads": 5},
            ValueError,
            r"n_heads must divide d_out .* got d_out=12 and n_heads=5",
            id="heads-do-not-divide",
        ),
        pytest.param({"dropout": 1.0}, ValueError, r"dropout must be in \[0, 1\), got 1", id="p-1"),
        pytest.param({"dropout": "0.1"}, TypeError, r"dropout must be a float", id="p-str"),
        pytest.param({"qkv_bias": 1}, TypeError, r"qkv_bias must be True or False", id="bias-int"),
        pytest.param(
            {"causal": None}, TypeError, r"causal must be True or False", id="causal-none"
        ),
    ],
)
def test_constructor_arguments_are_checked(kwargs, error, message):
    args = {"d_in": 6, "d_out": 12, "n_heads": 3, **kwargs}
    with pytest.raises((TypeError, ValueError)) as excinfo:
        MultiHeadAttention(**args)
    assert excinfo.type is error
    assert excinfo.match(r"^MultiHeadAttention: " + message)
    assert PACKAGE in Path(excinfo.traceback[-1].path).resolve().parents


@pytest.mark.parametrize(
    ("x", "kwargs", "error", "message"),
    [
        pytest.param(torch.ones(7, 5), {}, ValueError, r"x must end in d_in=6", id="features"),
        pytest.param(torch.ones(6), {}, ValueError, r"x must have at least 2 dim", id="rank"),
        pytest.param(torch.ones(7, 6).double(), {}, TypeError, r"x is torch\.float64", id="dtype"),
        pytest.param([[1.0] * 6], {}, TypeError, r"x must be a torch\.Tensor", id="list"),
        pytest.param(
            torch.ones(7, 6), {"return_weights": "yes"}, TypeError, r"return_weights", id="flag"
        ),
    ],
)
def test_forward_inputs_are_checked(x, kwargs, error, message):
    with pytest.raises((TypeError, ValueError)) as excinfo:
        mha()(x, **kwargs)
    assert excinfo.type is error
    assert excinfo.match(r"^MultiHeadAttention: " + message)
    assert PACKAGE in Path(excinfo.traceback[-1].path).resolve().parents


# --- the causal and dropout paths it builds on ----------------------------------------------------


def test_causal_mask_is_the_definition_j_at_most_i():
    T = 6
    expected = torch.tensor([[j <= i for j in range(T)] for i in range(T)])
    assert torch.equal(causal_mask(T), expected)


def test_self_attention_causal_equals_sdpa_on_its_projections():
    torch.manual_seed(0)
    module = SelfAttention(3, 4, qkv_bias=True, causal=True)
    x = journey_embeddings()
    q, k, v = module.W_q(x), module.W_k(x), module.W_v(x)
    expected = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    torch.testing.assert_close(module(x), expected)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_keeps_each_weight_with_probability_1_minus_p_and_scales_it_by_1_over_1_minus_p(p):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(6, 4, generator=g)
    _, weights = attention(x, x, x)  # (T, T), no dropout
    N = 4000  # independent draws, one per batch row
    xs = x.expand(N, 6, 4)  # (N, T, d)
    out, dropped = attention(xs, xs, xs, dropout_p=p, generator=g)
    kept = dropped != 0
    # Kept weights are exactly scaled by 1/(1 - p), and they are what multiplied v.
    torch.testing.assert_close(dropped[kept], (weights.expand(N, 6, 6) / (1 - p))[kept])
    torch.testing.assert_close(out, dropped @ xs)
    # Each weight is kept with probability 1 - p: a binomial count, checked to 5 standard errors.
    n = kept.numel()
    assert abs(kept.float().mean().item() - (1 - p)) < 5 * (p * (1 - p) / n) ** 0.5
    # So its expectation is the undropped weight: E[w · keep / (1 - p)] = w.
    standard_error = weights * (p / (1 - p)) ** 0.5 / N**0.5
    assert ((dropped.mean(dim=0) - weights).abs() <= 5 * standard_error + 1e-7).all()


def test_dropout_with_a_seeded_generator_repeats():
    x = journey_embeddings()
    first = attention(x, x, x, dropout_p=0.5, generator=torch.Generator().manual_seed(7))
    again = attention(x, x, x, dropout_p=0.5, generator=torch.Generator().manual_seed(7))
    other = attention(x, x, x, dropout_p=0.5, generator=torch.Generator().manual_seed(8))
    assert torch.equal(first[1], again[1])
    assert not torch.equal(first[1], other[1])
