"""Actual values as people write them: numbers, shorthand (``"35%"``, ``"2000万"``) and "not applicable".

An actual is the measured value of one metric for one period. It arrives from Python code, CSV cells,
spreadsheets or JSON, so :func:`parse_actual` accepts what an HR analyst would type::

    0.35   35%   "35%"   21500000   "2150万"   "1.2亿"   "15k"   "24h"       -> a float
    "n/a"  "N/A"  "不适用"                                                   -> NOT_APPLICABLE

and refuses, with a message naming the metric and the value, everything that would silently corrupt a
bonus: NaN, infinities, booleans (a spreadsheet ``TRUE`` is not 1), empty strings and text that is
not a number.

Example:
    >>> parse_actual("gross_margin", "35%")
    0.35
    >>> parse_actual("gmv", "不适用")
    n/a
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from numbers import Rational
from typing import Final, SupportsFloat

from ecomperf.errors import ActualError, QuantityError, short_repr
from ecomperf.model.index import FrameworkIndex
from ecomperf.scoring.bounds import out_of_range
from ecomperf.targets import parse_quantity, too_large

__all__ = [
    "NOT_APPLICABLE",
    "ActualError",
    "NotApplicable",
    "Parsed",
    "is_not_applicable",
    "parse_actual",
    "parse_values",
]

_NOT_APPLICABLE_TEXTS: Final = frozenset({"n/a", "不适用"})


class NotApplicable:
    """The type of :data:`NOT_APPLICABLE`, the marker for a KPI that does not apply this period.

    There is exactly one instance; compare with ``is``. It pickles and copies to itself.

    Example:
        >>> NotApplicable() is NOT_APPLICABLE
        True
    """

    _instance: NotApplicable | None = None
    __slots__ = ()

    def __new__(cls) -> NotApplicable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "n/a"

    def __reduce__(self) -> str:
        return "NOT_APPLICABLE"

    def __bool__(self) -> bool:
        return False


NOT_APPLICABLE: Final = NotApplicable()
"""Marks an actual as "not applicable": the KPI is left off the card and the other weights renormalised."""


def is_not_applicable(raw: object) -> bool:
    """Whether ``raw`` says "not applicable": :data:`NOT_APPLICABLE`, ``"n/a"`` (any case) or ``"不适用"``.

    Example:
        >>> is_not_applicable(" N/A "), is_not_applicable("0")
        (True, False)
    """
    if raw is NOT_APPLICABLE:
        return True
    return isinstance(raw, str) and raw.strip().lower() in _NOT_APPLICABLE_TEXTS


def parse_actual(metric_id: str, raw: object) -> float | NotApplicable:
    """Read one actual value.

    Args:
        metric_id: the metric the value belongs to (named in error messages).
        raw: an int or float (numpy numbers and Decimals too), a string with an optional suffix
            (``%``, ``万``, ``亿``, ``k``, ``M``, ``h``, ``d``; see :func:`ecomperf.targets.parse_quantity`),
            or a "not applicable" marker (``"n/a"``, ``"N/A"``, ``"不适用"``, :data:`NOT_APPLICABLE`).

    Returns:
        The value as a finite float (percentages as fractions), or :data:`NOT_APPLICABLE`.

    Raises:
        ActualError: ``raw`` is NaN, infinite, beyond the float range (about ±1.8e308, whatever its type:
            a 5,000-digit integer, a ``Fraction``, ``Decimal("1e1000000")``), a boolean, ``None``, an empty
            string, text that is not a number, or a decimal comma (``"0,5"``); the message names the metric
            and the value.

    Example:
        >>> parse_actual("gmv", "2000万"), parse_actual("repurchase_rate", 0.35)
        (20000000.0, 0.35)
    """
    if is_not_applicable(raw):
        return NOT_APPLICABLE
    numpy = sys.modules.get("numpy")  # a numpy value can only exist once numpy is imported
    if isinstance(raw, bool) or (numpy is not None and isinstance(raw, numpy.bool_)):
        raise ActualError(metric_id, raw, "a yes/no value is not a number; give the measured value")
    if raw is None:
        raise ActualError(metric_id, raw, "no value; leave the metric out, or write \"n/a\" if it does not apply")
    if isinstance(raw, str) and not raw.strip():
        raise ActualError(metric_id, raw, "the text is empty; give a number, or \"n/a\" if it does not apply")
    number = raw
    if not isinstance(raw, int | float | str) and isinstance(raw, SupportsFloat):
        number = _float_of(metric_id, raw)  # numpy numbers, Decimal, Fraction
    try:
        value = parse_quantity(number)
    except QuantityError as exc:
        raise ActualError(metric_id, raw, str(exc).replace(short_repr(number), short_repr(raw))) from None
    if not math.isfinite(value):  # pragma: no cover - parse_quantity already refuses these
        raise ActualError(metric_id, raw, "expected a finite number")
    return value


def _float_of(metric_id: str, raw: SupportsFloat) -> float:
    try:
        value = float(raw)
    except OverflowError:
        raise ActualError(metric_id, raw, too_large("the value")) from None
    except (TypeError, ValueError) as exc:
        raise ActualError(metric_id, raw, f"not a number ({exc})") from None
    # A Fraction or a finite Decimal beyond the float range converts to infinity: too large, not "infinite".
    if math.isinf(value) and (isinstance(raw, Rational) or (isinstance(raw, Decimal) and raw.is_finite())):
        raise ActualError(metric_id, raw, too_large("the value"))
    return value


# --- parsing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    """Values of one mapping of actuals, split into numbers, n/a, unknown names and errors.

    Attributes:
        values: the numbers by metric id.
        not_applicable: metrics marked n/a.
        unknown: names the framework does not declare.
        errors: one message per refused value.
        refused: metrics whose value was refused.
    """

    values: dict[str, float]
    not_applicable: frozenset[str]
    unknown: tuple[str, ...]
    errors: tuple[str, ...]
    refused: frozenset[str] = frozenset()


def parse_values(fw: FrameworkIndex, raw: Mapping[str, object], where: str = "") -> Parsed:
    """Parse one mapping of actuals (metric id → value), collecting every bad value instead of stopping.

    ``None`` values count as absent. Names the framework does not declare are listed in ``unknown`` and
    not parsed. A number outside its metric's valid range (:mod:`ecomperf.scoring.bounds`) is refused like
    one that is not a number.

    Args:
        fw: the framework declaring the metrics.
        raw: metric id → value as given (see :func:`ecomperf.scoring.actuals.parse_actual`).
        where: a period id to prefix error messages with, when the mapping belongs to one.

    Returns:
        The parsed values and the problems found.
    """
    values: dict[str, float] = {}
    not_applicable: set[str] = set()
    unknown: list[str] = []
    errors: list[str] = []
    refused: set[str] = set()
    for name, value in raw.items():
        if value is None:
            continue
        if name not in fw.metrics:
            unknown.append(str(name))
            continue
        try:
            parsed = parse_actual(name, value)
        except ActualError as exc:
            errors.append(f"{where}: {exc}" if where else str(exc))
            refused.add(name)
            continue
        if isinstance(parsed, NotApplicable):
            not_applicable.add(name)
        elif (impossible := out_of_range(fw.metrics[name], parsed)) is not None:
            error = ActualError(name, value, impossible)
            errors.append(f"{where}: {error}" if where else str(error))
            refused.add(name)
        else:
            values[name] = parsed
    return Parsed(values, frozenset(not_applicable), tuple(unknown), tuple(errors), frozenset(refused))
