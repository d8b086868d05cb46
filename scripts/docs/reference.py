"""The YAML reference: one page per document kind, generated from the Pydantic models.

For each kind the page shows a complete real document (from ``examples/mini-framework``), then one
table per model reachable from it (nested models are documented on the first page that reaches them):
field, type, default, meaning and a one-line example. Types and defaults come from ``model_fields``;
the class docstring introduces each model; meanings come from the field's ``description`` when the
model has one, else from ``docs/reference/fields.yaml``, which also holds the examples.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import annotated_types
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from scripts.docs._common import DOCS, EXAMPLES, fence

FIELDS_FILE = DOCS / "reference" / "fields.yaml"
"""Meanings and examples of the fields."""

KIND_ORDER = ("Framework", "Metric", "Module", "Position", "Event", "Workflow", "TargetPlan")
"""Pages in nav order; a nested model is documented on the first page that reaches it."""

EXAMPLE_FRAMEWORK = EXAMPLES / "mini-framework"
"""Where the complete example documents come from."""

PREFERRED_EXAMPLE = {"Metric": "gross_margin", "Position": "store_manager"}
"""Which document of a kind to show as the complete example (default: the first)."""

# Validators of the shared annotated types in ecomperf.model.common, by function name -> type shown.
_VALIDATED_TYPES = {
    "_check_id": "[id](index.md#ids)",
    "_check_framework_id": "[framework id](index.md#ids)",
    "_check_duty_ref": "[duty reference](index.md#duty-references)",
    "_check_text": "[text](index.md#localised-text)",
    "_to_quantity": "[number](index.md#numbers)",
    "_to_target": "[target](index.md#targets)",
}
_SCALARS = {str: "string", float: "number", int: "integer", bool: "boolean"}


def page_name(kind: str) -> str:
    """The page of a kind, relative to ``reference/`` (``position.md``)."""
    return f"{kind.lower()}.md"


def anchor(model: type[BaseModel]) -> str:
    """The heading id of a model's section."""
    return model.__name__.lower()


@cache
def field_docs() -> dict[str, Any]:
    """The parsed ``fields.yaml``."""
    data: dict[str, Any] = yaml.safe_load(FIELDS_FILE.read_text(encoding="utf-8"))
    return data


def kinds() -> dict[str, type[BaseModel]]:
    """Document models by kind, in page order."""
    from ecomperf.model import KINDS

    return {kind: KINDS[kind] for kind in KIND_ORDER}


def yaml_key(name: str, info: FieldInfo) -> str:
    """The key a field is written under in YAML (its alias when it has one)."""
    return info.alias or name


# --- which models go on which page --------------------------------------------------------------------


def nested_models(annotation: Any) -> Iterator[type[BaseModel]]:
    """Models named anywhere inside ``annotation`` (``list[Duty]`` -> ``Duty``), ``Target`` excluded."""
    from ecomperf.targets import Target

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation is not Target:
            yield annotation
        return
    for argument in typing.get_args(annotation):
        if isinstance(argument, FieldInfo):
            continue
        yield from nested_models(argument)


@cache
def placement() -> dict[type[BaseModel], str]:
    """Each model -> the kind whose page documents it; nested models follow the model that names them."""
    placed: dict[type[BaseModel], str] = {}

    def visit(model: type[BaseModel], kind: str) -> None:
        if model in placed:
            return
        placed[model] = kind
        for info in model.model_fields.values():
            for nested in nested_models(info.annotation):
                visit(nested, kind)

    for kind, root in kinds().items():
        visit(root, kind)
    return placed


def models_of(kind: str) -> list[type[BaseModel]]:
    """The models documented on ``kind``'s page, the document first, then in the order they are reached."""
    return [model for model, where in placement().items() if where == kind]


# --- describing a field --------------------------------------------------------------------------------


def describe_type(annotation: Any, metadata: list[Any], here: str) -> str:
    """Markdown for a field's type: ``list of [id](index.md#ids)``, ``one of `a`, `b``` …"""
    named = _validated_name(metadata)
    if named:
        return named
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Annotated:
        return describe_type(arguments[0], list(arguments[1:]), here)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in arguments if a is not type(None)]
        if _is_scoring_method(options):
            return f"[scoring method]({_link_to_scoring(here)})"
        return " or ".join(dict.fromkeys(describe_type(a, [], here) for a in options))
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{value}`" for value in arguments) if len(arguments) > 1 else f"`{arguments[0]}`"
    if origin is list:
        return f"list of {describe_type(arguments[0], [], here)}"
    if origin is dict:
        return f"mapping of {describe_type(arguments[0], [], here)} to {describe_type(arguments[1], [], here)}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{title_of(annotation)}]({link(annotation, here)})"
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    return f"`{getattr(annotation, '__name__', annotation)}`"


def _validated_name(metadata: list[Any]) -> str | None:
    for item in metadata:
        function = getattr(item, "func", None)
        name = getattr(function, "__name__", "")
        if name in _VALIDATED_TYPES:
            return _VALIDATED_TYPES[name]
    return None


def _is_scoring_method(options: list[Any]) -> bool:
    from ecomperf.model import LinearScoring

    return any(LinearScoring in list(nested_models(option)) for option in options) and len(options) == 1


def _link_to_scoring(here: str) -> str:
    from ecomperf.model import LinearScoring

    return link(LinearScoring, here)


def constraints(info: FieldInfo) -> str:
    """Constraints people must respect, in words (``≥ 0``, ``at least 1``)."""
    words = []
    for item in info.metadata:
        if isinstance(item, annotated_types.Ge):
            words.append(f"≥ {item.ge}")
        elif isinstance(item, annotated_types.Gt):
            words.append(f"> {item.gt}")
        elif isinstance(item, annotated_types.MinLen) and item.min_length > 0:
            words.append(f"at least {item.min_length}")
    return ", ".join(words)


def default_text(info: FieldInfo) -> str:
    """``required``, or the default written as YAML people would type."""
    if info.is_required():
        return "**required**"
    default = info.default
    if default is PydanticUndefined and info.default_factory is not None:
        default = info.default_factory()  # type: ignore[call-arg]
    if default is None:
        return "none"
    if isinstance(default, BaseModel):
        dumped = default.model_dump(exclude_none=True)
        return "`{}`" if not dumped else f"`{_flow(dumped)}`"
    return f"`{_flow(default)}`"


def _flow(value: Any) -> str:
    return (
        yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
        .strip()
        .removesuffix("\n...")
        .removesuffix("...")
        .strip()
    )


def meaning(model: type[BaseModel], key: str, info: FieldInfo) -> str:
    """The field's meaning: its description on the model, else ``fields.yaml``."""
    if info.description:
        return info.description
    entry = lookup(model, key)
    return str(entry.get("meaning", "")).strip() if entry else ""


def example(model: type[BaseModel], key: str) -> str:
    """The one-line YAML example of a field (empty when none is written down)."""
    entry = lookup(model, key)
    return str(entry.get("example", "")) if entry else ""


def lookup(model: type[BaseModel], key: str) -> dict[str, Any] | None:
    """The ``fields.yaml`` entry of ``model.key``, looked up along the class hierarchy."""
    docs = field_docs()
    for cls in model.__mro__:
        entry = docs.get(cls.__name__, {}).get("fields", {}).get(key)
        if entry is not None:
            return dict(entry)
    return None


def title_of(model: type[BaseModel]) -> str:
    """The model's title for people (``Scorecard entry``), from ``fields.yaml``, else the class name."""
    return str(field_docs().get(model.__name__, {}).get("title", model.__name__))


def link(model: type[BaseModel], here: str) -> str:
    """A link from page ``here`` (a kind) to the model's section."""
    where = placement().get(model)
    if where is None or where == here:
        return f"#{anchor(model)}"
    return f"{page_name(where)}#{anchor(model)}"


# --- the page ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    """One row of a model's table."""

    key: str
    type: str
    default: str
    meaning: str
    example: str


def rows(model: type[BaseModel], here: str) -> list[FieldRow]:
    """The table rows of a model, fields in declaration order (``apiVersion``, ``kind``, ``id`` first)."""
    found = []
    for name, info in model.model_fields.items():
        key = yaml_key(name, info)
        kind = describe_type(info.annotation, list(info.metadata), here)
        limits = constraints(info)
        found.append(
            FieldRow(
                key=key,
                type=f"{kind} ({limits})" if limits else kind,
                default=default_text(info),
                meaning=meaning(model, key, info),
                example=example(model, key),
            )
        )
    first = {"apiVersion": 0, "kind": 1, "id": 2}
    return sorted(found, key=lambda row: first.get(row.key, 3))


def render_kind(kind: str) -> str:
    """The generated part of a kind's page: the complete example, then a section per model."""
    parts = [_complete_example(kind)]
    for model in models_of(kind):
        parts.append(_model_section(model, kind))
    return "\n".join(parts)


def _model_section(model: type[BaseModel], here: str) -> str:
    level = "##" if model is kinds()[here] else "###"
    heading = f"{level} {title_of(model)} {{ #{anchor(model)} }}\n"
    doc = inspect.getdoc(model) or ""
    intro = _docstring_text(doc)
    table = ["| Field | Type | Default | Meaning | Example |", "|---|---|---|---|---|"]
    for row in rows(model, here):
        cells = [f"`{row.key}`", row.type, row.default, row.meaning, f"`{row.example}`" if row.example else ""]
        table.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    parts = [heading]
    if intro:
        parts.append(intro + "\n")
    parts.append("\n".join(table) + "\n")
    return "\n".join(parts)


def _docstring_text(doc: str) -> str:
    """The prose of a class docstring, without Google sections or literal YAML blocks; RST roles made markdown."""
    kept: list[str] = []
    for line in doc.splitlines():
        if line.strip() in {"Attributes:", "Example YAML::", "Example:", "Examples:"}:
            break
        kept.append(line)
    text = "\n".join(kept).strip().replace("``", "`")
    return " ".join(text.split("\n")) if "\n\n" not in text else text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _complete_example(kind: str) -> str:
    text, file = example_document(kind)
    return (
        "## A complete example\n\n"
        f"This document is from the sample framework `examples/{EXAMPLE_FRAMEWORK.name}/{file}`, which the "
        "test suite loads, so it is valid as shown.\n\n" + fence(text, "yaml", title=file)
    )


def render_document(folder: str, kind: str, document_id: str) -> str:
    """One document of a framework in the repository, as a YAML block titled with its file."""
    from scripts.docs._common import REPO

    for path in sorted((REPO / folder).rglob("*.y*ml")):
        for chunk in path.read_text(encoding="utf-8").split("\n---\n"):
            data = yaml.safe_load(chunk)
            if isinstance(data, dict) and data.get("kind") == kind and data.get("id") == document_id:
                text = "\n".join(line for line in chunk.splitlines() if not line.startswith("# yaml-language-server"))
                return fence(text.strip(), "yaml", title=path.relative_to(REPO).as_posix())
    raise LookupError(f"no {kind} {document_id!r} under {folder}")


def example_document(kind: str) -> tuple[str, str]:
    """The text of the example document of ``kind`` and its file name."""
    preferred = PREFERRED_EXAMPLE.get(kind)
    candidates: list[tuple[str, str]] = []
    for path in sorted(EXAMPLE_FRAMEWORK.glob("*.yaml")):
        for chunk in path.read_text(encoding="utf-8").split("\n---\n"):
            data = yaml.safe_load(chunk)
            if isinstance(data, dict) and data.get("kind") == kind:
                text = "\n".join(line for line in chunk.splitlines() if not line.startswith("# yaml-language-server"))
                candidates.append((text.strip() + "\n", path.name))
                if data.get("id") == preferred:
                    return candidates[-1]
    if not candidates:
        raise LookupError(f"examples/{EXAMPLE_FRAMEWORK.name} has no {kind} document to show")
    return candidates[0]


# --- targets and quantities ------------------------------------------------------------------------------

TARGET_EXAMPLES: tuple[tuple[object, str], ...] = (
    (">= 95%", "at least 95%"),
    ("> 0", "above zero"),
    ("<= 24h", "at most 24 hours"),
    ("< 2%", "below 2%"),
    ("== 0", "exactly zero (zero tolerance)"),
    ("<= 3", "at most 3 (a zero-tolerance metric that tolerates 3)"),
    ("90%..95%", "between 90% and 95%, bounds included"),
    (">= 2000万", "at least 20 million"),
    ("≥ 1.2亿", "`≥`, `≤` and `=` are accepted too"),
    ({"op": ">=", "value": 0.95}, "long form"),
    ({"min": 0.9, "max": 0.95}, "long form of a range"),
)
"""Targets shown in the shorthand table, with what they mean."""

QUANTITY_EXAMPLES = ("35%", "0.35", "2000万", "1.2亿", "15k", "2M", "24h", "7d", "1,500")
"""Quantities shown in the numbers table."""


def render_targets() -> str:
    """The target shorthand table: each written form and what :func:`ecomperf.targets.parse_target` makes of it."""
    from ecomperf.targets import parse_target

    lines = ["| You write | Operator | Value | Meaning |", "|---|---|---|---|"]
    for raw, what in TARGET_EXAMPLES:
        target = parse_target(raw)
        written = _flow(raw) if isinstance(raw, Mapping) else f'"{raw}"'
        value = f"{target.low:g} to {target.high:g}" if target.op == "range" else f"{target.value:g}"
        lines.append(f"| `{_cell(written)}` | `{target.op}` | {value} | {what} |")
    return "\n".join(lines) + "\n"


def render_quantities() -> str:
    """The number shorthand table, values from :func:`ecomperf.targets.parse_quantity`."""
    from ecomperf.targets import parse_quantity

    lines = ["| You write | ecomperf reads |", "|---|---|"]
    for raw in QUANTITY_EXAMPLES:
        lines.append(f'| `"{raw}"` | {parse_quantity(raw):,.10g} |')
    return "\n".join(lines) + "\n"
