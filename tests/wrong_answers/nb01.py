"""Wrong answers to notebook 01's exercises, as a learner would compute them."""

from __future__ import annotations

import torch

from attention_lab import journey_embeddings

from . import Wrong

inputs = journey_embeddings()  # (6, 3)
query = inputs[1]  # "journey"
starts_doubled = 2 * inputs[2]


def _score_and_cosine(key: torch.Tensor, lengths: str = "both") -> torch.Tensor:
    score = query @ key
    if lengths == "both":
        cosine = score / (query.norm() * key.norm())
    elif lengths == "one":
        cosine = score / key.norm()
    else:
        cosine = score
    return torch.stack([score, cosine])


WRONG = [
    Wrong(
        "01.scores_with",
        "x⁴ counted from 1: inputs[4]",
        lambda: inputs @ inputs[4],
        "counted_from_one",
    ),
    Wrong("01.scores_with", "kept the notebook's query", lambda: inputs @ query, "notebook_query"),
    Wrong(
        "01.scores_with",
        "cosines instead of dot products",
        lambda: torch.cosine_similarity(inputs, inputs[3][None], dim=-1),
        "cosine_not_dot",
    ),
    Wrong("01.scores_with", "the products, not summed", lambda: inputs * inputs[3], None),
    Wrong(
        "01.scores_with",
        "rounded to two decimals by hand",
        lambda: torch.tensor([0.48, 0.84, 0.83, 0.49, 0.35, 0.66]),
        "rounded",
    ),
    Wrong(
        "01.scores_no_matmul",
        "summed over dim=0",
        lambda: (inputs * query).sum(dim=0),
        "summed_over_tokens",
    ),
    Wrong("01.scores_no_matmul", "forgot to sum", lambda: inputs * query, "forgot_to_sum"),
    Wrong(
        "01.scores_no_matmul",
        "summed everything",
        lambda: (inputs * query).sum(),
        "summed_everything",
    ),
    Wrong(
        "01.scores_no_matmul",
        "keepdim=True",
        lambda: (inputs * query).sum(dim=1, keepdim=True),
        "extra_dimension",
    ),
    Wrong(
        "01.scores_no_matmul",
        "added instead of multiplied",
        lambda: (inputs + query).sum(dim=1),
        "added_not_multiplied",
    ),
    Wrong(
        "01.doubled_starts",
        "doubled the cosine too",
        lambda: _score_and_cosine(starts_doubled) * torch.tensor([1.0, 2.0]),
        "doubled_cosine",
    ),
    Wrong(
        "01.doubled_starts",
        "the original starts",
        lambda: _score_and_cosine(inputs[2]),
        "original_starts",
    ),
    Wrong(
        "01.doubled_starts",
        "the raw dot product as the cosine",
        lambda: _score_and_cosine(starts_doubled, "none"),
        "raw_dot_as_cosine",
    ),
    Wrong(
        "01.doubled_starts",
        "divided by one length",
        lambda: _score_and_cosine(starts_doubled, "one"),
        "divided_by_one_length",
    ),
    Wrong(
        "01.doubled_starts",
        "stacked cosine first",
        lambda: _score_and_cosine(starts_doubled).flip(0),
        "reversed",
    ),
    Wrong("01.predict_largest", '"with" itself', lambda: 3, "itself"),
    Wrong("01.predict_largest", '"starts", the closest direction after journey', lambda: 2, None),
    Wrong(
        "01.predict_largest",
        "the smallest score",
        lambda: int((inputs @ inputs[3]).argmin()),
        "least_similar",
    ),
]
