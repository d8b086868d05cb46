"""Checking a user's choice (locale, format, position, stage) against the known ones, with "did you mean"."""

from __future__ import annotations

from collections.abc import Iterable

from ecomperf.errors import RenderError
from ecomperf.suggest import did_you_mean

__all__ = ["check_choice"]


def check_choice(kind: str, name: str, known: Iterable[str]) -> str:
    """Return ``name`` when it is one of ``known``.

    Raises:
        RenderError: ``unknown locale 'eng'; did you mean 'en'?`` (or the known names when nothing is close).
    """
    choices = list(known)
    if name in choices:
        return name
    raise RenderError(f"unknown {kind} {name!r}{did_you_mean(name, choices, cutoff=0.5, sort_known=False)}")
