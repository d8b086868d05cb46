"""Benchmark ``Framework.rollup`` of 10k employees × 12 months to a year against a pandas groupby.

Run it (``make bench`` runs every benchmark)::

    .venv/bin/python benchmarks/bench_rollup.py [--employees 10000] [--rounds 5]

Twelve months of every base metric of ``examples/mini-framework`` per employee (``_data.monthly_actuals``)
are built inside each process, outside the timer; each command runs as its own process, alternating,
``--rounds`` times, and reports the time of the roll-up alone:

* **ecomperf**: ``fw.rollup(months, "2026")`` for each employee (one employee at a time);
* **ecomperf table**: ``fw.rollup_table(columns, "2026")``, every employee at once (a dict of columns, as a
  pandas DataFrame would give);
* **pandas**: one ``groupby("employee").agg(...)`` of all employees, each metric by its aggregation, and
  gross margin recomputed from the summed revenue and cost.

Before timing, both results are checked: every employee's yearly value of every metric agrees (to 1e-12
relative: the sums may add in another order).
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import _harness as h
from _data import BASE_METRICS, MINI_FRAMEWORK, YEAR, monthly_actuals
from _mini_card import AGGREGATION

SCRIPT = Path(__file__).resolve()
COLUMNS = [*BASE_METRICS, "gross_margin"]


def ecomperf_rollup(employees: int, target: Path) -> float:
    """Roll each employee's months up with ``Framework.rollup``; write the result; return the time of the roll-up."""
    import ecomperf

    fw = ecomperf.load(MINI_FRAMEWORK)
    data: dict[str, dict[str, dict[str, float]]] = {}
    for employee, month, values in monthly_actuals(employees):
        data.setdefault(employee, {})[month] = values
    start = time.perf_counter()
    rolled = {employee: fw.rollup(months, YEAR) for employee, months in data.items()}
    seconds = time.perf_counter() - start
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["employee", *COLUMNS])
        writer.writerows([employee, *(repr(values[c]) for c in COLUMNS)] for employee, values in rolled.items())
    return seconds


def ecomperf_table(employees: int, target: Path) -> float:
    """Roll every employee up at once with ``Framework.rollup_table``; write the result; return its time."""
    import ecomperf

    fw = ecomperf.load(MINI_FRAMEWORK)
    rows = list(monthly_actuals(employees))
    columns: dict[str, list[object]] = {"employee": [e for e, _, _ in rows], "period": [m for _, m, _ in rows]}
    columns |= {metric: [values[metric] for _, _, values in rows] for metric in BASE_METRICS}
    import numpy as np  # the columns as arrays, as a DataFrame holds them

    table = {name: np.asarray(values) if name in BASE_METRICS else values for name, values in columns.items()}
    fw.rollup_table({"employee": ["x"], "period": [f"{YEAR}-01"], "gmv": np.asarray([1.0])}, YEAR, partial=True)
    start = time.perf_counter()
    rolled = fw.rollup_table(table, YEAR)
    seconds = time.perf_counter() - start
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["employee", *COLUMNS])
        writer.writerows([employee, *(repr(rolled.values[c][place]) for c in COLUMNS)]
                         for place, employee in enumerate(rolled.employees))
    return seconds


def pandas_rollup(employees: int, target: Path) -> float:
    """One groupby of all employees; write the result; return the time of the groupby and the margin."""
    import pandas as pd

    frame = pd.DataFrame([{"employee": employee, "month": month, **values}
                          for employee, month, values in monthly_actuals(employees)])
    start = time.perf_counter()
    year = frame.groupby("employee", sort=False).agg(AGGREGATION)
    year["gross_margin"] = (year["sales_revenue"] - year["cost"]) / year["sales_revenue"]
    seconds = time.perf_counter() - start
    year[COLUMNS].to_csv(target)
    return seconds


WORK = {"ecomperf": ecomperf_rollup, "table": ecomperf_table, "pandas": pandas_rollup}


def main() -> None:
    options = h.parser(__doc__.splitlines()[0], rounds=5)
    options.add_argument("--employees", type=int, default=10_000, help="employees (default 10000)")
    options.add_argument("--work", nargs=2, metavar=("NAME", "OUT"), help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.work:
        h.report_seconds(WORK[args.work[0]](args.employees, Path(args.work[1])))
        return
    h.print_environment(["pandas"])
    with h.workspace() as tmp:
        folder = Path(tmp)
        labels = {"ecomperf": "Framework.rollup per employee", "table": "Framework.rollup_table",
                  "pandas": "pandas groupby"}
        commands = [h.Command(label, h.python_command(SCRIPT, "--employees", str(args.employees), "--work", name,
                                                      str(folder / f"{name}.csv")), times_itself=True)
                    for name, label in labels.items()]
        for command in commands:
            h.run_once(command)
        compared, identical = h.compare_outputs(folder / "ecomperf.csv", folder / "pandas.csv", key="employee",
                                                numbers=COLUMNS, texts=[], relative=1e-12)
        print(f"check: {compared:,} employees agree to 1e-12 relative; {identical:,} bit-identical", flush=True)
        compared, identical = h.compare_outputs(folder / "ecomperf.csv", folder / "table.csv", key="employee",
                                                numbers=COLUMNS, texts=[], relative=0.0)
        print(f"check: rollup_table and rollup agree for {compared:,} employees; {identical:,} bit-identical",
              flush=True)
        results = h.measure(commands, args.rounds)
    h.print_table(f"Roll-up of {args.employees:,} employees × 12 months to {YEAR}", results, labels["pandas"])
    per_employee = results.median(labels["ecomperf"], h.work)
    if per_employee is not None:
        print(f"Framework.rollup: {per_employee / args.employees * 1e6:.1f} µs per employee")
    h.print_load()


if __name__ == "__main__":
    main()
