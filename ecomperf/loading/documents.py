"""Load a framework: YAML files -> documents with source maps -> typed models -> validated Framework.

Validation runs in three stages that collect problems rather than stopping at the first: YAML (syntax,
duplicate keys, unsafe tags), models (types and unknown fields, each at its own line and column), then
the cross-document rules of :mod:`ecomperf.validation.rules` over every document that parsed.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ecomperf.errors import FrameworkError
from ecomperf.framework import Framework
from ecomperf.loading.yaml_source import MAX_FILE_BYTES, ParsedDocument, parse_yaml
from ecomperf.model import KINDS, Document, Event, FrameworkSpec, Metric, Module, Position, Workflow
from ecomperf.model.common import API_VERSION
from ecomperf.model.introspect import union_members
from ecomperf.problems import Problem, Span
from ecomperf.suggest import did_you_mean

__all__ = ["LoadResult", "load", "load_documents", "yaml_files"]

_D = TypeVar("_D", bound=Document)


@dataclass(frozen=True)
class LoadResult:
    """Everything a load found: the framework (``None`` when any error was found) and every problem."""

    framework: Framework | None
    problems: tuple[Problem, ...]
    files: tuple[str, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Problems of severity ``error``."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems of severity ``warning``."""
        return tuple(p for p in self.problems if p.severity == "warning")


def load(path: str | Path) -> Framework:
    """Load and validate a framework from a folder (every ``*.yaml``/``*.yml`` below it) or one file.

    Args:
        path: the framework folder or a single YAML file.

    Returns:
        The validated :class:`Framework`; its ``warnings`` hold any warnings.

    Raises:
        FrameworkError: when any error was found; ``.problems`` lists them all with locations.

    >>> fw = load("frameworks/ecommerce-ops")  # doctest: +SKIP
    >>> fw.positions["store_manager"].name  # doctest: +SKIP
    {'zh': '店长', 'en': 'Store manager'}
    """
    result = load_documents(path)
    if result.framework is None:
        raise FrameworkError(result.problems)
    return result.framework


def yaml_files(path: Path) -> list[Path]:
    """The YAML files of a framework path in sorted order (hidden folders and files skipped)."""
    if path.is_file():
        return [path]
    found = [
        file
        for file in path.rglob("*")
        if file.suffix in {".yaml", ".yml"}
        and file.is_file()
        and not any(part.startswith(".") for part in file.relative_to(path).parts)
    ]
    return sorted(found)


def load_documents(path: str | Path) -> LoadResult:
    """Load like :func:`load` but return every problem instead of raising (used by ``ecomperf validate``)."""
    root = Path(path)
    problems: list[Problem] = []
    if not root.exists():
        problem = Problem(
            "EP107", f"{root} does not exist", Span(str(root), 1, 1), hint="give the framework folder or a YAML file"
        )
        return LoadResult(None, (problem,), ())
    files = yaml_files(root)
    if not files:
        problem = Problem(
            "EP107",
            f"no *.yaml or *.yml files under {root}",
            Span(str(root), 1, 1),
            hint="point at the folder that holds the framework's YAML files",
        )
        return LoadResult(None, (problem,), ())
    documents: list[Document] = []
    unparsed: dict[str, set[str]] = {}
    for file in files:
        text = _read_text(file, problems)
        if text is None:
            continue
        parsed, found = parse_yaml(text, str(file))
        problems.extend(found)
        for document in parsed:
            model = _to_model(document, problems)
            if model is not None:
                documents.append(model)
            elif isinstance(document.data, dict) and isinstance(document.data.get("id"), str):
                unparsed.setdefault(str(document.data.get("kind")), set()).add(document.data["id"])
    framework = _assemble(documents, root, problems, framework_failed="Framework" in unparsed)
    if framework is not None:
        framework = replace(framework, unparsed={k: frozenset(v) for k, v in unparsed.items()})
    if framework is not None:
        from ecomperf.validation.rules import validate

        problems.extend(validate(framework))
    ordered = tuple(sorted(_unique(problems), key=Problem.sort_key))
    has_errors = any(p.severity == "error" for p in ordered)
    if framework is not None and not has_errors:
        warnings = tuple(p for p in ordered if p.severity == "warning")
        framework = replace(framework, warnings=warnings, unparsed={})
        return LoadResult(framework, ordered, tuple(map(str, files)))
    return LoadResult(None, ordered, tuple(map(str, files)))


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[tuple[str, str, Span | None]] = set()
    unique = []
    for problem in problems:
        key = (problem.code, problem.message, problem.span)
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique


def _read_text(file: Path, problems: list[Problem]) -> str | None:
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.append(
            Problem(
                "EP101",
                f"file is {size / 1024 / 1024:.1f} MiB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MiB",
                Span(str(file)),
                hint="split the framework over several files",
            )
        )
        return None
    raw = file.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        problems.append(
            Problem(
                "EP101",
                f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                Span(str(file), line, column),
                hint="save the file as UTF-8 (in Excel/WPS/Notepad choose 'UTF-8' when saving)",
            )
        )
        return None


def _to_model(document: ParsedDocument, problems: list[Problem]) -> Document | None:
    data, source = document.data, document.source
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.append(
            Problem(
                "EP105",
                "a document must be a mapping that starts with apiVersion and kind",
                source.span(),
                hint=f"begin the document with `apiVersion: {API_VERSION}`",
            )
        )
        return None
    api_version, kind = data.get("apiVersion"), data.get("kind")
    if api_version != API_VERSION:
        what = "is missing" if api_version is None else f"is {api_version!r}"
        problems.append(
            Problem(
                "EP105",
                f"apiVersion {what}; expected {API_VERSION}",
                source.span("apiVersion"),
                hint=f"write `apiVersion: {API_VERSION}`",
            )
        )
        return None
    if kind not in KINDS:
        suggestion = did_you_mean(str(kind), KINDS, list_known=False)
        what = "is missing" if kind is None else f"{kind!r} is not a known kind"
        problems.append(
            Problem("EP105", f"kind {what}{suggestion}", source.span("kind"), hint=f"kind is one of {', '.join(KINDS)}")
        )
        return None
    model_class = KINDS[kind]
    try:
        model = model_class.model_validate(data)
    except ValidationError as exc:
        problems.extend(_validation_problems(exc, model_class, document))
        return None
    model._source = source
    if document.bad_paths:
        return None
    return model


def _validation_problems(exc: ValidationError, model_class: type[BaseModel], document: ParsedDocument) -> list[Problem]:
    """Map Pydantic errors onto problems at the field's own line and column, one per field."""
    grouped: dict[tuple[str | int, ...], list[dict[str, Any]]] = {}
    for error in exc.errors(include_input=False, include_url=False):
        path = _data_path(error["loc"], document.data)
        if any(path[: len(bad)] == bad for bad in document.bad_paths):
            continue
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
        line = Path(key_span.file).read_text(encoding="utf-8-sig").splitlines()[key_span.line - 1]
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


def _assemble(
    documents: list[Document], root: Path, problems: list[Problem], *, framework_failed: bool = False
) -> Framework | None:
    specs = [d for d in documents if isinstance(d, FrameworkSpec)]
    if len(specs) != 1:
        if specs:
            for extra in specs[1:]:
                problems.append(
                    Problem(
                        "EP106",
                        f"a second Framework document ({extra.id!r}); a framework has exactly one",
                        extra.span("kind"),
                        hint=f"the first is at {specs[0].span('kind')}",
                        related=(specs[0].span("kind"),),
                    )
                )
        elif not framework_failed and not any(p.code in {"EP101", "EP105"} for p in problems):
            problems.append(
                Problem(
                    "EP106",
                    f"no `kind: Framework` document under {root}",
                    Span(str(root)),
                    hint="add a framework.yaml with kind: Framework, stages and grades",
                )
            )
        if not specs:
            return None
    return Framework(
        spec=specs[0],
        metrics=_by_id(documents, Metric, problems),
        modules=_by_id(documents, Module, problems),
        positions=_by_id(documents, Position, problems),
        events=tuple(_by_id(documents, Event, problems).values()),
        workflows=_by_id(documents, Workflow, problems),
        root=str(root),
    )


def _by_id(documents: list[Document], kind: type[_D], problems: list[Problem]) -> dict[str, _D]:
    found: dict[str, _D] = {}
    for document in documents:
        if not isinstance(document, kind):
            continue
        if document.id in found:
            first = found[document.id]
            problems.append(
                Problem(
                    "EP209",
                    f"duplicate {kind.__name__} id {document.id!r}; first defined at {first.span('id')}",
                    document.span("id"),
                    hint="rename one of them or delete the copy",
                    related=(first.span("id"),),
                )
            )
            continue
        found[document.id] = document
    return found
