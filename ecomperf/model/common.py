"""Building blocks shared by every document kind: ids, localised text, quantities, targets."""


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
from ecomperf.targets import (
    OPERATOR_PATTERN,
    QUANTITY_PATTERN,
    TARGET_PATTERN,
    QuantityError,
    Target,
    TargetError,
    parse_quantity,
    parse_target,
)

__all__ = [
    "API_VERSION",
    "Cycle",
    "Document",
    "DutyRef",
    "FrameworkId",
    "Id",
    "LocalizedText",
    "Node",
    "NonNegativeQuantity",
    "Quantity",
    "TargetSpec",
    "localize",
]

API_VERSION = "ecomperf/v1"
# Always used with fullmatch: `$` alone also matches before a trailing newline, letting "evil\n" through.
# The anchors stay for the JSON Schema, which carries these patterns.
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_FRAMEWORK_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_DUTY_REF = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")

Cycle = Literal["daily", "weekly", "monthly", "quarterly", "annual"]


def _check_id(value: str) -> str:
    if not _ID.fullmatch(value):
        raise PydanticCustomError(
            "EP104",
            "id {value} must be snake_case ASCII: lowercase letters, digits and '_', starting with a letter "
            "(e.g. store_manager)",
            {"value": repr(value)},  # Pydantic fills {value} but not {value!r}
        )
    return value


def _check_framework_id(value: str) -> str:
    if not _FRAMEWORK_ID.fullmatch(value):
        raise PydanticCustomError(
            "EP104",
            "framework id {value} must be lowercase ASCII letters, digits, '_' or '-' (e.g. ecommerce-ops)",
            {"value": repr(value)},
        )
    return value


def _check_duty_ref(value: str) -> str:
    if not _DUTY_REF.fullmatch(value):
        raise PydanticCustomError(
            "EP104",
            "duty reference {value} must be 'module_id.duty_id' or 'position_id.duty_id' "
            "(e.g. channel_ops.expansion)",
            {"value": repr(value)},
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
        if not _LOCALE.fullmatch(locale):
            raise PydanticCustomError(
                "EP104", "{locale} is not a locale code such as zh or en", {"locale": repr(locale)}
            )
        if not text.strip():
            raise PydanticCustomError("EP104", "text for locale {locale} is empty", {"locale": repr(locale)})
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


def _string_schema(pattern: re.Pattern[str], description: str) -> WithJsonSchema:
    # The validator's own regular expression, so that an editor refuses exactly what `validate` does;
    # `patternErrorMessage` (a VS Code / yaml-language-server keyword) shows the description, not the regex.
    return WithJsonSchema(
        {"type": "string", "pattern": pattern.pattern, "description": description, "patternErrorMessage": description}
    )


Id = Annotated[
    str, AfterValidator(_check_id), _string_schema(_ID, "A snake_case ASCII id, e.g. store_manager.")
]
"""A snake_case ASCII identifier such as ``store_manager``."""

FrameworkId = Annotated[
    str,
    AfterValidator(_check_framework_id),
    _string_schema(_FRAMEWORK_ID, "A framework id: lowercase ASCII letters, digits, '_' or '-', e.g. ecommerce-ops."),
]
"""A framework id: lowercase ASCII, ``-`` allowed (``ecommerce-ops``)."""

DutyRef = Annotated[
    str,
    AfterValidator(_check_duty_ref),
    _string_schema(_DUTY_REF, "A duty: module_id.duty_id or position_id.duty_id, e.g. channel_ops.expansion."),
]
"""A reference to a duty: ``module_id.duty_id`` or ``position_id.duty_id``."""

_NON_BLANK = r"\S"
LocalizedText = Annotated[
    str | dict[str, str],
    AfterValidator(_check_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": _NON_BLANK},
                {
                    "type": "object",
                    "minProperties": 1,
                    "propertyNames": {"pattern": _LOCALE.pattern},
                    "additionalProperties": {"type": "string", "pattern": _NON_BLANK},
                },
            ],
            "description": "Text people read: a string in the default locale, or {zh: ..., en: ...}.",
        }
    ),
]
"""Text shown to people: a plain string in the framework's default locale, or ``{zh: ..., en: ...}``."""

_QUANTITY_HELP = 'A number, or shorthand such as "35%", "2000万", "1.2亿", "15k", "24h".'
_TARGET_HELP = 'An operator and a number, or a range: ">= 95%", "<= 24h", "== 0", "90%..95%".'
_QUANTITY_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "number"},
        {"type": "string", "pattern": QUANTITY_PATTERN, "patternErrorMessage": _QUANTITY_HELP},
    ],
    "description": _QUANTITY_HELP,
}

Quantity = Annotated[float, BeforeValidator(_to_quantity), WithJsonSchema(_QUANTITY_SCHEMA)]
"""A number that also accepts the shorthand ``"35%"``, ``"2000万"``, ``"1.2亿"``, ``"15k"``, ``"24h"``."""

NonNegativeQuantity = Annotated[
    float,
    BeforeValidator(_to_quantity),
    Field(ge=0),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0},
                # no leading minus; "-0" is refused although it parses to 0, a harmless difference
                {
                    "type": "string",
                    "pattern": QUANTITY_PATTERN.replace("[+-]?", "[+]?", 1),
                    "patternErrorMessage": 'A number of 0 or more, or shorthand such as "35%", "2000万", "15k".',
                },
            ],
            "description": 'A number of 0 or more, or shorthand such as "35%", "2000万", "15k".',
        }
    ),
]
"""A :data:`Quantity` that must be 0 or more (weights, bonus coefficients)."""

TargetSpec = Annotated[
    Target,
    BeforeValidator(_to_target),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "string",
                    "pattern": TARGET_PATTERN,
                    "description": _TARGET_HELP,
                    "patternErrorMessage": _TARGET_HELP,
                },
                {
                    "type": "object",
                    "properties": {
                        "op": {
                            "type": "string",
                            "pattern": OPERATOR_PATTERN,
                            "patternErrorMessage": "One of >=, >, <=, <, == (or ≥, ≤, =).",
                        },
                        "value": _QUANTITY_SCHEMA,
                    },
                    "required": ["op", "value"],
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "properties": {"min": _QUANTITY_SCHEMA, "max": _QUANTITY_SCHEMA},
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
    """Base of every model: frozen, unknown fields are errors rather than silently dropped, and every
    number field refuses NaN and infinities (a NaN grade minimum would silently turn a B into a C)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


class Document(Node):
    """Base of the top-level YAML documents; remembers where it was read from."""

    api_version: Literal["ecomperf/v1"] = Field(alias="apiVersion")
    id: Id
    _source: SourceMap | None = PrivateAttr(default=None)

    @property
    def source_map(self) -> SourceMap:
        """Where each part of this document sits in its file (an empty map for objects built in code)."""
        # the private dict itself: `self._source` goes through Pydantic's __getattr__, 20x slower, and
        # validation asks for a span per problem (tens of thousands of warnings in a large framework)
        private = self.__pydantic_private__
        source = private.get("_source") if private else None
        return source if source is not None else SourceMap("<memory>")

    def span(self, *path: str | int) -> Span:
        """Location of ``path`` inside this document, falling back to the nearest ancestor."""
        return self.source_map.span(*path)
