"""Cards built from the explained columns (``ecomperf.batch.cards``) are the cards of the scalar engine."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ecomperf
from ecomperf.batch.cards import CHUNK_ROWS, ExplainedCards
from ecomperf.batch.engine import score_many
from ecomperf.batch.results import BatchResult
from ecomperf.errors import ScoringError
from ecomperf.framework import Framework
from ecomperf.render.sentences import card_in_locale, sentence_text
from ecomperf.scoring.results import ScoreCard
from tests.batch.test_vectorized import _random_bundled_rows, rows
from tests.peers import FRAPPE, FRAPPE_ACTUALS, OKR, ORANGEHRM, okr_actuals

REPO = Path(__file__).resolve().parents[2]
_BUNDLED = ["frameworks/ecommerce-ops", "frameworks/cross-border", "examples/mini-framework",
            "tests/fixtures/live-shop"]


def assert_same_cards(built: ExplainedCards, cards: list[ScoreCard]) -> None:
    """Equal cards, field by field and in the bytes of their JSON (which is what writers write)."""
    assert len(built) == len(cards)
    for place, (mine, theirs) in enumerate(zip(built, cards, strict=True)):
        assert mine.model_dump_json() == theirs.model_dump_json(), place
        assert mine == theirs, place


def both(fw: Framework, batch: Any, **options: Any) -> tuple[BatchResult, BatchResult]:
    """The result scored with ``explain`` (no cards) and with ``detail`` (a card per row)."""
    explained = score_many(fw, batch, explain=True, **options)
    assert not explained.cards
    return explained, score_many(fw, batch, detail=True, **options)


@pytest.mark.parametrize("name", _BUNDLED)
@pytest.mark.parametrize("missing", ["error", "renormalize", "zero"])
def test_cards_of_the_bundled_frameworks_are_the_scalar_cards(name: str, missing: str) -> None:
    fw = ecomperf.load(REPO / name)
    batch = _random_bundled_rows(fw, random.Random(2026), 300)  # quarters, event months, n/a, formulas given or not
    explained, cards = both(fw, batch, missing=missing)
    assert explained.errors == cards.errors
    assert_same_cards(ExplainedCards(explained), cards.cards)


def test_cards_with_raters_sections_and_a_display_scale_are_the_scalar_cards() -> None:
    frappe = ecomperf.load(FRAPPE)
    absent_self = {key: value for key, value in FRAPPE_ACTUALS.items() if not key.endswith("@self")}
    batch = [{"employee": f"e{number}", "position": "engineer", "stage": "default", "period": "2026", **actuals}
             for number, actuals in enumerate([FRAPPE_ACTUALS, absent_self, {**FRAPPE_ACTUALS, "kra_quality": 2}])]
    explained, cards = both(frappe, batch)
    # kra_quality 2 of 5: goals 0.3 * 40 + 0.7 * 60 = 54 points, total (54 + 2 * 77) / 3 = 69.33 = 3.467 of 5
    assert [card.shown_total for card in cards.cards] == [3.767, 2.483, 3.467]
    assert any(kpi.ratings for kpi in cards.cards[0].kpis) and cards.cards[0].sections
    assert_same_cards(ExplainedCards(explained), cards.cards)

    okr = ecomperf.load(OKR)
    batch = [{"employee": f"o{n}", "position": "growth_team", "stage": "default", "period": "2026-Q4",
              **okr_actuals((0, 100, 30 * n), (10, 20, 15), (1, 0, n))} for n in range(4)]
    assert_same_cards(ExplainedCards(both(okr, batch)[0]), both(okr, batch)[1].cards)

    orange = ecomperf.load(ORANGEHRM)
    position = "software_engineer"
    metrics = [m for m in orange.metrics if orange.metrics[m].raters is None]
    rated = [m for m in orange.metrics if orange.metrics[m].raters is not None]
    batch = [{"employee": f"h{n}", "position": position, "stage": "default", "period": "2026",
              **dict.fromkeys(metrics, 50 + 10 * n), **{f"{m}@supervisor": 60 + n for m in rated},
              **({f"{m}@self": 90 for m in rated} if n % 2 else {})} for n in range(4)]
    explained, cards = both(orange, batch, missing="zero")
    assert cards.cards and explained.errors == cards.errors
    assert_same_cards(ExplainedCards(explained), cards.cards)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(rows(), min_size=1, max_size=25), missing=st.sampled_from(["error", "renormalize", "zero"]))
def test_cards_of_every_method_veto_event_and_variant_are_the_scalar_cards(
    methods_fw: Framework, batch: list[dict[str, Any]], missing: str
) -> None:
    explained, cards = both(methods_fw, batch, missing=missing)
    assert explained.errors == cards.errors
    assert_same_cards(ExplainedCards(explained), cards.cards)


def test_a_zeroed_total_keeps_its_uncapped_total(methods_fw: Framework) -> None:
    row = {"employee": "li", "position": "seller", "stage": "startup", "period": "2026-10", "category": "apparel",
           "revenue": 2e6, "cost": 7e5, "hours": 12, "share": 0.3, "conversion": 0.05, "growth": 0.2,
           "refund_days": 7, "violations": 0, "complaints": 5}
    explained, cards = both(methods_fw, [row])
    card = cards.cards[0]
    assert card.total == 0.0 and card.uncapped_total is not None and card.uncapped_total > 0
    assert ExplainedCards(explained)[0].uncapped_total == card.uncapped_total
    assert_same_cards(ExplainedCards(explained), cards.cards)


def test_rolled_up_quarters_and_several_files_give_the_scalar_cards(mini: Framework) -> None:
    months = [{"employee": f"e{n % 7}", "position": "service_agent", "stage": "mature", "period": f"2026-{month}",
               "inquiry_response_hours": 10 + n} for n, month in enumerate(["10", "11", "12"] * 7)]
    explained, cards = both(mini, months, rollup="quarter")
    assert {card.period for card in cards.cards} == {"2026-Q4"}
    assert_same_cards(ExplainedCards(explained), cards.cards)


def test_a_locale_writes_the_sentences_as_card_in_locale_does(mini: Framework) -> None:
    batch = _random_bundled_rows(mini, random.Random(7), 200)
    explained, cards = both(mini, batch, missing="renormalize")
    for locale in ("zh", "en"):
        built = ExplainedCards(explained, translate=lambda text, locale=locale: sentence_text(text, locale))
        assert_same_cards(built, [card_in_locale(card, locale) for card in cards.cards])
    assert any(kpi.notes for card in cards.cards for kpi in card.kpis)  # there were sentences to write


def test_cards_are_built_by_index_slice_and_chunk(mini: Framework) -> None:
    batch = _random_bundled_rows(mini, random.Random(11), CHUNK_ROWS + 300)
    explained, cards = both(mini, batch, missing="zero")
    built = ExplainedCards(explained)
    assert len(built) == len(cards.cards) > CHUNK_ROWS  # iterating crosses a chunk boundary
    assert built[-1] == cards.cards[-1] and built[3] == cards.cards[3]
    assert built[CHUNK_ROWS - 2:CHUNK_ROWS + 2] == cards.cards[CHUNK_ROWS - 2:CHUNK_ROWS + 2]
    assert built[10:2] == [] and built[::500] == cards.cards[::500]
    with pytest.raises(IndexError):
        built[len(built)]
    # each card is a new object: changing one's lists changes no other card
    first, again = built[0], built[0]
    assert first == again and first is not again and first.context is not again.context


def test_a_result_without_explained_columns_has_no_cards_to_build(mini: Framework) -> None:
    fast = score_many(mini, _random_bundled_rows(mini, random.Random(3), 5))
    with pytest.raises(ScoringError, match="explain=True"):
        ExplainedCards(fast)


def test_documents_list_the_fields_in_declared_order_and_serialise_to_the_cards_bytes(mini: Framework) -> None:
    from pydantic_core import to_json

    from ecomperf.scoring.results import KpiScore

    explained, cards = both(mini, _random_bundled_rows(mini, random.Random(5), 120), missing="zero")
    documents = list(ExplainedCards(explained).documents())
    assert len(documents) == len(cards.cards)
    for document, card in zip(documents, cards.cards, strict=True):
        assert list(document) == list(ScoreCard.model_fields)
        assert all(list(kpi) == list(KpiScore.model_fields) for kpi in document["kpis"])
        assert to_json(document, indent=2) == to_json(card, indent=2)


def test_a_results_cards_are_those_it_keeps_or_those_its_columns_give(mini: Framework) -> None:
    from ecomperf.batch.cards import result_cards

    batch = _random_bundled_rows(mini, random.Random(9), 20)
    explained, cards = both(mini, batch)
    assert result_cards(cards) is cards.cards
    assert isinstance(result_cards(explained), ExplainedCards) and list(result_cards(explained)) == cards.cards
    assert result_cards(score_many(mini, batch)) == []  # the fast path alone keeps nothing to build from
