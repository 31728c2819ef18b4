"""The explorers: their pure steps against independent references, and their shells under plain
pytest, where setting a control's value runs the update a browser would trigger."""

from __future__ import annotations

import base64
import html
import io
import itertools
import math
import re
import subprocess
import sys

import ipywidgets
import nbformat
import pytest
import torch
from PIL import Image

from attention_lab import widgets
from attention_lab.data import (
    CAT_SAT_TOKENS,
    JOURNEY_TOKENS,
    cat_sat_embeddings,
    journey_embeddings,
)
from attention_lab.functional import dot_scores_loop
from attention_lab.widgets import (
    EXAMPLES,
    causal_explorer,
    causal_step,
    embedding_explorer,
    embedding_step,
    exp_overflow_threshold,
    rope_explorer,
    rope_step,
    scaling_explorer,
    scaling_step,
    softmax_explorer,
    softmax_step,
    weight_explorer,
    weight_step,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# Every test here draws: no window, whatever the machine (the fixture is in conftest.py).
pytestmark = pytest.mark.usefixtures("agg_backend")


def pixels(png: bytes) -> torch.Tensor:
    return torch.frombuffer(
        bytearray(Image.open(io.BytesIO(png)).convert("RGB").tobytes()), dtype=torch.uint8
    )


def shown_png(explorer) -> bytes:
    """The PNG the explorer's Output widget holds, as a browser would receive it."""
    (output,) = explorer.output.outputs
    return base64.b64decode(output["data"]["image/png"])


def sliders(explorer):
    kinds = (ipywidgets.FloatSlider, ipywidgets.IntSlider, ipywidgets.FloatLogSlider)
    return [c for c in explorer.controls.values() if isinstance(c, kinds)]


# -- pure steps against references -------------------------------------------------------------


def test_embedding_step_is_dot_products_softmax_and_a_weighted_average():
    x = journey_embeddings()
    step = embedding_step(x, 1)
    x64 = x.double()
    scores = torch.tensor(
        [sum(float(a) * float(b) for a, b in zip(x64[1], x64[i], strict=True)) for i in range(6)],
        dtype=torch.float64,
    )
    assert torch.allclose(step.attn_scores.double(), scores, atol=1e-6)
    assert torch.allclose(step.attn_scores, dot_scores_loop(x[1], x))
    weights = torch.exp(scores) / torch.exp(scores).sum()
    assert torch.allclose(step.attn_weights.double(), weights, atol=1e-6)
    context = sum(weights[i] * x64[i] for i in range(6))
    assert torch.allclose(step.context.double(), context, atol=1e-6)
    with pytest.raises(
        ValueError, match=r"embedding_step: query must be a row index in \[0, 5\], got 6"
    ):
        embedding_step(x, 6)


def test_softmax_step_agrees_with_float64_until_exp_overflows():
    scores = journey_embeddings(dtype=torch.float64) @ journey_embeddings(dtype=torch.float64)[1]
    step = softmax_step(scores, 2.0, "float32")
    reference = torch.softmax(scores * 2.0, dim=0)
    for got in (step.naive, step.stable):
        assert got.dtype == torch.float32
        assert torch.allclose(got.double(), reference, atol=1e-6)
    assert not step.overflowed
    # float16's exp overflows past ln(65504) ≈ 11.09: scale 10 takes "journey" (1.49) to 14.9.
    step = softmax_step(scores, 10.0, torch.float16)
    assert step.overflowed
    assert torch.isnan(step.naive).any()
    assert torch.isinf(step.exp_scores).any()
    assert torch.allclose(step.stable.double(), torch.softmax(scores * 10.0, dim=0), atol=2e-3)


@pytest.mark.parametrize("dtype", list(widgets.DTYPES.values()))
def test_exp_overflow_threshold_is_where_exp_stops_being_finite(dtype):
    threshold = exp_overflow_threshold(dtype)
    assert math.isfinite(
        torch.exp(torch.tensor(threshold * 0.995, dtype=torch.float64).to(dtype)).item()
    )
    assert math.isinf(
        torch.exp(torch.tensor(threshold * 1.01, dtype=torch.float64).to(dtype)).item()
    )


def test_softmax_step_refuses_products_too_large_for_the_dtype():
    with pytest.raises(
        ValueError, match=r"softmax_step: scale · ω reaches 1e\+05, more than the largest float16"
    ):
        softmax_step(torch.tensor([1000.0, 0.0]), 100.0, "float16")
    with pytest.raises(ValueError, match=r"softmax_step: dtype must be one of"):
        softmax_step(torch.tensor([1.0, 0.0]), 1.0, "int8")


def test_weight_step_is_projections_then_scaled_softmax():
    x = cat_sat_embeddings(dtype=torch.float64)
    generator = torch.Generator().manual_seed(1)
    W_q = torch.randn(2, 3, generator=generator, dtype=torch.float64)
    W_k = torch.randn(2, 3, generator=generator, dtype=torch.float64)
    step = weight_step(x, W_q, W_k)
    q = torch.stack([sum(x[t, i] * W_q[i] for i in range(2)) for t in range(3)])
    k = torch.stack([sum(x[t, i] * W_k[i] for i in range(2)) for t in range(3)])
    assert torch.allclose(step.q, q) and torch.allclose(step.k, k)
    sdpa_weights = torch.softmax(q @ k.T / math.sqrt(3), dim=-1)
    assert torch.allclose(step.attn_weights, sdpa_weights)
    with pytest.raises(
        ValueError, match=r"weight_step: W_k must have 2 rows \(d_in of x \(3, 2\)\), got \(3, 3\)"
    ):
        weight_step(x, W_q, torch.ones(3, 3, dtype=torch.float64))


def test_scaling_step_spreads_like_sqrt_d_k_unless_divided():
    for d_k in (4, 64, 256):
        step = scaling_step(d_k, n_queries=512, seed=1)
        assert float(step.attn_scores.std()) == pytest.approx(math.sqrt(d_k), rel=0.15)
        assert float(step.scaled_scores.std()) == pytest.approx(1.0, rel=0.15)
        assert torch.equal(step.scaled_scores, step.attn_scores / math.sqrt(d_k))
    peaked, scaled = scaling_step(256).peakedness
    assert peaked > 0.8 and scaled < 0.6  # one-hot-ish without the division, spread with it
    assert torch.equal(scaling_step(16, seed=3).attn_scores, scaling_step(16, seed=3).attn_scores)


def test_causal_step_masks_the_future_and_drops_more_as_p_grows():
    x = journey_embeddings(dtype=torch.float64)
    step = causal_step(x, True, 0.0)
    reference = torch.nn.functional.scaled_dot_product_attention(x, x, x, is_causal=True)
    assert torch.allclose(step.out, reference)
    assert torch.equal(step.attn_weights.triu(1), torch.zeros(6, 6, dtype=torch.float64))
    assert torch.allclose(step.attn_weights.sum(-1), torch.ones(6, dtype=torch.float64))
    assert torch.isneginf(step.attn_scores.triu(1)[step.attn_scores.triu(1) != 0]).all()
    dropped_before = None
    for p in (0.1, 0.3, 0.6):
        weights = causal_step(x, True, p).attn_weights
        dropped = (weights == 0) & (step.attn_weights > 0)
        kept = ~dropped & (step.attn_weights > 0)
        assert torch.allclose(weights[kept], step.attn_weights[kept] / (1 - p))
        if dropped_before is not None:
            assert (dropped | ~dropped_before).all()  # dropped at a smaller p stays dropped
        dropped_before = dropped
    unmasked = causal_step(x, False, 0.0)
    assert torch.isfinite(unmasked.attn_scores).all()
    with pytest.raises(TypeError, match=r"causal_step: causal must be True or False, got 1"):
        causal_step(x, 1, 0.0)


@pytest.mark.parametrize("interleaved", [False, True])
def test_rope_step_scores_follow_the_offset_only(interleaved):
    gen = torch.Generator().manual_seed(3)
    q, k = torch.randn(8, generator=gen).double(), torch.randn(8, generator=gen).double()
    step = rope_step(q, k, 6, 2, interleaved=interleaved)
    later = rope_step(q, k, 9, 5, interleaved=interleaved)  # both three places on: offset 4 still
    assert step.score.item() == pytest.approx(later.score.item())
    assert step.score.item() == pytest.approx(step.score_at_offset(4))
    assert step.curve[step.offsets == 0].item() == pytest.approx((q @ k).item())
    assert rope_step(q, k, 2, 6, interleaved=interleaved).score.item() != pytest.approx(
        step.score.item()
    )  # offset −4 is another score
    q_pair, _ = step.first_pair()
    torch.testing.assert_close(q_pair.norm(), q[[0, 1] if interleaved else [0, 4]].norm())


def test_rope_explorer_keeps_the_score_when_both_positions_move_together(explorers):
    explorer = rope_explorer(m=5, n=2)
    explorers.append(explorer)
    score = explorer.result.score.item()
    with explorer.holding():
        explorer.controls["n"].value = 7
    explorer.controls["m"].value = 10  # offset 3 again
    assert explorer.result.score.item() == pytest.approx(score)
    assert "offset m − n = 3" in explorer.values.value
    explorer.controls["m"].value = 11
    assert explorer.result.score.item() != pytest.approx(score)
    with pytest.raises(ValueError, match=r"rope_explorer: m must be a position in \[0, 15\]"):
        rope_explorer(m=16)


def test_each_explorer_draws_the_panels_asked_for(explorers):
    made = {name: make() for name, make in EXAMPLES.items()}
    made["embedding 4-d, scores only"] = embedding_explorer(
        ["a", "b", "c"], torch.ones(3, 4), query=0, show="scores"
    )
    explorers += made.values()
    panels = {name: [ax.name for ax in e.figure.axes] for name, e in made.items()}
    assert panels == {
        "embedding 2-d": ["rectilinear", "rectilinear"],
        "embedding 3-d": ["rectilinear", "3d"],
        "softmax": ["rectilinear", "rectilinear"],
        "weights": ["rectilinear", "rectilinear"],
        "scaling": ["rectilinear", "rectilinear"],
        "causal": ["rectilinear", "rectilinear"],
        "padding": ["rectilinear", "rectilinear"],
        "heads": ["rectilinear"] * 6,  # three maps, a colour bar, the outputs and the merge
        "cost": ["rectilinear", "rectilinear"],
        "tiles": ["rectilinear"],
        "programs": ["rectilinear"],
        "rope": ["rectilinear", "rectilinear"],
        "learned": ["rectilinear"],
        "gqa": ["rectilinear", "rectilinear"],
        "backward": ["rectilinear"],
        "embedding 4-d, scores only": ["rectilinear"],  # no picture of 4-d vectors
    }
    for explorer in made.values():
        assert widgets.figure_png(explorer.figure).startswith(PNG_SIGNATURE)


# -- the shells --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_moving_a_slider_changes_the_numbers_and_the_figure(name, explorers):
    explorer = EXAMPLES[name]()
    explorers.append(explorer)
    assert explorer.png.startswith(PNG_SIGNATURE)
    assert shown_png(explorer) == explorer.png
    assert explorer.message.value == ""
    slider = sliders(explorer)[0]
    values, png, result = explorer.values.value, explorer.png, explorer.result
    slider.value = slider.value + 5 * slider.step if slider.value < slider.max / 2 else slider.min
    assert explorer.message.value == ""
    assert explorer.values.value != values
    assert explorer.png != png and shown_png(explorer) == explorer.png
    assert explorer.result is not result


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_the_fast_redraw_shows_the_pixels_of_a_full_redraw(name, explorers):
    """Redrawing only the moving artists over a saved background draws the same picture as
    drawing everything again: the background never shows something stale."""
    fast, full = EXAMPLES[name](), EXAMPLES[name]()
    explorers += [fast, full]
    for explorer in (fast, full):
        for slider in sliders(explorer):
            for _ in range(3):
                if explorer is full:
                    explorer.renderer.forget()  # forces a full draw
                slider.value = min(slider.max, slider.value + 2 * slider.step)
    assert torch.equal(pixels(fast.png), pixels(full.png))


def test_embedding_explorer_moves_the_chosen_token_of_its_own_copy(explorers):
    x = journey_embeddings()
    explorer = embedding_explorer(JOURNEY_TOKENS, x, query="journey", token="step")
    explorers.append(explorer)
    assert [explorer.controls[f"x[{j}]"].value for j in range(3)] == pytest.approx(x[5].tolist())
    explorer.controls["x[0]"].value = -0.3
    assert torch.equal(x, journey_embeddings())  # the caller's tensor is untouched
    moved = journey_embeddings()
    moved[5, 0] = -0.3
    assert torch.allclose(explorer.result.attn_scores, moved @ moved[1])
    # Pointing the sliders at another token shows its coordinates and recomputes nothing.
    png = explorer.png
    explorer.controls["token"].value = 0
    assert [explorer.controls[f"x[{j}]"].value for j in range(3)] == pytest.approx(x[0].tolist())
    assert explorer.png == png
    explorer.controls["query"].value = 3
    assert torch.allclose(explorer.result.attn_scores, moved @ moved[3])
    assert "score ω" in explorer.values.value and "context z" in explorer.values.value


def test_embedding_explorer_of_all_zero_embeddings_shows_uniform_weights(explorers):
    explorer = embedding_explorer(CAT_SAT_TOKENS, cat_sat_embeddings(), show="context")
    explorers.append(explorer)
    for token in range(3):
        explorer.controls["token"].value = token
        for j in range(2):
            explorer.controls[f"x[{j}]"].value = 0.0
    assert explorer.message.value == ""
    assert torch.equal(explorer.result.attn_scores, torch.zeros(3))
    assert torch.allclose(explorer.result.attn_weights, torch.full((3,), 1 / 3))
    assert shown_png(explorer).startswith(PNG_SIGNATURE)


def test_scores_only_explorer_shows_no_weights(explorers):
    explorer = embedding_explorer(JOURNEY_TOKENS, journey_embeddings(), show="scores")
    explorers.append(explorer)
    assert "score ω" in explorer.values.value and "weight α" not in explorer.values.value
    with pytest.raises(ValueError, match=r"embedding_explorer: show must be 'scores' or 'context'"):
        embedding_explorer(JOURNEY_TOKENS, journey_embeddings(), show="weights")


def test_softmax_explorer_marks_overflow_and_shows_errors_in_the_widget(explorers):
    explorer = softmax_explorer(dtype="float16")
    explorers.append(explorer)
    explorer.controls["scale"].value = 100.0  # 1.49 · 100 = 149 > 11.09: exp overflows in float16
    assert explorer.result.overflowed
    assert "nan" in explorer.values.value and "exp overflows for" in explorer.values.value
    explorer.controls["dtype"].value = "float64"
    assert not explorer.result.overflowed
    assert "no overflow" in explorer.values.value
    # Scores too large for float16 itself: the learner sees why, in the widget, and no traceback.
    big = softmax_explorer(torch.tensor([1000.0, 0.0, 500.0]), ["a", "b", "c"], dtype="float16")
    explorers.append(big)
    png = big.png
    big.controls["scale"].value = 100.0
    assert (
        "ValueError" in big.message.value and "more than the largest float16" in big.message.value
    )
    assert "Traceback" not in big.message.value
    assert big.png == png  # the last good figure stays
    big.controls["scale"].value = 1.0
    assert big.message.value == ""


def test_an_unexpected_error_is_shown_as_a_bug(explorers, monkeypatch):
    explorer = scaling_explorer()
    explorers.append(explorer)

    def broken(state):
        raise RuntimeError("boom")

    monkeypatch.setattr(explorer, "step", broken)
    explorer.controls["d_k"].value = 65
    assert "RuntimeError" in explorer.message.value and "boom" in explorer.message.value
    assert "bug" in explorer.message.value


def test_a_bad_starting_state_fails_loudly():
    with pytest.raises(
        ValueError, match=r"embedding_explorer: query='dog' is not one of the tokens"
    ):
        embedding_explorer(CAT_SAT_TOKENS, cat_sat_embeddings(), query="dog")
    with pytest.raises(
        ValueError, match=r"embedding_explorer: tokens has 2 tokens, expected 3, one per row of x"
    ):
        embedding_explorer(["a", "b"], cat_sat_embeddings())
    with pytest.raises(ValueError, match=r"scaling_explorer: d_k must be at most max_d_k=8, got 9"):
        scaling_explorer(9, max_d_k=8)
    with pytest.raises(
        ValueError, match=r"causal_explorer: dropout_p must be in \[0, 1\), got 1.5"
    ):
        causal_explorer(dropout_p=1.5)
    with pytest.raises(
        ValueError, match=r"softmax_explorer: scale must be a number in \[0.01, 1000.0\], got 1e-05"
    ):
        softmax_explorer(scale=1e-5)


def test_learned_explorer_shows_the_chosen_heads_weights_and_scores(explorers):
    from attention_lab.tiny_model import induction_score

    tokens = torch.tensor([4, 1, 7, 2, 4, 1, 7, 2])  # (8,): four tokens said twice
    weights = torch.ones(2, 3, 8, 8).tril()
    weights = weights / weights.sum(dim=-1, keepdim=True)  # (2 layers, 3 heads, 8, 8): even
    weights[1, 2] = torch.eye(8)  # layer 1, head 2: every query on itself
    weights[1, 2, 4:] = torch.eye(8)[1:5]  # in the copied half, on the induction target
    explorer = widgets.learned_explorer(weights, tokens, layer=1, head=0)
    explorers.append(explorer)
    assert [sliders(explorer)[i].max for i in range(2)] == [1, 2]
    explorer.controls["head"].value = 2
    assert explorer.result.induction == pytest.approx(1.0)
    assert explorer.result.induction == induction_score(weights[1, 2], tokens).item()
    assert "induction score 1.00" in explorer.values.value
    assert torch.equal(explorer.result.attn_weights, weights[1, 2])
    assert explorer.result.targets.sum() == 4  # queries 4..7, one target each


def test_learned_step_and_explorer_name_their_bad_arguments():
    tokens = torch.tensor([4, 1, 4, 1])
    weights = torch.full((2, 2, 4, 4), 0.25)
    with pytest.raises(ValueError, match=r"learned_step: layer must be a layer in \[0, 1\], got 2"):
        widgets.learned_step(weights, tokens, 2, 0)
    with pytest.raises(ValueError, match=r"learned_step: tokens must be \(T,\) = \(4,\)"):
        widgets.learned_step(weights, tokens[:3], 0, 0)
    with pytest.raises(ValueError, match=r"learned_step: attn_weights must be 4-d"):
        widgets.learned_step(weights[0], tokens, 0, 0)
    with pytest.raises(TypeError, match=r"learned_explorer: pass both attn_weights and tokens"):
        widgets.learned_explorer(weights)


def test_weight_explorer_follows_each_entry_of_w_q_and_w_k(explorers):
    explorer = weight_explorer()
    explorers.append(explorer)
    assert len(sliders(explorer)) == 8
    explorer.controls["W_q[0,1]"].value = 1.5
    explorer.controls["W_k[1,0]"].value = -0.5
    W_q, W_k = torch.eye(2), torch.eye(2)
    W_q[0, 1], W_k[1, 0] = 1.5, -0.5
    x = cat_sat_embeddings()
    assert torch.allclose(explorer.result.q, x @ W_q)
    assert torch.allclose(explorer.result.attn_scores, (x @ W_q) @ (x @ W_k).T)
    assert "Q = x W_q" in explorer.values.value
    for i in range(2):  # W_k = 0: every key is 0, so every score is 0 and every row uniform
        for j in range(2):
            explorer.controls[f"W_k[{i},{j}]"].value = 0.0
    assert explorer.message.value == ""
    assert torch.allclose(explorer.result.attn_weights, torch.full((3, 3), 1 / 3))


def test_causal_explorer_toggles_the_mask(explorers):
    explorer = causal_explorer()
    explorers.append(explorer)
    assert torch.equal(explorer.result.attn_weights.triu(1), torch.zeros(6, 6))
    explorer.controls["causal"].value = False
    assert (explorer.result.attn_weights > 0).all()
    explorer.controls["dropout_p"].value = 0.5
    assert "weights zeroed" in explorer.values.value
    assert (explorer.result.attn_weights == 0).any()


def test_updates_leave_torch_threads_as_they_were(explorers):
    threads = torch.get_num_threads()
    explorer = scaling_explorer()
    explorers.append(explorer)
    explorer.controls["d_k"].value = 3
    assert torch.get_num_threads() == threads


def test_display_carries_the_widget_and_a_static_png(explorers):
    explorer = causal_explorer()
    explorers.append(explorer)
    bundle = explorer._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.box.model_id
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) < len(explorer.png)  # stored in notebooks: made small
    stored, shown = pixels(png).float(), pixels(explorer.png).float()
    assert stored.shape == shown.shape
    assert (stored - shown).abs().mean() < 2  # the same picture, in 128 colours
    assert "causal explorer" in bundle["text/plain"]


def test_importing_the_package_does_not_import_ipywidgets():
    code = "import sys, attention_lab; assert 'ipywidgets' not in sys.modules, 'imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_in_a_kernel_the_figure_goes_to_the_output_widget_and_the_png_to_the_cell(tmp_path):
    """Run an explorer in real kernels (no browser), the way the notebooks are executed."""
    from nbclient import NotebookClient

    from attention_lab.tools import notebook_tools

    source = "from attention_lab.widgets import scaling_explorer\n\nscaling_explorer(16)"
    path = tmp_path / "explore.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]), path)
    # As `make execute` runs it: one output, the static PNG, the live view stripped.
    notebook_tools.execute(path)
    (output,) = nbformat.read(path, as_version=4).cells[0].outputs
    assert set(output.data) == {"image/png", "text/plain"}
    assert base64.b64decode(output.data["image/png"]).startswith(PNG_SIGNATURE)
    # With the widget state kept, the Output widget holds the same figure.
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=120, store_widget_state=True).execute()
    (output,) = nb.cells[0].outputs
    assert "application/vnd.jupyter.widget-view+json" in output.data
    state = nb.metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"]
    figures = [
        model["state"]["outputs"]
        for model in state.values()
        if model["model_name"] == "OutputModel" and model["state"].get("outputs")
    ]
    assert len(figures) == 1
    (shown,) = figures[0]
    assert base64.b64decode(shown["data"]["image/png"]).startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_figure_has_an_alt_text_that_says_what_it_shows(name):
    explorer = EXAMPLES[name]()
    try:
        shown = explorer.output.outputs[0]["data"]
        match = re.fullmatch(
            r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)">', shown["text/html"]
        )
        assert match, shown["text/html"][:200]
        assert match.group(1) == shown["image/png"]  # the same picture
        alt = html.unescape(match.group(2))
        assert alt.startswith(explorer.title) and len(alt) > len(explorer.title) + 20
        readout = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", explorer.values.value)).split())
        assert readout[:40].rsplit(" ", 1)[0] in alt  # the readout, as text
    finally:
        explorer.close()


def test_the_benchmark_moves_every_explorer_and_reports_median_and_p90():
    import argparse

    from attention_lab.bench import widgets as bench

    rows = bench.run(argparse.Namespace(moves=3, warmup=1))
    assert [row["widget"] for row in rows] == list(EXAMPLES)
    for row in rows:
        assert set(row) == {"widget", "median_ms", "p90_ms"}
        assert 0 < row["median_ms"] <= row["p90_ms"]


@pytest.mark.parametrize("name", ["softmax", "scaling", "causal"])
def test_the_benchmark_walk_stays_on_the_slider_one_step_at_a_time(name, explorers):
    from attention_lab.bench.widgets import MAIN_SLIDER, slider_walk

    explorer = EXAMPLES[name]()
    explorers.append(explorer)
    slider = explorer.controls[MAIN_SLIDER[name]]
    values = slider_walk(slider, 200)
    log = hasattr(slider, "base")
    positions = [math.log10(v) if log else v for v in [slider.value, *values]]
    low, high = slider.min, slider.max
    assert all(low - 1e-9 <= p <= high + 1e-9 for p in positions)
    steps = [abs(b - a) for a, b in itertools.pairwise(positions)]
    assert steps == pytest.approx([slider.step] * len(steps))


def test_padding_step_masks_the_padding_keys_on_either_side():
    x = journey_embeddings()
    right = widgets.padding_step(x, 4, "right")
    left = widgets.padding_step(x, 4, "left")
    assert right.key_mask.tolist() == [True] * 4 + [False] * 2
    assert left.key_mask.tolist() == [False] * 2 + [True] * 4
    reference = torch.nn.functional.scaled_dot_product_attention(
        right.x, right.x, right.x, attn_mask=right.key_mask
    )
    torch.testing.assert_close(right.attn_weights @ right.x, reference)
    assert (right.attn_weights[:, 4:] == 0).all() and (left.attn_weights[:, :2] == 0).all()
    # The real tokens' rows are the same numbers, wherever the padding sits.
    torch.testing.assert_close(right.attn_weights[:4, :4], left.attn_weights[2:, 2:])
    torch.testing.assert_close(right.attn_weights.sum(-1), torch.ones(6))
    assert widgets.padded_tokens(JOURNEY_TOKENS, 4, "left")[:2] == (widgets.padding.PAD,) * 2
    with pytest.raises(ValueError, match=r"padding_step: length must be at most T=6.*got 7"):
        widgets.padding_step(x, 7, "right")
    with pytest.raises(ValueError, match=r"padding_mask: side must be 'right' or 'left', got 'up'"):
        widgets.padding_mask(2, 6, "up")


def test_padding_moves_redraw_the_numbers_and_labels_not_the_frame(explorers):
    explorer = widgets.padding_explorer()
    explorers.append(explorer)
    view, redrawn = explorer.view, []
    update = view.update
    view.update = lambda state, result: redrawn.append(update(state, result)) or redrawn[-1]
    explorer.controls["length"].value = 2
    explorer.controls["side"].value = "left"
    assert redrawn == [["scores", "weights", "labels"]] * 2  # never None: a full draw


def test_padding_explorer_relabels_the_tokens_when_the_side_changes(explorers):
    explorer = widgets.padding_explorer()
    explorers.append(explorer)
    before = explorer.png
    explorer.controls["side"].value = "left"
    assert explorer.message.value == ""
    assert explorer.result.key_mask.tolist() == [False] * 2 + [True] * 4
    shown = [label.get_text() for label in explorer.view.groups["labels"]]
    assert len(shown) == 4 * 6  # keys and queries, on both heatmaps
    assert shown[:6] == [widgets.padding.PAD] * 2 + list(JOURNEY_TOKENS[:4])  # keys of the left map
    assert explorer.png != before
