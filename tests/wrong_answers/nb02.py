"""Wrong answers to notebook 02's exercises, as a learner would compute them."""

from __future__ import annotations

import math

import torch

from attention_lab import journey_embeddings

from . import Wrong

attn_scores_neg = torch.tensor([2.0, -1.0, 0.5])
attn_scores_big = torch.tensor([1000.0, 1001.0, 1002.0])
inputs = journey_embeddings()
attn_scores_2 = inputs @ inputs[1]  # (6,)
FLOAT32_EXP_LIMIT = math.log(torch.finfo(torch.float32).max)  # 88.72


WRONG = [
    Wrong(
        "02.softmax",
        "divide by the sum",
        lambda: attn_scores_neg / attn_scores_neg.sum(),
        "divided_by_sum",
    ),
    Wrong(
        "02.softmax",
        "forgot to normalize",
        lambda: torch.exp(attn_scores_neg),
        "forgot_to_normalize",
    ),
    Wrong(
        "02.softmax",
        "divided by exp of the sum",
        lambda: torch.exp(attn_scores_neg) / torch.exp(attn_scores_neg.sum()),
        "exp_of_sum",
    ),
    Wrong(
        "02.softmax",
        "exp over the sum of scores",
        lambda: torch.exp(attn_scores_neg) / attn_scores_neg.sum(),
        "exp_over_score_sum",
    ),
    Wrong("02.softmax", "rounded by hand", lambda: torch.tensor([0.79, 0.04, 0.18]), "rounded"),
    Wrong(
        "02.stable",
        "the naive formula",
        lambda: torch.exp(attn_scores_big) / torch.exp(attn_scores_big).sum(),
        "overflow",
    ),
    Wrong(
        "02.stable",
        "subtracted the max, forgot the sum",
        lambda: torch.exp(attn_scores_big - attn_scores_big.max()),
        "forgot_to_normalize",
    ),
    Wrong(
        "02.stable",
        "divided by the max",
        lambda: (
            torch.exp(attn_scores_big / attn_scores_big.max())
            / torch.exp(attn_scores_big / attn_scores_big.max()).sum()
        ),
        "divided_by_max",
    ),
    Wrong(
        "02.overflow_factor",
        "float64's threshold",
        lambda: math.log(torch.finfo(torch.float64).max) / attn_scores_2.max().item(),
        "float64_threshold",
    ),
    Wrong(
        "02.overflow_factor",
        "float16's threshold",
        lambda: math.log(torch.finfo(torch.float16).max) / attn_scores_2.max().item(),
        "float16_threshold",
    ),
    Wrong(
        "02.overflow_factor",
        "from the smallest score",
        lambda: FLOAT32_EXP_LIMIT / attn_scores_2.min().item(),
        "smallest_score",
    ),
    Wrong(
        "02.overflow_factor",
        "forgot to divide by the score",
        lambda: FLOAT32_EXP_LIMIT,
        "forgot_to_divide",
    ),
    Wrong("02.predict_float16", "every weight nan", lambda: 6, "all_nan"),
    Wrong("02.predict_float16", "only the largest is nan", lambda: 1, "one_nan"),
    Wrong("02.predict_float16", "the two largest", lambda: 2, None),
]
