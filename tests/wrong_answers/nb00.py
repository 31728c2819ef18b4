"""Wrong answers to notebook 00's exercises, as a learner would compute them."""

from __future__ import annotations

import torch

from attention_lab import attention, journey_embeddings

from . import Wrong

inputs = journey_embeddings()  # (6, 3)


def _rows_changed_by_hand(count: str) -> int:
    changed = inputs.clone()
    changed[1, 0] = 0.0
    _, before = attention(inputs, inputs, inputs, scale=1.0)
    _, after = attention(changed, changed, changed, scale=1.0)
    moved = ~torch.isclose(before, after)  # (6, 6)
    return int(moved.sum()) if count == "entries" else int(moved[1].any())


WRONG = [
    Wrong("00.embedding_of_one", 'inputs[5], "step"', lambda: inputs[5], "off_by_one"),
    Wrong("00.embedding_of_one", 'inputs[3], "with"', lambda: inputs[3], "fourth_token"),
    Wrong("00.embedding_of_one", "its scores, not its embedding", lambda: inputs @ inputs[4], None),
    Wrong(
        "00.embedding_of_one", "a slice keeps a dimension", lambda: inputs[4:5], "extra_dimension"
    ),
    Wrong("00.first_feature", "the first row", lambda: inputs[0], "row_not_column"),
    Wrong("00.first_feature", "the second column", lambda: inputs[:, 1], "off_by_one"),
    Wrong("00.first_feature", "a (6, 1) slice", lambda: inputs[:, 0:1], "extra_dimension"),
    Wrong("00.first_feature", "the last column", lambda: inputs[:, -1], None),
    Wrong("00.rows_changed", "only the row of journey", lambda: 1, "only_own_row"),
    Wrong("00.rows_changed", "nothing changes", lambda: 0, "nothing_changed"),
    Wrong(
        "00.rows_changed",
        "counted changed entries",
        lambda: _rows_changed_by_hand("entries"),
        "counted_entries",
    ),
    Wrong("00.rows_changed", "the score entries of journey", lambda: 11, "counted_score_entries"),
]
