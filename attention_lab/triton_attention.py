"""Flash attention as a Triton kernel: the checked Python side of ``triton_kernel``.

``attention_triton(q, k, v)`` equals ``attention_tiled(q, k, v)``, computed by one GPU program per
block of ``block_m`` queries of each head. ``trace_program`` and ``trace_programs`` run the kernel
with its trace on and return a program's running maximum and sum after each key block.

Every argument is checked before triton is imported or a kernel launched, so a mistake gets an
error that names the argument, never a failure from inside the compiler. triton has wheels for
Linux (x86_64, aarch64) only; elsewhere ``triton_available()`` is False and the functions say so.

CUDA tensors run the compiled kernel; elsewhere Triton's interpreter runs the same source on the
CPU. The mode must be chosen before triton is first imported, by anyone (torch's profiler imports
it too), so importing this module (``import attention_lab`` does) chooses it: unless
``TRITON_INTERPRET`` is set or triton imported already, it sets ``TRITON_INTERPRET=1`` where
``pick_device()`` is not CUDA. triton itself is imported only when a kernel is about to run.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ._checks import check_bool, check_index, check_positive_int, check_qkv, check_scale, shape_str
from .device import pick_device

#: Queries per program and keys per step, by default: a 64×64 float32 tile is small enough for a
#: GPU program's registers and, under the interpreter, large enough to keep its per-step cost low.
BLOCK_M = 64
BLOCK_N = 64
#: tl.dot multiplies tiles of at least 16 in every dimension; beyond 256 a tile outgrows the
#: registers and shared memory of one program on common GPUs.
MIN_BLOCK, MAX_BLOCK = 16, 256
#: d_k and d_v are padded to a power of two ≥ 16 inside the kernel; 256 bounds the (block, d) tiles.
MAX_HEAD_DIM = 256
#: The kernel computes offsets in 32-bit integers.
MAX_ELEMENTS = 2**31 - 1

TRITON_MISSING = (
    "the triton package is not installed (it has wheels for Linux x86_64 and aarch64 only; "
    "CUDA builds of torch bring it): install it with pip install triton"
)


def triton_available() -> bool:
    """Whether the triton package can be imported here (no import happens)."""
    return importlib.util.find_spec("triton") is not None


def choose_interpreter_if_no_gpu() -> None:
    """Set ``TRITON_INTERPRET=1`` for this process if the device is not CUDA and nothing decided yet.

    ``triton.jit`` reads that setting when it wraps a function, and ``triton.language`` wraps its
    own helpers (``tl.zeros``, ``tl.max``, ``tl.sum``, ...) when triton is first imported, so a
    process runs kernels either compiled or interpreted, as chosen before that first import.
    """
    if "triton" in sys.modules or "TRITON_INTERPRET" in os.environ or not triton_available():
        return
    try:
        device = pick_device()
    except ValueError:  # a bad ATTENTION_LAB_DEVICE: pick_device will say so where it is called
        return
    if device.type != "cuda":
        os.environ["TRITON_INTERPRET"] = "1"


choose_interpreter_if_no_gpu()


def kernel_source() -> str:
    """The source of ``triton_kernel.flash_attention_kernel``, read from its file: for reading it
    where triton is missing too (nothing is imported)."""
    path = Path(__file__).with_name("triton_kernel.py")
    source = path.read_text(encoding="utf-8")
    (kernel,) = (
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef) and node.name == "flash_attention_kernel"
    )
    lines = source.splitlines()[kernel.lineno - 1 : kernel.end_lineno]
    return "\n".join(lines)


def attention_triton(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    *,
    causal: bool = False,
    scale: float | None = None,
    block_m: int = BLOCK_M,
    block_n: int = BLOCK_N,
) -> torch.Tensor:
    """softmax(q kᵀ · scale) v by a Triton kernel: one program per (query block, batch × head).

    ``causal=True`` is top-left aligned like SDPA's ``is_causal``; a program skips the key blocks
    that lie wholly after its last query. float32 only, computed in float32 with IEEE matrix
    products (no TF32), so the CPU interpreter and a GPU give the same output up to rounding.

    Shapes: q (..., T_q, d_k), k (..., T_k, d_k), v (..., T_k, d_v), the same leading dims,
            each contiguous; block_m and block_n powers of two in [16, 256]
    Returns: out (..., T_q, d_v)
    """
    fn = "attention_triton"
    causal, scale, block_m, block_n = _check_inputs(fn, q, k, v, causal, scale, block_m, block_n)
    out, _ = _launch(fn, q, k, v, causal, scale, block_m, block_n, trace=False)
    return out


@dataclass(frozen=True)
class ProgramTrace:
    """One program's running state after each key block it read: the query positions it handles
    (``rows``), the first key of each block it read (``key_starts``), and m and ℓ of each of its
    rows after each block, m in the scores' units (the kernel's base 2, converted back).

    Shapes: row_max, row_sum (len(key_starts), len(rows))
    """

    program: int
    head: int
    rows: range
    key_starts: tuple[int, ...]
    row_max: torch.Tensor
    row_sum: torch.Tensor


def trace_program(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    program: int,
    *,
    head: int = 0,
    causal: bool = False,
    scale: float | None = None,
    block_m: int = BLOCK_M,
    block_n: int = BLOCK_N,
) -> ProgramTrace:
    """Run the kernel with its trace on: (m, ℓ) of program ``program`` after each key block.

    Every program records its state (the kernel cannot print one program's registers, so it
    writes them to a buffer); this returns the one asked for, of flattened batch × head ``head``.

    Shapes: q, k, v as for ``attention_triton``; see ``ProgramTrace``
    """
    fn = "trace_program"
    causal, scale, block_m, block_n = _check_inputs(fn, q, k, v, causal, scale, block_m, block_n)
    n_programs = math.ceil(q.shape[-2] / block_m)
    program = check_index(fn, "program", program, n_programs, what="a query block")
    traces = _trace(fn, q, k, v, head, causal, scale, block_m, block_n)
    return traces[program]


def trace_programs(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    *,
    head: int = 0,
    causal: bool = False,
    scale: float | None = None,
    block_m: int = BLOCK_M,
    block_n: int = BLOCK_N,
) -> list[ProgramTrace]:
    """``trace_program`` for every program of head ``head``, from one launch, in program order.

    Shapes: q, k, v as for ``attention_triton``; one ``ProgramTrace`` per block of queries
    """
    fn = "trace_programs"
    causal, scale, block_m, block_n = _check_inputs(fn, q, k, v, causal, scale, block_m, block_n)
    return _trace(fn, q, k, v, head, causal, scale, block_m, block_n)


def _trace(fn, q, k, v, head, causal, scale, block_m, block_n) -> list[ProgramTrace]:
    T_q = q.shape[-2]
    head = check_index(
        fn, "head", head, math.prod(q.shape[:-2]), what="a flattened batch × head index"
    )
    _, trace = _launch(fn, q, k, v, causal, scale, block_m, block_n, trace=True)
    trace = trace[head].cpu()  # (n_key_blocks, 2, T_q)
    traces = []
    for program, first in enumerate(range(0, T_q, block_m)):
        last = min(T_q, first + block_m)
        # The blocks the kernel read are those it wrote a state for (the rest stay NaN).
        n_read = int(torch.isfinite(trace[:, 0, first]).sum())
        steps = trace[:n_read, :, first:last]  # (steps, 2, rows)
        traces.append(
            ProgramTrace(
                program=program,
                head=head,
                rows=range(first, last),
                key_starts=tuple(range(0, n_read * block_n, block_n)),
                row_max=steps[:, 0] / math.log2(math.e),  # base 2 back to the scores' units
                row_sum=steps[:, 1].clone(),
            )
        )
    return traces


def _check_inputs(fn, q, k, v, causal, scale, block_m, block_n) -> tuple[bool, float, int, int]:
    """Every check, before any import of triton or launch; returns causal, scale and the blocks."""
    check_qkv(fn, q, k, v)
    for name, t in (("q", q), ("k", k), ("v", v)):
        if t.dtype != torch.float32:
            raise TypeError(
                f"{fn}: {name} must have dtype torch.float32 (the kernel loads and computes in "
                f"float32), got {t.dtype}; convert it with .float()"
            )
        if not t.is_contiguous():
            raise ValueError(
                f"{fn}: {name} must be contiguous (the kernel finds row i at offset i·d), got "
                f"shape {shape_str(t)} with strides {tuple(t.stride())}; pass {name}.contiguous()"
            )
        if t.numel() > MAX_ELEMENTS:
            raise ValueError(
                f"{fn}: {name} must have at most 2**31 - 1 elements (the kernel's offsets are "
                f"32-bit), got {t.numel()}"
            )
    if not q.shape[:-2] == k.shape[:-2] == v.shape[:-2]:
        raise ValueError(
            f"{fn}: q, k and v must have the same leading dims (no broadcasting: each program "
            f"reads its head's rows in place), got q {shape_str(q)}, k {shape_str(k)}, "
            f"v {shape_str(v)}"
        )
    for name, size in (("d_k", q.shape[-1]), ("d_v", v.shape[-1])):
        if size > MAX_HEAD_DIM:
            raise ValueError(f"{fn}: {name} must be at most {MAX_HEAD_DIM}, got {size}")
    if q.device.type not in ("cpu", "cuda"):
        raise ValueError(
            f"{fn}: q must be on 'cpu' (Triton's interpreter) or 'cuda' (compiled), "
            f"got {q.device.type!r}; move the tensors with .to('cpu')"
        )
    causal = check_bool(fn, "causal", causal)
    scale = q.shape[-1] ** -0.5 if scale is None else check_scale(fn, scale)
    blocks = [
        check_block(fn, name, value) for name, value in (("block_m", block_m), ("block_n", block_n))
    ]
    return causal, scale, blocks[0], blocks[1]


def check_block(fn: str, name: str, value: object) -> int:
    """A block size the kernel accepts: a power of two from MIN_BLOCK to MAX_BLOCK."""
    value = check_positive_int(fn, name, value)
    if value & (value - 1) or not MIN_BLOCK <= value <= MAX_BLOCK:
        raise ValueError(
            f"{fn}: {name} must be a power of two from {MIN_BLOCK} to {MAX_BLOCK} "
            f"(tl.arange needs a power of two, tl.dot at least 16), got {value}"
        )
    return value


def _launch(fn, q, k, v, causal, scale, block_m, block_n, *, trace):
    """Import the kernel and launch it over the grid; return out and the trace (or None).

    Shapes: q (..., T_q, d_k) -> out (..., T_q, d_v), trace (BH, n_key_blocks, 2, T_q) or None
    """
    if not triton_available():
        raise ModuleNotFoundError(f"{fn}: {TRITON_MISSING}")
    from . import triton_kernel

    if q.device.type == "cpu" and not triton_kernel.INTERPRETED:
        raise ValueError(
            f"{fn}: q is on the CPU, but triton was imported here for the GPU, where its "
            "interpreter cannot run; set TRITON_INTERPRET=1 before Python starts, or pass CUDA "
            "tensors"
        )
    *batch, T_q, d_k = q.shape
    T_k, d_v = k.shape[-2], v.shape[-1]
    n_heads = math.prod(batch)  # one flat axis of batch rows × heads: the grid's second axis
    out = torch.empty(*batch, T_q, d_v, dtype=q.dtype, device=q.device)  # (..., T_q, d_v)
    n_key_blocks = math.ceil(T_k / block_n)
    shape = (n_heads, n_key_blocks, 2, T_q) if trace else (1,)
    trace_buffer = torch.full(shape, math.nan, dtype=torch.float32, device=q.device)
    grid = (math.ceil(T_q / block_m), n_heads)  # (query blocks, batch × heads) programs
    # The interpreter computes with numpy, which warns on overflow; the check below says more.
    quiet = np.errstate(over="ignore", invalid="ignore") if triton_kernel.INTERPRETED else None
    on_device = torch.cuda.device(q.device) if q.is_cuda else None
    with quiet or contextlib.nullcontext(), on_device or contextlib.nullcontext():
        triton_kernel.kernel[grid](
            q, k, v, out, trace_buffer, T_q, T_k, d_k, d_v, scale * math.log2(math.e),
            CAUSAL=causal,
            TRACE=trace,
            BLOCK_M=block_m,
            BLOCK_N=block_n,
            BLOCK_DK=max(MIN_BLOCK, 1 << (d_k - 1).bit_length()),
            BLOCK_DV=max(MIN_BLOCK, 1 << (d_v - 1).bit_length()),
        )  # fmt: skip
    if not torch.isfinite(out).all():
        # q and k are finite, so only overflow of q kᵀ · scale in float32 gets here.
        raise ValueError(
            f"{fn}: the scores q kᵀ · scale overflowed float32 (largest |q| "
            f"{q.abs().max().item():.3g}, largest |k| {k.abs().max().item():.3g}, scale "
            f"{scale:.3g}); expected finite scores: use smaller inputs or a smaller scale"
        )
    return out, (trace_buffer if trace else None)
