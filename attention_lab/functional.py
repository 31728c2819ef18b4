"""The attention math: scores, softmax, masks and scaled dot-product attention.

Each function is the formula it is named after, written as plainly as torch allows, with its
inputs checked first so that a mistake gets an error that says what was expected.
"""

from __future__ import annotations

import math

import torch

from ._checks import (
    check_bool,
    check_device,
    check_dim,
    check_dtype,
    check_generator,
    check_mask,
    check_positive_int,
    check_probability,
    check_qkv,
    check_same_dtype_device,
    check_scale,
    check_tensor,
    fits_in_memory,
    shape_str,
)
from .device import CPU


def dot_scores_loop(query: torch.Tensor, inputs: torch.Tensor) -> torch.Tensor:
    """Attention scores of one query against every input, one ``torch.dot`` at a time.

    ω_i = query · x_i. Slow on purpose: it is the definition, before we vectorize it.

    Shapes: query (d,), inputs (n, d)
    Returns: attn_scores (n,)
    """
    fn = "dot_scores_loop"
    check_tensor(fn, "query", query, ndim=1)
    check_tensor(fn, "inputs", inputs, ndim=2)
    check_same_dtype_device(fn, query=query, inputs=inputs)
    if inputs.shape[1] != query.shape[0]:
        raise ValueError(
            f"{fn}: inputs must have {query.shape[0]} features to match query "
            f"{shape_str(query)}, got {shape_str(inputs)}"
        )
    attn_scores = torch.empty(inputs.shape[0], dtype=query.dtype, device=query.device)
    for i, x_i in enumerate(inputs):
        attn_scores[i] = torch.dot(query, x_i)
    return attn_scores


def softmax_naive(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """exp(x) / Σ exp(x), exactly as written, so it overflows for large x (that is the lesson).

    exp overflows above ≈ 11.1 in float16, ≈ 88.7 in float32 and bfloat16, ≈ 709.8 in float64;
    past that the result holds inf/inf = nan. The sum can overflow first: four scores of 87.5 in
    float32 each have a finite exp, but their sum is inf, and every weight comes out 0.

    Shapes: x (...), any shape; the sum runs over ``dim``
    Returns: the same shape, dtype and device as x
    """
    check_tensor("softmax_naive", "x", x, min_ndim=1)
    dim = check_dim("softmax_naive", x, dim)
    exp_x = torch.exp(x)
    return exp_x / exp_x.sum(dim=dim, keepdim=True)


def softmax_stable(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """Softmax that subtracts the maximum first: exp(x - max) / Σ exp(x - max).

    The shift cancels in the fraction, so the result is the same number, but every exponent is
    now ≤ 0 and nothing overflows. Entries of -inf (masked scores) get weight 0; a row that is
    entirely -inf gets all-zero weights rather than NaN.

    Shapes: x (...), any shape; the sum runs over ``dim``
    Returns: the same shape, dtype and device as x
    """
    check_tensor("softmax_stable", "x", x, min_ndim=1, allow_neg_inf=True)
    dim = check_dim("softmax_stable", x, dim)
    return softmax_stable_unchecked(x, dim)


def softmax_stable_unchecked(x: torch.Tensor, dim: int) -> torch.Tensor:
    """``softmax_stable`` without its input checks, for callers that have checked x already.

    Shapes: x (...), any shape; the sum runs over ``dim``
    Returns: the same shape, dtype and device as x
    """
    # Half-precision sums lose digits fast: accumulate in float32, as torch.softmax does.
    work = x.float() if x.dtype in (torch.float16, torch.bfloat16) else x
    x_max = work.amax(dim=dim, keepdim=True)
    # A fully masked row has max = -inf; shift it by 0 instead so -inf - (-inf) never makes NaN.
    x_max = torch.where(torch.isneginf(x_max), torch.zeros_like(x_max), x_max)
    exp_x = torch.exp(work - x_max)
    total = exp_x.sum(dim=dim, keepdim=True)
    # Such a row sums to 0: divide by 1 so its weights stay 0.
    total = torch.where(total == 0, torch.ones_like(total), total)
    return (exp_x / total).to(x.dtype)


def causal_mask(T: int, device: torch.device | str | None = None) -> torch.Tensor:
    """Boolean mask where query i may attend to keys 0..i only (True = may attend).

    Shapes: returns (T, T), lower-triangular
    """
    T = check_positive_int("causal_mask", "T", T)
    device = check_device("causal_mask", device)
    with fits_in_memory("causal_mask", f"a (T, T) mask with T={T}"):
        return torch.ones(T, T, dtype=torch.bool, device=device).tril()


def attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    mask: torch.Tensor | None = None,
    scale: float | None = None,
    *,
    causal: bool = False,
    dropout_p: float = 0.0,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Scaled dot-product attention: softmax(q kᵀ · scale) v.

    ``scale`` defaults to 1/√d_k; ``scale=1.0`` gives the unscaled form. ``mask`` is boolean with
    True = may attend (the convention of ``torch.nn.functional.scaled_dot_product_attention``);
    ``causal=True`` adds the causal mask. A query that may attend to nothing gets zero weights and
    a zero output, never NaN. ``dropout_p`` zeroes attention weights at random and rescales the
    rest by 1/(1 - p); the returned weights are the ones that multiplied v.

    Shapes: q (..., T_q, d_k), k (..., T_k, d_k), v (..., T_k, d_v),
            mask broadcastable to (..., T_q, T_k); leading batch dims broadcast
    Returns: out (..., T_q, d_v), attn_weights (..., T_q, T_k)
    """
    fn = "attention"
    scores_shape = check_qkv(fn, q, k, v)
    check_bool(fn, "causal", causal)
    dropout_p = check_probability(fn, "dropout_p", dropout_p)
    generator = check_generator(fn, generator, q.device)
    if mask is not None:
        check_mask(fn, mask, scores_shape, q.device)
    scale = q.shape[-1] ** -0.5 if scale is None else check_scale(fn, scale)

    attn_scores = q @ k.transpose(-2, -1) * scale  # (..., T_q, T_k)
    if not torch.isfinite(attn_scores).all():
        # q and k are finite, so only overflow gets here; softmax would turn it into NaN.
        wider = "float64" if q.dtype in (torch.float32, torch.float64) else "float32"
        raise ValueError(
            f"{fn}: the scores q kᵀ · scale overflowed {q.dtype} (largest |q| "
            f"{q.abs().max().item():.3g}, largest |k| {k.abs().max().item():.3g}, scale "
            f"{scale:.3g}); expected finite scores: use smaller inputs or a smaller scale, or a "
            f"wider dtype such as {wider}"
        )
    if causal:
        # Top-left aligned like SDPA's is_causal: query i sees keys 0..i.
        allowed = torch.ones(scores_shape[-2:], dtype=torch.bool, device=q.device).tril()
        mask = allowed if mask is None else mask & allowed
    if mask is not None:
        attn_scores = attn_scores.masked_fill(~mask, float("-inf"))
    attn_weights = softmax_stable_unchecked(attn_scores, dim=-1)
    if dropout_p > 0:
        # Drawn where the generator lives (the CPU's, unless one on q's device is given), so a
        # seed drops the same weights on every machine.
        draw_on = CPU if generator is None else generator.device
        keep = torch.rand(attn_weights.shape, generator=generator, device=draw_on) >= dropout_p
        keep = keep.to(q.device)
        attn_weights = attn_weights * keep / (1.0 - dropout_p)
    return attn_weights @ v, attn_weights  # (..., T_q, d_v), (..., T_q, T_k)


def exp_overflow_threshold(dtype: torch.dtype | str) -> float:
    """The largest x whose exp(x) is finite in ``dtype``: ln of its largest finite number.

    About 11.09 in float16, 88.72 in bfloat16 and float32, 709.78 in float64.
    """
    return math.log(torch.finfo(check_dtype("exp_overflow_threshold", "dtype", dtype)).max)


def sum_overflow_scale(attn_scores: torch.Tensor, dtype: torch.dtype | str) -> float:
    """The smallest scale at which Σ exp(scale · ω) passes the largest number of ``dtype``.

    Shapes: attn_scores (T,); with no positive score no scale overflows, and this is inf

    The sum overflows before any single term does (T terms near the limit add up past it), so
    this is where the naive softmax starts to fail: every weight becomes x / inf = 0. It fails
    with nan only from exp_overflow_threshold(dtype) / max(ω) on, where a term itself is inf.
    """
    fn = "sum_overflow_scale"
    scores = check_tensor(fn, "attn_scores", attn_scores, ndim=1).detach().to("cpu", torch.float64)
    limit = math.log(torch.finfo(check_dtype(fn, "dtype", dtype)).max)
    if scores.max() <= 0:
        return math.inf
    low, high = 0.0, limit / float(scores.max())  # at `high` the largest term alone overflows
    for _ in range(60):  # bisection: logsumexp(scale · ω) grows with the scale
        middle = (low + high) / 2
        below = torch.logsumexp(middle * scores, 0) <= limit
        low, high = (middle, high) if below else (low, middle)
    return high
