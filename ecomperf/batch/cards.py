"""The score cards of a batch result, built from its explained columns only when a caller asks for them.

``score_many(explain=True)`` keeps, per KPI, the numbers and what explains them as dictionary-encoded
arrays (:class:`~ecomperf.batch.results.KpiDetail`), per row the KPIs in card order and those left off
(:class:`~ecomperf.batch.results.CardLayouts`), and per row the card it was scored against
(:class:`~ecomperf.batch.results.RowCards`). That is everything a
:class:`~ecomperf.scoring.results.ScoreCard` holds, so :class:`ExplainedCards` gives the cards of
``detail=True`` without the scalar engine having built one per row: a slice at a time, each built when it
is read and kept by nobody. Every value was checked when it was scored, so the cards are assembled
without validating them again.

Example:
    >>> result = fw.score_many(rows, explain=True)  # doctest: +SKIP
    >>> cards = ExplainedCards(result)  # doctest: +SKIP
    >>> cards[0] == fw.score_many(rows, detail=True).cards[0]  # doctest: +SKIP
    True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final, overload

from ecomperf.batch.results import BatchResult, KpiDetail, KpiExplanation, RowCards
from ecomperf.errors import ScoringError
from ecomperf.scoring.card import card_fields, kpi_fields
from ecomperf.scoring.resolve import ResolvedCard, ResolvedKpi
from ecomperf.scoring.results import DroppedKpi, KpiScore, ScoreCard
from ecomperf.scoring.sections import section_scores

__all__ = ["CHUNK_ROWS", "ExplainedCards", "result_cards"]

CHUNK_ROWS: Final = 1_000
"""Cards built at a time when :class:`ExplainedCards` is iterated: the columns of that many rows are read
into Python values at once, so iterating never holds more than one chunk."""

Translate = Callable[[str], str]
"""Writes one engine sentence (a note, a warning, why a KPI was left off) in a locale."""


class ExplainedCards(Sequence[ScoreCard]):
    """The :class:`~ecomperf.scoring.results.ScoreCard` of every scored row of a result scored with
    ``explain`` (or ``detail``), in the order of its summaries, each built from the columns when read.

    A card equals the one ``score_many(detail=True)`` keeps for the row. With ``translate`` (one sentence to
    its text in a locale, e.g. :func:`ecomperf.render.sentences.sentence_text`), the notes, warnings and
    reasons of KPIs left off are written with it, as :func:`ecomperf.render.sentences.card_in_locale` writes a
    card; each distinct sentence is written once.

    Raises:
        ScoringError: the result was scored without ``explain`` or ``detail`` (it has no columns to build from).
    """

    def __init__(self, result: BatchResult, *, translate: Translate | None = None) -> None:
        if result.row_cards is None or result.layouts is None:
            raise ScoringError("the cards are built from the explained columns: score with explain=True")
        self._result = result
        self._rows: RowCards = result.row_cards
        self._translate = translate
        self._faces: dict[int, _Face] = {}
        self._notes: dict[tuple[str, int], tuple[str, ...]] = {}
        self._dropped: dict[int, tuple[DroppedKpi, ...]] = {}
        self._warnings: dict[tuple[str, ...], list[str]] = {}

    def __len__(self) -> int:
        return len(self._result.summaries)

    @overload
    def __getitem__(self, index: int) -> ScoreCard: ...

    @overload
    def __getitem__(self, index: slice) -> list[ScoreCard]: ...

    def __getitem__(self, index: int | slice) -> ScoreCard | list[ScoreCard]:
        """One card, or the cards of a slice (built now, as a list)."""
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[place] for place in range(start, stop, step)]
            return self._build(start, max(start, stop))
        place = index + len(self) if index < 0 else index
        if not 0 <= place < len(self):
            raise IndexError(f"card {index} of {len(self)}")
        return self._build(place, place + 1)[0]

    def __iter__(self) -> Iterator[ScoreCard]:
        for start in range(0, len(self), CHUNK_ROWS):
            yield from self._build(start, min(start + CHUNK_ROWS, len(self)))

    def documents(self) -> Iterator[dict[str, Any]]:
        """Each card as the mapping of its fields in declared order (its KPIs as such mappings too), without
        building the models: serialised by Pydantic, a mapping gives the bytes of its card
        (``pydantic_core.to_json(document) == card.model_dump_json()``), at a third of the cost."""
        for start in range(0, len(self), CHUNK_ROWS):
            yield from self._documents(start, min(start + CHUNK_ROWS, len(self)))

    def _build(self, start: int, stop: int) -> list[ScoreCard]:
        """The cards of the rows ``start`` … ``stop - 1``."""
        cards = []
        for document in self._documents(start, stop):
            document["kpis"] = [KpiScore.model_construct(**kpi) for kpi in document["kpis"]]
            cards.append(ScoreCard.model_construct(**document))
        return cards

    def _documents(self, start: int, stop: int) -> list[dict[str, Any]]:
        """The fields of the cards of the rows ``start`` … ``stop - 1``, in declared order."""
        result, rows = self._result, self._rows
        assert result.layouts is not None
        fw = rows.framework
        scale = fw.rules.display_scale
        table = result.summaries
        card_codes = rows.codes[start:stop].tolist()
        layout_codes = result.layouts.codes[start:stop].tolist()
        columns: dict[str, _Columns] = {}
        documents: list[dict[str, Any]] = []
        for offset, row in enumerate(range(start, stop)):
            face = self._face(card_codes[offset])
            head = face.fields
            layout_code = layout_codes[offset]
            kpis: list[dict[str, Any]] = []
            kept: list[tuple[ResolvedKpi, float, float]] = []
            for kpi in result.layouts.layouts[layout_code].kpis:
                found = columns.get(kpi)
                if found is None:
                    found = columns[kpi] = _Columns.of(result.details[kpi], start, stop)
                entry, fields = face.kpis[kpi]
                actual, achievement = found.actual[offset], found.achievement[offset]
                score, weight = found.score[offset], found.weight[offset]
                kpis.append({  # the order of KpiScore's fields
                    "kpi": kpi, "name": fields["name"], "unit": fields["unit"],
                    "actual": None if math.isnan(actual) else actual, "computed": found.computed[offset],
                    "target": fields["target"], "variant": fields["variant"],
                    "achievement": None if math.isnan(achievement) else achievement, "score": score,
                    "weight": weight, "weighted_score": found.weighted[offset], "method": fields["method"],
                    "veto_breached": found.veto[offset], "cycle": fields["cycle"], "period": head["period"],
                    "notes": list(self._kpi_notes(kpi, found.explanation, found.note_codes[offset])),
                    "section": fields["section"],
                    "ratings": list(found.explanation.ratings[found.rating_codes[offset]]),
                })
                kept.append((entry, weight, score))
            total = table.totals[row]
            uncapped = rows.uncapped.get(row, total)
            documents.append({  # the order of ScoreCard's fields
                "framework": head["framework"], "employee": table.employees[row], "position": head["position"],
                "position_name": head["position_name"], "stage": head["stage"], "stage_name": head["stage_name"],
                "period": head["period"], "events": list(face.events), "context": dict(face.context), "kpis": kpis,
                "dropped": list(self._layout_dropped(layout_code)), "missing_policy": rows.missing,
                "total": total, "uncapped_grade": fw.spec.grade_for(uncapped).id, "grade": table.grades[row],
                "bonus": table.bonuses[row], "veto_breaches": list(table.veto[row]),
                "warnings": self._row_warnings(table.warnings[row] if table.warnings else ()),
                "uncapped_total": uncapped, "grade_scale": list(face.grade_scale),
                "framework_version": head["framework_version"], "fingerprint": head["fingerprint"],
                "sections": section_scores(face.card, kept, scale),
                "shown_total": None if scale is None else scale.shown(total), "display_scale": head["display_scale"],
            })
        return documents

    def _face(self, code: int) -> _Face:
        """What a card has from its resolved card (made once per card)."""
        face = self._faces.get(code)
        if face is None:
            card = self._rows.cards[code]
            fields = card_fields(self._rows.framework, card)
            events, context, grade_scale = fields.pop("events"), fields.pop("context"), fields.pop("grade_scale")
            kpis = {entry.kpi: (entry, kpi_fields(entry)) for entry in card.entries}
            face = self._faces[code] = _Face(card, fields, tuple(events), context, tuple(grade_scale), kpis)
        return face

    def _kpi_notes(self, kpi: str, explanation: KpiExplanation, code: int) -> tuple[str, ...]:
        key = (kpi, code)
        notes = self._notes.get(key)
        if notes is None:
            found = explanation.notes[code]
            notes = self._notes[key] = found if self._translate is None else tuple(map(self._translate, found))
        return notes

    def _layout_dropped(self, code: int) -> tuple[DroppedKpi, ...]:
        dropped = self._dropped.get(code)
        if dropped is None:
            assert self._result.layouts is not None
            found = self._result.layouts.layouts[code].dropped
            translate = self._translate
            dropped = self._dropped[code] = found if translate is None else tuple(
                d.model_copy(update={"detail": translate(d.detail)}) if d.detail else d for d in found
            )
        return dropped

    def _row_warnings(self, warnings: tuple[str, ...]) -> list[str]:
        if not warnings or self._translate is None:
            return list(warnings)
        try:
            written = self._warnings.get(warnings)
        except TypeError:  # a sentence with a parameter that cannot be hashed: written every time
            return list(map(self._translate, warnings))
        if written is None:
            written = self._warnings[warnings] = list(map(self._translate, warnings))
        return list(written)


def result_cards(result: BatchResult) -> Sequence[ScoreCard]:
    """The cards of ``result``: those it keeps (``detail=True``), else those its explained columns give
    (:class:`ExplainedCards`, for ``explain=True``), else none (a result of the fast path alone)."""
    if result.cards or result.row_cards is None:
        return result.cards
    return ExplainedCards(result)


@dataclass(frozen=True, slots=True)
class _Face:
    """What every card scored against one resolved card shares (its containers copied into each card)."""

    card: ResolvedCard
    fields: dict[str, Any]
    events: tuple[str, ...]
    context: dict[str, str]
    grade_scale: tuple[str, ...]
    kpis: dict[str, tuple[ResolvedKpi, dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class _Columns:
    """One KPI's columns over a chunk of rows, as Python values."""

    actual: list[float]
    achievement: list[float]
    score: list[float]
    weight: list[float]
    weighted: list[float]
    veto: list[bool]
    computed: list[bool]
    note_codes: list[int]
    rating_codes: list[int]
    explanation: KpiExplanation

    @classmethod
    def of(cls, detail: KpiDetail, start: int, stop: int) -> _Columns:
        """The columns of ``detail`` at rows ``start`` … ``stop - 1``."""
        explanation = detail.explanation
        if explanation is None:
            raise ScoringError("the cards are built from the explained columns: score with explain=True")
        part = slice(start, stop)
        return cls(
            detail.actual[part].tolist(), detail.achievement[part].tolist(), detail.score[part].tolist(),
            detail.weight[part].tolist(), detail.weighted[part].tolist(), explanation.veto_breached[part].tolist(),
            explanation.computed[part].tolist(), explanation.note_codes[part].tolist(),
            explanation.rating_codes[part].tolist(), explanation,
        )
