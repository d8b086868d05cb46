"""Benchmark ``ecomperf score FRAMEWORK --actuals 100k.csv -o out.xlsx`` against an xlsxwriter workbook.

Run it (``make bench`` runs every benchmark)::

    .venv/bin/python benchmarks/bench_xlsx.py [--rows 100000] [--rounds 3]

The actuals are those of ``bench_score.py`` (``_data.write_actuals``). Each command runs as its own
process, alternating, ``--rounds`` times:

* **ecomperf**: ``ecomperf score examples/mini-framework --actuals IN -o OUT.xlsx --locale en`` (the English
  workbook: its sheets and headings are the column ids the peer writes);
* **xlsxwriter**: the per-row Python peer of ``bench_score.py`` (``_mini_card.score_rows``) writing a
  workbook of the same shape with xlsxwriter in ``constant_memory`` mode: the same sheets (Summary, Detail,
  Errors), columns and rows, a bold filled frozen header, column widths, ``0.00`` on totals and scores,
  a number format per metric unit on Detail's actuals (``0.0%`` on achievements), a fill per grade, and the
  same print setup (A4 landscape, one page wide, the header repeated, an autofilter), as ecomperf's
  workbook has.

Before timing, both workbooks are checked: the same sheet names, headers and row counts, and the same
totals and grades on Summary. The goal: ecomperf within 1.5× the xlsxwriter peer's time.
"""

from __future__ import annotations

import argparse
import csv
import re
import zipfile
from pathlib import Path
from typing import IO

import _harness as h
from _data import MINI_FRAMEWORK, write_actuals
from _mini_card import GRADES, KPI_ORDER, PRECISION, score_rows

SCRIPT = Path(__file__).resolve()
SUMMARY = ["row", "employee", "position", "stage", "period", "total", "grade", "bonus", "veto",
           *(f"{kpi}_score" for kpi in ["gmv", "gross_margin", "inventory_turnover", "violations",
                                        "inquiry_response_hours"])]
DETAIL = ["row", "employee", "position", "stage", "period", "kpi", "actual", "target", "achievement", "score",
          "weight", "weighted_score", "method", "veto_breached", "notes", "section", "ratings"]
ERRORS = ["row", "employee", "reason"]
FILLS = ["C6EFCE", "E2EFDA", "FCE4D6", "FFC7CE"]  # ecomperf.io.grade_fills for A..D
UNIT_FORMATS = {"gmv": "#,##0.00", "gross_margin": "0.0%", "inventory_turnover": "0.00", "violations": "#,##0",
                "inquiry_response_hours": '0.0"h"'}  # ecomperf.spreadsheet_layout.unit_format of each metric's unit
FORMULA_NOTE = "computed from its formula (sales_revenue - cost) / sales_revenue"


def xlsxwriter_peer(source: Path, target: Path) -> None:
    """Score per row and write Summary, Detail and Errors with xlsxwriter in ``constant_memory`` mode."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {"constant_memory": True})
    header = workbook.add_format({"bold": True, "bg_color": "#D9E1F2"})
    number = workbook.add_format({"num_format": "0.00"})
    percent = workbook.add_format({"num_format": "0.0%"})
    actual_formats = {kpi: workbook.add_format({"num_format": code}) for kpi, code in UNIT_FORMATS.items()}
    grade_formats = {name: workbook.add_format({"bg_color": f"#{fill}"})
                     for (name, _, _), fill in zip(GRADES, FILLS, strict=True)}
    sheets = {}
    for title, columns in (("Summary", SUMMARY), ("Detail", DETAIL), ("Errors", ERRORS)):
        sheet = workbook.add_worksheet(title)
        sheet.freeze_panes(1, 2)
        for index, name in enumerate(columns):
            sheet.set_column(index, index, max(len(name), 10) + 2)
        sheet.write_row(0, 0, columns, header)
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0)
        sheets[title] = sheet
    summary, detail = sheets["Summary"], sheets["Detail"]
    score_columns = {kpi: SUMMARY.index(f"{kpi}_score") for kpi in KPI_ORDER}
    detail_row = 1
    line = 0
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        for line, scored in enumerate(score_rows(reader, next(reader)), start=1):
            employee, position, stage, period = scored.cells[:4]
            name, _, bonus = GRADES[scored.grade]
            summary.write_number(line, 0, line + 1)
            summary.write_row(line, 1, [employee, position, stage, period])
            summary.write_number(line, 5, scored.total, number)
            summary.write_string(line, 6, name, grade_formats[name])
            summary.write_number(line, 7, bonus, number)
            summary.write_string(line, 8, "violations" if scored.breached else "")
            weights = sum(kpi.entry.weight for kpi in scored.kpis)
            for kpi in scored.kpis:
                entry = kpi.entry
                summary.write_number(line, score_columns[entry.kpi], kpi.points, number)
                veto = entry.kpi == "violations"
                achievement = None if veto else round(
                    entry.goal / kpi.value if entry.kpi == "inquiry_response_hours" else kpi.value / entry.goal,
                    PRECISION)
                notes = [FORMULA_NOTE] if entry.kpi == "gross_margin" else []
                if kpi.uncapped > 120.0:
                    notes.append(f"capped at 120 (uncapped {kpi.uncapped:.6g})")
                detail.write_row(detail_row, 0, [
                    line + 1, employee, position, stage, period, entry.kpi])
                detail.write_number(detail_row, 6, kpi.value, actual_formats[entry.kpi])
                detail.write_string(detail_row, 7, entry.text)
                if achievement is not None:
                    detail.write_number(detail_row, 8, achievement, percent)
                detail.write_number(detail_row, 9, kpi.points, number)
                detail.write_number(detail_row, 10, entry.weight)
                detail.write_number(detail_row, 11, round(entry.weight * kpi.points / weights, PRECISION), number)
                detail.write_row(detail_row, 12, ["veto" if veto else "linear", "yes" if veto and scored.breached
                                                  else "", "; ".join(notes)])
                detail_row += 1
    summary.autofilter(0, 0, line, len(SUMMARY) - 1)
    detail.autofilter(0, 0, detail_row - 1, len(DETAIL) - 1)
    sheets["Errors"].autofilter(0, 0, 0, len(ERRORS) - 1)
    workbook.close()


# --- checking the workbooks -----------------------------------------------------------------------------


def sheet_rows(path: Path) -> dict[str, int]:
    """Sheet name → number of rows, counted in the workbook's XML (``<row`` elements), in workbook order."""
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        targets = {m["id"]: m["target"] for m in re.finditer(r'<Relationship [^>]*?Id="(?P<id>[^"]+)"[^>]*?'
                                                             r'Target="(?P<target>[^"]+)"', rels)}
        targets |= {m["id"]: m["target"] for m in re.finditer(r'<Relationship [^>]*?Target="(?P<target>[^"]+)"'
                                                              r'[^>]*?Id="(?P<id>[^"]+)"', rels)}
        counts = {}
        for match in re.finditer(r'<sheet [^>]*?name="(?P<name>[^"]+)"[^>]*?r:id="(?P<id>[^"]+)"', workbook):
            member = "xl/" + targets[match["id"]].removeprefix("/xl/").removeprefix("xl/")
            with archive.open(member) as stream:
                counts[match["name"]] = _count_rows(stream)
    return counts


def _count_rows(stream: IO[bytes]) -> int:
    """``<row`` elements in a sheet's XML, read a MiB at a time (a tag split between two reads counts once)."""
    count, tail = 0, b""
    while chunk := stream.read(1 << 20):
        text = tail + chunk
        count += len(re.findall(rb"<row[ >]", text))
        tail = text[-4:]  # shorter than "<row ", so never a whole tag counted twice
    return count


def summary_of(path: Path) -> tuple[dict[str, list[str]], list[tuple[object, ...]]]:
    """Every sheet's header, and Summary's (employee, total, grade) per row."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    headers = {sheet.title: [cell.value for cell in next(sheet.iter_rows(max_row=1))] for sheet in workbook}
    rows = [(row[1], row[5], row[6]) for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)]
    workbook.close()
    return headers, rows


def check(ours: Path, theirs: Path) -> None:
    """The two workbooks have the same sheets, headers and row counts, and Summary the same totals and grades."""
    shape, peer_shape = sheet_rows(ours), sheet_rows(theirs)
    if shape != peer_shape:
        raise h.BenchmarkError(f"sheets and row counts differ: ecomperf {shape}, xlsxwriter {peer_shape}")
    (headers, rows), (peer_headers, peer_rows) = summary_of(ours), summary_of(theirs)
    if headers != peer_headers:
        raise h.BenchmarkError(f"headers differ: ecomperf {headers}, xlsxwriter {peer_headers}")
    if rows != peer_rows:
        first = next(i for i, (a, b) in enumerate(zip(rows, peer_rows, strict=True)) if a != b)
        raise h.BenchmarkError(f"Summary row {first + 2}: ecomperf {rows[first]}, xlsxwriter {peer_rows[first]}")
    print(f"check: same sheets and rows {shape}; headers equal; {len(rows):,} Summary totals and grades equal",
          flush=True)


def main() -> None:
    options = h.parser(__doc__.splitlines()[0], rounds=3)
    options.add_argument("--rows", type=int, default=100_000, help="rows of actuals (default 100000)")
    options.add_argument("--peer", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.peer:
        xlsxwriter_peer(Path(args.peer[0]), Path(args.peer[1]))
        return
    h.print_environment(["openpyxl", "xlsxwriter"])
    with h.workspace() as tmp:
        folder = Path(tmp)
        source, ours, theirs = folder / "actuals.csv", folder / "ecomperf.xlsx", folder / "xlsxwriter.xlsx"
        write_actuals(source, args.rows)
        framework = str(MINI_FRAMEWORK.relative_to(h.ROOT))
        commands = [
            h.Command("ecomperf score -o .xlsx",
                      h.ecomperf_command("score", framework, "--actuals", str(source), "-o", str(ours),
                                         "--locale", "en")),
            h.Command("xlsxwriter constant_memory", h.python_command(SCRIPT, "--peer", str(source), str(theirs))),
        ]
        for command in commands:
            h.run_once(command)
        check(ours, theirs)
        results = h.measure(commands, args.rounds)
    h.print_table(f"{args.rows:,} rows → xlsx", results, "xlsxwriter constant_memory")
    h.goal("ecomperf score -o .xlsx wall / xlsxwriter", results.ratio("ecomperf score -o .xlsx",
                                                                     "xlsxwriter constant_memory", h.wall), 1.5)
    h.print_load()


if __name__ == "__main__":
    main()
