"""EP4xx rules: SMART KPIs count the scorecard's cycle (issue 10, item 10)."""

from __future__ import annotations

from collections.abc import Callable

from ecomperf.loading.documents import LoadResult
from tests.conftest import BASE_FILES

Load = Callable[..., LoadResult]

NO_CYCLE = BASE_FILES["metrics.yaml"].replace(
    "        direction: lower\n        cycle: monthly\n        source: {zh: 后台, en: Back office}\n",
    "        direction: lower\n        source: {zh: 后台, en: Back office}\n")  # cac loses its cycle


def _ep404(result: LoadResult) -> list[str]:
    return [problem.message for problem in result.problems if problem.code == "EP404"]


def test_a_kpi_without_any_cycle_is_warned_about(load_problems: Load) -> None:
    result = load_problems({"metrics.yaml": NO_CYCLE})
    assert _ep404(result) == ["KPI 'cac' has no cycle (SMART: measurable and time-bound)"]


def test_the_scorecard_cycle_counts(load_problems: Load) -> None:
    # The report: EP404 warned "no cycle" although the resolution order counts scorecard.cycle.
    positions = BASE_FILES["positions.yaml"].replace(
        "        modules: [channel_ops]\n        scorecard:\n",
        "        modules: [channel_ops]\n        scorecard:\n          cycle: monthly\n")
    result = load_problems({"metrics.yaml": NO_CYCLE, "positions.yaml": positions})
    assert _ep404(result) == []


def test_an_event_kpi_counts_the_cycle_of_its_positions_scorecard(load_problems: Load) -> None:
    positions = BASE_FILES["positions.yaml"].replace(
        "        level: mid\n        modules: [product_ops]\n        scorecard:\n",
        "        level: mid\n        modules: [product_ops]\n        scorecard:\n          cycle: monthly\n")
    event = """\
        apiVersion: ecomperf/v1
        kind: Event
        id: promo
        name: {zh: 大促, en: Promotion}
        periods: ["*-11"]
        overrides:
          - position: manager
            stages: [mature]
            add: [{kpi: cac, weight: 20, target: "<= 30"}]
            weights: {gmv: 80}
        """
    result = load_problems({"metrics.yaml": NO_CYCLE, "positions.yaml": positions, "events.yaml": event})
    # cac on channel_lead's card (no scorecard cycle) still warns; on manager's, added by the event, it does not
    assert [(p.message, p.span.file.rsplit("/", 1)[-1] if p.span else "") for p in result.problems
            if p.code == "EP404"] == [("KPI 'cac' has no cycle (SMART: measurable and time-bound)", "positions.yaml")]
