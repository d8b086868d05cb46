"""``ecomperf diff`` and ``ecomperf backtest`` as a user and a CI job run them: formats and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecomperf.cli import app
from tests.changes.edits import BUNDLED, EXAMPLES, bundled_copy, make_edited, move_weight

runner = CliRunner()
OCTOBER = str(EXAMPLES / "actuals-2026-10.csv")


@pytest.fixture
def edited(tmp_path: Path) -> Path:
    """The bundled framework with the four edits of tests/changes/edits.py."""
    return make_edited(tmp_path)


def test_diff_exits_1_on_changes_and_prints_them_grouped(edited: Path) -> None:
    result = runner.invoke(app, ["diff", str(BUNDLED), str(edited), "--locale", "en"])
    assert result.exit_code == 1, result.stderr
    out = result.stdout
    assert out.index("Modules, duties and forbidden duties") < out.index("Scorecards: weights, targets and methods")
    assert "portfolio" in out and "activity_ops" in out and ">= 800000" in out
    assert out.rstrip().endswith("4 change(s)")


def test_diff_exits_0_without_changes_and_with_exit_zero(edited: Path) -> None:
    same = runner.invoke(app, ["diff", str(BUNDLED), str(BUNDLED), "--locale", "en"])
    assert same.exit_code == 0
    assert "no semantic changes" in same.stdout
    assert runner.invoke(app, ["diff", "--exit-zero", str(BUNDLED), str(edited)]).exit_code == 0


def test_diff_json_is_a_list_of_six_key_records(edited: Path) -> None:
    result = runner.invoke(app, ["diff", str(BUNDLED), str(edited), "--format", "json"])
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert all(list(record) == ["kind", "id", "field", "old", "new", "location"] for record in records)
    assert records[0] == {
        "kind": "duty", "id": "portfolio", "field": "owner", "old": "product_ops", "new": "activity_ops",
        "location": records[0]["location"],
    }
    assert records[0]["location"].startswith(f"{edited / 'modules' / 'operations.yaml'}:")
    assert [r["new"] for r in records[1:]] == [">= 800000", 5, 35]


def test_diff_markdown_is_one_table_per_group(edited: Path) -> None:
    result = runner.invoke(app, ["diff", str(BUNDLED), str(edited), "--format", "md", "--locale", "en"])
    lines = result.stdout.splitlines()
    assert lines[0] == "## Framework changes"
    assert "**4 change(s)**" in lines
    assert [line for line in lines if line.startswith("### ")] == [
        "### Modules, duties and forbidden duties", "### Scorecards: weights, targets and methods"]
    header = "| Kind | What | Field | Change | Old | New | Location |"
    assert lines.count(header) == 2
    rows = [line for line in lines if line.startswith("| KPI ")]
    assert rows[1].startswith("| KPI | `store_manager/growth/gmv_growth_rate` | `weight` | changed | 10 | 5 | `")
    assert all(row.count("|") == header.count("|") for row in rows)


def test_diff_writes_html_chosen_by_the_suffix(edited: Path, tmp_path: Path) -> None:
    out = tmp_path / "diff.html"
    result = runner.invoke(app, ["diff", str(BUNDLED), str(edited), "-o", str(out), "--exit-zero"])
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "调整归属" in page  # default locale of the framework: zh


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    nowhere = runner.invoke(app, ["diff", "nope", "nada"])
    assert nowhere.exit_code == 2
    assert "neither 'nope' nor 'nada' is a folder or file" in nowhere.stderr
    one = runner.invoke(app, ["diff", str(BUNDLED)])
    assert one.exit_code == 2
    assert runner.invoke(app, ["diff", str(BUNDLED), str(BUNDLED), "--locale", "fr"]).exit_code == 2
    assert runner.invoke(app, ["diff", str(BUNDLED), str(BUNDLED), "-o", str(tmp_path / "x.txt")]).exit_code == 2


def test_a_version_that_does_not_load_exits_2_with_its_problems(tmp_path: Path) -> None:
    broken = bundled_copy(tmp_path)
    (broken / "events.yaml").write_text("apiVersion: ecomperf/v1\nkind: Event\nid: [\n", encoding="utf-8")
    result = runner.invoke(app, ["diff", str(BUNDLED), str(broken)])
    assert result.exit_code == 2
    assert f"{broken / 'events.yaml'}:3:6: EP101" in result.stderr  # the end of "id: [", its last line
    assert "the framework does not load" in result.stderr


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Path]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "hr"
    shutil.copytree(BUNDLED, root / "fw")
    env = ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", *env, "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", *env, "commit", "-qm", "one"], cwd=root, check=True)
    move_weight(root / "fw")
    subprocess.run(["git", *env, "commit", "-qam", "two"], cwd=root, check=True)
    here = Path.cwd()
    os.chdir(root)
    yield root
    os.chdir(here)


def test_diff_of_two_git_revisions_of_a_path(repo: Path) -> None:
    result = runner.invoke(app, ["diff", "--format", "json", "HEAD~1", "HEAD", "--", "fw"])
    assert result.exit_code == 1, result.stderr
    assert [(r["id"], r["old"], r["new"]) for r in json.loads(result.stdout)] == [
        ("store_manager/growth/gmv_growth_rate", 10, 5), ("store_manager/growth/repurchase_rate", 30, 35)]
    assert json.loads(result.stdout)[0]["location"].startswith("fw/positions/store_manager.yaml:")


def test_a_revision_against_the_files_on_disk(repo: Path) -> None:
    assert runner.invoke(app, ["diff", "HEAD", "fw"]).exit_code == 0
    assert runner.invoke(app, ["diff", "HEAD~1", "fw"]).exit_code == 1
    unknown = runner.invoke(app, ["diff", "v1999", "HEAD", "--", "fw"])
    assert unknown.exit_code == 2 and "'v1999' is not a commit" in unknown.stderr


def test_backtest_table_and_fail_on_grade_change(edited: Path) -> None:
    plain = runner.invoke(app, ["backtest", str(BUNDLED), str(edited), "--actuals", OCTOBER, "--locale", "en"])
    assert plain.exit_code == 0, plain.stderr
    assert "8 row(s) of actuals, 7 scored under both versions; 2 change grade or bonus coefficient." in plain.stdout
    gated = runner.invoke(app, ["backtest", str(BUNDLED), str(edited), "--actuals", OCTOBER,
                                "--fail-on-grade-change"])
    assert gated.exit_code == 1
    assert "2 grade change(s) and 0 row(s) scored under one version only" in gated.stderr
    same = runner.invoke(app, ["backtest", str(BUNDLED), str(BUNDLED), "--actuals", OCTOBER,
                               "--fail-on-grade-change"])
    assert same.exit_code == 0


def test_backtest_json_and_markdown(edited: Path) -> None:
    result = runner.invoke(app, ["backtest", str(BUNDLED), str(edited), "-a", OCTOBER, "--missing", "renormalize",
                                 "--bonus-base", "10000", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # E002 B → A (1.0 → 1.2) and E004 C → B (0.6 → 1.0): +0.6 coefficients, +6000 at 10000
    assert (data["pool"]["coefficient_delta"], data["pool"]["amount_delta"]) == (0.6, 6000)
    assert [(r["employee"], r["grade_old"], r["grade_new"]) for r in data["changed"]] == [
        ("E002 李强", "B", "A"), ("E004 刘洋", "C", "B")]
    md = runner.invoke(app, ["backtest", str(BUNDLED), str(edited), "-a", OCTOBER, "--missing", "renormalize",
                             "--format", "md", "--locale", "en"]).stdout
    headings = [line for line in md.splitlines() if line.startswith("### ")]
    assert headings == ["### Grade mix before and after", "### Employees whose grade or bonus changes",
                        "### Bonus pool", "### Effect per position"]
    assert "| E002 李强 | Store manager | 2026-10 | 98.8 | 100.4 | +1.6 | B | **A** ▲ | 1 | 1.2 |" in md


def test_backtest_usage_errors(edited: Path) -> None:
    spread = runner.invoke(app, ["backtest", str(BUNDLED), str(edited), OCTOBER, "--actuals", OCTOBER])
    assert spread.exit_code == 2 and "give --actuals before each actuals file" in spread.stderr
    column = runner.invoke(app, ["backtest", str(BUNDLED), str(edited), "-a", OCTOBER, "--bonus-base", "salary"])
    assert column.exit_code == 2 and "no bonus-base column 'salary'" in column.stderr


def test_the_pre_commit_hook_shows_the_staged_changes_and_never_blocks(repo: Path) -> None:
    import yaml

    from tests.conftest import REPO

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "ecomperf-diff")
    assert hook["pass_filenames"] is False and hook["verbose"] is True
    manager = repo / "fw" / "positions" / "store_manager.yaml"
    text = manager.read_text(encoding="utf-8")
    manager.write_text(text.replace('target: ">= 35%"', 'target: ">= 36%"', 1), encoding="utf-8")
    # as pre-commit runs it: the entry, then the HR repository's args
    result = runner.invoke(app, [*hook["entry"].split()[1:], "fw", "--locale", "en"])
    assert result.exit_code == 0, result.stderr
    assert "store_manager/startup/repurchase_rate" in result.stdout and ">= 36%" in result.stdout
