"""Deterministic data for the benchmarks: actuals for ``examples/mini-framework`` and a generated framework.

* :func:`write_actuals`: one row per employee and month of 2026 (so that Double 11 applies in November),
  two positions, two stages, two categories (so that target variants apply), the inputs of a formula
  metric, and a veto KPI breached now and then. The same seed gives the same file.
* :func:`monthly_actuals`: twelve months of every base metric per employee, for the roll-up benchmark.
* :func:`generate_framework`: a framework of 1000 metrics (a quarter of them formulas), 50 modules and 200
  positions with 3 stages of 5 KPIs each, times ``scale``, in the same number of files (so documents per
  file grow with ``scale``, as they do when a real framework grows).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI_FRAMEWORK = ROOT / "examples" / "mini-framework"
HEADER = ["employee", "position", "stage", "period", "category", "gmv", "sales_revenue", "cost",
          "inventory_turnover", "violations", "inquiry_response_hours"]
YEAR = "2026"


def write_actuals(path: Path, rows: int, seed: int = 2026) -> None:
    """Write ``rows`` rows of plain-number actuals for the mini framework (70% store managers)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(rows):
            month = f"{YEAR}-{rng.randint(1, 12):02d}"
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


BASE_METRICS = ["gmv", "sales_revenue", "cost", "inventory_turnover", "violations", "inquiry_response_hours"]


def monthly_actuals(employees: int, seed: int = 2026) -> Iterator[tuple[str, str, dict[str, float]]]:
    """(employee, month, metric → value) for every month of the year and every base metric of the mini
    framework, employee by employee."""
    rng = random.Random(seed)
    for number in range(employees):
        for month in range(1, 13):
            revenue = round(rng.uniform(1e6, 3e6), 2)
            yield f"e{number:05d}", f"{YEAR}-{month:02d}", {
                "gmv": round(rng.uniform(1e6, 8e6), 2),
                "sales_revenue": revenue,
                "cost": round(revenue * rng.uniform(0.45, 0.75), 2),
                "inventory_turnover": round(rng.uniform(2, 8), 2),
                "violations": float(rng.random() < 0.03),
                "inquiry_response_hours": round(rng.uniform(4, 40), 1),
            }


# --- a generated framework ------------------------------------------------------------------------------

METRICS, FORMULAS, MODULES, POSITIONS, STAGES, KPIS = 1000, 250, 50, 200, ("startup", "growth", "mature"), 5


def _framework() -> str:
    stages = "\n".join(f"  - {{id: {s}, name: {{zh: 阶段{s}, en: Stage {s}}}}}" for s in STAGES)
    return f"""apiVersion: ecomperf/v1
kind: Framework
id: bench
name: {{zh: 基准, en: Benchmark}}
locales: [zh, en]
stages:
{stages}
grades:
  - {{id: A, min: 100, bonus: 1.2}}
  - {{id: B, min: 80, bonus: 1.0}}
  - {{id: C, min: 0, bonus: 0}}
"""


def _metric(number: int, metrics: int, formulas: int) -> str:
    formula = ""
    if number >= metrics - formulas:
        a, b = number - (metrics - formulas), number - (metrics - formulas) + 1
        formula = f"formula: (m{a} - m{b}) / m{a}\n"
    return (
        f"apiVersion: ecomperf/v1\nkind: Metric\nid: m{number}\nname: {{zh: 指标{number}, en: Metric {number}}}\n"
        f"unit: percent\ndirection: higher\n{formula}cycle: monthly\nsource: {{zh: 后台, en: Back office}}\n"
        f"definition: {{zh: 指标{number}的定义, en: Definition of metric {number}}}\n"
    )


def _module(number: int, positions: int, metrics: int) -> str:
    duties = "\n".join(f"  - {{id: d{k}, text: {{zh: 职责{number}-{k}, en: Duty {number}-{k}}}}}" for k in range(4))
    kpis = ", ".join(f"m{(number * 7 + k) % (positions * KPIS) % metrics}" for k in range(3))
    return (
        f"apiVersion: ecomperf/v1\nkind: Module\nid: mod{number}\nname: {{zh: 模块{number}, en: Module {number}}}\n"
        f"shared: true\nresponsibilities:\n{duties}\nkpis: [{kpis}]\n"
    )


def _position(number: int, modules: int, metrics: int) -> str:
    lines = [
        "apiVersion: ecomperf/v1",
        "kind: Position",
        f"id: p{number}",
        f"name: {{zh: 岗位{number}, en: Position {number}}}",
        f"modules: [mod{number % modules}]",
        f"purpose: {{zh: 岗位{number}的目的, en: Purpose of position {number}}}",
        "scorecard:",
        "  stages:",
    ]
    for stage in STAGES:
        lines.append(f"    {stage}:")
        for k in range(KPIS):
            metric = (number * KPIS + k) % metrics
            lines.append(f'      - {{kpi: m{metric}, weight: 20, target: ">= {10 + k}%"}}')
    return "\n".join(lines) + "\n"


def generate_framework(root: Path, scale: int = 1) -> Path:
    """Write the benchmark framework, ``scale`` times the base size, under ``root`` and return its folder.

    Metrics go in 10 files, modules in 1 and positions in 20, whatever the scale.
    """
    metrics, formulas, modules, positions = METRICS * scale, FORMULAS * scale, MODULES * scale, POSITIONS * scale
    folder = root / f"bench-framework-{scale}x"
    (folder / "metrics").mkdir(parents=True)
    (folder / "positions").mkdir()
    (folder / "framework.yaml").write_text(_framework(), encoding="utf-8")
    per_file = metrics // 10
    for chunk in range(10):
        docs = [_metric(n, metrics, formulas) for n in range(chunk * per_file, (chunk + 1) * per_file)]
        (folder / "metrics" / f"m{chunk}.yaml").write_text("---\n".join(docs), encoding="utf-8")
    text = "---\n".join(_module(n, positions, metrics) for n in range(modules))
    (folder / "modules.yaml").write_text(text, encoding="utf-8")
    per_file = positions // 20
    for chunk in range(20):
        docs = [_position(n, modules, metrics) for n in range(chunk * per_file, (chunk + 1) * per_file)]
        (folder / "positions" / f"p{chunk}.yaml").write_text("---\n".join(docs), encoding="utf-8")
    return folder
