"""The one place where a lower layer reaches a higher one: by name, when called, never at import.

``ScoreCard.to_html()`` is a convenience for scripts, but a card belongs to ``scoring/`` and its HTML to
``render/``, one layer up. Rather than import upward (a cycle, and Jinja loaded for every score), the card
asks this hook for the renderer by name. The names it serves are listed here and nowhere else, so the
exception to the layering is visible in one file (pydantic keeps its upward reach in one module the same
way). A test checks that no other module uses ``importlib``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Final

__all__ = ["upward"]

_SERVED: Final = {"scorecard_html": ("ecomperf.render.report", "scorecard_html")}


def upward(name: str) -> Callable[..., Any]:
    """The function ``name`` of a higher layer (one of the names in ``_SERVED``).

    Example:
        >>> upward("scorecard_html").__module__
        'ecomperf.render.report'
    """
    module, attribute = _SERVED[name]
    found: Callable[..., Any] = getattr(importlib.import_module(module), attribute)
    return found
