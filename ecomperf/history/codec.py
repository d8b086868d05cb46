"""Scorecards to table rows and back, without a database: what :mod:`ecomperf.history.store` writes.

The conversion is lossless: ``card_from_rows(*card_rows(card))`` equals ``card`` (floats are stored as
IEEE doubles, nested values as JSON). The engine's sentences (notes, warnings, why a KPI was left off) keep
their message ids and parameters (:func:`ecomperf.sentences.sentence_to_json`), so a card read back is
written in the report's language as a freshly scored card is; a plain string, as cards recorded before
revision 0003 hold, reads back as it was written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ecomperf.periods import Period
from ecomperf.scoring.results import DroppedKpi, KpiScore, Rating, ScoreCard, SectionScore
from ecomperf.sentences import sentence_from_json, sentence_to_json
from ecomperf.targets import Target

__all__ = ["InputValue", "card_from_rows", "card_rows", "month_ordinal", "period_bounds"]

InputValue = float | str
"""A recorded input value: a number, or ``"n/a"`` for a metric marked not applicable."""


def month_ordinal(month: Period) -> int:
    """``year * 12 + month - 1``: months as consecutive integers.

    >>> month_ordinal(Period.parse("2026-10"))
    24321
    """
    return month.year * 12 + month.index - 1


def period_bounds(period: Period) -> tuple[int, int]:
    """The ordinals of the first and last month of ``period``.

    >>> period_bounds(Period.parse("2026-Q4"))
    (24321, 24323)
    """
    months = period.months()
    return month_ordinal(months[0]), month_ordinal(months[-1])


def card_rows(card: ScoreCard) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The ``cards`` row (without ids, version and recording) and the ``kpi_scores`` rows of ``card``.

    Raises:
        ValueError: the card has no employee or no fingerprint, or its period is not a period id.
    """
    if not card.employee:
        raise ValueError(f"the card for {card.position} in {card.period} has no employee; history follows people")
    if not card.fingerprint:
        raise ValueError(
            f"the card of {card.employee} for {card.period} carries no framework fingerprint (saved by an older "
            "ecomperf?); score it again so that it says which framework produced it"
        )
    period = Period.parse(card.period)
    start, end = period_bounds(period)
    row = {
        "employee": card.employee,
        "period": str(period),
        "period_kind": period.kind,
        "period_start": start,
        "period_end": end,
        "framework": card.framework,
        "framework_version": card.framework_version,
        "fingerprint": card.fingerprint,
        "position": card.position,
        "position_name": card.position_name,
        "stage": card.stage,
        "stage_name": card.stage_name,
        "events": list(card.events),
        "context": dict(card.context),
        "total": card.total,
        "uncapped_total": card.uncapped_total,
        "grade": card.grade,
        "uncapped_grade": card.uncapped_grade,
        "bonus": card.bonus,
        "missing_policy": card.missing_policy,
        "veto_breaches": list(card.veto_breaches),
        "warnings": [sentence_to_json(warning) for warning in card.warnings],
        "dropped": [_dropped_row(dropped) for dropped in card.dropped],
        "grade_scale": list(card.grade_scale),
        "sections": [section.model_dump(mode="json") for section in card.sections] or None,
        "shown_total": card.shown_total,
        "display_scale": card.display_scale,
    }
    kpis = [
        {
            "ordinal": ordinal,
            "kpi": kpi.kpi,
            "name": kpi.name,
            "unit": kpi.unit,
            "actual": kpi.actual,
            "computed": kpi.computed,
            "target": None if kpi.target is None else kpi.target.model_dump(mode="json"),
            "variant": kpi.variant,
            "achievement": kpi.achievement,
            "score": kpi.score,
            "weight": kpi.weight,
            "weighted_score": kpi.weighted_score,
            "method": kpi.method,
            "veto_breached": kpi.veto_breached,
            "cycle": kpi.cycle,
            "period": kpi.period,
            "notes": [sentence_to_json(note) for note in kpi.notes],
            "section": kpi.section,
            "ratings": [rating.model_dump(mode="json") for rating in kpi.ratings] or None,
        }
        for ordinal, kpi in enumerate(card.kpis)
    ]
    return row, kpis


def card_from_rows(row: Mapping[str, Any], kpis: Sequence[Mapping[str, Any]]) -> ScoreCard:
    """The :class:`~ecomperf.scorecard.ScoreCard` stored as ``row`` and its ``kpi_scores`` rows (any order)."""
    ordered = sorted(kpis, key=lambda kpi: int(kpi["ordinal"]))
    return ScoreCard(
        framework=row["framework"],
        employee=row["employee"],
        position=row["position"],
        position_name=row["position_name"],
        stage=row["stage"],
        stage_name=row["stage_name"],
        period=row["period"],
        events=row["events"],
        context=row["context"],
        kpis=[
            KpiScore(
                kpi=kpi["kpi"],
                name=kpi["name"],
                unit=kpi["unit"],
                actual=kpi["actual"],
                computed=bool(kpi["computed"]),
                target=None if kpi["target"] is None else Target.model_validate(kpi["target"]),
                variant=kpi["variant"],
                achievement=kpi["achievement"],
                score=kpi["score"],
                weight=kpi["weight"],
                weighted_score=kpi["weighted_score"],
                method=kpi["method"],
                veto_breached=bool(kpi["veto_breached"]),
                cycle=kpi["cycle"],
                period=kpi["period"],
                notes=[sentence_from_json(note) for note in kpi["notes"]],
                section=kpi.get("section"),
                ratings=[Rating.model_validate(rating) for rating in kpi.get("ratings") or []],
            )
            for kpi in ordered
        ],
        dropped=[_dropped_from_row(dropped) for dropped in row["dropped"]],
        missing_policy=row["missing_policy"],
        total=row["total"],
        uncapped_total=row["uncapped_total"],
        grade=row["grade"],
        uncapped_grade=row["uncapped_grade"],
        bonus=row["bonus"],
        veto_breaches=row["veto_breaches"],
        warnings=[sentence_from_json(warning) for warning in row["warnings"]],
        grade_scale=row["grade_scale"],
        framework_version=row["framework_version"],
        fingerprint=row["fingerprint"],
        sections=[SectionScore.model_validate(section) for section in row.get("sections") or []],
        shown_total=row.get("shown_total"),
        display_scale=row.get("display_scale"),
    )


def _dropped_row(dropped: DroppedKpi) -> dict[str, Any]:
    row = dropped.model_dump(mode="json")
    if dropped.detail is not None:
        row["detail"] = sentence_to_json(dropped.detail)
    return row


def _dropped_from_row(row: Mapping[str, Any]) -> DroppedKpi:
    detail = row.get("detail")
    return DroppedKpi.model_validate({**row, "detail": None if detail is None else sentence_from_json(detail)})
