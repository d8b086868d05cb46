"""Period ids (``2026-10``, ``2026-Q4``, ``2026``) and the roll-up of monthly actuals.

A period is a calendar month, quarter or year, written as a string in YAML, CSV and the API:

==========  ===========  ==========================================
kind        id           covers
==========  ===========  ==========================================
month       ``2026-10``  October 2026 (two-digit month)
quarter     ``2026-Q4``  October to December 2026 (``2026-q4`` too)
year        ``2026``     January to December 2026
==========  ===========  ==========================================

Years run from 1900 to 2999. Periods sort by the month they end in, and a shorter period before a
longer one ending in the same month, so a sorted list reads like a report: ``2026-10``, ``2026-11``,
``2026-12``, ``2026-Q4``, ``2026``.

Event ``periods`` are shell-style patterns over these ids (``*-11`` is every November, ``2026-Q*``
every quarter of 2026); :func:`validate_pattern` refuses a pattern that can match no id at all.

Monthly actuals roll up to quarters and years with :func:`rollup`, using each metric's
``aggregate`` (``sum``, ``mean``, ``last``, ``min`` or ``max``). Formula metrics are not rolled
up: they are recomputed from their rolled-up inputs, so a quarterly conversion rate is
``Σ orders / Σ visitors`` and not the mean of three monthly rates.

Example:
    >>> q4 = Period.parse("2026-Q4")
    >>> [str(month) for month in q4.months()]
    ['2026-10', '2026-11', '2026-12']
    >>> Period.parse("2026-11").matches("*-11")
    True
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import translate
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Final, Literal, TypeAlias

from ecomperf.errors import PeriodError

__all__ = [
    "CYCLE_KIND",
    "MAX_YEAR",
    "MIN_YEAR",
    "MONTHS_IN",
    "Period",
    "PeriodError",
    "PeriodKind",
    "cycle_kind",
    "cycle_months",
    "is_consecutive",
    "rollup",
    "validate_pattern",
]

PeriodKind: TypeAlias = Literal["month", "quarter", "year"]

MIN_YEAR: Final = 1900
"""Earliest year a period id may name."""

MAX_YEAR: Final = 2999
"""Latest year a period id may name."""

CYCLE_KIND: Final[Mapping[str, PeriodKind]] = MappingProxyType(
    {
        "daily": "month",
        "weekly": "month",
        "monthly": "month",
        "quarterly": "quarter",
        "annual": "year",
    }
)
"""The period kind a metric or scorecard ``cycle`` is scored over.

Actuals are reported per month at the finest, so ``daily`` and ``weekly`` metrics (reviewed every
day or week in operations) are scored over months, like ``monthly`` ones.

Example:
    >>> CYCLE_KIND["quarterly"]
    'quarter'
"""

MONTHS_IN: Final[Mapping[str, int]] = MappingProxyType({"month": 1, "quarter": 3, "year": 12})
"""How many months a period of each kind spans: the one home of "how many months"."""


def cycle_kind(cycle: str) -> PeriodKind:
    """The period kind a ``cycle`` is scored over (see :data:`CYCLE_KIND`).

    Raises:
        PeriodError: ``cycle`` is not one of the known cycles (the message lists them).

    Example:
        >>> cycle_kind("quarterly")
        'quarter'
    """
    try:
        return CYCLE_KIND[cycle]
    except KeyError:
        known = ", ".join(CYCLE_KIND)
        raise PeriodError(f"{cycle!r} is not a review cycle; use one of {known}") from None


def cycle_months(cycle: str) -> int:
    """How many months a KPI of ``cycle`` is reviewed over (``daily`` and ``weekly`` count as one month).

    Example:
        >>> cycle_months("annual")
        12
    """
    return MONTHS_IN[cycle_kind(cycle)]


_COUNT: Final[Mapping[str, int]] = MappingProxyType({"month": 12, "quarter": 4, "year": 1})
_USAGE: Final = "use 2026-10 (month), 2026-Q4 (quarter) or 2026 (year)"
_ID = re.compile(r"(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|[Qq](?P<quarter>\d)))?")


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """A calendar month, quarter or year.

    Build one with :meth:`parse`; ``Period(kind, year, index)`` also works and checks its arguments.

    Attributes:
        kind: ``"month"``, ``"quarter"`` or ``"year"``.
        year: 1900 to 2999.
        index: The month (1-12) or quarter (1-4) within the year; 1 for a year.

    Example:
        >>> Period.parse("2026-q4")
        Period(kind='quarter', year=2026, index=4)
        >>> sorted(Period.parse(text) for text in ["2026", "2026-Q4", "2026-12"])[0]
        Period(kind='month', year=2026, index=12)
    """

    # Ordering compares these two first: the month the period ends in, then its length.
    _end: int = field(init=False, repr=False)
    _length: int = field(init=False, repr=False)
    kind: PeriodKind
    year: int
    index: int = 1

    def __post_init__(self) -> None:
        if self.kind not in MONTHS_IN:
            raise PeriodError(f"period kind must be 'month', 'quarter' or 'year', not {self.kind!r}")
        if type(self.year) is not int or not MIN_YEAR <= self.year <= MAX_YEAR:
            raise PeriodError(f"period year must be a whole number from {MIN_YEAR} to {MAX_YEAR}, not {self.year!r}")
        if type(self.index) is not int or not 1 <= self.index <= _COUNT[self.kind]:
            raise PeriodError(f"a {self.kind} index runs from 1 to {_COUNT[self.kind]}, not {self.index!r}")
        length = MONTHS_IN[self.kind]
        object.__setattr__(self, "_end", self.year * 12 + self.index * length - 1)
        object.__setattr__(self, "_length", length)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a period id.

        Args:
            text: ``YYYY-MM`` (two-digit month), ``YYYY-Qn`` (or ``YYYY-qn``) or ``YYYY``; surrounding
                spaces are ignored.

        Returns:
            The period.

        Raises:
            PeriodError: ``text`` is not a period id, or not a string (a bare ``2026`` in YAML is a
                number: quote it).

        Example:
            >>> str(Period.parse("2026-10")), str(Period.parse("2026-q4")), str(Period.parse("2026"))
            ('2026-10', '2026-Q4', '2026')
        """
        if not isinstance(text, str):
            if isinstance(text, int) and not isinstance(text, bool):
                raise PeriodError(f"period {text} is a number; period ids are text: quote it as '{text}'")
            raise PeriodError(f"a period id must be text such as '2026-10', not {type(text).__name__}")
        return _parse(text)

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        return str(self.year)

    @property
    def _start(self) -> int:
        return self._end - self._length + 1

    def months(self) -> tuple[Period, ...]:
        """The months this period covers, in order.

        Example:
            >>> [str(month) for month in Period.parse("2026-Q2").months()]
            ['2026-04', '2026-05', '2026-06']
        """
        return tuple(_month_at(ordinal) for ordinal in range(self._start, self._end + 1))

    def contains(self, other: Period) -> bool:
        """Whether every month of ``other`` lies within this period (a period contains itself).

        Example:
            >>> Period.parse("2026").contains(Period.parse("2026-Q3"))
            True
        """
        return self._start <= other._start and other._end <= self._end

    def parent(self, kind: PeriodKind) -> Period:
        """The period of ``kind`` that contains this one.

        Args:
            kind: ``"quarter"`` or ``"year"`` (or this period's own kind, which returns it unchanged).

        Raises:
            PeriodError: ``kind`` is shorter than this period (a quarter has no single parent month).

        Example:
            >>> str(Period.parse("2026-11").parent("quarter"))
            '2026-Q4'
        """
        if kind not in MONTHS_IN:
            raise PeriodError(f"period kind must be 'month', 'quarter' or 'year', not {kind!r}")
        length = MONTHS_IN[kind]
        if length < self._length:
            raise PeriodError(f"{self} is a {self.kind}; it lies in no single {kind}")
        month_in_year = self._start % 12  # 0-based
        return Period(kind, self.year, month_in_year // length + 1)

    def next(self) -> Period:
        """The following period of the same kind.

        Raises:
            PeriodError: There is none before the year 3000.

        Example:
            >>> str(Period.parse("2026-12").next()), str(Period.parse("2026-Q4").next())
            ('2027-01', '2027-Q1')
        """
        return self._shift(1)

    def previous(self) -> Period:
        """The preceding period of the same kind.

        Raises:
            PeriodError: There is none after 1899.

        Example:
            >>> str(Period.parse("2026-01").previous())
            '2025-12'
        """
        return self._shift(-1)

    def _shift(self, steps: int) -> Period:
        position = (self.year - MIN_YEAR) * _COUNT[self.kind] + self.index - 1 + steps
        year, index = divmod(position, _COUNT[self.kind])
        year += MIN_YEAR
        if not MIN_YEAR <= year <= MAX_YEAR:
            neighbour = "next" if steps > 0 else "previous"
            raise PeriodError(f"periods run from {MIN_YEAR} to {MAX_YEAR}; {self} has no {neighbour}")
        return Period(self.kind, year, index + 1)

    def matches(self, pattern: str) -> bool:
        """Whether the id matches a shell-style pattern (``*``, ``?``, ``[...]``); ``q`` matches ``Q``.

        Example:
            >>> Period.parse("2026-11").matches("*-11"), Period.parse("2026-Q4").matches("2026-q*")
            (True, True)
        """
        return _pattern(pattern)(str(self)) is not None


def is_consecutive(earlier: Period, later: Period) -> bool:
    """Whether ``later`` directly follows ``earlier`` and both are of the same kind.

    Example:
        >>> is_consecutive(Period.parse("2026-12"), Period.parse("2027-01"))
        True
        >>> is_consecutive(Period.parse("2026-12"), Period.parse("2027-Q1"))
        False
    """
    return earlier.kind == later.kind and later._end - earlier._end == earlier._length


def validate_pattern(pattern: str) -> None:
    """Refuse a period pattern that can match no period id at all.

    Args:
        pattern: A shell-style pattern such as ``*-11``, ``2026-06`` or ``2026-Q*``.

    Raises:
        PeriodError: The pattern is not text, is empty, or matches no month, quarter or year id.

    Example:
        >>> validate_pattern("*-11")
        >>> validate_pattern("*-13")
        Traceback (most recent call last):
        ...
        ecomperf.errors.PeriodError: period pattern '*-13' matches no period id; patterns match ids such \
as 2026-10 (month), 2026-Q4 (quarter) or 2026 (year), e.g. '*-11' for every November
    """
    if not isinstance(pattern, str) or not pattern.strip():
        raise PeriodError(f"a period pattern must be non-empty text such as '*-11', not {pattern!r}")
    match = _pattern(pattern)
    # Nearly every real pattern matches an id of this century; the full range is only searched
    # for the rest, such as '1999-*' or patterns that are wrong.
    if any(match(text) for text in _ids(2000, 2099)) or any(match(text) for text in _ids(MIN_YEAR, MAX_YEAR)):
        return
    raise PeriodError(
        f"period pattern {pattern!r} matches no period id; patterns match ids such as 2026-10 (month), "
        "2026-Q4 (quarter) or 2026 (year), e.g. '*-11' for every November"
    )


_Rollup: TypeAlias = Callable[[Sequence[float]], float]
_ROLLUPS: Final[Mapping[str, _Rollup]] = MappingProxyType(
    {
        "sum": math.fsum,
        "mean": lambda values: math.fsum(values) / len(values),
        "last": lambda values: float(values[-1]),
        "min": lambda values: float(min(values)),
        "max": lambda values: float(max(values)),
    }
)


def rollup(values: Sequence[float], how: str) -> float:
    """Combine a metric's values over consecutive periods into one value for the longer period.

    Args:
        values: The values in chronological order, e.g. the three monthly values of a quarter.
        how: ``"sum"``, ``"mean"``, ``"last"``, ``"min"`` or ``"max"`` (a metric's ``aggregate``).
            Formula metrics (``recompute``) are evaluated from their rolled-up inputs instead.

    Returns:
        The combined value (``sum`` uses ``math.fsum``, so it does not drift with order).

    Raises:
        ValueError: ``values`` is empty or ``how`` is not one of the above.

    Example:
        >>> rollup([120.0, 100.0, 80.0], "sum"), rollup([120.0, 100.0, 80.0], "last")
        (300.0, 80.0)
    """
    if how not in _ROLLUPS:
        hint = (
            "formula metrics are recomputed from their rolled-up inputs"
            if how == "recompute"
            else "use sum, mean, last, min or max"
        )
        raise PeriodError(f"cannot roll up values by {how!r}: {hint}")
    if len(values) == 0:
        raise PeriodError(f"no values to roll up by {how!r}")
    return _ROLLUPS[how](values)


# --- helpers ---------------------------------------------------------------------------------------


def _month_at(ordinal: int) -> Period:
    year, month = divmod(ordinal, 12)
    return Period("month", year, month + 1)


@lru_cache(maxsize=4096)
def _parse(text: str) -> Period:
    found = _ID.fullmatch(text.strip())
    if found is None:
        raise PeriodError(f"{text!r} is not a period id{_why_not(text.strip())}; {_USAGE}")
    year = int(found["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"{text!r} is not a period id (years run {MIN_YEAR}-{MAX_YEAR}); {_USAGE}")
    if found["month"] is not None:
        month = int(found["month"])
        if not 1 <= month <= 12:
            raise PeriodError(f"{text!r} is not a period id (months run 01-12); {_USAGE}")
        return Period("month", year, month)
    if found["quarter"] is not None:
        quarter = int(found["quarter"])
        if not 1 <= quarter <= 4:
            raise PeriodError(f"{text!r} is not a period id (quarters run Q1-Q4); {_USAGE}")
        return Period("quarter", year, quarter)
    return Period("year", year)


def _why_not(text: str) -> str:
    if re.fullmatch(r"\d{4}-\d", text):
        return f" (write the month with two digits: {text[:5]}0{text[5:]})"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return " (that is a date; scores are per month, quarter or year)"
    return ""


@lru_cache(maxsize=256)
def _pattern(pattern: str) -> Callable[[str], re.Match[str] | None]:
    # Ids spell quarters with a capital Q; patterns may use either case, like Period.parse.
    return re.compile(translate(pattern.replace("q", "Q"))).match


@cache
def _ids(first_year: int, last_year: int) -> tuple[str, ...]:
    suffixes = [
        "",
        *(f"-{month:02d}" for month in range(1, 13)),
        *(f"-Q{quarter}" for quarter in range(1, 5)),
    ]
    return tuple(f"{year}{suffix}" for year in range(first_year, last_year + 1) for suffix in suffixes)
