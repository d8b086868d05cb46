"""Run the Python examples of a page and show what they print.

On a page with ``<!-- ecomperf:output -->`` directives, every ```` ```python ```` block runs in order in
one namespace, in a scratch folder holding copies of ``examples/`` and ``frameworks/`` (so relative
paths in the examples work and nothing they write lands in the repository). Each directive is replaced
by what the blocks before it printed since the previous directive. A failing block fails the build;
``tests/docs/test_cookbook.py`` runs the same pages.

A block that imports an optional package that is not installed (see :data:`OPTIONAL`) is skipped, and
its output says so, so the site builds without pandas.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass, field
from typing import Any

from scripts.docs._common import EXAMPLES, FRAMEWORKS, copy_tree, fence, scratch

OPTIONAL = ("pandas",)
"""Packages an example may need that ecomperf does not install."""

_BLOCK = re.compile(r"^```python[^\n]*\n(?P<code>.*?)^```\s*$", re.MULTILINE | re.DOTALL)
_OUTPUT = re.compile(r"^<!-- ecomperf:output\s*-->\s*$", re.MULTILINE)


@dataclass
class Result:
    """What running a page produced: the outputs in order, and the blocks skipped for a missing package."""

    outputs: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def has_examples(markdown: str) -> bool:
    """Whether the page asks for example outputs."""
    return bool(_OUTPUT.search(markdown))


def run(markdown: str) -> Result:
    """Run every python block of ``markdown`` in order; collect the output at each directive."""
    events = sorted(
        [(m.start(), "code", m.group("code")) for m in _BLOCK.finditer(markdown)]
        + [(m.start(), "output", "") for m in _OUTPUT.finditer(markdown)]
    )
    result = Result()
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    buffer = io.StringIO()
    skipping = ""
    with scratch() as root:
        copy_tree(EXAMPLES, root / "examples")
        copy_tree(FRAMEWORKS, root / "frameworks")
        for _, kind, code in events:
            if kind == "output":
                text = buffer.getvalue()
                if skipping:
                    text = f"({skipping} is not installed where this site was built; nothing ran)\n"
                result.outputs.append(text)
                buffer, skipping = io.StringIO(), ""
                continue
            missing = _missing_optional(code)
            if missing:
                skipping = missing
                result.skipped.append(code)
                continue
            with contextlib.redirect_stdout(buffer):
                exec(compile(code, "<docs example>", "exec"), namespace)
    return result


def expand(markdown: str) -> str:
    """``markdown`` with each output directive replaced by an ``Output`` block of what was printed."""
    outputs = iter(run(markdown).outputs)
    return _OUTPUT.sub(lambda _: fence(next(outputs).rstrip() or "(nothing printed)", "text", title="Output"), markdown)


def _missing_optional(code: str) -> str:
    for package in OPTIONAL:
        if re.search(rf"^\s*(import|from)\s+{package}\b", code, re.MULTILINE):
            try:
                __import__(package)
            except ModuleNotFoundError:
                return package
    return ""
