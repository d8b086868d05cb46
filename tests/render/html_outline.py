"""A small ``html.parser`` reader that collects what the render tests check: headings, tables, text, tags."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Outline:
    """What a page contains: headings ``(tag, text)``, tables as rows of cell texts, every start tag."""

    headings: list[tuple[str, str]] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    text: str = ""
    style: str = ""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.outline = Outline()
        self._heading: list[str] | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._tables: list[list[list[str]]] = []
        self._in_style = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.outline.tags.append((tag, dict(attrs)))
        if tag in {"h1", "h2", "h3", "h4"}:
            self._heading = []
        elif tag == "table":
            self._tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in {"td", "th"}:
            self._cell = []
        elif tag == "style":
            self._in_style = True
        elif tag == "br":
            self.handle_data(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"h1", "h2", "h3", "h4"} and self._heading is not None:
            self.outline.headings.append((tag, "".join(self._heading).strip()))
            self._heading = None
        elif tag in {"td", "th"} and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._tables:
            self._tables[-1].append(self._row)
            self._row = None
        elif tag == "table" and self._tables:
            self.outline.tables.append(self._tables.pop())
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.outline.style += data
            return
        self._text.append(data)
        for sink in (self._heading, self._cell):
            if sink is not None:
                sink.append(data)

    def close(self) -> None:
        super().close()
        self.outline.text = "".join(self._text)


def outline(html: str) -> Outline:
    """Parse ``html`` into an :class:`Outline`."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.outline
