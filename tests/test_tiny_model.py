"""The tiny attention-only transformer of notebook 13 and the induction score that reads its heads."""

from __future__ import annotations

import pytest
import torch

from attention_lab.tiny_model import (
    TinyTransformer,
    induction_score,
    induction_targets,
    previous_token_score,
)
from attention_lab.widgets import learned_step


def model(seed: int = 0, **kwargs) -> TinyTransformer:
    torch.manual_seed(seed)
    return TinyTransformer(vocab_size=10, context_length=12, **kwargs)


def repeated(half: int = 6, seed: int = 1, batch: int = 3) -> torch.Tensor:
    """(batch, 2·half) token ids: a random first half, then the same tokens again."""
    first = torch.randint(10, (batch, half), generator=torch.Generator().manual_seed(seed))
    return torch.cat([first, first], dim=1)


def test_shapes_of_the_logits_and_of_every_heads_weights():
    net = model(d_model=16, n_heads=4, n_layers=3)
    logits, weights = net(repeated(half=5))
    assert logits.shape == (3, 10, 10)  # (B, T, vocab)
    assert weights.shape == (3, 3, 4, 10, 10)  # (B, n_layers, n_heads, T, T)
    torch.testing.assert_close(weights.sum(dim=-1), torch.ones(3, 3, 4, 10))


def test_causal_a_future_token_changes_no_earlier_logit_or_weight():
    net = model()
    tokens = repeated()
    changed = tokens.clone()
    changed[:, 7] = (changed[:, 7] + 1) % 10  # change position 7 only
    logits, weights = net(tokens)
    logits_changed, weights_changed = net(changed)
    torch.testing.assert_close(logits_changed[:, :7], logits[:, :7], rtol=0, atol=0)
    assert not torch.allclose(logits_changed[:, 7:], logits[:, 7:])
    torch.testing.assert_close(weights_changed[..., :7, :], weights[..., :7, :], rtol=0, atol=0)
    assert (weights.triu(diagonal=1) == 0).all()  # no weight on a later key


def test_the_layers_add_onto_the_residual_stream():
    net = model(n_layers=1)
    tokens = repeated()
    with torch.no_grad():
        net.layers[0].out_proj.weight.zero_()  # the layer now adds nothing
    logits, _ = net(tokens)
    positions = torch.arange(tokens.shape[1])
    embedded = net.token_embedding(tokens) + net.position_embedding(positions)
    torch.testing.assert_close(logits, net.unembedding(embedded))


def perfect_induction(tokens: torch.Tensor) -> torch.Tensor:
    """All of each row's weight on the position after the most recent earlier occurrence,
    or on key 0 where the token is new. Shapes: tokens (T,) -> (T, T)"""
    T = len(tokens)
    weights = torch.zeros(T, T)
    for i in range(T):
        earlier = [j for j in range(i) if tokens[j] == tokens[i]]
        weights[i, earlier[-1] + 1 if earlier else 0] = 1.0
    return weights


def test_a_perfect_induction_pattern_scores_one_and_uniform_attention_low():
    tokens = torch.tensor([3, 1, 4, 5, 9, 2, 6, 8, 3, 1, 4, 5, 9, 2, 6, 8])
    assert induction_score(perfect_induction(tokens), tokens).item() == pytest.approx(1.0)
    uniform = torch.ones(16, 16).tril()
    uniform = uniform / uniform.sum(dim=-1, keepdim=True)  # causal, even weights
    expected = sum(1 / (i + 1) for i in range(8, 16)) / 8  # queries 8..15 have a target
    assert induction_score(uniform, tokens).item() == pytest.approx(expected)
    assert expected < 0.1
    previous_token = torch.eye(16).roll(-1, dims=1).tril()  # query i on key i - 1
    previous_token[0, 0] = 1.0
    assert induction_score(previous_token, tokens).item() == 0.0
    assert previous_token_score(previous_token).item() == 1.0
    assert previous_token_score(uniform).item() == pytest.approx(
        sum(1 / i for i in range(2, 17)) / 15
    )


def test_the_score_is_per_head_and_averages_over_the_batch():
    tokens = repeated(half=6, batch=2)  # (2, 12)
    perfect = torch.stack([perfect_induction(t) for t in tokens])  # (2, 12, 12)
    uniform = torch.ones(12, 12).tril()
    uniform = (uniform / uniform.sum(dim=-1, keepdim=True)).expand(2, 12, 12)
    weights = torch.stack([perfect, uniform], dim=1)[:, None]  # (B, 1 layer, 2 heads, T, T)
    scores = induction_score(weights, tokens)
    assert scores.shape == (1, 2)
    assert scores[0, 0].item() == pytest.approx(1.0)
    assert 0 < scores[0, 1].item() < 0.3  # short rows: even weights still land near a target


def test_induction_targets_are_the_positions_after_earlier_occurrences():
    targets = induction_targets(torch.tensor([7, 2, 7, 2, 7]))
    assert targets.nonzero().tolist() == [[2, 1], [3, 2], [4, 1], [4, 3]]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: TinyTransformer(10, 12, d_model=30, n_heads=4), ValueError,
         r"TinyTransformer: d_model must be divisible by n_heads, got d_model=30 and n_heads=4"),
        (lambda: TinyTransformer(0, 12), ValueError,
         r"TinyTransformer: vocab_size must be a positive int, got 0"),
        (lambda: model()(repeated().float()), TypeError,
         r"TinyTransformer: tokens must hold integer token ids, got dtype torch.float32"),
        (lambda: model()(repeated()[0]), ValueError,
         r"TinyTransformer: tokens must be a non-empty \(B, T\) tensor, got \(12\)"),
        (lambda: model()(repeated(half=7)), ValueError,
         r"TinyTransformer: tokens has T=14 positions, expected at most context_length=12"),
        (lambda: model()(repeated() + 5), ValueError,
         r"TinyTransformer: tokens must be ids in \[0, 9\], got values from"),
        (lambda: induction_score(torch.ones(4, 4), torch.ones(4)), TypeError,
         r"induction_score: tokens must hold integer token ids, got dtype torch.float32"),
        (lambda: induction_score(torch.ones(4, 4), torch.ones(4, dtype=torch.bool)), TypeError,
         r"induction_score: tokens must hold integer token ids, got dtype torch.bool"),
        (lambda: learned_step(torch.ones(1, 1, 4, 4), torch.ones(4, dtype=torch.bool), 0, 0), TypeError,
         r"learned_step: tokens must hold integer token ids, got dtype torch.bool"),
        (lambda: induction_score(torch.ones(4, 5), torch.arange(4)), ValueError,
         r"induction_score: attn_weights must end in square \(T, T\) weights, got \(4, 5\)"),
        (lambda: induction_score(torch.ones(3, 2, 4, 4), torch.zeros(2, 4, dtype=torch.long)),
         ValueError, r"induction_score: tokens must be \(T,\) or \(B, T\) matching attn_weights"),
        (lambda: induction_score(torch.ones(4, 4), torch.arange(4)), ValueError,
         r"induction_score: no token of tokens repeats"),
        (lambda: previous_token_score(torch.ones(1, 1)), ValueError,
         r"previous_token_score: attn_weights must end in square \(T, T\) weights with T ≥ 2"),
        (lambda: induction_score(torch.full((4, 4), float("nan")), torch.zeros(4).long()),
         ValueError, r"induction_score: attn_weights contains NaN"),
    ],
)  # fmt: skip
def test_bad_inputs_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
