"""Cross-attention and key masks in MultiHeadAttention: against torch.nn.MultiheadAttention
(whose key_padding_mask means the opposite, True = ignore), against SDPA, and bad inputs."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from test_multihead import inputs, mha, torch_mha_like


def lengths_mask(lengths: list[int], T: int, *, left: bool = False) -> torch.Tensor:
    """(B, T) bool, True at the real tokens: the first `length` (right padding) or the last."""
    positions = torch.arange(T)  # (T,)
    n = torch.tensor(lengths)[:, None]  # (B, 1)
    return positions >= T - n if left else positions < n


def test_lengths_mask_marks_the_real_tokens():
    right = lengths_mask([2, 4], 4)
    left = lengths_mask([2, 4], 4, left=True)
    assert right.tolist() == [[True, True, False, False], [True, True, True, True]]
    assert left.tolist() == [[False, False, True, True], [True, True, True, True]]


@pytest.mark.parametrize("qkv_bias", [False, True])
@pytest.mark.parametrize("left", [False, True])
def test_key_mask_equals_torch_key_padding_mask(qkv_bias, left):
    module = mha(d_in=12, d_out=12, n_heads=4, qkv_bias=qkv_bias).eval()
    ref = torch_mha_like(module)
    x = inputs(B=3, T=5, d_in=12)
    key_mask = lengths_mask([5, 3, 1], 5, left=left)  # True = may attend
    assert (~key_mask).any(), "the test needs some padding"
    out, weights = module(x, return_weights=True, key_mask=key_mask)
    with torch.no_grad():
        expected, expected_weights = ref(
            x, x, x, key_padding_mask=~key_mask, average_attn_weights=False
        )
    torch.testing.assert_close(out, expected, atol=1e-6, rtol=1e-5)
    torch.testing.assert_close(weights, expected_weights, atol=1e-6, rtol=1e-5)
    assert (weights.masked_select(~key_mask[:, None, None, :]) == 0).all()


def test_cross_attention_equals_torch_with_another_key_sequence():
    module = mha(d_in=12, d_out=12, n_heads=3).eval()
    ref = torch_mha_like(module)
    x = inputs(B=2, T=4, d_in=12, seed=1)  # queries, T_q = 4
    context = inputs(B=2, T=7, d_in=12, seed=2)  # keys and values, T_k = 7
    key_mask = lengths_mask([7, 5], 7)
    out, weights = module(x, return_weights=True, context=context, key_mask=key_mask)
    assert out.shape == (2, 4, 12) and weights.shape == (2, 3, 4, 7)
    with torch.no_grad():
        expected, expected_weights = ref(
            x, context, context, key_padding_mask=~key_mask, average_attn_weights=False
        )
    torch.testing.assert_close(out, expected, atol=1e-6, rtol=1e-5)
    torch.testing.assert_close(weights, expected_weights, atol=1e-6, rtol=1e-5)


def test_cross_attention_equals_sdpa_per_head():
    module = mha(d_in=6, d_out=12, n_heads=3, qkv_bias=True).eval()
    x, context = inputs(B=2, T=3), inputs(B=2, T=6, seed=5)
    key_mask = lengths_mask([4, 6], 6, left=True)
    with torch.no_grad():
        out = module(x, context=context, key_mask=key_mask)
        q = module.W_q(x).unflatten(-1, (3, 4)).transpose(1, 2)  # (B, H, T_q, d_head)
        k = module.W_k(context).unflatten(-1, (3, 4)).transpose(1, 2)  # (B, H, T_k, d_head)
        v = module.W_v(context).unflatten(-1, (3, 4)).transpose(1, 2)
        z = F.scaled_dot_product_attention(q, k, v, attn_mask=key_mask[:, None, None, :])
        expected = module.W_o(z.transpose(1, 2).flatten(-2))
    torch.testing.assert_close(out, expected, atol=1e-6, rtol=1e-5)


def test_without_context_and_mask_nothing_changes():
    module = mha().eval()
    x = inputs()
    torch.testing.assert_close(module(x), module(x, context=x))
    torch.testing.assert_close(module(x), module(x, key_mask=torch.ones(2, 7, dtype=torch.bool)))


def test_a_fully_masked_row_gives_zero_weights_not_nan():
    module = mha(d_in=6, d_out=12, n_heads=3).eval()
    x = inputs(B=2, T=4)
    key_mask = torch.tensor([[True, True, False, False], [False, False, False, False]])
    with torch.no_grad():
        out, weights = module(x, return_weights=True, key_mask=key_mask)
        scores = torch.zeros(4).masked_fill(~key_mask[1], float("-inf"))
    assert torch.softmax(scores, dim=-1).isnan().all(), "plain torch.softmax gives NaN here"
    assert torch.isfinite(out).all()
    assert (weights[1] == 0).all()
    torch.testing.assert_close(out[1], module.W_o.bias.detach().expand(4, 12))


def test_key_mask_broadcasts_over_the_batch():
    module = mha().eval()
    x = inputs(B=3, T=5)
    key_mask = torch.tensor([True, True, True, False, False])  # (T_k,), one mask for all
    torch.testing.assert_close(
        module(x, key_mask=key_mask), module(x, key_mask=key_mask.expand(3, 5))
    )


def test_causal_with_an_aligned_context_masks_the_future():
    module = mha(causal=True).eval()
    x, context = inputs(B=1, T=5), inputs(B=1, T=5, seed=4)
    _, weights = module(x, return_weights=True, context=context)
    assert (weights[..., torch.ones(5, 5, dtype=torch.bool).triu(1)] == 0).all()


BAD = [
    (
        "causal-with-other-length",
        dict(context=torch.randn(2, 4, 6)),
        dict(causal=True),
        ValueError,
        r"MultiHeadAttention: causal=True needs a context as long as x \(T_q = T_k\), "
        r"got T_q=7 and T_k=4",
    ),
    (
        "context-wrong-features",
        dict(context=torch.randn(2, 4, 5)),
        {},
        ValueError,
        r"MultiHeadAttention: context must end in d_in=6 features, got shape \(2, 4, 5\)",
    ),
    (
        "context-not-a-tensor",
        dict(context=[[0.0] * 6]),
        {},
        TypeError,
        r"MultiHeadAttention: context must be a torch.Tensor, got list",
    ),
    (
        "context-float64",
        dict(context=torch.randn(2, 4, 6, dtype=torch.float64)),
        {},
        TypeError,
        r"MultiHeadAttention: context is torch.float64 on cpu but the weights are torch.float32",
    ),
    (
        "context-batch-does-not-broadcast",
        dict(context=torch.randn(3, 4, 6)),
        {},
        ValueError,
        r"MultiHeadAttention: the batch dimensions of x \(2, 7, 6\) and context \(3, 4, 6\) "
        r"do not broadcast",
    ),
    (
        "key-mask-float",
        dict(key_mask=torch.ones(2, 7)),
        {},
        TypeError,
        r"MultiHeadAttention: key_mask must have dtype torch.bool \(True = may attend\), "
        r"got torch.float32",
    ),
    (
        "key-mask-wrong-length",
        dict(key_mask=torch.ones(2, 6, dtype=torch.bool)),
        {},
        ValueError,
        r"MultiHeadAttention: key_mask must end in T_k=7, one entry per key, got shape \(2, 6\)",
    ),
    (
        "key-mask-wrong-batch",
        dict(key_mask=torch.ones(3, 7, dtype=torch.bool)),
        {},
        ValueError,
        r"MultiHeadAttention: key_mask of shape \(3, 7\) does not broadcast to the keys' shape "
        r"\(2, 7\)",
    ),
    (
        "key-mask-not-a-tensor",
        dict(key_mask=[True] * 7),
        {},
        TypeError,
        r"MultiHeadAttention: key_mask must be a bool torch.Tensor \(..., T_k\) or None, got list",
    ),
    (
        "key-mask-of-queries-with-context",
        dict(context=torch.randn(2, 4, 6), key_mask=torch.ones(2, 7, dtype=torch.bool)),
        {},
        ValueError,
        r"MultiHeadAttention: key_mask must end in T_k=4",
    ),
]


@pytest.mark.parametrize(
    ("call", "build", "error", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_bad_inputs_get_a_clear_error(call, build, error, message):
    module = mha(**build)
    with pytest.raises(error, match=message):
        module(inputs(), **call)
