"""The data-flow pictures: each writes what the real computation gives, in either language.

The shapes they write are compared with the shapes of the computation itself (the view and
transpose of multi-head attention on a tensor, the package's MultiHeadAttention, the loop of
flash attention), and the numbers of the causal picture with ``attention``'s weights.
"""

from __future__ import annotations

import ast
import re

import matplotlib.pyplot as plt
import pytest
import torch

from attention_lab import MultiHeadAttention, attention, causal_mask
from attention_lab.data import JOURNEY_TOKENS, journey_embeddings
from attention_lab.i18n import LANGUAGES, text, use_language
from attention_lab.plots import (
    plot_causal_masking,
    plot_head_split,
    plot_qkv_projection,
    plot_tile_walk,
    tile_walk_shapes,
)

pytestmark = pytest.mark.usefixtures("agg_backend")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def texts(axes) -> list[str]:
    axes = axes if isinstance(axes, list) else [axes]
    found = [t.get_text() for ax in axes for t in ax.texts]
    assert found, "no text drawn"
    return found


def written_shapes(ax) -> list[tuple[int, ...]]:
    """Every "symbols = (numbers)" the picture writes, as tuples, top to bottom."""
    found = [m[1] for t in texts(ax) if (m := re.search(r" = (\([\d, ]+\))$", t))]
    assert found, "no shape written"
    return [tuple(ast.literal_eval(s)) if "," in s else (int(s[1:-1]),) for s in found]


def projection_inputs():
    torch.manual_seed(123)
    return journey_embeddings(), *(torch.randn(3, 2) for _ in range(3))


# --- every picture, in every language -----------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_picture_draws_its_words_in_each_language(lang):
    x, W_q, W_k, W_v = projection_inputs()
    with use_language(lang):
        drawn = {
            "qkv": plot_qkv_projection(x, W_q, W_k, W_v, JOURNEY_TOKENS, highlight=1),
            "heads": plot_head_split(2, 6, 4, 2),
            "causal": plot_causal_masking(x @ x.T, JOURNEY_TOKENS),
            "walk": plot_tile_walk(256, 64, 64, block_q=64, block_k=64),
        }
        expected = {
            "qkv": [text("plots.qkv.queries"), text("plots.qkv.title")],
            "heads": [text("plots.heads.head", h=1), text("plots.heads.title", n_heads=2)],
            "causal": [text("plots.causal.masked"), text("plots.causal.title")],
            "walk": [text("plots.walk.rescale"), text("plots.walk.title")],
        }
    for name, axes in drawn.items():
        first = axes[0] if isinstance(axes, list) else axes
        shown = [*texts(axes), first.get_title(), first.figure.get_suptitle()]
        shown += [ax.get_title() for ax in (axes if isinstance(axes, list) else [])]
        for words in expected[name]:
            assert any(words in s for s in shown), f"{name} ({lang}) does not show {words!r}"


def test_a_picture_given_an_axes_draws_on_it():
    _, ax = plt.subplots()
    x, W_q, W_k, W_v = projection_inputs()
    assert plot_qkv_projection(x, W_q, W_k, W_v, JOURNEY_TOKENS, ax=ax) is ax
    _, ax = plt.subplots()
    assert plot_head_split(1, 4, 6, 3, ax=ax) is ax
    _, ax = plt.subplots()
    assert plot_tile_walk(12, 4, 3, block_q=4, block_k=4, ax=ax) is ax
    assert len(ax.patches) > 0


# --- what they write is what the computation gives ----------------------------------------------


def test_the_projection_writes_the_numbers_and_shapes_of_the_products():
    x, W_q, W_k, W_v = projection_inputs()
    ax = plot_qkv_projection(x, W_q, W_k, W_v, JOURNEY_TOKENS)
    shown = texts(ax)
    products = [x @ w for w in (W_q, W_k, W_v)]  # Q, K, V: (T, d_out)
    numbers = sorted(s for s in shown if re.fullmatch(r"-?\d+\.\d\d", s))
    written = [f"{v:.2f}" for m in (x, W_q, W_k, W_v, *products) for v in m.flatten()]
    assert "-0.00" in written  # the example has small negatives: the picture writes them 0.00
    expected = sorted("0.00" if s == "-0.00" else s for s in written)
    assert numbers == expected
    for m in products:
        assert any(s.endswith(f"({m.shape[0]}, {m.shape[1]})") for s in shown)
    assert any(s.endswith(str(tuple(x.shape))) for s in shown)


def test_the_projection_outlines_one_row_in_x_and_in_each_product():
    x, W_q, W_k, W_v = projection_inputs()
    ax = plot_qkv_projection(x, W_q, W_k, W_v, JOURNEY_TOKENS, highlight=4)
    outlined = [p for p in ax.patches if p.get_linewidth() > 2]
    assert len(outlined) == 4  # x, Q, K, V
    assert len({p.get_y() for p in outlined}) == 1  # the same row in each


@pytest.mark.parametrize(
    ("B", "T", "d_in", "d_out", "n_heads"), [(2, 6, 3, 4, 2), (1, 5, 8, 12, 3)]
)
def test_the_head_split_writes_the_shapes_multi_head_attention_makes(B, T, d_in, d_out, n_heads):
    x = torch.randn(B, T, d_in)
    mha = MultiHeadAttention(d_in, d_out, n_heads, causal=True)
    d_head = d_out // n_heads
    q = mha.W_q(x)  # the steps of notebook 07's module, on real numbers
    heads = q.view(B, T, n_heads, d_head)
    split = heads.transpose(1, 2)
    context, _ = attention(split, split, split, causal=True)
    back = context.transpose(1, 2)
    merged = back.contiguous().view(B, T, d_out)
    out = mha.W_o(merged)
    expected = [tuple(t.shape) for t in (q, heads, split, context, back, merged, out)]
    assert written_shapes(plot_head_split(B, T, d_out, n_heads)) == expected
    assert expected[-1] == tuple(mha(x).shape)  # the package's module ends where the picture does


def test_the_causal_picture_writes_attentions_weights_and_row_sums():
    gen = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(5, 4, generator=gen) for _ in range(3))
    scores = q @ k.T / 4**0.5  # (T, T): attention's scaled scores
    _, weights = attention(q, k, v, causal=True)  # (T, T)
    axes = plot_causal_masking(scores, list("abcde"))
    assert len(axes) == 2
    future = ~causal_mask(5)

    def cells(ax):  # the numbers written in the matrix, row by row
        found = [t.get_text() for t in ax.texts if not t.get_text().startswith("Σ")]
        assert len(found) == 25
        return [found[5 * i : 5 * i + 5] for i in range(5)]

    masked = cells(axes[0])
    assert all((masked[i][j] == "−∞") == bool(future[i, j]) for i in range(5) for j in range(5))
    assert masked[4][0] == f"{scores[4, 0]:.2f}"  # the past keeps its score
    expected = [["0" if w == 0 else f"{w:.2f}" for w in row] for row in weights.tolist()]
    assert cells(axes[1]) == expected
    assert all(expected[i][j] == "0" for i, j in future.nonzero().tolist())  # exact zeros
    drawn = torch.as_tensor(axes[1].images[0].get_array())  # the weights as drawn
    assert torch.equal(drawn[future], torch.zeros(int(future.sum()), dtype=drawn.dtype))
    torch.testing.assert_close(drawn.sum(dim=-1), torch.ones(5, dtype=drawn.dtype))

    sums = [t for t in axes[1].texts if t.get_text().startswith("Σ")]
    assert len(sums) == 10
    black = [t.get_text() for t in sums if t.get_color() == "black"]
    assert black == ["Σ 1.00"] * 5
    zeroed = (torch.softmax(scores, dim=-1) * ~future).sum(dim=-1)
    red = [t.get_text() for t in sums if t.get_color() != "black"]
    assert red == [f"Σ {s:.2f}" for s in zeroed.tolist()]
    assert (zeroed[:-1] < 1).all()  # only the last row, which masks nothing, sums to 1


def test_the_tile_walk_writes_the_shapes_of_one_step_of_flash_attention():
    n, d_k, d_v, block_q, block_k = 24, 8, 3, 6, 4
    gen = torch.Generator().manual_seed(0)
    q, k, v = (
        torch.randn(n, d_k, generator=gen),
        torch.randn(n, d_k, generator=gen),
        torch.randn(n, d_v, generator=gen),
    )
    q_blk = q[:block_q] / d_k**0.5  # the first query block, as notebook 09's flash_attention
    row_max = torch.full((block_q, 1), float("-inf"))
    row_sum, acc = torch.zeros(block_q, 1), torch.zeros(block_q, d_v)
    seen = set()
    for k0 in range(0, n, block_k):
        s = q_blk @ k[k0 : k0 + block_k].T
        row_max_new = torch.maximum(row_max, s.amax(dim=-1, keepdim=True))
        rescale = torch.exp(row_max - row_max_new)
        p = torch.exp(s - row_max_new)
        row_sum = row_sum * rescale + p.sum(dim=-1, keepdim=True)
        acc = acc * rescale + p @ v[k0 : k0 + block_k]
        row_max = row_max_new
        seen |= {("S", s.shape), ("S", p.shape), ("m", rescale.shape), ("m", row_sum.shape)}
        seen |= {("acc", acc.shape), ("m", row_max.shape)}
    out = acc / row_sum
    torch.testing.assert_close(out, attention(q, k, v)[0][:block_q])  # the walk is attention
    expected = {name: tuple(shape) for name, shape in seen}
    assert len(expected) == 3, "a tensor changed shape during the walk"
    assert tile_walk_shapes(n, d_k, d_v, block_q=block_q, block_k=block_k) == expected
    ax = plot_tile_walk(n, d_k, d_v, block_q=block_q, block_k=block_k)
    assert set(written_shapes(ax)) == set(expected.values())
    shown = texts(ax)
    assert any(s.endswith(str(tuple(out.shape))) for s in shown)  # O_i (b_q, d_v)
    n_blocks = n // block_k
    assert sum(bool(re.fullmatch(r"\$S_\{i\d+\}\$", s)) for s in shown) == n_blocks


# --- bad input ----------------------------------------------------------------------------------


def bad_calls():
    x, W_q, W_k, W_v = projection_inputs()
    tokens = JOURNEY_TOKENS
    return [
        (
            "plot_qkv_projection",
            "x",
            TypeError,
            lambda: plot_qkv_projection(x.tolist(), W_q, W_k, W_v, tokens),
        ),
        (
            "plot_qkv_projection",
            "W_k",
            ValueError,
            lambda: plot_qkv_projection(x, W_q, W_k.T, W_v, tokens),
        ),
        (
            "plot_qkv_projection",
            "W_k",
            ValueError,
            lambda: plot_qkv_projection(x, W_q, torch.ones(3, 4), W_v, tokens),
        ),
        (
            "plot_qkv_projection",
            "W_v",
            ValueError,
            lambda: plot_qkv_projection(x, W_q, W_k, torch.ones(2, 2), tokens),
        ),
        (
            "plot_qkv_projection",
            "tokens",
            ValueError,
            lambda: plot_qkv_projection(x, W_q, W_k, W_v, tokens[:5]),
        ),
        (
            "plot_qkv_projection",
            "highlight",
            ValueError,
            lambda: plot_qkv_projection(x, W_q, W_k, W_v, tokens, highlight=6),
        ),
        (
            "plot_qkv_projection",
            "ax",
            TypeError,
            lambda: plot_qkv_projection(x, W_q, W_k, W_v, tokens, ax="left"),
        ),
        ("plot_head_split", "n_heads", ValueError, lambda: plot_head_split(2, 6, 4, 3)),
        ("plot_head_split", "T", TypeError, lambda: plot_head_split(2, 6.0, 4, 2)),
        ("plot_head_split", "B", ValueError, lambda: plot_head_split(0, 6, 4, 2)),
        (
            "plot_causal_masking",
            "attn_scores",
            ValueError,
            lambda: plot_causal_masking(torch.ones(2, 3), ["a", "b"]),
        ),
        (
            "plot_causal_masking",
            "attn_scores",
            ValueError,
            lambda: plot_causal_masking(causal_mask(2).float().log(), ["a", "b"]),
        ),
        (
            "plot_causal_masking",
            "tokens",
            TypeError,
            lambda: plot_causal_masking(torch.ones(2, 2), "ab"),
        ),
        (
            "plot_causal_masking",
            "fmt",
            ValueError,
            lambda: plot_causal_masking(torch.ones(2, 2), ["a", "b"], fmt="{"),
        ),
        (
            "plot_tile_walk",
            "block_k",
            ValueError,
            lambda: plot_tile_walk(10, 4, 4, block_q=5, block_k=4),
        ),
        (
            "plot_tile_walk",
            "block_q",
            ValueError,
            lambda: plot_tile_walk(8, 4, 4, block_q=16, block_k=4),
        ),
        (
            "plot_tile_walk",
            "d_v",
            TypeError,
            lambda: plot_tile_walk(8, 4, True, block_q=4, block_k=4),
        ),
    ]


@pytest.mark.parametrize(
    ("fn", "arg", "error", "call"), bad_calls(), ids=lambda v: v if isinstance(v, str) else None
)
def test_bad_input_gets_a_clear_error_in_the_functions_name(fn, arg, error, call):
    with pytest.raises(error) as excinfo:
        call()
    message = str(excinfo.value)
    assert message.startswith(f"{fn}:"), message
    assert arg in message, message
