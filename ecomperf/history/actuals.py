"""Recorded cards as rows of actuals again: what a backtest (or any batch scoring) takes from the store.

Each current card becomes one row with the columns a file of actuals has: ``employee, position, stage,
period``, its context dimensions, and the metric values it was scored from (the inputs kept beside it,
see :mod:`ecomperf.history.inputs`). The rows are numbered by card id, and each row's origin names the
card (``perf.db card #42``), so that a report about a row cites the recorded card, not a file row.

A card recorded without its inputs (by a script that gave none) contributes its KPI actuals instead;
the table's warnings name those cards, because a formula KPI cannot be recomputed from them.

Example:
    >>> from ecomperf import History, backtest, load
    >>> table = History("perf.db").actuals(start="2026-10", end="2026-12")  # doctest: +SKIP
    >>> result = backtest(load("v2026/"), load("v2027/"), table)  # doctest: +SKIP
    >>> [(o.where, o.employee, o.period) for o in result.changed]  # doctest: +SKIP
    [('perf.db card #16', 'E004 刘洋', '2026-10')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

from ecomperf.batch.table import FIELDS, Table
from ecomperf.history.codec import InputValue
from ecomperf.history.inputs import card_inputs

if TYPE_CHECKING:
    from ecomperf.history.store import RecordedCard

__all__ = ["MAX_LISTED", "card_origin", "recorded_table"]

MAX_LISTED: Final = 5
"""How many cards a warning names before it says how many more there are."""


def card_origin(where: str, card_id: int) -> str:
    """How a row made from a recorded card is cited: ``perf.db card #42``.

    >>> card_origin("perf.db", 42)
    'perf.db card #42'
    """
    return f"{where} card #{card_id}"


def recorded_table(entries: Iterable[RecordedCard], *, where: str) -> Table:
    """One row of actuals per recorded card, numbered by card id, each row's origin naming its card.

    Args:
        entries: recorded cards (typically :meth:`ecomperf.history.History.entries`); superseded versions
            are left out, so that an employee and period appear once.
        where: the database as messages name it (:attr:`ecomperf.history.History.where`).

    Returns:
        The table: ``employee, position, stage, period``, the context dimensions and the metrics, each in
        order of first appearance; values as recorded (numbers, ``"n/a"``); ``source`` is ``where``.
    """
    current = [entry for entry in entries if entry.current]
    contexts: dict[str, None] = {}
    metrics: dict[str, None] = {}
    values: list[dict[str, InputValue]] = []
    without: list[RecordedCard] = []
    for entry in current:
        contexts.update(dict.fromkeys(entry.card.context))
        if entry.inputs is None:
            without.append(entry)
        recorded = dict(entry.inputs) if entry.inputs is not None else dict(card_inputs(entry.card))
        metrics.update(dict.fromkeys(recorded))
        values.append(recorded)
    dimensions = [name for name in contexts if name not in FIELDS]
    names = [name for name in metrics if name not in FIELDS and name not in contexts]
    columns = (*FIELDS, *dimensions, *names)
    rows: list[Sequence[Any]] = []
    for entry, recorded in zip(current, values, strict=True):
        card = entry.card
        fields = (card.employee, card.position, card.stage, card.period)
        context = (card.context.get(name) for name in dimensions)
        rows.append((*fields, *context, *(recorded.get(name) for name in names)))
    return Table(
        columns, rows, [entry.id for entry in current], source=where, warnings=_warnings(without),
        origins=[card_origin(where, entry.id) for entry in current],
    )


def _warnings(without: Sequence[RecordedCard]) -> list[str]:
    if not without:
        return []
    listed = ", ".join(f"#{entry.id} ({entry.card.employee} {entry.card.period})" for entry in without[:MAX_LISTED])
    more = f" and {len(without) - MAX_LISTED} more" if len(without) > MAX_LISTED else ""
    return [
        f"{len(without)} card(s) were recorded without their input values ({listed}{more}); their KPI actuals "
        "stand in for them, so a formula KPI is not recomputed there under either version"
    ]
