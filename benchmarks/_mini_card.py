"""The scorecard of ``examples/mini-framework``, written out by hand once for every peer.

A peer knows only what it needs: the card of each (position, stage, month, category), linear scoring
clamped to [0, 120], the veto rule and the grade table. It knows nothing of shorthand such as ``"35%"``,
"n/a", error reporting or framework loading. :func:`score_rows` is the per-row Python peer's engine (the
CSV and xlsx peers share it); :func:`plan` is the same card as a small table that the columnar peers
(polars, DuckDB, pandas) join to the actuals. :data:`AGGREGATION` is its roll-up rule per metric.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from _data import YEAR

PRECISION = 9  # ecomperf.scoring.methods.PRECISION: scores and totals are rounded to 9 places
KPI_ORDER = ["gmv", "gross_margin", "violations", "inventory_turnover", "inquiry_response_hours"]
KIND = {"gmv": "higher", "gross_margin": "higher", "inventory_turnover": "higher", "violations": "veto",
        "inquiry_response_hours": "lower"}
GRADES = [("A", 100.0, 1.2), ("B", 85.0, 1.0), ("C", 70.0, 0.6), ("D", 0.0, 0.0)]
VETO_CAP = 2  # rules.veto_caps_grade_at: C
AGGREGATION = {"gmv": "sum", "sales_revenue": "sum", "cost": "sum", "violations": "sum",
               "inventory_turnover": "mean", "inquiry_response_hours": "mean"}
"""How each base metric rolls up over months (money and counts add up, the others average); gross_margin is
recomputed from the rolled-up revenue and cost."""
OUTPUT_HEADER = ["employee", "position", "stage", "period", "total", "grade", "bonus",
                 *(f"{kpi}_score" for kpi in KPI_ORDER)]


class Kpi(NamedTuple):
    """One KPI of a card: metric, weight, target value and the target as the YAML states it."""

    kpi: str
    weight: float
    goal: float
    text: str


def card_for(position: str, stage: str, month: str, category: str) -> list[Kpi]:
    """The card of examples/mini-framework with Double 11 and the category variant applied."""
    if position == "service_agent":
        return [Kpi("inquiry_response_hours", 100.0, 24.0, "<= 24h") if stage == "startup"
                else Kpi("inquiry_response_hours", 100.0, 12.0, "<= 12h")]
    veto = Kpi("violations", 0.0, 0.0, "== 0")
    if stage == "startup":
        return [Kpi("gmv", 60.0, 2e6, ">= 200万"), Kpi("gross_margin", 40.0, 0.4, ">= 40%"), veto]
    turnover = Kpi("inventory_turnover", 20.0, 6.0, ">= 6") if category == "electronics_3c" else (
        Kpi("inventory_turnover", 20.0, 4.0, ">= 4"))
    if month.endswith("-11"):  # Double 11: weights 60/30/10 and a GMV target of 1000万
        return [Kpi("gmv", 60.0, 1e7, ">= 1000万"), Kpi("gross_margin", 30.0, 0.4, ">= 40%"),
                turnover._replace(weight=10.0), veto]
    return [Kpi("gmv", 40.0, 5e6, ">= 500万"), Kpi("gross_margin", 40.0, 0.4, ">= 40%"), turnover, veto]


# --- per row --------------------------------------------------------------------------------------------


class Scored(NamedTuple):
    """One KPI scored: the card entry, the actual and the points (achievement is ``actual / goal``)."""

    entry: Kpi
    value: float
    points: float
    uncapped: float


class Row(NamedTuple):
    """One input row scored."""

    cells: list[str]
    total: float
    grade: int
    breached: bool
    kpis: list[Scored]


def score_rows(rows: Iterable[list[str]], header: Sequence[str]) -> Iterator[Row]:
    """Score CSV rows (cells as text) of the columns in ``header``; the card of each key is worked out once."""
    column = {name: index for index, name in enumerate(header)}
    revenue_at, cost_at = column["sales_revenue"], column["cost"]
    key_at = [column[name] for name in ("position", "stage", "period", "category")]
    cards: dict[tuple[str, ...], tuple[list[tuple[int, Kpi, str]], float]] = {}
    for row in rows:
        key = tuple(row[at] for at in key_at)
        plan_ = cards.get(key)
        if plan_ is None:
            kpis = card_for(*key)
            plan_ = [(column.get(k.kpi, -1), k, KIND[k.kpi]) for k in kpis], sum(k.weight for k in kpis)
            cards[key] = plan_
        entries, weights = plan_
        scored: list[Scored] = []
        numerator = 0.0
        breached = False
        for at, entry, kind in entries:
            if at < 0:  # gross_margin: the formula (sales_revenue - cost) / sales_revenue
                revenue = float(row[revenue_at])
                value = (revenue - float(row[cost_at])) / revenue
            else:
                value = float(row[at])
            goal = entry.goal
            if kind == "veto":
                uncapped = 100.0 if value == goal else 0.0
                breached = breached or value != goal
            elif kind == "lower":
                uncapped = 120.0 if value <= 0 else 100.0 * (goal / value)
            else:
                uncapped = 100.0 * (value / goal)
            points = round(min(max(uncapped, 0.0), 120.0), PRECISION) + 0.0
            scored.append(Scored(entry, value, points, uncapped))
            numerator += entry.weight * points
        total = round(numerator / weights, PRECISION) + 0.0
        grade = next(i for i, (_, low, _) in enumerate(GRADES) if total >= low)
        if breached:
            grade = max(grade, VETO_CAP)
        yield Row(row, total, grade, breached, scored)


# --- as a table -----------------------------------------------------------------------------------------


def plan() -> list[dict[str, object]]:
    """Every card as one row: the key (``position, stage, period, category``; ``""`` for no category), the
    sum of weights, and ``w_<kpi>`` / ``t_<kpi>`` (weight and target; ``None`` when the card lacks the KPI)."""
    keys = [("store_manager", category) for category in ("apparel", "electronics_3c")] + [("service_agent", "")]
    table = []
    for position, category in keys:
        for stage in ("startup", "mature"):
            for month in range(1, 13):
                period = f"{YEAR}-{month:02d}"
                card = {k.kpi: k for k in card_for(position, stage, period, category)}
                row: dict[str, object] = {"position": position, "stage": stage, "period": period,
                                          "category": category, "weights": sum(k.weight for k in card.values())}
                for kpi in KPI_ORDER:
                    row[f"w_{kpi}"] = card[kpi].weight if kpi in card else None
                    row[f"t_{kpi}"] = card[kpi].goal if kpi in card else None
                table.append(row)
    return table
