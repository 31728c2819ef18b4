"""The cost explorer of notebook 08: its counts against products counted by hand, its shell, its words."""

from __future__ import annotations

import pytest
import torch

from attention_lab.i18n import use_language
from attention_lab.widgets import cost_explorer, cost_step
from attention_lab.widgets.cost import MAX_LIVE_N, live_timing

# Every test here draws: no window, whatever the machine (the fixture is in conftest.py).
pytestmark = pytest.mark.usefixtures("agg_backend")


def matmul_flops(a: torch.Tensor, b: torch.Tensor) -> int:
    """A multiply and an add per term of every dot product of a @ b."""
    return 2 * a.shape[0] * a.shape[1] * b.shape[1]


@pytest.mark.parametrize(("n", "d"), [(16, 16), (100, 64), (4096, 128)])
def test_cost_step_counts_the_products_of_one_head(n, d):
    x, w = torch.empty(n, d, device="meta"), torch.empty(d, d, device="meta")
    scores = torch.empty(n, n, device="meta")
    step = cost_step(n, d)
    assert step.projection_flops == 4 * matmul_flops(x, w)  # q, k, v and the output projection
    assert step.scores_flops == matmul_flops(x, x.T)
    assert step.mixing_flops == matmul_flops(scores, x)
    assert step.score_bytes == scores.numel() * 4
    io = 4 * x.numel() * 4
    assert step.plain_bytes == io + 2 * step.score_bytes
    assert io < step.tiled_bytes < io + (64 * 64 + 2 * n) * 4 + 1


def test_the_n_squared_part_overtakes_the_projections_at_n_equal_2d():
    for d in (16, 64, 512):
        at = cost_step(2 * d, d)
        assert at.crossover == 2 * d
        assert at.scores_flops + at.mixing_flops == at.projection_flops
        below, above = cost_step(d, d), cost_step(4 * d, d)
        assert below.scores_flops + below.mixing_flops < below.projection_flops
        assert above.scores_flops + above.mixing_flops > above.projection_flops
    with pytest.raises(ValueError, match=r"cost_step: n must be a positive int, got 0"):
        cost_step(0, 64)
    with pytest.raises(ValueError, match=r"cost_explorer: n must be a power of two in \[16, "):
        cost_explorer(n=1000)


def test_sliding_n_moves_the_verdict_across_the_crossover(explorers):
    explorer = cost_explorer(n=64, d=64)
    explorers.append(explorer)
    assert "n &lt; 128" in explorer.values.value or "n < 128" in explorer.values.value
    png = explorer.png
    explorer.controls["n"].value = 128
    assert "exactly as much" in explorer.values.value and explorer.png != png
    explorer.controls["n"].value = 4096
    ratio = 4096 / (2 * 64)  # 4·n²·d over 8·n·d²: n / 2d
    assert f"costs more, {ratio:.2f} times the projections" in explorer.values.value
    explorer.controls["d"].value = 1024
    assert explorer.result.crossover == 2048 and explorer.message.value == ""


def test_the_first_render_holds_no_timing_and_the_button_adds_one(explorers):
    explorer = cost_explorer(n=16, d=16)
    explorers.append(explorer)
    button, timing = explorer.box.children[1].children
    assert timing.value == "" and "ms" not in explorer.values.value
    button.click()
    assert "attention_tiled" in timing.value and " ms" in timing.value
    times = live_timing(4 * MAX_LIVE_N, 16, repeats=1)
    assert times["n"] == MAX_LIVE_N and times["plain"] > 0 and times["tiled"] > 0


def test_the_cost_explorer_speaks_vietnamese(explorers):
    with use_language("vi"):
        explorer = cost_explorer()
    explorers.append(explorer)
    assert explorer.controls["n"].description == "độ dài chuỗi n"
    assert "phần n² tốn nhiều hơn" in explorer.values.value
    assert explorer.figure.axes[0].get_title() == "FLOP của một đầu chú ý"
