"""The self-attention modules: the seed's numbers, equivalence of both forms, and their checks."""

import pytest
import torch

from attention_lab import SelfAttention, SelfAttentionParams, attention, journey_embeddings


def seed_module() -> SelfAttentionParams:
    torch.manual_seed(123)
    return SelfAttentionParams(3, 2)


def rounded(t: torch.Tensor) -> list:
    return [round(v, 4) for v in t.detach().flatten().tolist()]


def test_seed_weights_follow_manual_seed_123():
    sa = seed_module()
    assert rounded(sa.W_query) == [-0.1115, 0.1204, -0.3696, -0.2404, -1.1969, 0.2093]
    assert rounded(sa.W_key) == [-0.9724, -0.7550, 0.3239, -0.1085, 0.2103, -0.3908]
    assert rounded(sa.W_value) == [0.2350, 0.6653, 0.3528, 0.9728, -0.0386, -0.8861]


def test_seed_query_key_value_and_scores_of_token_2():
    sa, x = seed_module(), journey_embeddings()
    query_2 = x[1] @ sa.W_query
    keys = x @ sa.W_key
    assert rounded(query_2) == [-1.1729, -0.0048]
    assert rounded(x[1] @ sa.W_key) == [-0.1142, -0.7676]
    assert rounded(x[1] @ sa.W_value) == [0.4107, 0.6274]
    assert rounded(query_2 @ keys.T) == [0.2172, 0.1376, 0.1730, -0.0491, 0.7616, -0.3809]


def test_params_module_equals_attention_on_its_projections():
    sa, x = seed_module(), journey_embeddings()
    expected, _ = attention(x @ sa.W_query, x @ sa.W_key, x @ sa.W_value)
    torch.testing.assert_close(sa(x), expected)


def test_linear_module_equals_params_module_with_the_same_matrices():
    params, x = seed_module(), journey_embeddings()
    linear = SelfAttention(3, 2)
    with torch.no_grad():
        linear.W_q.weight.copy_(params.W_query.T)
        linear.W_k.weight.copy_(params.W_key.T)
        linear.W_v.weight.copy_(params.W_value.T)
    torch.testing.assert_close(linear(x), params(x))


def test_self_attention_batches_and_returns_weights():
    torch.manual_seed(0)
    sa = SelfAttention(3, 4, qkv_bias=True, causal=True)
    x = torch.stack([journey_embeddings(), journey_embeddings().flip(0)])  # (2, 6, 3)
    out, attn_weights = sa(x, return_weights=True)
    assert out.shape == (2, 6, 4)
    assert attn_weights.shape == (2, 6, 6)
    assert torch.equal(attn_weights.triu(1), torch.zeros(2, 6, 6))
    torch.testing.assert_close(out[0], sa(x[0]))


def test_dropout_only_in_training_mode():
    torch.manual_seed(0)
    sa = SelfAttention(3, 2, dropout=0.5)
    x = journey_embeddings()
    sa.eval()
    torch.testing.assert_close(sa(x), sa(x))
    sa.train()
    _, attn_weights = sa(x, return_weights=True)
    assert (attn_weights == 0).any()


def test_modules_keep_dtype():
    x = journey_embeddings(dtype=torch.float64)
    torch.manual_seed(0)
    assert SelfAttention(3, 2).double()(x).dtype == torch.float64
    assert SelfAttentionParams(3, 2).double()(x).dtype == torch.float64


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: SelfAttention(0, 2), ValueError, r"d_in must be a positive int, got 0"),
        (lambda: SelfAttention(3, 2.5), TypeError, r"d_out must be a positive int, got 2.5"),
        (lambda: SelfAttention(3, 2, dropout=1.0), ValueError, r"dropout must be in \[0, 1\)"),
        (lambda: SelfAttention(3, 2, causal="yes"), TypeError, r"causal must be True or False"),
        (lambda: SelfAttentionParams(-1, 2), ValueError, r"d_in must be a positive int"),
    ],
)
def test_constructor_arguments_are_checked(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_forward_checks_return_weights():
    with pytest.raises(TypeError, match=r"return_weights must be True or False, got 'yes'"):
        SelfAttention(3, 2)(journey_embeddings(), return_weights="yes")


def test_forward_checks_features_and_dtype():
    sa = seed_module()
    with pytest.raises(ValueError, match=r"x must end in d_in=3 features, got shape \(6, 2\)"):
        sa(torch.zeros(6, 2))
    with pytest.raises(TypeError, match=r"x is torch.float64 .* weights are torch.float32"):
        sa(journey_embeddings(dtype=torch.float64))
