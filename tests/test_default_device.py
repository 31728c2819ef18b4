"""use_device: a default device whose random draws are the CPU's, and a package that follows it.

No GPU is needed. The "meta" device (shapes without data) stands in for CUDA or MPS: a tensor
made there by mistake cannot be read or mixed with a CPU tensor, so every test below that runs
the package under a meta default device fails at the first tensor the package makes on the
default device where it should have followed its inputs or kept to the CPU.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

import attention_lab
from attention_lab import (
    MultiHeadAttention,
    SelfAttention,
    SelfAttentionParams,
    apply_rope,
    attention,
    attention_tiled,
    check,
    journey_embeddings,
    softmax_naive,
    softmax_stable,
    use_device,
)
from attention_lab.default_device import CpuDrawsDevice, cpu_defaults
from attention_lab.exercises.catalogue import EXERCISES
from attention_lab.kv_cache import KVCache, sliding_window_mask
from attention_lab.tiny_model import TinyTransformer, induction_score


@pytest.fixture(autouse=True)
def back_to_the_cpu(monkeypatch):
    # use_device refuses devices this machine lacks; meta (shapes only) is the test's stand-in.
    checked = attention_lab.default_device.check_device
    monkeypatch.setattr(
        attention_lab.default_device,
        "check_device",
        lambda fn, device: torch.device("meta") if device == "meta" else checked(fn, device),
    )
    yield
    use_device("cpu")
    assert torch.get_default_device().type == "cpu"


def rng_state_after(make) -> torch.Tensor:
    """The CPU generator's state after ``make()`` from seed 0: equal states, equal draws."""
    torch.manual_seed(0)
    make()
    return torch.random.get_rng_state()


DRAWS = {
    "torch.randn": lambda: torch.randn(3, 2),
    "torch.rand": lambda: torch.rand(4),
    "torch.randint": lambda: torch.randint(0, 9, (5,)),
    "torch.randperm": lambda: torch.randperm(6),
    "torch.normal of numbers": lambda: torch.normal(0.0, 1.0, size=(3,)),
    "nn.Linear": lambda: nn.Linear(3, 2),
    "nn.Embedding": lambda: nn.Embedding(4, 3),
    "nn.MultiheadAttention": lambda: nn.MultiheadAttention(4, 2),
    "Tensor.normal_": lambda: torch.empty(3).normal_(),
    "Tensor.uniform_": lambda: torch.empty(3).uniform_(-1, 1),
    "SelfAttentionParams": lambda: SelfAttentionParams(3, 2),
    "MultiHeadAttention": lambda: MultiHeadAttention(4, 4, n_heads=2),
}


@pytest.mark.parametrize("name", list(DRAWS))
def test_a_draw_under_the_device_is_the_cpu_draw_moved_there(name):
    on_cpu = rng_state_after(DRAWS[name])
    with CpuDrawsDevice("meta"):
        made = []
        on_meta = rng_state_after(lambda: made.append(DRAWS[name]()))
    # The CPU generator moved exactly as far as for the same draw on the CPU ...
    assert torch.equal(on_meta, on_cpu)
    # ... and what was made lives on the device.
    (thing,) = made
    tensors = [thing] if isinstance(thing, torch.Tensor) else list(thing.parameters())
    assert tensors and all(t.is_meta for t in tensors)


def test_plain_set_default_device_would_not_draw_on_the_cpu():
    """Why the mode exists: torch's own default device draws on the device (here: nothing)."""
    untouched = rng_state_after(lambda: None)
    with torch.device("meta"):
        assert torch.equal(rng_state_after(lambda: torch.randn(3, 2)), untouched)
    with CpuDrawsDevice("meta"):
        assert not torch.equal(rng_state_after(lambda: torch.randn(3, 2)), untouched)


def test_a_leaf_that_requires_grad_stays_one_after_the_move():
    with CpuDrawsDevice("meta"):
        w = torch.randn(3, 2, requires_grad=True)
    assert w.is_meta and w.is_leaf and w.requires_grad


def test_an_explicit_device_or_a_device_generator_is_obeyed():
    with RoutedOnTheCpu("cpu"):  # a *_like draw asked for on a device stays there
        assert torch.rand_like(torch.ones(2, device="meta"), device="cpu").device.type == "cpu"
    with CpuDrawsDevice("meta"):
        assert torch.randn(2, device="cpu").device.type == "cpu"
        assert torch.zeros(2).is_meta  # other factories: the default device, as torch does
        assert torch.randn(2, generator=torch.Generator()).is_meta  # a CPU generator: moved


def test_use_device_names_the_default_and_replaces_an_earlier_choice():
    assert use_device("meta") == torch.device("meta")
    assert torch.get_default_device().type == "meta"
    assert torch.empty(1).is_meta
    use_device("meta")  # a cell run twice stacks nothing
    stack = torch.overrides._get_current_function_mode_stack()
    assert sum(isinstance(mode, CpuDrawsDevice) for mode in stack) == 1
    assert use_device("cpu") == torch.device("cpu")
    assert not torch.empty(1).is_meta
    assert not torch.overrides._get_current_function_mode_stack()  # nothing left on the CPU


def test_use_device_picks_like_pick_device_and_checks_its_argument(monkeypatch):
    monkeypatch.setenv("ATTENTION_LAB_DEVICE", "cpu")
    assert use_device() == torch.device("cpu")
    with pytest.raises(ValueError, match="use_device: device must name a device"):
        use_device("gpu")
    with pytest.raises(TypeError, match=r"use_device: device must be a torch\.device"):
        use_device(3)


def test_cpu_defaults_sets_the_device_aside_for_a_block_only():
    use_device("meta")
    with cpu_defaults():
        assert not torch.empty(1).is_meta
    assert torch.empty(1).is_meta


# The package under a meta default device, given CPU tensors: everything must still compute.


def cpu_inputs():
    with cpu_defaults():
        gen = torch.Generator().manual_seed(0)
        return journey_embeddings(), *(torch.randn(2, 6, 4, generator=gen) for _ in range(3))


def test_the_math_follows_its_inputs_not_the_default_device():
    x, q, k, v = cpu_inputs()
    with cpu_defaults():
        modules = [SelfAttention(3, 2, causal=True), SelfAttentionParams(3, 2)]
        mha = MultiHeadAttention(4, 4, n_heads=2, n_kv_heads=1, causal=True)
        tiny = TinyTransformer(vocab_size=8, d_model=8, n_heads=2, context_length=6)
    use_device("meta")
    tiled = attention_tiled(q.requires_grad_(), k, v, causal=True, block_q=2, block_k=2)
    tiled.sum().backward()  # the backward pass's own tensors too
    outputs = [
        tiled,
        q.grad,
        softmax_naive(q),
        softmax_stable(q),
        *attention(q, k, v, causal=True, dropout_p=0.5, generator=torch.Generator()),
        apply_rope(q),
        sliding_window_mask(6, 2, device=q.device),
        *(module(x) for module in modules),
        mha(q),
        *tiny(torch.tensor([1, 2, 3, 1, 2, 3], device="cpu")[None]),
    ]
    outputs += [*KVCache().append(k, v)]
    outputs.append(
        induction_score(outputs[-3][None], torch.tensor([[1, 2, 3, 1, 2, 3]], device="cpu"))
    )
    assert all(not t.is_meta for t in outputs)


@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_check_works_whatever_the_default_device(exercise_id, capsys):
    """The reference is correct, and a wrong answer gets the reply it gets on the CPU."""
    reference = EXERCISES[exercise_id].reference()
    wrong = reference * 2 + 1 if isinstance(reference, torch.Tensor | float | int) else None
    check(exercise_id, wrong)
    on_cpu = capsys.readouterr().out
    use_device("meta")
    check(exercise_id, reference)
    assert capsys.readouterr().out == f"{exercise_id}: correct!\n"
    check(exercise_id, wrong)
    assert capsys.readouterr().out == on_cpu


def test_every_explorer_builds_and_moves_whatever_the_default_device(explorers):
    from attention_lab.widgets import EXAMPLES

    use_device("meta")
    assert EXAMPLES
    for name, make in EXAMPLES.items():
        explorer = make()
        explorers.append(explorer)
        slider = next(c for c in explorer.controls.values() if hasattr(c, "step"))
        slider.value = slider.max if slider.value != slider.max else slider.min
        assert explorer.message.value == "", (name, explorer.message.value)


def test_an_explorer_step_called_from_a_notebook_answers_on_the_cpu():
    from attention_lab.widgets import causal_step, heads_step, heads_weights

    with cpu_defaults():
        x, weights = journey_embeddings(), heads_weights(3)
    use_device("meta")
    step = heads_step(x, weights, 3, 2.0)
    assert step.largest.numpy().shape == (3,)  # a CPU tensor, which .numpy() can read
    assert not causal_step(x, True, 0.5, seed=0).attn_weights.is_meta


def test_every_picture_draws_whatever_the_default_device(agg_backend):
    import matplotlib.pyplot as plt
    from test_dataflow import projection_inputs
    from test_plots import every_picture

    from attention_lab.plots import (
        plot_causal_masking,
        plot_qkv_projection,
        plot_score_spread,
        plot_tile_walk,
    )

    with cpu_defaults():
        pictures, (x, W_q, W_k, W_v) = every_picture()[:-1], projection_inputs()
        raw = torch.randn(100)
    assert pictures
    pictures += [
        lambda ax: plot_score_spread(raw, raw / 3, ax=ax),
        lambda ax: plot_qkv_projection(x, W_q, W_k, W_v, tokens=list("abcdef"), ax=ax),
        lambda ax: plot_causal_masking(x @ x.T, list("abcdef")),
        lambda ax: plot_tile_walk(256, 64, 64, block_q=64, block_k=64),
    ]
    use_device("meta")
    for draw in pictures:
        _, ax = plt.subplots()
        draw(ax)
        plt.close("all")


class RoutedOnTheCpu(CpuDrawsDevice):
    """The mode's detours taken even though the device is the CPU: values can be compared."""

    def detours(self, tensor) -> bool:
        return True


ROUTED = {
    **DRAWS,
    "F.dropout": lambda: F.dropout(torch.ones(4, 4), 0.5),
    "F.dropout in place": lambda: F.dropout(torch.ones(4, 4), 0.5, inplace=True),
    "F.dropout in evaluation": lambda: F.dropout(torch.ones(4, 4), 0.5, training=False),
    "nn.Dropout": lambda: nn.Dropout(0.3)(torch.ones(8)),
    "torch.bernoulli": lambda: torch.bernoulli(torch.full((6,), 0.5)),
    "torch.multinomial": lambda: torch.multinomial(torch.ones(5), 3),
    "torch.randn_like": lambda: torch.randn_like(torch.ones(3)),
    "Tensor.bernoulli_": lambda: torch.ones(5).bernoulli_(0.5),
    "attention with dropout": lambda: attention(*torch.ones(3, 2, 4).unbind(), dropout_p=0.5)[1],
    "SDPA with dropout": lambda: F.scaled_dot_product_attention(
        *torch.ones(3, 2, 4), dropout_p=0.5
    ),
    "nn.MultiheadAttention with dropout": lambda: nn.MultiheadAttention(4, 2, dropout=0.5)(
        *torch.ones(3, 3, 4), need_weights=False
    )[0],
    "torch.dropout": lambda: torch.dropout(torch.ones(6), 0.5, True),
    "F.rrelu": lambda: F.rrelu(torch.full((6,), -1.0), training=True),
    "F.gumbel_softmax": lambda: F.gumbel_softmax(torch.zeros(2, 5)),
    "torch.rand into out": lambda: torch.rand(4, out=torch.empty(4)),
    "torch.randn_like, requires_grad": lambda: torch.randn_like(torch.ones(3), requires_grad=True),
    "Tensor.bernoulli_ of tensor p": lambda: torch.ones(5).bernoulli_(torch.full((5,), 0.5)),
}


@pytest.mark.parametrize("name", list(ROUTED))
def test_the_detour_through_the_cpu_gives_the_very_numbers_of_the_cpu(name):
    torch.manual_seed(5)
    plain = ROUTED[name]()
    with RoutedOnTheCpu("cpu"):
        torch.manual_seed(5)
        routed = ROUTED[name]()
    for a, b in zip(*(
        [t] if isinstance(t, torch.Tensor) else list(t.parameters()) for t in (plain, routed)
    ), strict=True):  # fmt: skip
        assert torch.equal(a, b)
        assert (a.requires_grad, a.is_leaf) == (b.requires_grad, b.is_leaf)


@pytest.mark.parametrize("name", list(ROUTED))
def test_each_draw_takes_the_detour_and_nothing_else_does(name, monkeypatch):
    import attention_lab.default_device as dd

    taken = []
    for helper in ("_run_on_cpu", "_fill_on_cpu", "_draw_into"):
        original = getattr(dd, helper)
        monkeypatch.setattr(
            dd, helper, lambda *a, _f=original, _h=helper: taken.append(_h) or _f(*a)
        )
    draw_new = dd.CpuDrawsDevice._draw_new
    monkeypatch.setattr(
        dd.CpuDrawsDevice,
        "_draw_new",
        lambda self, *a: taken.append("_draw_new") or draw_new(self, *a),
    )
    with RoutedOnTheCpu("cpu"):
        ROUTED[name]()
    if name == "F.dropout in evaluation":
        assert taken == []  # nothing is drawn, so nothing is moved
    elif name == "attention with dropout":
        assert taken == []  # the package's attention draws its mask on the CPU itself
    else:
        assert taken, f"{name} drew on the device's own generator"


def test_the_package_exports_use_device():
    assert "use_device" in attention_lab.__all__
    assert attention_lab.use_device is use_device
    assert F.dropout  # the functional module the mode watches is the one torch uses
