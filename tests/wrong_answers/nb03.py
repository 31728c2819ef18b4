"""Wrong answers to notebook 03's exercises, as a learner would compute them."""

from __future__ import annotations

import torch

from attention_lab import journey_embeddings

from . import Wrong

x = journey_embeddings()  # (6, 3), the notebook's inputs
batch = torch.stack([x, x.flip(0)])  # (2, 6, 3), exercise 2's batch
x_changed = x.clone()
x_changed[1] = torch.tensor([0.1, 0.2, 0.3])  # exercise 3's new "journey"


def _row_plus_column() -> int:
    changed = ~torch.isclose(x_changed @ x_changed.T, x @ x.T)  # (6, 6)
    return int(changed[1].sum() + changed[:, 1].sum())  # the shared entry counted twice


WRONG = [
    Wrong("03.context_3", "weighted by the raw scores", lambda: (x @ x[2]) @ x, "raw_scores"),
    Wrong(
        "03.context_3",
        "divide-by-sum instead of softmax",
        lambda: ((x @ x[2]) / (x @ x[2]).sum()) @ x,
        "divided_by_sum",
    ),
    Wrong(
        "03.context_3",
        'x³ counted from 1: inputs[3] ("with")',
        lambda: torch.softmax(x @ x[3], dim=0) @ x,
        "counted_from_one",
    ),
    Wrong(
        "03.context_3",
        'kept the notebook\'s query "journey"',
        lambda: torch.softmax(x @ x[1], dim=0) @ x,
        "notebook_query",
    ),
    Wrong(
        "03.batch_weights",
        "softmax over dim=1, the queries",
        lambda: torch.softmax(batch @ batch.transpose(-2, -1), dim=1),
        "softmax_wrong_dim_queries",
    ),
    Wrong(
        "03.batch_weights",
        "softmax over dim=0, the batch",
        lambda: torch.softmax(batch @ batch.transpose(-2, -1), dim=0),
        "softmax_wrong_dim_batch",
    ),
    Wrong("03.changed_scores", "only the row of journey", lambda: 6, "only_own_row"),
    Wrong(
        "03.changed_scores",
        "row and column, the shared entry counted twice",
        _row_plus_column,
        "counted_self_twice",
    ),
    Wrong("03.changed_scores", "every entry", lambda: 36, "every_entry"),
]

WRONG += [
    Wrong(
        "03.context_3",
        "attention's default scale",
        lambda: __import__("attention_lab").attention(x, x, x)[0][2],
        "scaled_scores",
    ),
    Wrong(
        "03.batch_weights",
        "scaled by 1/√d_k",
        lambda: torch.softmax(batch @ batch.transpose(-2, -1) / 3**0.5, dim=-1),
        "scaled_scores",
    ),
    Wrong(
        "03.batch_weights",
        "transposed the weights (the scores are symmetric: the same as dim=1)",
        lambda: torch.softmax(batch @ batch.transpose(-2, -1), dim=-1).transpose(-2, -1),
        "softmax_wrong_dim_queries",
    ),
    Wrong("03.predict_reversed", "every token changes", lambda: 6, "every_token"),
    Wrong("03.predict_reversed", "half of them", lambda: 3, "half_of_them"),
    Wrong("03.predict_reversed", "all but the two middle ones", lambda: 4, None),
]
