"""Time and peak memory of each attention implementation as the sequence grows.

    python -m attention_lab.bench attention [--quick] [--json FILE]

Four implementations of softmax(q kᵀ/√d_head) v on the same random q, k, v of shape
(1, 8, n, 64) for n = 128 … 4096: a Python loop over the queries (only up to n = 256: it is slow),
the package's ``attention`` (builds the n×n score matrix), ``attention_tiled`` (online softmax
over tiles, never builds it) and torch's fused ``scaled_dot_product_attention`` (SDPA); on CUDA,
with triton installed, a fifth: ``attention_triton`` (the same tiles in one Triton kernel). Each is
checked against SDPA before it is timed.

Each row says which ``"pass"`` it timed and whether the attention was ``"causal"``: the forward
of every implementation without and with the causal mask (the loop: without only), then, for
``attention``, ``attention_tiled`` and SDPA, the forward and the backward together
(``"forward+backward"``: the call, then ``out.backward(d_out)`` into q, k and v), whose
gradients are checked against SDPA's first. The Triton kernel has no backward.

Time: the median of a few calls after a warm-up call, on ``pick_device()``.
Peak memory: the most bytes torch held at once during one call, beyond what it held before
(the output included, the inputs not). On CUDA this is the allocator's own peak counter
(``torch.cuda.max_memory_allocated``). On the CPU torch keeps no such counter, and Python's
``tracemalloc`` does not see torch's allocations, so the call runs once under
``torch.autograd.profiler.profile(profile_memory=True)``, which records every allocation and
free with a time stamp; the peak of their running sum is the answer. Elsewhere (MPS) it is not measured.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator

import torch
import torch.nn.functional as F

from ..device import pick_device
from ..functional import attention
from ..functional import softmax_stable_unchecked as _softmax_stable
from ..tiled import attention_tiled
from ..triton_attention import attention_triton, triton_available

FULL_NS = (128, 256, 512, 1024, 2048, 4096)
QUICK_NS = (128, 256)
LOOP_MAX_N = 256  # the loop takes seconds beyond this, and teaches nothing new
BATCH, N_HEADS, D_HEAD = 1, 8, 64


def attention_loop(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """softmax(q kᵀ/√d_k) v one query at a time: a Python loop over the T_q rows.

    Shapes: q (..., T_q, d_k), k (..., T_k, d_k), v (..., T_k, d_v)
    Returns: out (..., T_q, d_v)
    """
    scale = q.shape[-1] ** -0.5
    rows = []
    for i in range(q.shape[-2]):
        attn_scores = (k @ q[..., i, :, None]).squeeze(-1) * scale  # (..., T_k)
        attn_weights = _softmax_stable(attn_scores, dim=-1)  # (..., T_k)
        rows.append(attn_weights[..., None, :] @ v)  # (..., 1, d_v)
    return torch.cat(rows, dim=-2)  # (..., T_q, d_v)


def _attention_out(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False
) -> torch.Tensor:
    return attention(q, k, v, causal=causal)[0]


def _sdpa(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False) -> torch.Tensor:
    return F.scaled_dot_product_attention(q, k, v, is_causal=causal)


def _tiled(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False) -> torch.Tensor:
    return attention_tiled(q, k, v, causal=causal)


#: name -> function of (q, k, v) returning the output, in the order of the table. Those in
#: CAUSAL also take ``causal`` (their 4th argument), those in BACKWARD are differentiable.
IMPLEMENTATIONS: dict[str, Callable[..., torch.Tensor]] = {
    "loop": attention_loop,
    "attention": _attention_out,
    "tiled": _tiled,
    "sdpa": _sdpa,
}
CAUSAL = {"attention", "tiled", "sdpa", "triton"}
BACKWARD = ("attention", "tiled", "sdpa")
FORWARD, FORWARD_BACKWARD = "forward", "forward+backward"  # the values of a row's "pass"
# Notebook 14's Triton kernel, where triton is installed. It is timed on CUDA only: elsewhere
# Triton's interpreter runs it, a simulator whose time says nothing about the kernel.
if triton_available():

    def _triton(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False):
        return attention_triton(q, k, v, causal=causal)

    IMPLEMENTATIONS["triton"] = _triton


def make_qkv(
    n: int,
    device: torch.device | None = None,
    n_heads: int = N_HEADS,
    d_head: int = D_HEAD,
    seed: int = 0,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Random q, k, v drawn on the CPU with a fixed seed, then moved to ``device``.

    ``device=None``: torch's default device (the one ``use_device`` chose).

    Shapes: each (BATCH, n_heads, n, d_head)
    """
    device = _device(device)
    generator = torch.Generator().manual_seed(seed)
    shape = (BATCH, n_heads, n, d_head)
    q, k, v = (torch.randn(shape, generator=generator).to(device) for _ in range(3))
    return q, k, v


def _device(device: torch.device | None) -> torch.device:
    return torch.get_default_device() if device is None else torch.device(device)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


def median_ms(
    call: Callable[[], object], device: torch.device | None = None, repeats: int = 5
) -> float:
    """Median wall-clock time of ``call()`` in milliseconds, after two warm-up calls.

    ``device`` (default: torch's default device) is the one waited for before the clock stops.
    """
    device = _device(device)
    for _ in range(2):  # the first calls pay for one-off set-up: thread pools, allocator caches
        call()
    _sync(device)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        _sync(device)  # GPU calls return before the work is done
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def peak_bytes(call: Callable[[], object], device: torch.device) -> int | None:
    """Most bytes torch held at once during ``call()`` beyond what it held before, or None.

    None where it cannot be measured: on MPS, or with a torch whose profiler lacks the raw events.

    The result of the call counts (it was allocated during the call); tensors alive before it
    do not.
    """
    if device.type == "cuda":
        _sync(device)
        torch.cuda.reset_peak_memory_stats(device)
        before = torch.cuda.memory_allocated(device)
        call()
        _sync(device)
        return torch.cuda.max_memory_allocated(device) - before
    if device.type != "cpu":
        return None
    with _profiled(profile_memory=True) as prof:
        result = call()
        del result  # its free is recorded too, after the peak it was part of
    try:
        # The raw event list keeps every allocation and free in order; the summaries of
        # prof.function_events fold them into per-op totals, which hide the peak.
        events = [e for e in prof.kineto_results.events() if e.name() == "[memory]"]
        changes = sorted(((e.start_ns(), e.nbytes()) for e in events), key=lambda c: c[0])
    except AttributeError:  # a torch whose profiler lays its results out differently
        return None
    held = peak = 0
    for _, nbytes in changes:
        held += nbytes  # positive for an allocation, negative for a free
        peak = max(peak, held)
    return peak


SDPA_KERNELS = {
    "aten::_scaled_dot_product_flash_attention_for_cpu": "flash attention (CPU)",
    "aten::_scaled_dot_product_flash_attention": "flash attention",
    "aten::_scaled_dot_product_efficient_attention": "memory-efficient attention",
    "aten::_scaled_dot_product_cudnn_attention": "cuDNN attention",
    "aten::_scaled_dot_product_fused_attention_overrideable": "a fused kernel of the device",
    "aten::_scaled_dot_product_attention_math": "math (unfused: the n×n scores exist)",
    "aten::_scaled_dot_product_attention_math_for_mps": "math for MPS",
}


def which_sdpa_kernel(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, **kwargs: object) -> str:
    """Which kernel ``scaled_dot_product_attention(q, k, v, **kwargs)`` runs on these inputs.

    SDPA picks among its backends (flash, memory-efficient, cuDNN, math) by device, dtype and
    shape; the profiler records the op it dispatched to, whose name says which it was.
    """
    with _profiled() as prof:
        F.scaled_dot_product_attention(q, k, v, **kwargs)
    names = {e.name for e in prof.function_events}
    found = [label for op, label in SDPA_KERNELS.items() if op in names]
    return found[0] if found else "unknown: " + ", ".join(sorted(n for n in names if "dot" in n))


@contextlib.contextmanager
def _profiled(profile_memory: bool = False) -> Iterator[torch.autograd.profiler.profile]:
    """torch's profiler over the CPU ops, without its log lines on stderr.

    ``torch.autograd.profiler.profile`` records the same events as ``torch.profiler.profile``,
    which on its first start imports much of torch (about 1.4 s, in every notebook that times).
    The profiler's C++ library writes "profiler_start"/"profiler_stop" straight to file
    descriptor 2, past Python's sys.stderr; only redirecting the descriptor silences it.
    """
    from torch.autograd.profiler import profile

    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        with profile(use_cpu=True, profile_memory=profile_memory) as prof:
            yield prof
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def measure(
    name: str,
    n: int,
    device: torch.device | None = None,
    repeats: int = 5,
    n_heads: int = N_HEADS,
    *,
    backward: bool = False,
    causal: bool = False,
) -> dict:
    """One row: ``{"impl", "n", "median_ms", "peak_bytes", "pass", "causal"}`` for ``name``.

    ``backward=True`` times the forward and the backward together: the call, then
    ``out.backward(d_out)`` with a fixed random d_out, into fresh gradients of q, k and v.
    The output (and with ``backward``, each gradient) is first checked against SDPA's (to 1e-4
    in float32), so a fast wrong answer can never make it into the table.
    """
    fn = IMPLEMENTATIONS[name]
    if causal and name not in CAUSAL:
        raise ValueError(f"bench attention: {name} has no causal form, expected one of {CAUSAL}")
    if backward and name not in BACKWARD:
        raise ValueError(f"bench attention: {name} has no backward, expected one of {BACKWARD}")
    device = _device(device)  # None: torch's default device
    q, k, v = make_qkv(n, device, n_heads=n_heads)
    args = (causal,) if causal else ()
    if not backward:
        call = functools.partial(fn, q, k, v, *args)
        _check_close(name, n, {"output": call()}, {"output": _sdpa(q, k, v, causal)})
    else:
        d_out = make_qkv(n, device, n_heads=n_heads, seed=1)[0]  # (BATCH, n_heads, n, d_head)
        q, k, v = (t.requires_grad_() for t in (q, k, v))

        def call() -> None:
            q.grad = k.grad = v.grad = None  # fresh gradients: backward allocates them
            fn(q, k, v, *args).backward(d_out)

        call()
        got = {"dq": q.grad, "dk": k.grad, "dv": v.grad}
        d_q, d_k, d_v = torch.autograd.grad(_sdpa(q, k, v, causal), (q, k, v), d_out)
        expected = {"dq": d_q, "dk": d_k, "dv": d_v}
        _check_close(name, n, got, expected)
    return {
        "impl": name,
        "n": n,
        "median_ms": median_ms(call, device, repeats),
        "peak_bytes": peak_bytes(call, device),
        "pass": FORWARD_BACKWARD if backward else FORWARD,
        "causal": causal,
    }


def _check_close(
    name: str, n: int, got: dict[str, torch.Tensor], expected: dict[str, torch.Tensor]
) -> None:
    for what, tensor in got.items():
        if tensor is None:  # the backward never reached this input
            raise RuntimeError(f"bench attention: {name} gave no {what} at n={n}")
        error = (tensor - expected[what]).abs().max().item()
        if not error <= 1e-4:
            raise RuntimeError(
                f"bench attention: {name} differs from SDPA by {error:.3g} at n={n} ({what})"
            )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"only n in {QUICK_NS} with 2 repeats: seconds, for a smoke test",
    )
    parser.add_argument(
        "--repeats", type=int, default=5, help="timed calls per row, after a warm-up (default 5)"
    )


def run(args: argparse.Namespace) -> list[dict]:
    """Every implementation at every n (the loop only up to LOOP_MAX_N), rows grouped by n.

    For each n: the forward of each implementation, then its causal forward, then the
    forward+backward of those with a backward, non-causal and causal.
    """
    if args.repeats < 1:
        raise ValueError(f"bench attention: --repeats must be a positive int, got {args.repeats}")
    ns, repeats = (QUICK_NS, min(args.repeats, 2)) if args.quick else (FULL_NS, args.repeats)
    device = pick_device()
    rows = []
    for n in ns:
        for backward in (False, True):
            for causal in (False, True):
                for name in BACKWARD if backward else IMPLEMENTATIONS:
                    if name == "loop" and (n > LOOP_MAX_N or causal):
                        continue
                    if name == "triton" and device.type != "cuda":
                        continue
                    rows.append(measure(name, n, device, repeats, backward=backward, causal=causal))
    return rows


def table(rows: list[dict]) -> list[dict]:
    """The rows as printed: peak memory in MiB, and time and memory as multiples of SDPA's
    (SDPA's row of the same n, pass and causal)."""

    def key(row: dict) -> tuple:
        return row["n"], row.get("pass", FORWARD), row.get("causal", False)

    sdpa = {key(row): row for row in rows if row["impl"] == "sdpa"}
    printed = []
    for row in rows:
        ref = sdpa.get(key(row))
        peak, ref_peak = row["peak_bytes"], ref and ref["peak_bytes"]
        printed.append(
            {
                "impl": row["impl"],
                "n": row["n"],
                "pass": row.get("pass", FORWARD),
                "causal": row.get("causal", False),
                "median_ms": row["median_ms"],
                "peak_MiB": None if peak is None else peak / 2**20,
                "time_vs_sdpa": ref and row["median_ms"] / ref["median_ms"],
                "memory_vs_sdpa": peak / ref_peak if peak is not None and ref_peak else None,
            }
        )
    return printed
