"""The HTML trend report and the team report with history."""

from __future__ import annotations

import re

from ecomperf.render.charts import trend_chart
from ecomperf.render.history import trend_report_html, trend_view
from ecomperf.render.report import team_report_html
from ecomperf.scoring.results import ScoreCard

SCALE = ["A", "B", "C", "D"]
BANDS = [("A", 100.0), ("B", 85.0), ("C", 70.0), ("D", 0.0)]


def card(employee: str, period: str, total: float, grade: str, veto: tuple[str, ...] = ()) -> ScoreCard:
    return ScoreCard(framework="f", employee=employee, position="agent", position_name={"zh": "客服", "en": "Agent"},
                     stage="s", period=period, kpis=[], total=total, uncapped_grade=grade, grade=grade, bonus=1.0,
                     grade_scale=SCALE, fingerprint="a" * 64, veto_breaches=list(veto))


CARDS = [card("li", "2026-08", 72.0, "C"), card("li", "2026-10", 101.0, "A"), card("wu", "2026-09", 90.0, "B")]


def test_the_chart_breaks_the_line_at_a_missing_period_and_shades_every_band() -> None:
    chart = trend_chart([("2026-08", 72.0, "C"), ("2026-09", None, None), ("2026-10", 101.0, "A")], BANDS)
    assert chart.lines == ()  # two single points, no line bridging September
    assert [point.period for point in chart.points] == ["2026-08", "2026-10"]
    assert [band.grade for band in chart.bands] == ["A", "B", "C", "D"]
    # axis 0..120 over 126 px (160 - 10 - 24): the A band runs from 120 down to 100 = 21 px
    assert round(chart.bands[0].height, 1) == 21.0
    assert chart.points[1].y < chart.points[0].y


def test_every_employee_gets_a_chart_on_one_time_axis() -> None:
    view = trend_view(CARDS, bands=BANDS, locale="en")
    assert [person.employee for person in view.employees] == ["li", "wu"]
    assert view.span == "2026-08 to 2026-10"
    li, wu = view.employees
    assert [tick.label for tick in li.chart.x_ticks] == ["2026-08", "2026-09", "2026-10"]
    assert li.rows[1].change == "no card for 2026-09"
    assert wu.latest_change == "no card for 2026-08"


def test_the_page_is_self_contained_and_in_both_languages() -> None:
    english = trend_report_html(CARDS, bands={"a" * 64: BANDS}, locale="en")
    chinese = trend_report_html(CARDS, bands={"a" * 64: BANDS}, locale="zh")
    for html in (english, chinese):
        assert "<script" not in html and "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert len(re.findall(r'<svg class="chart trend"', html)) == 2
        assert "@media print" in html
    assert "Performance trends" in english and '<html lang="en">' in english
    assert "绩效趋势报告" in chinese and "无 2026-09 记录" in chinese


def test_without_grade_bands_the_page_says_so() -> None:
    html = trend_report_html(CARDS, locale="en")
    assert "no grade bands are drawn" in html


def test_employee_names_are_escaped() -> None:
    html = trend_report_html([card("<b>x</b>", "2026-10", 90.0, "B")], locale="en")
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_the_team_report_with_history_shows_change_and_grade_mix() -> None:
    october = [card("li", "2026-10", 101.0, "A"), card("wu", "2026-10", 80.0, "C")]
    history = [card("li", "2026-09", 72.0, "C"), card("wu", "2026-09", 90.0, "B")]
    html = team_report_html(october, locale="en", history=history)
    # li: 101 - 72 = +29, C -> A two up; wu: 80 - 90 = -10, B -> C one down
    assert "+29.0" in html and "C → A · up 2" in html
    assert "-10.0" in html and "B → C · down 1" in html
    assert "Grade mix over time" in html and html.count('<g class="column">') == 2
    plain = team_report_html(october, locale="en")
    assert "Grade mix over time" not in plain and "vs previous" not in plain
