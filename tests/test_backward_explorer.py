"""The backward explorer draws the tiles that ``tiled_backward`` really recomputes."""

from __future__ import annotations

import pytest
import torch

from attention_lab import tiled_passes
from attention_lab.tiled import attention_tiled
from attention_lab.widgets import backward_explorer, backward_step, describe_backward
from attention_lab.widgets.backward import MASKED, SKIPPED, WHOLE


def recomputed_by_the_backward(monkeypatch, n, block_q, block_k, causal):
    """(query block, key block) of each tile the package's backward visits, in order."""
    gen = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(1, n, 4, generator=gen, requires_grad=True) for _ in range(3))
    out = attention_tiled(q, k, v, causal=causal, block_q=block_q, block_k=block_k)
    visits = []
    real = tiled_passes.tile_allowed

    def recording(mask, causal, q0, q1, k0, k1, device):
        visits.append((q0 // block_q, k0 // block_k))
        return real(mask, causal, q0, q1, k0, k1, device)

    monkeypatch.setattr(tiled_passes, "tile_allowed", recording)
    out.sum().backward()
    return visits


@pytest.mark.parametrize(
    ("n", "block_q", "block_k", "causal"),
    [(6, 2, 2, True), (6, 2, 2, False), (100, 16, 32, True), (77, 32, 16, True), (9, 4, 1, True)],
)
def test_the_step_shows_exactly_the_tiles_the_backward_recomputes(
    monkeypatch, n, block_q, block_k, causal
):
    visits = recomputed_by_the_backward(monkeypatch, n, block_q, block_k, causal)
    assert visits, "the backward visited no tile: the recording hook saw nothing"
    step = backward_step(n, block_q, block_k, causal, 0)
    shown = [(int(i), int(j)) for j, i in (step.tiles != SKIPPED).T.nonzero().tolist()]
    assert sorted(visits, key=lambda t: (t[1], t[0])) == visits  # key blocks outside
    assert shown == visits
    for key_block in range(step.tiles.shape[1]):
        order = backward_step(n, block_q, block_k, causal, key_block).order
        assert order == [i for i, j in visits if j == key_block]


def test_whole_and_masked_tiles_under_the_causal_mask():
    step = backward_step(6, 2, 2, True, 1)
    assert step.tiles.tolist() == [
        [MASKED, SKIPPED, SKIPPED],
        [WHOLE, MASKED, SKIPPED],
        [WHOLE, WHOLE, MASKED],
    ]
    assert step.order == [1, 2]
    html = describe_backward(step)
    assert "6 of 9 tiles recomputed" in html and "3 skipped" in html
    assert (backward_step(6, 2, 2, False, 0).tiles == WHOLE).all()


def test_bad_arguments_are_named():
    with pytest.raises(
        ValueError, match=r"backward_step: key_block must be a key block in \[0, 2\]"
    ):
        backward_step(6, 2, 2, True, 3)
    with pytest.raises(TypeError, match=r"backward_step: causal must be True or False"):
        backward_step(6, 2, 2, 1, 0)
    with pytest.raises(
        ValueError, match=r"backward_explorer: n must be a positive int at most 128"
    ):
        backward_explorer(n=200)
    # The explorer checks its start in its own name: the learner called it, not the step.
    with pytest.raises(ValueError, match=r"backward_explorer: block_q must be one of \(1, 2, 4,"):
        backward_explorer(block_q=3)
    with pytest.raises(ValueError, match=r"backward_explorer: key_block must be a key block in"):
        backward_explorer(key_block=3)
    with pytest.raises(ValueError, match=r"backward_step: block_q"):
        backward_step(6, 0, 2, True, 0)


def test_the_key_block_slider_follows_the_grid():
    explorer = backward_explorer(n=6, block_q=2, block_k=2, key_block=2)
    explorer.controls["n"].value = 3  # two key blocks now: 0 and 1
    assert explorer.controls["key_block"].max == 1
    assert explorer.result.key_block == 1
    assert explorer.message.value == ""
