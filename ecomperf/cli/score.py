"""``ecomperf score``, ``ecomperf pip`` and ``ecomperf distribution``: score files of actuals.

With a history database (:mod:`ecomperf.cli.history` does that part): ``score --record DB`` records the
scored cards, ``score --from-db DB --period 2026-Q4`` scores a quarter or year from the recorded months,
and ``pip --db DB`` and ``distribution --db DB --period P`` read the recorded cards instead of a file.

An actuals file has one row per employee and period (``employee, position, stage, period``, the
framework's context columns, one column per metric); see :mod:`ecomperf.io.read` for the formats read.
``--actuals`` may be given several times and takes shell-style patterns (``--actuals 'data/2026-*.csv'``);
every file is read and scored, and each row is named by its file and row number.

``--period 2026-Q4`` (a quarter or a year) or ``--rollup quarter`` rolls the monthly rows of each employee
up and scores the quarter's card (:mod:`ecomperf.batch.rollup`); a month the quarter needs and lacks is
named. Several rows for one employee and period are all reported and none is scored, unless
``--keep-duplicates first|last`` says which to keep.

Every row is scored; a row that cannot be is reported on stderr as ``FILE:ROW: employee: reason`` and
the others are still scored and written. A card's warnings are printed the same way, as
``FILE:ROW: employee: warning: …``. Exit status: 0 every row scored, 1 some row failed (after writing all
the others), a warning was printed under ``--strict``, or the framework or an actuals file cannot be read;
2 usage errors (including an output that is one of the input files, refused before anything is read).
"""

from __future__ import annotations

import glob
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final

import typer
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from ecomperf.cli import history as history_cli
from ecomperf.cli._app import app, console
from ecomperf.cli.common import load_framework, output_errors, output_file, output_folder, usage_error
from ecomperf.errors import ActualsIOError, OutputError, RenderError, ScoringError
from ecomperf.model import localize
from ecomperf.periods import CYCLE_KIND, Period, PeriodError
from ecomperf.spelling import spelled_for
from ecomperf.suggest import did_you_mean

if TYPE_CHECKING:
    from ecomperf.batch.results import BatchResult
    from ecomperf.batch.table import Table
    from ecomperf.framework import Framework
    from ecomperf.scoring.results import ScoreCard

__all__ = ["GroupBy", "KeepChoice", "MissingOption", "RollupOption", "distribution", "pip", "score"]

PROGRESS_ROWS: Final = 5_000
"""Inputs with more rows than this show a progress bar (when stderr is a terminal)."""

TABLE_ROWS: Final = 1_000
"""Most rows the terminal table shows; write the rest with ``-o``."""

_EXPLAINED_SUFFIXES: Final = frozenset({".xlsx", ".json", ".html"})
"""Outputs written from the explained detail columns (``score_many(explain=True)``): the workbook's Detail
sheet reads them, and the cards of JSON and HTML are built from them as they are written, never one per row
held at once (:mod:`ecomperf.batch.cards`)."""
_GRADE_STYLES: Final = ("bold green", "green", "yellow", "dark_orange", "bold red")


class MissingOption(StrEnum):
    """What to do with a KPI that has no actual (``--missing``)."""

    error = "error"
    renormalize = "renormalize"
    zero = "zero"


class KeepChoice(StrEnum):
    """Which of several rows for one employee and period to score (``--keep-duplicates``)."""

    first = "first"
    last = "last"


class RollupOption(StrEnum):
    """What to roll monthly rows up to (``--rollup``)."""

    quarter = "quarter"
    year = "year"


class GroupBy(StrEnum):
    """How ``ecomperf distribution`` groups employees (``--by``)."""

    position = "position"
    department = "department"


FrameworkArgument = Annotated[
    Path, typer.Argument(help="The framework folder or YAML file.", exists=True, show_default=False)
]
ActualsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--actuals", "-a",
        help="Actuals file: .csv, .tsv, .xlsx, .json, .yaml, .parquet. Repeat it, or give a pattern ('data/*.csv').",
        show_default=False,
    ),
]
PeriodOption = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="Period of rows without one (2026-10, 2026-Q4, 2026); a quarter or year also rolls monthly rows up to it.",
    ),
]
KeepOption = Annotated[
    KeepChoice | None,
    typer.Option("--keep-duplicates", help="Of several rows for one employee and period, score the first or last."),
]
StrictOption = Annotated[bool, typer.Option("--strict", help="Fail (exit 1) when any card has a warning.")]
StageOption = Annotated[str | None, typer.Option("--stage", help="Stage of rows without one.")]
MissingPolicyOption = Annotated[
    MissingOption, typer.Option("--missing", help="A KPI without an actual: error, renormalize or zero.")
]
SheetOption = Annotated[str | None, typer.Option("--sheet", help="Worksheet to read (default: the first).")]
DatabaseOption = Annotated[
    str | None, typer.Option("--db", help="Read the recorded cards of this history database instead of --actuals.")
]


@app.command()
def score(
    ctx: typer.Context,
    framework: FrameworkArgument,
    actuals: ActualsOption = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write results here: .csv, .parquet, .jsonl, .xlsx, .json, .md or .html "
                     "(a folder with --per-employee)."),
    ] = None,
    period: PeriodOption = None,
    rollup: Annotated[
        RollupOption | None,
        typer.Option("--rollup", help="Roll monthly rows up per employee to each quarter or year, and score those."),
    ] = None,
    stage: StageOption = None,
    missing: MissingPolicyOption = MissingOption.error,
    sheet: SheetOption = None,
    keep_duplicates: KeepOption = None,
    strict: StrictOption = False,
    record: Annotated[str | None, typer.Option("--record", help="Record the scored cards in this history "
                                               "database (a SQLite file or a URL), all or none.")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="With --record: record corrections of cards already "
                                          "there (the earlier ones are kept as superseded).")] = False,
    from_db: Annotated[str | None, typer.Option("--from-db", help="Score --period (a quarter or year) from the "
                                                "months recorded in this history database.")] = None,
    per_employee: Annotated[
        bool, typer.Option("--per-employee", help="Write one HTML scorecard per employee and period into -o DIR.")
    ] = False,
    locale: Annotated[
        str | None, typer.Option("--locale", help="Language of the reports: zh or en (default: the framework's "
                                 "first locale).")
    ] = None,
) -> None:
    """Score every row of the actuals files: a table in the terminal, or a file with -o."""
    if (not actuals) == (from_db is None):
        raise usage_error("give the actuals with --actuals FILE, or score a quarter or year from recorded months "
                          "with --from-db DB --period 2026-Q4")
    if replace and record is None:
        raise usage_error("--replace corrects recorded cards; give the database with --record DB")
    if from_db is not None and period is None:
        raise usage_error("--from-db needs --period: the quarter or year to score, e.g. --period 2026-Q4")
    files = _input_files(actuals, sheet) if actuals else []
    inputs = _Inputs(files, sheet, stage, period, missing, keep_duplicates, rollup)
    if record is not None and files and (len(files) > 1 or inputs.rollup_to is not None):
        raise usage_error("--record records the cards of one actuals file of months; record each file on its own "
                          "(a quarter is scored from the recorded months with --from-db DB --period 2026-Q4)")
    if per_employee:
        _check_pages_folder(output)
    elif output is not None:
        _check_output(output, files)
        output_file(ctx, output)
    fw = load_framework(framework)
    _check_defaults(fw, stage, period)
    shown = _report_locale(fw, locale)
    if rollup is not None and period is not None and Period.parse(period).kind != "month":
        raise usage_error("give either --rollup or a quarter or year as --period, not both")
    from ecomperf.cli.columnar import score_streaming, streamable  # start-up cost: the engine loads for scoring

    # one file streams; several files (rows named file:row) and roll-ups (all months of an employee at once)
    # take the row-by-row path, which gives the same output
    plain = (not per_employee and record is None and from_db is None and sheet is None and len(files) == 1
             and inputs.rollup_to is None)
    if plain and output is not None and streamable(fw, files[0], output):
        err = console(stderr=True)
        streamed = score_streaming(err, fw, files[0], output, stage=stage, period=period, missing=missing.value,
                                   keep_duplicates=None if keep_duplicates is None else keep_duplicates.value)
        failed = sum(not error.intended for error in streamed.errors)
        _conclude(err, warned=len(streamed.warnings) + len(streamed.card_warnings), failed=failed,
                  left_out=len(streamed.errors) - failed, strict=strict)
        return
    suffix = output.suffix.lower() if output is not None else ""
    detail = record is not None  # the history records every card
    table = None
    err = console(stderr=True)
    if from_db is not None:
        assert period is not None
        result = history_cli.score_period_from_history(fw, from_db, period, missing=missing.value, stage=stage)
    else:
        table, result = _score_files(fw, inputs, detail=detail, explain=per_employee or suffix in _EXPLAINED_SUFFIXES)
    if per_employee:
        assert output is not None
        _write_pages(err, output, result, fw, shown)
    elif output is None:
        _print_table(console(), fw, result, shown)
    else:
        with _write_errors(err):
            _write_output(err, output, result, shown, fw)
        err.print(f"Wrote {len(result.summaries)} scored row(s) to {output}.", markup=False)
    if record is not None:
        source = str(files[0]) if files else str(from_db)
        history_cli.record_result(fw, result, table, record, replace=replace, source=source,
                                  command=history_cli.command_line(ctx))
    _finish(err, result, strict=strict)


def _check_pages_folder(folder: Path | None) -> None:
    if folder is None or folder.suffix or folder.is_file():
        raise usage_error(f"--per-employee writes a folder of pages: give -o a folder, not {folder or 'nothing'}")
    output_folder(folder)


def _report_locale(fw: Framework, locale: str | None) -> str:
    """``--locale`` checked against the framework's locales, or its first locale (the rule of ``jd``)."""
    from ecomperf.render._choices import resolve_locale  # start-up cost: no Jinja: the locale is only checked

    try:
        return resolve_locale(fw, locale)
    except RenderError as exc:
        raise usage_error(str(exc)) from None


def _write_pages(err: Console, folder: Path, result: BatchResult, fw: Framework, locale: str) -> None:
    """``score --per-employee -o DIR``: one ``card.to_html()`` page per card, named ``<employee>.<period>.html``,
    each written as soon as it is rendered (the cards built from the explained columns one at a time, unless
    ``--record`` kept them)."""
    from ecomperf.batch.cards import result_cards  # start-up cost: numpy loads only for scoring
    from ecomperf.io.atomic import atomic_write_bytes  # start-up cost: writers load only for -o
    from ecomperf.render.report import per_employee_files  # start-up cost: Jinja loads only for pages

    cards = result_cards(result)
    written = 0
    with _bar(err, "Writing pages", len(cards)) as advance:
        for name, html in per_employee_files(cards, locale, index=fw):
            with output_errors():
                atomic_write_bytes(folder / name, html.encode("utf-8"))
            written += 1
            if advance is not None:
                advance(1)
    err.print(f"Wrote {written} scorecard page(s) to {folder}.", markup=False)


@app.command()
def pip(
    framework: FrameworkArgument,
    actuals: ActualsOption = None,
    period: PeriodOption = None,
    stage: StageOption = None,
    missing: MissingPolicyOption = MissingOption.error,
    sheet: SheetOption = None,
    keep_duplicates: KeepOption = None,
    strict: StrictOption = False,
    db: DatabaseOption = None,
) -> None:
    """Flag employees for an improvement-plan review (rules.pip) from files of several periods, or from the
    cards recorded in a history database (--db), citing each period's card."""
    from ecomperf.scoring.review import pip_flags  # start-up cost: --help and validate skip the engine

    _one_source(actuals, db)
    files = _input_files(actuals, sheet) if actuals else []
    fw = load_framework(framework)
    _check_defaults(fw, stage, period)
    rule = fw.rules.pip
    err = console(stderr=True)
    if rule is None:
        err.print(f"error: {fw.id} declares no rules.pip (e.g. pip: {{consecutive: 3, below_grade: C}})",
                  markup=False)
        raise typer.Exit(1)
    result = None if not files else _score_files(
        fw, _Inputs(files, sheet, stage, period, missing, keep_duplicates), detail=True)[1]
    cards = result.cards if result is not None else history_cli.period_cards(str(db), kind=CYCLE_KIND[rule.cycle])
    try:
        flags = pip_flags(cards, rule, grades=fw.grades)
    except ValueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None
    out = console()
    if not flags:
        out.print(
            f"No improvement-plan flags: nobody has {rule.consecutive} {rule.cycle} periods in a row at or "
            f"below {rule.below_grade} ({len(cards)} card(s) checked).",
            markup=False,
        )
    else:
        table = RichTable(title=f"Improvement-plan flags ({rule.consecutive} {rule.cycle} periods at or below "
                                f"{rule.below_grade})")
        for name, justify in (("Employee", "left"), ("Position", "left"), ("Periods", "left"),
                              ("Totals", "right"), ("Grades", "left"), ("Ongoing", "left")):
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
        for flag in flags:
            table.add_row(
                Text(flag.employee), Text(flag.position), f"{flag.periods[0]} to {flag.periods[-1]}",
                ", ".join(f"{total:.1f}" for total in flag.totals), ", ".join(flag.grades),
                "yes" if flag.ongoing else "no (recovered since)",
            )
        out.print(table)
        for flag in flags:
            out.print(flag.message, markup=False)
        if db is not None:
            history_cli.pip_evidence(db, flags)
    if result is not None:
        _finish(err, result, strict=strict)


@app.command()
def distribution(
    framework: FrameworkArgument,
    actuals: ActualsOption = None,
    by: Annotated[GroupBy, typer.Option("--by", help="Group employees by position or department.")] = (
        GroupBy.position
    ),
    period: PeriodOption = None,
    stage: StageOption = None,
    missing: MissingPolicyOption = MissingOption.error,
    sheet: SheetOption = None,
    keep_duplicates: KeepOption = None,
    strict: StrictOption = False,
    db: DatabaseOption = None,
) -> None:
    """Compare each group's grade mix with the advisory shares of rules.distribution (from a file, or from the
    cards of --period recorded in a history database with --db)."""
    from ecomperf.scoring.review import distribution_report  # start-up cost: --help and validate skip the engine

    _one_source(actuals, db)
    files = _input_files(actuals, sheet) if actuals else []
    fw = load_framework(framework)
    _check_defaults(fw, stage, period)
    err = console(stderr=True)
    if fw.rules.distribution is None:
        err.print(f"error: {fw.id} declares no rules.distribution (e.g. distribution: {{shares: {{A: 20%, ...}}}})",
                  markup=False)
        raise typer.Exit(1)
    if db is not None and period is None:
        raise usage_error("--db needs --period: the period whose recorded cards to compare, e.g. --period 2026-10")
    result = None if not files else _score_files(
        fw, _Inputs(files, sheet, stage, period, missing, keep_duplicates), detail=True)[1]
    cards = result.cards if result is not None else history_cli.period_cards(str(db), period=period)
    try:
        report = distribution_report(cards, fw.rules.distribution, fw.grades,
                                     group_by=_department_of(fw) if by is GroupBy.department else "position")
    except ValueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None
    out = console()
    grades = [grade.id for grade in fw.grades]
    table = RichTable(
        title=f"Grade distribution by {by.value}",
        caption=f"per grade: people actual/expected; groups under {report.min_group} are not judged",
    )
    table.add_column(by.value.capitalize())
    table.add_column("People", justify="right")
    for grade in grades:
        table.add_column(grade, justify="right")
    table.add_column("Deviations")
    for group in report.groups:
        deviations = "too small to judge" if group.too_small else (
            ", ".join(f"{row.grade} {row.status} ({row.deviation:+.1f})" for row in group.deviations) or "none"
        )
        table.add_row(
            Text(group.group), str(group.size),
            *(f"{row.actual_count}/{row.expected_count:.1f}" for row in group.rows),
            deviations,
        )
    out.print(table)
    for warning in report.warnings:
        err.print(f"warning: {warning}", markup=False)
    if result is not None:
        _finish(err, result, strict=strict)


# --- shared steps ---------------------------------------------------------------------------------


def _one_source(actuals: list[str] | None, db: str | None) -> None:
    if (not actuals) == (db is None):
        raise usage_error("give the actuals with --actuals FILE, or read recorded cards with --db DB")


def _input_files(patterns: list[str], sheet: str | None) -> list[Path]:
    """The actuals files named or matched by ``--actuals``, each once, in the order given (a pattern's
    matches sorted by name)."""
    if not patterns:
        raise usage_error("give the actuals with --actuals FILE (repeat it, or give a pattern such as 'data/*.csv')")
    files: dict[Path, None] = {}
    for pattern in patterns:
        if any(char in pattern for char in "*?["):
            # glob.glob, not Path.glob: the pattern may be absolute ('/data/2026-*.csv')
            matched = sorted(Path(name) for name in glob.glob(pattern) if Path(name).is_file())  # noqa: PTH207
            if not matched:
                raise usage_error(f"--actuals {pattern!r} matches no file")
            files.update(dict.fromkeys(matched))
            continue
        path = Path(pattern)
        if not path.exists():
            raise usage_error(f"--actuals {pattern}: no such file")
        if path.is_dir():
            raise usage_error(f"--actuals {pattern} is a folder; give the file, or a pattern such as '{path}/*.csv'")
        if not path.is_file():
            raise usage_error(f"--actuals {pattern} is not a regular file (a pipe, socket or device); save the "
                              "actuals to a file and give that")
        files[path] = None
    if sheet is not None:
        for file in files:
            if file.suffix.lower() not in {".xlsx", ".xlsm"}:
                raise usage_error(f"--sheet applies to Excel workbooks only, not {file.name}")
    return list(files)


def _check_output(output: Path, inputs: list[Path]) -> None:
    """Refuse an unknown output format, and an output that is one of the inputs (before anything is read)."""
    from ecomperf.io.write import OUTPUT_FORMATS  # start-up cost: writers load only for -o

    suffix = output.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        supported = ", ".join(f"{s} ({d})" for s, d in OUTPUT_FORMATS.items())
        raise usage_error(
            f"cannot write {output}: unknown output format {suffix or '(no suffix)'}; supported: {supported}"
        )
    for file in inputs:
        if _same_file(output, file):
            raise usage_error(
                f"-o {output} is the actuals file {file}: writing the scores there would replace the actuals; "
                "write to another file"
            )


def _same_file(output: Path, file: Path) -> bool:
    """Whether ``output`` is ``file``: the same path once links are resolved, or the same inode (a hard link)."""
    if output.resolve() == file.resolve():
        return True
    try:
        return output.samefile(file)
    except OSError:  # the output does not exist yet
        return False


def _check_defaults(fw: Framework, stage: str | None, period: str | None) -> None:

    if stage is not None and stage not in fw.spec.stage_ids:
        raise usage_error(f"--stage {stage!r} is not a stage of {fw.id}{did_you_mean(stage, fw.spec.stage_ids)}")
    if period is not None:
        try:
            Period.parse(period)
        except PeriodError as exc:
            raise usage_error(f"--period: {exc}") from None


@dataclass(frozen=True)
class _Inputs:
    """What to read and how to score it: the files and the options every scoring command shares."""

    files: list[Path]
    sheet: str | None
    stage: str | None
    period: str | None
    missing: MissingOption
    keep_duplicates: KeepChoice | None = None
    rollup: RollupOption | None = None

    @property
    def rollup_to(self) -> str | None:
        """``--rollup``, or ``--period`` when it is a quarter or a year."""
        if self.rollup is not None:
            return self.rollup.value
        if self.period is not None and Period.parse(self.period).kind != "month":
            return self.period
        return None


def _score_files(
    fw: Framework, inputs: _Inputs, *, detail: bool, explain: bool = False
) -> tuple[Table, BatchResult]:
    """Read and score the actuals, reporting notes, warnings and bad rows on stderr; the table read, and the
    result (with cards under ``detail``, with explained detail columns under ``explain``)."""
    table = _read_inputs(inputs)
    return table, _score_table(fw, inputs, table, detail=detail, explain=explain)


@contextmanager
def _write_errors(err: Console) -> Iterator[None]:
    """An output that cannot be written is one ``error:`` line and exit 2 (1 for another input problem)."""
    try:
        yield
    except ActualsIOError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2 if isinstance(exc, OutputError) else 1) from None


def _read_inputs(inputs: _Inputs) -> Table:
    """Every actuals file of ``inputs``, read and put together (a bad file: its message and exit 1)."""
    from ecomperf.batch.table import Table  # start-up cost: numpy loads only for scoring

    err = console(stderr=True)
    return Table.concat([_read(err, file, inputs.sheet) for file in inputs.files])


def _score_table(
    fw: Framework, inputs: _Inputs, table: Table, *, detail: bool, explain: bool = False,
    on_card: Callable[[ScoreCard], None] | None = None,
) -> BatchResult:
    """Score ``table``, reporting notes, warnings and bad rows on stderr (see :func:`_score_files`)."""
    from ecomperf.batch.duplicates import check_keep  # start-up cost: numpy loads only for scoring
    from ecomperf.batch.engine import score_many  # start-up cost: numpy loads only for scoring

    err = console(stderr=True)
    with spelled_for("cli"), _progress(err, table) as advance:
        try:
            keep = check_keep(None if inputs.keep_duplicates is None else inputs.keep_duplicates.value)
            result = score_many(
                fw, table, missing=inputs.missing.value, stage=inputs.stage, period=inputs.period, detail=detail,
                progress=advance, keep_duplicates=keep, rollup=inputs.rollup_to, explain=explain, on_card=on_card,
            )
        except ScoringError as exc:
            raise usage_error(str(exc)) from None
    for warning in result.warnings:
        err.print(f"warning: {warning}", markup=False)
    source = str(inputs.files[0])
    for error in result.errors:
        err.print(error.format(source), markup=False)
    summaries = result.summaries
    for index, warnings in enumerate(summaries.warnings):
        if warnings:  # build a row object only for the rows that have something to say
            summary = summaries[index]
            for warning in warnings:
                err.print(f"{summary.where(source)}: {summary.employee}: warning: {warning}", markup=False)
    return result


def _read(err: Console, file: Path, sheet: str | None) -> Table:
    """Read one actuals file, or print why it cannot be read and exit 1."""
    from ecomperf.io.read import read_actuals  # start-up cost: readers load only for scoring

    try:
        table = read_actuals(file, sheet=sheet)
    except ActualsIOError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None
    if table.encoding not in (None, "utf-8", "utf-8-sig"):
        err.print(f"note: {file} is not UTF-8; read it as {table.encoding.upper()}", markup=False)
    if not table.rows:
        err.print(f"warning: {file} has no data rows", markup=False)
    return table


def _progress(err: Console, table: Table) -> AbstractContextManager[Callable[[int], None] | None]:
    return _bar(err, "Scoring", len(table.rows))


@contextmanager
def _bar(err: Console, what: str, total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for more than :data:`PROGRESS_ROWS` rows when stderr is a terminal: the
    callback to advance it by some rows, or ``None``."""
    if total <= PROGRESS_ROWS or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress  # start-up cost: only large inputs show progress

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda rows: bar.advance(task, rows)


def _write_output(err: Console, output: Path, result: BatchResult, locale: str, fw: Framework) -> None:
    """Write ``-o`` in ``locale``, with a progress bar for a large workbook, JSON file or HTML report."""
    from ecomperf.io.write import write_results  # start-up cost: writers load only for -o

    suffix = output.suffix.lower()
    if suffix == ".xlsx":
        from ecomperf.io.xlsx import xlsx_rows  # start-up cost: the workbook writer loads only for .xlsx

        with _bar(err, f"Writing {output.name}", xlsx_rows(result)) as advance:
            write_results(output, result, locale=locale, index=fw, progress=advance)
    elif suffix in (".json", ".html"):
        with _bar(err, f"Writing {output.name}", len(result.summaries)) as advance:
            write_results(output, result, locale=locale, index=fw, progress=advance)
    else:
        write_results(output, result, locale=locale, index=fw)


def _department_of(fw: Framework) -> Callable[[ScoreCard], str]:

    def department(card: ScoreCard) -> str:
        position = fw.positions.get(card.position)
        if position is None or position.department is None:
            return "(no department)"
        return localize(position.department, fw.default_locale, fw.default_locale)

    return department


def _print_table(out: Console, fw: Framework, result: BatchResult, locale: str) -> None:
    styles = {
        grade.id: _GRADE_STYLES[round(i * (len(_GRADE_STYLES) - 1) / max(len(fw.grades) - 1, 1))]
        for i, grade in enumerate(fw.grades)
    }
    summaries = result.summaries
    extra = result.subtotal_columns()  # the total of 5 and the section subtotals, when there are any
    table = RichTable(title=f"{fw.id}: {len(summaries)} scored, {len(result.errors)} not scored")
    for name, justify in (("Employee", "left"), ("Position", "left"), ("Period", "left"), ("Total", "right"),
                          ("Grade", "center"), ("Bonus", "right"), *((_heading(name), "right") for name, _ in extra),
                          ("Veto", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for index in range(min(len(summaries), TABLE_ROWS)):
        summary = summaries[index]
        table.add_row(  # Text, not markup: cells hold whatever the input file says
            Text(summary.employee), Text(summary.position), Text(summary.period), f"{summary.total:.2f}",
            Text(summary.grade, style=styles.get(summary.grade, "")), f"{summary.bonus:g}",
            *("" if values[index] is None else f"{values[index]:g}" for _, values in extra),
            Text(", ".join(_metric_name(fw, kpi, locale) for kpi in summary.veto), style="red"),
        )
    out.print(table)
    if len(summaries) > TABLE_ROWS:
        out.print(f"… and {len(summaries) - TABLE_ROWS} more row(s); write them all with -o scores.csv",
                  markup=False)


def _metric_name(fw: Framework, kpi: str, locale: str) -> str:
    """A KPI in the terminal table: its metric's name in the report locale."""
    metric = fw.metrics.get(kpi)
    return localize(metric.name, locale, fw.default_locale) or kpi if metric is not None else kpi


def _heading(column: str) -> str:
    """A short terminal heading for an extra column: ``of 5`` for ``total_of_5``, the section for a subtotal."""
    return column.replace("total_of_", "of ") if column.startswith("total_of_") else column.removesuffix("_subtotal")


def _finish(err: Console, result: BatchResult, *, strict: bool) -> None:
    failed = len(result.failed)
    _conclude(err, warned=result.warning_count, failed=failed, left_out=len(result.errors) - failed, strict=strict)


def _conclude(err: Console, *, warned: int, failed: int, left_out: int, strict: bool) -> None:
    """The closing lines on stderr, and exit 1 when a row failed or, under ``--strict``, something warned."""
    if left_out:
        err.print(f"{left_out} duplicate row(s) left out, as --keep-duplicates asks.", markup=False)
    if failed:
        err.print(f"{failed} row(s) not scored; the others were.", markup=False)
    if warned and strict:
        err.print(f"{warned} warning(s), and --strict makes warnings fail the run.", markup=False)
    if failed or (warned and strict):
        raise typer.Exit(1)
