"""The maintainer tools that keep stored outputs honest, on tiny notebooks built here."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from attention_lab.tools import notebook_tools
from attention_lab.tools.notebook_tools import compare, determinism, execute, text_outputs


def stream(text: str, name: str = "stdout"):
    return new_output("stream", name=name, text=text)


def cell(source: str, *outputs, tags=()):
    c = new_code_cell(source, outputs=list(outputs))
    c.metadata["tags"] = list(tags)
    return c


def test_text_outputs_merges_a_split_stream_and_drops_pictures_and_widget_state():
    split = cell("print('a b')", stream("a "), stream("b\n"))
    whole = cell("print('a b')", stream("a b\n"))
    assert text_outputs(split) == text_outputs(whole)
    shown = cell(
        "fig",
        new_output(
            "display_data",
            data={
                "image/png": "iVBOR...",
                "text/plain": "<Figure size 100x100>",
                "application/vnd.jupyter.widget-view+json": {"model_id": "abc"},
            },
        ),
    )
    parts = json.loads(text_outputs(shown))
    assert parts == [{"display_data": {"text/plain": "<Figure size 100x100>"}}]


def test_text_outputs_keeps_errors_and_both_streams_apart():
    c = cell(
        "x",
        stream("out\n"),
        stream("warn\n", "stderr"),
        new_output("error", ename="ValueError", evalue="bad", traceback=[]),
    )
    parts = json.loads(text_outputs(c))
    assert {"stream": "stderr", "text": "warn\n"} in parts
    assert {"error": "ValueError", "value": "bad"} in parts


def test_compare_names_the_first_differing_code_cell_and_skips_ignored_ones():
    stored = new_notebook(
        cells=[
            cell("print(1)", stream("1\n")),
            cell("print(t)", stream("0.12 s\n"), tags=["nbval-ignore-output"]),
            cell("print(2)", stream("2\n")),
        ]
    )
    fresh = new_notebook(
        cells=[
            cell("print(1)", stream("1\n")),
            cell("print(t)", stream("0.31 s\n"), tags=["nbval-ignore-output"]),
            cell("print(2)", stream("3\n")),
        ]
    )
    assert compare(stored, stored) == ""
    difference = compare(stored, fresh)
    assert difference.startswith("code cell 3: ")
    assert "2" in difference and "3" in difference


def write(path, *sources):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Two notebooks, executed once: one always prints the same, one a fresh random number."""
    folder = tmp_path_factory.mktemp("notebooks")
    steady = write(folder / "steady.ipynb", "print(sum(range(10)))")
    random = write(folder / "random.ipynb", "import random\nprint(random.random())")
    for path in (steady, random):
        execute(path)
    return steady, random


def test_execute_stores_outputs_without_timings(executed):
    steady, _ = executed
    code = nbformat.read(steady, as_version=4).cells[0]
    assert code.outputs[0]["text"] == "45\n"
    assert "execution" not in code.metadata


def test_determinism_passes_a_steady_notebook_and_reports_a_changing_one(executed, capsys):
    steady, random = executed
    assert determinism([steady], runs=2) == 0
    assert "1 of 1 notebooks reproduced" in capsys.readouterr().out
    assert determinism([steady, random], runs=1) == 1
    out = capsys.readouterr().out
    assert "1 of 2 notebooks reproduced" in out
    assert f"{random}: run 1, code cell 1: " in out
    assert "differing run saved as" in out


def test_main_refuses_zero_runs():
    with pytest.raises(SystemExit):
        notebook_tools.main(["determinism", "--runs", "0", "x.ipynb"])
