"""Reports of a framework diff and of a backtest: views with every cell formatted, Markdown and HTML.

The views are what every output shows (the terminal tables of ``ecomperf diff`` and ``ecomperf backtest``
as well as the templates ``diff.md.j2``, ``diff.html.j2``, ``backtest.md.j2`` and ``backtest.html.j2``),
so the formats cannot drift apart. Words come from the label catalogue (:mod:`ecomperf.render.labels`) in
the chosen locale, by default the new version's default locale. The HTML pages are self-contained (inline
CSS and SVG); the backtest page draws the grade mix before and after as side-by-side columns.

This module imports Jinja (through :mod:`ecomperf.render`), so ``import ecomperf`` does not import it.

>>> print(diff_markdown(ecomperf.diff(old, new), locale="en"))  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ecomperf.changes.backtest import BacktestResult, RowOutcome
from ecomperf.changes.diff import GROUPS, Change, FrameworkDiff, JsonValue
from ecomperf.model import localize
from ecomperf.render._choices import check_choice
from ecomperf.render.charts import GroupedColumnChart, grouped_column_chart
from ecomperf.render.environment import builtin_environment, render_template
from ecomperf.render.labels import LABELS, labels_for
from ecomperf.targets import format_quantity

__all__ = [
    "BacktestView",
    "ChangeGroupView",
    "ChangeRow",
    "DiffView",
    "backtest_html",
    "backtest_markdown",
    "backtest_view",
    "diff_html",
    "diff_markdown",
    "diff_view",
    "show_value",
]

_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_DASH = "—"


def _locale(locale: str | None, default: str) -> str:
    if locale is not None:
        return check_choice("locale", locale, LABELS)
    return default if default in LABELS else "en"


def show_value(value: JsonValue, locale: str, labels: Mapping[str, str] | None = None, *, nested: bool = False) -> str:
    """A change's old or new value as text: localised text in ``locale``, lists joined, mappings as ``k: v``.

    >>> show_value({"zh": "店长", "en": "Store manager"}, "en"), show_value(["a", "b"], "zh")
    ('Store manager', 'a、b')
    >>> show_value({"weight": 40, "target": ">= 20%"}, "en"), show_value(None, "en")
    ('weight: 40, target: >= 20%', '—')
    """
    words = labels if labels is not None else labels_for(locale)
    if value is None:
        return _DASH
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format_quantity(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return words["list_sep"].join(show_value(item, locale, words, nested=True) for item in value) or _DASH
    if value and all(isinstance(v, str) for v in value.values()) and all(_LOCALE.match(k) for k in value):
        texts = {key: str(text) for key, text in value.items()}
        return localize(texts, locale, next(iter(texts)))
    inner = ", ".join(f"{key}: {show_value(item, locale, words, nested=True)}" for key, item in value.items())
    return f"{{{inner}}}" if nested else inner


def _signed(value: float | None, digits: int = 1) -> str:
    if value is None:
        return _DASH
    rounded = round(value, digits)
    if rounded == 0:
        return "0"
    return f"{rounded:+.{digits}f}"


def _total(value: float | None) -> str:
    return _DASH if value is None else f"{value:.1f}"


def _coefficient(value: float | None) -> str:
    return _DASH if value is None else format_quantity(value)


def _amount(value: float | None) -> str:
    if value is None:
        return _DASH
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _signed_amount(value: float | None) -> str:
    if value is None:
        return _DASH
    return ("+" if value > 0 else "") + _amount(value) if value != 0 else "0"


# --- the diff -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    """One change, every cell formatted."""

    kind: str
    kind_label: str
    id: str
    field: str
    action: str
    action_label: str
    old: str
    new: str
    location: str


@dataclass(frozen=True)
class ChangeGroupView:
    """The changes under one heading (see :data:`ecomperf.changes.diff.GROUPS`)."""

    key: str
    title: str
    rows: tuple[ChangeRow, ...]


@dataclass(frozen=True)
class DiffView:
    """A diff ready for the templates and the terminal table."""

    locale: str
    labels: Mapping[str, str]
    title: str
    old: str
    new: str
    summary: str
    groups: tuple[ChangeGroupView, ...]

    @property
    def empty(self) -> bool:
        """Whether there are no changes."""
        return not self.groups


def _change_row(change: Change, locale: str, labels: Mapping[str, str]) -> ChangeRow:
    return ChangeRow(
        kind=change.kind,
        kind_label=labels[f"change_kind_{change.kind}"],
        id=change.id,
        field=change.field or "",
        action=change.action,
        action_label=labels[f"change_{change.action}"],
        old=show_value(change.old, locale, labels),
        new=show_value(change.new, locale, labels),
        location=change.location,
    )


def diff_view(result: FrameworkDiff, locale: str | None = None) -> DiffView:
    """Format ``result`` in ``locale`` (default: the new version's default locale, else English).

    Raises:
        RenderError: no label catalogue for ``locale``.
    """
    chosen = _locale(locale, result.new.locale)
    labels = labels_for(chosen)
    titles = {name: labels[f"change_group_{name}"] for name, _ in GROUPS}
    groups = tuple(
        ChangeGroupView(name, titles[name], tuple(_change_row(change, chosen, labels) for change in changes))
        for name, changes in result.by_group()
    )
    old, new = str(result.old), str(result.new)
    summary = labels["diff_count"].format(count=len(result)) if result else labels["diff_none"]
    return DiffView(chosen, labels, labels["diff_title"], old, new, summary, groups)


def diff_markdown(result: FrameworkDiff, locale: str | None = None) -> str:
    """The diff as Markdown, fit for a pull-request comment: one table per group of changes."""
    view = diff_view(result, locale)
    return render_template(builtin_environment(), "diff.md.j2", view=view, labels=view.labels)


def diff_html(result: FrameworkDiff, locale: str | None = None) -> str:
    """The diff as a self-contained HTML page."""
    view = diff_view(result, locale)
    return render_template(builtin_environment(), "diff.html.j2", view=view, labels=view.labels)


# --- the backtest -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    """One row of actuals in a backtest report, every cell formatted."""

    source: str
    employee: str
    position: str
    period: str
    old_total: str
    new_total: str
    total_delta: str
    old_grade: str
    new_grade: str
    old_bonus: str
    new_bonus: str
    old_amount: str
    new_amount: str
    scores_under: str
    reason: str
    direction: str


@dataclass(frozen=True)
class PositionRow:
    """One position's line of the effect table."""

    position: str
    rows: str
    grades_up: str
    grades_down: str
    old_mean_total: str
    new_mean_total: str
    mean_delta: str
    old_coefficients: str
    new_coefficients: str
    one_sided: str


@dataclass(frozen=True)
class BacktestView:
    """A backtest ready for the templates and the terminal tables."""

    locale: str
    labels: Mapping[str, str]
    title: str
    old: str
    new: str
    summary: str
    mix: tuple[tuple[str, str, str, str], ...]
    mix_note: str
    chart: GroupedColumnChart
    changed: tuple[OutcomeRow, ...]
    amounts: bool
    pool: tuple[tuple[str, str, str, str], ...]
    pool_notes: tuple[str, ...]
    positions: tuple[PositionRow, ...]
    one_sided: tuple[OutcomeRow, ...]
    not_scored: tuple[OutcomeRow, ...]
    warnings: tuple[str, ...]


def _outcome_row(
    outcome: RowOutcome, locale: str, labels: Mapping[str, str], names: Mapping[str, str | dict[str, str]],
    ranks: Mapping[str, int],
) -> OutcomeRow:
    old, new = outcome.old, outcome.new
    direction = ""
    if old is not None and new is not None and old.grade != new.grade:
        direction = "up" if ranks.get(new.grade, 0) < ranks.get(old.grade, 0) else "down"
    under = labels["version_old"] if old is not None and new is None else (
        labels["version_new"] if new is not None and old is None else "")
    name = names.get(outcome.position)
    return OutcomeRow(
        source=outcome.where,
        employee=outcome.employee or _DASH,
        position=localize(name, locale, locale) if name is not None else outcome.position or _DASH,
        period=outcome.period or _DASH,
        old_total=_total(old.total if old else None),
        new_total=_total(new.total if new else None),
        total_delta=_signed(outcome.total_delta),
        old_grade=old.grade if old else _DASH,
        new_grade=new.grade if new else _DASH,
        old_bonus=_coefficient(old.bonus if old else None),
        new_bonus=_coefficient(new.bonus if new else None),
        old_amount=_amount(outcome.old_amount),
        new_amount=_amount(outcome.new_amount),
        scores_under=under,
        reason=outcome.reason,
        direction=direction,
    )


def backtest_view(result: BacktestResult, locale: str | None = None) -> BacktestView:
    """Format ``result`` in ``locale`` (default: the new version's default locale, else English).

    Raises:
        RenderError: no label catalogue for ``locale``.
    """
    chosen = _locale(locale, result.new.locale)
    labels = labels_for(chosen)
    names = result.position_names
    ranks = {grade: index for index, grade in enumerate(result.grades)}

    def row(outcome: RowOutcome) -> OutcomeRow:
        return _outcome_row(outcome, chosen, labels, names, ranks)

    mix = tuple((g.grade, str(g.old), str(g.new), _signed(g.delta, 0)) for g in result.grade_mix)
    chart = grouped_column_chart(
        [(g.grade, [g.old, g.new]) for g in result.grade_mix], series=[labels["version_old"], labels["version_new"]],
    )
    pool = result.pool
    pool_rows = [(labels["pool_coefficients"], _coefficient(pool.old_coefficients),
                  _coefficient(pool.new_coefficients), _signed(pool.coefficient_delta, 2))]
    notes = [labels["grade_mix_note"].format(rows=pool.rows)]
    if result.base_given:
        pool_rows.append((labels["pool_amount"], _amount(pool.old_amount), _amount(pool.new_amount),
                          _signed_amount(pool.amount_delta)))
        base = result.bonus_base
        notes.append(labels["pool_base_column"].format(column=base) if isinstance(base, str)
                     else labels["pool_base_amount"].format(base=_amount(base)))
        if pool.rows_without_base:
            notes.append(labels["pool_without_base"].format(rows=pool.rows_without_base))
    positions = tuple(
        PositionRow(
            position=localize(names[e.position], chosen, chosen) if e.position in names else e.position or _DASH,
            rows=str(e.rows), grades_up=str(e.grades_up), grades_down=str(e.grades_down),
            old_mean_total=_total(e.old_mean_total), new_mean_total=_total(e.new_mean_total),
            mean_delta=_signed(None if e.old_mean_total is None or e.new_mean_total is None
                               else e.new_mean_total - e.old_mean_total),
            old_coefficients=_coefficient(e.old_coefficients), new_coefficients=_coefficient(e.new_coefficients),
            one_sided=str(e.one_sided),
        )
        for e in result.positions
    )
    old, new = str(result.old), str(result.new)
    summary = labels["backtest_summary"].format(
        rows=len(result.outcomes), compared=len(result.compared), changed=len(result.changed))
    return BacktestView(
        locale=chosen, labels=labels, title=labels["backtest_title"], old=old, new=new, summary=summary,
        mix=mix, mix_note=notes[0], chart=chart, changed=tuple(map(row, result.changed)),
        amounts=result.base_given, pool=tuple(pool_rows), pool_notes=tuple(notes[1:]), positions=positions,
        one_sided=tuple(map(row, result.one_sided)), not_scored=tuple(map(row, result.not_scored)),
        warnings=result.warnings,
    )


def backtest_markdown(result: BacktestResult, locale: str | None = None) -> str:
    """The backtest as Markdown: grade mix, changed employees, pool, positions, one-sided rows."""
    view = backtest_view(result, locale)
    return render_template(builtin_environment(), "backtest.md.j2", view=view, labels=view.labels)


def backtest_html(result: BacktestResult, locale: str | None = None) -> str:
    """The backtest as a self-contained HTML page with the grade mix before and after as an inline SVG chart."""
    view = backtest_view(result, locale)
    return render_template(builtin_environment(), "backtest.html.j2", view=view, labels=view.labels)
