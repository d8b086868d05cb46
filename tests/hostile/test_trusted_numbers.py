"""Hostile and mistaken input from issue 10, run through the real command: every case is refused or reported
with a clear reason (file, row or line, and the fix), never a traceback, never a wrong number given silently.

Each case is a folder of files laid out for the run, the command line, the exit status it must end with and
lines its output must hold. The numbers behind the scored cases are worked out in the unit tests named in
each case's comment.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecomperf.cli import app
from tests.conftest import MINI

runner = CliRunner()

SCORE_HEADER = "employee,position,stage,period,gmv,sales_revenue,cost,violations,inquiry_response_hours"


@dataclass(frozen=True)
class Case:
    """One hostile input: files, the command (``{dir}`` is the case's folder), the exit and the output."""

    name: str
    files: dict[str, str]
    command: list[str]
    exit_code: int
    says: tuple[str, ...]
    framework: bool = True  # copy the mini framework to {dir}/fw
    unchanged: tuple[str, ...] = ()
    not_says: tuple[str, ...] = field(default=())


def _rows(*lines: str) -> str:
    return "\n".join([SCORE_HEADER, *lines]) + "\n"


LI = "li,store_manager,startup,2026-10,200万,100,62,0,"
ZHAO = "zhao,service_agent,startup,2026-10,,,,,30"

CASES = [
    # item 1 (tests/scoring/test_prorate.py): a quarter's GMV against three months of target, not one
    Case("quarter-against-monthly-target",
         {"q4.csv": _rows("li,store_manager,startup,2026-Q4,660万,300,183,0,")},
         ["score", "{dir}/fw", "-a", "{dir}/q4.csv"], 0,
         ("│ li       │ store_manager │ 2026-Q4 │ 105.00 │",)),
    # item 2 (tests/cli/test_score.py): every --actuals is read
    Case("repeated-actuals",
         {"oct.csv": _rows(LI), "nov.csv": _rows(LI.replace("2026-10", "2026-11")),
          "dec.csv": _rows(LI.replace("2026-10", "2026-12"))},
         ["score", "{dir}/fw", "-a", "{dir}/oct.csv", "-a", "{dir}/nov.csv", "-a", "{dir}/dec.csv"], 0,
         ("mini-shop: 3 scored, 0 not scored",)),
    Case("quarter-with-a-month-missing",
         {"oct.csv": _rows(LI), "dec.csv": _rows(LI.replace("2026-10", "2026-12"))},
         ["score", "{dir}/fw", "-a", "{dir}/*.csv", "--period", "2026-Q4"], 1,
         ("no row for 2026-11 (needed for 2026-Q4)",)),
    # item 3 (tests/scoring/test_bounds.py): impossible values
    Case("negative-hours", {"a.csv": _rows(LI, "zhao,service_agent,startup,2026-10,,,,,-3")},
         ["score", "{dir}/fw", "-a", "{dir}/a.csv"], 1,
         ("a.csv:3: zhao: actuals for service_agent in 2026-10 are not all usable numbers: actual for "
          "'inquiry_response_hours' is '-3': below 0h, the least a number of hours can be",)),
    Case("negative-gmv", {"a.csv": _rows(LI.replace("200万", "-200万"))},
         ["score", "{dir}/fw", "-a", "{dir}/a.csv"], 1, ("actual for 'gmv' is '-200万': below 0",)),
    # item 4 (tests/batch/test_duplicates.py): the same employee and period twice
    Case("duplicate-rows", {"a.csv": _rows(LI, ZHAO, LI)},
         ["score", "{dir}/fw", "-a", "{dir}/a.csv"], 1,
         ("a.csv:2: li: employee li has 2 rows for 2026-10 (rows 2 and 4); none is scored",)),
    # item 6 (tests/cli/test_score.py): a card warning fails the run under --strict
    Case("whole-number-percent",
         {"a.csv": "employee,position,stage,period,gmv,gross_margin,violations\n"
                   "li,store_manager,startup,2026-10,200万,38,0\n"},
         ["score", "{dir}/fw", "-a", "{dir}/a.csv", "--strict"], 1,
         ("warning: gross_margin actual 38 means 3800%", "--strict makes warnings fail the run")),
    # item 7 (tests/test_spelling.py): the CLI names its flags
    Case("missing-policy-spelled-as-a-flag", {"a.csv": "employee,position,stage,period,gmv,violations\n"
                                                        "li,store_manager,startup,2026-10,220万,0\n"},
         ["score", "{dir}/fw", "-a", "{dir}/a.csv"], 1,
         ("or pass --missing renormalize or --missing zero",), not_says=("missing='",)),
    # item 11 (tests/cli/test_score.py): the output would overwrite the input
    Case("output-is-the-input", {"a.csv": _rows(LI)},
         ["score", "{dir}/fw", "-a", "{dir}/a.csv", "-o", "{dir}/a.csv"], 2,
         ("would replace the actuals",), unchanged=("a.csv",)),
    Case("pattern-matches-the-output", {"a.csv": _rows(LI), "scores.csv": "old scores\n"},
         ["score", "{dir}/fw", "-a", "{dir}/*.csv", "-o", "{dir}/scores.csv"], 2,
         ("-o {dir}/scores.csv is the actuals file {dir}/scores.csv",), unchanged=("a.csv", "scores.csv")),
]

YAML_CASES = [
    # item 8 (tests/loading/test_yaml_messages.py): one mistake, one problem, in plain words
    ("tab", "modules: [service]\n", "modules:\n\t- service\n", "a tab character indents line"),
    ("colon", "purpose: {zh: 负责店铺日常运营与销售目标达成, en: Runs the store day to day and delivers its sales "
              "target}", "purpose: Runs the store: day to day", "holds a colon followed by a space"),
    ("flow-comma", "en: Runs the store day to day and delivers its sales target}",
     "en: Runs the store day to day, and delivers its sales target}", "ends at a comma"),
    ("unquoted-target", 'target: "<= 24h"}', "target: >= 24h}", "starts with '>'"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_scoring_input_is_refused_or_reported_clearly(case: Case, tmp_path: Path) -> None:
    if case.framework:
        shutil.copytree(MINI, tmp_path / "fw")
    for name, text in case.files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    before = {name: (tmp_path / name).read_bytes() for name in case.unchanged}
    result = runner.invoke(app, [part.replace("{dir}", str(tmp_path)) for part in case.command])
    output = result.stdout + result.stderr
    assert result.exit_code == case.exit_code, output
    assert isinstance(result.exception, SystemExit) or result.exception is None, output
    assert "Traceback" not in output
    for fragment in case.says:
        assert fragment.replace("{dir}", str(tmp_path)) in output, output
    for fragment in case.not_says:
        assert fragment not in output
    assert {name: (tmp_path / name).read_bytes() for name in case.unchanged} == before


@pytest.mark.parametrize(("name", "old", "new", "says"), YAML_CASES, ids=[case[0] for case in YAML_CASES])
def test_one_yaml_mistake_is_one_problem_in_plain_words(tmp_path: Path, name: str, old: str, new: str,
                                                        says: str) -> None:
    shutil.copytree(MINI, tmp_path / "fw")
    positions = tmp_path / "fw" / "positions.yaml"
    text = positions.read_text(encoding="utf-8")
    assert old in text
    positions.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path / "fw")])
    assert result.exit_code == 1
    problems = [line for line in result.stdout.splitlines() if ": EP" in line]
    assert len(problems) == 1, result.stdout
    assert says in problems[0]
    assert "Traceback" not in result.stdout + result.stderr
