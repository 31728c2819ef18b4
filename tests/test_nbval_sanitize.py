"""nbval's sanitizers remove only what is machine-specific: addresses and a GPU's device suffix."""

from __future__ import annotations

import re
from pathlib import Path

from nbval.plugin import get_sanitize_patterns

CONFIG = Path(__file__).with_name("nbval_sanitize.cfg")


def sanitize(text: str) -> str:
    patterns = get_sanitize_patterns(CONFIG.read_text())
    assert len(patterns) == 2, f"expected the address and device rules, found {patterns}"
    for regex, replace in patterns:
        text = re.sub(regex, replace, text)
    return text


def test_a_cuda_repr_reads_as_the_cpu_one():
    cpu = "tensor([[0.4555, 0.2246, 0.3199]])"
    cuda = "tensor([[0.4555, 0.2246, 0.3199]], device='cuda:0')"
    assert sanitize(cuda) == cpu
    assert sanitize("tensor([1.], device='mps:0', dtype=torch.float16)") == (
        "tensor([1.], dtype=torch.float16)"
    )


def test_numbers_and_other_text_are_left_alone():
    text = "Attention weights: tensor([0.1385, 0.2379]) on device='cpu' (cuda:0 in prose)"
    assert sanitize(text) == text
    assert sanitize("<object at 0x7f3a2b1c9d80>") == "<object at 0xADDRESS>"
