"""Text made safe to place in Markdown: no raw HTML, no links other than http(s), no broken tables.

Markdown passes raw HTML straight through, and a link's target can be any scheme, so text from a YAML file
or an actuals sheet (a position's purpose, a metric name, an employee name) must not reach a Markdown
renderer as written: ``<script>`` or ``<img onerror=...>`` would run in the reader's browser, and
``[click](javascript:...)`` would become a live link. Every function here:

* turns the ``<`` that would open a tag (``<script>``, ``</b>``, ``<!--``, ``<?``, ``<https://...>``) into
  ``&lt;``; a lone ``<`` such as ``< 2%`` stays readable;
* escapes the ``]`` that would close a link whose target is not ``http://`` or ``https://`` (inline links
  ``[x](javascript:...)``, images ``![x](data:...)`` and reference definitions ``[x]: vbscript:...``), so the
  text shows literally and no link forms. http(s) links keep working.

The results are :class:`MarkdownText`, which marks text as already escaped so that it is not escaped twice.
Pure Python, no Jinja: the Markdown score table of :mod:`ecomperf.io` uses it as well as the templates.

>>> md_escape("see [docs](https://example.com) or [this](javascript:alert(1)) <script>")
'see [docs](https://example.com) or [this\\\\](javascript:alert(1)) &lt;script>'
"""

from __future__ import annotations

import re

__all__ = ["MarkdownText", "md_cell", "md_escape", "md_inline", "md_text"]

_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
# A `]` that is not escaped (an even number of backslashes before it), followed by `(` (an inline link
# or image) or `:` (a reference definition), whose target does not start with http:// or https://.
_LINK_CLOSE = re.compile(r"(?<!\\)((?:\\\\)*)\](?=[ \t]*[(:])(?![ \t]*[(:][ \t]*<?[ \t]*https?://)", re.IGNORECASE)


class MarkdownText(str):
    """Text already made safe for Markdown (by the functions of this module); never escaped again."""

    __slots__ = ()


def md_escape(value: object) -> MarkdownText:
    """``value`` as text with raw HTML tags and non-http(s) links neutralised; everything else unchanged.

    >>> md_escape("<img src=x onerror=alert(1)> < 2%")
    '&lt;img src=x onerror=alert(1)> < 2%'
    """
    if isinstance(value, MarkdownText):
        return value
    return MarkdownText(_no_links(_no_tags(str(value))))


def md_cell(value: object) -> MarkdownText:
    """Text safe inside a Markdown table cell: ``|`` escaped, line breaks as ``<br>``, no raw HTML tags.

    >>> md_cell("a | b\\nc <script>")
    'a \\\\| b<br>c &lt;script>'
    """
    text = _no_tags(str(value)).replace("\\", "\\\\").replace("|", "\\|")
    if "\n" in text or "\r" in text:
        text = "<br>".join(line.strip() for line in text.splitlines())
    return MarkdownText(_no_links(text))


def md_text(value: object, indent: int = 0) -> MarkdownText:
    """Text for a Markdown paragraph or list item; continuation lines are indented to stay inside the item."""
    lines = _no_tags(str(value)).splitlines() or [""]
    return MarkdownText(_no_links(("\n" + " " * indent).join(line.rstrip() for line in lines)))


def md_inline(value: object) -> MarkdownText:
    """Text for a Markdown heading: one line."""
    return MarkdownText(_no_links(" ".join(_no_tags(str(value)).split())))


def _no_tags(text: str) -> str:
    return _TAG_START.sub("&lt;", text) if "<" in text else text


def _no_links(text: str) -> str:
    return _LINK_CLOSE.sub(lambda match: match.group(1) + "\\]", text) if "]" in text else text
