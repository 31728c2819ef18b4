"""The tiles explorer of notebook 09: its online softmax against attention, its shell, its words."""

from __future__ import annotations

import pytest
import torch

from attention_lab import attention
from attention_lab.i18n import use_language
from attention_lab.widgets import tiles_example, tiles_explorer, tiles_step

# Every test here draws: no window, whatever the machine (the fixture is in conftest.py).
pytestmark = pytest.mark.usefixtures("agg_backend")


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("query_block", [0, 1, 2])
def test_after_every_tile_the_state_is_the_block_rows_of_attention(query_block, causal):
    q, k, v = (t.double() for t in tiles_example())
    rows = slice(4 * query_block, 4 * query_block + 4)
    expected, _ = attention(q, k, v, causal=causal)
    last = tiles_step(q, k, v, query_block=query_block, steps=0, causal=causal).n_tiles_to_read
    assert last == (query_block + 1 if causal else 3)
    step = tiles_step(q, k, v, query_block=query_block, steps=last, causal=causal)
    assert step.done
    torch.testing.assert_close(step.out, expected[rows])
    # The running max and sum are those of the full rows: m = max, ℓ = Σ exp(s − m).
    scores = (q[rows] @ k.T / 2.0)[:, : 4 * last]
    if causal:
        allowed = torch.arange(4 * last)[None, :] <= torch.arange(12)[rows, None]
        scores = scores.masked_fill(~allowed, float("-inf"))
    torch.testing.assert_close(step.row_max, scores.max(dim=-1).values)
    torch.testing.assert_close(step.row_sum, torch.exp(scores - step.row_max[:, None]).sum(-1))


def test_the_rescale_factor_is_exp_of_the_old_max_minus_the_new():
    q, k, v = (t.double() for t in tiles_example())
    first = tiles_step(q, k, v, query_block=1, steps=1)
    assert torch.equal(first.rescale, torch.zeros(4, dtype=torch.float64))  # exp(−∞ − m) = 0
    for steps in (2, 3):
        before = tiles_step(q, k, v, query_block=1, steps=steps - 1)
        after = tiles_step(q, k, v, query_block=1, steps=steps)
        torch.testing.assert_close(after.rescale, torch.exp(before.row_max - after.row_max))
        assert (after.rescale <= 1).all() and (after.row_max >= before.row_max).all()
    with pytest.raises(ValueError, match=r"tiles_step: steps must be a number of tiles read"):
        tiles_step(q, k, v, query_block=0, steps=2, causal=True)
    with pytest.raises(ValueError, match=r"tiles_step: expected q and k of one shape"):
        tiles_step(q[:10], k[:10], v[:10], query_block=0, steps=0)


def test_the_button_reads_one_tile_per_click_and_the_mask_shortens_the_walk(explorers):
    explorer = tiles_explorer()
    explorers.append(explorer)
    button = explorer.box.children[0].children[0]
    pngs = [explorer.png]
    for steps in (1, 2, 3):
        button.click()
        assert explorer.result.steps == steps and explorer.message.value == ""
        pngs.append(explorer.png)
    assert len(set(pngs)) == 4 and "every tile read" in explorer.values.value
    button.click()  # past the last tile: start again
    assert explorer.result.steps == 0
    explorer.controls["causal"].value = True
    assert explorer.controls["steps"].max == 2  # query block 1 reads tiles 0 and 1
    assert "skips 1 tile(s)" in explorer.values.value


def test_the_tiles_explorer_speaks_vietnamese(explorers):
    with use_language("vi"):
        explorer = tiles_explorer()
    explorers.append(explorer)
    assert explorer.controls["steps"].description == "số mảnh khóa đã đọc"
    assert "chưa đọc gì" in explorer.values.value
    assert explorer.figure.axes[0].get_xlabel() == "vị trí khóa j"
