"""A griffe extension that makes ecomperf's docstrings read well on the API page.

The library's docstrings are written for ``help()`` and Sphinx-style readers: cross-references as
reStructuredText roles (``:class:`~ecomperf.model.Event```) and doctest examples (``>>> ...``) that
are not always under an ``Example:`` heading. mkdocstrings would print both literally. This extension
rewrites, in the documentation only:

* a role naming a public name of ``ecomperf`` into a link to its entry (``[`Framework`][ecomperf.Framework]``),
  any other role into inline code with the last part of the name (``Event``);
* a doctest block outside an example section into a fenced ``pycon`` code block, without
  ``# doctest:`` directives.

It is listed under ``extensions`` of the mkdocstrings handler in mkdocs.yml.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|meth|attr|mod|data|exc|obj):`~?(?P<target>[\w.]+)(?:\(\))?`")
_DOCTEST_DIRECTIVE = re.compile(r"\s*#\s*doctest:.*$")
_SECTION = re.compile(r"^(?:Examples?|Example YAML):{1,2}\s*$")


def _public_names() -> set[str]:
    import ecomperf

    return {name for name in ecomperf.__all__ if not name.startswith("__")}


def convert_roles(text: str, public: set[str]) -> str:
    """Roles to links (public names of ``ecomperf``) or inline code (anything else)."""

    def replace(match: re.Match[str]) -> str:
        target = match.group("target")
        short = target.rsplit(".", 1)[-1]
        if short in public and (target == short or target.startswith("ecomperf.")):
            return f"[`{short}`][ecomperf.{short}]"
        return f"`{short}`"

    return _ROLE.sub(replace, text)


def fence_doctests(text: str) -> str:
    """Doctest blocks not under an ``Example:`` heading become fenced ``pycon`` blocks."""
    lines = text.splitlines()
    out: list[str] = []
    in_example_section = False
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if _SECTION.match(stripped):
            in_example_section = True
        elif stripped and not line.startswith((" ", "\t")) and stripped.endswith(":"):
            in_example_section = False
        if stripped.startswith(">>>") and not in_example_section:
            indent = line[: len(line) - len(line.lstrip())]
            block = []
            while index < len(lines) and lines[index].strip():
                block.append(_DOCTEST_DIRECTIVE.sub("", lines[index][len(indent) :]))
                index += 1
            out += [f"{indent}```pycon", *(indent + b for b in block), f"{indent}```"]
            continue
        out.append(_DOCTEST_DIRECTIVE.sub("", line) if stripped.startswith((">>>", "...")) else line)
        index += 1
    return "\n".join(out)


class ReadableDocstrings(griffe.Extension):
    """Rewrite reStructuredText roles and bare doctests of every docstring (see the module docstring)."""

    def __init__(self) -> None:
        self.public = _public_names()

    def on_object(self, *, obj: griffe.Object, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        """Rewrite the object's docstring once the whole tree is loaded."""
        docstring = obj.docstring
        if docstring is None or obj.is_alias:
            return
        docstring.value = fence_doctests(convert_roles(docstring.value, self.public))
