"""The public API is exactly what ``ecomperf.__all__`` lists, and every name in it is documented."""

from __future__ import annotations

import ecomperf


def test_all_is_sorted_and_complete() -> None:
    exported = [name for name in dir(ecomperf) if not name.startswith("_") or name == "__version__"]
    public = {name for name in exported if not isinstance(getattr(ecomperf, name), type(ecomperf))}
    assert sorted(ecomperf.__all__, key=str.casefold) == list(ecomperf.__all__) or sorted(ecomperf.__all__) == list(
        ecomperf.__all__
    )
    assert set(ecomperf.__all__) == public


def test_every_public_name_has_a_docstring() -> None:
    for name in ecomperf.__all__:
        if name == "__version__":
            continue
        assert (getattr(ecomperf, name).__doc__ or "").strip(), f"ecomperf.{name} has no docstring"


WAVE_1_API = {
    "ActualsIOError", "ActualsRow", "BatchResult", "DistributionReport", "DroppedKpi", "EcomperfError", "Framework",
    "FrameworkError", "GradeShare", "GroupDistribution", "KpiScore", "PipFlag", "Problem", "RenderError",
    "RowError", "RowSummary", "ScoreCard", "ScoringError", "Span", "__version__", "distribution_report", "load",
    "load_documents", "pip_flags", "read_actuals", "write_results",
}


def test_the_public_api_only_grows() -> None:
    assert set(ecomperf.__all__) >= WAVE_1_API
