"""The attention benchmark: its rows, its table, its memory measure and its command line.

Nothing here asserts a speed: timings vary by machine and load. What is checked is that the
benchmark measures what it says (rows, ratios, bytes) and refuses an implementation that is wrong.
"""

from __future__ import annotations

import argparse
import json

import pytest
import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

from attention_lab.bench import attention as bench
from attention_lab.bench.__main__ import main

CPU = torch.device("cpu")
MiB = 2**20


@pytest.fixture(scope="module")
def quick_rows() -> list[dict]:
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    return bench.run(parser.parse_args(["--quick"]))


ROW_KEYS = ["impl", "n", "median_ms", "peak_bytes", "pass", "causal"]


def test_quick_rows_have_exactly_the_documented_keys_and_every_implementation(quick_rows):
    assert quick_rows, "the quick run made no rows"
    assert all(list(row) == ROW_KEYS for row in quick_rows)
    by_run = {}
    for row in quick_rows:
        by_run.setdefault((row["n"], row["pass"], row["causal"]), []).append(row["impl"])
    forward = ["loop", "attention", "tiled", "sdpa"]
    if bench.pick_device().type == "cuda" and "triton" in bench.IMPLEMENTATIONS:
        forward.append("triton")  # timed on CUDA only
    expected = {}
    for n in bench.QUICK_NS:
        expected[(n, "forward", False)] = forward
        expected[(n, "forward", True)] = [name for name in forward if name != "loop"]
        expected[(n, "forward+backward", False)] = ["attention", "tiled", "sdpa"]
        expected[(n, "forward+backward", True)] = ["attention", "tiled", "sdpa"]
    assert by_run == expected
    for row in quick_rows:
        assert isinstance(row["median_ms"], float) and row["median_ms"] > 0
        if bench.pick_device().type == "cpu":
            assert isinstance(row["peak_bytes"], int) and row["peak_bytes"] > 0


def test_the_full_run_keeps_the_loop_to_small_n(monkeypatch):
    measured = []

    def fake_measure(name, n, device, repeats, *, backward, causal):
        measured.append((name, n, backward, causal))

    monkeypatch.setattr(bench, "measure", fake_measure)
    bench.run(argparse.Namespace(quick=False, repeats=1))
    assert sorted({n for _, n, _, _ in measured}) == [128, 256, 512, 1024, 2048, 4096]
    loop = [(n, b, c) for name, n, b, c in measured if name == "loop"]
    assert max(n for n, _, _ in loop) == bench.LOOP_MAX_N
    assert all(not b and not c for _, b, c in loop), "the loop: forward, non-causal only"
    for impl in ("attention", "tiled", "sdpa"):
        for backward in (False, True):
            for causal in (False, True):
                ns = [n for name, n, b, c in measured if (name, b, c) == (impl, backward, causal)]
                assert ns == list(bench.FULL_NS), (impl, backward, causal)


def test_forward_backward_of_plain_attention_holds_more_than_its_forward(quick_rows):
    if bench.pick_device().type != "cpu":
        pytest.skip("the CPU profiler's numbers are what this checks")
    n = max(bench.QUICK_NS)
    rows = {(r["impl"], r["pass"]): r for r in quick_rows if r["n"] == n and not r["causal"]}
    score_matrix = bench.BATCH * bench.N_HEADS * n * n * 4  # float32 bytes
    # autograd keeps the (n, n) weights for the backward, which then makes their gradient
    assert rows["attention", "forward+backward"]["peak_bytes"] > 2 * score_matrix
    assert (
        rows["attention", "forward"]["peak_bytes"]
        < rows["attention", "forward+backward"]["peak_bytes"]
    )


def test_measure_refuses_a_pass_an_implementation_does_not_have():
    with pytest.raises(ValueError, match="loop has no causal form"):
        bench.measure("loop", 16, CPU, repeats=1, n_heads=1, causal=True)
    with pytest.raises(ValueError, match="loop has no backward"):
        bench.measure("loop", 16, CPU, repeats=1, n_heads=1, backward=True)


def test_a_wrong_gradient_never_reaches_the_table(monkeypatch):
    def tiled_wrong_backward(q, k, v, causal=False):
        out = bench.attention_tiled(q, k, v, causal=causal)
        return out.detach() + 0 * v  # the right output, but no gradient to q and k

    wrong = dict(bench.IMPLEMENTATIONS, tiled=tiled_wrong_backward)
    monkeypatch.setattr(bench, "IMPLEMENTATIONS", wrong)
    bench.measure("tiled", 32, CPU, repeats=1, n_heads=2)  # the forward is right
    with pytest.raises(RuntimeError, match=r"tiled gave no dq at n=32"):
        bench.measure("tiled", 32, CPU, repeats=1, n_heads=2, backward=True)


def test_a_gradient_that_differs_never_reaches_the_table(monkeypatch):
    def tiled_scaled_gradient(q, k, v, causal=False):
        return bench.attention_tiled(q, 1.01 * k, v, causal=causal)  # slightly other scores

    wrong = dict(bench.IMPLEMENTATIONS, tiled=tiled_scaled_gradient)
    monkeypatch.setattr(bench, "IMPLEMENTATIONS", wrong)
    with pytest.raises(RuntimeError, match=r"tiled differs from SDPA by .* at n=32"):
        bench.measure("tiled", 32, CPU, repeats=1, n_heads=2, backward=True)


def test_causal_rows_are_checked_against_causal_sdpa(monkeypatch):
    ignores_the_mask = dict(
        bench.IMPLEMENTATIONS, tiled=lambda q, k, v, causal=False: bench._tiled(q, k, v)
    )
    monkeypatch.setattr(bench, "IMPLEMENTATIONS", ignores_the_mask)
    with pytest.raises(RuntimeError, match="tiled differs from SDPA"):
        bench.measure("tiled", 32, CPU, repeats=1, n_heads=2, causal=True)


def test_plain_attention_holds_the_score_matrix_and_sdpa_does_not(quick_rows):
    if bench.pick_device().type != "cpu":
        pytest.skip("the CPU profiler's numbers are what this checks")
    n = max(bench.QUICK_NS)
    forward = [r for r in quick_rows if r["n"] == n and r["pass"] == "forward" and not r["causal"]]
    peak = {row["impl"]: row["peak_bytes"] for row in forward}
    score_matrix = bench.BATCH * bench.N_HEADS * n * n * 4  # float32 bytes
    output = bench.BATCH * bench.N_HEADS * n * bench.D_HEAD * 4
    assert peak["attention"] >= score_matrix
    assert peak["sdpa"] < score_matrix <= peak["attention"]
    assert peak["sdpa"] >= output  # the output is allocated during the call, so it counts


def test_table_adds_ratios_to_sdpa_computed_from_the_rows(quick_rows):
    printed = bench.table(quick_rows)
    assert [list(row) for row in printed] == [
        [
            "impl",
            "n",
            "pass",
            "causal",
            "median_ms",
            "peak_MiB",
            "time_vs_sdpa",
            "memory_vs_sdpa",
        ]
    ] * len(quick_rows)

    def run_of(row):
        return row["n"], row["pass"], row["causal"]

    sdpa = {run_of(row): row for row in quick_rows if row["impl"] == "sdpa"}
    assert len(sdpa) == 4 * len(bench.QUICK_NS), "one SDPA row per n, pass and mask"
    for row, shown in zip(quick_rows, printed, strict=True):
        assert shown["time_vs_sdpa"] == pytest.approx(
            row["median_ms"] / sdpa[run_of(row)]["median_ms"]
        )
        if row["peak_bytes"] is not None:
            assert shown["peak_MiB"] == pytest.approx(row["peak_bytes"] / MiB)
        if row["impl"] == "sdpa":
            assert shown["time_vs_sdpa"] == 1.0


def test_table_reads_rows_without_pass_and_causal_as_forward_non_causal():
    rows = [
        {"impl": "tiled", "n": 128, "median_ms": 3.0, "peak_bytes": 2 * MiB},
        {"impl": "sdpa", "n": 128, "median_ms": 1.5, "peak_bytes": MiB},
    ]
    printed = bench.table(rows)
    assert [(r["pass"], r["causal"], r["time_vs_sdpa"]) for r in printed] == [
        ("forward", False, 2.0),
        ("forward", False, 1.0),
    ]


def test_peak_bytes_counts_what_is_held_at_once_not_what_was_held_before():
    before = torch.ones(4 * MiB // 4)  # alive before the call: not counted
    one = bench.peak_bytes(lambda: torch.ones(MiB // 4), CPU)  # 1 MiB

    def one_after_another():
        for _ in range(3):
            torch.ones(MiB // 4)  # each freed before the next is made

    def all_at_once():
        return [torch.ones(MiB // 4) for _ in range(3)]

    assert MiB <= one < MiB + 64 * 1024
    assert MiB <= bench.peak_bytes(one_after_another, CPU) < 2 * MiB
    assert 3 * MiB <= bench.peak_bytes(all_at_once, CPU) < 3 * MiB + 64 * 1024
    assert before.numel() == MiB  # still alive: it never entered the count


def test_the_loop_equals_sdpa():
    q, k, v = bench.make_qkv(20, CPU, n_heads=2, d_head=8)
    expected = F.scaled_dot_product_attention(q, k, v)
    torch.testing.assert_close(bench.attention_loop(q, k, v), expected)


def test_a_wrong_implementation_never_reaches_the_table(monkeypatch):
    wrong = dict(bench.IMPLEMENTATIONS, tiled=lambda q, k, v: v)
    monkeypatch.setattr(bench, "IMPLEMENTATIONS", wrong)
    with pytest.raises(RuntimeError, match="tiled differs from SDPA"):
        bench.measure("tiled", 32, CPU, repeats=1, n_heads=2)


def test_which_sdpa_kernel_names_the_backend_that_ran():
    q, k, v = bench.make_qkv(32, CPU, n_heads=2, d_head=8)
    with sdpa_kernel(SDPBackend.MATH):
        assert bench.which_sdpa_kernel(q, k, v).startswith("math")
    # On the CPU, torch has one fused kernel: a flash-attention implementation.
    with sdpa_kernel(SDPBackend.FLASH_ATTENTION):
        assert bench.which_sdpa_kernel(q, k, v) == "flash attention (CPU)"


def test_repeats_must_be_positive():
    with pytest.raises(ValueError, match="--repeats must be a positive int, got 0"):
        bench.run(argparse.Namespace(quick=True, repeats=0))


def test_command_line_prints_the_table_and_writes_json_rows(tmp_path, capsys, monkeypatch):
    rows = [
        {"impl": "tiled", "n": 128, "median_ms": 3.0, "peak_bytes": 2 * MiB},
        {"impl": "sdpa", "n": 128, "median_ms": 1.5, "peak_bytes": MiB},
    ]
    monkeypatch.setattr(bench, "run", lambda args: rows)
    path = tmp_path / "rows.json"
    assert main(["attention", "--quick", "--json", str(path)]) == 0
    printed = capsys.readouterr().out
    assert "time_vs_sdpa" in printed and "2.00" in printed  # 3.0 ms / 1.5 ms
    assert json.loads(path.read_text()) == rows
