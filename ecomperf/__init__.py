"""ecomperf: declarative performance frameworks for e-commerce operations teams.

>>> import ecomperf
>>> fw = ecomperf.load("frameworks/ecommerce-ops")  # doctest: +SKIP
>>> card = fw.score("store_manager", stage="startup", period="2026-10", actuals={...})  # doctest: +SKIP
"""

import typing as _typing

from ecomperf._version import __version__
from ecomperf.batch.results import BatchResult, RowError, RowSummary
from ecomperf.batch.table import ActualsRow
from ecomperf.changes.backtest import BacktestResult, backtest
from ecomperf.changes.diff import Change, FrameworkDiff, diff
from ecomperf.errors import (
    ActualError,
    ActualsIOError,
    EcomperfError,
    FrameworkError,
    HistoryError,
    InputError,
    OutputError,
    RenderError,
    ReviewError,
    RowsTypeError,
    ScoringError,
    UnknownNameError,
)
from ecomperf.framework import Framework, load, load_documents, load_revision
from ecomperf.io.read import read_actuals
from ecomperf.io.write import write_results
from ecomperf.planning import InputNeed, KpiNeed, Sensitivity, WhatIf
from ecomperf.problems import Problem, Span
from ecomperf.scoring.results import DroppedKpi, KpiScore, ScoreCard
from ecomperf.scoring.review import (
    DistributionReport,
    GradeShare,
    GroupDistribution,
    PipFlag,
    distribution_report,
    pip_flags,
)

if _typing.TYPE_CHECKING:
    from ecomperf.history import History

__all__ = [
    "ActualError",
    "ActualsIOError",
    "ActualsRow",
    "BacktestResult",
    "BatchResult",
    "Change",
    "DistributionReport",
    "DroppedKpi",
    "EcomperfError",
    "Framework",
    "FrameworkDiff",
    "FrameworkError",
    "GradeShare",
    "GroupDistribution",
    "History",
    "HistoryError",
    "InputError",
    "InputNeed",
    "KpiNeed",
    "KpiScore",
    "OutputError",
    "PipFlag",
    "Problem",
    "RenderError",
    "ReviewError",
    "RowError",
    "RowSummary",
    "RowsTypeError",
    "ScoreCard",
    "ScoringError",
    "Sensitivity",
    "Span",
    "UnknownNameError",
    "WhatIf",
    "__version__",
    "backtest",
    "diff",
    "distribution_report",
    "load",
    "load_documents",
    "load_revision",
    "pip_flags",
    "read_actuals",
    "write_results",
]


def __getattr__(name: str) -> _typing.Any:
    # History needs SQLAlchemy and Alembic (the `history` extra): imported on first use, so that
    # `import ecomperf` stays light and works without them.
    if name == "History":
        from ecomperf.history import History  # optional extra: SQLAlchemy and Alembic

        return History
    raise AttributeError(f"module 'ecomperf' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "History"})
