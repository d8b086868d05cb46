"""ecomperf: declarative performance frameworks for e-commerce operations teams.

>>> import ecomperf
>>> fw = ecomperf.load("frameworks/ecommerce-ops")  # doctest: +SKIP
>>> card = fw.score("store_manager", stage="startup", period="2026-10", actuals={...})  # doctest: +SKIP
"""

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
    InputError,
    OutputError,
    RenderError,
    ReviewError,
    ScoringError,
    UnknownNameError,
)
from ecomperf.framework import Framework, load, load_documents, load_revision
from ecomperf.io.read import read_actuals
from ecomperf.io.write import write_results
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
    "InputError",
    "KpiScore",
    "OutputError",
    "PipFlag",
    "Problem",
    "RenderError",
    "ReviewError",
    "RowError",
    "RowSummary",
    "ScoreCard",
    "ScoringError",
    "Span",
    "UnknownNameError",
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
