"""Safe YAML reading with source positions.

PyYAML's C parser (``CSafeLoader``; the pure-Python ``SafeLoader`` when libyaml is absent) composes the
node graph; this module builds plain Python values from it while recording, for every key path, the
line and column it came from. Scalars follow YAML 1.2 core: only ``true``/``false`` are booleans,
dates stay strings, ``1e3`` is a number and ``012`` is refused as ambiguous. Only the standard tags
are accepted (``!!python/...`` and friends are refused, never constructed). Duplicate keys are
refused with both lines. Aliases are allowed but their expanded size is bounded, so an alias bomb
("billion laughs") is refused in milliseconds instead of being expanded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from ecomperf.problems import Problem, SourceMap, Span

__all__ = ["MAX_EXPANDED_VALUES", "MAX_FILE_BYTES", "ParsedDocument", "parse_yaml"]

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Largest YAML file read (4 MiB); a framework split over files never needs more per file."""

MAX_EXPANDED_VALUES = 250_000
"""Most values one document may hold once aliases are expanded."""

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_AMBIGUOUS = "tag:ecomperf,2026:ambiguous-number"


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A safe loader whose implicit scalar types are YAML 1.2 core, plus a marker for ``012``."""

    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}


def _resolver(tag: str, pattern: str, first: str) -> None:
    _Loader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))


_resolver(_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_resolver(_NULL, r"^(?:~|null|Null|NULL|)$", "~nN\x00")
_resolver(_AMBIGUOUS, r"^[-+]?0[0-9_]+$", "-+0")
_resolver(_INT, r"^(?:[-+]?(?:0|[1-9][0-9_]*)|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789")
_resolver(
    _FLOAT,
    r"^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
    "-+0123456789.",
)
_resolver(_MERGE, r"^(?:<<)$", "<")
# PyYAML looks resolvers up by the scalar's first character; the empty scalar is null too.
_Loader.yaml_implicit_resolvers.setdefault("", []).append((_NULL, re.compile(r"^$")))


@dataclass
class ParsedDocument:
    """One YAML document: its value, the source map of its key paths, and its position in the file."""

    data: Any
    source: SourceMap
    index_in_file: int
    bad_paths: frozenset[tuple[str | int, ...]] = frozenset()


@dataclass
class _Builder:
    file: str
    index: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    bad_paths: set[tuple[str | int, ...]] = field(default_factory=set)
    _path: tuple[str | int, ...] = ()

    def span(self, node: yaml.Node) -> Span:
        return Span(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: tuple[str | int, ...]) -> Any:
        self._path = path
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self._bad_tag(node)
            items = []
            for position, item in enumerate(node.value):
                item_path = (*path, position)
                self.index.setdefault(item_path, (item.start_mark.line + 1, item.start_mark.column + 1))
                items.append(self.build(item, item_path))
            return items
        assert isinstance(node, yaml.MappingNode)
        if node.tag != _MAP:
            self._bad_tag(node)
        return self._mapping(node, path)

    def _mapping(self, node: yaml.MappingNode, path: tuple[str | int, ...]) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        seen: dict[Any, yaml.Node] = {}
        merged: list[dict[Any, Any]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(self._merge_sources(value_node, path))
                continue
            key = self.build(key_node, path)
            if isinstance(key, list | dict):
                self.problems.append(
                    Problem(
                        "EP104",
                        "mapping keys must be plain scalars",
                        self.span(key_node),
                        hint="write the key as a plain word such as `name:`",
                    )
                )
                continue
            if key in seen:
                first = seen[key]
                self.problems.append(
                    Problem(
                        "EP102",
                        f"duplicate key {key!r}: first at line {first.start_mark.line + 1}, again here",
                        self.span(key_node),
                        hint="keep one of the two entries; YAML would silently keep only the last",
                        related=(self.span(first),),
                    )
                )
                continue
            seen[key] = key_node
            key_path = (*path, key)
            self.index[key_path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, key_path)
        for source in merged:
            for key, value in source.items():
                result.setdefault(key, value)
        return result

    def _merge_sources(self, node: yaml.Node, path: tuple[str | int, ...]) -> list[dict[Any, Any]]:
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        sources = []
        for source in nodes:
            if not isinstance(source, yaml.MappingNode):
                self.problems.append(
                    Problem("EP104", "a merge key '<<' takes a mapping or a list of mappings", self.span(source))
                )
                continue
            sources.append(self._mapping(source, path))
        return sources

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        text: str = node.value
        tag = node.tag
        if tag == _STR:
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            if text.lower() in {"true", "false"}:
                return text.lower() == "true"
            return self._invalid(node, f"{text!r} is not a boolean; write true or false")
        if tag == _INT:
            try:
                return int(text.replace("_", ""), 0)
            except ValueError:
                return self._invalid(node, f"{text!r} is not an integer")
        if tag == _FLOAT:
            try:
                return float(
                    text.replace("_", "")
                    .replace(".inf", "inf")
                    .replace(".Inf", "inf")
                    .replace(".INF", "inf")
                    .replace(".nan", "nan")
                    .replace(".NaN", "nan")
                    .replace(".NAN", "nan")
                )
            except ValueError:
                return self._invalid(node, f"{text!r} is not a number")
        if tag == _AMBIGUOUS:
            return self._invalid(
                node,
                f"{text} is ambiguous (YAML 1.1 reads a leading 0 as octal); write {text.lstrip('+-0') or '0'} "
                f"for the number or quote it ('{text}') for text",
            )
        self._bad_tag(node)
        return text

    def _invalid(self, node: yaml.Node, message: str) -> None:
        self.bad_paths.add(self._path)
        self.problems.append(Problem("EP104", message, self.span(node)))

    def _bad_tag(self, node: yaml.Node) -> None:
        self.bad_paths.add(self._path)
        self.problems.append(
            Problem(
                "EP101",
                f"tag {node.tag!r} is not allowed: ecomperf reads plain YAML data only",
                self.span(node),
                hint="remove the tag; write the value as plain YAML",
            )
        )


def _expanded_size(root: yaml.Node) -> int:
    """Count the values the document holds once aliases are expanded, stopping early past the limit.

    Shared (aliased) nodes are sized once and their size reused, so the count itself stays cheap even
    for a billion-laughs document. A node that contains itself raises ``RecursionError``.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise RecursionError("a recursive alias")
        active.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        active.discard(key)
        sizes[key] = min(total, MAX_EXPANDED_VALUES + 1)
        return sizes[key]

    return size(root)


def has_anchor(text: str) -> bool:
    """Whether ``text`` may hold an anchor (``&name``); without one no alias can expand a document."""
    return "&" in text


def _documents(text: str) -> Iterator[yaml.Node]:
    loader = _Loader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                yield node
    finally:
        loader.dispose()


def parse_yaml(text: str, file: str) -> tuple[list[ParsedDocument], list[Problem]]:
    """Parse every document of ``text`` (read from ``file``) into values with source maps.

    Returns:
        The documents that parsed, and the problems found (EP101 syntax and tags, EP102 duplicate keys,
        EP104 ambiguous scalars). A syntax error stops that file at the error; documents before it are kept.
    """
    documents: list[ParsedDocument] = []
    problems: list[Problem] = []
    nodes = _documents(text)
    anchored = has_anchor(text)  # once per file: scanning the text per document grew with documents x size
    position = 0
    while True:
        try:
            node = next(nodes)
        except StopIteration:
            break
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            span = Span(file, mark.line + 1, mark.column + 1) if mark else Span(file)
            reason = " ".join(part for part in (exc.context, exc.problem) if part)
            problems.append(
                Problem(
                    "EP101",
                    f"YAML syntax error: {reason}",
                    span,
                    hint="check indentation, colons and quotes on this line and the one before",
                )
            )
            break
        except yaml.YAMLError as exc:
            problems.append(Problem("EP101", f"YAML error: {exc}", Span(file)))
            break
        position += 1
        start = Span(file, node.start_mark.line + 1, node.start_mark.column + 1)
        try:
            # without an anchor there is no alias, so the document cannot be bigger than its text
            expanded = _expanded_size(node) if anchored else 0
        except RecursionError:
            problems.append(
                Problem(
                    "EP101",
                    "a recursive alias (a value that contains itself) is not allowed",
                    start,
                    hint="remove the alias that refers back to its own anchor",
                )
            )
            continue
        if expanded > MAX_EXPANDED_VALUES:
            problems.append(
                Problem(
                    "EP101",
                    f"document expands to more than {MAX_EXPANDED_VALUES:,} values through aliases; refused",
                    start,
                    hint="use fewer nested aliases (*name); a real framework document is far smaller",
                )
            )
            continue
        builder = _Builder(file)
        builder.index[()] = (start.line, start.column)
        data = builder.build(node, ())
        problems.extend(builder.problems)
        documents.append(ParsedDocument(data, SourceMap(file, builder.index), position, frozenset(builder.bad_paths)))
    return documents, problems
