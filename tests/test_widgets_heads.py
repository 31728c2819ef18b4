"""The heads explorer of notebook 07: its step against the package's module, its shell, its words."""

from __future__ import annotations

import io

import pytest
import torch
from PIL import Image

from attention_lab.data import journey_embeddings
from attention_lab.i18n import use_language
from attention_lab.layers import MultiHeadAttention
from attention_lab.widgets import heads_explorer, heads_step, heads_weights
from attention_lab.widgets.heads import HEAD_CHOICES, SATURATED

# Every test here draws: no window, whatever the machine (the fixture is in conftest.py).
pytestmark = pytest.mark.usefixtures("agg_backend")


@pytest.mark.parametrize("n_heads", HEAD_CHOICES)
def test_heads_step_is_the_package_module_with_the_same_weights(n_heads):
    x = journey_embeddings(dtype=torch.float64)
    weights = {k: w.double() for k, w in heads_weights(3, 6, seed=5).items()}
    step = heads_step(x, weights, n_heads, 1.5)
    module = MultiHeadAttention(3, 6, n_heads).double()
    with torch.no_grad():
        module.W_q.weight.copy_(1.5 * weights["W_q"])
        module.W_k.weight.copy_(1.5 * weights["W_k"])
        module.W_v.weight.copy_(weights["W_v"])
        module.W_o.weight.copy_(weights["W_o"])
        module.W_o.bias.zero_()
        out, attn_weights = module(x, return_weights=True)
    torch.testing.assert_close(step.out, out)
    torch.testing.assert_close(step.attn_weights, attn_weights)  # (n_heads, T, T)
    assert step.head_outputs.shape == (n_heads, 6, 6 // n_heads)
    # The concatenation is the heads' outputs side by side, head 0 first.
    torch.testing.assert_close(step.concat[:, : 6 // n_heads], step.head_outputs[0])
    largest = attn_weights.max(dim=-1).values.mean(dim=-1)
    torch.testing.assert_close(step.largest, largest)


def test_a_larger_scale_saturates_the_heads_and_zero_spreads_them_evenly():
    x, weights = journey_embeddings(), heads_weights(3)
    even = heads_step(x, weights, 3, 0.0)
    torch.testing.assert_close(even.attn_weights, torch.full((3, 6, 6), 1 / 6))
    assert even.saturated == []
    large = heads_step(x, weights, 3, 4.0)
    assert large.saturated, "scale 4 multiplies the scores by 16: some head must saturate"
    assert all(float(large.largest[h]) >= SATURATED for h in large.saturated)
    assert (large.largest > heads_step(x, weights, 3, 1.0).largest).all()


def test_heads_step_refuses_a_head_count_that_does_not_divide_d_out():
    x, weights = journey_embeddings(), heads_weights(3)
    with pytest.raises(ValueError, match=r"heads_step: n_heads must divide d_out=6, got n_heads=4"):
        heads_step(x, weights, 4, 1.0)
    with pytest.raises(ValueError, match=r"heads_step: scale must be a number ≥ 0, got -1"):
        heads_step(x, weights, 2, -1)
    with pytest.raises(TypeError, match=r"heads_step: weights must be a dict as heads_weights"):
        heads_step(x, [1, 2], 2, 1.0)
    with pytest.raises(ValueError, match=r"heads_explorer: n_heads must be one of \(1, 2, 3, 6\)"):
        heads_explorer(n_heads=4)


def test_the_head_count_redraws_one_map_per_head_and_the_readout_names_saturated_heads(explorers):
    explorer = heads_explorer(n_heads=3, scale=0.5)
    explorers.append(explorer)
    maps = [ax for ax in explorer.figure.axes if ax.get_visible() and ax.get_title()[:5] == "head "]
    assert len(maps) == 3
    assert "no head is saturated" in explorer.values.value
    png = explorer.png
    explorer.controls["n_heads"].value = 6
    maps = [ax for ax in explorer.figure.axes if ax.get_visible() and ax.get_title()[:5] == "head "]
    assert len(maps) == 6 and explorer.png != png
    assert explorer.result.attn_weights.shape == (6, 6, 6)
    explorer.controls["scale"].value = 4.0
    saturated = explorer.result.saturated
    assert 0 < len(saturated) < 6, "scale 4 saturates some of the six heads, not all"
    assert "saturated: head(s) " + ", ".join(map(str, saturated)) in explorer.values.value
    assert explorer.message.value == ""


def test_the_heads_explorer_speaks_vietnamese(explorers):
    with use_language("vi"):
        explorer = heads_explorer(scale=0.5)
    explorers.append(explorer)
    assert explorer.controls["n_heads"].description == "số đầu chú ý H"
    assert "không đầu chú ý nào bão hòa" in explorer.values.value
    titles = [ax.get_title() for ax in explorer.figure.axes]
    assert "đầu 0" in titles and "đầu ra sau khi trộn (× W_o)" in titles


def test_coming_back_to_a_number_of_heads_restores_its_frame(explorers):
    # Each number of heads keeps its own axes and the renderer its frame's picture, so a move
    # back redraws only the numbers, and shows what a full draw would.
    explorer = heads_explorer()
    explorers.append(explorer)
    canvas, draws = explorer.renderer.canvas, []
    draw = canvas.draw
    canvas.draw = lambda: draws.append(1) or draw()
    slider = explorer.controls["n_heads"]
    slider.value = 6
    slider.value = 3  # the starting number: its frame was drawn when the explorer was made
    assert len(draws) == 1
    restored = explorer.png
    explorer.renderer.forget()
    slider.value = 6
    slider.value = 3
    assert len(draws) == 3
    assert (
        Image.open(io.BytesIO(restored)).tobytes() == Image.open(io.BytesIO(explorer.png)).tobytes()
    )
