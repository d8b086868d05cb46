"""Which KPIs a card carries: positions, stages, context variants, events and cycles.

Events in the base framework (file order): double_11 (every November, mature stage: adds campaign_gmv 30,
reweights gmv 20 and repurchase 20, sets the gmv target to 3000万), november_push (2026-11 only, every
stage: gmv target 2500万), clearance (every June, mature: repurchase 50, conversion_rate 0).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from ecomperf import ScoringError
from ecomperf.framework import Framework
from ecomperf.periods import Period
from ecomperf.scoring.resolve import ResolvedCard, resolve_card

from .conftest import Build

MATURE: dict[str, Any] = {
    "repurchase_rate": 0.35,  # 100
    "gmv": "3000万",  # 150 → cap 120 against 2000万
    "inventory_turnover": 5,
    "orders": 30,
    "visitors": 1000,  # conversion 3% → 100
    "violations": 0,
}


def targets(card: ResolvedCard) -> dict[str, str]:
    return {entry.kpi: str(entry.target) for entry in card.entries}


def weights(card: ResolvedCard) -> dict[str, float]:
    return {entry.kpi: entry.weight for entry in card.entries}


# --- unknown names ---------------------------------------------------------------------------------


def test_unknown_position_suggests_the_closest(fw: Framework) -> None:
    with pytest.raises(ScoringError, match=re.escape("unknown position 'store_manger'; did you mean 'store_manager'?")):
        resolve_card(fw, "store_manger", stage="startup", period="2026-10")


def test_unknown_stage_suggests_the_closest(fw: Framework) -> None:
    with pytest.raises(ScoringError, match=re.escape("unknown stage 'matur'; did you mean 'mature'?")):
        fw.score("store_manager", stage="matur", period="2026-10", actuals={})


def test_stage_the_position_has_no_scorecard_for(fw: Framework) -> None:
    with pytest.raises(ScoringError, match="'service_agent' has no scorecard for stage 'mature'; its stages: startup"):
        resolve_card(fw, "service_agent", stage="mature", period="2026-10")


def test_unknown_context_dimensions_and_values_are_all_reported(fw: Framework) -> None:
    with pytest.raises(ScoringError) as caught:
        resolve_card(fw, "store_manager", stage="mature", period="2026-10",
                     context={"categry": "apparel", "region": "remot"})
    assert tuple(p.message for p in caught.value.problems) == (
        "unknown context dimension 'categry'; did you mean 'category'?",
        "unknown region 'remot'; did you mean 'remote'?",
    )


def test_bad_period_is_a_scoring_error(fw: Framework) -> None:
    with pytest.raises(ScoringError, match="cannot score period '2026-13'"):
        resolve_card(fw, "store_manager", stage="mature", period="2026-13")


# --- variants --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("context", "target", "variant"),
    [
        ({"category": "electronics_3c"}, ">= 6", {"category": "electronics_3c"}),
        ({"category": "fmcg", "region": "remote"}, ">= 3", {"category": ["apparel", "fmcg"], "region": "remote"}),
        ({"category": "apparel", "region": "remote"}, ">= 3", {"category": ["apparel", "fmcg"], "region": "remote"}),
        ({"category": "fmcg", "region": "standard"}, ">= 4", None),  # no variant matches: the default
    ],
)
def test_context_selects_the_target_variant(
    fw: Framework, context: dict[str, str], target: str, variant: dict[str, Any] | None
) -> None:
    card = fw.score("store_manager", stage="mature", period="2026-10", actuals=MATURE, context=context)
    turnover = next(k for k in card.kpis if k.kpi == "inventory_turnover")
    assert (str(turnover.target), turnover.variant) == (target, variant)
    assert card.context == context


def test_variant_score_uses_the_variant_target(fw: Framework) -> None:
    # turnover 5 against the 3C target ≥ 6: 100 · 5 / 6 = 83.333333333
    card = fw.score("store_manager", stage="mature", period="2026-10", actuals=MATURE,
                    context={"category": "electronics_3c"})
    turnover = next(k for k in card.kpis if k.kpi == "inventory_turnover")
    assert turnover.score == pytest.approx(83.333333333)
    assert "target >= 6 from variant category=electronics_3c" in turnover.notes


def test_first_matching_variant_wins(build: Build) -> None:
    fw = build(positions="""\
        apiVersion: ecomperf/v1
        kind: Position
        id: buyer
        name: Buyer
        scorecard:
          stages:
            startup:
              - kpi: gmv
                weight: 100
                target: ">= 100万"
                variants:
                  - {when: {region: remote}, target: ">= 50万"}
                  - {when: {category: electronics_3c}, target: ">= 300万"}
        """)
    card = resolve_card(fw, "buyer", stage="startup", period="2026-10",
                        context={"category": "electronics_3c", "region": "remote"})
    assert targets(card) == {"gmv": ">= 50万"}


def test_no_warning_when_an_earlier_variant_matched(fw: Framework) -> None:
    card = resolve_card(fw, "store_manager", stage="mature", period="2026-10", context={"category": "electronics_3c"})
    assert card.warnings == ()


def test_a_context_without_a_dimension_variants_need_is_warned_about(fw: Framework) -> None:
    card = resolve_card(fw, "store_manager", stage="mature", period="2026-10")
    assert targets(card)["inventory_turnover"] == ">= 4"
    assert card.warnings == (
        "no 'category' in the context, so the default target applies to inventory_turnover "
        "(target variants depend on category)",
        "no 'region' in the context, so the default target applies to inventory_turnover "
        "(target variants depend on region)",
    )


# --- events ----------------------------------------------------------------------------------------


def test_events_matching_the_period_apply_in_file_order(fw: Framework) -> None:
    card = resolve_card(fw, "store_manager", stage="mature", period="2026-11", context={"category": "fmcg"})
    assert [e.id for e in card.events] == ["double_11", "november_push"]
    # double_11: repurchase 40→20, gmv 30→20, campaign_gmv +30; turnover 20 and conversion 10 unchanged
    assert weights(card) == {"repurchase_rate": 20, "gmv": 20, "inventory_turnover": 20, "conversion_rate": 10,
                             "violations": 0, "campaign_gmv": 30}
    # both set the gmv target; the later event (november_push) wins
    assert targets(card)["gmv"] == ">= 2500万"
    assert targets(card)["campaign_gmv"] == ">= 1000万"


def test_event_scores_use_the_overridden_weights_and_targets(fw: Framework) -> None:
    card = fw.score("store_manager", stage="mature", period="2026-11", context={"category": "fmcg"},
                    actuals={**MATURE, "campaign_gmv": "1100万"})
    scores = {k.kpi: k.score for k in card.kpis}
    # gmv 3000万 / 2500万 → 120; campaign 1100 / 1000 → 110; turnover 5 / 4 → 120 (125 capped); others 100
    assert scores == {"repurchase_rate": 100, "gmv": 120, "inventory_turnover": 120, "conversion_rate": 100,
                      "violations": 100, "campaign_gmv": 110}
    # 20·100 + 20·120 + 20·120 + 10·100 + 30·110 = 2000 + 2400 + 2400 + 1000 + 3300 = 11100 → 111 → S
    assert (card.total, card.grade) == (111.0, "S")
    assert card.events == ["double_11", "november_push"]
    gmv = next(k for k in card.kpis if k.kpi == "gmv")
    assert gmv.notes[0] == ("weight 30 → 20 by event double_11; target >= 3000万 by event double_11; "
                            "target >= 2500万 by event november_push")


def test_no_event_applies_outside_its_periods(fw: Framework) -> None:
    card = resolve_card(fw, "store_manager", stage="mature", period="2026-10", context={"category": "fmcg"})
    assert card.events == ()
    assert weights(card) == {"repurchase_rate": 40, "gmv": 30, "inventory_turnover": 20, "conversion_rate": 10,
                             "violations": 0}


def test_event_overrides_respect_their_stages(fw: Framework) -> None:
    # double_11 is for the mature stage only; november_push applies to every stage
    card = resolve_card(fw, "store_manager", stage="startup", period="2026-11")
    assert [e.id for e in card.events] == ["november_push"]
    assert "campaign_gmv" not in weights(card)
    assert targets(card)["gmv"] == ">= 2500万"


def test_explicit_event_applies_whatever_the_period(fw: Framework) -> None:
    card = resolve_card(fw, "store_manager", stage="mature", period="2026-10", event="double_11",
                        context={"category": "fmcg", "region": "standard"})
    assert [e.id for e in card.events] == ["double_11"]
    assert targets(card)["gmv"] == ">= 3000万"
    assert card.warnings == ("event 'double_11' applied as asked, although its periods (*-11) do not include 2026-10",)


def test_explicit_event_object_and_lists_are_accepted(fw: Framework) -> None:
    clearance = fw.events[2]
    card = resolve_card(fw, "store_manager", stage="mature", period="2026-06", event=[clearance],
                        context={"category": "fmcg"})
    assert [e.id for e in card.events] == ["clearance"]


def test_event_none_disables_events(fw: Framework) -> None:
    card = resolve_card(fw, "store_manager", stage="mature", period="2026-11", event=None,
                        context={"category": "fmcg"})
    assert card.events == ()
    assert targets(card)["gmv"] == ">= 2000万"


def test_unknown_event_suggests_the_closest(fw: Framework) -> None:
    with pytest.raises(ScoringError, match=re.escape("unknown event 'double11'; did you mean 'double_11'?")):
        resolve_card(fw, "store_manager", stage="mature", period="2026-11", event="double11")


def test_explicit_event_without_an_override_for_the_card_is_warned_about(fw: Framework) -> None:
    card = resolve_card(fw, "service_agent", stage="startup", period="2026-11", event="double_11")
    assert card.events == ()
    assert "event 'double_11' has no override for service_agent in stage 'startup'" in card.warnings


def test_event_weight_zero_takes_the_kpi_off_the_card(fw: Framework) -> None:
    # clearance (June): repurchase 40→50, conversion 10→0. No conversion actuals are needed.
    actuals = {k: v for k, v in MATURE.items() if k not in ("orders", "visitors")}
    card = fw.score("store_manager", stage="mature", period="2026-06", actuals=actuals, context={"category": "fmcg"})
    assert "conversion_rate" not in [k.kpi for k in card.kpis]
    assert [(d.kpi, d.weight, d.reason, d.detail) for d in card.dropped] == [
        ("conversion_rate", 0.0, "removed by event", "event clearance sets its weight to 0")
    ]
    # 50·100 + 30·120 + 20·120 = 5000 + 3600 + 2400 = 11000 → 110 → S
    assert (card.total, card.grade) == (110.0, "S")


# --- cycles ----------------------------------------------------------------------------------------


def test_cycle_comes_from_the_entry_then_the_metric_then_the_scorecard(build: Build) -> None:
    fw = build(positions="""\
        apiVersion: ecomperf/v1
        kind: Position
        id: analyst
        name: Analyst
        scorecard:
          cycle: quarterly
          stages:
            startup:
              - {kpi: gmv, weight: 40, target: ">= 100万", cycle: annual}
              - {kpi: nps, weight: 30, target: ">= 40"}
              - {kpi: orders_per_visitor_pct, weight: 30, target: ">= 3"}
        """)
    card = resolve_card(fw, "analyst", stage="startup", period=Period.parse("2026-Q4"))
    # gmv: entry says annual; nps: metric says quarterly; orders_per_visitor_pct: no metric cycle → scorecard's
    assert [entry.cycle for entry in card.entries] == ["annual", "quarterly", "quarterly"]


def test_zero_direction_kpi_without_a_target_means_zero(build: Build) -> None:
    fw = build(positions="""\
        apiVersion: ecomperf/v1
        kind: Position
        id: buyer
        name: Buyer
        scorecard:
          stages:
            startup:
              - {kpi: gmv, weight: 100, target: ">= 100万"}
              - {kpi: violations, weight: 0}
        """)
    card = resolve_card(fw, "buyer", stage="startup", period="2026-10")
    veto = card.entries[1]
    assert (str(veto.target), veto.method.method, veto.note) == ("== 0", "veto", "zero tolerance: target == 0")
