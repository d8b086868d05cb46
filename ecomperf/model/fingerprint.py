"""The content fingerprint of a framework: one hash that says which documents produced a scorecard.

The fingerprint is a SHA-256 over the framework's documents *as parsed*, not over its files, so that it
changes exactly when what the documents say changes:

* **does not change** when files are split, merged, renamed or re-sorted, when mapping keys are
  reordered, when comments, blank lines, quoting or flow/block style change, or when a field is written
  out with its default value instead of left out;
* **changes** when any value changes, including text shown to people (names, duties, the written form
  of a target such as ``">= 35%"``, which cards and job descriptions print), and when the order of a
  list changes (grades, stages, KPIs on a card, responsibilities), because order is meaningful there;
* **changes** when events change order: when several events match one period they apply in order and
  a later override wins, so event order is content. Every other kind is hashed sorted by kind and id.

The canonical form is each document's ``model_dump(mode="json", by_alias=True)`` serialised as JSON with
sorted keys, no whitespace and non-ASCII kept as is; the documents are listed in the order above under a
format number, so that a future change of the canonical form can never collide with an old hash.

Example:
    >>> from ecomperf.model import Metric
    >>> gmv = Metric.model_validate({"apiVersion": "ecomperf/v1", "kind": "Metric", "id": "gmv",
    ...     "name": "GMV", "unit": "currency", "direction": "higher", "cycle": "monthly"})
    >>> len(fingerprint([gmv]))
    64
    >>> fingerprint([gmv]) == fingerprint([gmv.model_copy()])
    True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any, Final

from ecomperf.model.common import Document
from ecomperf.model.event import Event

__all__ = ["FINGERPRINT_FORMAT", "fingerprint", "short_fingerprint"]

FINGERPRINT_FORMAT: Final = 1
"""Version of the canonical form hashed; bumped (never reused) if the form ever changes."""

SHORT_LENGTH: Final = 12
"""Hex digits shown where a fingerprint is printed for people (48 bits: no collision in any real history)."""


def fingerprint(documents: Iterable[Document]) -> str:
    """The SHA-256 hex digest of ``documents`` in canonical form (see the module docstring).

    Args:
        documents: every document of one framework (the Framework document, metrics, modules, positions,
            events in their load order, workflows), in any order except events.

    Returns:
        64 lowercase hex digits.
    """
    ordered: list[tuple[str, str, Any]] = []
    events: list[Any] = []
    for document in documents:
        dumped = document.model_dump(mode="json", by_alias=True)
        if isinstance(document, Event):
            events.append(dumped)
        else:
            ordered.append((type(document).__name__, document.id, dumped))
    ordered.sort(key=lambda item: (item[0], item[1]))
    canonical = {
        "format": FINGERPRINT_FORMAT,
        "documents": [dumped for _, _, dumped in ordered],
        "events": events,
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def short_fingerprint(value: str | None) -> str:
    """The first :data:`SHORT_LENGTH` hex digits, as tables print them (``"—"`` when unknown).

    >>> short_fingerprint("0123456789abcdef" * 4)
    '0123456789ab'
    """
    return value[:SHORT_LENGTH] if value else "—"
