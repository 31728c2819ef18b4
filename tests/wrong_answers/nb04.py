"""Wrong answers to notebook 04's exercises, as a learner would compute them."""

from __future__ import annotations

import torch

from attention_lab import journey_embeddings

from . import Wrong

x = journey_embeddings()  # (6, 3)
d_in = 3


def _draws(shape: tuple[int, int], draw=torch.randn, seed: int | None = 123) -> list[torch.Tensor]:
    if seed is not None:
        torch.manual_seed(seed)
    return [draw(*shape) for _ in range(3)]


def _context_2(scale: float, mix: str = "values") -> torch.Tensor:
    torch.manual_seed(123)
    W_query_4, W_key_4, W_value_4 = (torch.randn(d_in, 4) for _ in range(3))
    query_2, keys = x[1] @ W_query_4, x @ W_key_4  # (4,), (6, 4)
    weights = torch.softmax(query_2 @ keys.T * scale, dim=-1)  # (6,)
    return weights @ (x @ (W_value_4 if mix == "values" else W_key_4))  # (4,)


def _linear_layer() -> torch.nn.Linear:
    torch.manual_seed(0)
    return torch.nn.Linear(d_in, d_in, bias=False)


WRONG = [
    Wrong("04.W_key", "torch.rand", lambda: _draws((3, 4), torch.rand)[1], "rand_not_randn"),
    Wrong("04.W_key", "the first draw", lambda: _draws((3, 4))[0], "wrong_seed_order"),
    Wrong("04.W_key", "the third draw", lambda: _draws((3, 4))[2], "third_draw"),
    Wrong("04.W_key", "shape (4, 3)", lambda: _draws((4, 3))[1], "transposed_shape"),
    Wrong("04.W_key", "forgot the seed", lambda: _draws((3, 4), seed=7)[1], None),
    Wrong("04.W_key", "transposed the right draw", lambda: _draws((3, 4))[1].T, "transposed"),
    Wrong("04.context_2", "divided by d_k", lambda: _context_2(1 / 4), "divided_by_d_k"),
    Wrong("04.context_2", "the old d_k = 2", lambda: _context_2(1 / 2**0.5), "scale_of_d_out_2"),
    Wrong("04.context_2", "unscaled", lambda: _context_2(1.0), "unscaled"),
    Wrong("04.context_2", "mixed the keys", lambda: _context_2(0.5, mix="keys"), "keys_as_values"),
    Wrong(
        "04.linear_queries",
        "x @ W, no transpose",
        lambda: x @ _linear_layer().weight.detach(),
        "missing_transpose",
    ),
    Wrong(
        "04.linear_queries", "W @ x.T", lambda: _linear_layer().weight.detach() @ x.T, "transposed"
    ),
    Wrong("04.predict_params", "one matrix", lambda: 6, "one_matrix"),
    Wrong("04.predict_params", "W_q and W_k only", lambda: 12, "no_values"),
    Wrong("04.predict_params", "with biases", lambda: 24, "with_bias"),
    Wrong("04.predict_params", "square matrices", lambda: 27, "square"),
]
