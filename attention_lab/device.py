"""Where tensors live: CUDA, then Apple MPS, then the CPU, unless ATTENTION_LAB_DEVICE says otherwise."""

from __future__ import annotations

import os
import platform

import torch

from ._checks import check_device, device_available

ENV_VAR = "ATTENTION_LAB_DEVICE"
#: Where the package computes what must not depend on the device: float64 angles, seeded draws.
CPU = torch.device("cpu")


def pick_device() -> torch.device:
    """The best device available: CUDA, then Apple MPS, then CPU.

    Set ``ATTENTION_LAB_DEVICE`` (e.g. ``cpu``, ``cuda``, ``cuda:1``, ``mps``) to choose one; asking
    for a device this machine lacks is an error rather than a silent fall-back.
    """
    requested = os.environ.get(ENV_VAR, "").strip()
    if requested:
        try:
            device = torch.device(requested)
        except RuntimeError:
            raise ValueError(
                f"pick_device: {ENV_VAR}={requested!r} is not a device name; "
                "expected one of cpu, cuda, cuda:N, mps"
            ) from None
        if not device_available(device):
            raise ValueError(
                f"pick_device: {ENV_VAR}={requested!r} but no such device is available"
            )
        return device
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def to_cpu(t: torch.Tensor) -> torch.Tensor:
    """A plain CPU tensor for printing: no grad, no Parameter wrapper, no device in its repr.

    Printing ``to_cpu(x)`` looks the same whichever device x lives on, which is what keeps the
    stored notebook outputs identical on a laptop, a GPU box and Colab.
    """
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"to_cpu: t must be a torch.Tensor, got {type(t).__name__}")
    if t.is_meta:
        raise ValueError(
            f"to_cpu: t must hold values, got a meta tensor of shape {tuple(t.shape)} "
            "(a shape without data)"
        )
    try:
        return t.detach().cpu().clone()
    except (NotImplementedError, RuntimeError):  # dtypes torch stores but cannot copy (float4)
        raise TypeError(
            f"to_cpu: t has dtype {t.dtype}, which torch cannot copy; expected a tensor of a "
            "dtype torch computes with, such as torch.float32"
        ) from None


def describe_environment(device: torch.device | str | None = None) -> str:
    """One line per fact: device, Python, torch. For the one notebook cell whose output may vary."""
    device = pick_device() if device is None else check_device("describe_environment", device)
    name = device.type
    if device.type == "cuda":
        name += f" ({torch.cuda.get_device_name(device)})"
    return "\n".join(
        [
            f"device: {name}",
            f"python: {platform.python_version()}",
            f"torch:  {torch.__version__}",
        ]
    )
