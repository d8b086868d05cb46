"""``ecomperf diff`` and ``ecomperf backtest``: what a framework change changes, and for whom.

Both take the two versions the same way:

* ``OLD NEW``: two framework folders (or files);
* ``OLD NEW -- PATH``: two git revisions of the framework at ``PATH``, read with git without a checkout;
* ``REV PATH`` (or ``PATH REV``): the framework at ``PATH`` as it was at ``REV`` against the files on disk
  now, as ``git diff REV -- PATH`` does.

``ecomperf backtest`` scores either files of actuals (``--actuals FILE``, repeated) or the recorded cards of
a history database (``--db DB``, with ``--from``/``--to``/``--kind`` to choose the periods); a row of the
latter is cited as its card (``perf.db card #42``).

``ecomperf diff`` exits 0 when the versions mean the same and 1 when there are semantic changes (as
``git diff --exit-code`` does; ``--exit-zero`` always exits 0). ``ecomperf backtest`` exits 0, or 1 with
``--fail-on-grade-change`` when some grade changes or some row scores under one version only. Both exit 2
on usage errors and when a version or the actuals cannot be read (a framework that does not load, an
unknown revision, a database that cannot be opened or holds no card in range), so that 1 always means
"grades change".
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final

import typer
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from ecomperf.cli._app import app, console
from ecomperf.cli.common import print_problem, usage_error
from ecomperf.cli.history import PeriodKindOption
from ecomperf.cli.score import MissingOption, MissingPolicyOption, PeriodOption, SheetOption, StageOption
from ecomperf.errors import ActualsIOError, EcomperfError, ScoringError
from ecomperf.model.fingerprint import short_fingerprint
from ecomperf.periods import Period, PeriodError

if TYPE_CHECKING:
    from ecomperf.batch.table import Table
    from ecomperf.changes.report import BacktestView, DiffView
    from ecomperf.framework import Framework

__all__ = ["ReportFormat", "backtest", "diff"]

_SUFFIXES: Final = {".md": "md", ".json": "json", ".html": "html", ".htm": "html"}
_ACTUALS_SUFFIXES: Final = frozenset({".csv", ".tsv", ".xlsx", ".xlsm", ".json"})


class ReportFormat(StrEnum):
    """Output formats of ``ecomperf diff`` and ``ecomperf backtest`` (``--format``)."""

    table = "table"
    md = "md"
    json = "json"
    html = "html"


VersionsArgument = Annotated[
    list[str],
    typer.Argument(
        help="OLD NEW (two framework folders or files), OLD NEW -- PATH (two git revisions of PATH), "
        "or REV PATH (PATH at git revision REV against PATH on disk).",
        metavar="OLD NEW [-- PATH]",
        show_default=False,
    ),
]
FormatOption = Annotated[
    ReportFormat | None,
    typer.Option("--format", "-f", help="table (terminal, default), md, json or html; -o infers it from the suffix."),
]
LocaleOption = Annotated[
    str | None, typer.Option("--locale", help="zh or en (default: the new version's default locale).")
]
OutputOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write the report to this file (.md, .json, .html).",
                              dir_okay=False),
]


@dataclass(frozen=True)
class _Version:
    """One side of a comparison: a path on disk, or a path at a git revision."""

    path: str
    revision: str | None = None


@app.command()
def diff(
    versions: VersionsArgument,
    output_format: FormatOption = None,
    locale: LocaleOption = None,
    output: OutputOption = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when there are changes (for a hook that only shows them).")
    ] = False,
) -> None:
    """Show the semantic changes between two versions of a framework (exit 1 when there are some)."""
    from ecomperf.changes.diff import diff as framework_diff  # start-up cost: --help loads no engine

    chosen = _format(output_format, output)
    old_version, new_version = _versions(versions)
    result = framework_diff(_load(old_version), _load(new_version))
    if chosen is ReportFormat.json:
        _write(json.dumps(result.to_records(), ensure_ascii=False, indent=2) + "\n", output)
    elif chosen is ReportFormat.table:
        from ecomperf.changes.report import diff_view  # start-up cost: Jinja loads only for reports

        _print_diff(_table_console(), diff_view(result, _checked_locale(locale)))
    else:
        from ecomperf.changes.report import diff_html, diff_markdown  # start-up cost: Jinja on demand

        render = diff_markdown if chosen is ReportFormat.md else diff_html
        _write(render(result, _checked_locale(locale)), output)
    if result and not exit_zero:
        raise typer.Exit(1)


@app.command()
def backtest(
    versions: VersionsArgument,
    actuals: Annotated[
        list[Path] | None,
        typer.Option(
            "--actuals", "-a", help="Actuals file (.csv, .tsv, .xlsx, .json, .yaml); repeat for several files.",
            exists=True, dir_okay=False, show_default=False,
        ),
    ] = None,
    database: Annotated[
        str | None,
        typer.Option("--db", help="Instead of files: the recorded cards of this history database (a SQLite file "
                     "such as perf.db, or a URL), each scored again from the inputs it was recorded with.",
                     show_default=False),
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help="With --db: periods from this one on (2026-10).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="With --db: periods up to this one (2026-12, 2026-Q4).")]
    = None,
    kind: Annotated[PeriodKindOption | None, typer.Option("--kind", help="With --db: only month, quarter or year "
                                                          "cards.")] = None,
    bonus_base: Annotated[
        str | None,
        typer.Option("--bonus-base", help="What a bonus coefficient of 1 pays (e.g. 10000), or the name of the "
                     "actuals column holding each row's base: the pool is then also shown in amounts."),
    ] = None,
    fail_on_grade_change: Annotated[
        bool,
        typer.Option("--fail-on-grade-change", help="Exit 1 when a grade changes or a row scores under one "
                     "version only (to make such a change need review)."),
    ] = False,
    missing: MissingPolicyOption = MissingOption.error,
    period: PeriodOption = None,
    stage: StageOption = None,
    sheet: SheetOption = None,
    output_format: FormatOption = None,
    locale: LocaleOption = None,
    output: OutputOption = None,
) -> None:
    """Score the same actuals under both versions: grade mix, changed grades and bonuses, pool, positions."""
    from ecomperf.changes.backtest import backtest as run_backtest  # start-up cost: numpy loads on first use

    chosen = _format(output_format, output)
    _check_sources(actuals, database, start=start, end=end, kind=kind, sheet=sheet)
    old_version, new_version = _versions(versions, actuals_flag=True)
    old, new = _load(old_version), _load(new_version)
    if database is not None:
        tables = [_recorded(database, old, new, start=start, end=end, kind=kind)]
    else:
        tables = [_read(path, sheet) for path in actuals or []]
    try:
        result = run_backtest(old, new, tables, missing=missing.value, stage=stage, period=period,
                              bonus_base=bonus_base)
    except ScoringError as exc:
        raise usage_error(str(exc)) from None
    if chosen is ReportFormat.json:
        _write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", output)
    elif chosen is ReportFormat.table:
        from ecomperf.changes.report import backtest_view  # start-up cost: Jinja loads only for reports

        _print_backtest(_table_console(), backtest_view(result, _checked_locale(locale)))
    else:
        from ecomperf.changes.report import backtest_html, backtest_markdown  # start-up cost: Jinja on demand

        render = backtest_markdown if chosen is ReportFormat.md else backtest_html
        _write(render(result, _checked_locale(locale)), output)
    if fail_on_grade_change and result.grades_changed:
        changed = sum(1 for outcome in result.outcomes if outcome.grade_changed)
        console(stderr=True).print(
            f"{changed} grade change(s) and {len(result.one_sided)} row(s) scored under one version only: "
            "this change alters grades and needs review (--fail-on-grade-change).",
            markup=False,
        )
        raise typer.Exit(1)


# --- shared steps ---------------------------------------------------------------------------------------


def _format(chosen: ReportFormat | None, output: Path | None) -> ReportFormat:
    if output is None:
        return chosen or ReportFormat.table
    inferred = _SUFFIXES.get(output.suffix.lower())
    if chosen is None and inferred is None:
        raise usage_error(f"cannot tell the format of {output} from its suffix; give --format md, json or html")
    if chosen is ReportFormat.table:
        raise usage_error("--format table is for the terminal; write a file with --format md, json or html")
    return chosen if chosen is not None else ReportFormat(str(inferred))


def _checked_locale(locale: str | None) -> str | None:
    from ecomperf.render.labels import LABELS  # start-up cost: the catalogue only when a locale is given
    from ecomperf.suggest import did_you_mean  # beside the catalogue it suggests from

    if locale is not None and locale not in LABELS:
        raise usage_error(f"--locale {locale!r} has no labels{did_you_mean(locale, LABELS)}")
    return locale


def _versions(arguments: Sequence[str], *, actuals_flag: bool = False) -> tuple[_Version, _Version]:
    """The two versions named on the command line (see the module docstring for the three forms)."""
    if len(arguments) == 3:
        old, new, path = arguments
        if actuals_flag and Path(path).suffix.lower() in _ACTUALS_SUFFIXES:
            raise usage_error(f"{path} looks like an actuals file, not a framework path; give --actuals before each "
                         "actuals file (--actuals a.csv --actuals b.csv)")
        return _Version(path, old), _Version(path, new)
    if len(arguments) != 2:
        hint = "; options such as --format go before --" if any(a.startswith("-") for a in arguments) else ""
        raise usage_error(f"expected OLD NEW or OLD NEW -- PATH, got {len(arguments)} argument(s): "
                     f"{' '.join(arguments)}{hint}")
    old, new = arguments
    old_exists, new_exists = Path(old).exists(), Path(new).exists()
    if old_exists and new_exists:
        return _Version(old), _Version(new)
    if new_exists:
        return _Version(new, old), _Version(new)
    if old_exists:
        return _Version(old), _Version(old, new)
    raise usage_error(f"neither {old!r} nor {new!r} is a folder or file; to compare two git revisions of a framework, "
                 f"name its path after --: ecomperf diff {old} {new} -- frameworks/my-company")


def _load(version: _Version) -> Framework:
    """Load one version, or print its problems (as ``ecomperf validate`` does) and exit 2."""
    from ecomperf.framework import load_documents, revision_documents  # start-up cost: --help loads no engine

    if version.revision is None:
        result = load_documents(version.path)
        shown = version.path
    else:
        try:
            result = revision_documents(version.revision, version.path)
        except EcomperfError as exc:  # RevisionError: no git, no such revision or path
            raise usage_error(str(exc)) from None
        shown = f"{version.revision}:{version.path}"
    if result.framework is None:
        err = console(stderr=True)
        for problem in result.problems:
            print_problem(err, problem)
        err.print(f"{shown}: the framework does not load ({len(result.errors)} error(s)); nothing to compare.",
                  markup=False)
        raise typer.Exit(2)
    return result.framework


def _check_sources(actuals: list[Path] | None, database: str | None, *, start: str | None, end: str | None,
                   kind: PeriodKindOption | None, sheet: str | None) -> None:
    """Exactly one source of actuals, and the options that go with it."""
    if actuals and database is not None:
        raise usage_error("give the actuals either as files (--actuals) or as a history database (--db), not both")
    if not actuals and database is None:
        raise usage_error("no actuals: give --actuals FILE (repeat for several files) or --db DB (the recorded "
                          "cards of a history database)")
    if database is None:
        given = [name for name, value in (("--from", start), ("--to", end), ("--kind", kind)) if value is not None]
        if given:
            raise usage_error(f"{' and '.join(given)} choose recorded cards: give them with --db DB")
    elif sheet is not None:
        raise usage_error("--sheet chooses a worksheet of an --actuals workbook; a history database has none")
    for name, value in (("--from", start), ("--to", end)):
        if value is not None:
            try:
                Period.parse(value)
            except PeriodError as exc:
                raise usage_error(f"{name}: {exc}") from None


def _recorded(database: str, old: Framework, new: Framework, *, start: str | None, end: str | None,
              kind: PeriodKindOption | None) -> Table:
    """The current recorded cards of the two versions' frameworks in the periods asked for, as actuals.

    Exits 2 when the database cannot be opened or holds no such card (a backtest of nothing proves nothing).
    """
    try:
        from ecomperf.history import History  # optional extra: SQLAlchemy and Alembic
        from ecomperf.history.actuals import recorded_table  # optional extra, beside History
    except ImportError:  # the history extra is optional
        raise usage_error("--db needs the history store: pip install 'ecomperf[history]'") from None
    ids = tuple(dict.fromkeys((old.id, new.id)))
    try:
        with History(database, create=False) as store:
            entries = store.entries(start=start, end=end, kind=kind.value if kind else None)
            where = store.where
    except EcomperfError as exc:
        raise usage_error(str(exc)) from None
    kept = [entry for entry in entries if entry.card.framework in ids]
    others = sorted({entry.card.framework for entry in entries if entry.card.framework not in ids})
    span = _span(start, end)
    if not kept:
        held = f" (it holds cards of {', '.join(others)})" if others else ""
        cards = f"{kind.value} card" if kind else "card"
        raise usage_error(f"{where} holds no current {cards} of {' or '.join(ids)}{span}{held}; nothing to backtest")
    table = recorded_table(kept, where=where)
    if others:
        skipped = len(entries) - len(kept)
        table.warnings.append(f"{skipped} card(s){span} of other frameworks ({', '.join(others)}) are left out: the "
                              f"versions compared are {' and '.join(ids)}")
    other_version = [entry for entry in kept if entry.card.fingerprint != old.fingerprint]
    if other_version:
        versions = ", ".join(sorted({short_fingerprint(entry.card.fingerprint) for entry in other_version}))
        table.warnings.append(
            f"{len(other_version)} of the {len(kept)} card(s) were recorded with another framework version "
            f"({versions}) than OLD ({short_fingerprint(old.fingerprint)}): their totals before the change are OLD's, "
            "scored again from the recorded inputs, not the recorded totals")
    return table


def _span(start: str | None, end: str | None) -> str:
    """`` from 2026-10 to 2026-12`` (the periods asked for), as messages say it."""
    return (f" from {start}" if start else "") + (f" to {end}" if end else "")


def _read(path: Path, sheet: str | None) -> Table:
    from ecomperf.io.read import read_actuals  # start-up cost: readers (openpyxl) load on first use

    try:
        return read_actuals(path, sheet=sheet)
    except ActualsIOError as exc:
        raise usage_error(str(exc)) from None


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from ecomperf.io.atomic import atomic_write  # start-up cost: only when writing a file

    atomic_write(output, lambda temporary: temporary.write_text(text, encoding="utf-8"))
    console(stderr=True).print(f"Wrote {output}.", markup=False)


# --- terminal tables ------------------------------------------------------------------------------------

PIPE_WIDTH: Final = 160
"""Width of the tables when the output is not a terminal (a CI log, a file): wide enough for every column."""


def _table_console() -> Console:
    out = console()
    if not out.is_terminal:
        out.width = PIPE_WIDTH
    return out


def _print_diff(out: Console, view: DiffView) -> None:
    labels = view.labels
    out.print(f"{view.title}: {view.old} → {view.new}", markup=False, style="bold")
    for group in view.groups:
        table = RichTable(title=group.title, title_justify="left")
        for key in ("change_kind", "change_what", "change_field", "change_action", "change_old", "change_new",
                    "change_location"):
            table.add_column(labels[key], overflow="fold")
        for row in group.rows:  # Text, not markup: values hold whatever the YAML says
            style = {"added": "green", "removed": "red", "moved": "yellow"}.get(row.action, "")
            table.add_row(Text(row.kind_label), Text(row.id), Text(row.field), Text(row.action_label, style=style),
                          Text(row.old), Text(row.new), Text(row.location, style="dim"))
        out.print(table)
    out.print(view.summary, markup=False)


def _print_backtest(out: Console, view: BacktestView) -> None:
    labels = view.labels
    out.print(f"{view.title}: {view.old} → {view.new}", markup=False, style="bold")
    out.print(view.summary, markup=False)
    mix = RichTable(title=labels["grade_mix"], title_justify="left", caption=view.mix_note)
    for key, justify in (("grade", "left"), ("version_old", "right"), ("version_new", "right"), ("delta", "right")):
        mix.add_column(labels[key], justify=justify)  # type: ignore[arg-type]
    for grade, old, new, delta in view.mix:
        mix.add_row(Text(grade), old, new, delta)
    out.print(mix)
    if view.changed:
        keys = ["employee", "position", "period", "old_total", "new_total", "delta", "old_grade", "new_grade",
                "old_bonus", "new_bonus", *(["old_amount", "new_amount"] if view.amounts else [])]
        changed = RichTable(title=labels["backtest_changed"], title_justify="left")
        for key in keys:
            changed.add_column(labels[key], justify="left" if key in ("employee", "position", "period") else "right",
                               overflow="fold")
        for row in view.changed:
            style = {"up": "green", "down": "red"}.get(row.direction, "")
            cells: list[Text | str] = [
                Text(row.employee), Text(row.position), Text(row.period), row.old_total, row.new_total,
                     row.total_delta, Text(row.old_grade), Text(row.new_grade, style=style), row.old_bonus,
                row.new_bonus, *([row.old_amount, row.new_amount] if view.amounts else []),
            ]
            changed.add_row(*cells)
        out.print(changed)
    else:
        out.print(labels["backtest_no_changes"], markup=False)
    pool = RichTable(title=labels["bonus_pool"], title_justify="left", caption=" ".join(view.pool_notes) or None)
    for name, justify in (("", "left"), (labels["version_old"], "right"), (labels["version_new"], "right"),
                          (labels["delta"], "right")):
        pool.add_column(name, justify=justify)  # type: ignore[arg-type]
    for name, old, new, delta in view.pool:
        pool.add_row(name, old, new, delta)
    out.print(pool)
    positions = RichTable(title=labels["position_effect"], title_justify="left")
    for key in ("position", "rows", "grades_up", "grades_down", "old_mean_total", "new_mean_total", "delta",
                "old_coefficients", "new_coefficients", "one_sided_count"):
        positions.add_column(labels[key], justify="left" if key == "position" else "right", overflow="fold")
    for effect in view.positions:
        positions.add_row(Text(effect.position), effect.rows, effect.grades_up, effect.grades_down,
                          effect.old_mean_total, effect.new_mean_total, effect.mean_delta, effect.old_coefficients,
                          effect.new_coefficients, effect.one_sided)
    out.print(positions)
    for title, rows, with_version in ((labels["one_sided"], view.one_sided, True),
                                      (labels["not_scored_both"], view.not_scored, False)):
        if not rows:
            continue
        table = RichTable(title=title, title_justify="left")
        for key in ("source_row", "employee", "position", "period", *(["scores_under"] if with_version else []),
                    "reason"):
            table.add_column(labels[key], overflow="fold")
        for row in rows:
            table.add_row(Text(row.source, style="dim"), Text(row.employee), Text(row.position), Text(row.period),
                          *([Text(row.scores_under)] if with_version else []), Text(row.reason))
        out.print(table)
    for warning in view.warnings:
        out.print(f"{labels['warnings']}: {warning}", markup=False, style="yellow")
