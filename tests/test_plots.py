"""The pictures: each draws what it is given on the Axes it is given, and refuses bad input clearly."""

from __future__ import annotations

import math

import matplotlib
import matplotlib.pyplot as plt
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.collections import PolyCollection
from matplotlib.path import Path

from attention_lab import plots
from attention_lab.data import (
    CAT_SAT_TOKENS,
    JOURNEY_TOKENS,
    cat_sat_embeddings,
    journey_embeddings,
)
from attention_lab.plots import (
    TILE_MASKED,
    TILE_SKIPPED,
    bar_limits,
    convex_hull_2d,
    plot_attention_scores,
    plot_attention_weights,
    plot_bars,
    plot_benchmark,
    plot_curves,
    plot_heatmaps,
    plot_running_max,
    plot_score_spread,
    plot_scores_and_weights,
    plot_softmax_curves,
    plot_tile_grid,
    plot_vectors,
    tile_plan,
)


@pytest.fixture(autouse=True, scope="module")
def _agg_backend():
    plt.switch_backend("agg")  # no window, whatever the machine


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")  # pyplot warns (an error here) past 20 open figures


def journey_weights() -> torch.Tensor:
    x = journey_embeddings(dtype=torch.float64)
    return torch.softmax(x @ x.T, dim=-1)


def bar_heights(ax) -> list[list[float]]:
    """Heights of the bars of each series, read back from the drawn polygons."""
    series = [c for c in ax.collections if isinstance(c, PolyCollection)]
    return [[float(path.vertices[:, 1].max() + path.vertices[:, 1].min()) for path in c.get_paths()]
            for c in series]  # fmt: skip


# -- every picture ---------------------------------------------------------------------------


def every_picture():
    x2, x3 = cat_sat_embeddings(), journey_embeddings()
    w = journey_weights().float()
    s = x3 @ x3[1]
    return [
        lambda ax: plot_attention_weights(w, JOURNEY_TOKENS, ax=ax),
        lambda ax: plot_attention_scores(x3 @ x3.T, JOURNEY_TOKENS, ax=ax),
        lambda ax: plot_bars({"a": s, "b": w[1]}, JOURNEY_TOKENS, ax=ax),
        lambda ax: plot_scores_and_weights(s, w[1], JOURNEY_TOKENS, query=1, ax=ax),
        lambda ax: plot_vectors(x2, CAT_SAT_TOKENS, query=1, context=x2.mean(0), ax=ax),
        lambda ax: plot_softmax_curves(s, JOURNEY_TOKENS, scale=2.0, ax=ax),
        lambda ax: plot_score_spread(torch.randn(100), torch.randn(100) / 3, ax=ax),
    ]


@pytest.mark.parametrize("index", range(7))
def test_every_picture_draws_on_the_given_axes_and_never_shows(index, monkeypatch):
    def refuse_to_show(*args, **kwargs):
        raise AssertionError("plot functions must not call plt.show()")

    monkeypatch.setattr(plt, "show", refuse_to_show)
    draw = every_picture()[index]
    fig, ax = plt.subplots()
    assert draw(ax) is ax
    own = draw(None)  # and without ax, a small figure of its own
    assert own.figure is not fig
    width, height = own.figure.get_size_inches()
    assert width <= 4 and height <= 3.5
    own.figure.canvas.draw()


def test_a_3d_picture_on_3d_axes_and_none_without():
    x = journey_embeddings()
    ax = plot_vectors(x, JOURNEY_TOKENS, query=1, context=x.mean(0))
    assert ax.name == "3d"
    _, flat = plt.subplots()
    with pytest.raises(
        ValueError, match=r"plot_vectors: a 3-d picture needs ax made with projection='3d'"
    ):
        plot_vectors(x, JOURNEY_TOKENS, ax=flat)


# -- heatmaps --------------------------------------------------------------------------------


def test_heatmap_writes_each_weight_in_its_cell_with_tokens_on_both_axes():
    w = journey_weights()
    ax = plot_attention_weights(w, JOURNEY_TOKENS)
    texts = {
        (round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts
    }
    for i in range(6):
        for j in range(6):
            assert texts[(i, j)] == f"{float(w[i, j]):.2f}"
    assert [t.get_text() for t in ax.get_xticklabels()] == list(JOURNEY_TOKENS)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(JOURNEY_TOKENS)
    assert torch.allclose(torch.as_tensor(ax.images[0].get_array().data), w)


def cell_texts(ax) -> dict[tuple[int, int], str]:
    return {
        (round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts
    }


def test_heatmaps_draw_a_grid_on_one_colour_scale_with_titles_and_tokens():
    w = torch.softmax(torch.randn(5, 6, 6, generator=torch.Generator().manual_seed(0)), dim=-1)
    w[3, 0, 0] = 2.5  # dropout scales kept weights past 1: every panel's scale follows
    axes = plot_heatmaps(w, JOURNEY_TOKENS, titles=[f"head {h}" for h in range(5)], ncols=3)
    assert len(axes) == 5
    fig = axes[0].figure
    assert all(ax.figure is fig for ax in axes)
    assert len(fig.axes) == 5 + 1  # the grid's sixth place removed, one colour bar added
    assert [ax.get_title() for ax in axes] == [f"head {h}" for h in range(5)]
    for h, ax in enumerate(axes):
        assert ax.images[0].get_clim() == (0.0, 2.5)
        assert torch.allclose(torch.as_tensor(ax.images[0].get_array().data), w[h].double())
        assert cell_texts(ax)[(1, 2)] == f"{float(w[h, 1, 2]):.2f}"
        assert [t.get_text() for t in ax.get_xticklabels()] == list(JOURNEY_TOKENS)
        assert [t.get_text() for t in ax.get_yticklabels()] == list(JOURNEY_TOKENS)
    fig.canvas.draw()


def test_heatmaps_take_tokens_per_panel_and_masked_scores():
    scores = torch.tensor([[1.0, float("-inf")], [-3.0, 2.0]])
    axes = plot_heatmaps(
        [scores, torch.zeros(3, 3)], [["a", "b"], ["x", "y", "z"]], kind="scores", fmt="{:.1f}"
    )
    assert [t.get_text() for t in axes[1].get_yticklabels()] == ["x", "y", "z"]
    assert cell_texts(axes[0])[(0, 1)] == "−∞"
    assert cell_texts(axes[0])[(1, 0)] == "-3.0"
    assert [ax.images[0].get_clim() for ax in axes] == [(-3.0, 3.0)] * 2


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: plot_heatmaps(torch.ones(6, 6), JOURNEY_TOKENS), ValueError,
         r"plot_heatmaps: matrices must be 3-d, got shape \(6, 6\) \(2-d\)"),
        (lambda: plot_heatmaps([], JOURNEY_TOKENS), TypeError,
         r"plot_heatmaps: matrices must be a tensor \(n, T, T\) or a non-empty sequence"),
        (lambda: plot_heatmaps([torch.ones(6, 6), [[1.0]]], JOURNEY_TOKENS), TypeError,
         r"plot_heatmaps: matrices\[1\] must be a torch\.Tensor, got list"),
        (lambda: plot_heatmaps(torch.ones(2, 6, 5), JOURNEY_TOKENS), ValueError,
         r"plot_heatmaps: matrices\[0\] must be square \(T, T\).*got \(6, 5\)"),
        (lambda: plot_heatmaps(torch.ones(2, 6, 6), JOURNEY_TOKENS[:5]), ValueError,
         r"plot_heatmaps: tokens has 5 tokens, expected 6, one per row of matrices\[0\]"),
        (lambda: plot_heatmaps(torch.ones(2, 3, 3), [["a", "b", "c"]]), ValueError,
         r"plot_heatmaps: tokens has 1 token sequences, expected 2, one per matrix"),
        (lambda: plot_heatmaps(torch.ones(2, 3, 3), "abc"), TypeError,
         r"plot_heatmaps: tokens must be a sequence of strings, got str"),
        (lambda: plot_heatmaps(torch.ones(2, 3, 3), ["a", "b", "c"], titles=["one"]), ValueError,
         r"plot_heatmaps: titles must be 2 strings, one per matrix, got \['one'\]"),
        (lambda: plot_heatmaps(torch.ones(1, 3, 3), ["a", "b", "c"], kind="probs"), ValueError,
         r"plot_heatmaps: kind must be 'weights' or 'scores', got 'probs'"),
        (lambda: plot_heatmaps(torch.ones(1, 3, 3) * math.nan, ["a", "b", "c"]), ValueError,
         r"plot_heatmaps: matrices contains NaN; expected finite values"),
        (lambda: plot_heatmaps(torch.ones(1, 3, 3), ["a", "b", "c"], ncols=0), ValueError,
         r"plot_heatmaps: ncols must be a positive int, got 0"),
        (lambda: plot_heatmaps(torch.ones(1, 3, 3), ["a", "b", "c"], fmt="{:d}"), ValueError,
         r"plot_heatmaps: fmt must be a format string with one field for a number, such as '\{:\.2f\}', got '\{:d\}'"),
    ],
)  # fmt: skip
def test_heatmaps_refuse_bad_input_clearly(call, error, message):
    with pytest.raises(error, match=message):
        call()


# -- benchmarks ------------------------------------------------------------------------------


def bench_row(impl: str, n: int, ms: float, peak: int | None) -> dict:
    return {"impl": impl, "n": n, "median_ms": ms, "peak_bytes": peak}


def test_benchmark_draws_time_and_memory_against_n_one_line_per_impl():
    rows = [
        bench_row(impl, n, n * (k + 1) / 100, None if impl == "tiled" else 4 * n * n)
        for n in (1024, 256, 512)  # not in order: each line is drawn by n
        for k, impl in enumerate(("attention", "tiled", "sdpa"))
    ]
    time_ax, memory_ax = plot_benchmark(rows)
    assert time_ax.figure is memory_ax.figure
    assert [line.get_label() for line in time_ax.lines] == ["attention", "tiled", "sdpa"]
    assert [t.get_text() for t in time_ax.get_legend().get_texts()] == [
        "attention",
        "tiled",
        "sdpa",
    ]
    for k, line in enumerate(time_ax.lines):
        assert line.get_xdata().tolist() == [256, 512, 1024]
        assert line.get_ydata().tolist() == pytest.approx(
            [n * (k + 1) / 100 for n in (256, 512, 1024)]
        )
    # tiled's memory was not measured: two lines, in MiB
    assert len(memory_ax.lines) == 2
    assert memory_ax.lines[0].get_ydata().tolist() == pytest.approx(
        [4 * n * n / 2**20 for n in (256, 512, 1024)]
    )
    assert (time_ax.get_xscale(), time_ax.get_yscale(), memory_ax.get_yscale()) == ("log",) * 3
    time_ax.figure.canvas.draw()


def test_benchmark_without_memory_says_so():
    _, memory_ax = plot_benchmark([bench_row("loop", 128, 5.0, None)])
    assert len(memory_ax.lines) == 0
    assert "not measured" in memory_ax.texts[0].get_text()


@pytest.mark.parametrize(
    ("rows", "error", "message"),
    [
        ([], TypeError, r"plot_benchmark: rows must be a non-empty list of dicts, got \[\]"),
        ("rows", TypeError, r"plot_benchmark: rows must be a non-empty list of dicts"),
        ([{"impl": "sdpa", "n": 128}], TypeError,
         r"plot_benchmark: rows\[0\] must be a dict with keys \['impl', 'n', 'median_ms', "
         r"'peak_bytes'\]"),
        ([bench_row(3, 128, 1.0, None)], TypeError,
         r"plot_benchmark: rows\[0\]\['impl'\] must be a name, got 3"),
        ([bench_row("sdpa", 0, 1.0, None)], ValueError,
         r"plot_benchmark: rows\[0\]\['n'\] must be a positive int, got 0"),
        ([bench_row("sdpa", 128.0, 1.0, None)], TypeError,
         r"plot_benchmark: rows\[0\]\['n'\] must be a positive int, got 128\.0"),
        ([bench_row("sdpa", 128, math.nan, None)], ValueError,
         r"plot_benchmark: rows\[0\]\['median_ms'\] must be a positive, finite number, got nan"),
        ([bench_row("sdpa", 128, "fast", None)], TypeError,
         r"plot_benchmark: rows\[0\]\['median_ms'\] must be a positive number, got 'fast'"),
        ([bench_row("sdpa", 128, 1.0, 0)], ValueError,
         r"plot_benchmark: rows\[0\]\['peak_bytes'\] must be a positive, finite number, got 0"),
        ([bench_row("sdpa", 128, 1.0, None), bench_row("sdpa", 128, 2.0, None)], ValueError,
         r"plot_benchmark: rows hold 'sdpa' twice at the same n, in \[128, 128\]"),
    ],
)  # fmt: skip
def test_benchmark_refuses_bad_rows_clearly(rows, error, message):
    with pytest.raises(error, match=message):
        plot_benchmark(rows)


def test_heatmap_takes_separate_key_tokens_and_refuses_a_mismatch():
    w = torch.full((2, 3), 1 / 3)
    ax = plot_attention_weights(w, ["a", "b"], ["x", "y", "z"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["x", "y", "z"]
    with pytest.raises(
        ValueError, match=r"plot_attention_weights: key_tokens has 2 tokens, expected 3"
    ):
        plot_attention_weights(w, ["a", "b"], ["x", "y"])
    with pytest.raises(
        ValueError, match=r"plot_attention_weights: attn_weights must be 2-d, got shape \(6\)"
    ):
        plot_attention_weights(torch.ones(6), JOURNEY_TOKENS)
    with pytest.raises(
        TypeError, match=r"plot_attention_weights: attn_weights must be a torch.Tensor, got list"
    ):
        plot_attention_weights([[1.0]], ["a"])
    with pytest.raises(ValueError, match=r"plot_attention_weights: attn_weights contains NaN"):
        plot_attention_weights(torch.tensor([[float("nan")]]), ["a"])


def test_scores_heatmap_marks_masked_cells_and_centres_the_colours_at_zero():
    x = journey_embeddings()
    allowed = torch.arange(6)[:, None] >= torch.arange(6)[None, :]
    s = (x @ x.T).masked_fill(~allowed, float("-inf"))
    ax = plot_attention_scores(s, JOURNEY_TOKENS)
    labels = {
        (round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts
    }
    for i in range(6):
        for j in range(6):
            expected = f"{float(s[i, j]):.2f}" if allowed[i, j] else "−∞"
            assert labels[(i, j)] == expected
    vmin, vmax = ax.images[0].get_clim()
    assert -vmin == vmax == pytest.approx(float(s[allowed].abs().max()))
    with pytest.raises(
        ValueError,
        match=r"plot_attention_scores: attn_scores contains inf; expected finite values or -inf",
    ):
        plot_attention_scores(torch.tensor([[float("inf")]]), ["a"])


# -- bars ------------------------------------------------------------------------------------


def test_scores_and_weights_bars_have_the_given_heights_side_by_side():
    x = journey_embeddings(dtype=torch.float64)
    s = x @ x[1]
    w = torch.softmax(s, dim=0)
    ax = plot_scores_and_weights(s, w, JOURNEY_TOKENS, query=1)
    scores, weights = bar_heights(ax)
    assert scores == pytest.approx(s.tolist())
    assert weights == pytest.approx(w.tolist())
    assert ax.get_title() == 'query "journey"'
    low, high = ax.get_ylim()
    assert low <= 0 and high >= float(s.max())
    with pytest.raises(
        ValueError, match=r"plot_scores_and_weights: attn_scores \(6\) and attn_weights \(5\)"
    ):
        plot_scores_and_weights(s, w[:5], JOURNEY_TOKENS)
    with pytest.raises(
        ValueError, match=r"plot_scores_and_weights: query must be in \[0, 5\], got 6"
    ):
        plot_scores_and_weights(s, w, JOURNEY_TOKENS, query=6)


def test_bars_mark_nan_and_inf_where_they_happen():
    naive = torch.tensor([0.2, float("nan"), float("inf")])
    ax = plot_bars({"naive": naive, "stable": torch.tensor([0.2, 0.3, 0.5])}, ["a", "b", "c"])
    marks = sorted((round(t.get_position()[0] + 0.2), t.get_text()) for t in ax.texts)
    assert marks == [(1, "nan"), (2, "inf")]  # naive bars sit 0.2 left of their token
    crosses = [line for line in ax.lines if line.get_marker() == "x"]
    assert len(crosses) == 2
    assert bar_heights(ax)[0] == pytest.approx([0.2, 0.0, 0.0])


def test_bars_refuse_mismatched_series_and_tokens():
    with pytest.raises(ValueError, match=r"plot_bars: every series must have 3 values, 'b' has 2"):
        plot_bars({"a": torch.ones(3), "b": torch.ones(2)}, ["x", "y", "z"])
    with pytest.raises(ValueError, match=r"plot_bars: tokens has 2 tokens, expected 3"):
        plot_bars({"a": torch.ones(3)}, ["x", "y"])
    with pytest.raises(TypeError, match=r"plot_bars: values must be a non-empty mapping"):
        plot_bars(torch.ones(3), ["x", "y", "z"])


@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=8))
def test_bar_limits_hold_every_value_and_keep_limits_that_still_fit(values):
    series = {"v": torch.tensor(values, dtype=torch.float64)}
    low, high = bar_limits(series)
    assert low <= min(0.0, *values) and max(0.0, *values) <= high
    assert bar_limits(series, (low, high)) == (low, high)


# -- vectors ---------------------------------------------------------------------------------


def hull_contains(hull, point, tol=1e-9) -> bool:
    """Whether a point lies inside a counter-clockwise polygon (or on its boundary)."""
    n = len(hull)
    return all(
        (hull[(i + 1) % n][0] - hull[i][0]) * (point[1] - hull[i][1])
        - (hull[(i + 1) % n][1] - hull[i][1]) * (point[0] - hull[i][0])
        >= -tol
        for i in range(n)
    )


def brute_force_hull(points: list[tuple[float, float]]) -> set[tuple[float, float]]:
    """Corners found by trying every pair: an edge of the hull has every point on its left."""
    corners = set()
    for a in points:
        for b in points:
            if a == b:
                continue
            sides = [(b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) for p in points]
            if all(s > 0 for p, s in zip(points, sides, strict=True) if p not in (a, b)):
                corners |= {a, b}
    return corners


@given(
    st.lists(
        st.tuples(st.integers(-20, 20), st.integers(-20, 20)), min_size=3, max_size=12, unique=True
    )
)
def test_convex_hull_matches_a_brute_force_search(points):
    pts = [(float(a), float(b)) for a, b in points]
    hull = convex_hull_2d(torch.tensor(pts))
    if len(hull) >= 3:
        assert set(hull) == brute_force_hull(pts)
        assert all(hull_contains(hull, p) for p in pts)
    else:  # collinear: the hull is the segment between the two extreme points
        assert set(hull) == {min(pts), max(pts)}


@given(
    st.lists(st.tuples(st.floats(-2, 2), st.floats(-2, 2)), min_size=3, max_size=8),
    st.integers(0, 7),
)
def test_the_context_vector_lies_inside_the_hull_drawn_around_the_inputs(points, query):
    x = torch.tensor(points, dtype=torch.float64)
    query = query % len(points)
    context = torch.softmax(x @ x[query], dim=0) @ x
    hull = convex_hull_2d(x)
    if len(hull) >= 3:
        assert hull_contains(hull, context.tolist(), tol=1e-7)


def test_vectors_2d_highlight_the_query_and_draw_the_hull_and_the_context():
    x = journey_embeddings()[:, :2]  # "The cat sat" lies on a line: its hull has no inside
    context = torch.softmax(x @ x[1], dim=0) @ x
    ax = plot_vectors(x, JOURNEY_TOKENS, query=1, context=context)
    arrows = ax.collections[0]
    colors = [tuple(c) for c in arrows.get_facecolors()]
    assert colors[1] == matplotlib.colors.to_rgba(plots.QUERY_COLOR)
    others = {colors[i] for i in (0, 2, 3, 4, 5)}
    assert others == {matplotlib.colors.to_rgba(plots.INPUT_COLOR)}
    stars = [line for line in ax.lines if line.get_marker() == "*"]
    assert len(stars) == 1 and list(stars[0].get_xydata()[0]) == pytest.approx(context.tolist())
    outline = Path(ax.patches[0].get_xy())
    assert outline.contains_point(context.tolist())
    # "journey" and "starts" nearly coincide: one label names both, so none overprints another.
    labels = {t.get_text() for t in ax.texts}
    assert labels == {"Your", "journey / starts", "with", "one", "step", "context"}


def test_labels_of_points_that_nearly_coincide_are_merged_and_never_overlap():
    for d in (2, 3):
        x = journey_embeddings()[:, :d]
        ax = plot_vectors(x, JOURNEY_TOKENS, query=2)
        texts = [t.get_text().strip() for t in ax.texts]
        assert "journey / starts" in texts and len(texts) == 5
        bold = [t.get_text().strip() for t in ax.texts if t.get_fontweight() == "bold"]
        assert bold == ["journey / starts"]  # the query's group is the highlighted label
        plt.close(ax.figure)
    apart = torch.tensor([[0.0, 0.0], [1.0, 1.0]])
    assert [t.get_text() for t in plot_vectors(apart, ["a", "b"]).texts] == ["a", "b"]


def test_vectors_refuse_what_they_cannot_draw():
    with pytest.raises(
        ValueError,
        match=r"plot_vectors: x must have 2 or 3 features per token to draw, got \(2, 4\)",
    ):
        plot_vectors(torch.ones(2, 4), ["a", "b"])
    with pytest.raises(
        ValueError, match=r"plot_vectors: context must have shape \(2\) to match x, got \(3\)"
    ):
        plot_vectors(cat_sat_embeddings(), CAT_SAT_TOKENS, context=torch.ones(3))
    with pytest.raises(ValueError, match=r"plot_vectors: tokens has 2 tokens, expected 3"):
        plot_vectors(cat_sat_embeddings(), ["a", "b"])


def test_vectors_of_all_zero_embeddings_still_draw():
    ax = plot_vectors(torch.zeros(3, 2), CAT_SAT_TOKENS, query=0, context=torch.zeros(2))
    ax.figure.canvas.draw()
    ax = plot_vectors(torch.zeros(6, 3), JOURNEY_TOKENS, query=0, context=torch.zeros(3))
    ax.figure.canvas.draw()


# -- softmax and scaling ---------------------------------------------------------------------


def test_softmax_curves_go_from_uniform_to_one_hot_as_the_scale_grows():
    s = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)
    ax = plot_softmax_curves(s, ["a", "b", "c"], scale=3.0, scale_range=(1e-3, 1e3))
    curves = [line for line in ax.lines if line.get_label() in ("a", "b", "c")]
    assert [c.get_label() for c in curves] == ["a", "b", "c"]
    for i, curve in enumerate(curves):
        scales, weights = curve.get_data()
        reference = torch.softmax(torch.as_tensor(scales)[:, None] * s[None, :], dim=-1)[:, i]
        assert torch.allclose(torch.as_tensor(weights), reference)
        assert weights[0] == pytest.approx(1 / 3, abs=1e-3)
        assert weights[-1] == pytest.approx(1.0 if i == 1 else 0.0, abs=1e-6)
    markers = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(markers) == 1 and markers[0].get_xdata()[0] == 3.0
    with pytest.raises(
        ValueError, match=r"plot_softmax_curves: scale must be a positive, finite number, got -1"
    ):
        plot_softmax_curves(s, ["a", "b", "c"], scale=-1)


def test_score_spread_counts_every_score_and_reports_its_spread():
    generator = torch.Generator().manual_seed(0)
    raw = torch.randn(500, generator=generator, dtype=torch.float64) * 4
    ax = plot_score_spread(raw, raw / 4, bins=20)
    for patch, t in zip(ax.patches, (raw, raw / 4), strict=True):
        assert float(patch.get_data().values.sum()) == t.numel()
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == [
        f"q·k: std {float(raw.std()):.2f}",
        f"q·k / √d_k: std {float((raw / 4).std()):.2f}",
    ]
    low, high = ax.get_xlim()
    assert low <= float(raw.min()) and float(raw.max()) <= high
    assert not math.isinf(high)


# --- curves, the running maximum and the tile grid ---------------------------------------------


def test_plot_curves_draws_one_panel_per_quantity_and_one_line_per_series():
    panels = {
        "largest weight": {"unscaled": [0.4, 0.7, 0.9], "÷√d_k": [0.3, 0.3, 0.3]},
        "entropy": {"unscaled": [1.5, 0.8, 0.2], "÷√d_k": [1.7, 1.7, 1.7]},
    }
    axes = plot_curves([2, 4, 8], panels, xlabel="d_k", guides={"entropy": (2.08, "even")})
    assert [ax.get_title() for ax in axes] == ["largest weight", "entropy"]
    assert [len(ax.get_lines()) for ax in axes] == [2, 3]  # the guide is the third line
    assert axes[0].get_xscale() == "log" and axes[0].get_ylim()[0] == 0
    # The same series keeps its style across panels.
    assert axes[0].get_lines()[1].get_linestyle() == axes[1].get_lines()[1].get_linestyle()
    with pytest.raises(
        ValueError, match=r"plot_curves: panels\['entropy'\]\['÷√d_k'\] must hold 3"
    ):
        plot_curves([2, 4, 8], {"entropy": {"÷√d_k": [1.0]}}, xlabel="d_k")
    with pytest.raises(ValueError, match=r"plot_curves: guides name panels that do not exist"):
        plot_curves([2, 4], {"a": {"s": [1, 2]}}, xlabel="d_k", guides={"b": (1.0, "x")})


def test_plot_running_max_marks_the_maximum_after_each_chunk():
    x = torch.tensor([0.0, 1.0, 3.0, 2.0, -1.0, 5.0])
    ax = plot_running_max(x, chunk=2)
    segments = ax.collections[0].get_segments()  # one horizontal line per chunk
    assert [seg[0][1] for seg in segments] == [1.0, 3.0, 5.0]
    with pytest.raises(ValueError, match=r"plot_running_max: x has 6 scores, expected a multiple"):
        plot_running_max(x, chunk=4)


def test_the_tile_plan_computes_n_b_tiles_per_row_or_the_lower_triangle():
    full, causal = tile_plan(4, causal=False), tile_plan(4, causal=True)
    assert int((full > 0).sum()) == 16
    assert int((causal > 0).sum()) == 4 * 5 // 2
    assert (causal.diagonal() == TILE_MASKED).all() and causal[0, 1] == TILE_SKIPPED
    axes = plot_tile_grid(4)
    assert [ax.get_title() for ax in axes] == ["full: 16 of 16 tiles", "causal: 10 of 16 tiles"]


def test_plot_heatmaps_puts_scores_and_weights_side_by_side_with_a_scale_each():
    scores = torch.tensor([[1.0, -math.inf], [0.5, -0.5]])
    weights = torch.softmax(scores, dim=-1)
    axes = plot_heatmaps([scores, weights], ["a", "b"], kind=["scores", "weights"])
    colorbars = [ax for ax in axes[0].figure.axes if ax not in axes]
    assert len(colorbars) == 2
    with pytest.raises(ValueError, match=r"plot_heatmaps: kind must be 'weights', 'scores' or one"):
        plot_heatmaps([scores, weights], ["a", "b"], kind=["scores"])


def test_the_transformer_block_greys_exactly_what_the_tiny_model_leaves_out():
    from matplotlib.patches import FancyBboxPatch

    from attention_lab.i18n import text

    def boxes(ax):
        found = {}
        for patch in ax.patches:
            if isinstance(patch, FancyBboxPatch):
                label = min(ax.texts, key=lambda t: abs(t.get_position()[1] - patch.get_y() - 0.2))
                found.setdefault(label.get_text(), []).append(patch.get_hatch() is not None)
        return found

    ax = plots.plot_transformer_block()
    found = boxes(ax)
    assert found, "no boxes drawn"
    assert found == {
        text("plots.block.layernorm"): [True, True],
        text("plots.block.attention"): [False],
        text("plots.block.mlp"): [True],
    }
    plain = boxes(plots.plot_transformer_block(mark_left_out=False))
    assert not any(hatched for flags in plain.values() for hatched in flags)
    with pytest.raises(
        TypeError, match="plot_transformer_block: mark_left_out must be True or False"
    ):
        plots.plot_transformer_block(mark_left_out="yes")
    plt.close("all")


def test_weights_use_viridis_and_scores_a_diverging_map_with_legible_numbers():
    weights = torch.tensor([[0.05, 0.95], [0.5, 0.5]])
    ax = plot_attention_weights(weights, ["a", "b"])
    assert ax.images[0].get_cmap().name.startswith("viridis")
    colors = {t.get_text(): t.get_color() for t in ax.texts if t.get_text() in ("0.05", "0.95")}
    assert colors == {"0.05": "white", "0.95": "black"}  # dark cell, light cell
    plt.close(ax.figure)
