"""The history store on SQLite and PostgreSQL: round trip, refusal and correction, atomicity, reading."""

from __future__ import annotations

import datetime as dt

import pytest

import ecomperf
from ecomperf.errors import HistoryError
from ecomperf.history import History
from tests.history.conftest import record_rows, row, scored

OCTOBER = [
    row("ann", "2026-10", 300, 10_000, 30),  # 3% -> 60, 24/30 -> 80: 0.6·60 + 0.4·80 = 68 -> D
    row("bo", "2026-10", 900, 12_000, 18),  # 7.5% -> 150 capped 120, 24/18 capped 120: 120 -> A
    row("cy", "2026-10", 300, 8_000, 21),  # 3.75% -> 75, 24/21 = 114.285714286: 45 + 45.714285714 -> B
]


def test_a_recorded_card_reads_back_equal(history: History, cycle_fw: ecomperf.Framework) -> None:
    result, _ = scored(cycle_fw, OCTOBER)
    history.record(result.cards, framework=cycle_fw, command="test")
    back = history.cards()
    assert back == sorted(result.cards, key=lambda card: card.employee or "")
    assert [(card.employee, card.total, card.grade) for card in back] == [
        ("ann", 68.0, "D"), ("bo", 120.0, "A"), ("cy", 90.714285714, "B"),
    ]
    assert {card.fingerprint for card in back} == {cycle_fw.fingerprint}
    assert back[0].framework_version == "2.1"


def test_each_card_keeps_its_inputs_and_its_recording(history: History, cycle_fw: ecomperf.Framework) -> None:
    record_rows(history, cycle_fw, OCTOBER[:1], command="ecomperf score fw --actuals oct.csv --record h.db",
                source="oct.csv")
    (entry,) = history.entries()
    assert entry.inputs == {"orders": 300.0, "visitors": 10_000.0, "response_hours": 30.0, "violations": 0.0}
    assert entry.command == "ecomperf score fw --actuals oct.csv --record h.db"
    assert entry.source == "oct.csv"
    assert entry.version == 1 and entry.current and entry.supersedes is None
    assert entry.recorded_at.tzinfo == dt.UTC
    assert dt.datetime.now(dt.UTC) - entry.recorded_at < dt.timedelta(minutes=5)


def test_the_framework_grade_table_and_rules_are_kept(history: History, cycle_fw: ecomperf.Framework) -> None:
    record_rows(history, cycle_fw, OCTOBER[:1])
    (known,) = history.frameworks().values()
    assert known.fingerprint == cycle_fw.fingerprint
    assert (known.framework, known.version) == ("cycle-shop", "2.1")
    assert known.grades == (("A", 100.0, 1.2), ("B", 85.0, 1.0), ("C", 70.0, 0.6), ("D", 0.0, 0.0))
    assert known.rules is not None and known.rules["pip"]["consecutive"] == 3


def test_recording_a_card_again_is_refused_naming_each_one(history: History, cycle_fw: ecomperf.Framework) -> None:
    record_rows(history, cycle_fw, OCTOBER, command="first")
    with pytest.raises(HistoryError) as caught:
        record_rows(history, cycle_fw, [OCTOBER[0], OCTOBER[2]], command="second")
    assert "nothing recorded: 2 card(s) are already recorded" in str(caught.value)
    assert any(p.startswith("ann 2026-10: card #") and "by `first`" in p for p in caught.value.reasons)
    assert any(p.startswith("cy 2026-10: card #") for p in caught.value.reasons)
    assert "--replace" in caught.value.reasons[-1]
    assert history.count(all_versions=True) == 3


def test_replace_keeps_the_superseded_card(history: History, cycle_fw: ecomperf.Framework) -> None:
    record_rows(history, cycle_fw, OCTOBER, command="first")
    # the corrected October of ann: 500 orders -> 5% -> 100; 24/30 -> 80: 60 + 32 = 92 -> B
    record_rows(history, cycle_fw, [row("ann", "2026-10", 500, 10_000, 30)], replace=True, command="fix")
    current = history.entries(employee="ann")
    assert [(e.card.total, e.card.grade, e.version, e.command) for e in current] == [(92.0, "B", 2, "fix")]
    both = history.entries(employee="ann", all_versions=True)
    assert [(e.card.total, e.version, e.current) for e in both] == [(68.0, 1, False), (92.0, 2, True)]
    assert both[1].supersedes == both[0].id
    assert both[0].superseded_at is not None
    assert history.count() == 3 and history.count(all_versions=True) == 4


def test_a_failure_mid_recording_records_nothing(
    history: History, cycle_fw: ecomperf.Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_rows(history, cycle_fw, OCTOBER[:1])
    result, _ = scored(cycle_fw, [row("dee", "2026-10", 500, 10_000, 24), row("eve", "2026-10", 500, 10_000, 24)])
    import ecomperf.history.store as store

    def fail(*_: object, **__: object) -> None:
        raise RuntimeError("disk full")  # after every row of the recording was inserted

    monkeypatch.setattr(store, "RecordResult", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        history.record(result.cards, framework=cycle_fw)
    monkeypatch.undo()
    assert [card.employee for card in history.cards()] == ["ann"]
    assert history.count(all_versions=True) == 1


def test_a_bad_card_in_the_batch_records_none(history: History, cycle_fw: ecomperf.Framework) -> None:
    result, _ = scored(cycle_fw, OCTOBER)
    nameless = result.cards[1].model_copy(update={"employee": None})
    with pytest.raises(HistoryError) as caught:
        history.record([result.cards[0], nameless, result.cards[2]])
    assert caught.value.reasons == ("card 2: the card for agent in 2026-10 has no employee; history follows people",)
    assert history.count() == 0


def test_one_employee_twice_in_one_batch_is_refused(history: History, cycle_fw: ecomperf.Framework) -> None:
    result, _ = scored(cycle_fw, OCTOBER[:1])
    with pytest.raises(HistoryError, match=r"card 2: ann already has a card for 2026-10 in this batch \(card 1\)"):
        history.record([result.cards[0], result.cards[0]])
    assert history.count() == 0


def test_cards_without_a_fingerprint_or_from_another_framework_are_refused(
    history: History, cycle_fw: ecomperf.Framework
) -> None:
    result, _ = scored(cycle_fw, OCTOBER[:2])
    old = result.cards[0].model_copy(update={"fingerprint": None})
    other = result.cards[1].model_copy(update={"fingerprint": "f" * 64})
    with pytest.raises(HistoryError) as caught:
        history.record([old, other], framework=cycle_fw)
    assert "carries no framework fingerprint" in caught.value.reasons[0]
    assert "scored with framework cycle-shop ffffffffffff" in caught.value.reasons[1]
    assert history.count() == 0


def test_filters_by_employee_position_and_periods(history: History, cycle_fw: ecomperf.Framework) -> None:
    record_rows(history, cycle_fw, [
        row("ann", "2026-09", 500, 10_000, 24), row("ann", "2026-10", 500, 10_000, 24),
        row("ann", "2026-11", 500, 10_000, 24), row("lou", "2026-10", "", "", 12, position="lead"),
    ])
    assert [c.period for c in history.cards(employee="ann", start="2026-10")] == ["2026-10", "2026-11"]
    assert [c.period for c in history.cards(end="2026-Q3")] == ["2026-09"]
    assert [c.employee for c in history.cards(position="lead")] == ["lou"]
    assert [c.employee for c in history.cards(period="2026-10")] == ["ann", "lou"]
    assert history.cards(kind="quarter") == []
    with pytest.raises(HistoryError, match="start: '2026-13' is not a period id"):
        history.cards(start="2026-13")


def test_to_pandas_has_one_row_per_card_or_per_kpi(history: History, cycle_fw: ecomperf.Framework) -> None:
    record_rows(history, cycle_fw, OCTOBER)
    frame = history.to_pandas()
    assert list(frame["employee"]) == ["ann", "bo", "cy"]
    assert list(frame["total"]) == [68.0, 120.0, 90.714285714]
    assert set(frame["fingerprint"]) == {cycle_fw.fingerprint}
    kpis = history.to_pandas(kpis=True, employee="ann")
    assert list(kpis["kpi"]) == ["conversion_rate", "response_hours", "violations"]
    assert list(kpis["score"]) == [60.0, 80.0, 100.0]


def test_reopening_a_database_keeps_everything(db_url: str, cycle_fw: ecomperf.Framework) -> None:
    with History(db_url) as first:
        record_rows(first, cycle_fw, OCTOBER)
    with History(db_url, create=False) as again:
        assert again.migrated_from == again.revision
        assert len(again.cards()) == 3


def test_sections_ratings_and_the_display_scale_are_kept(history: History) -> None:
    from ecomperf.batch.engine import score_many
    from ecomperf.batch.table import Table
    from ecomperf.history.inputs import scored_inputs
    from tests.peers import FRAPPE

    fw = ecomperf.load(FRAPPE)
    columns = ("employee", "position", "stage", "period", "kra_quality", "kra_development", "problem_solving@self",
               "excellence@self", "problem_solving@feedback:wang", "excellence@feedback:wang")
    table = Table(columns, [["li", "engineer", "default", "2026", 5, 3, 0.8, 0.7, 0.8, 0.7]], [2])
    result = score_many(fw, table, detail=True)
    history.record(result.cards, framework=fw, command="test", inputs=scored_inputs(fw, result, table))
    (card,) = history.cards()
    assert card == result.cards[0]
    # Frappe's 3.767 of 5, with goals 72 and the rated criteria 77, read back from the database
    assert ([s.subtotal for s in card.sections], card.shown_total) == ([72.0, 77.0], 3.767)
    assert [r.rater for r in card.kpis[2].ratings] == ["self", "feedback"]
    # the store keeps each rated metric's combined rating, and never who rated
    (entry,) = history.entries()
    assert entry.inputs == {"kra_quality": 5.0, "kra_development": 3.0, "problem_solving": 0.8, "excellence": 0.7}
