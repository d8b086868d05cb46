"""Benchmark: ``ecomperf.load`` against a bare ``yaml.CSafeLoader`` parse of the same files.

Generates a framework of 1000 metrics (a quarter of them formulas), 50 modules and 200 positions with
3 stages of 5 KPIs each, then prints the median of 5 runs of each and their ratio (target <= 2.0).
Run by hand: ``python benchmarks/bench_load.py``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

import ecomperf

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


def _metric(number: int) -> str:
    formula = ""
    if number >= METRICS - FORMULAS:
        a, b = number - (METRICS - FORMULAS), number - (METRICS - FORMULAS) + 1
        formula = f"formula: (m{a} - m{b}) / m{a}\n"
    return (
        f"apiVersion: ecomperf/v1\nkind: Metric\nid: m{number}\nname: {{zh: 指标{number}, en: Metric {number}}}\n"
        f"unit: percent\ndirection: higher\n{formula}cycle: monthly\nsource: {{zh: 后台, en: Back office}}\n"
        f"definition: {{zh: 指标{number}的定义, en: Definition of metric {number}}}\n"
    )


def _module(number: int) -> str:
    duties = "\n".join(f"  - {{id: d{k}, text: {{zh: 职责{number}-{k}, en: Duty {number}-{k}}}}}" for k in range(4))
    kpis = ", ".join(f"m{(number * 7 + k) % (POSITIONS * KPIS) % METRICS}" for k in range(3))
    return (
        f"apiVersion: ecomperf/v1\nkind: Module\nid: mod{number}\nname: {{zh: 模块{number}, en: Module {number}}}\n"
        f"shared: true\nresponsibilities:\n{duties}\nkpis: [{kpis}]\n"
    )


def _position(number: int) -> str:
    lines = [
        "apiVersion: ecomperf/v1",
        "kind: Position",
        f"id: p{number}",
        f"name: {{zh: 岗位{number}, en: Position {number}}}",
        f"modules: [mod{number % MODULES}]",
        f"purpose: {{zh: 岗位{number}的目的, en: Purpose of position {number}}}",
        "scorecard:",
        "  stages:",
    ]
    for stage in STAGES:
        lines.append(f"    {stage}:")
        for k in range(KPIS):
            metric = (number * KPIS + k) % METRICS
            lines.append(f'      - {{kpi: m{metric}, weight: 20, target: ">= {10 + k}%"}}')
    return "\n".join(lines) + "\n"


def generate(root: Path) -> Path:
    """Write the benchmark framework under ``root`` and return its folder."""
    folder = root / "bench-framework"
    (folder / "metrics").mkdir(parents=True)
    (folder / "positions").mkdir()
    (folder / "framework.yaml").write_text(_framework(), encoding="utf-8")
    for chunk in range(10):
        docs = [_metric(n) for n in range(chunk * 100, chunk * 100 + 100)]
        (folder / "metrics" / f"m{chunk}.yaml").write_text("---\n".join(docs), encoding="utf-8")
    (folder / "modules.yaml").write_text("---\n".join(_module(n) for n in range(MODULES)), encoding="utf-8")
    for chunk in range(20):
        docs = [_position(n) for n in range(chunk * 10, chunk * 10 + 10)]
        (folder / "positions" / f"p{chunk}.yaml").write_text("---\n".join(docs), encoding="utf-8")
    return folder


def median_seconds(action: Callable[[], object], runs: int = 5) -> float:
    """Median wall time of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = generate(Path(tmp))
        files = sorted(folder.rglob("*.yaml"))
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        def bare() -> None:
            for file in files:
                list(yaml.load_all(file.read_text(encoding="utf-8"), Loader=loader))

        fw = ecomperf.load(folder)
        assert len(fw.metrics) == METRICS and len(fw.positions) == POSITIONS, "benchmark framework must load clean"
        bare_s = median_seconds(bare)
        load_s = median_seconds(lambda: ecomperf.load(folder))
        print(
            f"files: {len(files)}  metrics: {METRICS} ({FORMULAS} formulas)  modules: {MODULES}  "
            f"positions: {POSITIONS} x {len(STAGES)} stages x {KPIS} KPIs"
        )
        print(f"libyaml C loader: {loader is not yaml.SafeLoader}")
        print(f"bare CSafeLoader parse : {bare_s * 1000:8.1f} ms (median of 5)")
        print(f"ecomperf.load          : {load_s * 1000:8.1f} ms (median of 5)")
        print(f"ratio                  : {load_s / bare_s:8.2f} (target <= 2.0)")


if __name__ == "__main__":
    main()
