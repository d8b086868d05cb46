"""Pydantic validation errors -> located problems, each at the line and column of its own field.

Never formats a raw ``ValidationError`` (its text holds the whole input); reads
``errors(include_input=False)``, drops union-member tags from locations and rewords the common errors.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ecomperf.loading.yaml_source import ParsedDocument, editor_lines
from ecomperf.model.introspect import union_members
from ecomperf.problems import Problem, Span
from ecomperf.suggest import did_you_mean

__all__ = ["validation_problems"]


def validation_problems(exc: ValidationError, model_class: type[BaseModel], document: ParsedDocument) -> list[Problem]:
    """Map Pydantic errors onto problems at the field's own line and column, one per field."""
    grouped: dict[tuple[str | int, ...], list[dict[str, Any]]] = {}
    for error in exc.errors(include_input=False, include_url=False):
        path = _data_path(error["loc"], document.data)
        if any(path[: len(bad)] == bad for bad in document.bad_paths):
            continue  # inside a value the YAML reader already refused
        if path and any(bad[: len(path)] == path for bad in document.bad_paths):
            continue  # about a field that holds a refused value: the reader's problem says why
        grouped.setdefault(path, []).append(dict(error))
    problems = []
    for path, errors in grouped.items():
        problems.append(_problem_for(path, errors, model_class, document))
    return problems


def _data_path(loc: Sequence[str | int], data: Any) -> tuple[str | int, ...]:
    """Keep the parts of a Pydantic location that exist in the data (drops union tags such as 'str')."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part == loc[-1]:
            path.append(part)  # a missing or unknown key: point at its parent, name it in the message
            break
    return tuple(path)


def _value_at(data: Any, path: Sequence[str | int]) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _problem_for(
    path: tuple[str | int, ...], errors: list[dict[str, Any]], model_class: type[BaseModel], document: ParsedDocument
) -> Problem:
    source = document.source
    exists = source.has(*path)
    span = source.span(*path) if exists else source.span(*path[:-1])
    field_name = ".".join(str(p) for p in path) or "document"
    first = next((e for e in errors if str(e["type"]).startswith("EP")), errors[0])
    kind = str(first["type"])
    if kind == "extra_forbidden":
        allowed = _fields_at(model_class, path[:-1])
        name = str(path[-1])
        suggestion = did_you_mean(name, allowed, list_known=False)
        hint = f"allowed here: {', '.join(sorted(allowed))}" if allowed else "remove the field"
        return Problem("EP103", f"unknown field {name!r}{suggestion}", span, hint=hint)
    if kind == "missing":
        return Problem(
            "EP104",
            f"missing required field {path[-1]!r}" if path else "missing required field",
            span,
            hint=f"add `{path[-1]}:` here" if path else "",
        )
    code = kind if kind.startswith("EP") else "EP104"
    message, hint = _friendly(first, errors)
    value = _value_at(document.data, path) if exists else None
    got = f", got {value!r}" if isinstance(value, str | int | float | bool) and len(repr(value)) < 60 else ""
    if kind.startswith("EP") or kind == "union_tag_invalid":
        got = ""
        offset = (first.get("ctx") or {}).get("offset")
        if isinstance(offset, int) and exists and isinstance(value, str) and "\n" not in value:
            span = _column_of_offset(document, path, value, offset) or span
    return Problem(code, f"{field_name}: {message}{got}", span, hint=hint)


def _friendly(first: dict[str, Any], errors: list[dict[str, Any]]) -> tuple[str, str]:
    """A message (and hint) people can act on for the common Pydantic error types."""
    kinds = {str(e["type"]) for e in errors}
    ctx = first.get("ctx") or {}
    if kinds == {"string_type", "dict_type"}:
        return "expected text: a plain string or {zh: ..., en: ...}", "quote numbers used as text, e.g. '123'"
    if first["type"] == "union_tag_invalid":
        tags = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",")]
        suggestion = did_you_mean(str(ctx.get("tag")), tags, list_known=False)
        field = str(ctx.get("discriminator", "kind")).strip("'")
        return f"unknown {field} {ctx.get('tag')!r}{suggestion}", f"one of: {', '.join(tags)}"
    if first["type"] == "finite_number":
        return "must be a finite number (.nan, .inf and numbers beyond ±1.8e308 are refused)", ""
    if first["type"] == "list_type":
        return "expected a list", "write it as [a, b] or as lines that start with '- '"
    if first["type"] in {"dict_type", "model_type", "model_attributes_type"}:
        return "expected a mapping of fields", "write it as {key: value} or as indented `key: value` lines"
    if len(errors) > 1 and not str(first["type"]).startswith("EP"):
        return "value fits none of the allowed forms: " + "; or ".join(
            dict.fromkeys(str(e["msg"]) for e in errors[:3])
        ), ""
    return str(first["msg"]), ""


def _column_of_offset(document: ParsedDocument, path: tuple[str | int, ...], value: str, offset: int) -> Span | None:
    """Span of character ``offset`` inside a one-line scalar value (the value follows its key on the line)."""
    key_span = document.source.span(*path)
    return Span(key_span.file, key_span.line, key_span.column) if offset < 0 else _scan_line(key_span, value, offset)


def _scan_line(key_span: Span, value: str, offset: int) -> Span | None:
    try:
        line = editor_lines(Path(key_span.file).read_text(encoding="utf-8-sig"))[key_span.line - 1]
    except (OSError, IndexError, UnicodeDecodeError):
        return None
    start = line.find(value, key_span.column - 1)
    if start < 0:
        return None
    return Span(key_span.file, key_span.line, start + offset + 1)


def _fields_at(model_class: type[BaseModel], path: Sequence[str | int]) -> set[str]:
    """Field names (aliases where set) allowed at ``path`` inside ``model_class``."""
    current: list[Any] = [model_class]
    for part in path:
        following: list[Any] = []
        for annotation in current:
            following.extend(_step(annotation, part))
        current = following
    names: set[str] = set()
    for annotation in current:
        for candidate in union_members(annotation):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                names.update(info.alias or name for name, info in candidate.model_fields.items())
    return names


def _step(annotation: Any, part: str | int) -> list[Any]:
    following: list[Any] = []
    for candidate in union_members(annotation):
        origin = typing.get_origin(candidate)
        if isinstance(candidate, type) and issubclass(candidate, BaseModel) and isinstance(part, str):
            for name, info in candidate.model_fields.items():
                if part in {name, info.alias}:
                    following.append(info.annotation)
        elif origin is list and isinstance(part, int):
            following.append(typing.get_args(candidate)[0])
        elif origin is dict:
            following.append(typing.get_args(candidate)[1])
    return following
