"""EP405: localised text carries every locale the framework declares, and no others."""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import AfterValidator, BaseModel

from ecomperf.model import Document
from ecomperf.model.common import _check_text
from ecomperf.model.index import FrameworkIndex
from ecomperf.model.introspect import union_members
from ecomperf.problems import Problem
from ecomperf.validation.base import rule

__all__ = [
    "missing_locales",
    "texts",
]

@rule
def missing_locales(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP405 (warning): localised text should carry every locale the framework declares, and no others."""
    if not fw.knows(fw.spec, "locales"):
        return  # which locales the framework declares is not known
    locales = fw.spec.locales
    documents: list[Document] = [
        fw.spec,
        *fw.metrics.values(),
        *fw.modules.values(),
        *fw.positions.values(),
        *fw.events,
        *fw.workflows.values(),
        *fw.plans.values(),
    ]
    declared = set(locales)
    for document in documents:
        for path, text in texts(document, ()):
            if isinstance(text, dict) and text.keys() != declared:  # the usual text has exactly those locales
                absent = [loc for loc in locales if loc not in text]
                extra = [loc for loc in text if loc not in locales]
                if absent or extra:
                    parts = ([f"no {', '.join(absent)} text"] if absent else []) + (
                        [f"undeclared locale {', '.join(extra)}"] if extra else []
                    )
                    yield Problem(
                        "EP405",
                        f"{'.'.join(map(str, path))}: {'; '.join(parts)}",
                        document.span(*path),
                        severity="warning",
                        hint=f"give the text in every declared locale ({', '.join(locales)})",
                    )


def _is_text_annotation(annotation: Any, metadata: Iterable[Any] = ()) -> bool:
    if any(isinstance(m, AfterValidator) and m.func is _check_text for m in metadata):
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        args = typing.get_args(annotation)
        return _is_text_annotation(args[0], args[1:])
    return any(_is_text_annotation(arg) for arg in typing.get_args(annotation) if typing.get_origin(arg) is not list)


def _list_item(annotation: Any) -> Any:
    for candidate in union_members(annotation):
        if typing.get_origin(candidate) is list:
            return typing.get_args(candidate)[0]
    return None


@functools.cache
def _text_plan(model_class: type[BaseModel]) -> tuple[tuple[str, str, str], ...]:
    """For each field: (attribute, YAML key, how to look for text) — worked out once per model class."""
    plan = []
    for name, info in model_class.model_fields.items():
        key = info.alias or name
        item = _list_item(info.annotation)
        if item is not None and _is_text_annotation(item):
            plan.append((name, key, "text_list"))
        elif item is None and _is_text_annotation(info.annotation, info.metadata):
            plan.append((name, key, "text"))
        elif _may_hold_text(info.annotation):
            plan.append((name, key, "nested"))
    return tuple(plan)


def _may_hold_text(annotation: Any) -> bool:
    """Whether a value of this type can contain localised text somewhere inside (targets, ids and numbers
    cannot, so the locale check does not walk into them)."""
    for member in union_members(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            if _text_plan(member):
                return True
        elif typing.get_origin(member) in (list, dict) and any(
            _may_hold_text(arg) for arg in typing.get_args(member)
        ):
            return True
    return False


def texts(model: BaseModel, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], Any]]:
    """``(path, text)`` for every localised text inside ``model`` (at ``path``), in field order.

    Plain recursion into a list, not generators nested per model: a framework has tens of thousands of models.
    """
    found: list[tuple[tuple[str | int, ...], Any]] = []
    _collect(model, path, found)
    return found


def _collect(model: BaseModel, path: tuple[str | int, ...], found: list[tuple[tuple[str | int, ...], Any]]) -> None:
    for name, key, how in _text_plan(type(model)):
        value = getattr(model, name)
        if value is None:
            continue
        if how == "text":
            found.append(((*path, key), value))
        elif how == "text_list":
            found.extend(((*path, key, number), item) for number, item in enumerate(value))
        else:
            _nested(value, (*path, key), found)


def _nested(value: Any, path: tuple[str | int, ...], found: list[tuple[tuple[str | int, ...], Any]]) -> None:
    if isinstance(value, BaseModel):
        _collect(value, path, found)
    elif isinstance(value, list):
        for number, item in enumerate(value):
            if isinstance(item, BaseModel | list | dict):
                _nested(item, (*path, number), found)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, BaseModel | list):
                _nested(item, (*path, key), found)
