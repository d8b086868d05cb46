"""The Python API reference: a mkdocstrings directive for every public name of ``ecomperf``.

The names come from ``ecomperf.__all__`` at build time, so a name added there appears in the reference
without touching the docs; names are grouped by what they are for, and a name no group claims lands in
"Other" rather than being left out.
"""

from __future__ import annotations

GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Loading frameworks",
        "Read a framework folder into a validated `Framework`, or collect every problem without raising.",
        ("load", "load_documents", "Framework"),
    ),
    (
        "Scorecards",
        "What `Framework.score` returns: one `ScoreCard` per position and period, one `KpiScore` per KPI.",
        ("ScoreCard", "KpiScore", "DroppedKpi"),
    ),
    (
        "Many rows and files",
        "Score a spreadsheet of actuals (`Framework.score_many`) and write the results.",
        ("read_actuals", "write_results", "BatchResult", "RowSummary", "RowError", "ActualsRow"),
    ),
    (
        "Planning",
        "What `Framework.whatif` returns: per KPI the actual a grade needs, its sensitivity, the input that moves.",
        ("WhatIf", "KpiNeed", "InputNeed", "Sensitivity"),
    ),
    (
        "Reviews across many cards",
        "Improvement-plan flags and the forced-distribution check.",
        ("pip_flags", "PipFlag", "distribution_report", "DistributionReport", "GroupDistribution", "GradeShare"),
    ),
    (
        "Changing a framework",
        "Compare two versions of a framework, and score the same actuals under both "
        "(see [Change a framework safely](../getting-started/change.md)).",
        ("diff", "FrameworkDiff", "Change", "backtest", "BacktestResult", "load_revision"),
    ),
    (
        "Problems and errors",
        "Validation problems with their locations, and the exceptions ecomperf raises.",
        ("Problem", "Span", "EcomperfError", "FrameworkError", "ScoringError", "RenderError", "ActualsIOError"),
    ),
)
"""Sections of the reference: title, introduction, names in order."""


def public_names() -> list[str]:
    """``ecomperf.__all__`` without dunder names."""
    import ecomperf

    return [name for name in ecomperf.__all__ if not name.startswith("__")]


def render() -> str:
    """Markdown with one ``::: ecomperf.NAME`` directive per public name, grouped."""
    names = public_names()
    claimed: set[str] = set()
    parts = []
    for title, intro, members in GROUPS:
        present = [name for name in members if name in names]
        if not present:
            continue
        claimed.update(present)
        parts.append(f"## {title}\n\n{intro}\n")
        parts.extend(f"::: ecomperf.{name}\n" for name in present)
    others = [name for name in names if name not in claimed]
    if others:
        parts.append("## Other\n")
        parts.extend(f"::: ecomperf.{name}\n" for name in others)
    return "\n".join(parts)
