"""Two processes recording into one database at the same moment: nothing corrupted, nothing lost."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import ecomperf
from ecomperf.history import History
from tests.history._recorder import record_when_both_are_ready
from tests.history.conftest import row


def _run_two(framework: Path, url: str, first: list[dict[str, Any]], second: list[dict[str, Any]]) -> dict[str, Any]:
    History(url).close()  # the schema exists before the race: the race is about the cards
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    processes = [
        context.Process(target=record_when_both_are_ready, args=(str(framework), url, rows, barrier, results, name))
        for name, rows in (("one", first), ("two", second))
    ]
    for process in processes:
        process.start()
    outcomes = {}
    for _ in processes:
        name, status, detail = results.get(timeout=120)
        outcomes[name] = (status, detail)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return outcomes


def _month(prefix: str, period: str, count: int) -> list[dict[str, Any]]:
    return [row(f"{prefix}{index:03d}", period, 500 + index, 10_000, 24) for index in range(count)]


def test_two_recorders_of_different_cards_both_record_everything(
    cycle_dir: Path, cycle_fw: ecomperf.Framework, db_url: str
) -> None:
    outcomes = _run_two(cycle_dir, db_url, _month("north-", "2026-10", 150), _month("south-", "2026-10", 150))
    assert outcomes == {"one": ("recorded", 150), "two": ("recorded", 150)}
    with History(db_url) as history:
        entries = history.entries()
        assert len(entries) == 300
        assert len({entry.id for entry in entries}) == 300
        assert len({entry.recording_id for entry in entries}) == 2  # one recording each (a retry may skip an id)
        # every card reads back whole: north-007 scored 507/10000 = 5.07% -> 101.4, 24h -> 100: 100.84
        by_name = {entry.card.employee: entry.card for entry in entries}
        assert by_name["north-007"].total == 100.84
        assert all(len(card.kpis) == 3 for card in by_name.values())


def test_two_recorders_of_the_same_cards_record_them_once(
    cycle_dir: Path, cycle_fw: ecomperf.Framework, db_url: str
) -> None:
    same = _month("east-", "2026-11", 120)
    outcomes = _run_two(cycle_dir, db_url, same, same)
    statuses = sorted(status for status, _ in outcomes.values())
    assert statuses == ["recorded", "refused"]
    refused = next(detail for status, detail in outcomes.values() if status == "refused")
    assert "nothing recorded: 120 card(s) are already recorded" in refused
    with History(db_url) as history:
        assert history.count(all_versions=True) == 120
        assert len({entry.recording_id for entry in history.entries()}) == 1
