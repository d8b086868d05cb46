"""The names of the missing-value policies, for the documents that declare one (``missing:``).

The rule itself (what each policy does, and which declaration wins) lives in :mod:`ecomperf.scoring.missing`;
the model only needs the names, and sits below scoring.
"""

from __future__ import annotations

from typing import Literal, TypeAlias

__all__ = ["MissingRule"]

MissingRule: TypeAlias = Literal["error", "renormalize", "zero"]
"""``error``: refuse the card; ``renormalize``: drop the KPI (or rater) and rescale; ``zero``: count it as 0."""
