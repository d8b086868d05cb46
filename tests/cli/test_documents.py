"""``ecomperf jd`` and ``ecomperf matrix`` as a user runs them."""

from __future__ import annotations

import io
import json
from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from ecomperf.cli import app
from tests.conftest import REPO

runner = CliRunner()
MINI = str(REPO / "examples" / "mini-framework")


def test_jd_all_writes_one_file_per_position_named_by_locale_and_format(tmp_path: Path) -> None:
    result = runner.invoke(app, ["jd", MINI, "--all", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"wrote {tmp_path / 'store_manager.zh.md'}",
        f"wrote {tmp_path / 'service_agent.zh.md'}",
    ]
    assert (tmp_path / "store_manager.zh.md").read_text(encoding="utf-8").startswith("# 店长岗位说明书\n")


def test_jd_one_position_in_english_html_for_one_stage(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    args = ["jd", MINI, "--position", "store_manager", "--stage", "startup", "--locale", "en", "--format", "html"]
    result = runner.invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = (out / "store_manager.en.html").read_text(encoding="utf-8")
    assert "<h3>KPIs: Startup</h3>" in html and "KPIs: Mature" not in html


def test_jd_docx_and_jsonld(tmp_path: Path) -> None:
    for fmt in ("docx", "jsonld"):
        result = runner.invoke(app, ["jd", MINI, "-p", "service_agent", "-f", fmt, "-o", str(tmp_path)])
        assert result.exit_code == 0, result.output
    document = Document(io.BytesIO((tmp_path / "service_agent.zh.docx").read_bytes()))
    assert document.paragraphs[0].text == "客服专员岗位说明书"
    assert json.loads((tmp_path / "service_agent.zh.jsonld").read_text(encoding="utf-8"))["@type"] == "JobPosting"


def test_jd_template_dir_option(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "jd.md.j2").write_text("{{ jd.title }}\n", encoding="utf-8")
    args = ["jd", MINI, "-p", "store_manager", "--template-dir", str(templates), "-o", str(tmp_path / "out")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "store_manager.zh.md").read_text(encoding="utf-8") == "店长\n"


def test_jd_needs_exactly_one_of_position_and_all(tmp_path: Path) -> None:
    neither = runner.invoke(app, ["jd", MINI, "-o", str(tmp_path)])
    both = runner.invoke(app, ["jd", MINI, "--all", "-p", "store_manager", "-o", str(tmp_path)])
    assert (neither.exit_code, both.exit_code) == (2, 2)
    assert "--position" in neither.output and "--all" in neither.output


def test_jd_unknown_names_exit_1_with_a_suggestion_and_write_nothing(tmp_path: Path) -> None:
    position = runner.invoke(app, ["jd", MINI, "-p", "store_manager", "-p", "store_manger", "-o", str(tmp_path)])
    assert position.exit_code == 1
    assert "error: unknown position 'store_manger'; did you mean 'store_manager'?" in position.output
    assert list(tmp_path.iterdir()) == []  # nothing half-written: every document renders before any is written
    locale = runner.invoke(app, ["jd", MINI, "--all", "--locale", "eng", "-o", str(tmp_path)])
    assert locale.exit_code == 1 and "did you mean 'en'?" in locale.output


def test_jd_on_a_broken_framework_exits_1_with_the_problems(tmp_path: Path) -> None:
    broken = tmp_path / "fw.yaml"
    broken.write_text("apiVersion: ecomperf/v1\nkind: Framework\nid: x\n", encoding="utf-8")
    result = runner.invoke(app, ["jd", str(broken), "--all", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "fw.yaml:" in result.output


def test_matrix_prints_markdown_without_output() -> None:
    result = runner.invoke(app, ["matrix", MINI, "--locale", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Small shop operations framework: ownership matrix\n")
    assert "| GMV | Startup 60 / Mature 40 |  |  |" in result.output


def test_matrix_writes_the_format_its_suffix_names(tmp_path: Path) -> None:
    for name in ("m.md", "m.html", "m.xlsx"):
        result = runner.invoke(app, ["matrix", MINI, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert result.output == f"wrote {tmp_path / name}\n"
    assert (tmp_path / "m.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert load_workbook(tmp_path / "m.xlsx").sheetnames == ["指标 × 岗位", "职责 × 岗位"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["m.html", "m.md", "m.xlsx"]  # no temp files left


def test_matrix_unknown_suffix_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["matrix", MINI, "-o", str(tmp_path / "m.pdf")])
    assert result.exit_code == 2
    assert "use a .md, .html or .xlsx file" in result.output


def test_rewriting_a_file_replaces_it_atomically_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "m.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    assert runner.invoke(app, ["matrix", MINI, "-o", str(target)]).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# 小店运营绩效框架")
    assert target.stat().st_mode & 0o777 == 0o640


def test_jd_jsonld_takes_the_posting_dates(tmp_path: Path) -> None:
    args = ["jd", MINI, "-p", "store_manager", "-f", "jsonld", "--date-posted", "2026-10-01",
            "--valid-through", "2026-12-31", "-o", str(tmp_path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    posting = json.loads((tmp_path / "store_manager.zh.jsonld").read_text(encoding="utf-8"))
    assert (posting["datePosted"], posting["validThrough"]) == ("2026-10-01", "2026-12-31")


def test_jd_jsonld_is_posted_today_by_default(tmp_path: Path) -> None:
    import datetime as dt

    result = runner.invoke(app, ["jd", MINI, "-p", "service_agent", "-f", "jsonld", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    posting = json.loads((tmp_path / "service_agent.zh.jsonld").read_text(encoding="utf-8"))
    assert posting["datePosted"] in {dt.date.today().isoformat(), (dt.date.today() - dt.timedelta(days=1)).isoformat()}
    assert "validThrough" not in posting


def test_posting_dates_with_another_format_are_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["jd", MINI, "-p", "store_manager", "--date-posted", "2026-10-01", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "apply to --format jsonld only" in result.output


def test_a_posting_job_boards_would_reject_is_refused_naming_the_field(tmp_path: Path) -> None:
    framework = str(REPO / "frameworks" / "cross-border")
    result = runner.invoke(app, ["jd", framework, "--all", "-f", "jsonld", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "add `organization: {name: ..., url: ...}` to the Framework document (framework.yaml)" in result.output
    assert not list(tmp_path.iterdir())  # nothing half-written
