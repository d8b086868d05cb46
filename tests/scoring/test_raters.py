"""Several raters per metric: combining, before or after scoring, missing raters, anonymity, refused input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomperf.errors import ScoringError
from ecomperf.framework import Framework
from ecomperf.model import Raters
from ecomperf.scoring.raters import combine_arrays, combine_values, rating_key
from tests.scoring.conftest import Build

RATED = """\
    apiVersion: ecomperf/v1
    kind: Metric
    id: teamwork
    name: {zh: 团队协作, en: Teamwork}
    unit: score
    cycle: monthly
    source: {zh: 360度评估, en: 360-degree review}
    raters: RATERS
    """

POSITION = """\
    apiVersion: ecomperf/v1
    kind: Position
    id: seller
    name: {zh: 销售, en: Seller}
    scorecard:
      stages:
        startup:
          - {kpi: teamwork, weight: 60, target: ">= 4", scoring: SCORING}
          - {kpi: gmv, weight: 40, target: ">= 100万"}
    """


def rated(build: Build, raters: str, scoring: str = "{method: linear, cap: 125}", missing: str = "") -> Framework:
    metric = RATED.replace("RATERS", raters) + (f"missing: {missing}\n" if missing else "")
    return build(extra_metrics=metric, positions=POSITION.replace("SCORING", scoring))


def teamwork(fw: Framework, ratings: dict[str, object], **options: object) -> object:
    card = fw.score("seller", stage="startup", period="2026-10", actuals={"gmv": 1_000_000, **ratings},
                    **options)  # type: ignore[arg-type]
    return next(kpi for kpi in card.kpis if kpi.kpi == "teamwork")


# --- combining ------------------------------------------------------------------------------------


def test_mean_counts_every_rater_once() -> None:
    # self 4, manager 3, two peers 5 and 2: (4 + 3 + 5 + 2) / 4 = 3.5
    raters = Raters(roles=["self", "manager", "peer"])
    assert combine_values(raters, [("self", 4.0), ("manager", 3.0), ("peer", 5.0), ("peer", 2.0)]) == 3.5


def test_weighted_averages_each_role_before_weighting_the_roles() -> None:
    # peers (5 + 2) / 2 = 3.5; (20*4 + 50*3 + 30*3.5) / 100 = (80 + 150 + 105) / 100 = 3.35
    raters = Raters(combine="weighted", roles=[{"id": "self", "weight": 20}, {"id": "manager", "weight": 50},
                                               {"id": "peer", "weight": 30}])
    assert combine_values(raters, [("self", 4.0), ("manager", 3.0), ("peer", 5.0), ("peer", 2.0)]) == 3.35


def test_weighted_counts_only_the_roles_present() -> None:
    # without the manager: (20*4 + 30*3.5) / 50 = 185 / 50 = 3.7
    raters = Raters(combine="weighted", roles=[{"id": "self", "weight": 20}, {"id": "manager", "weight": 50},
                                               {"id": "peer", "weight": 30}])
    assert combine_values(raters, [("self", 4.0), ("peer", 5.0), ("peer", 2.0)]) == 3.7


def test_trimmed_mean_cuts_the_share_from_each_end() -> None:
    # 10 ratings, trim 10%: floor(0.1 * 10) = 1 cut from each end: 1 and 5 go, (2+3+3+4+4+4+4+5) / 8 = 3.625
    raters = Raters(combine="trimmed_mean", trim=0.1, roles=["peer"])
    values = [1.0, 2.0, 3.0, 3.0, 4.0, 4.0, 4.0, 4.0, 5.0, 5.0]
    assert combine_values(raters, [("peer", value) for value in values]) == 3.625


def test_trimmed_mean_of_few_ratings_cuts_nothing() -> None:
    # 3 ratings, trim 10%: floor(0.3) = 0, the plain mean (1 + 4 + 4) / 3 = 3
    raters = Raters(combine="trimmed_mean", trim=0.1, roles=["peer"])
    assert combine_values(raters, [("peer", 1.0), ("peer", 4.0), ("peer", 4.0)]) == 3.0


@settings(max_examples=300, deadline=None)
@given(
    combine=st.sampled_from(["mean", "weighted", "trimmed_mean"]),
    trim=st.sampled_from([0.0, 0.1, 0.25, 0.4]),
    ratings=st.lists(st.tuples(st.sampled_from(["self", "manager", "peer"]),
                               st.floats(-10, 10, allow_nan=False)), min_size=1, max_size=9),
)
def test_arrays_combine_exactly_like_one_row(combine: str, trim: float, ratings: list[tuple[str, float]]) -> None:
    roles = [{"id": role, "weight": weight} if combine == "weighted" else role
             for role, weight in (("self", 1), ("manager", 3), ("peer", 2.5))]
    raters = Raters(combine=combine, roles=roles, trim=trim if combine == "trimmed_mean" else None)  # type: ignore[arg-type]
    columns = [(role, np.array([value, np.nan])) for role, value in ratings]
    result = combine_arrays(raters, columns)
    complete = {"self", "manager", "peer"} <= {role for role, _ in ratings}
    # the first row holds the ratings, the second none: always incomplete
    assert np.isnan(result[1])
    if complete:
        assert result[0] == combine_values(raters, ratings)
    else:
        assert np.isnan(result[0])


# --- on a card ------------------------------------------------------------------------------------


def test_ratings_combine_into_the_actual_before_scoring(build: Build) -> None:
    fw = rated(build, "{roles: [self, manager]}")
    kpi = teamwork(fw, {"teamwork@self": 5, "teamwork@manager": 4})
    # (5 + 4) / 2 = 4.5 against >= 4: 100 * 4.5 / 4 = 112.5
    assert (kpi.actual, kpi.score) == (4.5, 112.5)  # type: ignore[attr-defined]
    assert [(r.rater, r.value, r.score) for r in kpi.ratings] == [("self", 5.0, None), ("manager", 4.0, None)]  # type: ignore[attr-defined]


def test_scores_combine_after_scoring_when_asked(build: Build) -> None:
    # threshold >= 4: before scoring (5 + 3) / 2 = 4 meets it (100); after, 5 -> 100 and 3 -> 0: 50
    before = rated(build, "{roles: [self, manager]}", scoring="threshold")
    after = rated(build, "{roles: [self, manager], of: scores}", scoring="threshold")
    ratings = {"teamwork@self": 5, "teamwork@manager": 3}
    assert teamwork(before, ratings).score == 100.0  # type: ignore[attr-defined]
    kpi = teamwork(after, ratings)
    assert kpi.score == 50.0  # type: ignore[attr-defined]
    assert kpi.achievement is None  # type: ignore[attr-defined]
    assert [(r.rater, r.score) for r in kpi.ratings] == [("self", 100.0), ("manager", 0.0)]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("missing", "score"), [("renormalize", 125.0), ("zero", 62.5)])
def test_a_missing_rater_follows_the_metric_rule(build: Build, missing: str, score: float) -> None:
    # self 5, no manager: renormalize -> 5 alone: 100 * 5 / 4 = 125 (the cap); zero -> (5 + 0) / 2 = 2.5: 62.5
    fw = rated(build, "{roles: [self, manager]}", missing=missing)
    assert teamwork(fw, {"teamwork@self": 5}).score == score  # type: ignore[attr-defined]


def test_a_missing_rater_under_error_names_the_role(build: Build) -> None:
    fw = rated(build, "{roles: [self, manager]}")
    with pytest.raises(ScoringError) as raised:
        teamwork(fw, {"teamwork@self": 5})
    assert raised.value.missing == ("teamwork",)
    assert "no rating from manager (teamwork@manager)" in str(raised.value)


def test_the_run_default_applies_to_raters_without_a_rule(build: Build) -> None:
    fw = rated(build, "{roles: [self, manager]}")
    # missing='zero' for the run: (5 + 0) / 2 = 2.5 -> 62.5
    assert teamwork(fw, {"teamwork@self": 5}, missing="zero").score == 62.5  # type: ignore[attr-defined]


def test_a_rater_marked_na_is_left_out_under_every_rule(build: Build) -> None:
    fw = rated(build, "{roles: [self, manager, peer]}")
    kpi = teamwork(fw, {"teamwork@self": 4, "teamwork@manager": 3, "teamwork@peer": "n/a"})
    # the peer said n/a, so the role is present but does not count: (4 + 3) / 2 = 3.5 -> 87.5
    assert kpi.score == 87.5  # type: ignore[attr-defined]
    assert kpi.ratings[-1].note == "n/a: not counted"  # type: ignore[attr-defined]


def test_peers_are_numbered_not_named(build: Build) -> None:
    fw = rated(build, "{roles: [self, peer]}")
    card = fw.score("seller", stage="startup", period="2026-10",
                    actuals={"gmv": 1e6, "teamwork@self": 4, "teamwork@peer:wang": 3, "teamwork@peer:zhao": 5})
    kpi = card.kpis[0]
    # highest first, so the order says nothing about who gave which
    assert [(r.rater, r.value) for r in kpi.ratings] == [("self", 4.0), ("peer 1", 5.0), ("peer 2", 3.0)]
    text = card.model_dump_json() + card.to_html()
    assert "wang" not in text and "zhao" not in text


def test_a_role_may_ask_to_be_named(build: Build) -> None:
    fw = rated(build, "{roles: [self, {id: peer, anonymous: false}]}")
    kpi = teamwork(fw, {"teamwork@self": 4, "teamwork@peer:wang": 3})
    assert [r.rater for r in kpi.ratings] == ["self", "peer wang"]  # type: ignore[attr-defined]


def test_one_value_alone_is_the_combined_rating(build: Build) -> None:
    fw = rated(build, "{roles: [self, manager]}")
    kpi = teamwork(fw, {"teamwork": 4})
    assert (kpi.score, kpi.ratings) == (100.0, [])  # type: ignore[attr-defined]


def test_one_value_and_ratings_together_are_refused(build: Build) -> None:
    fw = rated(build, "{roles: [self, manager]}")
    with pytest.raises(ScoringError) as raised:
        teamwork(fw, {"teamwork": 4, "teamwork@self": 5, "teamwork@manager": 4})
    assert [p.code for p in raised.value.problems] == ["ES108"]


def test_ratings_that_are_not_numbers_are_refused_all_at_once(build: Build) -> None:
    fw = rated(build, "{roles: [self, manager]}")
    with pytest.raises(ScoringError) as raised:
        teamwork(fw, {"teamwork@self": "good", "teamwork@manager": True})
    assert [p.code for p in raised.value.problems] == ["ES103", "ES103"]


def test_an_undeclared_role_is_a_warning_without_the_raters_name(build: Build) -> None:
    fw = rated(build, "{roles: [self, manager]}", missing="renormalize")
    card = fw.score("seller", stage="startup", period="2026-10",
                    actuals={"gmv": 1e6, "teamwork@self": 4, "teamwork@manger:li": 3})
    warning = next(w for w in card.warnings if "teamwork@manger" in w)
    assert "did you mean 'manager'" in warning and "li" not in warning.replace("did you", "")


def test_ratings_by_month_roll_up_after_combining(build: Build) -> None:
    # score 'mean' rolls up by mean: October (4 + 2) / 2 = 3, November 5 alone is incomplete under renormalize
    # (manager missing: 5), December (3 + 3) / 2 = 3; Q4 = (3 + 5 + 3) / 3 = 3.666666667 -> 91.666666667
    fw = rated(build, "{roles: [self, manager]}", missing="renormalize")
    months = {"2026-10": {"teamwork@self": 4, "teamwork@manager": 2, "gmv": 1e6},
              "2026-11": {"teamwork@self": 5, "gmv": 1e6},
              "2026-12": {"teamwork@self": 3, "teamwork@manager": 3, "gmv": 1e6}}
    card = fw.score("seller", stage="startup", period="2026-Q4", actuals=months)
    assert card.kpis[0].score == 91.666666667


def test_scores_combined_after_scoring_need_the_period_itself(build: Build) -> None:
    fw = rated(build, "{roles: [self, manager], of: scores}")
    months = {f"2026-{m}": {"teamwork@self": 4, "teamwork@manager": 4, "gmv": 1e6} for m in (10, 11, 12)}
    with pytest.raises(ScoringError, match="needs the ratings of 2026-Q4 itself"):
        fw.score("seller", stage="startup", period="2026-Q4", actuals=months)


def test_rating_keys_split_metric_role_and_rater() -> None:
    assert rating_key("teamwork@peer:wang") is not None
    key = rating_key(" teamwork @ peer : wang ")
    assert key is not None and (key.metric, key.role, key.who, key.shown) == ("teamwork", "peer", "wang",
                                                                              "teamwork@peer")


def test_ratings_given_for_the_period_itself_show_on_the_card(build: Build) -> None:
    fw = rated(build, "{roles: [self, manager], of: scores}")
    # the quarter given directly: self 5 -> 125 (cap), manager 4 -> 100: (125 + 100) / 2 = 112.5
    card = fw.score("seller", stage="startup", period="2026-Q4",
                    actuals={"2026-Q4": {"teamwork@self": 5, "teamwork@manager": 4, "gmv": 3e6}})
    assert card.kpis[0].score == 112.5
    assert [(r.rater, r.score) for r in card.kpis[0].ratings] == [("self", 125.0), ("manager", 100.0)]
