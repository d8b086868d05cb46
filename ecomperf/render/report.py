"""HTML reports of scored cards: one employee's scorecard, and a team overview.

Both are single self-contained pages (inline CSS and SVG, no external assets) that print on A4.

>>> card = fw.score("store_manager", stage="startup", period="2026-10", actuals={...})  # doctest: +SKIP
>>> html = scorecard_html(card, locale="en")  # doctest: +SKIP
>>> html = team_report_html(cards, errors)  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from ecomperf.model import localize
from ecomperf.periods import Period
from ecomperf.render._choices import check_choice
from ecomperf.render.changes import change_texts
from ecomperf.render.charts import (
    BarChart,
    ColumnChart,
    MixChart,
    TornadoChart,
    column_chart,
    mix_chart,
    score_bar_chart,
    tornado_chart,
)
from ecomperf.render.environment import builtin_environment, render_template
from ecomperf.render.formatting import target_text
from ecomperf.render.l10n import quantity_text
from ecomperf.render.labels import LABELS, labels_for
from ecomperf.scoring.results import KpiScore, ScoreCard
from ecomperf.scoring.trends import grade_mix, period_changes
from ecomperf.targets import format_quantity

__all__ = [
    "CardView",
    "DroppedView",
    "KpiView",
    "RowError",
    "SectionView",
    "TeamView",
    "card_locale",
    "card_tone",
    "per_employee_pages",
    "scorecard_html",
    "scorecard_view",
    "team_report_html",
    "team_view",
]

DEFAULT_CAP = 120.0
"""The default score cap of linear scoring, drawn as the second reference line."""


class RowError(Protocol):
    """An input row that could not be scored (as reported by ``ecomperf score``)."""

    @property
    def row(self) -> object:
        """The row number in the input file."""

    @property
    def employee(self) -> object:
        """The employee of the row, if known."""

    @property
    def reason(self) -> object:
        """Why the row could not be scored."""


@dataclass(frozen=True)
class KpiView:
    """One KPI row of a scorecard report, every cell formatted."""

    kpi: str
    name: str
    actual: str
    target: str
    achievement: str
    score: str
    weight: str
    weighted_score: str
    method: str
    notes: tuple[str, ...]
    veto_breached: bool
    ratings: str = ""
    section: str = ""


@dataclass(frozen=True)
class SectionView:
    """One section of a scorecard report: its name, weight on the card, subtotal and, on a display scale, the
    subtotal shown on it."""

    section: str
    name: str
    weight: str
    subtotal: str
    shown: str


@dataclass(frozen=True)
class CardView:
    """A scorecard ready for the report template."""

    locale: str
    labels: Mapping[str, str]
    title: str
    employee: str
    position: str
    framework: str
    stage: str
    period: str
    events: str
    context: str
    total: str
    grade: str
    uncapped_grade: str
    capped_note: str
    tone: str
    bonus: str
    kpis: tuple[KpiView, ...]
    veto_breaches: tuple[str, ...]
    warnings: tuple[str, ...]
    dropped: tuple[tuple[str, str, str], ...]
    renormalized: bool
    chart: BarChart
    tornado: TornadoChart | None = None
    shown_total: str = ""
    shown_caption: str = ""
    sections: tuple[SectionView, ...] = ()


@dataclass(frozen=True)
class DroppedView:
    """A KPI left off a card's total: its id, the weight it would have carried, and why."""

    kpi: str
    weight: str
    reason: str


@dataclass(frozen=True)
class TeamRow:
    """One employee of the team report, with the card's KPIs for the drill-down.

    ``anchor`` is the id of the employee's drill-down section; ``renormalized`` says the card's weights
    were renormalised over the KPIs kept, and ``dropped`` lists those left off.
    """

    anchor: str
    employee: str
    position: str
    stage: str
    period: str
    total: str
    grade: str
    tone: str
    capped_note: str
    bonus: str
    veto_breaches: str
    warnings: tuple[str, ...]
    kpis: tuple[KpiView, ...]
    dropped: tuple[DroppedView, ...]
    renormalized: bool
    change: str = ""
    grade_change: str = ""
    change_tone: str = "fair"
    grade_tone: str = "fair"


@dataclass(frozen=True)
class TeamView:
    """The team report: one row per card, the grade distribution, and the rows that failed.

    With history, ``rows`` carry each person's change against the previous period and ``mix`` is the
    team's grade mix over the periods of the history (``None`` without history).
    """

    locale: str
    labels: Mapping[str, str]
    title: str
    rows: tuple[TeamRow, ...]
    periods: str
    average_total: str
    chart: ColumnChart
    errors: tuple[tuple[str, str, str], ...]
    with_history: bool = False
    mix: MixChart | None = None


def _number(value: float) -> str:
    return f"{value:.1f}"


def card_locale(cards: Sequence[ScoreCard], locale: str | None) -> str:
    """The report locale: ``locale`` if given (checked), else the first locale of the cards' names, else ``zh``."""
    if locale is not None:
        return check_choice("locale", locale, LABELS)
    for card in cards:
        if isinstance(card.position_name, dict):
            first = next(iter(card.position_name))
            if first in LABELS:
                return first
    return "zh"


def card_tone(card: ScoreCard) -> str:
    """Badge colour: by the grade's place in the card's grade scale (else by total); a vetoed card is poor."""
    if card.grade != card.uncapped_grade or card.veto_breaches:
        return "poor"
    scale = card.grade_scale
    if card.grade in scale:
        return _place_tone(scale.index(card.grade), len(scale))
    if card.total >= 100:
        return "good"
    return "fair" if card.total >= 70 else "poor"


def _kpi_names(card: ScoreCard, kpi_ids: Iterable[str], locale: str) -> tuple[str, ...]:
    names = {kpi.kpi: localize(kpi.name, locale, locale) for kpi in card.kpis}
    return tuple(names.get(kpi_id, kpi_id) for kpi_id in kpi_ids)


def _place_tone(index: int, count: int) -> str:
    place = index / (count - 1) if count > 1 else 0.0
    return "good" if place < 0.35 else "fair" if place < 0.7 else "poor"


def _capped_note(card: ScoreCard, labels: Mapping[str, str]) -> str:
    notes = []
    if card.uncapped_total is not None and card.uncapped_total != card.total:
        notes.append(labels["total_zeroed"].format(uncapped=_number(card.uncapped_total)))
    if card.grade != card.uncapped_grade:
        notes.append(labels["grade_capped"].format(uncapped=card.uncapped_grade, grade=card.grade))
    return labels["clause_sep"].join(notes)


def _kpi_view(kpi: KpiScore, locale: str, labels: Mapping[str, str]) -> KpiView:
    name = localize(kpi.name, locale, locale)
    return KpiView(
        kpi=kpi.kpi,
        name=name,
        actual=quantity_text(kpi.actual, kpi.unit, locale) if kpi.actual is not None else "—",
        target=target_text(kpi.target, kpi.unit, locale) if kpi.target is not None else "—",
        achievement=format_quantity(round(kpi.achievement, 3), "percent") if kpi.achievement is not None else "—",
        score=_number(kpi.score),
        weight=format_quantity(kpi.weight),
        weighted_score=_number(kpi.weighted_score),
        method=labels.get(f"method_{kpi.method}", kpi.method),
        notes=tuple(kpi.notes),
        veto_breached=kpi.veto_breached,
        ratings=labels["list_sep"].join(
            f"{rating.rater} {format_quantity(rating.value, kpi.unit) if rating.value is not None else '—'}"
            for rating in kpi.ratings
        ),
        section=kpi.section or "",
    )


def _section_views(card: ScoreCard, locale: str) -> tuple[SectionView, ...]:
    return tuple(
        SectionView(
            section=section.section,
            name=localize(section.name, locale, locale) or section.section,
            weight=format_quantity(section.weight),
            subtotal=_number(section.subtotal),
            shown="" if section.shown is None else f"{section.shown:g}",
        )
        for section in card.sections
    )


def _renormalized(card: ScoreCard) -> bool:
    """Whether the card's weights were renormalised over the KPIs kept (some were missing or undefined)."""
    return card.missing_policy == "renormalize" and any(d.reason != "removed by event" for d in card.dropped)


def _dropped(card: ScoreCard) -> tuple[DroppedView, ...]:
    return tuple(
        DroppedView(d.kpi, format_quantity(d.weight), f"{d.reason}: {d.detail}" if d.detail else d.reason)
        for d in card.dropped
    )


Sensitivity = Sequence[tuple[str, float, float]]
"""Per KPI id: the total points a 1% worse and a 1% better actual are worth (see :mod:`ecomperf.planning`)."""


def scorecard_view(
    card: ScoreCard, locale: str | None = None, *, cap: float = DEFAULT_CAP, sensitivity: Sensitivity | None = None
) -> CardView:
    """Format ``card`` for the report in ``locale`` (default: the first locale of its names, else ``zh``).

    With ``sensitivity`` the view also holds a tornado chart of it.

    Raises:
        RenderError: no label catalogue for ``locale``.
    """
    locale = card_locale([card], locale)
    labels = labels_for(locale)
    position = localize(card.position_name, locale, locale)
    kpis = tuple(_kpi_view(kpi, locale, labels) for kpi in card.kpis)
    chart = score_bar_chart(
        [(view.name, kpi.score, kpi.veto_breached) for kpi, view in zip(card.kpis, kpis, strict=True)],
        veto_label=labels["method_veto"],
        cap=cap,
        target_label=labels["chart_reference_target"],
        cap_label=labels["chart_reference_cap"].format(cap=format_quantity(cap)),
    )
    return CardView(
        locale=locale,
        labels=labels,
        title=f"{labels['report_title']} · {card.employee or position}",
        employee=card.employee or "",
        position=position,
        framework=card.framework,
        stage=localize(card.stage_name, locale, locale) or card.stage,
        period=card.period,
        events=labels["list_sep"].join(card.events),
        context=labels["list_sep"].join(f"{key}={value}" for key, value in card.context.items()),
        total=_number(card.total),
        grade=card.grade,
        uncapped_grade=card.uncapped_grade,
        capped_note=_capped_note(card, labels),
        tone=card_tone(card),
        bonus=format_quantity(card.bonus),
        kpis=kpis,
        veto_breaches=_kpi_names(card, card.veto_breaches, locale),
        warnings=tuple(card.warnings),
        dropped=tuple((d.kpi, format_quantity(d.weight), d.reason) for d in card.dropped),
        renormalized=_renormalized(card),
        chart=chart,
        tornado=None if sensitivity is None else _tornado(card, sensitivity, locale, labels),
        shown_total="" if card.shown_total is None else f"{card.shown_total:g}",
        shown_caption="" if card.display_scale is None else labels["shown_total"].format(
            scale=format_quantity(card.display_scale)),
        sections=_section_views(card, locale),
    )


def _tornado(card: ScoreCard, sensitivity: Sensitivity, locale: str, labels: Mapping[str, str]) -> TornadoChart:
    names = _kpi_names(card, [kpi for kpi, _, _ in sensitivity], locale)
    return tornado_chart(
        [(name, down, up) for name, (_, down, up) in zip(names, sensitivity, strict=True)],
        worse_label=labels["chart_worse"],
        better_label=labels["chart_better"],
    )


def scorecard_html(
    card: ScoreCard, locale: str | None = None, *, cap: float = DEFAULT_CAP, sensitivity: Sensitivity | None = None
) -> str:
    """A self-contained HTML report of one scorecard.

    It shows the grade badge, total and bonus coefficient, an inline SVG bar chart of the KPI scores with
    reference lines at 100 and at ``cap``, the KPI table, veto breaches (highlighted), warnings and the
    KPIs left off the total; with ``sensitivity``, also an inline SVG tornado chart of it.

    Args:
        card: the scored card.
        locale: ``zh`` or ``en``; by default the first locale of the card's names, else ``zh``.
        cap: the score cap to draw (the linear-scoring default, 120, unless the framework uses another).
        sensitivity: ``(kpi, points for 1% worse, points for 1% better)`` rows, as
            :meth:`ecomperf.planning.WhatIf.tornado` gives them.

    Raises:
        RenderError: unknown locale.
    """
    view = scorecard_view(card, locale, cap=cap, sensitivity=sensitivity)
    return render_template(builtin_environment(), "scorecard.html.j2", card=view, labels=view.labels)


def _grade_order(cards: Sequence[ScoreCard], grades: Sequence[str] | None) -> list[str]:
    seen = {card.grade for card in cards}
    if grades is None:
        grades = next((card.grade_scale for card in cards if card.grade_scale), None)
    if grades is not None:
        return [*grades, *sorted(seen.difference(grades))]
    # Without a grade scale, rank grades by the best total that earned them uncapped.
    best: dict[str, float] = {}
    for card in cards:
        best[card.uncapped_grade] = max(best.get(card.uncapped_grade, float("-inf")), card.total)
    for grade in seen.difference(best):
        best[grade] = float("-inf")
    return sorted(best, key=lambda grade: (-best[grade], grade))


def team_view(
    cards: Iterable[ScoreCard],
    errors: Iterable[RowError] = (),
    locale: str | None = None,
    *,
    grades: Sequence[str] | None = None,
    history: Iterable[ScoreCard] | None = None,
) -> TeamView:
    """Format a team's cards for the team report; see :func:`team_report_html`."""
    cards = list(cards)
    locale = card_locale(cards, locale)
    labels = labels_for(locale)
    past = None if history is None else list(history)
    changes = [("", "", "fair", "fair")] * len(cards) if past is None else [
        change_texts(change, labels) for change in period_changes(cards, [*past, *cards])
    ]
    rows = tuple(
        TeamRow(
            anchor=f"card-{number}",
            employee=card.employee or "—",
            position=localize(card.position_name, locale, locale),
            stage=localize(card.stage_name, locale, locale) or card.stage,
            period=card.period,
            total=_number(card.total),
            grade=card.grade,
            tone=card_tone(card),
            capped_note=_capped_note(card, labels),
            bonus=format_quantity(card.bonus),
            veto_breaches=labels["list_sep"].join(_kpi_names(card, card.veto_breaches, locale)),
            warnings=tuple(card.warnings),
            kpis=tuple(_kpi_view(kpi, locale, labels) for kpi in card.kpis),
            dropped=_dropped(card),
            renormalized=_renormalized(card),
            change=change[0],
            grade_change=change[1],
            change_tone=change[2],
            grade_tone=change[3],
        )
        for number, (card, change) in enumerate(zip(cards, changes, strict=True), start=1)
    )
    counts = Counter(card.grade for card in cards)
    order = _grade_order(cards, grades)
    mix = None if past is None else _mix(cards, past, order)
    chart = column_chart(
        [(grade, counts.get(grade, 0), _place_tone(i, len(order))) for i, grade in enumerate(order)],
        total=len(cards),
    )
    average = _number(sum(card.total for card in cards) / len(cards)) if cards else "—"
    return TeamView(
        locale=locale,
        labels=labels,
        title=labels["team_report_title"],
        rows=rows,
        periods=labels["list_sep"].join(dict.fromkeys(card.period for card in cards)),
        average_total=average,
        chart=chart,
        errors=tuple((str(e.row), "" if e.employee is None else str(e.employee), str(e.reason)) for e in errors),
        with_history=past is not None,
        mix=mix,
    )


MIX_PERIODS = 12
"""Most periods the grade mix over time shows (the latest ones)."""


def _mix(cards: Sequence[ScoreCard], history: Sequence[ScoreCard], order: Sequence[str]) -> MixChart | None:
    """The grade mix of each period of the cards' kind up to the latest card, history and cards together."""
    if not cards:
        return None
    periods = [Period.parse(card.period) for card in cards]
    kind, latest = periods[0].kind, max(periods)
    shown = {(card.employee, card.period): card for card in history
             if Period.parse(card.period).kind == kind and Period.parse(card.period) <= latest}
    shown.update({(card.employee, card.period): card for card in cards})
    mixes = grade_mix(shown.values(), order)[-MIX_PERIODS:]
    return mix_chart([(mix.period, list(mix.counts.items())) for mix in mixes], order)


def team_report_html(
    cards: Iterable[ScoreCard],
    errors: Iterable[RowError] = (),
    locale: str | None = None,
    *,
    grades: Sequence[str] | None = None,
    history: Iterable[ScoreCard] | None = None,
) -> str:
    """A self-contained HTML report of a team: a table of employees, an inline SVG grade distribution, errors.

    With ``history`` (earlier cards of the same people, e.g. from :class:`ecomperf.History`), each row also
    shows the change of total and grade against the person's previous period, and a chart shows the team's
    grade mix over the periods up to this one.

    Args:
        cards: the scored cards, one per employee and period, shown in the order given.
        errors: rows that could not be scored; any objects with ``row``, ``employee`` and ``reason``.
        locale: ``zh`` or ``en``; by default the first locale of the cards' names, else ``zh``.
        grades: grade ids highest first; by default the cards' ``grade_scale``. The chart shows every grade
            of the scale, including those nobody earned.
        history: earlier cards (one per employee and period); ``None`` leaves the history columns out.

    Raises:
        RenderError: unknown locale.
    """
    view = team_view(cards, errors, locale, grades=grades, history=history)
    return render_template(builtin_environment(), "team.html.j2", team=view, labels=view.labels)


_UNSAFE_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def per_employee_pages(cards: Iterable[ScoreCard], locale: str | None = None) -> dict[str, str]:
    """One scorecard page per card (:meth:`ScoreCard.to_html`), by file name ``<employee>.<period>.html``.

    Characters that file systems refuse (``/ \\ : * ? " < > |``, control characters) become ``_``; a card
    without an employee is named by its position; names that would collide get ``-2``, ``-3`` … so that
    no page overwrites another.

    >>> sorted(per_employee_pages(cards))  # doctest: +SKIP
    ['li_na.2026-10.html', 'zhang_wei.2026-10.html']
    """
    pages: dict[str, str] = {}
    for card in cards:
        stem = _UNSAFE_IN_FILE_NAMES.sub("_", card.employee or card.position).strip(" .") or card.position
        name = f"{stem}.{card.period}.html"
        suffix = 2
        while name in pages:
            name = f"{stem}.{card.period}-{suffix}.html"
            suffix += 1
        pages[name] = scorecard_html(card, locale)
    return pages
