"""One error never hides another (issue 10, item 9): rules run on what is known beside a broken document."""

from __future__ import annotations

from collections.abc import Callable

from ecomperf.loading.documents import LoadResult
from tests.conftest import BASE_FILES

Load = Callable[..., LoadResult]

# manager's margin target contradicts the metric's direction (higher): EP302 whatever else is wrong
CONTRADICTION = BASE_FILES["positions.yaml"].replace('{kpi: margin, weight: 40, target: ">= 40%"}',
                                                     '{kpi: margin, weight: 40, target: "<= 40%"}')


def _codes(result: LoadResult) -> list[str]:
    return [problem.code for problem in result.problems]


def test_a_typo_in_a_metric_field_does_not_hide_ep302_on_a_position(load_problems: Load) -> None:
    # The report: a typo in a metric field hid EP302 until the typo was fixed.
    metrics = BASE_FILES["metrics.yaml"].replace("        formula: (revenue - cost) / revenue\n",
                                                 "        formula: (revenue - cost) / revenue\n        defintion: x\n")
    result = load_problems({"metrics.yaml": metrics, "positions.yaml": CONTRADICTION})
    assert _codes(result) == ["EP103", "EP302"]
    assert "target <= 40% uses '<=', which contradicts metric 'margin' (direction higher)" in result.problems[1].message


def test_a_field_that_is_not_known_is_not_relied_on(load_problems: Load) -> None:
    # 'sorce' is probably 'source': the metric's source is unknown, so EP404 does not claim it has none
    metrics = BASE_FILES["metrics.yaml"].replace("        source: {zh: 财务, en: Finance}\n        ---\n        "
                                                 "apiVersion: ecomperf/v1\n        kind: Metric\n        id: margin",
                                                 "        source: {zh: 财务, en: Finance}\n        ---\n        "
                                                 "apiVersion: ecomperf/v1\n        kind: Metric\n        id: margin\n"
                                                 "        sorce: ERP", 1)
    metrics = metrics.replace("        formula: (revenue - cost) / revenue\n        cycle: monthly\n"
                              "        source: {zh: 财务, en: Finance}\n",
                              "        formula: (revenue - cost) / revenue\n        cycle: monthly\n")
    result = load_problems({"metrics.yaml": metrics, "positions.yaml": CONTRADICTION})
    assert _codes(result) == ["EP103", "EP302"]
    assert "did you mean 'source'?" in result.problems[0].message


def test_a_misspelt_direction_is_not_replaced_by_its_default(load_problems: Load) -> None:
    # 'directon: lower' leaves the direction unknown: comparing '<=' with the default 'higher' would be a
    # second, false problem
    metrics = BASE_FILES["metrics.yaml"].replace("        id: margin\n        name: {zh: 毛利率, en: Margin}\n"
                                                 "        unit: percent\n        direction: higher\n",
                                                 "        id: margin\n        name: {zh: 毛利率, en: Margin}\n"
                                                 "        unit: percent\n        directon: lower\n")
    result = load_problems({"metrics.yaml": metrics, "positions.yaml": CONTRADICTION})
    assert _codes(result) == ["EP103"]


def test_a_broken_position_is_still_checked_for_what_it_shows(load_problems: Load) -> None:
    # an unknown field on channel_lead, and its stage weights sum to 90: both reported at once
    positions = BASE_FILES["positions.yaml"].replace("        reports_to: manager\n",
                                                     "        reports_to: manager\n        levle: mid\n")
    positions = positions.replace('{kpi: cac, weight: 100, target: "<= 40"}', '{kpi: cac, weight: 90, target: "<= 40"}')
    result = load_problems({"positions.yaml": positions})
    assert _codes(result) == ["EP103", "EP301"]


def test_a_document_with_a_wrong_id_is_not_salvaged(load_problems: Load) -> None:
    # its id is unknown, so nothing can be said about it; references to it stay quiet (declared, broken)
    positions = BASE_FILES["positions.yaml"].replace("id: channel_lead", "id: Channel-Lead")
    result = load_problems({"positions.yaml": positions})
    assert _codes(result) == ["EP104"]
