"""The child process of the concurrency tests: score rows, wait for the other recorder, record."""

from __future__ import annotations

from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import ecomperf
from ecomperf.errors import HistoryError
from ecomperf.history import History


def record_when_both_are_ready(
    framework: str, url: str, rows: list[dict[str, Any]], barrier: Barrier, results: Any, name: str
) -> None:
    """Open the store, wait until the other process has too, then record; report the outcome on ``results``."""
    fw = ecomperf.load(Path(framework))
    batch = fw.score_many(rows, detail=True)
    with History(url) as history:
        barrier.wait(timeout=60)
        try:
            recorded = history.record(batch.cards, framework=fw, command=name)
        except HistoryError as exc:
            results.put((name, "refused", str(exc)))
        else:
            results.put((name, "recorded", recorded.recorded))
