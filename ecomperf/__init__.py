"""ecomperf: declarative performance frameworks for e-commerce operations teams.

>>> import ecomperf
>>> fw = ecomperf.load("frameworks/ecommerce-ops")  # doctest: +SKIP
>>> card = fw.score("store_manager", stage="startup", period="2026-10", actuals={...})  # doctest: +SKIP

Only the exception tree and problems load with the package; every other public name is imported the first
time it is used (module ``__getattr__``), so ``import ecomperf``, ``ecomperf --help`` and ``ecomperf
validate`` never load numpy, pyarrow, Jinja or openpyxl.
"""

from __future__ import annotations

import sys
import typing as _typing
from typing import TYPE_CHECKING, Any, Final

from ecomperf._version import __version__
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
from ecomperf.problems import Problem, Span

if TYPE_CHECKING:
    from ecomperf.batch.results import BatchResult, RowError, RowSummary
    from ecomperf.batch.table import ActualsRow
    from ecomperf.changes.backtest import BacktestResult, backtest
    from ecomperf.changes.diff import Change, FrameworkDiff, diff
    from ecomperf.framework import Framework, load, load_documents, load_revision
    from ecomperf.history import History
    from ecomperf.io.read import read_actuals
    from ecomperf.io.write import write_results
    from ecomperf.planning import InputNeed, KpiNeed, Sensitivity, WhatIf
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

_SUBMODULES: Final = (
    "_upward", "_version", "batch", "changes", "errors", "formula", "formula_forms", "framework", "io", "loading",
    "model", "periods", "planning", "problems", "scoring", "spreadsheet_text", "suggest", "targets",
    "validation",
)
"""The subpackages ``dir(ecomperf)`` lists, as it did when every export was imported eagerly."""


def __getattr__(name: str) -> _typing.Any:
    """Import a public name on first use and keep it as a module attribute.

    A subpackage not imported yet (``ecomperf.io``) is imported too, as it was when every export was eager.
    """
    # start-up cost: each branch imports only the layer that defines the name
    if name in {"BatchResult", "RowError", "RowSummary"}:
        from ecomperf.batch import results  # start-up cost: see above

        return _keep(name, results)
    if name == "ActualsRow":
        from ecomperf.batch import table  # start-up cost: see above

        return _keep(name, table)
    if name in {"BacktestResult", "backtest"}:
        from ecomperf.changes import backtest as backtests  # start-up cost: see above

        return _keep(name, backtests)
    if name in {"Change", "FrameworkDiff", "diff"}:
        from ecomperf.changes import diff as diffs  # start-up cost: see above

        return _keep(name, diffs)
    if name == "History":
        from ecomperf import history  # optional extra: SQLAlchemy and Alembic (the `history` extra)

        return _keep(name, history)
    if name in {"Framework", "load", "load_documents", "load_revision"}:
        import ecomperf.framework  # start-up cost: see above

        return _keep(name, ecomperf.framework)
    if name in {"InputNeed", "KpiNeed", "Sensitivity", "WhatIf"}:
        import ecomperf.planning  # start-up cost: see above

        return _keep(name, ecomperf.planning)
    if name == "read_actuals":
        from ecomperf.io import read  # start-up cost: see above

        return _keep(name, read)
    if name == "write_results":
        from ecomperf.io import write  # start-up cost: see above

        return _keep(name, write)
    if name in {"DroppedKpi", "KpiScore", "ScoreCard"}:
        from ecomperf.scoring import results as scoring_results  # start-up cost: see above

        return _keep(name, scoring_results)
    if name in {"DistributionReport", "GradeShare", "GroupDistribution", "PipFlag", "distribution_report",
                "pip_flags"}:
        from ecomperf.scoring import review  # start-up cost: see above

        return _keep(name, review)
    if name in _SUBMODULES:
        return _submodule(name)
    raise AttributeError(f"module 'ecomperf' has no attribute {name!r}")


def _keep(name: str, module: Any) -> Any:
    """``module.name``, kept as an attribute of the package so that ``__getattr__`` runs once per name."""
    value = getattr(module, name)
    globals()[name] = value
    return value


def _submodule(name: str) -> Any:
    """A subpackage named in :data:`_SUBMODULES`, imported on its own.

    ``import ecomperf.x``, not ``from ecomperf import x``, which would ask :func:`__getattr__` again.
    """
    # start-up cost: a subpackage loads when first named
    if name == "_upward":
        import ecomperf._upward  # start-up cost: see above
    elif name == "batch":
        import ecomperf.batch  # start-up cost: see above
    elif name == "changes":
        import ecomperf.changes  # start-up cost: see above
    elif name == "formula":
        import ecomperf.formula  # start-up cost: see above
    elif name == "formula_forms":
        import ecomperf.formula_forms  # start-up cost: see above
    elif name == "framework":
        import ecomperf.framework  # start-up cost: see above
    elif name == "io":
        import ecomperf.io  # start-up cost: see above
    elif name == "loading":
        import ecomperf.loading  # start-up cost: see above
    elif name == "model":
        import ecomperf.model  # start-up cost: see above
    elif name == "periods":
        import ecomperf.periods  # start-up cost: see above
    elif name == "planning":
        import ecomperf.planning  # start-up cost: see above
    elif name == "scoring":
        import ecomperf.scoring  # start-up cost: see above
    elif name == "spreadsheet_text":
        import ecomperf.spreadsheet_text  # start-up cost: see above
    elif name == "suggest":
        import ecomperf.suggest  # start-up cost: see above
    elif name == "targets":
        import ecomperf.targets  # start-up cost: see above
    else:
        import ecomperf.validation  # noqa: F401  (start-up cost: see above)
    return sys.modules[f"ecomperf.{name}"]


_DUNDERS: Final = (
    "__all__", "__builtins__", "__cached__", "__dir__", "__doc__", "__file__", "__getattr__", "__loader__",
    "__name__", "__package__", "__path__", "__spec__", "__version__", "_typing",
)


def __dir__() -> list[str]:
    """The same names as when every export was imported eagerly: dunders, ``__all__`` and subpackages."""
    return sorted({*_DUNDERS, *__all__, *_SUBMODULES})
