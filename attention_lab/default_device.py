"""One line to put a notebook on the GPU: a default device whose random numbers come from the CPU.

``device = use_device()`` makes the best device (``pick_device``) the place where new tensors and
modules are made, as ``torch.set_default_device`` does, so a notebook's cells never say
``.to(device)``. What ``torch.set_default_device`` alone would change is the random numbers:
CUDA and MPS have generators of their own, and ``torch.manual_seed(123); torch.randn(3, 2)``
drawn there is not the matrix the source material prints. So here every random draw without an
explicit device (``torch.randn``, ``nn.Linear``'s initialisation, dropout, sampling) is made on
the CPU, from the CPU's generator, and the result is moved to the device: the same numbers on
every machine, and the same stored outputs.

On a machine whose best device is the CPU nothing is installed at all: the defaults are torch's.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator
from typing import TypeVar

import torch
import torch.nn.functional as F
from torch.utils._device import DeviceContext
from torch.utils._pytree import tree_map

from ._checks import check_device
from .device import CPU, pick_device

_F = TypeVar("_F", bound=Callable)

#: Make a new tensor from nothing but sizes: drawn on the CPU, then moved.
_RANDOM_FACTORIES = {torch.rand, torch.randn, torch.randint, torch.randperm}

#: Fill a tensor in place at random: the numbers are drawn into a CPU copy, then copied over.
_RANDOM_FILLS = {
    *(getattr(torch.Tensor, name) for name in ("uniform_", "normal_", "bernoulli_", "random_")),
    *(getattr(torch.Tensor, name) for name in ("exponential_", "geometric_", "cauchy_")),
    torch.Tensor.log_normal_,
}
#: nn.init's fills, which modules call when they are built; each runs as one call under the mode.
_INIT_FILLS = {
    torch.nn.init.uniform_,
    torch.nn.init.normal_,
    torch.nn.init.trunc_normal_,
    torch.nn.init.xavier_uniform_,
    torch.nn.init.xavier_normal_,
    torch.nn.init.kaiming_uniform_,
    torch.nn.init.kaiming_normal_,
    torch.nn.init.orthogonal_,
    torch.nn.init.sparse_,
}
#: Draw at random for the tensors they are given: run on CPU copies, the result moved back.
_RANDOM_FROM_INPUTS = {
    torch.rand_like,
    torch.randn_like,
    torch.randint_like,
    torch.bernoulli,
    torch.multinomial,
    torch.normal,
    torch.poisson,
    torch.Tensor.bernoulli,
    torch.Tensor.multinomial,
}


def _sdpa_signature(
    query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False
): ...  # F.scaled_dot_product_attention's, which a built-in function does not carry


def _given(func, args: tuple, kwargs: dict) -> dict:
    """The arguments of a call by name, defaults filled in."""
    signature_of = _sdpa_signature if func is F.scaled_dot_product_attention else func
    bound = inspect.signature(signature_of).bind(*args, **kwargs)
    bound.apply_defaults()
    return bound.arguments


def _training(given: dict) -> bool:
    return bool(given["training"]) and given["p"] > 0


#: Draw only in some calls (dropout while training, say), each named with the test for it;
#: otherwise they are left where they are, and nothing is moved.
_SOMETIMES_RANDOM = {
    F.dropout: _training,
    F.dropout1d: _training,
    F.dropout2d: _training,
    F.dropout3d: _training,
    F.alpha_dropout: _training,
    F.feature_alpha_dropout: _training,
    F.rrelu: lambda given: bool(given["training"]),
    F.gumbel_softmax: lambda given: True,
    F.scaled_dot_product_attention: lambda given: given["dropout_p"] > 0,
    F.multi_head_attention_forward: lambda given: (
        bool(given["training"]) and given["dropout_p"] > 0
    ),
}


_MAY_DRAW = frozenset(
    {
        *_RANDOM_FACTORIES,
        *_RANDOM_FILLS,
        *_INIT_FILLS,
        *_RANDOM_FROM_INPUTS,
        *_SOMETIMES_RANDOM,
        torch.normal,
        torch.dropout,
    }
)


class CpuDrawsDevice(DeviceContext):
    """torch's default-device mode, with every random draw made on the CPU and then moved.

    A subclass of the mode behind ``torch.set_default_device``, so ``torch.get_default_device()``
    names it and ``with torch.device("cpu"):`` still sets it aside for a block.
    """

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        # Every torch call passes here: look at the arguments only for the calls that draw.
        if func in _MAY_DRAW and _draws_on_cpu(kwargs):
            tensors = _tensors(args, kwargs)
            elsewhere = [t for t in tensors if self.detours(t)]
            if func in _RANDOM_FACTORIES or (func is torch.normal and not tensors):
                # torch.normal(0.0, 1.0, size) is a factory in all but name
                out = kwargs.get("out")
                if kwargs.get("device") is None and out is None and self.detours(None):
                    return self._draw_new(func, args, kwargs)
                if out is not None and self.detours(out):
                    return _draw_into(func, args, kwargs)
            elif (func in _RANDOM_FILLS or func in _INIT_FILLS) and elsewhere:
                return _fill_on_cpu(func, args, kwargs)
            elif func in _RANDOM_FROM_INPUTS and elsewhere and kwargs.get("device") is None:
                return _run_on_cpu(func, args, kwargs, elsewhere[0].device)
            elif func is torch.dropout and elsewhere and args[2] and args[1] > 0:
                return _run_on_cpu(func, args, kwargs, elsewhere[0].device)  # (input, p, train)
            elif func in _SOMETIMES_RANDOM and elsewhere:
                given = _given(func, args, kwargs)
                if _SOMETIMES_RANDOM[func](given):
                    return _sometimes_on_cpu(func, args, kwargs, given, elsewhere[0].device)
        return super().__torch_function__(func, types, args, kwargs)

    def detours(self, tensor: torch.Tensor | None) -> bool:
        """Whether a draw for ``tensor`` (None: a new one, on this device) goes through the CPU."""
        device = self.device if tensor is None else tensor.device
        return device.type != "cpu"

    def _draw_new(self, func, args, kwargs):
        requires_grad = kwargs.pop("requires_grad", False)
        kwargs["device"] = CPU
        drawn = func(*args, **kwargs).to(self.device)
        # Moving made a copy; the caller asked for a leaf that requires grad, so give it one.
        return drawn.requires_grad_(requires_grad)


def use_device(device: torch.device | str | None = None) -> torch.device:
    """Make ``device`` (default: ``pick_device()``) where new tensors and modules go; return it.

    Random draws stay on the CPU (see the module's docstring), so a seed gives the same numbers on
    every device. Calling it again replaces the earlier choice; ``use_device("cpu")`` undoes it.
    """
    device = pick_device() if device is None else check_device("use_device", device)
    torch.set_default_device(None)  # leave any earlier choice, ours or torch's
    if device.type != "cpu":
        mode = CpuDrawsDevice(device)
        mode.__enter__()
        # Where torch.set_default_device keeps its mode, so the next call to either replaces it.
        torch._GLOBAL_DEVICE_CONTEXT.device_context = mode
    return device


@contextlib.contextmanager
def cpu_defaults() -> Iterator[None]:
    """Inside the block new tensors are made on the CPU, whatever ``use_device`` chose.

    For the package's own small computations (explorers, exercise checks), which work on CPU
    copies of what they are given and would otherwise mix devices.
    """
    if getattr(torch._GLOBAL_DEVICE_CONTEXT, "device_context", None) is None:
        yield  # no default device is set: the CPU already is the default, and costs nothing
        return
    with CPU:  # torch.device as a block: sets the default mode aside, then puts it back
        yield


def on_cpu(func: _F) -> _F:
    """``func`` run inside ``cpu_defaults()``."""

    @functools.wraps(func)
    def run_on_cpu(*args, **kwargs):
        with cpu_defaults():
            return func(*args, **kwargs)

    return run_on_cpu  # type: ignore[return-value]


def _draws_on_cpu(kwargs: dict) -> bool:
    """No generator was given, or a CPU one: one that lives on another device draws there."""
    generator = kwargs.get("generator")
    return generator is None or generator.device.type == "cpu"


def _tensors(args: tuple, kwargs: dict) -> list[torch.Tensor]:
    found: list[torch.Tensor] = []
    tree_map(lambda a: found.append(a) if isinstance(a, torch.Tensor) else None, (args, kwargs))
    return found


def _to_cpu(tree):
    return tree_map(lambda a: a.cpu() if isinstance(a, torch.Tensor) else a, tree)


def _run_on_cpu(func, args, kwargs, device: torch.device):
    """``func`` on CPU copies of its tensors; its tensor results moved to ``device`` (autograd follows)."""
    kwargs = dict(kwargs)
    requires_grad = kwargs.pop("requires_grad", False)  # randn_like(x, requires_grad=True)
    on_cpu_args, on_cpu_kwargs = _to_cpu((args, kwargs))
    result = func(*on_cpu_args, **on_cpu_kwargs)
    result = tree_map(lambda r: r.to(device) if isinstance(r, torch.Tensor) else r, result)
    # Moving made a copy; a caller who asked for a leaf that requires grad gets one.
    return result.requires_grad_() if requires_grad else result


def _sometimes_on_cpu(func, args, kwargs, given: dict, device: torch.device):
    """A call that draws this time, run on the CPU; an in-place one also changes its input."""
    result = _run_on_cpu(func, args, kwargs, device)
    if given.get("inplace"):  # the CPU copy was changed in place; the caller's tensor must be too
        return given["input"].copy_(result)
    return result


def _draw_into(func, args, kwargs):
    """``torch.rand(..., out=t)`` with ``t`` on a device: drawn on the CPU, then copied into t."""
    kwargs = dict(kwargs)
    out = kwargs.pop("out")
    drawn = func(*args, **kwargs, dtype=out.dtype, device=CPU)
    return out.resize_(drawn.shape).copy_(drawn)


def _fill_on_cpu(func, args, kwargs):
    """An in-place random fill of a tensor made in a CPU copy, then copied into it."""
    if args:  # a tensor method, or a function given its tensor by position
        target = args[0]
        rest, rest_kwargs = _to_cpu((args[1:], kwargs))  # bernoulli_(p) with p a tensor
        fill = lambda scratch: func(scratch, *rest, **rest_kwargs)  # noqa: E731
    else:  # nn.init hands its tensor over by name ("tensor")
        name = next(iter(inspect.signature(func).parameters))
        target, fill = kwargs[name], lambda scratch: func(**{**kwargs, name: scratch})
    scratch = torch.empty_like(target, device=CPU)  # every fill overwrites it all
    fill(scratch)
    if func in _INIT_FILLS:  # nn.init fills parameters, which it does under no_grad
        with torch.no_grad():
            target.copy_(scratch)
    else:  # a tensor method: an in-place change that autograd sees, or refuses, as torch would
        target.copy_(scratch)
    return target


__all__ = ["CpuDrawsDevice", "cpu_defaults", "on_cpu", "use_device"]
