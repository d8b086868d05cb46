"""Common YAML mistakes in plain words, and one mistake giving one problem (issue 10, item 8)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from ecomperf.loading.documents import LoadResult, read_index
from ecomperf.loading.yaml_messages import explain_syntax
from ecomperf.loading.yaml_source import parse_yaml
from tests.conftest import BASE_FILES, LIVE_SHOP

Load = Callable[..., LoadResult]

WORKFLOW = """\
apiVersion: ecomperf/v1
kind: Workflow
id: weekly
name: {zh: 周会, en: Weekly review}
steps:
  - {id: review, name: {zh: 复盘, en: Review}, owner: manager, participants: [channel_lead]}
"""


def _syntax(text: str) -> tuple[str, str, int, int]:
    """The one EP101 problem of ``text``, explained: message, hint, line, column."""
    _, problems = parse_yaml(text, "f.yaml")
    (problem,) = problems
    explained = explain_syntax(problem, text)
    assert explained.span is not None
    return explained.message, explained.hint, explained.span.line, explained.span.column


@pytest.mark.parametrize(
    ("text", "message", "hint", "where"),
    [
        ("modules:\n\t- service\n", "a tab character indents line 2; YAML indents with spaces only",
         "replace the tab with spaces (set the editor to insert spaces for the Tab key)", (2, 1)),
        ("definition: Revenue: what we sell\n",
         "the text after definition: holds a colon followed by a space, which YAML reads as the start of another key",
         'quote the text: definition: "Revenue: what we sell"', (1, 20)),
        ("name: {zh: 收入, en: Revenue: net}\n",
         "a text inside {…} holds a colon followed by a space; inside brackets such a text must be quoted",
         'quote it: en: "Revenue: net"', (1, 27)),
        ("  - kpi: gmv\n    target: >= 20%\n",
         "the target >= 20% starts with '>', which YAML reads as the start of a folded block of text",
         'quote it: target: ">= 20%"', (2, 14)),
        ("  - {kpi: gmv, target: >= 20%}\n",
         "the target >= 20% starts with '>', which YAML reads as the start of a folded block of text",
         'quote it: target: ">= 20%"', (1, 24)),
        ("name: {zh: 投资回报率, en: ROI\nunit: ratio\n",
         "this '{' is never closed, so YAML reads on into line 2",
         "close it with '}' at the end of line 1, or quote a text that holds '{'", (1, 7)),
        ("note: @home\n", "'@' is reserved in YAML, so the value '@home' must be quoted", 'write note: "@home"',
         (1, 7)),
    ],
)
def test_a_common_mistake_is_named_with_its_fix(text: str, message: str, hint: str, where: tuple[int, int]) -> None:
    assert _syntax(text) == (f"YAML syntax error: {message}", hint, *where)


def test_other_errors_keep_the_parser_words() -> None:
    text = "a:\n  b: 1\n c: 2\n"
    message, hint, *_ = _syntax(text)
    assert message == "YAML syntax error: while parsing a block mapping did not find expected key"
    assert hint == "check indentation, colons and quotes on this line and the one before"


def test_one_tab_gives_one_problem_not_a_cascade(load_problems: Load) -> None:
    # The report: one tab gave 6 errors and 1 warning, 5 of them "unknown position", and no word "tab".
    positions = BASE_FILES["positions.yaml"].replace("        modules: [channel_ops]\n",
                                                     "        modules:\n        \t- channel_ops\n")
    result = load_problems({"positions.yaml": positions, "workflows.yaml": WORKFLOW})
    assert [(p.code, p.message) for p in result.problems] == [
        ("EP101", "YAML syntax error: a tab character indents line 21; YAML indents with spaces only")]
    # and it says, once, why the references to the file's positions were not checked
    assert result.problems[0].hint.endswith(
        "until this file parses, every Position id it may declare counts as declared, so references to them are "
        "not checked")


def test_one_colon_in_a_text_gives_one_problem(load_problems: Load) -> None:
    modules = BASE_FILES["modules.yaml"].replace("{id: selection, text: {zh: 选品, en: Selection}}",
                                                 "{id: selection, text: {zh: 选品, en: Selection: what to sell}}")
    result = load_problems({"modules.yaml": modules, "workflows.yaml": WORKFLOW})
    assert [p.code for p in result.problems] == ["EP101"]
    assert "inside brackets such a text must be quoted" in result.problems[0].message


def test_a_comma_in_english_text_gives_one_problem_with_the_quoted_fix(load_problems: Load) -> None:
    # The report: {zh: …, en: a, b} gave 61 errors "EP104 description.str: Input should be a valid string".
    modules = BASE_FILES["modules.yaml"].replace("{id: selection, text: {zh: 选品, en: Selection}}",
                                                 "{id: selection, text: {zh: 选品, en: Selection, pricing excluded}}")
    result = load_problems({"modules.yaml": modules})
    assert [(p.code, p.message, p.hint) for p in result.problems] == [
        ("EP104", "the text of 'en' ends at a comma: inside {…} a comma separates entries, so 'pricing excluded' "
                  "became an entry of its own, without a value",
         'quote the text: en: "Selection, pricing excluded"')]


def test_an_unquoted_target_gives_one_problem_with_the_fix(load_problems: Load) -> None:
    positions = BASE_FILES["positions.yaml"].replace('{kpi: cac, weight: 100, target: "<= 40"}',
                                                     "{kpi: cac, weight: 100, target: >= 40}")
    result = load_problems({"positions.yaml": positions, "workflows.yaml": WORKFLOW})
    assert [(p.code, p.hint.split(";")[0]) for p in result.problems] == [("EP101", 'quote it: target: ">= 40"')]


# --- the report itself: one mistake in media_buyer.yaml of the live-streaming shop ---------------------------

LIVE_MISTAKES = [
    # (name, text replaced, by, code, words of the message, the fix in the hint)
    ("tab", "scorecard:\n  cycle: monthly", "scorecard:\n\tcycle: monthly", "EP101",
     "a tab character indents line 9", "replace the tab with spaces"),
    ("colon", "purpose: {zh: 管理千川投放预算与投产比, en: Runs the paid-traffic budget and its return}",
     "purpose: Runs the budget: paid traffic", "EP101", "holds a colon followed by a space",
     'quote the text: purpose: "Runs the budget: paid traffic"'),
    ("flow-comma", "en: Runs the paid-traffic budget and its return}",
     "en: Runs the paid-traffic budget, and its return}",
     "EP104", "ends at a comma", 'quote the text: en: "Runs the paid-traffic budget, and its return"'),
    ("unquoted-target", 'target: ">= 2.5"}', "target: >= 2.5}", "EP101", "starts with '>'",
     'quote it: target: ">= 2.5"'),
]


@pytest.mark.parametrize(("name", "old", "new", "code", "says", "fix"), LIVE_MISTAKES,
                         ids=[case[0] for case in LIVE_MISTAKES])
def test_one_mistake_in_the_live_shop_is_one_problem_with_its_fix(
    tmp_path: Path, name: str, old: str, new: str, code: str, says: str, fix: str
) -> None:
    # media_buyer is named 5 times elsewhere (4 workflow steps, 1 event) and only it carries roas: before the fix
    # the tab alone gave 5 "unknown position 'media_buyer'" (EP203) and a false EP402
    root = shutil.copytree(LIVE_SHOP, tmp_path / "live-shop")
    file = root / "media_buyer.yaml"
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = read_index(root)
    assert [(p.code, Path(p.span.file).name if p.span else "") for p in result.problems] == [
        (code, "media_buyer.yaml")]  # 1 mistake → 1 error, 0 warnings, no EP2xx, no EP402
    assert says in result.problems[0].message
    assert fix in (result.problems[0].hint or "")
