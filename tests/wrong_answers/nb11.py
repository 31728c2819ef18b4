"""Wrong answers to notebook 11's exercises, as a learner would compute them."""

from __future__ import annotations

import torch

from attention_lab import journey_embeddings

from . import Wrong

x = journey_embeddings()  # (6, 3): the keys and values
target = torch.randn(4, 3, generator=torch.Generator().manual_seed(11))  # (4, 3): the queries
lengths = torch.tensor([3, 5, 2])
positions = torch.arange(5)


def _weights(q, k, scale=3**-0.5):
    return torch.softmax(q @ k.T * scale, dim=-1)


WRONG = [
    Wrong(
        "11.left_padding_mask",
        "True = ignore, torch's convention",
        lambda: positions < 5 - lengths[:, None],
        "torch_convention",
    ),
    Wrong(
        "11.left_padding_mask",
        "padded on the right",
        lambda: positions < lengths[:, None],
        "right_padding",
    ),
    Wrong(
        "11.left_padding_mask",
        "padding marked on the right",
        lambda: positions >= lengths[:, None],
        "torch_convention_right_padding",
    ),
    Wrong(
        "11.left_padding_mask",
        "one off: > instead of >=",
        lambda: positions > 5 - lengths[:, None],
        None,
    ),
    Wrong("11.cross_weights", "x asks the questions", lambda: _weights(x, target), "roles_swapped"),
    Wrong(
        "11.cross_weights",
        "self-attention of target",
        lambda: _weights(target, target),
        "self_attention_keys",
    ),
    Wrong("11.cross_weights", "no 1/√3", lambda: _weights(target, x, scale=1.0), "unscaled"),
    Wrong(
        "11.predict_weights_shape",
        "heads averaged",
        lambda: (2, 4, 6),
        "heads_averaged",
    ),
    Wrong(
        "11.predict_weights_shape",
        "T_k before T_q",
        lambda: (2, 2, 6, 4),
        "queries_and_keys_swapped",
    ),
    Wrong(
        "11.predict_weights_shape",
        "square, as in self-attention",
        lambda: (2, 2, 4, 4),
        "square_like_self_attention",
    ),
]
