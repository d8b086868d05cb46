"""Safe YAML reading with source positions.

PyYAML's C parser (``CSafeLoader``; the pure-Python ``SafeLoader`` when libyaml is absent) composes the
node graph; this module builds plain Python values from it while recording, for every key path, the
line and column it came from. Scalars follow YAML 1.2 core: only ``true``/``false`` are booleans,
dates stay strings, ``1e3`` is a number and ``012`` is refused as ambiguous. Only the standard tags
are accepted (``!!python/...`` and friends are refused, never constructed). Duplicate keys are
refused with both lines. Aliases are allowed but their expanded size is bounded, in values and in
characters, so an alias bomb ("billion laughs", or one long text aliased thousands of times) is refused in
milliseconds instead of being expanded.

Hostile input is refused with a located problem, never a traceback: mappings and lists nest at most
:data:`MAX_DEPTH` levels; integers must fit a float; control characters are refused in text. Locations are
counted as editors count them: a line ends at ``\\n``, ``\\r\\n`` or ``\\r`` only. YAML also breaks lines at
U+0085, U+2028 and U+2029, which editors do not show, so those characters are refused where they stand
(and read as spaces, so that every later location stays right); a problem at the end of the file points
just after its last character, never at a line the file does not have.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from ecomperf.errors import short_repr
from ecomperf.problems import Problem, SourceMap, Span
from ecomperf.targets import too_large

__all__ = [
    "MAX_DEPTH",
    "MAX_EXPANDED_CHARS",
    "MAX_EXPANDED_VALUES",
    "MAX_FILE_BYTES",
    "ParsedDocument",
    "editor_lines",
    "parse_yaml",
]

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Largest YAML file read (4 MiB); a framework split over files never needs more per file."""

MAX_EXPANDED_VALUES = 250_000
"""Most values one document may hold once aliases are expanded."""

MAX_EXPANDED_CHARS = 2 * MAX_FILE_BYTES
"""Most characters of text one document may hold once aliases are expanded (8 Mi)."""

MAX_DEPTH = 64
"""Deepest nesting of mappings and lists (the document itself is level 1); real frameworks need about 10."""

_LARGEST_INTEGER = int(sys.float_info.max)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
_YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")
_BREAK = re.compile(r"\r\n|\r|\n")
_MAX_REPORTED = 20
_SEPARATOR_NAMES = {"\x85": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}

_ScalarNode, _SequenceNode = yaml.ScalarNode, yaml.SequenceNode

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


class _TooDeep(yaml.MarkedYAMLError):
    """Nesting beyond :data:`MAX_DEPTH`, raised by the pure-Python composer before it recurses further."""


def _too_deep_message() -> str:
    return f"values are nested more than {MAX_DEPTH} levels deep; refused"


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A safe loader whose implicit scalar types are YAML 1.2 core, plus a marker for ``012``."""

    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}
    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        """Compose one node, refusing nesting past :data:`MAX_DEPTH` before Python's recursion limit.

        Only the pure-Python loader calls this; libyaml's composer refuses past 1,000 levels itself and the
        builder below cuts at :data:`MAX_DEPTH`.
        """
        if self.check_event(yaml.MappingStartEvent, yaml.SequenceStartEvent) and self._depth >= MAX_DEPTH:
            raise _TooDeep(problem=_too_deep_message(), problem_mark=self.peek_event().start_mark)
        self._depth += 1
        try:
            node: yaml.Node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        return node

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        """The tag of a node written without one.

        PyYAML's own rule for the resolvers below, which are all this loader has (no path resolvers, none for
        every first character), without the lists it copies for every scalar: libyaml's composer asks once per
        node, and that took a third of composing a framework.
        """
        if kind is _ScalarNode:
            if implicit[0] and value is not None:
                for tag, pattern in _IMPLICIT.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return _STR
        return _SEQ if kind is _SequenceNode else _MAP


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
_IMPLICIT: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    str(first): tuple(found) for first, found in _Loader.yaml_implicit_resolvers.items()
}
"""The resolvers by first character (``""`` for the empty scalar), as :meth:`_Loader.resolve` reads them."""


@dataclass
class ParsedDocument:
    """One YAML document: its value, the source map of its key paths, and its position in the file."""

    data: Any
    source: SourceMap
    index_in_file: int
    bad_paths: frozenset[tuple[str | int, ...]] = frozenset()
    null_entries: bool = True
    """Whether some mapping entry may have no value (``key:`` or ``key: null``); ``False`` only when none has."""


class _Positions:
    """Marks to 1-based ``(line, column)`` as editors count them, a mark at or past the end of the text
    pointing just after its last character (libyaml puts it on the line after the last)."""

    def __init__(self, text: str) -> None:
        self._length = len(text)
        body = text.rstrip("\r\n")
        self.inside = len(body)
        """Marks before this index are on a real line as they stand (the fast path of the builder)."""
        last_break = max(body.rfind("\n"), body.rfind("\r"))
        breaks = body.count("\n") + body.count("\r") - body.count("\r\n")  # as _BREAK counts, with no list
        self.end = (breaks + 1, len(body) - last_break)

    def at(self, mark: yaml.Mark) -> tuple[int, int]:
        if mark.index >= self._length or mark.line + 1 > self.end[0]:
            return self.end
        return mark.line + 1, mark.column + 1


def editor_lines(text: str) -> list[str]:
    r"""``text`` split into lines as editors split it: at ``\n``, ``\r\n`` and ``\r`` only.

    ``str.splitlines`` also splits at U+2028, U+0085, form feeds and more, which would put a column on the
    wrong line.

    >>> editor_lines("a\u2028b\r\nc")
    ['a\u2028b', 'c']
    """
    return _BREAK.split(text.removesuffix("\n").removesuffix("\r")) if text else []


@dataclass
class _Builder:
    """Builds a document's values from its nodes; with ``record``, also the line and column of every entry."""

    file: str
    positions: _Positions
    record: bool = False
    clean: bool = False
    """No scalar can hold a control character (the text has none and no escapes): text needs no search."""
    index: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    bad_paths: set[tuple[str | int, ...]] = field(default_factory=set)
    null_entries: bool = False
    _path: tuple[str | int, ...] = ()
    _too_deep: bool = False

    def span(self, node: yaml.Node) -> Span:
        return Span(self.file, *self.positions.at(node.start_mark))

    def build(self, node: yaml.Node, path: tuple[str | int, ...]) -> Any:
        self._path = path
        kind = type(node)
        if kind is _ScalarNode:
            return self._scalar(node)  # type: ignore[arg-type]  # the exact type, checked faster than isinstance
        if len(path) >= MAX_DEPTH:
            return self._deeper_than_allowed(node, path)
        if kind is _SequenceNode:
            if node.tag != _SEQ:
                self._bad_tag(node)
            items = []
            record, clean = self.record, self.clean
            for position, item in enumerate(node.value):
                if record:
                    mark = item.start_mark
                    where = (mark.line + 1, mark.column + 1) if mark.index < self.positions.inside else None
                    self.index.setdefault((*path, position), where or self.positions.at(mark))
                if item.tag == _STR and type(item) is _ScalarNode and (clean or not _CONTROL.search(item.value)):
                    items.append(item.value)  # plain text, the commonest value: what _scalar would return
                else:
                    items.append(self.build(item, (*path, position)))
            return items
        assert isinstance(node, yaml.MappingNode)
        if node.tag != _MAP:
            self._bad_tag(node)
        return self._mapping(node, path)

    def _mapping(self, node: yaml.MappingNode, path: tuple[str | int, ...]) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        seen: dict[Any, yaml.Node] = {}
        merged: list[dict[Any, Any]] = []
        record, clean = self.record, self.clean
        for key_node, value_node in node.value:
            tag = key_node.tag
            if tag == _STR and type(key_node) is _ScalarNode and (clean or not _CONTROL.search(key_node.value)):
                key = key_node.value  # a plain text key, the commonest: what _scalar would return
            elif tag == _MERGE:
                merged.extend(self._merge_sources(value_node, path))
                continue
            else:
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
            if record:
                mark = key_node.start_mark
                where = (mark.line + 1, mark.column + 1) if mark.index < self.positions.inside else None
                self.index[(*path, key)] = where or self.positions.at(mark)
            tag = value_node.tag
            if tag == _STR and type(value_node) is _ScalarNode and (clean or not _CONTROL.search(value_node.value)):
                result[key] = value_node.value
                continue
            value = result[key] = self.build(value_node, (*path, key))
            if value is None:
                self.null_entries = True
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

    def _deeper_than_allowed(self, node: yaml.Node, path: tuple[str | int, ...]) -> None:
        # The whole top-level field is refused, so that no type error is reported beside the real reason.
        self.bad_paths.add(path[:1])
        if not self._too_deep:
            self._too_deep = True
            self.problems.append(
                Problem(
                    "EP101",
                    _too_deep_message(),
                    self.span(node),
                    hint="flatten the structure; no ecomperf field nests more than a few levels",
                )
            )

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        text: str = node.value
        tag = node.tag
        if tag == _STR:
            control = _CONTROL.search(text)
            if control:
                return self._invalid(
                    node,
                    f"text contains the control character U+{ord(control.group()):04X} (at character "
                    f"{control.start() + 1}); control characters cannot be shown or printed",
                    hint="delete it; it usually comes from an escape such as \\x07 or from text pasted from "
                    "another program",
                )
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            if text.lower() in {"true", "false"}:
                return text.lower() == "true"
            return self._invalid(node, f"{text!r} is not a boolean; write true or false")
        if tag == _INT:
            return self._integer(node, text.replace("_", ""))
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
                return self._invalid(node, f"{short_repr(text)} is not a number")
        if tag == _AMBIGUOUS:
            if len(text) > 40:
                return self._integer(node, text.replace("_", ""))  # reports it as too large
            return self._invalid(
                node,
                f"{text} is ambiguous (YAML 1.1 reads a leading 0 as octal); write {text.lstrip('+-0') or '0'} "
                f"for the number or quote it ('{text}') for text",
            )
        self._bad_tag(node)
        return text

    def _integer(self, node: yaml.ScalarNode, digits: str) -> int | None:
        # Count before converting: Python refuses to read more than 4,300 decimal digits, and a number
        # beyond the float range is no use to any field.
        decimal = not digits.lstrip("+-").startswith(("0x", "0o"))
        length = len(digits.lstrip("+-"))
        if decimal and length > len(str(_LARGEST_INTEGER)):
            self._invalid(node, self._field() + too_large(f"an integer of {length:,} digits"))
            return None
        try:
            value = int(digits, 0)
        except ValueError:
            self._invalid(node, f"{short_repr(node.value)} is not an integer")
            return None
        if abs(value) > _LARGEST_INTEGER:
            self._invalid(node, self._field() + too_large(short_repr(node.value)))
            return None
        return value

    def _field(self) -> str:
        return ".".join(map(str, self._path)) + ": " if self._path else ""

    def _invalid(self, node: yaml.Node, message: str, hint: str = "") -> None:
        self.bad_paths.add(self._path)
        self.problems.append(Problem("EP104", message, self.span(node), hint=hint))

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


class _RecursiveAlias(Exception):
    """A node that contains itself through an alias."""


def _expanded_size(root: yaml.Node) -> tuple[int, int]:
    """Count the values and the characters of text the document holds once aliases are expanded.

    Shared (aliased) nodes are measured once and their size reused, so the count stays cheap even for a
    billion-laughs document; counts stop growing past the limits. The walk keeps its own stack, so deep
    nesting cannot exhaust Python's. A node that contains itself raises :class:`_RecursiveAlias`.
    """
    sizes: dict[int, tuple[int, int]] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        children = _children(node)
        if children_done:
            values, chars = 1, len(node.value) if isinstance(node, yaml.ScalarNode) else 0
            for child in children:
                child_values, child_chars = sizes[id(child)]
                values, chars = values + child_values, chars + child_chars
            sizes[key] = (min(values, MAX_EXPANDED_VALUES + 1), min(chars, MAX_EXPANDED_CHARS + 1))
            active.discard(key)
        elif key not in sizes:
            if key in active:  # reached again before it was finished: it is its own ancestor
                raise _RecursiveAlias
            active.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _separators(text: str, file: str) -> tuple[str, list[Problem]]:
    """Refuse the line breaks only YAML sees (U+0085, U+2028, U+2029), each where editors show it, and
    turn them into spaces so that YAML counts lines as editors do."""
    found = list(_YAML_ONLY_BREAKS.finditer(text))
    if not found:
        return text, []
    problems = []
    for match in found[:_MAX_REPORTED]:
        before = text[: match.start()]
        line = len(_BREAK.findall(before)) + 1
        column = match.start() - max(before.rfind("\n"), before.rfind("\r"))
        character = match.group()
        problems.append(
            Problem(
                "EP101",
                f"a raw U+{ord(character):04X} ({_SEPARATOR_NAMES[character]}): YAML reads it as a line break, "
                "editors show none",
                Span(file, line, column),
                hint="replace it with a real line break or a space (it often comes with text pasted from a "
                "web page or Word)",
            )
        )
    if len(found) > _MAX_REPORTED:
        problems.append(
            Problem(
                "EP101",
                f"{len(found) - _MAX_REPORTED:,} more raw line separators after these",
                problems[-1].span,
                hint="replace them all, e.g. with your editor's search and replace",
            )
        )
    return _YAML_ONLY_BREAKS.sub(" ", text), problems


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
        The documents that parsed, and the problems found (EP101 syntax, tags, nesting, sizes and line
        separators, EP102 duplicate keys, EP104 ambiguous, oversized or control-character scalars). A syntax
        error stops that file at the error; documents before it are kept.
    """
    text, problems = _separators(text, file)
    anchored = has_anchor(text)  # once per file: scanning the text per document grew with documents x size
    documents, found = _parse(text, file, anchored, _FileIndexes(text, file, anchored))
    return documents, problems + found


def _parse(
    text: str, file: str, anchored: bool, lazy: _FileIndexes | None
) -> tuple[list[ParsedDocument], list[Problem]]:
    """The documents of ``text`` (its line separators already refused; ``anchored`` when it may hold an
    anchor) and their problems. With ``lazy``, every document's source map is built from it when first
    asked; without, it is built now."""
    problems: list[Problem] = []
    positions = _Positions(text)
    documents: list[ParsedDocument] = []
    nodes = _documents(text)
    # only an escape (\\x07, \\u0000) can put in a scalar a control character the text does not hold
    clean = "\\" not in text and not _CONTROL.search(text)
    position = 0
    while True:
        try:
            node = next(nodes)
        except StopIteration:
            break
        except yaml.MarkedYAMLError as exc:
            problems.append(_syntax_problem(exc, file, positions))
            break
        except yaml.reader.ReaderError as exc:
            problems.append(_reader_problem(exc, file, text))
            break
        except yaml.YAMLError as exc:
            problems.append(Problem("EP101", f"YAML error: {exc}", Span(file)))
            break
        except RecursionError:  # a last resort: nesting is refused well before Python's limit
            problems.append(Problem("EP101", _too_deep_message(), Span(file), hint="flatten the structure"))
            break
        position += 1
        start = Span(file, *positions.at(node.start_mark))
        try:
            # without an anchor there is no alias, so the document cannot be bigger than its text
            values, chars = _expanded_size(node) if anchored else (0, 0)
        except _RecursiveAlias:
            problems.append(
                Problem(
                    "EP101",
                    "a recursive alias (a value that contains itself) is not allowed",
                    start,
                    hint="remove the alias that refers back to its own anchor",
                )
            )
            documents.append(_refused(node, file, start, position))
            continue
        if values > MAX_EXPANDED_VALUES or chars > MAX_EXPANDED_CHARS:
            too_many = values > MAX_EXPANDED_VALUES
            what = f"{MAX_EXPANDED_VALUES:,} values" if too_many else f"{MAX_EXPANDED_CHARS:,} characters"
            problems.append(
                Problem(
                    "EP101",
                    f"document expands to more than {what} through aliases; refused",
                    start,
                    hint="use fewer aliases (*name) of large values; a real framework document is far smaller",
                )
            )
            documents.append(_refused(node, file, start, position))
            continue
        builder = _Builder(file, positions, record=lazy is None, clean=clean)
        builder.index[()] = (start.line, start.column)
        data = builder.build(node, ())
        problems.extend(builder.problems)
        index = builder.index if lazy is None else _LazyIndex(lazy, position)
        bad = frozenset(builder.bad_paths)
        documents.append(ParsedDocument(data, SourceMap(file, index), position, bad, builder.null_entries))
    return documents, problems


class _FileIndexes:
    """The source maps of one file's documents, built when the first of them is asked where a path is.

    A load asks for a location only to report a problem or a warning, which most documents never have;
    recording the line and column of every entry while the values are built cost two tuples per entry,
    and the hundreds of thousands it kept made the garbage collection after a load long. So the first
    question parses the file again (the same text, the same builder, recording this time) and keeps the
    maps of all its documents: at most one more parse per file that has anything to report.
    """

    __slots__ = ("_anchored", "_file", "_indexes", "_text")

    def __init__(self, text: str, file: str, anchored: bool) -> None:
        self._text: str | None = text
        self._file = file
        self._anchored = anchored
        self._indexes: dict[int, Mapping[tuple[str | int, ...], tuple[int, int]]] = {}

    def index_of(self, position: int) -> Mapping[tuple[str | int, ...], tuple[int, int]]:
        """The source map of the document at ``position`` (1-based) in the file."""
        text = self._text  # read once: another thread may finish first and drop it (then both built the same)
        if text is not None:
            documents, _ = _parse(text, self._file, self._anchored, None)
            self._indexes = {document.index_in_file: document.source.index for document in documents}
            self._text = None  # after the maps are in place, so that a reader never finds neither
        return self._indexes[position]


class _LazyIndex(Mapping[tuple[str | int, ...], tuple[int, int]]):
    """The ``index`` of a :class:`~ecomperf.problems.SourceMap`, built by :class:`_FileIndexes` on first use."""

    __slots__ = ("_file", "_index", "_position")

    def __init__(self, file: _FileIndexes, position: int) -> None:
        self._file = file
        self._position = position
        self._index: Mapping[tuple[str | int, ...], tuple[int, int]] | None = None

    def _built(self) -> Mapping[tuple[str | int, ...], tuple[int, int]]:
        index = self._index
        if index is None:
            index = self._index = self._file.index_of(self._position)
        return index

    def __getitem__(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        return self._built()[path]

    def __contains__(self, path: object) -> bool:
        return path in self._built()

    def __iter__(self) -> Iterator[tuple[str | int, ...]]:
        return iter(self._built())

    def __len__(self) -> int:
        return len(self._built())


def _refused(node: yaml.Node, file: str, start: Span, position: int) -> ParsedDocument:
    """A stand-in for a document refused whole: only its ``kind`` and ``id``, so that references to it do
    not turn into "unknown" problems; every field is marked refused, so nothing else is reported about it."""
    stub: dict[str, Any] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            wanted = isinstance(key, yaml.ScalarNode) and key.value in {"apiVersion", "kind", "id"}
            if wanted and isinstance(value, yaml.ScalarNode) and len(value.value) < 200:
                stub[key.value] = value.value
    return ParsedDocument(stub, SourceMap(file, {(): (start.line, start.column)}), position, frozenset({()}))


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str, positions: _Positions) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    span = Span(file, *positions.at(mark)) if mark else Span(file)
    if isinstance(exc, _TooDeep) or "maximum nesting depth" in str(exc.problem):
        return Problem("EP101", _too_deep_message(), span, hint="flatten the structure")
    reason = " ".join(part for part in (exc.context, exc.problem) if part)
    return Problem(
        "EP101",
        f"YAML syntax error: {reason}",
        span,
        hint="check indentation, colons and quotes on this line and the one before",
    )


def _reader_problem(exc: yaml.reader.ReaderError, file: str, text: str) -> Problem:
    # libyaml reports the position in bytes of UTF-8, so find the character in the text instead.
    found = _NON_PRINTABLE.search(text)
    index = found.start() if found else min(exc.position, len(text))
    character = text[index] if found else chr(exc.character) if isinstance(exc.character, int) else "\x00"
    before = text[:index]
    line = len(_BREAK.findall(before)) + 1
    column = index - max(before.rfind("\n"), before.rfind("\r"))
    return Problem(
        "EP101",
        f"the control character U+{ord(character):04X} is not allowed in YAML",
        Span(file, line, column),
        hint="delete it; it is invisible in most editors (it often comes with text pasted from another program)",
    )
