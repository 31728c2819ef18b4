"""Every exercise accepts its reference answer and names each of its known mistakes.

The notebooks hold the exercises unanswered, with every id they use known to ``EXERCISES``;
each folded solution, run where the learner would run it, makes ``check`` say "correct!".
"""

from __future__ import annotations

import contextlib
import functools
import io
import math
import re
import traceback
import warnings

import nbformat
import numpy as np
import pytest
import torch
from conftest import NOTEBOOKS_DIR

from attention_lab.data import journey_embeddings
from attention_lab.exercises import EXERCISES, check, diagnose
from attention_lab.exercises.engine import GENERIC_MISTAKES, REPLY_WIDTH, reply_lines
from attention_lab.functional import attention, causal_mask, softmax_stable
from attention_lab.i18n import load_catalogue, text, use_language
from attention_lab.layers import SelfAttention

# The notebooks whose exercise cells are checked here; a notebook joins by adding its stem.
EXERCISE_NOTEBOOKS = [
    "00_start_here",
    "01_dot_product_scores",
    "02_normalizing_scores",
    "03_context_vectors",
    "04_trainable_weights",
    "05_scaled_attention",
    "06_causal_attention",
    "07_multi_head_attention",
    "08_cost_of_attention",
    "09_flash_attention_from_scratch",
    "09b_flash_attention_backward",
    "10_position_and_order",
    "11_cross_attention_and_padding",
    "12_kv_cache_and_gqa",
    "13_watch_attention_learn",
    "14_flash_attention_in_triton",
]

# The mistakes every learner makes somewhere, each recognised in at least one exercise:
# the start of its diagnosis id, and how its message begins.
USUAL_MISTAKES = {
    "rand_not_randn": "torch.rand (uniform) instead of torch.randn",
    "wrong_seed_order": "wrong seed order",
    "missing_transpose": "missing transpose",
    "divided_by_d_k": "divided by d_k instead of √d_k",
    "softmax_wrong_dim": "softmax over the wrong dimension",
    "mask_reversed": "mask with True/False reversed",
    "not_renormalized": "forgot to renormalize after masking",
}
DIAGNOSIS_ID = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")

MISTAKES = [
    pytest.param(eid, name, id=f"{eid}:{name}")
    for eid, e in EXERCISES.items()
    for name in e.mistakes
]


# --- the exercise table ------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_reference_answer_is_correct(exercise_id, capsys):
    check(exercise_id, EXERCISES[exercise_id].reference())
    assert capsys.readouterr().out == f"{exercise_id}: correct!\n"


@pytest.mark.parametrize(("exercise_id", "mistake"), MISTAKES)
def test_each_known_mistake_is_named(exercise_id, mistake):
    feedback = diagnose(exercise_id, EXERCISES[exercise_id].mistakes[mistake]())
    assert not feedback.correct
    assert feedback.mistake == mistake
    assert feedback.message == f"{exercise_id}: not yet: {EN[f'{exercise_id}.{mistake}']}."


@pytest.mark.parametrize(("id_start", "phrase"), USUAL_MISTAKES.items())
def test_each_usual_mistake_is_recognised_by_name(id_start, phrase):
    named = [
        EN[f"{eid}.{mistake}"]
        for eid, e in EXERCISES.items()
        for mistake in e.mistakes
        if mistake.startswith(id_start)
    ]
    assert named, f"no exercise has a diagnosis {id_start}..."
    assert all(message.startswith(phrase) for message in named), named


# --- the messages table ------------------------------------------------------------------------


#: The catalogue's English words of the exercises and of check()'s verdicts.
EN = {
    key: words
    for key, words in load_catalogue()["en"].items()
    if key.startswith("check.") or key[:2].isdigit()
}


def test_every_exercise_has_its_texts_and_every_text_its_exercise():
    wanted = {"check." + verdict for verdict in ENGINE_VERDICTS}
    for eid, exercise in EXERCISES.items():
        wanted.add(f"{eid}.task")
        for mistake in exercise.mistakes:
            assert DIAGNOSIS_ID.fullmatch(mistake), f"{eid}: diagnosis id {mistake!r}"
            assert mistake != "task", f"{eid}: 'task' is the key of the exercise's task"
            wanted.add(f"{eid}.{mistake}")
    assert len(wanted) > 100
    assert sorted(set(EN) - wanted) == [], "texts that no exercise or verdict uses"
    assert sorted(wanted - set(EN)) == [], "exercises or verdicts without their text"
    assert all(EN[key].strip() == EN[key] != "" for key in EN)


ENGINE_VERDICTS = [
    "correct",
    "no_answer",
    "precision",
    "precision_whole",
    "method_unseen",
    "not_a_number",
    "known_mistake",
    "wrong_shape",
    "nan",
    "values_differ",
    "number_differs",
    "unknown_exercise",
    *GENERIC_MISTAKES,
]


def test_the_engine_words_every_verdict_from_the_table(monkeypatch):
    # Every verdict comes from the table: swap the table, and every message follows.
    monkeypatch.setattr("attention_lab.exercises.engine.text", lambda key, **fields: f"<{key}>")
    verdicts = [
        diagnose("02.softmax", None),
        diagnose("02.softmax", "0.1"),
        diagnose("02.softmax", EXERCISES["02.softmax"].reference()),
        diagnose("02.softmax", EXERCISES["02.softmax"].mistakes["divided_by_sum"]()),
        diagnose("02.softmax", torch.zeros(6)),
        diagnose("02.softmax", torch.tensor([math.nan, 0.0, 0.0])),
        diagnose("02.softmax", torch.zeros(3)),
        diagnose("02.overflow_factor", 3.0),
    ]
    assert [v.message for v in verdicts] == [
        "<check.no_answer> <check.method_unseen>",
        "<check.not_a_number>",
        "<check.correct>",
        "<check.known_mistake>",
        "<check.wrong_shape>",
        "<check.nan>",
        "<check.values_differ>",
        "<check.number_differs>",
    ]
    with pytest.raises(ValueError, match=r"<check\.unknown_exercise>"):
        diagnose("99.nope", 1.0)


def test_text_fills_the_placeholders():
    assert text("check.correct", exercise="02.softmax") == "02.softmax: correct!"
    assert text("check.values_differ", exercise="e") == (
        "e: not yet: the shape is right, but not every value is."
    )
    with use_language("vi"):
        assert text("check.correct", exercise="02.softmax") == "02.softmax: đúng rồi!"


def test_every_notebook_has_two_to_four_exercises():
    per_notebook = {}
    for eid in EXERCISES:
        per_notebook.setdefault(eid.split(".")[0], []).append(eid)
    numbers = sorted(p.name.split("_")[0] for p in NOTEBOOKS_DIR.glob("[0-9]*.ipynb"))
    assert sorted(per_notebook) == numbers
    assert all(2 <= len(ids) <= 4 for ids in per_notebook.values())


def test_mistakes_made_the_usual_way_are_recognised():
    # Written as a learner would, not taken from the exercise table.
    torch.manual_seed(123)
    _, W_key_rand, _ = (torch.rand(3, 4) for _ in range(3))
    assert diagnose("04.W_key", W_key_rand).mistake == "rand_not_randn"

    torch.manual_seed(123)
    W_key_first = torch.randn(3, 4)  # drawn before W_query
    assert diagnose("04.W_key", W_key_first).mistake == "wrong_seed_order"

    torch.manual_seed(0)
    W_q_layer = torch.nn.Linear(3, 3, bias=False)
    queries = journey_embeddings() @ W_q_layer.weight
    assert diagnose("04.linear_queries", queries).mistake == "missing_transpose"

    gen = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(2, 4, 5, 16, generator=gen) for _ in range(3))
    _, attn_weights_by_d_k = attention(q, k, v, scale=1 / 16)
    assert diagnose("05.batch_weights", attn_weights_by_d_k).mistake == "divided_by_d_k"
    over_heads = torch.softmax(q @ k.transpose(-2, -1) / 4, dim=1)
    assert diagnose("05.batch_weights", over_heads).mistake == "softmax_wrong_dim_heads"

    x = journey_embeddings()
    batch = torch.stack([x, x.flip(0)])
    over_queries = softmax_stable(batch @ batch.transpose(-2, -1), dim=1)
    assert diagnose("03.batch_weights", over_queries).mistake == "softmax_wrong_dim_queries"

    torch.manual_seed(789)
    sa = SelfAttention(3, 2)  # notebook 06's module
    q, k, v = sa.W_q(x), sa.W_k(x), sa.W_v(x)
    padded = causal_mask(6) & (torch.arange(6) < 4)
    _, reversed_weights = attention(q, k, v, mask=~padded)
    assert diagnose("06.padded_weights", reversed_weights).mistake == "mask_reversed"
    _, unmasked_weights = attention(q, k, v)
    not_renormalized = unmasked_weights * padded
    assert diagnose("06.padded_weights", not_renormalized).mistake == "not_renormalized"
    _, causal_weights = attention(q, k, v, causal=True)
    keep = torch.randn(6, 6, generator=torch.Generator().manual_seed(123)) >= 0.2
    dropped_randn = causal_weights * keep / 0.8
    assert diagnose("06.dropout_weights", dropped_randn).mistake == "randn_not_rand"

    torch.manual_seed(123)
    heads = [SelfAttention(3, 2, causal=True) for _ in range(2)]  # notebook 07's heads
    W_q = torch.cat([head.W_q.weight for head in heads])  # (d_out, d_in) = (4, 3)
    q_fused = torch.stack([x, x.flip(0)]) @ W_q.T  # (B, T, d_out) = (2, 6, 4)
    heads_first = q_fused.view(2, 2, 6, 2)  # the right shape, cut in the wrong places
    assert diagnose("07.split_heads", heads_first).mistake == "missing_transpose_heads_first"
    assert diagnose("07.split_heads", q_fused.view(2, 6, 2, 2).transpose(1, 2)).correct

    naive = torch.exp(torch.tensor([1000.0, 1001.0, 1002.0]))
    assert diagnose("02.stable", naive / naive.sum()).mistake == "overflow"


def test_unanswered_wrong_shape_and_wrong_type_get_plain_messages():
    assert "no answer yet" in diagnose("02.softmax", None).message
    assert "expected shape (3,), got (6,)" in diagnose("02.softmax", torch.zeros(6)).message
    assert (
        "expected a tensor of real numbers or a number, got str"
        in diagnose("02.softmax", "0.1").message
    )
    assert "not every value is" in diagnose("02.softmax", torch.zeros(3)).message
    assert "contains NaN" in diagnose("02.softmax", torch.tensor([math.nan, 0.0, 0.0])).message
    assert diagnose("07.n_params", 4 * 768 * 768 + 768).correct  # plain numbers are answers too
    assert diagnose("08.growth", torch.Size([16, 4])).correct  # and shapes
    assert diagnose("05.even_spread", (1 / 64, math.log(64))).correct  # and tuples


def test_a_long_reply_is_broken_between_words_only(capsys):
    message = diagnose("05.predict_saturation", 0.5).message  # a diagnosis of two sentences
    assert len(message) > REPLY_WIDTH, "pick a longer reply for this test"
    check("05.predict_saturation", 0.5)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 1 and all(len(line) <= REPLY_WIDTH for line in lines)
    assert " ".join(lines) == message  # every word whole, none lost


@pytest.mark.parametrize(
    "truth", [True, np.True_, torch.tensor(True), [True], torch.tensor([True])], ids=repr
)
def test_a_truth_value_is_not_a_number_even_where_the_answer_is_one(truth):
    # True == 1 in Python and torch: without this rule it would pass for the reference 1.
    assert diagnose("05.predict_saturation", 1.0).correct
    feedback = diagnose("05.predict_saturation", truth)
    assert not feedback.correct
    assert "expected a tensor of real numbers or a number" in feedback.message


def test_unknown_exercise_and_bad_arguments_are_errors():
    with pytest.raises(ValueError, match=r"unknown exercise '99.nope'"):
        check("99.nope", 1.0)
    with pytest.raises(ValueError, match=r"unknown exercise \['02.softmax'\]; expected one of"):
        check(["02.softmax"], 1.0)
    with pytest.raises(TypeError, match=r"diagnose: atol must be a finite number >= 0, got '0\.1'"):
        diagnose("07.n_params", 3, atol="0.1")
    with pytest.raises(ValueError, match=r"atol must be a finite number >= 0, got -1"):
        diagnose("07.n_params", 3, atol=-1)


# --- the exercise cells of the notebooks --------------------------------------------------------

CHECK_CALL = re.compile(r'^check\("(?P<id>[^"]+)", answer\)$', re.MULTILINE)
UNANSWERED = re.compile(r"^answer = None(  # .*)?$", re.MULTILINE)
SOLUTION = re.compile(
    r"\A<details><summary>Solution</summary>\n\n```python\n(?P<code>.*?\n)```\n.*</details>\Z",
    re.DOTALL,
)


def _notebook(stem: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)


def _exercises(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(cell index, exercise id) of every code cell that calls check(...)."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            found += [(index, m["id"]) for m in CHECK_CALL.finditer(cell.source)]
    return found


def _solution(nb: nbformat.NotebookNode, index: int) -> str:
    """The code folded in the markdown cell right after the exercise cell at ``index``."""
    cell = nb.cells[index + 1] if index + 1 < len(nb.cells) else None
    match = SOLUTION.match(cell.source) if cell and cell.cell_type == "markdown" else None
    assert match, f"cell {index + 1} must be a folded <details> solution with one python block"
    return match["code"]


def _stdout(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")


NOTEBOOK_EXERCISES = [
    pytest.param(stem, eid, id=eid)
    for stem in EXERCISE_NOTEBOOKS
    for _, eid in _exercises(_notebook(stem))
]


@pytest.mark.parametrize("stem", EXERCISE_NOTEBOOKS)
def test_notebook_uses_exactly_its_own_exercises(stem):
    used = [eid for _, eid in _exercises(_notebook(stem))]
    own = [eid for eid in EXERCISES if eid.split(".")[0] == stem.split("_")[0]]
    assert [eid for eid in used if eid not in EXERCISES] == [], "ids unknown to EXERCISES"
    assert sorted(used) == sorted(own), "each of the notebook's exercises used exactly once"


@pytest.mark.parametrize("stem", EXERCISE_NOTEBOOKS)
def test_stored_exercise_cells_are_unanswered(stem):
    nb = _notebook(stem)
    exercises = _exercises(nb)
    assert exercises, "no exercise cells"
    for index, eid in exercises:
        cell = nb.cells[index]
        assert len(UNANSWERED.findall(cell.source)) == 1, f"{eid}: expected one `answer = None`"
        assert cell.source.rstrip().endswith(f'check("{eid}", answer)'), eid
        assert _stdout(cell) == reply_lines(diagnose(eid, None).message) + "\n", f"{eid}: stale"
        _solution(nb, index)  # folded right below


@pytest.mark.parametrize("stem", EXERCISE_NOTEBOOKS)
def test_next_link_is_the_last_cell(stem):
    last = _notebook(stem).cells[-1]
    assert last.cell_type == "markdown"
    # The last notebook links back to the first instead.
    assert last.source.startswith(("[Next: ", "[Back to the start: "))


@functools.cache
def _run_with_solutions(stem: str) -> dict[str, str]:
    """Run the notebook's code as a learner who fills in every exercise with its solution.

    Returns what each exercise cell printed (or its traceback), by exercise id.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nb = _notebook(stem)
    exercise_at = dict(_exercises(nb))
    namespace: dict[str, object] = {"__name__": "__main__"}
    printed = {}
    try:
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or "colab-setup" in cell.metadata.get("tags", []):
                continue
            if index not in exercise_at:
                # The notebook's own cells: their warnings are the hygiene tests' business.
                with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                    warnings.simplefilter("ignore")
                    exec(compile(cell.source, f"{stem}[{index}]", "exec"), namespace)
                continue
            blank = UNANSWERED.search(cell.source)  # the learner's line, filled with the solution
            if blank is None:
                printed[exercise_at[index]] = "no `answer = None` line to fill with the solution"
                continue
            source = (
                cell.source[: blank.start()] + _solution(nb, index) + cell.source[blank.end() :]
            )
            out = io.StringIO()
            try:
                with contextlib.redirect_stdout(out):
                    exec(compile(source, f"{stem}[{index}]", "exec"), namespace)
            except Exception:
                out.write(traceback.format_exc())
            printed[exercise_at[index]] = out.getvalue()
    finally:
        plt.close("all")
    return printed


@pytest.mark.parametrize(("stem", "exercise_id"), NOTEBOOK_EXERCISES)
def test_folded_solution_is_correct(stem, exercise_id):
    printed = _run_with_solutions(stem)[exercise_id]
    assert f"{exercise_id}: correct!\n" in printed, printed
