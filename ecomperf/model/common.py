"""Building blocks shared by every document kind: ids, localised text, quantities, targets."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from ecomperf.problems import SourceMap, Span
from ecomperf.targets import QuantityError, Target, TargetError, parse_quantity, parse_target

__all__ = [
    "API_VERSION",
    "Cycle",
    "Document",
    "DutyRef",
    "FrameworkId",
    "Id",
    "LocalizedText",
    "Node",
    "Quantity",
    "TargetSpec",
    "localize",
]

API_VERSION = "ecomperf/v1"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_FRAMEWORK_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_DUTY_REF = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")

Cycle = Literal["daily", "weekly", "monthly", "quarterly", "annual"]


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise PydanticCustomError(
            "EP104",
            "id {value!r} must be snake_case ASCII: lowercase letters, digits and '_', starting with a letter "
            "(e.g. store_manager)",
            {"value": value},
        )
    return value


def _check_framework_id(value: str) -> str:
    if not _FRAMEWORK_ID.match(value):
        raise PydanticCustomError(
            "EP104",
            "framework id {value!r} must be lowercase ASCII letters, digits, '_' or '-' (e.g. ecommerce-ops)",
            {"value": value},
        )
    return value


def _check_duty_ref(value: str) -> str:
    if not _DUTY_REF.match(value):
        raise PydanticCustomError(
            "EP104",
            "duty reference {value!r} must be 'module_id.duty_id' or 'position_id.duty_id' "
            "(e.g. channel_ops.expansion)",
            {"value": value},
        )
    return value


def _check_text(value: str | dict[str, str]) -> str | dict[str, str]:
    if isinstance(value, str):
        if not value.strip():
            raise PydanticCustomError("EP104", "text must not be empty", {})
        return value
    if not value:
        raise PydanticCustomError("EP104", "localised text needs at least one locale, e.g. {{zh: ..., en: ...}}", {})
    for locale, text in value.items():
        if not _LOCALE.match(locale):
            raise PydanticCustomError("EP104", "{locale!r} is not a locale code such as zh or en", {"locale": locale})
        if not text.strip():
            raise PydanticCustomError("EP104", "text for locale {locale!r} is empty", {"locale": locale})
    return value


def _to_quantity(value: Any) -> float:
    try:
        return parse_quantity(value)
    except QuantityError as exc:
        raise PydanticCustomError("EP104", "{reason}", {"reason": str(exc)}) from None


def _to_target(value: Any) -> Target:
    try:
        return parse_target(value)
    except TargetError as exc:
        raise PydanticCustomError("EP104", "{reason}", {"reason": str(exc)}) from None


Id = Annotated[str, AfterValidator(_check_id)]
"""A snake_case ASCII identifier such as ``store_manager``."""

FrameworkId = Annotated[str, AfterValidator(_check_framework_id)]
"""A framework id: lowercase ASCII, ``-`` allowed (``ecommerce-ops``)."""

DutyRef = Annotated[str, AfterValidator(_check_duty_ref)]
"""A reference to a duty: ``module_id.duty_id`` or ``position_id.duty_id``."""

LocalizedText = Annotated[str | dict[str, str], AfterValidator(_check_text)]
"""Text shown to people: a plain string in the framework's default locale, or ``{zh: ..., en: ...}``."""

Quantity = Annotated[
    float,
    BeforeValidator(_to_quantity),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": r"^\s*[+-]?[\d.,_]+(?:[eE][+-]?\d+)?\s*(%|万|亿|k|K|M|h|d)?\s*$"},
            ],
            "description": 'A number, or shorthand such as "35%", "2000万", "1.2亿", "15k", "24h".',
        }
    ),
]
"""A number that also accepts the shorthand ``"35%"``, ``"2000万"``, ``"1.2亿"``, ``"15k"``, ``"24h"``."""

TargetSpec = Annotated[
    Target,
    BeforeValidator(_to_target),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "description": 'e.g. ">= 95%", "<= 24h", "== 0", "90%..95%"'},
                {
                    "type": "object",
                    "properties": {"op": {"enum": [">=", ">", "<=", "<", "=="]}, "value": {}},
                    "required": ["op", "value"],
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "properties": {"min": {}, "max": {}},
                    "required": ["min", "max"],
                    "additionalProperties": False,
                },
            ]
        }
    ),
]
"""A target: shorthand string or long form; see :mod:`ecomperf.targets`."""


def localize(text: str | dict[str, str] | None, locale: str, fallback: str) -> str:
    """Pick ``text`` in ``locale``, else in ``fallback``, else any locale given; ``""`` for ``None``.

    >>> localize({"zh": "店长", "en": "Store manager"}, "en", "zh")
    'Store manager'
    """
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if locale in text:
        return text[locale]
    if fallback in text:
        return text[fallback]
    return next(iter(text.values()))


class Node(BaseModel):
    """Base of every model: frozen, and unknown fields are errors rather than silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Document(Node):
    """Base of the top-level YAML documents; remembers where it was read from."""

    api_version: Literal["ecomperf/v1"] = Field(alias="apiVersion")
    id: Id
    _source: SourceMap | None = PrivateAttr(default=None)

    @property
    def source_map(self) -> SourceMap:
        """Where each part of this document sits in its file (an empty map for objects built in code)."""
        return self._source if self._source is not None else SourceMap("<memory>")

    def span(self, *path: str | int) -> Span:
        """Location of ``path`` inside this document, falling back to the nearest ancestor."""
        return self.source_map.span(*path)
