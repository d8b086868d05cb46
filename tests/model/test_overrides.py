"""Event overrides: the one rule that validation (EP305) and card resolution both apply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import ecomperf
from ecomperf.model import Event, KpiEntry
from ecomperf.model.overrides import apply_overrides, override_applies
from ecomperf.scoring.resolve import resolve_card
from tests.conftest import REPO


def _event(event_id: str, *overrides: dict[str, Any]) -> Event:
    return Event.model_validate({
        "apiVersion": "ecomperf/v1", "kind": "Event", "id": event_id, "name": event_id,
        "periods": ["*-11"], "overrides": list(overrides),
    })


STAGE = [KpiEntry(kpi="gmv", weight=60, target=">= 100"), KpiEntry(kpi="margin", weight=40, target=">= 40%")]


def test_weights_targets_and_added_kpis_apply() -> None:
    event = _event("double_11", {
        "position": "p", "weights": {"gmv": 40, "margin": 30},
        "targets": {"gmv": ">= 150"}, "add": [{"kpi": "campaign", "weight": 30, "target": ">= 10"}],
    })
    effective = apply_overrides(STAGE, [event], "p", "growth")
    # 40 + 30 + 30 = 100: the card scoring builds, and the one EP305 checks.
    assert {kpi: k.weight for kpi, k in effective.kpis.items()} == {"gmv": 40, "margin": 30, "campaign": 30}
    assert effective.kpis["gmv"].event_target is not None and effective.kpis["gmv"].event_target.value == 150
    assert effective.applied == (event,)
    assert effective.ignored == ()


def test_a_later_event_overriding_the_same_kpi_wins() -> None:
    first = _event("first", {"position": "p", "weights": {"gmv": 70, "margin": 30}})
    second = _event("second", {"position": "p", "weights": {"gmv": 50, "margin": 50}})
    effective = apply_overrides(STAGE, [first, second], "p", "growth")
    assert effective.kpis["gmv"].weight == 50
    assert effective.kpis["gmv"].notes == ["weight 60 → 70 by event first", "weight 70 → 50 by event second"]


def test_an_override_of_a_kpi_not_on_the_card_changes_nothing_and_says_so() -> None:
    event = _event("e", {"position": "p", "weights": {"gmv": 50, "margin": 40, "campaign": 10}})
    effective = apply_overrides(STAGE, [event], "p", "growth")
    # The phantom 10 points are not on the card: scoring and validation both see 50 + 40 = 90.
    assert sum(k.weight for k in effective.kpis.values()) == 90
    assert effective.ignored == ("event 'e' sets the weight of 'campaign', which is not on the card; ignored",)


def test_weight_zero_records_the_event_that_took_the_kpi_off() -> None:
    event = _event("e", {"position": "p", "weights": {"gmv": 100, "margin": 0}})
    assert apply_overrides(STAGE, [event], "p", "growth").kpis["margin"].zeroed_by == "e"


@pytest.mark.parametrize(
    ("stages", "stage", "applies"),
    [(None, "growth", True), (["growth"], "growth", True), (["mature"], "growth", False)],
)
def test_an_override_applies_to_its_stages_only(stages: list[str] | None, stage: str, applies: bool) -> None:
    override = _event("e", {"position": "p", "stages": stages, "weights": {"gmv": 60}}).overrides[0]
    assert override_applies(override, "p", stage) is applies
    assert override_applies(override, "other", stage) is False


def test_every_bundled_event_card_resolves_to_the_weights_validation_checked() -> None:
    fw = ecomperf.load(Path(REPO / "frameworks" / "ecommerce-ops"))  # Double 11 and 618
    checked = 0
    for event in fw.events:
        for override in event.overrides:
            position = fw.positions[override.position]
            assert position.scorecard is not None
            for stage in override.stages or list(position.scorecard.stages):
                card = resolve_card(fw, position.id, stage=stage, period="2026-11", event=[event])
                on_card = {e.kpi: e.weight for e in card.entries}
                effective = apply_overrides(position.scorecard.stages[stage], [event], position.id, stage)
                # An event's weight 0 takes a KPI off the card; a veto KPI keeps its own weight 0.
                assert on_card == {k: v.weight for k, v in effective.kpis.items() if v.zeroed_by is None}
                assert sum(on_card.values()) == pytest.approx(100)
                checked += 1
    assert checked > 0
