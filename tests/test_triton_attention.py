"""The Triton kernel: its output against ``attention``, its trace against the online softmax, its
errors before any launch, and where it runs (the interpreter on the CPU, compiled on CUDA).

Under the interpreter every program step costs milliseconds, so the shapes stay small.
"""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from attention_lab import attention
from attention_lab import triton_attention as ta
from attention_lab.triton_attention import attention_triton, trace_program, triton_available

pytestmark = pytest.mark.skipif(
    not triton_available(),
    reason="triton is not installed (it has wheels for Linux x86_64 and aarch64 only)",
)


def qkv(*batch, T_q=20, T_k=None, d_k=8, d_v=None, seed=0):
    generator = torch.Generator().manual_seed(seed)
    T_k, d_v = T_k or T_q, d_v or d_k
    q = torch.randn(*batch, T_q, d_k, generator=generator)
    k = torch.randn(*batch, T_k, d_k, generator=generator)
    v = torch.randn(*batch, T_k, d_v, generator=generator)
    return q, k, v


# --- the output ---------------------------------------------------------------------------------


@settings(max_examples=8)
@given(
    heads=st.integers(1, 2),
    T_q=st.integers(1, 40),
    T_k=st.integers(1, 40),
    d_k=st.integers(1, 20),
    d_v=st.integers(1, 20),
    causal=st.booleans(),
    block_m=st.sampled_from([16, 32]),
    block_n=st.sampled_from([16, 32]),
    seed=st.integers(0, 2**16),
)
def test_equals_attention_on_random_shapes(
    heads, T_q, T_k, d_k, d_v, causal, block_m, block_n, seed
):
    q, k, v = qkv(heads, T_q=T_q, T_k=T_k, d_k=d_k, d_v=d_v, seed=seed)
    out = attention_triton(q, k, v, causal=causal, block_m=block_m, block_n=block_n)
    expected, _ = attention(q, k, v, causal=causal)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=1e-5)


def test_leading_dims_scale_and_odd_sizes_match_sdpa():
    q, k, v = qkv(2, 3, T_q=37, T_k=21, d_k=5, d_v=7)
    out = attention_triton(q, k, v, causal=True, scale=0.3, block_m=16, block_n=16)
    expected = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True, scale=0.3)
    assert out.shape == (2, 3, 37, 7)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=1e-5)


def test_overflowing_scores_get_a_clear_error():
    q, k, v = qkv(T_q=16)
    with pytest.raises(ValueError, match=r"attention_triton: the scores q kᵀ · scale overflowed"):
        attention_triton(q * 1e20, k * 1e20, v, block_m=16, block_n=16)


# --- the trace ----------------------------------------------------------------------------------


def online_softmax_states(q, k, rows, key_starts, block_n, causal, scale):
    """(m, ℓ) after each key block by notebook 09's loop, in float64, for the given rows."""
    row_max = torch.full((len(rows),), -math.inf, dtype=torch.float64)
    row_sum = torch.zeros(len(rows), dtype=torch.float64)
    states = []
    for k0 in key_starts:
        keys = torch.arange(k0, min(k0 + block_n, k.shape[-2]))
        s = (q[rows].double() @ k[keys].double().T) * scale  # (rows, keys)
        if causal:
            s = s.masked_fill(keys[None, :] > torch.tensor(list(rows))[:, None], -math.inf)
        row_max_new = torch.maximum(row_max, s.amax(dim=1))
        row_sum = row_sum * torch.exp(row_max - row_max_new) + torch.exp(
            s - row_max_new[:, None]
        ).sum(dim=1)
        row_max = row_max_new
        states.append((row_max.clone(), row_sum.clone()))
    return states


@pytest.mark.parametrize("causal", [False, True])
def test_trace_is_the_online_softmax_of_one_program(causal):
    q, k, v = qkv(2, T_q=45, d_k=8)
    trace = trace_program(q, k, v, 1, head=1, causal=causal, block_m=16, block_n=16)
    assert trace.rows == range(16, 32)
    # causal: the program of rows 16..31 stops after its diagonal block, which starts at 16
    assert trace.key_starts == ((0, 16) if causal else (0, 16, 32))
    assert trace.row_max.shape == trace.row_sum.shape == (len(trace.key_starts), 16)
    expected = online_softmax_states(q[1], k[1], trace.rows, trace.key_starts, 16, causal, 8**-0.5)
    for step, (row_max, row_sum) in enumerate(expected):
        torch.testing.assert_close(trace.row_max[step].double(), row_max, atol=1e-5, rtol=1e-5)
        torch.testing.assert_close(trace.row_sum[step].double(), row_sum, atol=1e-5, rtol=1e-5)


def test_trace_of_the_last_program_stops_at_the_ragged_edge():
    q, k, v = qkv(T_q=40)
    trace = trace_program(q, k, v, 2, causal=True, block_m=16, block_n=32)
    assert trace.rows == range(32, 40)  # 8 real rows; the other 8 of the block are masked
    assert trace.key_starts == (0, 32)


# --- errors before any launch -------------------------------------------------------------------


@pytest.fixture
def no_launch(monkeypatch):
    """Fail the test if a kernel would be launched: the errors must come first."""
    from attention_lab import triton_kernel

    class Refuse:
        def __getitem__(self, grid):
            raise AssertionError("a kernel was launched")

    monkeypatch.setattr(triton_kernel, "kernel", Refuse())


def good():
    return qkv(2, T_q=20)


BAD_INPUTS = [
    ("float64", lambda q, k, v: (q.double(), k.double(), v.double()), {}, TypeError,
     r"attention_triton: q must have dtype torch.float32 .*got torch.float64; convert it"),
    ("float16", lambda q, k, v: (q.half(), k.half(), v.half()), {}, TypeError,
     r"attention_triton: q must have dtype torch.float32"),
    ("int", lambda q, k, v: (q.long(), k, v), {}, TypeError,
     r"attention_triton: q must have a floating-point dtype"),
    ("non-contiguous", lambda q, k, v: (q, k.transpose(-2, -1).contiguous().transpose(-2, -1), v),
     {}, ValueError, r"attention_triton: k must be contiguous .*pass k.contiguous\(\)"),
    ("d_k mismatch", lambda q, k, v: (q, k[..., :4].contiguous(), v), {}, ValueError,
     r"attention_triton: q and k must share the feature size d_k"),
    ("T_k mismatch", lambda q, k, v: (q, k, v[:, :5].contiguous()), {}, ValueError,
     r"attention_triton: k and v must have the same sequence length T_k"),
    ("broadcast", lambda q, k, v: (q, k[:1].contiguous(), v[:1].contiguous()), {}, ValueError,
     r"attention_triton: q, k and v must have the same leading dims \(no broadcasting"),
    ("NaN", lambda q, k, v: (q.masked_fill(q > 1, math.nan), k, v), {}, ValueError,
     r"attention_triton: q contains NaN"),
    ("block not a power of two", lambda q, k, v: (q, k, v), {"block_m": 48}, ValueError,
     r"attention_triton: block_m must be a power of two from 16 to 256 .*got 48"),
    ("block too small", lambda q, k, v: (q, k, v), {"block_n": 8}, ValueError,
     r"attention_triton: block_n must be a power of two from 16 to 256 .*got 8"),
    ("block too large", lambda q, k, v: (q, k, v), {"block_n": 512}, ValueError,
     r"attention_triton: block_n must be a power of two from 16 to 256"),
    ("block a float", lambda q, k, v: (q, k, v), {"block_m": 32.0}, TypeError,
     r"attention_triton: block_m must be a positive int, got 32.0"),
    ("block a bool", lambda q, k, v: (q, k, v), {"block_m": True}, TypeError,
     r"attention_triton: block_m must be a positive int, got True"),
    ("causal an int", lambda q, k, v: (q, k, v), {"causal": 1}, TypeError,
     r"attention_triton: causal must be True or False, got 1"),
    ("scale negative", lambda q, k, v: (q, k, v), {"scale": -1.0}, ValueError,
     r"attention_triton: scale must be a positive, finite number"),
    ("d_k too large", lambda q, k, v: (*qkv(T_q=4, d_k=257)[:2], qkv(T_q=4)[2]), {}, ValueError,
     r"attention_triton: d_k must be at most 256, got 257"),
    ("meta device", lambda q, k, v: (q.to("meta"), k.to("meta"), v.to("meta")), {}, ValueError,
     r"attention_triton: q must hold values, got a meta tensor"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "kwargs", "error", "message"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_inputs_get_clear_errors_before_any_launch(no_launch, change, kwargs, error, message):
    q, k, v = change(*good())
    with pytest.raises(error, match=message):
        attention_triton(q, k, v, **kwargs)


def test_trace_program_checks_the_program_and_head(no_launch):
    q, k, v = good()
    with pytest.raises(
        ValueError, match=r"trace_program: program must be a query block in \[0, 0\]"
    ):
        trace_program(q, k, v, 1, block_m=32)
    with pytest.raises(ValueError, match=r"trace_program: head must be .* in \[0, 1\], got 2"):
        trace_program(q, k, v, 0, head=2)


def test_without_triton_the_error_says_where_it_has_wheels(monkeypatch):
    monkeypatch.setattr(ta, "triton_available", lambda: False)
    with pytest.raises(ModuleNotFoundError, match=r"attention_triton: the triton package .*Linux"):
        attention_triton(*good())


# --- where it runs ------------------------------------------------------------------------------


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in __import__("os").environ.items() if k != "TRITON_INTERPRET"}
    return subprocess.run(
        [sys.executable, "-c", code], env={**environment, **env}, capture_output=True, text=True
    )


def test_triton_is_imported_late_and_interpreted_without_cuda():
    # torch's profiler imports triton too: the mode must already be chosen when it does.
    code = (
        "import os, sys, torch, attention_lab, attention_lab.widgets\n"
        "assert 'triton' not in sys.modules, 'imported with the package'\n"
        "with torch.profiler.profile(): torch.ones(1)\n"
        "assert 'triton' in sys.modules, 'the profiler no longer imports triton'\n"
        "q = torch.randn(20, 8)\n"
        "torch.testing.assert_close(attention_lab.attention_triton(q, q, q), attention_lab.attention(q, q, q)[0])\n"
        "from attention_lab import triton_kernel\n"
        "print(triton_kernel.INTERPRETED, os.environ['TRITON_INTERPRET'])"
    )
    result = run_python(code, ATTENTION_LAB_DEVICE="cpu")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "1"]


def test_cpu_tensors_with_triton_compiled_get_a_clear_error():
    code = (
        "import torch\nfrom attention_lab.triton_attention import attention_triton\n"
        "q = torch.randn(16, 16)\ntry:\n    attention_triton(q, q, q)\n"
        "except ValueError as e:\n    print(e)"
    )
    result = run_python(code, TRITON_INTERPRET="0")
    assert result.returncode == 0, result.stderr
    assert "attention_triton: q is on the CPU, but triton was imported here for the GPU" in (
        result.stdout
    )


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("causal", [False, True])
def test_compiled_on_cuda_equals_attention(causal):
    from attention_lab import triton_kernel

    assert not triton_kernel.INTERPRETED, "set no TRITON_INTERPRET to test the compiled kernel"
    for T_q, T_k, d, block in ((1, 1, 1, 16), (100, 100, 64, 64), (257, 130, 80, 32)):
        q, k, v = (t.cuda() for t in qkv(2, 3, T_q=T_q, T_k=T_k, d_k=d))
        out = attention_triton(q, k, v, causal=causal, block_m=block, block_n=block)
        expected, _ = attention(q.cpu().double(), k.cpu().double(), v.cpu().double(), causal=causal)
        torch.testing.assert_close(out.cpu().double(), expected, atol=2e-5, rtol=2e-5)


@pytest.mark.parametrize(("device", "timed"), [("cpu", False), ("cuda", True)])
def test_the_benchmark_times_the_kernel_on_cuda_only(monkeypatch, device, timed):
    import argparse

    from attention_lab.bench import attention as bench

    measured = []
    monkeypatch.setattr(bench, "pick_device", lambda: torch.device(device))
    monkeypatch.setattr(
        bench, "measure", lambda name, n, dev, repeats, **how: measured.append(name)
    )
    bench.run(argparse.Namespace(quick=True, repeats=1))
    q, k, v = qkv(1, 1, T_q=20)
    torch.testing.assert_close(bench.IMPLEMENTATIONS["triton"](q, k, v), attention_triton(q, k, v))
    assert ("triton" in measured) == timed
    assert "sdpa" in measured


def test_trace_programs_traces_every_program_in_one_launch():
    q, k, v = qkv(1, 2, T_q=40)
    traces = ta.trace_programs(q, k, v, head=1, causal=True, block_m=16, block_n=16)
    assert [trace.program for trace in traces] == [0, 1, 2]
    assert [len(trace.key_starts) for trace in traces] == [1, 2, 3]
    one = trace_program(q, k, v, 2, head=1, causal=True, block_m=16, block_n=16)
    assert one.rows == traces[2].rows == range(32, 40)
    torch.testing.assert_close(one.row_sum, traces[2].row_sum, atol=0, rtol=0)


@pytest.mark.parametrize(
    ("n", "block_m", "block_n", "causal"),
    [(77, 32, 16, True), (40, 16, 32, True), (33, 16, 16, False), (16, 16, 64, True)],
)
def test_the_programs_explorer_counts_the_blocks_the_kernel_reads(n, block_m, block_n, causal):
    from attention_lab.widgets import programs_step

    q, k, v = qkv(T_q=n, d_k=4)
    traces = ta.trace_programs(q, k, v, causal=causal, block_m=block_m, block_n=block_n)
    step = programs_step(n, block_m, block_n, causal, 0)
    assert step.steps == [len(trace.key_starts) for trace in traces]
    # a tile is whole only if every score in it counts
    rows, keys = torch.arange(n)[:, None], torch.arange(n)[None, :]
    used = (keys <= rows) if causal else torch.ones(n, n, dtype=torch.bool)
    assert int(step.counts.sum()) == int(used.sum())


def test_programs_step_checks_its_arguments():
    from attention_lab.widgets import programs_step

    with pytest.raises(ValueError, match=r"programs_step: block_n must be a power of two"):
        programs_step(20, 16, 24, True, 0)
    with pytest.raises(ValueError, match=r"programs_step: program must be a program in \[0, 1\]"):
        programs_step(20, 16, 16, True, 2)
    with pytest.raises(TypeError, match=r"programs_step: causal must be True or False"):
        programs_step(20, 16, 16, 1, 0)
