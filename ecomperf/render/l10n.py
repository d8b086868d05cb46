"""Numbers and dates in the reader's locale, from Babel's CLDR data.

Large amounts of money and counts read the way each language writes them: 万 and 亿 in Chinese
(``2000万``, ``1.2亿``), thousands and millions in English (``500K``, ``20M``). Smaller numbers, percentages,
hours and days keep the plain form of :func:`ecomperf.targets.format_quantity`, which is the same in
every locale.

Event periods (shell-style patterns over period ids) read as words where they name a month or quarter:
``*-11`` is "November, every year" / "每年11月".

>>> quantity_text(20_000_000, "currency", "en"), quantity_text(20_000_000, "currency", "zh")
('20M', '2000万')
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_compact_decimal

from ecomperf.render.messages import translate
from ecomperf.targets import format_quantity

__all__ = ["COMPACT_FROM", "babel_locale", "period_pattern_text", "quantity_text"]

COMPACT_FROM: Final = 10_000
"""Amounts from this size on are written compactly (``1万``, ``10K``); Chinese has no unit below 万."""

_COMPACT_UNITS: Final = frozenset({"currency", "count"})
_EVERY_YEAR_MONTH: Final = re.compile(r"^\*-(0[1-9]|1[0-2])$")
_MONTH: Final = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_EVERY_YEAR_QUARTER: Final = re.compile(r"^\*-[Qq]([1-4])$")
_QUARTER: Final = re.compile(r"^(\d{4})-[Qq]([1-4])$")


@lru_cache(maxsize=16)
def babel_locale(locale: str) -> Locale:
    """The Babel locale of a framework locale code (``zh``, ``en``, ``zh-TW``); English when Babel has none."""
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def quantity_text(value: float, unit: str | None, locale: str) -> str:
    """``value`` in its unit, written for ``locale``: compact for large money and counts, else plain.

    >>> quantity_text(500_000, "currency", "en"), quantity_text(6_500_000, "count", "zh")
    ('500K', '650万')
    >>> quantity_text(0.35, "percent", "en"), quantity_text(5000, "currency", "en")
    ('35%', '5000')
    """
    if unit not in _COMPACT_UNITS or abs(value) < COMPACT_FROM:
        return format_quantity(value, unit)
    return format_compact_decimal(value, format_type="short", locale=babel_locale(locale), fraction_digits=2)


def period_pattern_text(pattern: str, locale: str) -> str:
    """An event's period pattern in words where it names a month or quarter, else the pattern itself.

    >>> period_pattern_text("*-11", "en"), period_pattern_text("2026-06", "zh"), period_pattern_text("2026-*", "en")
    ('November, every year', '2026年6月', '2026-*')
    """
    where = babel_locale(locale)
    if match := _EVERY_YEAR_MONTH.match(pattern):
        # LLLL: the month's stand-alone full name ("November", "十一月")
        month = format_date(dt.date(2000, int(match[1]), 1), "LLLL", locale=where)
        return translate(locale, "{month}, every year", month=month)
    if match := _MONTH.match(pattern):
        return format_skeleton("yMMMM", dt.date(int(match[1]), int(match[2]), 1), locale=where)
    if match := _EVERY_YEAR_QUARTER.match(pattern):
        return translate(locale, "Q{quarter}, every year", quarter=match[1])
    if match := _QUARTER.match(pattern):
        return translate(locale, "Q{quarter} {year}", quarter=match[2], year=match[1])
    return pattern
