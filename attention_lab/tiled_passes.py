"""The two tile loops of ``attention_tiled``: the online-softmax forward and its backward.

Both take scores in base 2: ``q_2`` is q already multiplied by scale · log2 e, so a tile's
scores are ``q_2 kᵀ`` and its weights ``2^(score - max)``. Neither ever holds more than one
(block_q, block_k) tile of scores per batch row and head.
"""

from __future__ import annotations

import math

import torch


class ScoresOverflowed(ArithmeticError):
    """The scores left the dtype's range; ``attention_tiled`` words it for the user."""


def tiled_forward(
    q_2: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    mask: torch.Tensor | None,
    causal: bool,
    block_q: int,
    block_k: int,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The online softmax over tiles, on scores in base 2 (q_2 already carries scale · log2 e).

    Shapes: q_2 (BH, T_q, d_k), k (BH, T_k, d_k), v (BH, T_k, d_v), mask (..., T_q, T_k) or None
    Returns: out (BH, T_q, d_v), lse_2 (BH, T_q): log2 Σ 2^score per row (0 for an empty row)
    """
    BH, T_q, _ = q_2.shape
    T_k = k.shape[1]
    k_t = k.transpose(1, 2)  # (BH, d_k, T_k)
    out = torch.empty(BH, T_q, v.shape[-1], dtype=q_2.dtype, device=q_2.device)  # (BH, T_q, d_v)
    lse_2 = torch.empty(BH, T_q, dtype=q_2.dtype, device=q_2.device)  # (BH, T_q)
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
            attn_scores = torch.bmm(q_2[:, q0:q1], k_t[:, :, k0:k1])  # (BH, bq, bk), base 2
            tile_mask = tile_allowed(mask, causal, q0, q1, k0, k1, q_2.device)
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
            raise ScoresOverflowed
        # A fully masked row has row_sum = 0 and acc = 0: divide by 1 so its output stays 0,
        # and give it lse 0, so the backward's 2^(score - lse) is 2^-inf = 0 on all its keys.
        nothing = row_sum == 0  # (BH, bq, 1)
        out[:, q0:q1] = acc / torch.where(nothing, 1.0, row_sum)
        lse_2[:, q0:q1] = torch.where(nothing, 0.0, shift + torch.log2(row_sum)).squeeze(-1)
    return out, lse_2


def tile_allowed(
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


def tiled_backward(
    q_2: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    out: torch.Tensor,
    lse_2: torch.Tensor,
    d_out: torch.Tensor,
    mask: torch.Tensor | None,
    causal: bool,
    block_q: int,
    block_k: int,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Gradients of ``tiled_forward``'s output, recomputing each tile's weights from lse_2.

    For one tile, with p = 2^(score - lse) the weights (score = q_2 kᵀ, base 2):
    dV += pᵀ dO; dP = dO Vᵀ; dS = p ∘ (dP - D) with D = rowsum(dO ∘ O), the softmax's
    Jacobian-vector product; then dq_2 += dS k and dK += dSᵀ q_2, both times ln 2, since the
    scores are in base 2. The walk runs over key blocks outside and query blocks inside, so a
    key block's dK and dV are summed in place; under the causal mask, the query blocks that lie
    wholly before a key block are skipped, as the forward skipped their tiles.

    Shapes: q_2 (BH, T_q, d_k), k (BH, T_k, d_k), v (BH, T_k, d_v), out and d_out (BH, T_q, d_v),
            lse_2 (BH, T_q), mask (..., T_q, T_k) or None
    Returns: d_q_2 (BH, T_q, d_k), d_k (BH, T_k, d_k), d_v (BH, T_k, d_v)
    """
    T_q, T_k = q_2.shape[1], k.shape[1]
    d_out = d_out.contiguous()
    row_term = (d_out * out).sum(dim=-1, keepdim=True)  # D: (BH, T_q, 1)
    lse_2 = lse_2.unsqueeze(-1)  # (BH, T_q, 1)
    d_q_2, d_k, d_v = torch.zeros_like(q_2), torch.zeros_like(k), torch.zeros_like(v)
    v_t = v.transpose(1, 2)  # (BH, d_v, T_k)
    for k0 in range(0, T_k, block_k):
        k1 = min(k0 + block_k, T_k)
        k_t = k[:, k0:k1].transpose(1, 2)  # (BH, d_k, bk)
        # Causal: a query block sees this key block only if its last query is at k0 or later.
        first_q = (k0 // block_q) * block_q if causal else 0
        for q0 in range(first_q, T_q, block_q):
            q1 = min(q0 + block_q, T_q)
            p = torch.bmm(q_2[:, q0:q1], k_t)  # (BH, bq, bk): the scores again, base 2
            tile_mask = tile_allowed(mask, causal, q0, q1, k0, k1, q_2.device)
            if tile_mask is not None:
                p.masked_fill_(~tile_mask, float("-inf"))
            p.sub_(lse_2[:, q0:q1]).exp2_()  # the weights, exactly as the forward normalized them
            d_v[:, k0:k1].baddbmm_(p.transpose(1, 2), d_out[:, q0:q1])  # += pᵀ dO
            d_s = torch.bmm(d_out[:, q0:q1], v_t[:, :, k0:k1])  # dP: (BH, bq, bk)
            d_s.sub_(row_term[:, q0:q1]).mul_(p)  # dS = p ∘ (dP - D)
            d_q_2[:, q0:q1].baddbmm_(d_s, k[:, k0:k1])  # += dS k
            d_k[:, k0:k1].baddbmm_(d_s.transpose(1, 2), q_2[:, q0:q1])  # += dSᵀ q_2
    ln_2 = math.log(2.0)  # d(2^x)/dx = ln 2 · 2^x: the base-2 scores' chain-rule factor
    return d_q_2.mul_(ln_2), d_k.mul_(ln_2), d_v
