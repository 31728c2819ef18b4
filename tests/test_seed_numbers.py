"""Every number the source documents print appears, digit for digit, in a stored notebook output.

nbval re-computes those outputs on every run; this test makes sure the numbers it re-checks are
the ones the collection promises, in the notebook that teaches them (both editions).
"""

import json
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

# What the source documents print, as torch prints it, by the notebook that reproduces it.
SEED_NUMBERS = {
    "01_dot_product_scores": [
        "tensor([0.9544, 1.4950, 1.4754, 0.8434, 0.7070, 1.0865])",
        "6",
    ],
    "02_normalizing_scores": [
        "tensor(6.5617)",
        "Attention weights: tensor([0.1455, 0.2278, 0.2249, 0.1285, 0.1077, 0.1656])",
        "Sum: tensor(1.0000)",
        "Attention weights: tensor([0.1385, 0.2379, 0.2333, 0.1240, 0.1082, 0.1581])",
        "Sum: tensor(1.)",
    ],
    "03_context_vectors": ["Context vector: tensor([0.4419, 0.6515, 0.5683])"],
    "04_trainable_weights": [
        "tensor([[-0.1115,  0.1204],\n        [-0.3696, -0.2404],\n        [-1.1969,  0.2093]])",
        "tensor([[-0.9724, -0.7550],\n        [ 0.3239, -0.1085],\n        [ 0.2103, -0.3908]])",
        "tensor([[ 0.2350,  0.6653],\n        [ 0.3528,  0.9728],\n        [-0.0386, -0.8861]])",
        "query_2: tensor([-1.1729, -0.0048])",
        "key_2: tensor([-0.1142, -0.7676])",
        "value_2: tensor([0.4107, 0.6274])",
        "tensor([[-0.1823, -0.6888],\n        [-0.1142, -0.7676],\n        [-0.1443, -0.7728],\n"
        "        [ 0.0434, -0.3580],\n        [-0.6467, -0.6476],\n        [ 0.3262, -0.3395]])",
        "tensor([[ 0.1196, -0.3566],\n        [ 0.4107,  0.6274],\n        [ 0.4091,  0.6390],\n"
        "        [ 0.2436,  0.4182],\n        [ 0.2653,  0.6668],\n        [ 0.2728,  0.3242]])",
        "attn_scores: tensor([ 0.2172,  0.1376,  0.1730, -0.0491,  0.7616, -0.3809])",
    ],
    "05_scaled_attention": [
        "Q: tensor([[1.0000, 0.0000],\n        [0.0000, 1.0000],\n        [0.5000, 0.5000]])",
        "K: tensor([[1.0000, 0.0000],\n        [0.0000, 1.0000],\n        [0.5000, 0.5000]])",
        "V: tensor([[1.0000, 0.0000],\n        [0.0000, 1.0000],\n        [0.5000, 0.5000]])",
        "tensor([[0.7071, 0.0000, 0.3536],\n        [0.0000, 0.7071, 0.3536],\n"
        "        [0.3536, 0.3536, 0.3536]])",
        "tensor([[0.4555, 0.2246, 0.3199],\n        [0.2246, 0.4555, 0.3199],\n"
        "        [0.3333, 0.3333, 0.3333]])",
        "tensor([[0.6155, 0.3845],\n        [0.3845, 0.6155],\n        [0.5000, 0.5000]])",
    ],
}


def stored_outputs(path: Path) -> list[str]:
    """The text of every output of the notebook's code cells, as stored."""
    parts = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            text = output.get("text") or output.get("data", {}).get("text/plain", "")
            parts.append("".join(text) if isinstance(text, list) else text)
    return parts


CASES = [
    pytest.param(folder, stem, number, id=f"{folder or 'en'}/{stem}:{number[:28]}")
    for folder in ("", "vi")
    for stem, numbers in SEED_NUMBERS.items()
    for number in numbers
]


@pytest.mark.parametrize(("folder", "stem", "number"), CASES)
def test_seed_number_is_in_the_stored_outputs(folder, stem, number):
    outputs = stored_outputs(NOTEBOOKS / folder / f"{stem}.ipynb")
    # A short number ("6") must be a whole output; a longer one may sit among other lines.
    assert any(number == o.strip() or (len(number) > 3 and number in o) for o in outputs)
