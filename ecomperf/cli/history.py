"""``ecomperf history DB``, and the history steps of ``score --record/--from-db``, ``pip --db`` and
``distribution --db``.

The score commands live in :mod:`ecomperf.cli.score`; what they do with a database is here, so that
module only calls these functions.

Exit status of ``history``: 0 listed (also when nothing matched), 1 the database cannot be opened or
read, 2 usage errors.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final

import typer
from rich.table import Table as RichTable
from rich.text import Text

from ecomperf.cli._app import app, console
from ecomperf.errors import ActualsIOError, EcomperfError
from ecomperf.io.atomic import atomic_write
from ecomperf.model.fingerprint import short_fingerprint
from ecomperf.periods import Period, PeriodError

if TYPE_CHECKING:
    from ecomperf.batch.results import BatchResult  # start-up cost: numpy loads only for scoring
    from ecomperf.batch.table import Table
    from ecomperf.framework import Framework
    from ecomperf.history import History, RecordedCard  # optional extra: SQLAlchemy and Alembic
    from ecomperf.scoring.results import ScoreCard
    from ecomperf.scoring.review import PipFlag

__all__ = [
    "HistoryFormat",
    "history",
    "open_history",
    "period_cards",
    "pip_evidence",
    "record_result",
    "score_period_from_history",
]

TABLE_ROWS: Final = 2_000
"""Most cards the terminal table shows; write the rest with ``--format csv``."""


class HistoryFormat(StrEnum):
    """How ``ecomperf history`` writes (``--format``)."""

    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    html = "html"


class PeriodKindOption(StrEnum):
    """Which cards ``--kind`` keeps."""

    month = "month"
    quarter = "quarter"
    year = "year"


DatabaseArgument = Annotated[
    str, typer.Argument(help="The history database: a SQLite file (perf.db) or a URL (postgresql://…).",
                        show_default=False)
]


@app.command()
def history(
    database: DatabaseArgument,
    employee: Annotated[list[str] | None, typer.Option("--employee", "-e", help="Only this employee (repeatable).")]
    = None,
    position: Annotated[list[str] | None, typer.Option("--position", help="Only this position (repeatable).")] = None,
    start: Annotated[str | None, typer.Option("--from", help="Periods from this one on (2026-07, 2026-Q3).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Periods up to this one (2026-12, 2026-Q4).")] = None,
    period: Annotated[str | None, typer.Option("--period", help="Only this period; with --format html, the "
                                               "team report of that period with its history.")] = None,
    kind: Annotated[PeriodKindOption | None, typer.Option("--kind", help="Only month, quarter or year cards.")]
    = None,
    all_versions: Annotated[bool, typer.Option("--all-versions", help="Also the superseded versions of "
                                               "corrected cards.")] = False,
    output_format: Annotated[HistoryFormat, typer.Option("--format", "-f", help="table, csv, json, xlsx or "
                                                         "html.")] = HistoryFormat.table,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file (needed for xlsx; "
                                                "csv, json and html go to stdout without it).", dir_okay=False)]
    = None,
    locale: Annotated[str | None, typer.Option("--locale", help="Language of the HTML report: zh or en.")] = None,
) -> None:
    """List recorded scorecards with the change of total and grade against each person's previous period."""
    from ecomperf.history.export import history_rows, render_csv, render_json  # optional extra: SQLAlchemy and Alembic

    if output_format is HistoryFormat.xlsx and output is None:
        raise _usage("--format xlsx needs -o FILE.xlsx")
    for name, value in (("--from", start), ("--to", end), ("--period", period)):
        _check_period(name, value)
    store = open_history(database, create=False)
    try:
        filters: dict[str, Any] = {"employee": employee or None, "position": position or None, "start": start,
                                   "end": end, "period": period, "kind": kind.value if kind else None}
        entries = store.entries(**filters, all_versions=all_versions)
        reference = store.entries(employee=employee or None, position=position or None)
        known = store.frameworks()
    except EcomperfError as exc:
        raise _fail(exc) from None
    finally:
        store.close()
    rows = history_rows(entries, reference)
    if output_format is HistoryFormat.table:
        _print_history(entries, rows, all_versions=all_versions, where=store.where)
        return
    if output_format is HistoryFormat.xlsx:
        from ecomperf.history.export import write_xlsx  # optional extra: SQLAlchemy and Alembic

        assert output is not None
        _write(output, lambda path: write_xlsx(path, rows, _grades(entries)))
        return
    if output_format is HistoryFormat.html:
        text = _html(entries, reference, known, period=period, kind=kind, locale=locale)
    elif output_format is HistoryFormat.json:
        text = render_json(rows)
    else:
        text = render_csv(rows)
    if output is None:
        typer.echo(text, nl=False)
    else:
        _write(output, lambda path: path.write_text(("\ufeff" if output_format is HistoryFormat.csv else "")
                                                    + text, encoding="utf-8"))


# --- steps shared with the score commands -----------------------------------------------------------


def open_history(database: str, *, create: bool) -> History:
    """Open the store or exit 1 with its reason (missing extra, unreachable server, newer schema …)."""
    try:
        from ecomperf.history import History  # optional extra: SQLAlchemy and Alembic
    except ImportError:  # the history extra is optional
        console(stderr=True).print("error: the history store needs SQLAlchemy and Alembic: "
                                   "pip install 'ecomperf[history]'", markup=False)
        raise typer.Exit(1) from None
    try:
        return History(database, create=create)
    except EcomperfError as exc:
        raise _fail(exc) from None


def record_result(
    fw: Framework, result: BatchResult, table: Table | None, database: str, *, replace: bool, source: str,
    command: str,
) -> None:
    """Record every card of a scored file in one transaction, or nothing when any row was not scored.

    Exits 1 (after the score output was written) when nothing could be recorded.
    """
    from ecomperf.history.inputs import scored_inputs  # optional extra: SQLAlchemy and Alembic

    err = console(stderr=True)
    if result.errors:
        err.print(f"nothing recorded in {database}: {len(result.errors)} row(s) were not scored (listed above); "
                  "fix them and record the whole file again", markup=False)
        raise typer.Exit(1)
    if not result.cards:
        err.print(f"nothing recorded in {database}: no scored rows", markup=False)
        raise typer.Exit(1)
    values = None if table is None else scored_inputs(fw, result, table)
    store = open_history(database, create=True)
    try:
        recorded = store.record(result.cards, framework=fw, inputs=values, replace=replace,
                                command=command, source=source)
    except EcomperfError as exc:
        raise _fail(exc) from None
    finally:
        store.close()
    replaced = f", {recorded.replaced} of them correcting earlier cards (kept as superseded)" if recorded.replaced \
        else ""
    err.print(f"Recorded {recorded.recorded} card(s) in {store.where} as recording #{recorded.recording_id}"
              f"{replaced}.", markup=False)


def score_period_from_history(
    fw: Framework, database: str, period: str, *, missing: str, stage: str | None,
) -> BatchResult:
    """Score a quarter or year from the recorded months; report what could not be scored on stderr."""
    from ecomperf.history.quarters import score_from_history  # optional extra: SQLAlchemy and Alembic

    err = console(stderr=True)
    target = Period.parse(period)
    store = open_history(database, create=False)
    try:
        months = store.entries(kind="month", start=target, end=target)
        scored = score_from_history(fw, months, target, missing=missing, stage=stage)  # type: ignore[arg-type]
    except EcomperfError as exc:
        raise _fail(exc) from None
    finally:
        store.close()
    if not months:
        err.print(f"warning: {store.where} holds no monthly card of {target}", markup=False)
    for note in scored.notes:
        err.print(f"note: {note}", markup=False)
    for card in scored.cards:
        used = ", ".join(f"#{entry.id}" for entry in scored.months[card.employee or ""])
        dropped = "; ".join(f"{d.kpi} ({d.reason}: {d.detail})" if d.detail else f"{d.kpi} ({d.reason})"
                            for d in card.dropped)
        err.print(f"{card.employee}: {target} from cards {used}" + (f"; left off the total: {dropped}" if dropped
                                                                    else ""), markup=False)
    for employee, reason in scored.errors:
        err.print(f"{store.where}: {employee}: {reason}", markup=False)
    return _batch(fw, scored.cards, scored.errors, source=f"{store.where} ({target})")


def period_cards(database: str, *, period: str | None = None, kind: str | None = None) -> list[ScoreCard]:
    """The current cards of the store, of one period or of one kind of period."""
    store = open_history(database, create=False)
    try:
        return store.cards(period=period, kind=kind)
    except EcomperfError as exc:
        raise _fail(exc) from None
    finally:
        store.close()


def pip_evidence(database: str, flags: Sequence[PipFlag]) -> None:
    """Print, for each flag, the recorded card of every period of its run (id, total, grade, when, how)."""

    if not flags:
        return
    store = open_history(database, create=False)
    try:
        entries = store.entries(employee=[flag.employee for flag in flags], kind="month")
    except EcomperfError as exc:
        raise _fail(exc) from None
    finally:
        store.close()
    by_key = {(entry.card.employee, entry.card.period): entry for entry in entries}
    out = console()
    for flag in flags:
        table = RichTable(title=f"Evidence: {flag.employee}", title_justify="left")
        for name, justify in (("Period", "left"), ("Card", "right"), ("Total", "right"), ("Grade", "center"),
                              ("Recorded (UTC)", "left"), ("Recording", "right"), ("Framework", "left")):
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
        commands: dict[int, str] = {}
        for period in flag.periods:
            entry = by_key.get((flag.employee, period))
            if entry is None:  # pragma: no cover - flags are computed from these very cards
                continue
            card = entry.card
            commands[entry.recording_id] = entry.command
            table.add_row(period, f"#{entry.id}", f"{card.total:.2f}", card.grade,
                          f"{entry.recorded_at:%Y-%m-%d %H:%M}", f"#{entry.recording_id}",
                          f"{card.framework} {card.framework_version or ''} {short_fingerprint(card.fingerprint)}")
        out.print(table)
        for recording, command in sorted(commands.items()):
            out.print(f"  recording #{recording}: {command}", markup=False)


def command_line(context: typer.Context) -> str:
    """The running command as people would type it: ``ecomperf score FW --actuals oct.csv --record perf.db``.

    Rebuilt from the parsed parameters (so it is the same under a test runner as from a shell); options
    left at their default are not shown, and a password in a database URL is hidden.
    """
    parts = ["ecomperf", *context.command_path.split()[1:]]
    for parameter in context.command.params:
        value = context.params.get(parameter.name or "")
        values = list(value) if isinstance(value, list | tuple) else [] if value is None else [value]
        if parameter.param_type_name == "argument":
            parts.extend(_shown(item) for item in values)
        elif values and value != parameter.default:
            flag = max(parameter.opts, key=len)
            if getattr(parameter, "is_flag", False):
                parts.append(flag)
            else:
                parts.extend(item for one in values for item in (flag, _shown(one)))
    return shlex.join(parts)


# --- helpers -------------------------------------------------------------------------------------------


def _shown(value: object) -> str:
    text = str(value.value if isinstance(value, StrEnum) else value)
    if "://" in text and "@" in text:
        from ecomperf.history import database_url  # optional extra: SQLAlchemy and Alembic

        try:
            return database_url(text).render_as_string(hide_password=True)
        except EcomperfError:
            return text
    return text


def _batch(fw: Framework, cards: list[ScoreCard], errors: list[tuple[str, str]], *, source: str) -> BatchResult:
    """Scored cards as a :class:`~ecomperf.batch.BatchResult`, so that the score command prints and writes
    them like the cards of a file (rows are numbered by employee, as the store has no rows)."""
    from ecomperf.batch.results import BatchResult, RowError, Summaries  # start-up cost: numpy loads only for scoring

    kpis: dict[str, list[float | None]] = {}
    subtotals: dict[str, list[float | None]] = {}
    for index, card in enumerate(cards):
        for kpi in card.kpis:
            kpis.setdefault(kpi.kpi, [None] * len(cards))[index] = kpi.score
        for section in card.sections:
            subtotals.setdefault(section.section, [None] * len(cards))[index] = section.subtotal
    summaries = Summaries(
        rows=list(range(1, len(cards) + 1)), employees=[card.employee or "" for card in cards],
        positions=[card.position for card in cards], stages=[card.stage for card in cards],
        periods=[card.period for card in cards], totals=[card.total for card in cards],
        grades=[card.grade for card in cards], bonuses=[card.bonus for card in cards], scores=kpis,
        veto=[tuple(card.veto_breaches) for card in cards], contexts=[dict(card.context) for card in cards],
        subtotals=subtotals,
    )
    failed = [RowError(len(cards) + number, employee, reason) for number, (employee, reason) in
              enumerate(errors, start=1)]
    return BatchResult(framework=fw.id, summaries=summaries, errors=failed, cards=cards,
                       grades=tuple(grade.id for grade in fw.grades), source=source,
                       display_scale=fw.rules.display_scale)


def _print_history(entries: Sequence[RecordedCard], rows: Sequence[dict[str, Any]], *, all_versions: bool,
                   where: str) -> None:

    out = console()
    if not out.is_terminal:  # a pipe or a file: no screen width to fit, so never cut a column short
        out.width = 220
    if not rows:
        out.print(f"No recorded cards in {where} match.", markup=False)
        return
    table = RichTable(title=f"{where}: {len(rows)} card(s)")
    columns = [("Employee", "left"), ("Position", "left"), ("Period", "left"), ("Total", "right"),
               ("Change", "right"), ("Grade", "center"), ("Grade change", "left"), ("Bonus", "right"),
               ("Veto", "left"), ("Framework", "left"), ("Card", "right"), ("Recorded (UTC)", "left")]
    if all_versions:
        columns.append(("Status", "left"))
    for name, justify in columns:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for entry, row in zip(entries[:TABLE_ROWS], rows[:TABLE_ROWS], strict=False):
        change = "—" if row["total_change"] is None else f"{row['total_change']:+.2f}"
        if row["total_change"] is None and row["previous_period"]:
            change = f"no {row['previous_period']}"
        steps = row["grade_change"]
        grade_change = "" if steps is None else "same" if steps == 0 else (
            f"{row['previous_grade']}→{row['grade']} {'▲' if steps > 0 else '▼'}{abs(steps)}")
        style = "green" if (steps or 0) > 0 else "red" if (steps or 0) < 0 else ""
        cells = [Text(str(row["employee"])), Text(row["position"]), row["period"], f"{row['total']:.2f}", change,
                 row["grade"], Text(grade_change, style=style), f"{row['bonus']:g}",
                 Text(", ".join(row["veto_breaches"]), style="red"),
                 Text(f"{row['framework']} {row['framework_version'] or ''} {short_fingerprint(row['fingerprint'])}"),
                 f"#{row['card_id']} v{row['version']}", f"{entry.recorded_at:%Y-%m-%d %H:%M}"]
        if all_versions:
            cells.append("current" if entry.current else
                         f"superseded {entry.superseded_at:%Y-%m-%d %H:%M}" if entry.superseded_at else "")
        table.add_row(*cells)
    out.print(table)
    if len(rows) > TABLE_ROWS:
        out.print(f"… and {len(rows) - TABLE_ROWS} more; write them all with --format csv", markup=False)


def _html(entries: Sequence[RecordedCard], reference: Sequence[RecordedCard], known: dict[str, Any], *,
          period: str | None, kind: PeriodKindOption | None, locale: str | None) -> str:
    bands = {fingerprint: [(grade, low) for grade, low, _ in record.grades]
             for fingerprint, record in known.items() if record.grades}
    current = [entry.card for entry in entries if entry.current]
    try:
        if period is not None:
            from ecomperf.render.report import team_report_html  # start-up cost: Jinja loads only for HTML

            past = [entry.card for entry in reference if entry.card.period != period]
            return team_report_html(current, (), locale, grades=_grades(entries) or None, history=past)
        from ecomperf.render.history import trend_report_html  # start-up cost: Jinja loads only for HTML

        return trend_report_html(current, bands=bands, locale=locale, kind=kind.value if kind else None)
    except EcomperfError as exc:
        raise _fail(exc) from None


def _grades(entries: Sequence[RecordedCard]) -> list[str]:
    for entry in reversed(entries):
        if entry.card.grade_scale:
            return list(entry.card.grade_scale)
    return []


def _write(output: Path, write: Any) -> None:

    try:
        atomic_write(output, write)
    except ActualsIOError as exc:
        raise _fail(exc) from None
    console(stderr=True).print(f"Wrote {output}.", markup=False)


def _check_period(name: str, value: str | None) -> None:

    if value is None:
        return
    try:
        Period.parse(value)
    except PeriodError as exc:
        raise _usage(f"{name}: {exc}") from None


def _usage(message: str) -> typer.Exit:
    console(stderr=True).print(f"error: {message}", markup=False)
    return typer.Exit(2)


def _fail(exc: EcomperfError) -> typer.Exit:
    console(stderr=True).print(f"error: {exc}", markup=False)
    return typer.Exit(1)
