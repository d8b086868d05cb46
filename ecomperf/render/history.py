"""The HTML trend report: each employee's totals over time on shaded grade bands, with a table per person.

One self-contained page (inline CSS and SVG, no JavaScript, no external assets) that prints on A4, in
Chinese or English. The charts share one time axis, from the first to the last period shown, so that
people can be compared at a glance; a period without a card breaks the line instead of being bridged.

>>> html = trend_report_html(history.cards(kind="month"), bands=bands, locale="en")  # doctest: +SKIP
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ecomperf.model import localize
from ecomperf.model.fingerprint import short_fingerprint
from ecomperf.periods import Period, PeriodKind
from ecomperf.render.changes import change_texts
from ecomperf.render.charts import TrendChart, trend_chart
from ecomperf.render.environment import builtin_environment, render_template
from ecomperf.render.labels import labels_for
from ecomperf.render.report import card_locale, card_tone
from ecomperf.scoring.results import ScoreCard
from ecomperf.scoring.trends import PeriodChange, period_changes

__all__ = [
    "EmployeeTrend",
    "TrendRow",
    "TrendView",
    "trend_report_html",
    "trend_view",
]

Bands = Sequence[tuple[str, float]]
"""Grade bands: ``(grade id, minimum total)``, highest grade first."""

_KIND_LABEL = {"month": "cycle_monthly", "quarter": "cycle_quarterly", "year": "cycle_annual"}


@dataclass(frozen=True)
class TrendRow:
    """One period of an employee's table, every cell formatted."""

    period: str
    total: str
    change: str
    grade: str
    grade_change: str
    tone: str
    change_tone: str
    grade_tone: str
    veto_breaches: str
    fingerprint: str


@dataclass(frozen=True)
class EmployeeTrend:
    """One employee: the chart and the table, latest period last."""

    employee: str
    position: str
    chart: TrendChart
    caption: str
    rows: tuple[TrendRow, ...]
    latest_total: str
    latest_grade: str
    latest_tone: str
    latest_change: str
    bands_known: bool


@dataclass(frozen=True)
class TrendView:
    """The trend report ready for its template."""

    locale: str
    labels: Mapping[str, str]
    title: str
    kind: str
    span: str
    employees: tuple[EmployeeTrend, ...]
    bands_missing: bool


def trend_view(
    cards: Iterable[ScoreCard],
    *,
    bands: Mapping[str, Bands] | Bands | None = None,
    locale: str | None = None,
    kind: PeriodKind | None = None,
) -> TrendView:
    """Format cards for the trend report; see :func:`trend_report_html`."""
    chosen = list(cards)
    picked_kind: PeriodKind = kind or _common_kind(chosen)
    chosen = [card for card in chosen if Period.parse(card.period).kind == picked_kind]
    locale = card_locale(chosen, locale)
    labels = labels_for(locale)
    axis = _axis([Period.parse(card.period) for card in chosen])
    people: dict[str, list[ScoreCard]] = {}
    for card in chosen:
        people.setdefault(card.employee or "—", []).append(card)
    changes = dict(zip((id(card) for card in chosen), period_changes(chosen, chosen), strict=True))
    employees = []
    missing_bands = False
    for employee in sorted(people):
        mine = sorted(people[employee], key=lambda card: Period.parse(card.period))
        latest = mine[-1]
        grade_bands = _bands_for(latest, bands)
        missing_bands = missing_bands or not grade_bands
        by_period = {card.period: card for card in mine}
        series = [(str(p), by_period[str(p)].total if str(p) in by_period else None,
                   by_period[str(p)].grade if str(p) in by_period else None) for p in axis]
        rows = tuple(_row(card, changes[id(card)], labels) for card in mine)
        employees.append(EmployeeTrend(
            employee=employee,
            position=localize(latest.position_name, locale, locale),
            chart=trend_chart(series, grade_bands or ()),
            caption=f"{employee} · {labels['trend']}",
            rows=rows,
            latest_total=rows[-1].total,
            latest_grade=latest.grade,
            latest_tone=rows[-1].tone,
            latest_change=rows[-1].change,
            bands_known=bool(grade_bands),
        ))
    span = labels["periods_span"].format(first=axis[0], last=axis[-1]) if axis else ""
    return TrendView(
        locale=locale,
        labels=labels,
        title=labels["history_title"],
        kind=labels[_KIND_LABEL[picked_kind]],
        span=span,
        employees=tuple(employees),
        bands_missing=missing_bands,
    )


def trend_report_html(
    cards: Iterable[ScoreCard],
    *,
    bands: Mapping[str, Bands] | Bands | None = None,
    locale: str | None = None,
    kind: PeriodKind | None = None,
) -> str:
    """A self-contained HTML page of each employee's totals over time.

    Args:
        cards: one card per employee and period (the history's current versions).
        bands: the grade bands ``(grade, min)`` highest first, or such bands by framework fingerprint
            (each employee's chart uses the bands of their latest card's framework); without them the
            charts have no bands and the page says so.
        locale: ``zh`` or ``en``; by default the first locale of the cards' names, else ``zh``.
        kind: ``month``, ``quarter`` or ``year``; by default the kind most cards have.

    Raises:
        RenderError: unknown locale.
    """
    view = trend_view(cards, bands=bands, locale=locale, kind=kind)
    return render_template(builtin_environment(), "history.html.j2", trend=view, labels=view.labels)


def _row(card: ScoreCard, change: PeriodChange, labels: Mapping[str, str]) -> TrendRow:
    total_change, grade_change, change_tone, grade_tone = change_texts(change, labels)
    return TrendRow(
        period=card.period,
        total=f"{card.total:.1f}",
        change=total_change,
        grade=card.grade,
        grade_change=grade_change,
        tone=card_tone(card),
        change_tone=change_tone,
        grade_tone=grade_tone,
        veto_breaches=labels["list_sep"].join(card.veto_breaches),
        fingerprint=short_fingerprint(card.fingerprint),
    )


def _common_kind(cards: Sequence[ScoreCard]) -> PeriodKind:
    kinds = Counter(Period.parse(card.period).kind for card in cards)
    return kinds.most_common(1)[0][0] if kinds else "month"


def _axis(periods: Sequence[Period]) -> list[Period]:
    """Every period from the first to the last, gaps included."""
    if not periods:
        return []
    first, last = min(periods), max(periods)
    axis = [first]
    while axis[-1] < last:
        axis.append(axis[-1].next())
    return axis


def _bands_for(card: ScoreCard, bands: Mapping[str, Bands] | Bands | None) -> Bands | None:
    if bands is None:
        return None
    if isinstance(bands, Mapping):
        return bands.get(card.fingerprint or "")
    return bands
