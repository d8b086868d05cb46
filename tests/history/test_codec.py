"""Cards to rows and back, without a database: every bundled example card survives unchanged."""

from __future__ import annotations

import json

import pytest

import ecomperf
from ecomperf.history.codec import card_from_rows, card_rows, period_bounds
from ecomperf.periods import Period
from ecomperf.scoring.results import ScoreCard
from tests.conftest import REPO


@pytest.mark.parametrize("sample", ["actuals-2026-10.csv", "actuals-2026-Q3.csv"])
def test_every_example_card_round_trips_through_json_rows(sample: str) -> None:
    fw = ecomperf.load(REPO / "frameworks" / "ecommerce-ops")
    cards = fw.score_many(ecomperf.read_actuals(REPO / "examples" / sample), missing="renormalize", detail=True).cards
    assert cards
    for card in cards:
        row, kpis = card_rows(card)
        # through JSON, as a database's JSON columns store them
        assert card_from_rows(json.loads(json.dumps(row)), json.loads(json.dumps(kpis))[::-1]) == card


def test_periods_are_stored_as_their_first_and_last_month() -> None:
    # 2026 × 12 + 10 - 1 = 24321 (October 2026)
    assert period_bounds(Period.parse("2026-10")) == (24321, 24321)
    assert period_bounds(Period.parse("2026")) == (24312, 24323)


def _sentences(card: ScoreCard) -> list[tuple[str, str, dict[str, object]]]:
    texts = [*card.warnings, *(note for kpi in card.kpis for note in kpi.notes),
             *(dropped.detail for dropped in card.dropped if dropped.detail is not None)]
    return [(str(text), getattr(text, "msgid", ""), dict(getattr(text, "params", {}))) for text in texts]


def test_the_engines_sentences_come_back_with_their_ids_and_parameters() -> None:
    fw = ecomperf.load(REPO / "frameworks" / "ecommerce-ops")
    cards = fw.score_many(ecomperf.read_actuals(REPO / "examples" / "actuals-2026-10.csv"), missing="renormalize",
                          detail=True).cards
    kept = 0
    for card in cards:
        row, kpis = card_rows(card)
        back = card_from_rows(json.loads(json.dumps(row)), json.loads(json.dumps(kpis)))
        assert _sentences(back) == _sentences(card)
        kept += sum(1 for _, msgid, _ in _sentences(back) if msgid)
    # E001 3 (a planned target, a quarterly rate kept, a formula), E002 3, E004 1, E007 3 (the formula and its
    # veto twice), E008 2 (the formula, its renormalised KPI): 12 sentences, every one kept with its id
    assert kept == 12


def test_a_card_recorded_with_plain_english_notes_reads_back_as_it_was_written() -> None:
    fw = ecomperf.load(REPO / "frameworks" / "ecommerce-ops")
    card = fw.score_many(ecomperf.read_actuals(REPO / "examples" / "actuals-2026-10.csv"), missing="renormalize",
                         detail=True).cards[0]
    row, kpis = card_rows(card)
    # what revision 0002 stored: every sentence as its English text
    old_kpis = [{**stored, "notes": [str(note) for note in kpi.notes]}
                for stored, kpi in zip(json.loads(json.dumps(kpis)), card.kpis, strict=True)]
    assert any(stored["notes"] for stored in old_kpis)
    back = card_from_rows(json.loads(json.dumps(row)), old_kpis)
    assert back == card
    assert all(type(note) is str for kpi in back.kpis for note in kpi.notes)
