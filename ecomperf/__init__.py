"""ecomperf: declarative performance frameworks for e-commerce operations teams.

>>> import ecomperf
>>> fw = ecomperf.load("frameworks/ecommerce-ops")  # doctest: +SKIP
>>> card = fw.score("store_manager", stage="startup", period="2026-10", actuals={...})  # doctest: +SKIP
"""

from ecomperf._version import __version__
from ecomperf.errors import EcomperfError, FrameworkError, RenderError, ScoringError
from ecomperf.framework import Framework
from ecomperf.loading import load, load_documents
from ecomperf.problems import Problem, Span

__all__ = [
    "EcomperfError",
    "Framework",
    "FrameworkError",
    "Problem",
    "RenderError",
    "ScoringError",
    "Span",
    "__version__",
    "load",
    "load_documents",
]
