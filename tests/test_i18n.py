"""The message catalogue: both languages for every key, and the language each host gets.

The language follows the notebook (its metadata), never a line of code, so both editions keep
identical code cells. These tests simulate each host: a JupyterLab kernel (JPY_SESSION_NAME), a
kernel started in the notebook's folder (nbval, nbclient), Colab (whose frontend hands over the
notebook), and plain Python (English).
"""

from __future__ import annotations

import ast
import json
import string
import subprocess
import sys
import types
from pathlib import Path

import pytest
from conftest import NOTEBOOKS_DIR, REPO

from attention_lab import i18n
from attention_lab.i18n import LANGUAGES, language, load_catalogue, text, use_language

CATALOGUE = load_catalogue()


@pytest.fixture(autouse=True)
def fresh_detection(monkeypatch):
    """Each test finds the notebook anew, with no override from the environment."""
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    i18n.forget_notebook()
    yield
    i18n.forget_notebook()


def placeholders(words: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(words) if field is not None}


# --- the catalogue ------------------------------------------------------------------------------


def test_every_key_has_every_language_with_the_same_placeholders():
    english = CATALOGUE["en"]
    assert len(english) > 150, "the catalogue holds too few keys: was a module not found?"
    for lang in LANGUAGES:
        assert set(CATALOGUE[lang]) == set(english), f"{lang}: keys differ from English"
    for key, words in english.items():
        for lang in LANGUAGES[1:]:
            other = CATALOGUE[lang][key]
            assert placeholders(other) == placeholders(words), f"{lang} {key}: {other!r}"
            assert (
                (other.strip() and other != words)
                or not any(c.isalpha() for c in words)
                or (key in SAME_IN_BOTH)
            ), f"{lang} {key} is not translated: {other!r}"


#: Keys whose words are the same in both languages: the code names of arguments (dtype, d_k,
#: dropout p, block_m), which a learner types as they read them, and the names of a transformer's
#: parts that Vietnamese keeps (LayerNorm, MLP) beside the symbol x.
SAME_IN_BOTH = {
    "softmax.dtype",
    "scaling.d_k",
    "causal.dropout",
    "programs.control.block_m",
    "programs.control.block_n",
    "plots.block.input",
    "plots.block.layernorm",
    "plots.block.mlp",
    "gqa.figure.n_kv_heads",
    "gqa.figure.mib",
    "backward.control.block_q",
    "backward.control.block_k",
}


def test_a_module_that_repeats_a_key_is_an_error():
    one = types.SimpleNamespace(EN={"a.b": "x"}, VI={"a.b": "y"})
    two = types.SimpleNamespace(EN={"a.b": "z"}, VI={"a.b": "w"})
    assert i18n.merge_tables([("one", one)])["vi"] == {"a.b": "y"}
    with pytest.raises(RuntimeError, match=r"catalogue key 'a\.b' is in both one and two"):
        i18n.merge_tables([("one", one), ("two", two)])


def test_text_fills_the_placeholders_in_each_language():
    assert text("check.correct", exercise="02.softmax") == "02.softmax: correct!"
    with use_language("vi"):
        assert text("check.correct", exercise="02.softmax") == "02.softmax: đúng rồi!"
    with pytest.raises(KeyError, match=r"no catalogue key 'no\.such\.key'"):
        text("no.such.key")
    refused = pytest.raises(ValueError, match=r"use_language: expected a language in")
    with refused, use_language("fr"):
        pass


# --- which language --------------------------------------------------------------------------


def notebook(path: Path, lang: str | None) -> Path:
    metadata = {"language": lang} if lang else {}
    path.write_text(json.dumps({"cells": [], "metadata": metadata, "nbformat": 4}))
    return path


def test_plain_python_speaks_english(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert language() == "en"


def test_a_kernel_in_a_folder_of_vietnamese_notebooks_speaks_vietnamese(tmp_path, monkeypatch):
    # nbval and nbclient (make execute) start the kernel in the notebook's folder.
    notebook(tmp_path / "a.ipynb", "vi")
    notebook(tmp_path / "b.ipynb", "vi")
    monkeypatch.chdir(tmp_path)
    assert language() == "vi"


def test_a_folder_of_mixed_or_undeclared_notebooks_speaks_english(tmp_path, monkeypatch):
    notebook(tmp_path / "a.ipynb", "vi")
    notebook(tmp_path / "b.ipynb", None)
    monkeypatch.chdir(tmp_path)
    assert language() == "en"


def test_jupyterlab_names_the_notebook_and_its_metadata_decides(tmp_path, monkeypatch):
    # Jupyter's server sets JPY_SESSION_NAME to the notebook's path for every kernel it starts;
    # here the folder is mixed, so only the named notebook can decide.
    vietnamese = notebook(tmp_path / "vi.ipynb", "vi")
    notebook(tmp_path / "en.ipynb", None)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JPY_SESSION_NAME", str(vietnamese))
    assert language() == "vi"


def test_the_environment_variable_overrides_the_notebook_and_code_overrides_both(
    tmp_path, monkeypatch
):
    notebook(tmp_path / "a.ipynb", "vi")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    assert language() == "en"
    monkeypatch.setenv(i18n.ENV_VAR, "vi")
    with use_language("en"):
        assert language() == "en"
    assert language() == "vi"
    monkeypatch.setenv(i18n.ENV_VAR, "klingon")
    with pytest.raises(ValueError, match=r"ATTENTION_LAB_LANG: expected a language in"):
        language()


def colab_frontend(monkeypatch, reply):
    """A fake google.colab whose frontend answers get_ipynb with ``reply`` (or raises it)."""
    requests = []

    def blocking_request(kind, request="", timeout_sec=5):
        requests.append(kind)
        if isinstance(reply, Exception):
            raise reply
        return reply

    message = types.ModuleType("google.colab._message")
    message.blocking_request = blocking_request
    colab = types.ModuleType("google.colab")
    colab._message = message
    google = types.ModuleType("google")
    google.colab = colab
    for name, module in (("google", google), ("google.colab", colab)):
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setitem(sys.modules, "google.colab._message", message)
    return requests


def test_on_colab_the_frontend_hands_over_the_notebook_and_its_metadata(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # Colab's kernel runs in /content, with no notebook beside it
    requests = colab_frontend(monkeypatch, {"ipynb": {"metadata": {"language": "vi"}}})
    assert language() == "vi"
    assert requests == ["get_ipynb"]
    language()
    assert requests == ["get_ipynb"], "the notebook's language is looked up once"


def test_on_colab_an_english_notebook_or_a_frontend_that_fails_gives_english(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    colab_frontend(monkeypatch, {"ipynb": {"metadata": {"kernelspec": {}}}})
    assert language() == "en"
    i18n.forget_notebook()
    colab_frontend(monkeypatch, TimeoutError("no answer from the frontend"))
    assert language() == "en"


def test_the_vietnamese_notebooks_declare_their_language_and_the_english_ones_do_not():
    english = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    vietnamese = sorted((NOTEBOOKS_DIR / "vi").glob("*.ipynb"))
    assert english and len(vietnamese) == len(english)
    for path in english:
        assert "language" not in json.loads(path.read_text())["metadata"], path.name
    for path in vietnamese:
        assert json.loads(path.read_text())["metadata"].get("language") == "vi", path.name


def test_a_kernel_started_like_nbval_in_the_vietnamese_folder_answers_in_vietnamese():
    code = "from attention_lab import check; check('02.softmax', None)"
    env = {k: v for k, v in __import__("os").environ.items() if k != i18n.ENV_VAR}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=NOTEBOOKS_DIR / "vi",
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    assert out.startswith("02.softmax: chưa có câu trả lời."), out


# --- the package holds no learner-facing words of its own -----------------------------------

#: Calls whose string arguments a learner reads: widget labels, figure text, HTML readouts.
SHOWN = {
    "slider",  # the shell's slider makers: their first argument is the label
    "int_slider",
    "choice_slider",
    "set_title",
    "set_xlabel",
    "set_ylabel",
    "html_line",
    "html_table",
    "text",
    "legend",
    "set",
}
SHOWN_KEYWORDS = {"description", "title", "label", "xlabel", "ylabel", "tooltip"}
WORDS = __import__("re").compile(r"[A-Za-z]{3,}")
# Words that are code or symbols, the same in every language.
CODE_WORDS = {"nan", "inf", "exp", "std", "softmax", "dtype", "float16", "float32", "bfloat16"}


def learner_literals(path: Path) -> list[str]:
    """String constants passed where a learner reads them, in one module (errors excepted)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # A key passed to the catalogue is not a word the learner reads.
    asked = {
        id(const)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "tr"
        for const in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        if name in {"tr", "check_tokens"} or name.startswith("check_"):
            continue
        candidates = list(node.args) if name in SHOWN else []
        candidates += [kw.value for kw in node.keywords if kw.arg in SHOWN_KEYWORDS]
        for value in candidates:
            for const in ast.walk(value):
                if isinstance(const, ast.Constant) and isinstance(const.value, str):
                    if id(const) in asked:
                        continue
                    words = set(WORDS.findall(const.value)) - CODE_WORDS
                    if words:
                        found.append(f"{path.name}:{const.lineno}: {const.value!r}")
    return found


LEARNER_MODULES = sorted(
    p for folder in ("widgets", "plots") for p in (REPO / "attention_lab" / folder).glob("*.py")
)


def test_the_scan_would_find_a_literal_label():
    sample = REPO / "tests" / "_scan_sample.py"
    sample.write_text(
        'ax.set_title("attention weights")\nw = Checkbox(description="causal mask")\n'
    )
    try:
        assert len(learner_literals(sample)) == 2
    finally:
        sample.unlink()


def test_no_widget_or_plot_module_shows_a_literal_word():
    assert len(LEARNER_MODULES) >= 12, "the scan found too few modules"
    found = [hit for path in LEARNER_MODULES for hit in learner_literals(path)]
    assert found == [], "ask the catalogue (attention_lab.i18n.text) instead:\n" + "\n".join(found)


# --- what a Vietnamese learner sees ----------------------------------------------------------


def test_a_vietnamese_explorer_shows_vietnamese_labels_and_readouts():
    from attention_lab.data import JOURNEY_TOKENS, journey_embeddings
    from attention_lab.widgets import causal_explorer, embedding_explorer, softmax_explorer

    with use_language("vi"):
        explorer = embedding_explorer(JOURNEY_TOKENS, journey_embeddings())
        softmax = softmax_explorer()
        causal = causal_explorer(dropout_p=0.2)
    try:
        assert explorer.controls["query"].description == "truy vấn"
        assert explorer.controls["token"].description == "di chuyển"
        assert "điểm ω" in explorer.values.value and "score" not in explorer.values.value
        assert "không tràn số" in softmax.values.value
        assert "trọng số bị đặt về 0" in causal.values.value
        assert "công cụ khám phá" in explorer._repr_mimebundle_()["text/plain"]
    finally:
        for e in (explorer, softmax, causal):
            e.close()


def english_feedback() -> list[str]:
    """Fragments of every English verdict of check(): none may reach a Vietnamese output."""
    fragments = []
    for key, words in CATALOGUE["en"].items():
        if key.startswith("check.") or key[:2].isdigit():
            fragments += [p for p in __import__("re").split(r"\{[^}]*\}", words) if len(p) > 12]
    return fragments


def test_the_stored_vietnamese_outputs_hold_no_english_feedback():
    fragments = english_feedback()
    assert len(fragments) > 100
    shown = []
    for path in sorted((NOTEBOOKS_DIR / "vi").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            for out in cell.get("outputs", []):
                shown.append((path.name, "".join(out.get("text", ""))))
    assert any("chưa có câu trả lời" in t for _, t in shown), "no Vietnamese feedback stored"
    # check() breaks its replies into lines: compare with the line breaks read as spaces.
    leaks = [(name, f) for name, t in shown for f in fragments if f in " ".join(t.split())]
    assert leaks == []
