"""The worked examples and the device choice."""

import pytest
import torch

from attention_lab import (
    CAT_SAT_TOKENS,
    JOURNEY_TOKENS,
    cat_sat_embeddings,
    describe_environment,
    journey_embeddings,
    pick_device,
    to_cpu,
)
from attention_lab.device import ENV_VAR


def test_examples_have_one_row_per_token():
    assert journey_embeddings().shape == (len(JOURNEY_TOKENS), 3)
    assert cat_sat_embeddings().shape == (len(CAT_SAT_TOKENS), 2)
    assert JOURNEY_TOKENS[1] == "journey"
    assert CAT_SAT_TOKENS == ("The", "cat", "sat")


def test_examples_are_fresh_tensors_in_the_requested_dtype():
    x = journey_embeddings(dtype=torch.float64)
    assert x.dtype == torch.float64
    x[0, 0] = 100.0
    assert journey_embeddings()[0, 0].item() == pytest.approx(0.43)


def test_pick_device_defaults_to_the_best_available(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    expected = (
        "cuda"
        if torch.cuda.is_available()
        else "mps"
        if torch.backends.mps.is_available()
        else "cpu"
    )
    assert pick_device().type == expected


def test_pick_device_follows_the_environment_variable(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "cpu")
    assert pick_device() == torch.device("cpu")


@pytest.mark.parametrize("value", ["gpu", "cuda:99", "tpu"])
def test_pick_device_rejects_unknown_or_missing_devices(monkeypatch, value):
    monkeypatch.setenv(ENV_VAR, value)
    with pytest.raises(ValueError, match=ENV_VAR):
        pick_device()


def test_to_cpu_prints_a_plain_tensor():
    p = torch.nn.Parameter(torch.ones(2))
    shown = repr(to_cpu(p * 2))
    assert shown == "tensor([2., 2.])"
    assert "Parameter" not in repr(to_cpu(p))


def test_describe_environment_names_device_and_versions(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "cpu")
    text = describe_environment()
    assert text.splitlines()[0] == "device: cpu"
    assert torch.__version__ in text
