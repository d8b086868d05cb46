"""Actuals and the scalar-engine check shared by the Dask and Spark recipe tests (docs/api/scale-out.md).

Each row is text, as a cluster reads a CSV file. Two rows in three are store managers (GMV, a gross margin
computed from its formula, turnover, violations as a veto); the third is a service agent with one KPI, and
row 11 (e9) has only ``n/a`` for it, so nothing is left to score and the row comes back with its error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ecomperf


def actual_records(rows: int) -> list[dict[str, str]]:
    """``rows`` rows of actuals of the mini framework, numbered from 2 as in a CSV file."""
    records = []
    for number in range(rows):
        if number % 3:
            revenue = 1_000_000 + 7_919 * number
            records.append({"row": str(number + 2), "employee": f"e{number}", "position": "store_manager",
                            "stage": "startup" if number % 2 else "mature", "period": f"2026-{number % 12 + 1:02d}",
                            "category": "electronics_3c" if number % 5 == 0 else "apparel",
                            "gmv": str(1_500_000 + 10_007 * number), "sales_revenue": str(revenue),
                            "cost": str(revenue * 0.6), "inventory_turnover": str(3 + number % 5),
                            "violations": "1" if number % 17 == 0 else "0", "inquiry_response_hours": ""})
        else:
            records.append({"row": str(number + 2), "employee": f"e{number}", "position": "service_agent",
                            "stage": "startup", "period": "2026-10", "category": "", "gmv": "", "sales_revenue": "",
                            "cost": "", "inventory_turnover": "", "violations": "",
                            "inquiry_response_hours": "n/a" if number == 9 else str(8 + number % 30)})
    return records


def assert_the_scalar_engines_totals(fw: ecomperf.Framework, records: Sequence[Mapping[str, str]],
                                     scores: Sequence[Mapping[str, Any]]) -> None:
    """Every record comes back once, with ``Framework.score``'s total and grade, or with an error where it fails."""
    by_row = {int(score["row"]): score for score in scores}
    assert len(by_row) == len(scores) == len(records)  # every row back once, scored or with its error
    for record in records:
        got = by_row[int(record["row"])]
        values = {k: v for k, v in record.items() if k in fw.metrics and v not in ("", None)}
        context = {"category": record["category"]} if record["category"] else None
        try:
            card = fw.score(record["position"], stage=record["stage"], period=record["period"], actuals=values,
                            context=context, missing="renormalize")
        except ecomperf.ScoringError as exc:
            assert isinstance(got["error"], str), exc  # row 11 (e9): its only KPI is n/a: nothing left
            continue
        assert not isinstance(got["error"], str), (record, got["error"])
        assert (got["total"], got["grade"]) == (card.total, card.grade), record
