"""Benchmark ``ecomperf score FRAMEWORK --actuals 100k.csv -o out.csv`` against a hand-written loop.

Run by hand (not part of the tests)::

    .venv/bin/python benchmarks/bench_score.py [--rows 100000] [--repeat 3]

It writes a CSV of ``--rows`` rows for ``examples/mini-framework`` (two positions, two stages, every
month of 2026 so that the Double 11 event applies in November, two categories so that target variants
apply, a formula metric, a veto KPI breached now and then) into a temporary folder, then times, in
this one process, the median of ``--repeat`` runs of:

* **ecomperf**: the ``score`` command invoked in-process through the Typer app, exactly as the
  console script runs it: load the framework, read the CSV, score, write ``out.csv``.
* **baseline**: the fastest honest plain-Python version of the same job: ``csv.reader``, one dict
  lookup per row for the row's card (KPI columns, weights, targets; worked out once before the timer
  starts, by hand-written rules for this framework), float arithmetic inline, the same ``out.csv``
  columns written with ``csv.writer``. It knows nothing it does not need: no shorthand such as
  ``"35%"``, no "n/a", no error reporting, no framework loading.

Both outputs are read back and compared: every total, grade and KPI score must agree. The target is a
ratio (ecomperf / baseline) of at most 2.0.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import typer

from ecomperf.cli import app

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORK = ROOT / "examples" / "mini-framework"
HEADER = ["employee", "position", "stage", "period", "category", "gmv", "sales_revenue", "cost",
          "inventory_turnover", "violations", "inquiry_response_hours"]
PRECISION = 9  # ecomperf.scoring.methods.PRECISION: scores and totals are rounded to 9 places


def write_actuals(path: Path, rows: int, seed: int = 2026) -> None:
    """Write ``rows`` rows of plain-number actuals for the mini framework."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(rows):
            month = f"2026-{rng.randint(1, 12):02d}"
            stage = rng.choice(["startup", "mature"])
            if rng.random() < 0.7:
                revenue = rng.uniform(1e6, 3e6)
                writer.writerow([
                    f"e{number:06d}", "store_manager", stage, month, rng.choice(["apparel", "electronics_3c"]),
                    f"{rng.uniform(1e6, 8e6):.2f}", f"{revenue:.2f}", f"{revenue * rng.uniform(0.45, 0.75):.2f}",
                    f"{rng.uniform(2, 8):.2f}", "1" if rng.random() < 0.03 else "0", "",
                ])
            else:
                writer.writerow([f"e{number:06d}", "service_agent", stage, month, "", "", "", "", "", "",
                                 f"{rng.uniform(4, 40):.1f}"])


# --- the hand-written baseline ----------------------------------------------------------------------

# (column, weight, target, kind): kind "higher"/"lower" is linear scoring clamped to [0, 120];
# "veto" scores 100 when the value is 0, else 0 and caps the grade at C.
Kpi = tuple[str, float, float, str]
GRADES = [("A", 100.0, 1.2), ("B", 85.0, 1.0), ("C", 70.0, 0.6), ("D", 0.0, 0.0)]
VETO_CAP = 2  # index of grade C


def card_for(position: str, stage: str, month: str, category: str) -> list[Kpi]:
    """The card of examples/mini-framework, written out by hand (events and variants applied)."""
    if position == "service_agent":
        return [("inquiry_response_hours", 100.0, 24.0 if stage == "startup" else 12.0, "lower")]
    if stage == "startup":
        return [("gmv", 60.0, 2e6, "higher"), ("gross_margin", 40.0, 0.4, "higher"), ("violations", 0.0, 0.0, "veto")]
    turnover = 6.0 if category == "electronics_3c" else 4.0
    if month.endswith("-11"):  # Double 11: weights 60/30/10 and a GMV target of 1000万
        return [("gmv", 60.0, 1e7, "higher"), ("gross_margin", 30.0, 0.4, "higher"),
                ("inventory_turnover", 10.0, turnover, "higher"), ("violations", 0.0, 0.0, "veto")]
    return [("gmv", 40.0, 5e6, "higher"), ("gross_margin", 40.0, 0.4, "higher"),
            ("inventory_turnover", 20.0, turnover, "higher"), ("violations", 0.0, 0.0, "veto")]


def baseline(source: Path, target: Path) -> None:
    """Score the CSV with plain Python and write the same columns as ``ecomperf score -o out.csv``."""
    cards: dict[tuple[str, str, str, str], tuple[list[tuple[int, float, float, str, str]], float]] = {}
    kpi_order = ["gmv", "gross_margin", "violations", "inventory_turnover", "inquiry_response_hours"]
    with source.open(encoding="utf-8", newline="") as handle, target.open("w", encoding="utf-8", newline="") as out:
        out.write("\ufeff")  # the same BOM ecomperf writes, without the per-row utf-8-sig encoder
        reader = csv.reader(handle)
        header = next(reader)
        column = {name: index for index, name in enumerate(header)}
        revenue_at, cost_at = column["sales_revenue"], column["cost"]
        writer = csv.writer(out)
        writer.writerow([*HEADER[:4], "total", "grade", "bonus", *(f"{k}_score" for k in kpi_order)])
        for row in reader:
            key = (row[1], row[2], row[3], row[4])
            plan = cards.get(key)
            if plan is None:
                kpis = card_for(row[1], row[2], row[3], row[4])
                plan = ([(column.get(k, -1), w, t, kind, k) for k, w, t, kind in kpis], sum(w for _, w, _, _ in kpis))
                cards[key] = plan
            entries, weights = plan
            scores: dict[str, float] = {}
            numerator = 0.0
            breached = False
            for at, weight, goal, kind, kpi in entries:
                if kpi == "gross_margin":
                    revenue = float(row[revenue_at])
                    value = (revenue - float(row[cost_at])) / revenue
                else:
                    value = float(row[at])
                if kind == "veto":
                    points = 100.0 if value == goal else 0.0
                    breached = breached or value != goal
                elif kind == "lower":
                    points = 120.0 if value <= 0 else min(max(100.0 * (goal / value), 0.0), 120.0)
                else:
                    points = min(max(100.0 * (value / goal), 0.0), 120.0)
                points = round(points, PRECISION) + 0.0
                scores[kpi] = points
                numerator += weight * points
            total = round(numerator / weights, PRECISION) + 0.0
            grade = next(i for i, (_, low, _) in enumerate(GRADES) if total >= low)
            if breached:
                grade = max(grade, VETO_CAP)
            name, _, bonus = GRADES[grade]
            writer.writerow([row[0], row[1], row[2], row[3], repr(total), name, repr(bonus),
                             *(repr(scores[k]) if k in scores else "" for k in kpi_order)])


# --- timing --------------------------------------------------------------------------------------------


def run_ecomperf(source: Path, target: Path) -> None:
    """``ecomperf score examples/mini-framework --actuals SOURCE -o TARGET``, in this process."""
    command = typer.main.get_command(app)
    try:
        command.main(["score", str(FRAMEWORK), "--actuals", str(source), "-o", str(target)],
                     prog_name="ecomperf", standalone_mode=False)
    except SystemExit as exc:  # pragma: no cover - standalone_mode=False returns instead
        if exc.code:
            raise


def median_time(action: Callable[[], None], repeat: int) -> float:
    """The median wall time of ``repeat`` runs of ``action``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compare(first: Path, second: Path) -> int:
    """Check that two result CSVs agree row by row; returns the number of rows compared."""
    with first.open(encoding="utf-8-sig", newline="") as a, second.open(encoding="utf-8-sig", newline="") as b:
        left, right = list(csv.DictReader(a)), list(csv.DictReader(b))
    if len(left) != len(right):
        sys.exit(f"row counts differ: {len(left)} != {len(right)}")
    for ours, theirs in zip(left, right, strict=True):
        for name, value in theirs.items():
            if value != ours.get(name, ""):
                sys.exit(f"{theirs['employee']}: {name} differs: ecomperf {ours.get(name)!r}, baseline {value!r}")
    return len(left)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "actuals.csv"
        ours, theirs = Path(folder) / "ecomperf.csv", Path(folder) / "baseline.csv"
        write_actuals(source, args.rows)
        run_ecomperf(source, ours)  # warm up imports and caches, as a second run of a script would be
        baseline(source, theirs)
        ecomperf_time = median_time(lambda: run_ecomperf(source, ours), args.repeat)
        baseline_time = median_time(lambda: baseline(source, theirs), args.repeat)
        rows = compare(ours, theirs)
    print(f"rows:      {rows:,} (totals, grades, bonuses and KPI scores identical)")
    print(f"ecomperf:  {ecomperf_time:.3f} s  (median of {args.repeat}; load framework, read CSV, score, write CSV)")
    print(f"baseline:  {baseline_time:.3f} s  (median of {args.repeat}; hand-written csv + float loop)")
    ratio = ecomperf_time / baseline_time
    print(f"ratio:     {ratio:.2f} (target <= 2.0) {'OK' if ratio <= 2.0 else 'OVER TARGET'}")


if __name__ == "__main__":
    main()
