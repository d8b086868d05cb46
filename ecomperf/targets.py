"""Targets and quantities: the shorthand HR writes in YAML, parsed into exact numbers.

Quantities (anywhere a number is accepted)::

    35%      -> 0.35            2000万 -> 20_000_000       1.2亿 -> 120_000_000
    15k      -> 15_000          2M     -> 2_000_000        24h   -> 24 (hours)   7d -> 7 (days)

Targets always carry an operator, so a target never has to be guessed from the metric's direction::

    ">= 95%"   "> 0"   "<= 24h"   "< 2%"   "== 0"   "90%..95%"       (shorthand)
    {op: ">=", value: 0.95}         {min: 0.9, max: 0.95}              (long forms)

``≥``, ``≤`` and ``=`` are accepted as spellings of ``>=``, ``<=`` and ``==``.

A comma only separates thousands, in groups of three (``1,500,000``, ``1,200万``); a decimal comma
(``0,5``) or stray grouping (``1,2,3,4``) is refused rather than read as another number. Numbers must be
finite and within the range of a float (about ±1.8e308); anything larger is refused as too large before any
arithmetic, so no input can raise ``OverflowError`` or a ``decimal`` signal.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict

from ecomperf.errors import QuantityError, TargetError, short_repr

__all__ = [
    "NUMBER_FORMS",
    "OPERATOR_PATTERN",
    "QUANTITY_PATTERN",
    "TARGET_PATTERN",
    "Operator",
    "QuantityError",
    "Target",
    "TargetError",
    "format_quantity",
    "parse_quantity",
    "parse_target",
    "too_large",
]

Operator = Literal[">=", ">", "<=", "<", "==", "range"]

_SUFFIXES: dict[str, Decimal] = {
    "%": Decimal("0.01"),
    "万": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "k": Decimal(1_000),
    "K": Decimal(1_000),
    "M": Decimal(1_000_000),
    "h": Decimal(1),
    "d": Decimal(1),
    "": Decimal(1),
}
# The grammar of quantities and targets, written once: the parser compiles it and the JSON Schema for
# editors (ecomperf.schema) carries it as "pattern", so an editor refuses exactly what the parser does.
# Only constructs common to Python's re and ECMA-262 (the dialect of JSON Schema patterns) are used.
# A number's digits are grouped by commas in threes (1,500,000) or plain, with optional underscores
# between digits (1_000): "0,5" and "1,2,3,4" fit neither, so they are refused, never read as 5 or 1234.
_NUMBER = r"[+-]?(?:(?:[1-9]\d{0,2}(?:,\d{3})+|\d+(?:_\d+)*)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_SUFFIX = r"%|万|亿|k|K|M|h|d"
_OPERATORS = r">=|<=|==|≥|≤|>|<|="
_SHORT_QUANTITY = rf"{_NUMBER}\s*(?:{_SUFFIX})?"
QUANTITY_PATTERN = rf"^\s*{_SHORT_QUANTITY}\s*$"
"""The shorthand quantity as a regular expression (``"35%"``, ``"2000万"``, ``" 1.5k "``)."""
TARGET_PATTERN = rf"^\s*(?:(?:{_OPERATORS})\s*{_SHORT_QUANTITY}|{_SHORT_QUANTITY}\s*\.\.\s*{_SHORT_QUANTITY})\s*$"
"""The shorthand target as a regular expression: an operator and a quantity, or ``low..high``."""
OPERATOR_PATTERN = rf"^\s*(?:{_OPERATORS})\s*$"
"""The operator of a long-form target (``{op: ">=", value: 0.95}``), as a regular expression."""
_QUANTITY = re.compile(rf"\s*({_NUMBER})\s*({_SUFFIX})?\s*")
_LARGEST_EXPONENT: Final = 309
"""Decimal exponent above which a number cannot be a float (the largest float is about 1.8e308)."""
NUMBER_FORMS: Final = 'a number such as 0.35, "35%", "2000万", "1.2亿", "15k" or "24h"'
"""The number forms accepted wherever a number is, as messages name them."""
_COMMA_HINT: Final = (
    "a comma only separates thousands, in groups of three (1,500,000); write a decimal with a point (0.5)"
)
_OPERATOR = re.compile(rf"^\s*({_OPERATORS})\s*(.*)$", re.DOTALL)
_SPELLINGS: dict[str, Operator] = {
    ">=": ">=",
    "≥": ">=",
    "<=": "<=",
    "≤": "<=",
    "==": "==",
    "=": "==",
    ">": ">",
    "<": "<",
}
_TARGET_EXAMPLES = '">= 95%", "<= 24h", "< 2%", "== 0", "90%..95%" or {op: ">=", value: 0.95}'


def too_large(shown: str) -> str:
    """The message for a number beyond the float range, one wording everywhere."""
    return f"{shown} is too large: numbers must lie between -1.8e308 and 1.8e308"


def parse_quantity(raw: object) -> float:
    """Turn a number or shorthand such as ``"35%"``, ``"2000万"`` or ``"24h"`` into a float.

    Args:
        raw: an int, float or string.

    Returns:
        The value as a finite float (percentages as fractions).

    Raises:
        QuantityError: booleans, NaN, infinities, numbers beyond the float range, empty strings, unknown
            suffixes, decimal commas and commas that do not group thousands in threes.

    >>> parse_quantity("35%"), parse_quantity("2000万"), parse_quantity(4)
    (0.35, 20000000.0, 4.0)
    """
    if isinstance(raw, bool):
        raise QuantityError(f"expected a number, got the boolean {str(raw).lower()}")
    if isinstance(raw, int):
        try:
            value = float(raw)
        except OverflowError:
            raise QuantityError(too_large(short_repr(raw))) from None
    elif isinstance(raw, float):
        value = raw
    elif isinstance(raw, str):
        value = _parse_text(raw)
    else:
        raise QuantityError(f"expected a number, got {type(raw).__name__} {short_repr(raw)}")
    if math.isinf(value) and not isinstance(raw, float):
        raise QuantityError(too_large(short_repr(raw)))
    if not math.isfinite(value):
        raise QuantityError(f"expected a finite number, got {short_repr(raw)}")
    return value


def _parse_text(raw: str) -> float:
    match = _QUANTITY.fullmatch(raw)
    if not match:
        if "," in raw and _QUANTITY.fullmatch(raw.replace(",", "")):
            raise QuantityError(f"{short_repr(raw)} is not a number: {_COMMA_HINT}")
        raise QuantityError(f"expected {NUMBER_FORMS}, got {short_repr(raw)}")
    mantissa, _, exponent = match.group(1).replace(",", "").replace("_", "").lower().partition("e")
    significand = Decimal(mantissa)
    if significand.is_zero():
        return 0.0
    # Judge the size before building the Decimal: an exponent such as e9999999999999999999999 is beyond
    # what decimal can even represent, and e1000000 overflows its default context.
    digits = exponent.lstrip("+-").lstrip("0")
    if len(digits) > 6:
        if exponent.startswith("-"):
            return 0.0 if significand > 0 else -0.0  # far below the smallest float: it rounds to zero
        raise QuantityError(too_large(short_repr(raw)))
    magnitude = significand.adjusted() + int(exponent or 0)
    if magnitude > _LARGEST_EXPONENT:
        raise QuantityError(too_large(short_repr(raw)))
    if magnitude < -_LARGEST_EXPONENT - 30:
        return 0.0 if significand > 0 else -0.0
    # scale in decimal so that "35%" is exactly 0.35 and "1.2亿" exactly 120000000
    return float(significand.scaleb(int(exponent or 0)) * _SUFFIXES[match.group(2) or ""])


def format_quantity(value: float, unit: str | None = None) -> str:
    """Format a number for people, in the metric's unit.

    Money of 10,000 or more is shown in 万 (2 decimals) or 亿 (4 decimals), as Chinese finance reports do.

    >>> format_quantity(0.35, "percent"), format_quantity(20_000_000, "currency"), format_quantity(24, "hours")
    ('35%', '2000万', '24h')
    """
    if unit == "percent":
        return f"{_trim(value * 100)}%"
    if unit == "hours":
        return f"{_trim(value)}h"
    if unit == "days":
        return f"{_trim(value)}d"
    if unit == "currency" and abs(value) >= 1e8:
        return f"{_trim(round(value / 1e8, 4))}亿"
    if unit == "currency" and abs(value) >= 1e4:
        return f"{_trim(round(value / 1e4, 2))}万"
    return _trim(value)


def _trim(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


class Target(BaseModel):
    """A resolved target: an operator and a value, or a closed range ``[low, high]``.

    >>> t = parse_target(">= 95%")
    >>> t.op, t.value, t.is_met(0.96)
    ('>=', 0.95, True)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    op: Operator
    value: float | None = None
    low: float | None = None
    high: float | None = None
    text: str = ""

    def is_met(self, actual: float) -> bool:
        """Whether ``actual`` satisfies the target."""
        if self.op == "range":
            assert self.low is not None and self.high is not None
            return self.low <= actual <= self.high
        assert self.value is not None
        return {
            ">=": actual >= self.value,
            ">": actual > self.value,
            "<=": actual <= self.value,
            "<": actual < self.value,
            "==": actual == self.value,
        }[self.op]

    @property
    def reference(self) -> float:
        """The single number a ratio score is taken against (the range midpoint for ranges)."""
        if self.op == "range":
            assert self.low is not None and self.high is not None
            return (self.low + self.high) / 2
        assert self.value is not None
        return self.value

    def display(self, unit: str | None = None) -> str:
        """Human text in the metric's unit, e.g. ``">= 95%"`` or ``"90%..95%"``."""
        if self.op == "range":
            assert self.low is not None and self.high is not None
            return f"{format_quantity(self.low, unit)}..{format_quantity(self.high, unit)}"
        assert self.value is not None
        return f"{self.op} {format_quantity(self.value, unit)}"

    def __str__(self) -> str:
        return self.text or self.display()


def parse_target(raw: object) -> Target:
    """Parse a target from its shorthand string or long-form mapping.

    Raises:
        TargetError: naming what was given and showing valid forms.

    >>> parse_target("90%..95%").low, parse_target({"op": "<=", "value": "24h"}).value
    (0.9, 24.0)
    """
    if isinstance(raw, Target):
        return raw
    if isinstance(raw, str):
        return _parse_shorthand(raw)
    if isinstance(raw, Mapping):
        return _parse_long_form(raw)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        shown = short_repr(raw)
        raise TargetError(f'target {shown} has no operator; write it with one, e.g. ">= {shown}" or "<= {shown}"')
    raise TargetError(f"expected a target such as {_TARGET_EXAMPLES}, got {type(raw).__name__} {short_repr(raw)}")


def _parse_shorthand(text: str) -> Target:
    stripped = text.strip()
    if ".." in stripped:
        low_text, _, high_text = stripped.partition("..")
        low, high = _quantity_in_target(low_text, text), _quantity_in_target(high_text, text)
        return _range(low, high, text)
    match = _OPERATOR.match(stripped)
    if not match:
        raise TargetError(f"target {short_repr(text)} has no operator; expected a target such as {_TARGET_EXAMPLES}")
    op = _SPELLINGS[match.group(1)]
    return Target(op=op, value=_quantity_in_target(match.group(2), text), text=stripped)


def _parse_long_form(raw: Mapping[Any, Any]) -> Target:
    keys = set(raw)
    if keys == {"op", "value"}:
        op_text = raw["op"]
        if not isinstance(op_text, str) or op_text.strip() not in _SPELLINGS:
            raise TargetError(f"target operator {short_repr(op_text)} is not one of >=, >, <=, <, ==")
        value = _quantity_in_target(raw["value"], raw)
        op = _SPELLINGS[op_text.strip()]
        return Target(op=op, value=value, text=f"{op} {raw['value']}")
    if keys == {"min", "max"}:
        low, high = _quantity_in_target(raw["min"], raw), _quantity_in_target(raw["max"], raw)
        return _range(low, high, f"{raw['min']}..{raw['max']}")
    raise TargetError(
        f"a target mapping takes either {{op, value}} or {{min, max}}, got keys {short_repr(sorted(map(str, keys)))}; "
        f'e.g. {{op: ">=", value: 0.95}} or {{min: 0.9, max: 0.95}}'
    )


def _quantity_in_target(raw: object, whole: object) -> float:
    if isinstance(raw, str) and not raw.strip():
        raise TargetError(f"target {short_repr(whole)} is missing its number; expected e.g. {_TARGET_EXAMPLES}")
    try:
        return parse_quantity(raw.strip() if isinstance(raw, str) else raw)
    except QuantityError as exc:
        label = f"target {short_repr(whole)}" if isinstance(whole, str) else "target"
        raise TargetError(f"{label}: {exc}") from None


def _range(low: float, high: float, text: str) -> Target:
    if low > high:
        raise TargetError(
            f'target range {short_repr(text)} runs backwards; write the lower bound first, e.g. "90%..95%"'
        )
    return Target(op="range", low=low, high=high, text=text.strip())
