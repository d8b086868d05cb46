"""Reports of a diff and a backtest: the views every format shares, and the HTML pages read back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ecomperf
from ecomperf.changes.backtest import backtest
from ecomperf.changes.report import backtest_html, backtest_view, diff_html, diff_view, show_value
from ecomperf.errors import RenderError
from ecomperf.io.read import read_actuals
from ecomperf.render.charts import grouped_column_chart
from ecomperf.render.labels import LABELS
from tests.changes.edits import BUNDLED, EXAMPLES
from tests.render.html_outline import outline


def test_values_show_localised_text_lists_and_mappings() -> None:
    assert show_value({"zh": "店长", "en": "Store manager"}, "zh") == "店长"
    assert show_value(["startup", "growth"], "en") == "startup, growth"
    assert show_value([{"when": {"category": "durables"}, "target": ">= 15%"}], "en") == (
        "{when: {category: durables}, target: >= 15%}")
    assert show_value(0.15, "en") == "0.15" and show_value(True, "en") == "true" and show_value([], "en") == "—"


def test_diff_view_in_both_locales(edited: Path) -> None:
    result = ecomperf.diff(ecomperf.load(BUNDLED), ecomperf.load(edited))
    zh, en = diff_view(result), diff_view(result, "en")
    assert zh.locale == "zh"  # the new version's default locale
    assert (zh.summary, en.summary) == ("共 4 处变更", "4 change(s)")
    assert [row.action_label for group in zh.groups for row in group.rows] == ["调整归属", "修改", "修改", "修改"]
    assert [group.title for group in en.groups] == [LABELS["en"]["change_group_modules"],
                                                    LABELS["en"]["change_group_scorecards"]]
    with pytest.raises(RenderError, match="unknown locale 'fr'"):
        diff_view(result, "fr")


def test_diff_html_is_self_contained_with_one_table_per_group(edited: Path) -> None:
    page = outline(diff_html(ecomperf.diff(ecomperf.load(BUNDLED), ecomperf.load(edited)), "en"))
    assert [text for tag, text in page.headings if tag == "h2"] == [
        "Modules, duties and forbidden duties", "Scorecards: weights, targets and methods"]
    assert page.tables[1][0] == ["Kind", "What", "Field", "Change", "Old", "New", "Location"]
    assert page.tables[1][2][:6] == ["KPI", "store_manager/growth/gmv_growth_rate", "weight", "changed", "10", "5"]
    assert not any(tag in {"script", "link", "img"} for tag, _ in page.tags)


def test_the_html_escapes_what_the_yaml_says(tmp_path: Path) -> None:
    root = tmp_path / "fw"
    shutil.copytree(BUNDLED, root)
    path = root / "positions" / "store_manager.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('name: {zh: "运营店长（店铺主管）", en: "Store manager"}',
                                 'name: {zh: "<script>alert(1)</script>", en: "Store manager"}'), encoding="utf-8")
    page = diff_html(ecomperf.diff(ecomperf.load(BUNDLED), ecomperf.load(root)))
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_backtest_html_draws_the_grade_mix_before_and_after(edited: Path) -> None:
    result = backtest(ecomperf.load(BUNDLED), ecomperf.load(edited), read_actuals(EXAMPLES / "actuals-2026-10.csv"),
                      bonus_base=10_000)
    page = outline(backtest_html(result, "en"))
    svg = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert len(svg) == 1 and svg[0]["aria-label"] == "Grade mix before and after"
    # one column per grade and version: 5 grades × 2
    assert sum(1 for tag, attrs in page.tags if tag == "rect") == 10
    changed = next(table for table in page.tables if table[0][0] == "Employee")
    assert changed[1][:8] == ["E002 李强", "Store manager", "2026-10", "98.8", "100.4", "+1.6", "B", "A ▲"]
    assert changed[0][-2:] == ["Old amount", "New amount"]
    view = backtest_view(result, "en")
    assert view.pool == (("Sum of bonus coefficients", "6.7", "7.3", "+0.60"),
                         ("Bonus amount", "67,000", "73,000", "+6,000"))
    assert view.not_scored[0].employee == "E008 周敏"


def test_grouped_columns_share_one_axis() -> None:
    chart = grouped_column_chart([("A", [2, 4]), ("B", [1, 0])], series=["before", "after"])
    tallest = max(chart.columns, key=lambda column: column.height)
    assert (tallest.label, tallest.value, tallest.y) == ("after", "4", chart.plot_top)
    assert [column.tone for column in chart.columns] == ["series-0", "series-1"] * 2
    first, second = chart.columns[:2]
    assert second.x == first.x + first.width  # side by side within the group
    assert chart.groups[0].x < chart.groups[1].x and chart.series == ("before", "after")
