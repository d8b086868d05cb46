"""Generate ``frameworks/COVERAGE.md``: where each numbered seed rule (seed-facts §8, rules 1-129) lives.

Inputs, all under ``frameworks/`` (this script only reads them):

* ``seed-rules.tsv`` - ``n<TAB>rule``: a short restatement of every rule;
* every ``**/*.yaml`` file - a line that encodes a rule carries a trailing comment
  ``# seed-rule N: short text`` (several numbers allowed: ``# seed-rule 47, 48: ...``);
* ``coverage-not-encoded.tsv`` and ``cross-border/coverage-not-encoded.tsv`` - ``N<TAB>reason`` for
  the rules that are narrative and have nothing a YAML file could encode.

Usage (from the repository root)::

    .venv/bin/python scripts/gen_coverage.py           # (re)write frameworks/COVERAGE.md
    .venv/bin/python scripts/gen_coverage.py --check   # exit 1 if it is stale or a rule is MISSING

``--check`` also fails on a rule that is both marked and listed as not encoded (a conflict) and on a
marker naming a rule number outside the checklist. Standard library only.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FRAMEWORKS = REPO / "frameworks"
OUTPUT_NAME = "COVERAGE.md"
RULES_NAME = "seed-rules.tsv"
NOT_ENCODED_NAMES: tuple[str, ...] = ("coverage-not-encoded.tsv", "cross-border/coverage-not-encoded.tsv")
FIRST_RULE = 1
LAST_RULE = 129

# Applied to the comment part of a line only (see ``split_comment``): "# seed-rule 47, 48: text".
MARKER_RE = re.compile(r"#\s*seed-rules?\s+(?P<nums>\d+(?:\s*,\s*\d+)*)\s*:\s*(?P<text>.*?)\s*$")


@dataclass(frozen=True, order=True)
class Location:
    """One marked line: ``path`` is relative to ``frameworks/`` (POSIX separators), ``line`` is 1-based."""

    path: str
    line: int

    @property
    def label(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def link(self) -> str:
        return f"[{self.label}]({self.path}#L{self.line})"


@dataclass
class Coverage:
    """Everything ``render`` needs, plus the problems ``--check`` reports."""

    rules: dict[int, str]
    markers: dict[int, list[Location]]
    not_encoded: dict[int, str]
    problems: list[str] = field(default_factory=list)

    @property
    def numbers(self) -> range:
        return range(FIRST_RULE, LAST_RULE + 1)

    @property
    def encoded(self) -> list[int]:
        return [n for n in self.numbers if n in self.markers]

    @property
    def listed_only(self) -> list[int]:
        return [n for n in self.numbers if n in self.not_encoded and n not in self.markers]

    @property
    def missing(self) -> list[int]:
        return [n for n in self.numbers if n not in self.markers and n not in self.not_encoded]

    @property
    def conflicts(self) -> list[int]:
        return [n for n in self.numbers if n in self.markers and n in self.not_encoded]


def split_comment(line: str) -> tuple[str, str | None]:
    """Split a YAML line into (content, comment); ``#`` starts a comment only outside quotes and
    at the start of the line or after whitespace, as in YAML."""
    quote: str | None = None
    i = 0
    while i < len(line):
        ch = line[i]
        if quote is not None:
            if ch == quote:
                if quote == "'" and line[i + 1 : i + 2] == "'":  # '' escapes ' in single quotes
                    i += 1
                else:
                    quote = None
            elif ch == "\\" and quote == '"':
                i += 1
        elif ch in "\"'" and (i == 0 or line[i - 1] in " \t[{,:-"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i], line[i:]
        i += 1
    return line, None


def marker_numbers(line: str) -> list[int]:
    """Rule numbers named by the ``# seed-rule`` marker of ``line`` (empty if it has none)."""
    _, comment = split_comment(line)
    if comment is None:
        return []
    match = MARKER_RE.search(comment)
    if match is None:
        return []
    return [int(tok) for tok in re.split(r"\s*,\s*", match["nums"].strip())]


def yaml_files(frameworks: Path) -> list[Path]:
    files = {*frameworks.rglob("*.yaml"), *frameworks.rglob("*.yml")}
    return sorted(files, key=lambda p: p.relative_to(frameworks).as_posix())


def scan_markers(frameworks: Path, problems: list[str] | None = None) -> dict[int, list[Location]]:
    """Map rule number -> marked locations (sorted by file, then line)."""
    found: dict[int, list[Location]] = {}
    for path in yaml_files(frameworks):
        rel = path.relative_to(frameworks).as_posix()
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for n in marker_numbers(line):
                if not FIRST_RULE <= n <= LAST_RULE and problems is not None:
                    problems.append(f"{rel}:{lineno}: marker names rule {n}, outside {FIRST_RULE}-{LAST_RULE}")
                found.setdefault(n, []).append(Location(rel, lineno))
    return {n: sorted(set(locs)) for n, locs in sorted(found.items())}


def _tsv_rows(path: Path) -> Iterable[tuple[int, int, str]]:
    """(line number, rule number, text) for every ``N<TAB>text`` row; headers and blanks skipped."""
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head, _, text = line.partition("\t")
        if not head.strip().isdigit():
            continue  # header line such as "n<TAB>rule"
        yield lineno, int(head), text.strip()


def read_rules(path: Path, problems: list[str] | None = None) -> dict[int, str]:
    rules: dict[int, str] = {}
    for lineno, n, text in _tsv_rows(path):
        if n in rules and problems is not None:
            problems.append(f"{path.name}:{lineno}: rule {n} listed twice")
        rules[n] = text
    return rules


def read_not_encoded(frameworks: Path, problems: list[str] | None = None) -> dict[int, str]:
    """Merge the not-encoded TSVs; a file that does not exist (yet) counts as empty."""
    reasons: dict[int, str] = {}
    for name in NOT_ENCODED_NAMES:
        path = frameworks / name
        if not path.is_file():
            continue
        for lineno, n, reason in _tsv_rows(path):
            if not FIRST_RULE <= n <= LAST_RULE and problems is not None:
                problems.append(f"{name}:{lineno}: rule {n} is outside {FIRST_RULE}-{LAST_RULE}")
            text = reason or "(no reason given)"
            reasons[n] = f"{reasons[n]}; {text}" if n in reasons and reasons[n] != text else text
    return reasons


def collect(frameworks: Path = FRAMEWORKS) -> Coverage:
    problems: list[str] = []
    rules = read_rules(frameworks / RULES_NAME, problems)
    markers = scan_markers(frameworks, problems)
    not_encoded = read_not_encoded(frameworks, problems)
    cov = Coverage(rules=rules, markers=markers, not_encoded=not_encoded, problems=problems)
    for n in cov.numbers:
        if n not in rules:
            problems.append(f"{RULES_NAME}: no short statement for rule {n}")
    for n in cov.conflicts:
        problems.append(f"rule {n}: conflict - marked in the YAML and listed as not encoded")
    for n in cov.missing:
        problems.append(f"rule {n}: MISSING - neither marked in the YAML nor listed as not encoded")
    return cov


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def where_cell(cov: Coverage, n: int) -> str:
    parts: list[str] = []
    if n in cov.markers:
        parts.append(", ".join(loc.link for loc in cov.markers[n]))
    if n in cov.not_encoded:
        prefix = "**conflict** - also listed as not encoded: " if n in cov.markers else "not encoded: "
        parts.append(prefix + _cell(cov.not_encoded[n]))
    return "; ".join(parts) if parts else "**MISSING**"


def render(cov: Coverage) -> str:
    lines = [
        "# Seed-rule coverage",
        "",
        "<!-- Generated by scripts/gen_coverage.py from the YAML markers and TSV files; do not edit. -->",
        "",
        f"Every numbered rule of the domain checklist (seed facts §8, rules {FIRST_RULE}–{LAST_RULE}) and "
        "where the bundled frameworks encode it. A YAML line that encodes a rule ends with a comment "
        "`# seed-rule N: short text`; rules that are narrative rather than encodable are listed with a "
        "reason in `coverage-not-encoded.tsv` and `cross-border/coverage-not-encoded.tsv`. The short "
        "statements come from `seed-rules.tsv`. Locations are relative to `frameworks/`.",
        "",
        "Regenerate after editing a framework, and check freshness (CI, tests) with:",
        "",
        "```sh",
        ".venv/bin/python scripts/gen_coverage.py",
        ".venv/bin/python scripts/gen_coverage.py --check",
        "```",
        "",
        f"Encoded: {len(cov.encoded)} · not encoded: {len(cov.listed_only)} · "
        f"missing: {len(cov.missing)} · conflicts: {len(cov.conflicts)}",
        "",
        "| n | rule (short) | where |",
        "|---:|---|---|",
    ]
    for n in cov.numbers:
        statement = _cell(cov.rules.get(n, "(no short statement)"))
        lines.append(f"| {n} | {statement} | {where_cell(cov, n)} |")
    return "\n".join(lines) + "\n"


def summary(cov: Coverage) -> str:
    text = (
        f"seed rules {FIRST_RULE}-{LAST_RULE}: encoded {len(cov.encoded)}, "
        f"not encoded {len(cov.listed_only)}, missing {len(cov.missing)}, conflicts {len(cov.conflicts)}"
    )
    if cov.missing:
        text += "\nmissing: " + ", ".join(map(str, cov.missing))
    if cov.conflicts:
        text += "\nconflicts: " + ", ".join(map(str, cov.conflicts))
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help=f"do not write; exit 1 if {OUTPUT_NAME} is stale")
    parser.add_argument("--frameworks", type=Path, default=FRAMEWORKS, help="frameworks directory")
    args = parser.parse_args(argv)
    frameworks: Path = args.frameworks
    cov = collect(frameworks)
    text = render(cov)
    output = frameworks / OUTPUT_NAME
    print(summary(cov))
    for problem in cov.problems:
        print(f"problem: {problem}", file=sys.stderr)
    if args.check:
        current = output.read_text(encoding="utf-8") if output.is_file() else None
        stale = current != text
        if stale:
            print(f"{output} is out of date; run: python scripts/gen_coverage.py", file=sys.stderr)
        return 1 if stale or cov.problems else 0
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
