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
"""

from __future__ import annotations

import math

import torch

from ._checks import check_mask, check_positive_int, check_scale
from ._checks import check_qkv as _check_qkv

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
) -> torch.Tensor:
    """Scaled dot-product attention, softmax(q kᵀ · scale) v, one (block_q, block_k) tile at a time.

    Same arguments and result as ``attention`` (without dropout), but only the output is
    returned: the attention weights are never formed, which is the point. ``causal=True`` is
    top-left aligned like SDPA's ``is_causal`` and skips key blocks that lie wholly in the future.
    A query that may attend to nothing gets a zero output, never NaN. Half-precision inputs are
    computed in float32 and the output cast back.

    Shapes: q (..., T_q, d_k), k (..., T_k, d_k), v (..., T_k, d_v),
            mask broadcastable to (..., T_q, T_k); leading batch dims broadcast
    Returns: out (..., T_q, d_v)
    """
    fn = "attention_tiled"
    scores_shape = _check_qkv(fn, q, k, v)
    if not isinstance(causal, bool):
        raise TypeError(f"{fn}: causal must be True or False, got {causal!r}")
    if mask is not None:
        check_mask(fn, mask, scores_shape, q.device)
        mask = mask.expand(scores_shape)  # (..., T_q, T_k), a view: no copy
    block_q = check_positive_int(fn, "block_q", block_q)
    block_k = check_positive_int(fn, "block_k", block_k)
    scale = q.shape[-1] ** -0.5 if scale is None else check_scale(fn, scale)

    *batch, T_q, T_k = scores_shape
    d_k, d_v, dtype = q.shape[-1], v.shape[-1], q.dtype
    work = torch.float32 if q.dtype in (torch.float16, torch.bfloat16) else q.dtype
    q_in, k_in = q, k  # kept for the overflow message
    # Scores are kept in base 2: e^s = 2^(s·log2 e), and 2^x is the cheaper function to compute
    # (about 3× on a CPU), so log2(e) joins the scale and every exp below is an exp2.
    scale_2 = scale * math.log2(math.e)
    # One flat batch axis (batch rows × heads) so each tile is a single batched matmul.
    q = (q.to(work) * scale_2).expand(*batch, T_q, d_k).reshape(-1, T_q, d_k)  # (BH, T_q, d_k)
    k = k.to(work).expand(*batch, T_k, d_k).reshape(-1, T_k, d_k)  # (BH, T_k, d_k)
    v = v.to(work).expand(*batch, T_k, d_v).reshape(-1, T_k, d_v)  # (BH, T_k, d_v)
    k_t = k.transpose(1, 2)  # (BH, d_k, T_k)
    out = torch.empty(q.shape[0], T_q, d_v, dtype=work, device=q.device)  # (BH, T_q, d_v)
    # Rows that may attend to something (the causal mask always leaves key 0): if such a row
    # ends with nothing summed, its scores all overflowed to -inf rather than being masked.
    has_key = None
    if mask is not None:
        allowed = mask
        if causal:
            allowed = mask & torch.ones(T_q, T_k, dtype=torch.bool, device=mask.device).tril()
        has_key = allowed.any(dim=-1).reshape(-1, T_q)  # (BH, T_q)

    for q0 in range(0, T_q, block_q):
        q1 = min(q0 + block_q, T_q)
        # Under the causal mask, keys after the block's last query are never seen: skip them.
        k_end = min(T_k, q1) if causal else T_k
        row_max = row_sum = acc = None
        for k0 in range(0, k_end, block_k):
            k1 = min(k0 + block_k, k_end)
            attn_scores = torch.bmm(q[:, q0:q1], k_t[:, :, k0:k1])  # (BH, bq, bk), base 2
            tile_mask = _tile_mask(mask, causal, q0, q1, k0, k1, q.device)
            if tile_mask is not None:
                attn_scores.masked_fill_(~tile_mask, float("-inf"))
            tile_max = attn_scores.amax(dim=-1, keepdim=True)  # (BH, bq, 1)
            row_max_new = tile_max if row_max is None else torch.maximum(row_max, tile_max)
            # A row with nothing to attend to so far has max -inf: shift it by 0 instead, so
            # -inf - (-inf) never makes NaN (its exps are 2^-inf = 0).
            shift = torch.where(torch.isneginf(row_max_new), 0.0, row_max_new)  # (BH, bq, 1)
            p = attn_scores.sub_(shift).exp2_()  # (BH, bq, bk), in place: no second tile
            if row_max is None:
                row_sum = p.sum(dim=-1, keepdim=True)  # (BH, bq, 1)
                acc = torch.bmm(p, v[:, k0:k1])  # (BH, bq, d_v)
            else:
                # The max moved: what was summed as 2^(score - row_max) must now read
                # 2^(score - row_max_new), a factor 2^(row_max - row_max_new) ≤ 1.
                alpha = torch.exp2(row_max - shift)  # (BH, bq, 1)
                row_sum = row_sum.mul_(alpha).add_(p.sum(dim=-1, keepdim=True))
                acc = acc.mul_(alpha).baddbmm_(p, v[:, k0:k1])
            row_max = row_max_new
        empty = (row_sum == 0).squeeze(-1)  # (BH, bq)
        if has_key is not None:
            empty &= has_key[:, q0:q1]
        if (row_max.isposinf() | row_max.isnan()).any() or empty.any():
            # q and k are finite, so only overflow gets here (inf, or inf - inf = NaN inside
            # the matmul, or a row of -inf); exp2 would spread it as NaN or hide it as 0.
            raise ValueError(
                f"{fn}: the scores q kᵀ · scale overflowed {work} (largest |q| "
                f"{q_in.abs().max().item():.3g}, largest |k| {k_in.abs().max().item():.3g}, "
                f"scale {scale:.3g}); "
                "expected finite scores: use smaller inputs or a smaller scale, or float64"
            )
        # A fully masked row has row_sum = 0 and acc = 0: divide by 1 so its output stays 0.
        out[:, q0:q1] = acc / torch.where(row_sum == 0, 1.0, row_sum)
    return out.reshape(*batch, T_q, d_v).to(dtype)  # (..., T_q, d_v)


def _tile_mask(
    mask: torch.Tensor | None,
    causal: bool,
    q0: int,
    q1: int,
    k0: int,
    k1: int,
    device: torch.device,
) -> torch.Tensor | None:
    """Which scores of the tile (queries q0..q1-1, keys k0..k1-1) may be attended; None if all.

    Shapes: mask (..., T_q, T_k) or None -> (BH, bq, bk), (bq, bk) or None
    """
    tile = None
    if mask is not None:
        # Slicing before reshaping copies one tile of the mask, never the whole (T_q, T_k).
        tile = mask[..., q0:q1, k0:k1].reshape(-1, q1 - q0, k1 - k0)  # (BH, bq, bk)
    if causal and k1 - 1 > q0:  # some key of the tile lies after some query of the tile
        query_pos = torch.arange(q0, q1, device=device)[:, None]  # (bq, 1)
        key_pos = torch.arange(k0, k1, device=device)[None, :]  # (1, bk)
        allowed = key_pos <= query_pos  # (bq, bk)
        tile = allowed if tile is None else tile & allowed
    return tile
