"""Cards to rows and back, without a database: every bundled example card survives unchanged."""

from __future__ import annotations

import json

import pytest

import ecomperf
from ecomperf.history.codec import card_from_rows, card_rows, period_bounds
from ecomperf.periods import Period
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
