"""``ecomperf whatif`` (the actual each KPI needs for a grade) and ``ecomperf plan`` (the target calendar).

``whatif`` reads one employee's row of an actuals file (the same files ``ecomperf score`` reads) and
prints, for each KPI, the actual that reaches the grade with the others held, or why none does; the
sensitivity of each KPI; and the cheapest single move. ``--format json`` prints
``{"employee", "grade", "needed_total", "kpis": [{"kpi", "actual", "needed", "reachable", "reason", …}], …}``;
``--format html`` the employee's HTML scorecard with a tornado chart of the sensitivities.

``plan`` prints the target plans of a year per position and month, with the checks that the months
add up to the annual figure; ``--format csv|xlsx|json`` writes them for a spreadsheet or a script.

Exit status: 0 done, 1 the framework or the actuals cannot be read, the row cannot be scored, or a
check fails; 2 usage errors.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from ecomperf.cli._app import app, console
from ecomperf.cli.common import load_framework, usage_error
from ecomperf.cli.score import (
    FrameworkArgument,
    MissingOption,
    MissingPolicyOption,
    PeriodOption,
    SheetOption,
    StageOption,
    _check_defaults,
)
from ecomperf.errors import ActualsIOError, EcomperfError
from ecomperf.model import localize
from ecomperf.suggest import did_you_mean
from ecomperf.targets import format_quantity

if TYPE_CHECKING:
    from ecomperf.framework import Framework
    from ecomperf.planning.calendar import PlanView
    from ecomperf.planning.whatif import WhatIf

__all__ = ["PlanFormat", "WhatIfFormat", "plan", "whatif"]


class WhatIfFormat(StrEnum):
    """Output formats of ``ecomperf whatif``."""

    table = "table"
    json = "json"
    html = "html"


class PlanFormat(StrEnum):
    """Output formats of ``ecomperf plan``."""

    table = "table"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


ActualsOption = Annotated[
    Path,
    typer.Option(
        "--actuals", "-a", help="Actuals file: .csv, .tsv, .xlsx, .json, .yaml.", exists=True, dir_okay=False,
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write to this file instead of the terminal.", dir_okay=False)
]


@app.command()
def whatif(
    framework: FrameworkArgument,
    actuals: ActualsOption,
    grade: Annotated[str, typer.Option("--grade", "-g", help="The grade wanted, e.g. A.", show_default=False)],
    employee: Annotated[
        str | None, typer.Option("--employee", "-e", help="The employee's row (needed when the file has several).")
    ] = None,
    output_format: Annotated[WhatIfFormat, typer.Option("--format", "-f", help="table, json or html.")] = (
        WhatIfFormat.table
    ),
    solve_for: Annotated[
        list[str] | None,
        typer.Option("--solve-for", help="KPI=INPUT: solve a formula KPI for this input only (repeatable).",
                     show_default=False),
    ] = None,
    period: PeriodOption = None,
    stage: StageOption = None,
    missing: MissingPolicyOption = MissingOption.error,
    sheet: SheetOption = None,
    locale: Annotated[str | None, typer.Option("--locale", help="zh or en, for --format html.")] = None,
    output: OutputOption = None,
) -> None:
    """For each KPI: the actual that reaches GRADE with the other KPIs held, or why no actual does."""
    fw = load_framework(framework)
    _check_defaults(fw, stage, period)
    grades = [g.id for g in fw.grades]
    if grade not in grades:
        raise usage_error(f"--grade {grade!r} is not a grade of {fw.id}{did_you_mean(grade, grades)}")
    pairs = _solve_for(solve_for or [])
    row = _employee_row(fw, actuals, sheet, employee)
    err = console(stderr=True)
    try:
        result = fw.whatif(
            str(row["position"]), stage=_field(row, "stage", stage), period=_field(row, "period", period),
            actuals=_metric_values(fw, row), grade=grade, context=_context(fw, row), missing=missing.value,
            employee=None if row.get("employee") is None else str(row["employee"]), solve_for=pairs,
        )
    except EcomperfError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None
    if output_format is WhatIfFormat.table:
        _print_whatif(console(), result)
        return
    text = (
        json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2) + "\n"
        if output_format is WhatIfFormat.json
        else result.to_html(locale=locale)
    )
    _emit(text.encode("utf-8"), output, err)


@app.command()
def plan(
    framework: FrameworkArgument,
    year: Annotated[int, typer.Option("--year", "-y", help="The calendar year, e.g. 2026.", show_default=False)],
    position: Annotated[str | None, typer.Option("--position", "-p", help="Show only this position.")] = None,
    output_format: Annotated[PlanFormat, typer.Option("--format", "-f", help="table, csv, xlsx or json.")] = (
        PlanFormat.table
    ),
    output: OutputOption = None,
) -> None:
    """Print the target plans of YEAR per position and month; the sums check back to the plan's total."""
    from ecomperf.planning.calendar import year_calendar  # start-up cost: the engine loads on first use
    from ecomperf.planning.export import plan_csv, plan_json, write_plan_xlsx  # the same

    if output_format is PlanFormat.xlsx and output is None:
        raise usage_error("--format xlsx writes a workbook: give the file with -o plan.xlsx")
    fw = load_framework(framework)
    err = console(stderr=True)
    try:
        views = year_calendar(fw, year, position)
    except EcomperfError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None
    if output_format is PlanFormat.table:
        _print_plans(console(), views)
    elif output_format is PlanFormat.xlsx:
        assert output is not None
        try:
            write_plan_xlsx(output, views)
        except EcomperfError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(1) from None
        err.print(f"Wrote {len(views)} plan(s) to {output}.", markup=False)
    else:
        text = plan_csv(views) if output_format is PlanFormat.csv else plan_json(year, views)
        _emit(text.encode("utf-8"), output, err)
    failed = [text for view in views for text, ok in view.checks if not ok]
    for text in failed:
        err.print(f"error: check failed: {text}", markup=False)
    if failed:
        raise typer.Exit(1)


# --- reading the employee's row ---------------------------------------------------------------------


def _solve_for(items: list[str]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in items:
        kpi, sep, name = item.partition("=")
        if not sep or not kpi.strip() or not name.strip():
            raise usage_error(f"--solve-for {item!r}: write KPI=INPUT, e.g. --solve-for gross_margin=sales_revenue")
        pairs[kpi.strip()] = name.strip()
    return pairs


def _employee_row(fw: Framework, path: Path, sheet: str | None, employee: str | None) -> dict[str, Any]:
    from ecomperf.io.read import read_actuals  # start-up cost: readers load only for this command

    err = console(stderr=True)
    if sheet is not None and path.suffix.lower() not in {".xlsx", ".xlsm"}:
        raise usage_error(f"--sheet applies to Excel workbooks only, not {path.name}")
    try:
        table = read_actuals(path, sheet=sheet)
    except ActualsIOError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None
    rows = list(table.records())
    if employee is not None:
        exact = [row for row in rows if str(row.get("employee", "")).strip() == employee]
        # "E002" names the row "E002 李强": the sheets put an id and a name in one cell.
        rows = exact or [row for row in rows if str(row.get("employee", "")).strip().split(" ")[0] == employee]
    if len(rows) == 1:
        found = dict(rows[0])
        if not str(found.get("position") or "").strip():
            err.print(f"error: {path}:{rows[0].row}: the row has no position", markup=False)
            raise typer.Exit(1)
        return found
    names = sorted({str(row.get("employee")) for row in table.records() if row.get("employee") is not None})
    listed = ", ".join(names[:10]) + (" …" if len(names) > 10 else "")
    if not rows:
        what = f"no row for employee {employee!r}" if employee is not None else "no data rows"
        err.print(f"error: {path}: {what}; employees in the file: {listed or 'none'}", markup=False)
        raise typer.Exit(1)
    which = f"{len(rows)} rows for {employee!r}" if employee is not None else f"{len(rows)} rows"
    raise usage_error(f"{path} has {which}; choose one with --employee (employees: {listed})")


def _field(row: dict[str, Any], name: str, default: str | None) -> str:
    value = row.get(name)
    text = "" if value is None else str(value).strip()
    if text:
        return text
    if default is None:
        raise usage_error(f"the row has no {name}; give --{name}")
    return default


def _context(fw: Framework, row: dict[str, Any]) -> dict[str, str]:
    return {name: str(row[name]).strip() for name in fw.spec.contexts if str(row.get(name) or "").strip()}


def _metric_values(fw: Framework, row: dict[str, Any]) -> dict[str, Any]:
    from ecomperf.batch.table import is_empty  # start-up cost: numpy loads only for this command

    return {name: value for name, value in row.items() if name in fw.metrics and not is_empty(value)}


# --- printing ---------------------------------------------------------------------------------------


def _emit(data: bytes, output: Path | None, err: Console) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from ecomperf.io.atomic import atomic_write  # start-up cost: only when writing a file

    atomic_write(output, lambda temporary: temporary.write_bytes(data))
    err.print(f"Wrote {output}.", markup=False)


def _quantity(value: float | None, unit: str) -> str:
    return "—" if value is None else format_quantity(value, unit)


def _print_whatif(out: Console, result: WhatIf) -> None:
    who = result.employee or result.position
    out.print(
        f"{who} ({result.position}, {result.stage}, {result.period}): total {result.total:.2f}, grade "
        f"{result.current_grade}; {result.grade} needs {result.needed_total:g}.",
        markup=False,
    )
    table = RichTable(title=f"What each KPI needs for {result.grade}, the others held")
    for name, justify in (("KPI", "left"), ("Actual", "right"), ("Needed", "right"), ("Change", "right"),
                          ("Reachable", "center"), ("Reason", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    words = {"at_least": "≥ ", "at_most": "≤ ", "exactly": "= "}
    for row in result.kpis:
        needed = _quantity(row.needed, row.unit)
        if row.needed is not None:
            needed = words.get(row.bound, "") + needed
        elif row.bound == "within":
            needed = f"{_quantity(row.low, row.unit)}..{_quantity(row.high, row.unit)}"
        change = "" if row.relative_change is None else f"{row.relative_change:+.1%}"
        table.add_row(Text(row.kpi), _quantity(row.actual, row.unit), needed, change,
                      Text("yes" if row.reachable else "no", style="green" if row.reachable else "red"),
                      Text(row.reason))
    out.print(table)
    for row in result.kpis:
        for need in row.inputs:
            out.print(f"  {row.kpi} ← {need.reason}", markup=False)
    sensitivity = RichTable(title="Sensitivity: total points per 1% of each actual")
    for name in ("KPI", "+1%", "−1%", "Headroom to best score", "Points left"):
        sensitivity.add_column(name, justify="left" if name == "KPI" else "right")
    for row in result.kpis:
        s = row.sensitivity
        sensitivity.add_row(Text(row.kpi), f"{s.points_up:+.2f}", f"{s.points_down:+.2f}",
                            _quantity(s.headroom, row.unit), f"{s.headroom_points:.2f}")
    out.print(sensitivity)
    if result.reached:
        out.print(f"Already {result.current_grade}, which meets {result.grade}: no move needed.", markup=False)
    elif result.cheapest is None:
        out.print(f"No single KPI reaches {result.grade} on its own.", markup=False)
    else:
        best = next(row for row in result.kpis if row.kpi == result.cheapest)
        change = "" if best.relative_change is None else f" ({best.relative_change:+.1%})"
        out.print(f"Cheapest single move: {best.kpi} to {_quantity(best.needed, best.unit)}{change}.", markup=False)


def _print_plans(out: Console, views: list[PlanView]) -> None:
    for view in views:
        name = localize(view.plan.name, "en", "zh")
        table = RichTable(
            title=f"{view.plan.id}: {view.plan.metric} {format_quantity(view.plan.total, view.unit)} for "
                  f"{view.plan.period} ({name})",
        )
        table.add_column("Period")
        for column in view.columns:
            share = "" if column.role in ("plan", "owner") else f"\n{format_quantity(column.share, 'percent')}"
            kpi = "" if column.kpi == view.plan.metric else f"\n{column.kpi}"
            table.add_column(Text(f"{column.label}{share}{kpi}"), justify="right")
        for row in view.rows:  # compact 万/亿 here; csv, xlsx and json carry every cent
            style = "" if row.kind == "month" else "bold"
            table.add_row(Text(row.period, style=style),
                          *(Text(format_quantity(v, view.unit), style=style) for v in row.amounts))
        out.print(table)
        for text, ok in view.checks:
            out.print(f"  {'✓' if ok else '✗'} {text}", markup=False)
        unscored = [c.label for c in view.columns if c.role in ("owner", "share") and not c.scored]
        if unscored:
            out.print(f"  note: no scorecard of {', '.join(unscored)} carries its KPI; the plan is shown, "
                      "not scored", markup=False)
