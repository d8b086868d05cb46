"""HTML reports of scored cards: one employee's scorecard, and a team overview.

Both are single self-contained pages (inline CSS and SVG, no external assets) that print on A4.

>>> card = fw.score("store_manager", stage="startup", period="2026-10", actuals={...})  # doctest: +SKIP
>>> html = scorecard_html(card, locale="en")  # doctest: +SKIP
>>> html = team_report_html(cards, errors)  # doctest: +SKIP
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Protocol

from ecomperf.collection import paused_collection
from ecomperf.errors import RenderError
from ecomperf.model import localize
from ecomperf.model.index import FrameworkIndex
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
from ecomperf.render.sentences import context_text, dropped_reason, sentences_text
from ecomperf.scoring.results import KpiScore, ScoreCard, SectionScore
from ecomperf.scoring.trends import grade_mix, period_changes
from ecomperf.targets import format_quantity

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = [
    "PAGE_ROWS",
    "CardView",
    "DetailGroup",
    "DroppedView",
    "KpiView",
    "PageLink",
    "PageNav",
    "RowError",
    "SectionView",
    "TeamIndex",
    "TeamView",
    "card_locale",
    "card_tone",
    "per_employee_files",
    "per_employee_pages",
    "scorecard_html",
    "scorecard_view",
    "team_index",
    "team_report_html",
    "team_report_pages",
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
    """A KPI left off a card's total: its id, the weight it would have carried, why, and its name."""

    kpi: str
    weight: str
    reason: str
    name: str = ""


@dataclass(frozen=True)
class DetailGroup:
    """The KPIs of one section in an employee's drill-down, under a row with the section's subtotal.

    ``section`` is ``None`` for the KPIs outside every section (all of them on a card without sections);
    ``weighted_score`` is the section's contribution to the total, the sum of its KPIs' weighted scores;
    ``shown`` its subtotal on the display scale in words (``3.6 out of 5``), ``""`` without a scale.
    """

    section: SectionView | None
    kpis: tuple[KpiView, ...]
    weighted_score: str = ""
    shown: str = ""


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
    shown_total: str = ""
    subtotals: tuple[str, ...] = ()
    groups: tuple[DetailGroup, ...] = ()


@dataclass(frozen=True)
class PageNav:
    """Where one page of a paginated team report sits: its number, its cards (numbered from 1 over the whole
    report), the links around it, and ``caption``, all that in words (``Page 2 of 50 · scorecards …``)."""

    number: int
    count: int
    first_row: int
    last_row: int
    total_rows: int
    index_href: str
    previous_href: str
    next_href: str
    caption: str = ""


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
    sections: tuple[tuple[str, str], ...] = ()
    shown_caption: str = ""
    page: PageNav | None = None


def _number(value: float) -> str:
    return f"{value:.1f}"


def card_locale(cards: Iterable[ScoreCard], locale: str | None) -> str:
    """The report locale: ``locale`` if given (checked), else the first locale of the cards' names, else ``zh``.

    The cards are read in order up to the first whose position name is localised with a first locale that
    has labels (:func:`_name_locale`); the ones after it are not read.
    """
    if locale is not None:
        return check_choice("locale", locale, LABELS)
    for card in cards:
        first = _name_locale(card)
        if first is not None:
            return first
    return "zh"


def _name_locale(card: ScoreCard) -> str | None:
    """The first locale of the card's position name if it has labels; ``None`` for a plain-text name or another."""
    if isinstance(card.position_name, dict):
        first = next(iter(card.position_name))
        if first in LABELS:
            return first
    return None


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
        notes=tuple(sentences_text(kpi.notes, locale)),
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


def _dropped(card: ScoreCard, locale: str, index: FrameworkIndex | None) -> tuple[DroppedView, ...]:
    return tuple(
        DroppedView(d.kpi, format_quantity(d.weight), dropped_reason(d, locale), _metric_name(index, d.kpi, locale))
        for d in card.dropped
    )


def _metric_name(index: FrameworkIndex | None, kpi: str, locale: str) -> str:
    """A KPI left off a card, by its metric's name when the framework is at hand (the card holds only its id)."""
    metric = index.metrics.get(kpi) if index is not None else None
    return localize(metric.name, locale, locale) or kpi if metric is not None else kpi


def _event_names(index: FrameworkIndex | None, events: Iterable[str], locale: str) -> list[str]:
    declared = {event.id: event.name for event in index.events} if index is not None else {}
    return [localize(declared[event], locale, locale) if event in declared else event for event in events]


Sensitivity = Sequence[tuple[str, float, float]]
"""Per KPI id: the total points a 1% worse and a 1% better actual are worth (see :mod:`ecomperf.planning`)."""


def scorecard_view(
    card: ScoreCard, locale: str | None = None, *, cap: float = DEFAULT_CAP, sensitivity: Sensitivity | None = None,
    index: FrameworkIndex | None = None,
) -> CardView:
    """Format ``card`` for the report in ``locale`` (default: the first locale of its names, else ``zh``).

    With ``sensitivity`` the view also holds a tornado chart of it. With ``index`` (the framework that scored
    the card) events, context values and KPIs left off the total are shown by their names, not their ids;
    the card's notes and warnings are written in ``locale`` either way.

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
        events=labels["list_sep"].join(_event_names(index, card.events, locale)),
        context=context_text(card, locale, index),
        total=_number(card.total),
        grade=card.grade,
        uncapped_grade=card.uncapped_grade,
        capped_note=_capped_note(card, labels),
        tone=card_tone(card),
        bonus=format_quantity(card.bonus),
        kpis=kpis,
        veto_breaches=_kpi_names(card, card.veto_breaches, locale),
        warnings=tuple(sentences_text(card.warnings, locale)),
        dropped=tuple((d.name, d.weight, d.reason) for d in _dropped(card, locale, index)),
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
    card: ScoreCard, locale: str | None = None, *, cap: float = DEFAULT_CAP, sensitivity: Sensitivity | None = None,
    index: FrameworkIndex | None = None,
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
        index: the framework that scored the card, to show events, context values and dropped KPIs by name.

    Raises:
        RenderError: unknown locale.
    """
    view = scorecard_view(card, locale, cap=cap, sensitivity=sensitivity, index=index)
    return render_template(builtin_environment(), "scorecard.html.j2", card=view, labels=view.labels)


def _grade_order(cards: Sequence[ScoreCard], grades: Sequence[str] | None) -> list[str]:
    """The grades of a chart of ``cards``, highest first; see :func:`_ranked_grades`."""
    seen = {card.grade for card in cards}
    if grades is None:
        grades = next((card.grade_scale for card in cards if card.grade_scale), None)
    best: dict[str, float] = {}
    if grades is None:
        for card in cards:
            _keep_best(best, card)
    return _ranked_grades(seen, grades, best)


def _keep_best(best: dict[str, float], card: ScoreCard) -> None:
    """Fold the card into ``best``, the best total that earned each grade uncapped."""
    best[card.uncapped_grade] = max(best.get(card.uncapped_grade, float("-inf")), card.total)


def _ranked_grades(seen: set[str], grades: Sequence[str] | None, best: Mapping[str, float]) -> list[str]:
    """``grades`` (the given ids, or the cards' first grade scale), then the other grades ``seen``, sorted.

    Without a scale, the grades seen ranked by ``best``, the best total that earned each uncapped (of every
    card: only this branch reads it), then by id.
    """
    if grades is not None:
        return [*grades, *sorted(seen.difference(grades))]
    # Without a grade scale, rank grades by the best total that earned them uncapped.
    ranked = dict(best)
    for grade in seen.difference(ranked):
        ranked[grade] = float("-inf")
    return sorted(ranked, key=lambda grade: (-ranked[grade], grade))


def team_view(
    cards: Iterable[ScoreCard],
    errors: Iterable[RowError] = (),
    locale: str | None = None,
    *,
    grades: Sequence[str] | None = None,
    history: Iterable[ScoreCard] | None = None,
    page: PageNav | None = None,
    index: FrameworkIndex | None = None,
) -> TeamView:
    """Format a team's cards for the team report; see :func:`team_report_html`.

    With ``page`` the cards are one page of a longer report (:func:`team_report_pages`): their drill-down
    anchors count from the page's first row, ``card-2001`` onwards, so that every anchor is unique.
    """
    cards = list(cards)
    first = 1 if page is None else page.first_row
    locale = card_locale(cards, locale)
    labels = labels_for(locale)
    past = None if history is None else list(history)
    changes = [("", "", "fair", "fair")] * len(cards) if past is None else [
        change_texts(change, labels) for change in period_changes(cards, [*past, *cards])
    ]
    sections = _team_sections(cards, locale)
    rows = tuple(
        _team_row(f"card-{number}", card, change, sections, locale, labels, index)
        for number, (card, change) in enumerate(zip(cards, changes, strict=True), start=first)
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
        sections=sections,
        shown_caption=_shown_caption(cards, labels),
        page=page,
    )


def _team_row(
    anchor: str, card: ScoreCard, change: tuple[str, str, str, str], sections: Sequence[tuple[str, str]],
    locale: str, labels: Mapping[str, str], index: FrameworkIndex | None = None,
) -> TeamRow:
    kpis = tuple(_kpi_view(kpi, locale, labels) for kpi in card.kpis)
    subtotals = {section.section: _number(section.subtotal) for section in card.sections}
    return TeamRow(
            anchor=anchor,
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
            warnings=tuple(sentences_text(card.warnings, locale)),
            kpis=kpis,
            dropped=_dropped(card, locale, index),
            renormalized=_renormalized(card),
            change=change[0],
            grade_change=change[1],
            change_tone=change[2],
            grade_tone=change[3],
            shown_total="" if card.shown_total is None else f"{card.shown_total:g}",
            subtotals=tuple(subtotals.get(section, "") for section, _ in sections),
            groups=_detail_groups(card, kpis, _section_views(card, locale), labels),
    )


def _team_sections(cards: Sequence[ScoreCard], locale: str) -> tuple[tuple[str, str], ...]:
    """``(section id, name)`` of every section with a subtotal on any card, in order of first appearance."""
    columns: dict[str, str] = {}
    for card in cards:
        for section in card.sections:
            if section.section not in columns:
                columns[section.section] = _section_name(section, locale)
    return tuple(columns.items())


def _section_name(section: SectionScore, locale: str) -> str:
    """The section's name in ``locale``, else its id."""
    return localize(section.name, locale, locale) or section.section


def _shown_caption(cards: Sequence[ScoreCard], labels: Mapping[str, str]) -> str:
    """The heading of the display-scale column (``out of 5``), or ``""`` when no card has a display scale."""
    scale = next((card.display_scale for card in cards if card.display_scale is not None), None)
    return "" if scale is None else labels["shown_total"].format(scale=format_quantity(scale))


def _detail_groups(
    card: ScoreCard, kpis: Sequence[KpiView], sections: Sequence[SectionView], labels: Mapping[str, str]
) -> tuple[DetailGroup, ...]:
    """The drill-down's KPIs by section: each section (declared order) under its subtotal, then the others.

    A section whose KPIs were all left off has no subtotal on the card and no group; one that holds only
    KPIs of weight 0 (a veto) is shown under its id with no subtotal.
    """
    if not any(kpi.section for kpi in card.kpis):
        return (DetailGroup(None, tuple(kpis)),)
    views = {view.section: view for view in sections}
    order = [*views, *dict.fromkeys(kpi.section for kpi in card.kpis if kpi.section and kpi.section not in views)]
    groups: list[DetailGroup] = []
    for section in order:
        members = [(kpi, view) for kpi, view in zip(card.kpis, kpis, strict=True) if kpi.section == section]
        if not members:
            continue
        header = views.get(section) or SectionView(section, section, "", "—", "")
        contribution = _number(sum(kpi.weighted_score for kpi, _ in members))
        shown = "" if not header.shown or card.display_scale is None else labels["shown_value"].format(
            value=header.shown, scale=format_quantity(card.display_scale))
        groups.append(DetailGroup(header, tuple(view for _, view in members), contribution, shown))
    rest = tuple(view for kpi, view in zip(card.kpis, kpis, strict=True) if not kpi.section)
    if rest:
        groups.append(DetailGroup(None, rest))
    return tuple(groups)


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
    index: FrameworkIndex | None = None,
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
        index: the framework that scored the cards, to show KPIs left off a total by name.

    Raises:
        RenderError: unknown locale.
    """
    view = team_view(cards, errors, locale, grades=grades, history=history, index=index)
    return render_template(builtin_environment(), "team.html.j2", team=view, labels=view.labels)


PAGE_ROWS = 2000
"""Most scorecards (and most rows not scored) one page of the team report holds.

Up to this many, :func:`team_report_pages` gives the single page of :func:`team_report_html`. Above it the
report is an index page (the team's figures, grade distribution, average subtotal per section and one line
per page) and pages of at most this many scorecards, each with its own table, drill-downs and links to the
previous and next page, so that no file a browser opens grows with the team.
"""


@dataclass(frozen=True)
class PageLink:
    """One page of a paginated team report, as its index lists it (``first_row`` … numbered from 1)."""

    href: str
    label: str
    first_row: int
    last_row: int
    first_employee: str
    last_employee: str
    average_total: str
    veto_count: int
    error_count: int


@dataclass(frozen=True)
class TeamIndex:
    """The index page of a paginated team report: figures over every card, and the pages.

    ``sections`` holds ``(section id, name, cards with it, average subtotal)``.
    """

    locale: str
    labels: Mapping[str, str]
    title: str
    periods: str
    card_count: int
    error_count: int
    average_total: str
    chart: ColumnChart
    sections: tuple[tuple[str, str, int, str], ...]
    pages: tuple[PageLink, ...]
    note: str


def team_report_pages(
    cards: Iterable[ScoreCard],
    errors: Iterable[RowError] = (),
    locale: str | None = None,
    *,
    grades: Sequence[str] | None = None,
    stem: str = "report",
    page_rows: int = PAGE_ROWS,
    index: FrameworkIndex | None = None,
) -> Iterator[tuple[str, str]]:
    """The team report as files: ``(file name, HTML)``, one page at a time so that memory stays bounded.

    With at most ``page_rows`` cards and rows not scored, the one page ``<stem>.html`` of
    :func:`team_report_html`. Above, the pages ``<stem>-01.html`` … (numbers padded to the page count) of at
    most ``page_rows`` cards each (and as many rows not scored, in order), then the index ``<stem>.html``
    that links them (:class:`TeamIndex`); the index comes last so that a writer never leaves an index
    pointing at pages not yet written. See :data:`PAGE_ROWS`.

    A :class:`~collections.abc.Sequence` of cards (a list, or a lazy sequence that builds its cards when
    they are asked for) is never copied whole: each page is sliced from it once, ``cards[start:start +
    page_rows]``, rendered, and its figures (grades, section subtotals, periods, totals, its line of the
    index) folded into tallies that make the index, which reads no card again. So each card is built once
    and at most one page of cards is alive at a time, however long the team. Any other iterable (a
    generator) is read into a list first. The rows not scored are read into a list either way.

    The first page's cards decide the default locale (:func:`card_locale`). Only when none of them has a
    position name localised in a locale with labels (plain-text names, say) are the cards after it read,
    one at a time and none kept, up to the first that has: those cards are built twice (once to look, once
    for their page), and a page and two cards are alive meanwhile. Passing ``locale`` never reads ahead.

    Args:
        cards: the scored cards, shown in the order given.
        errors: rows that could not be scored (objects with ``row``, ``employee`` and ``reason``).
        locale: ``zh`` or ``en``; by default the first locale of the cards' names, else ``zh``.
        grades: grade ids highest first, as for :func:`team_report_html`.
        stem: the file name without ``.html``.
        page_rows: the most cards a page holds (at least 1).
        index: the framework that scored the cards, to show KPIs left off a total by name.

    Raises:
        RenderError: unknown locale, or ``page_rows`` below 1.

    Example:
        5,000 cards at the default 2,000 a page give ``report-1.html`` (cards 1–2,000), ``report-2.html``,
        ``report-3.html`` (4,001–5,000) and ``report.html``.
    """
    if page_rows < 1:
        raise RenderError(f"page_rows must be at least 1, not {page_rows}")
    batch: Sequence[ScoreCard] = cards if isinstance(cards, Sequence) else list(cards)
    errors = list(errors)
    total = len(batch)
    if total <= page_rows and len(errors) <= page_rows:
        shown = _page(batch, 0, page_rows)  # all of them: they fit in one page
        locale = card_locale(shown, locale)
        with paused_collection():  # as for each page below
            html = team_report_html(shown, errors, locale, grades=grades, index=index)
        yield f"{stem}.html", html
        return
    count = max(-(-total // page_rows), -(-len(errors) // page_rows))
    names = [f"{stem}-{number:0{len(str(count))}d}.html" for number in range(1, count + 1)]
    shown = _page(batch, 0, page_rows)  # the first page, read before the others: its cards decide the locale
    locale = _report_locale(batch, shown, locale)
    environment = builtin_environment()
    labels = labels_for(locale)
    tally = _IndexTally(locale)
    for place, name in enumerate(names):
        start = place * page_rows
        if place:
            shown = _page(batch, start, page_rows)
        first, last = start + 1, min(start + page_rows, total)
        caption = labels["page_of"].format(number=place + 1, count=count, first=first, last=last, total=total)
        page = PageNav(
            number=place + 1, count=count, first_row=first, last_row=last, total_rows=total,
            index_href=f"{stem}.html",
            previous_href=names[place - 1] if place else "", next_href=names[place + 1] if place + 1 < count else "",
            caption=caption if first <= last else labels["page"].format(number=place + 1),
        )
        page_errors = errors[start:start + page_rows]
        html = _team_page(environment, shown, page_errors, locale, grades=grades, page=page, index=index)
        tally.add_page(name, place + 1, start, shown, len(page_errors))
        shown = []  # the page's cards go before the next page's are built: one page of cards at a time
        yield name, html
    index_view = tally.index(grades, error_count=len(errors), page_rows=page_rows)
    yield f"{stem}.html", render_template(environment, "team_index.html.j2", team=index_view, labels=index_view.labels)


def _page(cards: Sequence[ScoreCard], start: int, rows: int) -> list[ScoreCard]:
    """The cards of the page from ``start``, sliced once (a lazy sequence builds each of them once, here)."""
    return list(cards[start:start + rows]) if start < len(cards) else []


def _report_locale(cards: Sequence[ScoreCard], first_page: Sequence[ScoreCard], locale: str | None) -> str:
    """``card_locale(cards, locale)``, given ``first_page``, the cards ``cards`` starts with, already read.

    :func:`card_locale` stops at the first card that decides, so the cards after the first page are asked
    for, one at a time, only if none of the page's does; none is kept (each goes when the next is read).
    """
    rest = (cards[place] for place in range(len(first_page), len(cards)))
    return card_locale(chain(first_page, rest), locale)


def _team_page(
    environment: Environment, cards: Sequence[ScoreCard], errors: Sequence[RowError], locale: str, *,
    grades: Sequence[str] | None, page: PageNav, index: FrameworkIndex | None,
) -> str:
    """One page of a paginated team report (:func:`team_view` of its cards alone, as the single page)."""
    # Rendering a page makes hundreds of thousands of short-lived objects; with the collector on, their
    # allocations set off full collections that walk every object alive each time, every card of the batch
    # when the caller holds them all (a list): 400 µs a card at 20,000 cards against 320 at 4,000.
    # Reference counting frees the page's objects.
    with paused_collection():
        view = team_view(cards, errors, locale, grades=grades, page=page, index=index)
        return render_template(environment, "team.html.j2", team=view, labels=view.labels)


class _IndexTally:
    """The figures of a paginated team report's index, folded in one page of cards at a time.

    So that the index never reads a card again: the grade counts, the first grade scale, the best total
    that earned each grade uncapped, the periods and section names in order of first appearance, one
    :class:`PageLink` a page, and each card's total and section subtotals as 8-byte floats (not the cards),
    so that every average is ``sum()`` of the very numbers, in the very order, :func:`team_index` always
    summed: the same to the last bit on every Python.
    """

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.labels = labels_for(locale)
        self.counts: Counter[str] = Counter()
        self.scale: list[str] | None = None
        self.best: dict[str, float] = {}
        self.periods: dict[str, None] = {}
        self.totals: array[float] = array("d")
        self.subtotals: dict[str, array[float]] = {}
        self.section_names: dict[str, str] = {}
        self.pages: list[PageLink] = []

    def add(self, cards: Iterable[ScoreCard]) -> None:
        """Fold the cards into the team's figures."""
        for card in cards:
            self.counts[card.grade] += 1
            if self.scale is None and card.grade_scale:
                self.scale = list(card.grade_scale)
            _keep_best(self.best, card)
            self.periods.setdefault(card.period, None)
            self.totals.append(card.total)
            for section in card.sections:
                self.subtotals.setdefault(section.section, array("d")).append(section.subtotal)
                if section.section not in self.section_names:
                    self.section_names[section.section] = _section_name(section, self.locale)

    def add_page(self, href: str, number: int, start: int, shown: Sequence[ScoreCard], error_count: int) -> None:
        """Fold in the page ``number`` at ``href``: its cards ``shown``, from card ``start`` (from 0), and the
        count of its rows not scored."""
        self.add(shown)
        self.pages.append(PageLink(
            href=href,
            label=self.labels["page"].format(number=number),
            first_row=start + 1 if shown else 0,
            last_row=start + len(shown) if shown else 0,
            first_employee=(shown[0].employee or "—") if shown else "",
            last_employee=(shown[-1].employee or "—") if shown else "",
            average_total=_number(sum(card.total for card in shown) / len(shown)) if shown else "—",
            veto_count=sum(1 for card in shown if card.veto_breaches),
            error_count=error_count,
        ))

    def index(self, grades: Sequence[str] | None, *, error_count: int, page_rows: int) -> TeamIndex:
        """The index of the pages folded in, over every card folded in."""
        labels = self.labels
        order = _ranked_grades(set(self.counts), self.scale if grades is None else grades, self.best)
        card_count = len(self.totals)
        chart = column_chart(
            [(grade, self.counts.get(grade, 0), _place_tone(i, len(order))) for i, grade in enumerate(order)],
            total=card_count,
        )
        return TeamIndex(
            locale=self.locale,
            labels=labels,
            title=labels["team_report_title"],
            periods=labels["list_sep"].join(self.periods),
            card_count=card_count,
            error_count=error_count,
            average_total=_number(sum(self.totals) / card_count) if card_count else "—",
            chart=chart,
            sections=tuple((section, self.section_names[section], len(values), _number(sum(values) / len(values)))
                           for section, values in self.subtotals.items()),
            pages=tuple(self.pages),
            note=labels["paginated_note"].format(total=card_count, rows=page_rows, count=len(self.pages)),
        )


def team_index(
    cards: Sequence[ScoreCard],
    errors: Sequence[RowError],
    locale: str,
    *,
    grades: Sequence[str] | None,
    names: Sequence[str],
    page_rows: int,
) -> TeamIndex:
    """The index of a team report split into the pages ``names`` of ``page_rows`` cards each.

    It reads ``cards`` once, a page's slice at a time (one page of a lazy sequence alive at a time).
    :func:`team_report_pages` makes the same index from the figures it gathers while it renders the
    pages, without reading the cards a second time.
    """
    tally = _IndexTally(locale)
    for place, href in enumerate(names):
        start = place * page_rows
        tally.add_page(href, place + 1, start, _page(cards, start, page_rows), len(errors[start:start + page_rows]))
    tally.add(_page(cards, len(names) * page_rows, len(cards)))  # any cards past the last page count too
    return tally.index(grades, error_count=len(errors), page_rows=page_rows)


_UNSAFE_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def per_employee_pages(
    cards: Iterable[ScoreCard], locale: str | None = None, *, index: FrameworkIndex | None = None
) -> dict[str, str]:
    """One scorecard page per card (:meth:`ScoreCard.to_html`), by file name ``<employee>.<period>.html``:
    :func:`per_employee_files` gathered into one mapping.

    >>> sorted(per_employee_pages(cards))  # doctest: +SKIP
    ['li_na.2026-10.html', 'zhang_wei.2026-10.html']
    """
    return dict(per_employee_files(cards, locale, index=index))


def per_employee_files(
    cards: Iterable[ScoreCard], locale: str | None = None, *, index: FrameworkIndex | None = None
) -> Iterator[tuple[str, str]]:
    """``(file name, HTML)`` of one scorecard page per card (:meth:`ScoreCard.to_html`), one card at a time, so
    that a writer holds one page, not every page of the team.

    The name is ``<employee>.<period>.html``. Characters that file systems refuse (``/ \\ : * ? " < > |``,
    control characters) become ``_``; a card without an employee is named by its position; names that would
    collide get ``-2``, ``-3`` … so that no page overwrites another.
    """
    names: set[str] = set()
    for card in cards:
        stem = _UNSAFE_IN_FILE_NAMES.sub("_", card.employee or card.position).strip(" .") or card.position
        name = f"{stem}.{card.period}.html"
        suffix = 2
        while name in names:
            name = f"{stem}.{card.period}-{suffix}.html"
            suffix += 1
        names.add(name)
        yield name, scorecard_html(card, locale, index=index)
