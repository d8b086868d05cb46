"""Checking a user's choice (locale, format, position, stage) against the known ones, with "did you mean"."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches

from ecomperf.errors import RenderError

__all__ = ["check_choice"]


def check_choice(kind: str, name: str, known: Iterable[str]) -> str:
    """Return ``name`` when it is one of ``known``.

    Raises:
        RenderError: ``unknown locale 'eng'; did you mean 'en'?`` (or the known names when nothing is close).
    """
    choices = list(known)
    if name in choices:
        return name
    close = get_close_matches(name, choices, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(choices) or 'none'}"
    raise RenderError(f"unknown {kind} {name!r}{hint}")
