"""The problem-code reference: one section per ``EPxxx`` code, generated from example data.

Each code has a YAML file ``docs/problems/examples/EPxxx.yaml``::

    code: EP301
    title: Weights of a stage do not add up to 100
    explanation: |            # markdown: what the problem means and why it is a problem
    fix: |                    # markdown: how to fix it
    examples:
      - caption: ...          # optional
        files:                # written over the base framework in docs/problems/examples/base;
          positions/buyer.yaml: |   # a file of the base is replaced, a new one added, null deletes one
            ...
        fixed: {...}          # optional: the corrected files, again over the base (must load cleanly)
        load: my-framework    # optional: the path given to `ecomperf validate` (EP107 misspells it)
        python: |             # optional, instead of files: Python run next to the base framework
        expect:               # the first line of every problem, exactly as `ecomperf validate` prints it
          - "my-framework/positions/buyer.yaml:7:5: EP301 weights of stage 'startup' sum to 90, ..."

At build time every example is copied next to the base framework into a scratch folder named
``my-framework``, loaded with :func:`ecomperf.load_documents` and validated by the real CLI, whose output
is what the page shows. ``tests/docs/test_problem_codes.py`` checks ``expect`` against the loader.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scripts.docs._common import DOCS, REPO, console, copy_tree, fence, run_cli, scratch, write_files

EXAMPLES = DOCS / "problems" / "examples"
"""Where the example data lives."""

BASE = EXAMPLES / "base"
"""The small clean framework every example is laid over."""

FOLDER = "my-framework"
"""The folder name the examples are validated under (it appears in every location shown)."""

GROUPS = {
    "EP1": "EP1xx: YAML syntax, types and fields",
    "EP2": "EP2xx: references between documents",
    "EP3": "EP3xx: scorecards and scoring rules",
    "EP4": "EP4xx: organisation",
    "EP5": "EP5xx: target plans",
    "EP9": "EP9xx: internal",
}
"""Section headings of the page, by code prefix."""

_EMITTED = re.compile(r"""["'](EP\d{3})["']""")


@dataclass(frozen=True)
class Example:
    """One bad example of a code, with its fix."""

    caption: str | None
    files: dict[str, str | None]
    fixed: dict[str, str | None] | None
    load: str
    python: str | None
    expect: tuple[str, ...]


@dataclass(frozen=True)
class CodeDoc:
    """The documentation of one problem code."""

    code: str
    title: str
    explanation: str
    fix: str
    examples: tuple[Example, ...]
    source: Path

    @property
    def anchor(self) -> str:
        """The heading id of the code's section (``ep301``)."""
        return self.code.lower()


@dataclass(frozen=True)
class Run:
    """What an example produced: every problem line, their severities, and the screen to show."""

    lines: tuple[str, ...]
    severities: tuple[str, ...]
    screen: str
    extra: dict[str, Any] = field(default_factory=dict)


def load_codes(folder: Path = EXAMPLES) -> list[CodeDoc]:
    """Every ``EPxxx.yaml`` of ``folder``, sorted by code."""
    codes = []
    for path in sorted(folder.glob("EP*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        examples = tuple(_example(item) for item in data["examples"])
        codes.append(
            CodeDoc(
                code=data["code"],
                title=data["title"],
                explanation=data["explanation"].strip(),
                fix=data["fix"].strip(),
                examples=examples,
                source=path,
            )
        )
    return codes


def _example(item: Mapping[str, Any]) -> Example:
    fixed = item.get("fixed")
    return Example(
        caption=item.get("caption"),
        files=dict(item.get("files") or {}),
        fixed=None if fixed is None else dict(fixed),
        load=item.get("load", FOLDER),
        python=item.get("python"),
        expect=tuple(item.get("expect") or ()),
    )


def emitted_codes(package: Path = REPO / "ecomperf") -> set[str]:
    """Every code written as a string literal anywhere in the package (what the library can emit)."""
    found: set[str] = set()
    for path in package.rglob("*.py"):
        found.update(_EMITTED.findall(path.read_text(encoding="utf-8")))
    return found


@contextlib.contextmanager
def laid_out(files: Mapping[str, str | None]) -> Any:
    """A scratch folder (the current directory) holding ``my-framework``: the base with ``files`` over it."""
    with scratch() as root:
        copy_tree(BASE, root / FOLDER)
        write_files(root / FOLDER, files)
        yield root


def problem_lines(load: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The first line of every problem :func:`ecomperf.load_documents` reports for ``load``, and severities."""
    import ecomperf

    result = ecomperf.load_documents(load)
    lines = tuple(problem.format().splitlines()[0] for problem in result.problems)
    return lines, tuple(problem.severity for problem in result.problems)


def run_example(example: Example) -> Run:
    """Lay the example out, load it and capture what a user would see."""
    with laid_out(example.files):
        if example.python is not None:
            return _run_python(example.python)
        lines, severities = problem_lines(example.load)
        _, output = run_cli(["validate", example.load])
        return Run(lines, severities, console(f"ecomperf validate {example.load}", output))


def run_fixed(example: Example) -> tuple[str, ...]:
    """The problem lines of the example's fixed version (empty when it loads cleanly)."""
    assert example.fixed is not None
    with laid_out(example.fixed):
        return problem_lines(FOLDER)[0]


def _run_python(code: str) -> Run:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<example>", "exec"), {"__name__": "__example__"})
    text = out.getvalue()
    lines = tuple(line for line in text.splitlines() if re.search(r": EP\d{3} ", line))
    severities = tuple("warning" if ": warning: " in line else "error" for line in lines)
    return Run(lines, severities, fence(code, "python") + "\n" + fence(text, "text", title="Output"))


# --- the page ---------------------------------------------------------------------------------------


def mismatches(code: CodeDoc, runs: Iterable[Run]) -> list[str]:
    """Examples whose ``expect`` differs from what ecomperf reports now, described for a build warning."""
    found = []
    for number, (example, run) in enumerate(zip(code.examples, runs, strict=True), start=1):
        if tuple(example.expect) != run.lines:
            found.append(
                f"{code.source.name}, example {number}: `expect` differs from what ecomperf reports now:\n"
                f"  expected {list(example.expect)}\n  got      {list(run.lines)}"
            )
    return found


def render(codes: Iterable[CodeDoc]) -> tuple[str, list[str]]:
    """The markdown of every code (a summary table, then one section per code, grouped by hundreds),
    and the examples whose ``expect`` is out of date."""
    documented = list(codes)
    runs = {code.code: [run_example(example) for example in code.examples] for code in documented}
    stale = [problem for code in documented for problem in mismatches(code, runs[code.code])]
    parts = [_summary(documented, runs)]
    group = ""
    for code in documented:
        prefix = code.code[:3]
        if prefix != group:
            group = prefix
            parts.append(f"## {GROUPS.get(prefix, prefix + 'xx')}\n")
        parts.append(_section(code, runs[code.code]))
    return "\n".join(parts), stale


def severity_of(runs: Iterable[Run], code: str) -> str:
    """``error`` or ``warning``: the severity the examples of ``code`` actually produce."""
    for run in runs:
        for line, severity in zip(run.lines, run.severities, strict=True):
            if f": {code} " in line:
                return severity
    return "error"


def _summary(codes: list[CodeDoc], runs: Mapping[str, list[Run]]) -> str:
    rows = ["| Code | Problem | Severity |", "|---|---|---|"]
    for code in codes:
        severity = severity_of(runs[code.code], code.code)
        rows.append(f"| [{code.code}](#{code.anchor}) | {code.title} | {severity} |")
    return "\n".join(rows) + "\n"


def _section(code: CodeDoc, runs: list[Run]) -> str:
    severity = severity_of(runs, code.code)
    parts = [
        f"### {code.code}: {code.title} {{ #{code.anchor} }}\n",
        f"*Severity: {severity}.* {code.explanation}\n",
    ]
    for number, (example, run) in enumerate(zip(code.examples, runs, strict=True), start=1):
        if len(code.examples) > 1 or example.caption:
            caption = example.caption or f"Example {number}"
            parts.append(f"**{caption}**\n")
        parts.append(_example_tabs(code, example, run))
    parts.append(f"**How to fix it.** {code.fix}\n")
    return "\n".join(parts)


def _example_tabs(code: CodeDoc, example: Example, run: Run) -> str:
    if example.python is not None:
        return run.screen
    problem = run.screen
    if example.files:
        problem = _files_block(example.files, _lines_to_mark(code.code, run.lines)) + "\n" + run.screen
    tabs = [("Problem", problem)]
    if example.fixed is not None:
        tabs.append(("Fixed", _fixed_block(example)))
    return "".join(f'=== "{title}"\n\n{_indent(body)}\n' for title, body in tabs)


def _lines_to_mark(code: str, lines: Iterable[str]) -> dict[str, set[int]]:
    """File (relative to the framework) -> line numbers the problems of ``code`` point at."""
    marks: dict[str, set[int]] = {}
    for line in lines:
        match = re.match(rf"^{FOLDER}/(.+?):(\d+):\d+: {code} ", line)
        if match:
            marks.setdefault(match.group(1), set()).add(int(match.group(2)))
    return marks


def _files_block(files: Mapping[str, str | None], marks: Mapping[str, set[int]] | None = None) -> str:
    blocks = []
    for name, text in files.items():
        if text is None:
            blocks.append(f"`{FOLDER}/{name}` deleted.\n")
            continue
        title = f"{FOLDER}/{name}"
        lines = " ".join(map(str, sorted((marks or {}).get(name, set()))))
        blocks.append(fence(text, "yaml", title=title, hl_lines=lines) if lines else fence(text, "yaml", title=title))
    return "\n".join(blocks)


def _fixed_block(example: Example) -> str:
    assert example.fixed is not None
    removed = [name for name, text in example.files.items() if text is not None and name not in example.fixed]
    restored = [name for name, text in example.files.items() if text is None and name not in example.fixed]
    notes = [f"Delete `{FOLDER}/{name}`." for name in removed]
    notes += [f"Put `{FOLDER}/{name}` back." for name in restored]
    changed = {name: text for name, text in example.fixed.items() if example.files.get(name) != text}
    parts = [" ".join(notes) + "\n"] if notes else []
    if changed:
        parts.append(_files_block(changed))
    parts.append(f"`ecomperf validate {FOLDER}` now reports no problems.\n")
    return "\n".join(parts)


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in text.splitlines())
