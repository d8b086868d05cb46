"""The sensitivity tornado chart: its geometry, and its place in the per-employee HTML card."""

from __future__ import annotations

import pytest

from ecomperf.render.charts import tornado_chart
from ecomperf.render.report import scorecard_html
from tests.render.test_report import _card

SENSITIVITY = [("gmv", -0.45, 0.45), ("gross_margin", -0.15, 0.3), ("inventory_turnover", -0.9, 0.0),
               ("violations", 0.0, 0.0)]


def test_bars_are_ordered_by_their_largest_swing_and_share_one_scale() -> None:
    chart = tornado_chart(SENSITIVITY, worse_label="-1%", better_label="+1%")
    assert [bar.label for bar in chart.bars] == ["inventory_turnover", "gmv", "gross_margin", "violations"]
    turnover, gmv, margin, _ = chart.bars
    # the largest change (0.9) fills the half plot; 0.45 half of it, 0.3 a third
    assert gmv.left_width == pytest.approx(turnover.left_width / 2)
    assert margin.right_width == pytest.approx(turnover.left_width / 3)
    assert (turnover.right_width, gmv.left_x + gmv.left_width) == (0.0, chart.center)
    assert (gmv.left_value, gmv.right_value) == ("-0.45", "+0.45")


def test_a_chart_of_zero_changes_draws_no_bars() -> None:
    chart = tornado_chart([("gmv", 0.0, 0.0)], worse_label="-1%", better_label="+1%")
    assert (chart.bars[0].left_width, chart.bars[0].right_width) == (0.0, 0.0)


def test_the_card_shows_the_tornado_with_localised_names() -> None:
    html = scorecard_html(_card(), locale="en", sensitivity=SENSITIVITY)
    assert '<section id="sensitivity">' in html
    assert "Sensitivity: total points for a 1% change of each KPI&#39;s actual" in html
    assert ">Gross margin</text>" in html and ">1% better</text>" in html
    chinese = scorecard_html(_card(), locale="zh", sensitivity=SENSITIVITY)
    assert ">毛利率</text>" in chinese and "改善1%" in chinese


def test_without_sensitivities_the_card_is_unchanged() -> None:
    assert 'id="sensitivity"' not in scorecard_html(_card(), locale="en")
