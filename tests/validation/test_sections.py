"""EP311 sections, EP301/EP305 within weighted sections, EP312 raters: the code, location and message of each.

Locations are ``file:line:column`` (1-based); each test says which token it points at.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from ecomperf.loading.documents import LoadResult
from tests.conftest import BASE_FILES, codes_at

Load = Callable[..., LoadResult]

CHANNEL_LEAD = textwrap.dedent(BASE_FILES["positions.yaml"]).split("---\n")[1]

MANAGER = """\
apiVersion: ecomperf/v1
kind: Position
id: manager
name: {zh: 店长, en: Manager}
level: mid
modules: [product_ops]
scorecard:
  sections:
    - {id: results, name: {zh: 业绩, en: Results}, weight: 60}
    - {id: margin, name: {zh: 利润, en: Margin}, weight: 40}
  stages:
    startup:
      - {kpi: gmv, section: results, weight: 100, target: ">= 100万"}
      - {kpi: margin, section: margin, weight: 100, target: ">= 40%"}
    mature:
      - {kpi: gmv, section: results, weight: 100, target: ">= 200万"}
      - {kpi: margin, section: margin, weight: 100, target: ">= 40%"}
"""


def positions(manager: str) -> dict[str, str | None]:
    return {"positions.yaml": manager + "---\n" + CHANNEL_LEAD}


def found(result: LoadResult, *codes: str) -> list[tuple[str, str, str]]:
    return [(code, where, problem.message)
            for (code, where), problem in zip(codes_at(result), result.problems, strict=True) if code in codes]


def test_weighted_sections_that_sum_to_100_are_clean(load_problems: Load) -> None:
    assert load_problems(positions(MANAGER)).problems == ()


def test_ep311_section_weights_must_sum_to_100(load_problems: Load) -> None:
    result = load_problems(positions(MANAGER.replace("weight: 40}", "weight: 30}")))
    # the `sections:` key, line 8 column 3
    assert found(result, "EP311") == [
        ("EP311", "positions.yaml:8:3", "section weights sum to 90, not 100 (results 60 + margin 30)")]


def test_ep311_relative_section_weights_need_not_sum_to_100(load_problems: Load) -> None:
    text = MANAGER.replace("weight: 60}", "weight: 3}").replace("weight: 40}", "weight: 2}").replace(
        "scorecard:\n", "scorecard:\n  weights: relative\n")
    assert load_problems(positions(text)).problems == ()


def test_ep311_every_section_or_none_has_a_weight(load_problems: Load) -> None:
    result = load_problems(positions(MANAGER.replace(", weight: 40}", "}")))
    # the second section's entry, line 10 column 7
    assert found(result, "EP311") == [("EP311", "positions.yaml:10:7", "section 'margin' has no weight while "
                                       "results has one")]


def test_ep311_unknown_section_with_a_suggestion(load_problems: Load) -> None:
    result = load_problems(positions(MANAGER.replace("section: margin, weight: 100, target: \">= 40%\"}\n    mature",
                                                     "section: margins, weight: 100, target: \">= 40%\"}\n    mature")))
    # the `section:` value of the startup margin entry, line 14 column 23; the section it leaves empty is
    # not reported as well
    assert found(result, "EP311") == [("EP311", "positions.yaml:14:23", "unknown section 'margins'; did you mean "
                                       "'margin'?")]


def test_ep311_a_section_on_a_card_without_sections(load_problems: Load) -> None:
    bare = BASE_FILES["positions.yaml"].replace("- {kpi: gmv, weight: 60,", "- {kpi: gmv, section: goals, weight: 60,")
    result = load_problems({"positions.yaml": bare})
    problem = next(p for p in result.problems if p.code == "EP311")
    assert problem.message == "unknown section 'goals'"
    assert problem.hint == "declare `sections:` on the scorecard of manager, or drop `section:`"


def test_ep311_a_weighted_kpi_outside_every_section(load_problems: Load) -> None:
    text = MANAGER.replace("- {kpi: gmv, section: results, weight: 100, target: \">= 200万\"}",
                           "- {kpi: gmv, weight: 100, target: \">= 200万\"}")
    result = load_problems(positions(text))
    # the mature gmv entry, line 16 column 9
    assert ("EP311", "positions.yaml:16:9") in [(c, w) for c, w, _ in found(result, "EP311")]


def test_ep311_a_weighted_section_empty_in_a_stage(load_problems: Load) -> None:
    text = MANAGER.replace("      - {kpi: margin, section: margin, weight: 100, target: \">= 40%\"}\n", "", 1)
    result = load_problems(positions(text))
    # the `startup:` key, line 12 column 5
    assert found(result, "EP311") == [("EP311", "positions.yaml:12:5", "section 'margin' carries weight 40 but no "
                                       "KPI of stage 'startup' with a weight is in it")]


def test_ep301_each_weighted_section_sums_to_100(load_problems: Load) -> None:
    text = MANAGER.replace("section: results, weight: 100, target: \">= 100万\"", "section: results, weight: 90, "
                           "target: \">= 100万\"")
    result = load_problems(positions(text))
    # the `startup:` key, line 12 column 5; the stage as a whole no longer needs to sum to 100
    assert found(result, "EP301") == [("EP301", "positions.yaml:12:5", "weights of section 'results' in stage "
                                       "'startup' sum to 90, not 100 (gmv 90)")]


def test_ep305_each_weighted_section_still_sums_to_100_during_an_event(load_problems: Load) -> None:
    event = """\
        apiVersion: ecomperf/v1
        kind: Event
        id: promo
        name: {zh: 大促, en: Promotion}
        periods: ["*-11"]
        overrides:
          - position: manager
            stages: [startup]
            weights: {gmv: 80}
        """
    result = load_problems({**positions(MANAGER), "events.yaml": event})
    # the override's `weights:` key, line 9 column 5, as for EP305 without sections
    assert found(result, "EP305") == [("EP305", "events.yaml:9:5", "during 'promo', section 'results' of manager's "
                                       "'startup' card sums to 80, not 100 (gmv 80)")]


def test_ep209_a_section_id_twice(load_problems: Load) -> None:
    text = MANAGER.replace("- {id: margin, name: {zh: 利润, en: Margin}, weight: 40}",
                           "- {id: results, name: {zh: 利润, en: Margin}, weight: 40}")
    result = load_problems(positions(text))
    # the second section's `id` key, line 10 column 8
    assert ("EP209", "positions.yaml:10:8") in [(c, w) for c, w, _ in found(result, "EP209")]


RATED = """\
apiVersion: ecomperf/v1
kind: Metric
id: teamwork
name: {zh: 团队协作, en: Teamwork}
unit: score
direction: zero
cycle: monthly
source: {zh: 360度评估, en: 360-degree review}
raters: {roles: [self, manager], of: scores}
"""


def test_ep312_a_veto_cannot_combine_scores(load_problems: Load) -> None:
    card = BASE_FILES["positions.yaml"].replace(
        "- {kpi: violations, weight: 0, target: \"== 0\", scoring: veto}",
        "- {kpi: violations, weight: 0, target: \"== 0\", scoring: veto}\n"
        "              - {kpi: teamwork, weight: 0, target: \"== 0\"}")
    result = load_problems({"positions.yaml": card, "teamwork.yaml": RATED})
    problem = next(p for p in result.problems if p.code == "EP312")
    assert problem.message.startswith("veto scoring of 'teamwork', whose raters combine their scores")


def test_ep312_a_rated_metric_has_no_formula(load_problems: Load) -> None:
    result = load_problems({"teamwork.yaml": RATED.replace("direction: zero\n", "formula: margin * 5\n")})
    # the `raters:` key, line 9 column 1
    assert found(result, "EP312") == [("EP312", "teamwork.yaml:9:1", "metric 'teamwork' is rated by people "
                                       "(raters), so it cannot also have a formula")]
