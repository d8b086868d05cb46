"""Problems found while loading and validating a framework, and their source locations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Problem", "Severity", "SourceMap", "Span"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A position in a source file: 1-based line and column.

    >>> str(Span("fw/position.yaml", 12, 7))
    'fw/position.yaml:12:7'
    """

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth a warning) in a framework.

    Attributes:
        code: stable code such as ``"EP301"``; documented under docs/problems.
        message: what is wrong, naming the offending values.
        span: where it is; ``None`` only for problems about the framework as a whole.
        severity: ``"error"`` blocks loading, ``"warning"`` does not.
        hint: how to fix it, one sentence.
    """

    code: str
    message: str
    span: Span | None = None
    severity: Severity = "error"
    hint: str = ""
    related: tuple[Span, ...] = field(default=())

    @property
    def where(self) -> str:
        """``path:line:col``, or ``<framework>`` for a problem about the framework as a whole."""
        return str(self.span) if self.span else "<framework>"

    @property
    def text(self) -> str:
        """The message, marked ``warning:`` when the problem is only a warning."""
        return self.message if self.severity == "error" else f"warning: {self.message}"

    def format(self) -> str:
        """Return the ``path:line:col: CODE message`` line (and its hint line) of the CLI and ``str(FrameworkError)``.

        >>> print(Problem("EP301", "weights sum to 90", Span("p.yaml", 4, 5), hint="add 10 points").format())
        p.yaml:4:5: EP301 weights sum to 90
            hint: add 10 points
        """
        line = f"{self.where}: {self.code} {self.text}"
        return f"{line}\n    hint: {self.hint}" if self.hint else line

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order problems by file, line, column, then code."""
        if self.span is None:
            return ("", 0, 0, self.code)
        return (self.span.file, self.span.line, self.span.column, self.code)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready mapping (used by ``ecomperf validate --format json``)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "file": self.span.file if self.span else None,
            "line": self.span.line if self.span else None,
            "column": self.span.column if self.span else None,
            "related": [str(s) for s in self.related],
        }


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Where each part of one YAML document sits in its file.

    ``index`` maps a key path inside the document (``("scorecard", "stages", "startup", 0, "target")``)
    to the 1-based line and column of that entry: for a mapping entry, its key; for a list item, the item.
    ``span(*path)`` falls back to the nearest enclosing entry, so every lookup gives a real place.
    """

    file: str
    index: Mapping[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)

    def span(self, *path: str | int) -> Span:
        """The location of ``path``, or of its nearest recorded ancestor (the document start at worst)."""
        key = tuple(path)
        while key and key not in self.index:
            key = key[:-1]
        line, column = self.index.get(key, (1, 1))
        return Span(self.file, line, column)

    def has(self, *path: str | int) -> bool:
        """Whether ``path`` itself (not an ancestor) is recorded."""
        return tuple(path) in self.index
