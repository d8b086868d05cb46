"""Checking a user's choice (locale, format, position, stage) against the known ones, with "did you mean"."""

from __future__ import annotations

from collections.abc import Iterable

from ecomperf.errors import RenderError
from ecomperf.model.index import FrameworkIndex
from ecomperf.suggest import did_you_mean

__all__ = ["check_choice", "resolve_locale"]


def check_choice(kind: str, name: str, known: Iterable[str]) -> str:
    """Return ``name`` when it is one of ``known``.

    Raises:
        RenderError: ``unknown locale 'eng'; did you mean 'en'?`` (or the known names when nothing is close).
    """
    choices = list(known)
    if name in choices:
        return name
    raise RenderError(f"unknown {kind} {name!r}{did_you_mean(name, choices, cutoff=0.5, sort_known=False)}")


def resolve_locale(framework: FrameworkIndex, locale: str | None) -> str:
    """``locale`` checked against the framework's locales; the default locale when ``None``.

    Raises:
        RenderError: the framework does not declare ``locale``.
    """
    if locale is None:
        return framework.default_locale
    return check_choice("locale", locale, framework.spec.locales)
