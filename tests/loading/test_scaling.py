"""Loading grows linearly with the framework, shown by counting operations (never by timing them).

A framework is generated at 1x and 4x: metrics, modules and positions in a fixed number of files, so that
documents per file grow with the size, as they do when a real framework grows. Every Python and C function
call made while it loads is counted with ``sys.setprofile``; 4x the framework must cost at most 4x the
calls (plus 5% for the few fixed costs that do not scale down). The specific costs that once grew faster
are counted on their own: each target is parsed once, and no problem's location goes through Pydantic's
slow private-attribute lookup.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from pydantic import BaseModel

import ecomperf
from ecomperf import targets
from ecomperf.loading import yaml_source
from ecomperf.model import index
from tests.conftest import MINI

METRICS, POSITIONS, KPIS = 40, 12, 4

FRAMEWORK = """\
apiVersion: ecomperf/v1
kind: Framework
id: scaled
name: {zh: 规模, en: Scale}
locales: [zh, en]
stages:
  - {id: startup, name: {zh: 初创期, en: Startup}}
  - {id: mature, name: {zh: 成熟期, en: Mature}}
grades:
  - {id: A, min: 100, bonus: 1.2}
  - {id: C, min: 0, bonus: 0}
"""


def _metric(number: int) -> str:
    # no `source:`, so every KPI on it draws an EP404 warning (the lookups that once grew too fast)
    formula = f"formula: (m{number - 1} - m{number - 2}) / m{number - 1}\n" if number % 4 == 3 else ""
    return (f"apiVersion: ecomperf/v1\nkind: Metric\nid: m{number}\nname: {{zh: 指标{number}, en: M{number}}}\n"
            f"unit: percent\ndirection: higher\ncycle: monthly\n{formula}")


def _position(number: int, metrics: int) -> str:
    lines = ["apiVersion: ecomperf/v1", "kind: Position", f"id: p{number}",
             f"name: {{zh: 岗位{number}, en: P{number}}}", "scorecard:", "  stages:"]
    for stage in ("startup", "mature"):
        lines.append(f"    {stage}:")
        lines += [f'      - {{kpi: m{(number * KPIS + k) % metrics}, weight: 25, target: ">= {10 + k}%"}}'
                  for k in range(KPIS)]
    return "\n".join(lines) + "\n"


def generate(root: Path, scale: int) -> tuple[Path, int]:
    """A framework ``scale`` times the base size in 1 + 2 + 2 files; returns its folder and its target count."""
    folder = root / f"scaled-{scale}x"
    folder.mkdir()
    (folder / "framework.yaml").write_text(FRAMEWORK, encoding="utf-8")
    metrics, positions = METRICS * scale, POSITIONS * scale
    for part in range(2):
        chunk = range(part * metrics // 2, (part + 1) * metrics // 2)
        (folder / f"metrics-{part}.yaml").write_text("---\n".join(map(_metric, chunk)), encoding="utf-8")
        chunk = range(part * positions // 2, (part + 1) * positions // 2)
        docs = [_position(n, metrics) for n in chunk]
        (folder / f"positions-{part}.yaml").write_text("---\n".join(docs), encoding="utf-8")
    return folder, positions * 2 * KPIS


@contextmanager
def counting_calls() -> Iterator[Counter[str]]:
    """Count every function call (Python and C) made inside the block, by function name."""
    calls: Counter[str] = Counter()

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call":
            calls[frame.f_code.co_name] += 1
        elif event == "c_call":
            calls[getattr(arg, "__name__", "?")] += 1

    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(None)


@contextmanager
def counting(owner: Any, name: str) -> Iterator[list[int]]:
    """Count the calls of ``owner.name`` inside the block (the function is wrapped, then restored)."""
    original = getattr(owner, name)
    count = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        return original(*args, **kwargs)

    setattr(owner, name, wrapper)
    try:
        yield count
    finally:
        setattr(owner, name, original)


@pytest.fixture(scope="module")
def frameworks(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, int]]:
    # another framework warms lazy imports uncounted; the same one would also warm the parsed-formula cache
    ecomperf.load(MINI)
    root = tmp_path_factory.mktemp("scaling")
    return {scale: generate(root, scale) for scale in (1, 4)}


def _calls_to_load(folder: Path) -> int:
    with counting_calls() as calls:
        fw = ecomperf.load(folder)
    assert len(fw.warnings) > 0  # the EP404 warnings are part of what is counted
    return sum(calls.values())


def test_four_times_the_framework_costs_at_most_four_times_the_calls(
    frameworks: dict[int, tuple[Path, int]],
) -> None:
    small, large = _calls_to_load(frameworks[1][0]), _calls_to_load(frameworks[4][0])
    # measured: 39,600 calls at 1x and 147,700 at 4x (3.7x: fixed costs); quadratic work would grow 16x.
    # Every KPI draws a warning here, so each position file is also parsed again for its source maps.
    assert large <= 4 * 1.05 * small, (small, large, large / small)


def test_each_target_is_parsed_once(frameworks: dict[int, tuple[Path, int]]) -> None:
    folder, count = frameworks[4]
    # 48 positions x 2 stages x 4 KPIs = 384 targets, each parsed once while the models validate
    with counting(targets, "_parse_shorthand") as parsed:
        ecomperf.load(folder)
    assert parsed[0] == count == 384


def test_problem_locations_skip_pydantics_private_attribute_lookup(frameworks: dict[int, tuple[Path, int]]) -> None:
    folder, _ = frameworks[4]
    with counting(BaseModel, "__getattr__") as lookups:
        fw = ecomperf.load(folder)
    assert len(fw.warnings) >= 384  # an EP404 per KPI entry (no source on its metric), each with a span
    assert lookups[0] == 0


def test_the_declared_ids_are_gathered_once_per_kind(frameworks: dict[int, tuple[Path, int]]) -> None:
    folder, _ = frameworks[4]
    # every formula input and plan name asks `declared("Metric")`; the set was rebuilt per name (quadratic)
    with counting(index, "Declared") as views:
        fw = ecomperf.load(folder)
    # 160 metrics, 40 with formulas of 2 inputs: 80 asks; one view per kind asked (Metric, Module, Position)
    assert sum(len(metric.inputs) for metric in fw.metrics.values()) == 80
    assert 1 <= views[0] <= 3


def test_the_text_is_searched_for_anchors_once_per_file_not_per_document(
    frameworks: dict[int, tuple[Path, int]],
) -> None:
    folder, _ = frameworks[4]
    # 5 files holding 1 + 80 + 80 + 24 + 24 documents: 5 searches (per document it was 209 over whole files)
    with counting(yaml_source, "has_anchor") as searched:
        ecomperf.load(folder)
    assert searched[0] == 5
