"""A tiny attention-only transformer, small enough to train in seconds on a CPU (notebook 13).

Tokens become vectors (a token embedding plus a learned position embedding), pass through a few
layers of multi-head causal attention, each added back onto its input (the residual stream), and
are read out as one score per vocabulary token (the unembedding). There is no MLP and no
LayerNorm: what the model can do, its attention heads do. ``induction_score`` measures how much a
head behaves as an induction head.
"""

from __future__ import annotations

import torch
from torch import nn

from ._checks import check_positive_int, check_tensor, shape_str
from .functional import attention


class CausalAttentionLayer(nn.Module):
    """Multi-head causal self-attention: one fused q/k/v projection, heads, an output projection.

    Shapes: x (B, T, d_model) -> out (B, T, d_model), attn_weights (B, n_heads, T, T)
    """

    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        self.n_heads, self.d_head = n_heads, d_model // n_heads
        self.W_qkv = nn.Linear(d_model, 3 * d_model, bias=False)
        self.out_proj = nn.Linear(d_model, d_model, bias=False)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        B, T, d_model = x.shape
        qkv = self.W_qkv(x).view(B, T, 3, self.n_heads, self.d_head)  # (B, T, 3, H, d_head)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)  # each (B, H, T, d_head)
        out, attn_weights = attention(q, k, v, causal=True)  # (B, H, T, d_head), (B, H, T, T)
        out = out.transpose(1, 2).reshape(B, T, d_model)  # the heads side by side again
        return self.out_proj(out), attn_weights


class TinyTransformer(nn.Module):
    """Token and position embeddings, ``n_layers`` residual attention layers, an unembedding.

    Shapes: tokens (B, T) integers in [0, vocab_size), T ≤ context_length
    Returns: logits (B, T, vocab_size), attn_weights (B, n_layers, n_heads, T, T)

    ``logits[b, t]`` scores the token that comes after position t; by the causal mask it depends
    on tokens 0..t only.
    """

    def __init__(
        self,
        vocab_size: int,
        context_length: int,
        d_model: int = 32,
        n_heads: int = 2,
        n_layers: int = 2,
    ):
        super().__init__()
        fn = "TinyTransformer"
        self.vocab_size = check_positive_int(fn, "vocab_size", vocab_size)
        self.context_length = check_positive_int(fn, "context_length", context_length)
        d_model = check_positive_int(fn, "d_model", d_model)
        n_heads = check_positive_int(fn, "n_heads", n_heads)
        n_layers = check_positive_int(fn, "n_layers", n_layers)
        if d_model % n_heads:
            raise ValueError(
                f"{fn}: d_model must be divisible by n_heads, got d_model={d_model} and "
                f"n_heads={n_heads}"
            )
        self.n_heads, self.n_layers = n_heads, n_layers
        self.token_embedding = nn.Embedding(self.vocab_size, d_model)
        self.position_embedding = nn.Embedding(self.context_length, d_model)
        self.layers = nn.ModuleList(CausalAttentionLayer(d_model, n_heads) for _ in range(n_layers))
        self.unembedding = nn.Linear(d_model, self.vocab_size, bias=False)

    def forward(self, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        check_token_ids("TinyTransformer", tokens, self.vocab_size, self.context_length)
        positions = torch.arange(tokens.shape[1], device=tokens.device)  # (T,)
        x = self.token_embedding(tokens) + self.position_embedding(positions)  # (B, T, d_model)
        weights = []
        for layer in self.layers:
            out, attn_weights = layer(x)
            x = x + out  # the residual stream: each layer adds to what was there
            weights.append(attn_weights)
        return self.unembedding(x), torch.stack(weights, dim=1)


#: The dtypes token ids come in; bool and floating tensors are not ids.
TOKEN_DTYPES = (torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8)


def check_token_tensor(fn: str, tokens: object) -> None:
    """``tokens`` is a tensor of integer token ids, of any shape."""
    if not isinstance(tokens, torch.Tensor):
        raise TypeError(f"{fn}: tokens must be a torch.Tensor, got {type(tokens).__name__}")
    if tokens.dtype not in TOKEN_DTYPES:
        raise TypeError(f"{fn}: tokens must hold integer token ids, got dtype {tokens.dtype}")


def check_square_weights(fn: str, attn_weights: torch.Tensor, *, at_least: int = 1) -> int:
    """``attn_weights`` ends in square (T, T) weights with T ≥ at_least; returns T."""
    T = attn_weights.shape[-1]
    if attn_weights.shape[-2] != T or at_least > T:
        need = f" with T ≥ {at_least}" if at_least > 1 else ""
        raise ValueError(
            f"{fn}: attn_weights must end in square (T, T) weights{need}, got "
            f"{shape_str(attn_weights)}"
        )
    return T


def check_token_ids(fn: str, tokens: object, vocab_size: int, context_length: int) -> None:
    """``tokens`` is a (B, T) integer tensor of ids in [0, vocab_size), with T ≤ context_length."""
    check_token_tensor(fn, tokens)
    if tokens.ndim != 2 or tokens.numel() == 0:
        raise ValueError(f"{fn}: tokens must be a non-empty (B, T) tensor, got {shape_str(tokens)}")
    if tokens.shape[1] > context_length:
        raise ValueError(
            f"{fn}: tokens has T={tokens.shape[1]} positions, expected at most "
            f"context_length={context_length}"
        )
    if tokens.min() < 0 or tokens.max() >= vocab_size:
        raise ValueError(
            f"{fn}: tokens must be ids in [0, {vocab_size - 1}], got values from "
            f"{int(tokens.min())} to {int(tokens.max())}"
        )


def induction_targets(tokens: torch.Tensor) -> torch.Tensor:
    """Where an induction head looks: ``targets[..., i, j]`` is True when j - 1 < i is an earlier
    occurrence of token i, so that j holds the token that came after it last time.

    Shapes: tokens (..., T) -> targets (..., T, T) bool, lower-triangular
    """
    same = tokens[..., :, None] == tokens[..., None, :]  # (..., T, T): same[i, j'] token i == j'
    earlier = torch.ones_like(same).tril(-1)  # j' < i
    occurrence = same & earlier  # (..., T, T): j' an earlier occurrence of token i
    targets = torch.zeros_like(occurrence)
    targets[..., 1:] = occurrence[..., :-1]  # shift right by one: j = j' + 1
    return targets


def induction_score(attn_weights: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
    """The weight a head puts on the token after an earlier occurrence of the current token.

    For each query i whose token appeared before, at j', the weight on position j' + 1 (summed
    over the earlier occurrences), averaged over those queries and over the batch: 1 for a
    perfect induction head, about 1/(i + 1) for a head that spreads its weight evenly.

    Shapes: tokens (B, T) with attn_weights (B, ..., T, T), or tokens (T,) with
            attn_weights (..., T, T); returns one score per head, shape attn_weights' dims
            between the batch and (T, T)
    """
    fn = "induction_score"
    check_tensor(fn, "attn_weights", attn_weights, min_ndim=2)
    check_token_tensor(fn, tokens)
    T = check_square_weights(fn, attn_weights)
    batched = tokens.ndim == 2
    if (
        tokens.ndim not in (1, 2)
        or tokens.shape[-1] != T
        or (batched and (attn_weights.ndim < 3 or attn_weights.shape[0] != tokens.shape[0]))
    ):
        raise ValueError(
            f"{fn}: tokens must be (T,) or (B, T) matching attn_weights (B, ..., T, T), got "
            f"tokens {shape_str(tokens)} and attn_weights {shape_str(attn_weights)}"
        )
    targets = induction_targets(tokens if batched else tokens[None])  # (B, T, T)
    weights = attn_weights if batched else attn_weights[None]  # (B, ..., T, T)
    targets = targets.view(targets.shape[0], *[1] * (weights.ndim - 3), T, T)
    has_target = targets.any(dim=-1)  # (B, 1.., T): queries whose token came before
    if not has_target.any():
        raise ValueError(f"{fn}: no token of tokens repeats, so no query has an induction target")
    on_target = (weights * targets).sum(dim=-1)  # (B, ..., T): weight on the targets per query
    per_head = (on_target * has_target).sum(dim=(0, -1)) / has_target.sum(dim=(0, -1))
    return per_head


def previous_token_score(attn_weights: torch.Tensor) -> torch.Tensor:
    """The weight each query i ≥ 1 puts on key i - 1, averaged over those queries: 1 for a head
    that always looks one token back (what an induction head's first layer needs).

    Shapes: attn_weights (..., T, T) with T ≥ 2 -> (...)
    """
    fn = "previous_token_score"
    check_tensor(fn, "attn_weights", attn_weights, min_ndim=2)
    check_square_weights(fn, attn_weights, at_least=2)
    return attn_weights.diagonal(offset=-1, dim1=-2, dim2=-1).mean(dim=-1)
