"""The common YAML mistakes in plain words, each with its fix.

The YAML library reports what its parser saw ("while scanning for the next token found character that cannot
start any token"), not what the author did. :func:`explain_yaml` looks at the line the parser stopped at and
rewrites the problems of the mistakes people make most, so that the message names the mistake and the
hint shows the corrected line:

==============================================  =================================================================
what was written                                what the problem says
==============================================  =================================================================
a tab used to indent                            a tab indents the line; YAML indents with spaces only
``definition: Revenue: what we sell``           a colon and a space inside a text; quote the text
``name: {zh: 收入, en: Revenue: net}``          a colon inside a text in ``{…}``; quote it
``{zh: 收入, en: sales, returns excluded}``     the comma cut the text; ``returns excluded`` became a key (EP104,
                                                once, instead of one "Input should be a valid string" per field)
``target: >= 20%``                              ``>`` starts a folded text block; quote the target
``name: {zh: 投资回报率, en: ROI`` (no ``}``)    the ``{`` of line N is never closed
``note: *important``, ``x: @home``, ``'abc``    the character needs quotes, or the quote is never closed
==============================================  =================================================================

Anything else keeps the parser's own words. The loader calls :func:`explain_yaml` once per file, right after
parsing it (:func:`ecomperf.loading.documents.read_index`).

Example:
    >>> from ecomperf.problems import Problem, Span
    >>> syntax = Problem("EP101", "YAML syntax error: while scanning a block scalar did not find expected comment or "
    ...                  "line break", Span("p.yaml", 2, 11))
    >>> fixed = explain_syntax(syntax, "kpi: gmv\\ntarget: >= 20%\\n")
    >>> fixed.message
    "YAML syntax error: the target >= 20% starts with '>', which YAML reads as the start of a folded block of text"
    >>> fixed.hint
    'quote it: target: ">= 20%"'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any, Final

from ecomperf.loading.yaml_source import ParsedDocument
from ecomperf.problems import Problem, Span

__all__ = ["explain_syntax", "explain_yaml", "stray_flow_keys"]

_PREFIX: Final = "YAML syntax error: "
_KEY_VALUE = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s:#][^:#]*?):\s+(?P<value>.*?)\s*$")
_SPECIAL_STARTS: Final = {
    "@": "'@' is reserved in YAML",
    "`": "'`' is reserved in YAML",
    "%": "'%' at the start of a value marks a YAML directive",
    "*": "'*' at the start of a value names an alias (*name)",
    "&": "'&' at the start of a value names an anchor (&name)",
    "!": "'!' at the start of a value is a tag",
}


def explain_yaml(
    documents: list[ParsedDocument], problems: list[Problem], text: str
) -> tuple[list[ParsedDocument], list[Problem]]:
    """The documents and problems of one file, with the common mistakes explained.

    Syntax errors (EP101) are reworded by :func:`explain_syntax`. A flow mapping whose text was cut by a comma
    (:func:`stray_flow_keys`) gets one EP104 problem, and its path is marked bad so that the model does not add
    an "Input should be a valid string" for every form the field allows.

    Args:
        documents: the documents :func:`ecomperf.loading.yaml_source.parse_yaml` returned for the file.
        problems: the problems it returned.
        text: the file's text.

    Returns:
        The documents (with bad paths added where a text was cut) and the reworded problems.
    """
    explained = [explain_syntax(problem, text) if problem.code == "EP101" else problem for problem in problems]
    marked: list[ParsedDocument] = []
    lines: list[str] | None = None  # split only for a document that may hold a stray key
    for document in documents:
        if not document.null_entries:  # a stray key has no value: without one there is nothing to walk
            marked.append(document)
            continue
        lines = text.splitlines() if lines is None else lines
        strays = list(stray_flow_keys(document, lines))
        if not strays:
            marked.append(document)
            continue
        bad = set(document.bad_paths)
        for mapping_path, key, before, value in strays:
            bad.add(mapping_path)
            quoted = _quoted(f"{value}, {key}") if isinstance(value, str) else None
            hint = (
                f"quote the text: {before}: {quoted}" if quoted is not None
                else f"write `{key}: …` with its value, or quote the text that holds the comma"
            )
            explained.append(
                Problem(
                    "EP104",
                    f"the text of {before!r} ends at a comma: inside {{…}} a comma separates entries, so "
                    f"{key!r} became an entry of its own, without a value",
                    document.source.span(*mapping_path, key),
                    hint=hint,
                )
            )
        marked.append(replace(document, bad_paths=frozenset(bad)))
    return marked, explained


def stray_flow_keys(
    document: ParsedDocument, lines: Sequence[str]
) -> Iterator[tuple[tuple[str | int, ...], str, str, Any]]:
    """``(path of the mapping, stray key, the key before it, that key's value)`` for every key written without
    a colon on the same line as the entry before it: the rest of a text a comma cut off inside ``{…}``.

    Args:
        document: a parsed document.
        lines: the lines of its file (a key followed by a colon has a value, even an empty or refused one).

    Example:
        >>> from ecomperf.loading.yaml_source import parse_yaml
        >>> text = "definition: {zh: 收入, en: sales, returns excluded}\\n"
        >>> documents, _ = parse_yaml(text, "m.yaml")
        >>> list(stray_flow_keys(documents[0], text.splitlines()))
        [(('definition',), 'returns excluded', 'en', 'sales')]
    """
    index = document.source.index

    def bare(key: str, where: tuple[int, int]) -> bool:
        line, column = where
        rest = lines[line - 1][column - 1 + len(key) :] if 0 < line <= len(lines) else ":"
        return not rest.lstrip().startswith(":")

    def walk(root: Any) -> Iterator[tuple[tuple[str | int, ...], str, str, Any]]:
        # a stack, not recursion through generators: every mapping and list of every document is visited
        stack: list[tuple[Any, tuple[str | int, ...]]] = [(root, ())]
        while stack:
            node, path = stack.pop()
            if isinstance(node, dict):
                keys = list(node)
                found = []
                for position, key in enumerate(keys):
                    value = node[key]
                    if position and value is None and isinstance(key, str):
                        before = keys[position - 1]
                        here, previous = index.get((*path, key)), index.get((*path, before))
                        if here is not None and previous is not None and here[0] == previous[0] and bare(key, here):
                            found.append((path, key, str(before), node[before]))
                            continue
                    if isinstance(value, dict | list):
                        stack.append((value, (*path, key)))
                yield from found
            elif isinstance(node, list):
                stack.extend((item, (*path, position)) for position, item in enumerate(node)
                             if isinstance(item, dict | list))

    return walk(document.data)


def explain_syntax(problem: Problem, text: str) -> Problem:
    """``problem`` (an EP101 syntax error) reworded when the line it points at shows a common mistake."""
    if not problem.message.startswith(_PREFIX) or problem.span is None:
        return problem
    reason = problem.message.removeprefix(_PREFIX)
    lines = text.splitlines()
    number, column = problem.span.line, problem.span.column
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    found = _explain(reason, line, column, number, lines)
    if found is None:
        return problem
    message, hint = found[0], found[1]
    span = problem.span if len(found) == 2 else Span(problem.span.file, *found[2])
    return replace(problem, message=_PREFIX + message, hint=hint, span=span)


_Explained = tuple[str, str] | tuple[str, str, tuple[int, int]]
"""A message and a hint, and where the mistake is when that is not where the parser noticed it."""


def _explain(reason: str, line: str, column: int, number: int, lines: Sequence[str]) -> _Explained | None:
    char = line[column - 1] if 0 < column <= len(line) else ""
    leading = line[: len(line) - len(line.lstrip())]
    if "\t" in leading and ("tab" in reason or "cannot start any token" in reason or "indentation" in reason):
        return (
            f"a tab character indents line {number}; YAML indents with spaces only",
            "replace the tab with spaces (set the editor to insert spaces for the Tab key)",
        )
    if char == "\t" and "cannot start any token" in reason:
        return (
            f"a tab character at line {number}, column {column}; YAML does not allow tabs there",
            "replace the tab with spaces",
        )
    entry = _KEY_VALUE.match(line)
    pair = _pair_at(line, column)
    if pair is not None and ("block scalar" in reason or char in ">|") and pair[1].startswith((">", "|")):
        key, value = pair
        symbol = value[0]
        return (
            f"the {key} {value} starts with {symbol!r}, which YAML reads as the start of a "
            f"{'folded' if symbol == '>' else 'literal'} block of text",
            f"quote it: {key}: {_quoted(value)}",
        )
    if "flow mapping" in reason or "flow sequence" in reason:
        return _flow(reason, line, column, number, lines)
    if "mapping values are not allowed" in reason and entry is not None:
        key, value = entry["key"].strip(), entry["value"]
        return (
            f"the text after {key}: holds a colon followed by a space, which YAML reads as the start of another key",
            f"quote the text: {key}: {_quoted(value)}",
        )
    if "undefined alias" in reason and entry is not None and entry["value"].startswith("*"):
        key, value = entry["key"].strip(), entry["value"]
        return (f"{_SPECIAL_STARTS['*']}; {value!r} names none", f"quote it if it is text: {key}: {_quoted(value)}")
    if "cannot start any token" in reason and char in _SPECIAL_STARTS and entry is not None:
        key, value = entry["key"].strip(), entry["value"]
        return (f"{_SPECIAL_STARTS[char]}, so the value {value!r} must be quoted", f"write {key}: {_quoted(value)}")
    if "quoted scalar" in reason and "end of stream" in reason:
        opened = _last_open_quote(lines, number)
        if opened is None:
            return ("a quote is never closed", "close the quote at the end of the text")
        text = lines[opened - 1]
        return ("this quote is never closed", "close the quote at the end of the text",
                (opened, max(text.rfind('"'), text.rfind("'")) + 1))
    return None


def _pair_at(line: str, column: int) -> tuple[str, str] | None:
    """The ``key: value`` entry the parser stopped in, in block (``key: value``) or flow (``{a: 1, key: value}``)
    form: the key before the last ``": "`` left of the column, the value from there to the next ``,`` or ``}``."""
    colon = line.rfind(": ", 0, max(column - 1, 0))
    if colon < 0:
        return None
    dash = line.rfind("- ", 0, colon)
    start = max(line.rfind(",", 0, colon) + 1, line.rfind("{", 0, colon) + 1, dash + 2 if dash >= 0 else 0)
    key = line[start:colon].strip()
    rest = line[colon + 2 :]
    if "{" in line:  # a flow mapping: the value ends at the next entry or at the closing brace
        rest = re.split(r"[,}]", rest, maxsplit=1)[0]
    value = rest.strip()
    return (key, value) if key and value else None


def _flow(reason: str, line: str, column: int, number: int, lines: Sequence[str]) -> _Explained | None:
    """A ``{…}`` or ``[…]`` that holds an unquoted colon, or is never closed."""
    opener, closer = ("{", "}") if "flow mapping" in reason else ("[", "]")
    before = line[: column - 1]
    if opener in before and closer not in before[before.rfind(opener):]:
        start = max(before.rfind(","), before.rfind(opener)) + 1
        piece = line[start:].split(",")[0].split(closer)[0].strip()
        key, _, value = piece.partition(": ")
        if value:
            return (
                f"a text inside {opener}…{closer} holds a colon followed by a space; inside brackets such a text "
                "must be quoted",
                f"quote it: {key}: {_quoted(value)}",
            )
    for earlier in range(number, 0, -1):
        text = lines[earlier - 1] if earlier != number else before
        if text.count(opener) > text.count(closer):
            reads_on = f"reads on into line {number}" if earlier != number else "reads on to the end"
            return (
                f"this {opener!r} is never closed, so YAML {reads_on}",
                f"close it with {closer!r} at the end of line {earlier}, or quote a text that holds {opener!r}",
                (earlier, text.rfind(opener) + 1),
            )
    return None


def _last_open_quote(lines: Sequence[str], number: int) -> int | None:
    for earlier in range(min(number, len(lines)), 0, -1):
        text = lines[earlier - 1]
        if text.count('"') % 2 or text.count("'") % 2:
            return earlier
    return None


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (single quotes when it holds a double quote)."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"
