"""Flash attention's forward pass as one Triton kernel, run compiled on CUDA or interpreted on the CPU.

``flash_attention_kernel`` is the same algorithm as ``attention_tiled`` (online softmax over
tiles, scores in base 2), written as a GPU program: one *program* per block of BLOCK_M queries
of one head. A program loads its query block once, walks over the key blocks keeping its running
maximum ``m_i``, running sum ``l_i`` and output ``acc`` in registers, and writes its block of
the output once. The (T_q, T_k) score matrix never exists, not even in the GPU's main memory.

``kernel`` is that source wrapped by ``triton.jit``, in one of two modes, fixed for the process:

- compiled: Triton compiles it for the GPU on its first launch (CUDA tensors only);
- interpreted (``INTERPRETED``): Triton's interpreter runs the same source with numpy, one
  program after another, on the CPU (CPU tensors; CUDA tensors are copied over and back).

Why per process: ``triton.jit`` reads ``TRITON_INTERPRET`` when it wraps a function, and
``triton.language`` wraps its own helpers (``tl.zeros``, ``tl.max``, ``tl.sum``, ...) that way
when triton is first imported. A kernel wrapped for the interpreter later cannot call helpers
that were wrapped for the compiler (it fails with "Cannot call @triton.jit'd outside of the scope
of a kernel"), so the choice must be made before ``import triton``:
``triton_attention.choose_interpreter_if_no_gpu`` makes it when the package is imported, and
``attention_lab.triton_attention`` imports this module only when a kernel is about to run, so the
package works where triton is missing.
"""

from __future__ import annotations

from .triton_attention import choose_interpreter_if_no_gpu

choose_interpreter_if_no_gpu()  # already done when the package was imported; cheap to repeat

import triton  # noqa: E402 (after the mode is chosen)
import triton.language as tl  # noqa: E402
from triton.runtime.interpreter import InterpretedFunction  # noqa: E402


def flash_attention_kernel(
    q_ptr,  # (BH, T_q, d_k) float32, contiguous: row i of head h starts at (h·T_q + i)·d_k
    k_ptr,  # (BH, T_k, d_k)
    v_ptr,  # (BH, T_k, d_v)
    out_ptr,  # (BH, T_q, d_v), written by this kernel
    trace_ptr,  # (BH, n_key_blocks, 2, T_q): (m, ℓ) after each key block, written if TRACE
    T_q,
    T_k,
    d_k,
    d_v,
    scale_log2,  # the softmax scale times log2(e): scores in base 2, so exp becomes exp2
    CAUSAL: tl.constexpr,
    TRACE: tl.constexpr,
    BLOCK_M: tl.constexpr,  # queries per program (a power of two, ≥ 16 for tl.dot)
    BLOCK_N: tl.constexpr,  # keys per step of the loop
    BLOCK_DK: tl.constexpr,  # d_k rounded up to a power of two (≥ 16): the padding is masked
    BLOCK_DV: tl.constexpr,
):

    # Which program am I? Axis 0: the query block; axis 1: the (batch, head).
    block = tl.program_id(0)
    head = tl.program_id(1)
    rows = block * BLOCK_M + tl.arange(0, BLOCK_M)  # (BLOCK_M,): my query positions
    cols_k = tl.arange(0, BLOCK_DK)  # (BLOCK_DK,)
    cols_v = tl.arange(0, BLOCK_DV)  # (BLOCK_DV,)
    row_ok = rows < T_q  # (BLOCK_M,): the last block may hang past the end

    # Load my query block once; masked-off entries (past T_q, past d_k) read as 0.
    q_at = q_ptr + (head * T_q + rows[:, None]) * d_k + cols_k[None, :]  # (BLOCK_M, BLOCK_DK)
    q = tl.load(q_at, mask=row_ok[:, None] & (cols_k[None, :] < d_k), other=0.0)
    q = q * scale_log2

    # The running state, one entry per query row, kept in registers for the whole loop.
    m_i = tl.full([BLOCK_M], float("-inf"), tl.float32)  # (BLOCK_M,): running max (base 2)
    l_i = tl.zeros([BLOCK_M], tl.float32)  # (BLOCK_M,): running Σ 2^(s - m)
    acc = tl.zeros([BLOCK_M, BLOCK_DV], tl.float32)  # (BLOCK_M, BLOCK_DV): Σ 2^(s - m) v

    # Causal: keys after my last query are the future of every row here; skip those blocks.
    end = tl.minimum(T_k, (block + 1) * BLOCK_M) if CAUSAL else T_k
    for start in range(0, end, BLOCK_N):
        keys = start + tl.arange(0, BLOCK_N)  # (BLOCK_N,): this step's key positions
        key_ok = keys < T_k  # (BLOCK_N,)
        # kᵀ of this key block, loaded already transposed: (BLOCK_DK, BLOCK_N).
        k_at = k_ptr + (head * T_k + keys[None, :]) * d_k + cols_k[:, None]
        k_t = tl.load(k_at, mask=key_ok[None, :] & (cols_k[:, None] < d_k), other=0.0)
        s = tl.dot(q, k_t, input_precision="ieee")  # (BLOCK_M, BLOCK_N): one tile of scores
        allowed = key_ok[None, :]  # (1, BLOCK_N); keys past T_k never count
        if CAUSAL:
            allowed = allowed & (keys[None, :] <= rows[:, None])  # (BLOCK_M, BLOCK_N)
        s = tl.where(allowed, s, float("-inf"))

        # The online softmax. Key 0 is in the first block and allowed for every row, so m_i is
        # finite from the first step on and m_i - m_new is never -inf - (-inf).
        m_new = tl.maximum(m_i, tl.max(s, axis=1))  # (BLOCK_M,)
        alpha = tl.exp2(m_i - m_new)  # (BLOCK_M,): rescales what was summed against m_i
        p = tl.exp2(s - m_new[:, None])  # (BLOCK_M, BLOCK_N)
        l_i = l_i * alpha + tl.sum(p, axis=1)
        # The output is carried along with the same rescaling, as notebook 09's acc.
        v_at = v_ptr + (head * T_k + keys[:, None]) * d_v + cols_v[None, :]
        v = tl.load(v_at, mask=key_ok[:, None] & (cols_v[None, :] < d_v), other=0.0)
        acc = acc * alpha[:, None] + tl.dot(p, v, input_precision="ieee")  # (BLOCK_M, BLOCK_DV)
        m_i = m_new

        if TRACE:  # debugging aid, compiled away otherwise: write (m, ℓ) down after this block
            n_key_blocks = tl.cdiv(T_k, BLOCK_N)
            trace_at = trace_ptr + ((head * n_key_blocks + start // BLOCK_N) * 2) * T_q + rows
            tl.store(trace_at, m_i, mask=row_ok)
            tl.store(trace_at + T_q, l_i, mask=row_ok)

    # Write my block of the output once: acc / ℓ, rows and columns past the end left alone.
    out_at = out_ptr + (head * T_q + rows[:, None]) * d_v + cols_v[None, :]
    tl.store(out_at, acc / l_i[:, None], mask=row_ok[:, None] & (cols_v[None, :] < d_v))


#: The kernel, launched as ``kernel[grid](...)``: compiled, or interpreted (see the docstring).
kernel = triton.jit(flash_attention_kernel)
#: Whether this process runs Triton's interpreter (decided when triton was first imported).
INTERPRETED = isinstance(tl.zeros, InterpretedFunction)
