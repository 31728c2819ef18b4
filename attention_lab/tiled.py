"""Flash-style attention in plain torch: online softmax over tiles, so the n×n scores never exist.

``attention`` builds the whole (T_q, T_k) score matrix, then softmaxes it. Here the queries are cut
into blocks of ``block_q`` rows and the keys into blocks of ``block_k`` columns; each query block
walks over the key blocks keeping, per query row, a running maximum ``row_max`` (m), a running
sum ``row_sum`` (ℓ) of exp(score - m) and a running output ``acc`` = Σ exp(score - m) v. When a
new key block raises the maximum, the partial sums are rescaled by exp(m_old - m_new), so at the
end acc / ℓ is exactly softmax(q kᵀ · scale) v. (The code keeps scores in base 2, with log2(e)
folded into the scale, because 2^x is cheaper to compute than e^x; the weights are the same.)
Peak extra memory is one (block_q, block_k) tile per batch row and head plus O(T·d) for the
running state, instead of O(T_q·T_k).

It is differentiable the way flash attention is: the forward saves q, k, v, the output and one
logsumexp per query row, L = m + log ℓ, and never a (T_q, T_k) tensor; the backward walks the
tiles again, recomputes each tile's weights as p = exp(score - L), and sums the gradients tile by
tile with the row term D = rowsum(dO ∘ O) (``tiled_passes``).
"""

from __future__ import annotations

import math

import torch

from ._checks import (
    check_bool,
    check_mask,
    check_positive_int,
    check_probability,
    check_qkv,
    check_scale,
)
from .tiled_passes import ScoresOverflowed, tiled_backward, tiled_forward

#: Chosen by measurement on a 2-core CPU (d_head 64, 8 heads, T 1024-4096), against 128 and 512:
#: a 256×256 float32 tile per head is large enough that torch's fixed cost per call (a few
#: microseconds, a dozen calls per tile) is small next to the work, and small enough that a
#: core's share of the heads' tiles stays near its L2 cache.
BLOCK_Q = 256
BLOCK_K = 256


def attention_tiled(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    mask: torch.Tensor | None = None,
    scale: float | None = None,
    *,
    causal: bool = False,
    block_q: int = BLOCK_Q,
    block_k: int = BLOCK_K,
    dropout_p: float = 0.0,
) -> torch.Tensor:
    """Scaled dot-product attention, softmax(q kᵀ · scale) v, one (block_q, block_k) tile at a time.

    Same arguments and result as ``attention``, but only the output is returned: the attention
    weights are never formed, which is the point. ``causal=True`` is top-left aligned like
    SDPA's ``is_causal`` and skips key blocks that lie wholly in the future, in the forward and
    in the backward pass. A query that may attend to nothing gets a zero output and a zero
    gradient, never NaN. Half-precision inputs are computed in float32 and the output cast
    back. Dropout is not supported here (``dropout_p`` must be 0): use ``attention`` for it.

    Shapes: q (..., T_q, d_k), k (..., T_k, d_k), v (..., T_k, d_v),
            mask broadcastable to (..., T_q, T_k); leading batch dims broadcast
    Returns: out (..., T_q, d_v)
    """
    fn = "attention_tiled"
    scores_shape = check_qkv(fn, q, k, v)
    check_bool(fn, "causal", causal)
    if check_probability(fn, "dropout_p", dropout_p) != 0:
        raise ValueError(
            f"{fn}: dropout is not supported by the tiled form, expected dropout_p=0.0, got "
            f"{dropout_p!r}; use attention(..., dropout_p=p) for dropout"
        )
    if mask is not None:
        check_mask(fn, mask, scores_shape, q.device)
        mask = mask.expand(scores_shape)  # (..., T_q, T_k), a view: no copy
    block_q = check_positive_int(fn, "block_q", block_q)
    block_k = check_positive_int(fn, "block_k", block_k)
    scale = q.shape[-1] ** -0.5 if scale is None else check_scale(fn, scale)

    *batch, T_q, T_k = scores_shape
    d_k, d_v, dtype = q.shape[-1], v.shape[-1], q.dtype
    work = torch.float32 if q.dtype in (torch.float16, torch.bfloat16) else q.dtype
    # Scores are kept in base 2: e^s = 2^(s·log2 e), and 2^x is the cheaper function to compute
    # (about 3× on a CPU), so log2(e) joins the scale and every exp below is an exp2.
    scale_2 = scale * math.log2(math.e)
    # One flat batch axis (batch rows × heads) so each tile is a single batched matmul. These
    # are ordinary torch ops, so autograd carries the gradients back through the cast, the
    # scale and the broadcast (summing over broadcast batch dims) by itself.
    q_2 = (q.to(work) * scale_2).expand(*batch, T_q, d_k).reshape(-1, T_q, d_k)  # (BH, T_q, d_k)
    k_w = k.to(work).expand(*batch, T_k, d_k).reshape(-1, T_k, d_k)  # (BH, T_k, d_k)
    v_w = v.to(work).expand(*batch, T_k, d_v).reshape(-1, T_k, d_v)  # (BH, T_k, d_v)
    try:
        out = _TiledAttention.apply(q_2, k_w, v_w, mask, causal, block_q, block_k)
    except ScoresOverflowed:
        # q and k are finite, so only overflow gets here (inf, or inf - inf = NaN inside the
        # matmul, or a row of -inf); exp2 would spread it as NaN or hide it as 0.
        raise ValueError(
            f"{fn}: the scores q kᵀ · scale overflowed {work} (largest |q| "
            f"{q.abs().max().item():.3g}, largest |k| {k.abs().max().item():.3g}, "
            f"scale {scale:.3g}); "
            "expected finite scores: use smaller inputs or a smaller scale, or float64"
        ) from None
    return out.reshape(*batch, T_q, d_v).to(dtype)  # (..., T_q, d_v)


class _TiledAttention(torch.autograd.Function):
    """The tile loops as one autograd node: it saves O(T·d) tensors, never a (T_q, T_k) one."""

    @staticmethod
    def forward(ctx, q_2, k, v, mask, causal, block_q, block_k):
        out, lse_2 = tiled_forward(q_2, k, v, mask, causal, block_q, block_k)
        ctx.save_for_backward(q_2, k, v, out, lse_2)
        ctx.mask, ctx.tiling = mask, (causal, block_q, block_k)
        return out

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, d_out):
        q_2, k, v, out, lse_2 = ctx.saved_tensors
        d_q_2, d_k, d_v = tiled_backward(q_2, k, v, out, lse_2, d_out, ctx.mask, *ctx.tiling)
        return d_q_2, d_k, d_v, None, None, None, None
