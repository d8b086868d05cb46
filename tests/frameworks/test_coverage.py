"""frameworks/COVERAGE.md: fresh, complete, and every location really encodes its seed rule.

The table is produced by ``scripts/gen_coverage.py`` from ``# seed-rule N: ...`` markers in the framework
YAML, the not-encoded TSVs and ``frameworks/seed-rules.tsv``. Apart from the freshness test, these tests
read the generated Markdown back and check each location against the YAML itself: the line exists,
carries a marker naming the rule, and sits within a few lines of the rule's numbers (taken from its
short statement in ``seed-rules.tsv``, in any common notation).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
FRAMEWORKS = REPO / "frameworks"
COVERAGE_MD = FRAMEWORKS / "COVERAGE.md"
RULES_TSV = FRAMEWORKS / "seed-rules.tsv"
RULES = range(1, 130)

# "A few lines": a location passes (d) when one of its rule's numbers is in the YAML content (comments
# stripped) from BEFORE lines above the marked line to AFTER lines below it. The window leans forward
# because a marker often sits on a key whose value follows (``text:  # seed-rule 3: ...`` then ``zh:``).
BEFORE = 2
AFTER = 4

ROW_RE = re.compile(r"^\|\s*(?P<n>\d+)\s*\|(?P<rule>.*?)\|(?P<where>.*)\|\s*$")
LINK_RE = re.compile(r"\[(?P<label>(?P<path>[^\]\s:]+\.ya?ml):(?P<line>\d+))\]\((?P<target>[^)\s]+)\)")
MARKER_RE = re.compile(r"#\s*seed-rules?\s+(?P<nums>\d+(?:\s*,\s*\d+)*)\s*:")


def _load_generator() -> ModuleType:
    path = REPO / "scripts" / "gen_coverage.py"
    spec = importlib.util.spec_from_file_location("gen_coverage", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while the class is built
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


# --------------------------------------------------------------------------------------------------
# Reading the generated table and the inputs


@cache
def coverage_rows() -> dict[int, tuple[str, str]]:
    """Rule number -> (short statement, where cell), parsed from the committed COVERAGE.md."""
    rows: dict[int, tuple[str, str]] = {}
    for line in COVERAGE_MD.read_text(encoding="utf-8").splitlines():
        match = ROW_RE.match(line)
        if match:
            n = int(match["n"])
            assert n not in rows, f"rule {n} has two rows in COVERAGE.md"
            rows[n] = (match["rule"].strip(), match["where"].strip())
    return rows


@cache
def short_statements() -> dict[int, str]:
    statements: dict[int, str] = {}
    for line in RULES_TSV.read_text(encoding="utf-8").splitlines()[1:]:
        head, _, text = line.partition("\t")
        statements[int(head)] = text
    return statements


def locations() -> list[tuple[int, str, int]]:
    """(rule, path relative to frameworks/, line) for every link in the where column."""
    found: list[tuple[int, str, int]] = []
    for n, (_, where) in sorted(coverage_rows().items()):
        for link in LINK_RE.finditer(where):
            assert link["target"] == f"{link['path']}#L{link['line']}", f"rule {n}: link and text differ"
            found.append((n, link["path"], int(link["line"])))
    return found


@cache
def yaml_lines(rel: str) -> list[str]:
    return (FRAMEWORKS / rel).read_text(encoding="utf-8").splitlines()


# --------------------------------------------------------------------------------------------------
# Quantities in any notation: 20% = 0.2 = "20%" (and a weight of 20); 2000万 = 20,000,000 = 20 million;
# 4 = four = 四类; and a count ("5 traits") = an enumeration of that many items on the marked line
# ("（具体、可衡量、可实现、相关、有时限）") or that many entries under the marked key (``steps:``).

WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
SCALES = {"万": 10**4, "亿": 10**8, "thousand": 10**3, "million": 10**6, "billion": 10**9}

_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)"
_UNIT = r"\s?(?:(?P<pct>%)|(?P<cn>万|亿)|(?P<en>thousand|million|billion)\b)?"
# Content side (lenient): digits anywhere, even inside identifiers such as ``cohort_retained_d7``.
CONTENT_NUMBER_RE = re.compile(r"(?<![\d.,])" + _NUM + _UNIT)
# Rule side (strict): a number glued to a label (Q1, 3C, V1.0) names something and is skipped; "3:1" is 3.
RULE_NUMBER_RE = re.compile(r"(?<![\w.,])" + _NUM + r"(?::1\b)?" + _UNIT + r"(?=st\b|nd\b|rd\b|th\b|h\b|x\b|\W|$)")
# A Chinese numeral counts when a measure word follows it (三项, 四类, 五个, 十周年, 2000万 is handled above).
CN_NUMBER_RE = re.compile(
    r"(?P<num>[零〇一二两三四五六七八九十百千]+)(?P<scale>[万亿])?(?=[个类项种级步次天日周月年名条款层家份倍成大阶环点])"
)
WORD_NUMBER_RE = re.compile(r"\b(" + "|".join(WORD_NUMBERS) + r")\b", re.IGNORECASE)
ENUM_DELIMITERS_RE = re.compile(r"[：:，。；;（）()\[\]{}“”\"]")
PAREN_RE = re.compile(r"[（(]([^（）()]+)[）)]")
KEY_RE = re.compile(r"^(?P<indent>\s*)(?:- )?(?P<key>[\w.-]+):\s*$")
CHILD_RE = re.compile(r"^(?P<indent>\s*)(?P<item>- |[\w.-]+:)")
LOCALES = {"zh:", "en:"}
STOPWORDS = {"a", "all", "and", "at", "in", "least", "most", "of", "or", "per", "the", "rate", "share", "total"}


@dataclass(frozen=True)
class Quantity:
    """A number of a short statement: ``value`` as written (20 for "20%"), and how it was written."""

    value: Fraction
    percent: bool = False
    count: bool = False  # a bare whole number, which an enumeration of that length also writes


@dataclass
class Written:
    """The quantities a piece of YAML writes: ``plain`` values (20 for "weight: 20", 0.2 for "0.2",
    20000000 for "2000万"), ``percent`` values as written (20 for "20%") and enumeration lengths."""

    plain: set[Fraction]
    percent: set[Fraction]
    counts: set[int]

    def has(self, q: Quantity) -> bool:
        if q.percent:  # 20% may be written "20%", "0.2" or, as a weight, "20"
            return q.value in self.percent or q.value in self.plain or q.value / 100 in self.plain
        if q.value in self.plain or (q.value.denominator == 1 and q.count and int(q.value) in self.counts):
            return True
        return q.value.denominator != 1 and q.value * 100 in self.percent  # 1.5 written "150%"


def _number(match: re.Match[str]) -> Fraction:
    base = Fraction(match["num"].replace(",", ""))
    if match["cn"]:
        return base * SCALES[match["cn"]]
    if match["en"]:
        return base * SCALES[match["en"].lower()]
    return base


def _cn_value(text: str) -> int:
    total, digit = 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
    return total + (digit or 0)


def rule_numbers(statement: str) -> list[Quantity]:
    """The quantities of a short statement."""
    return [
        Quantity(_number(m), percent=bool(m["pct"]), count=not (m["pct"] or m["cn"] or m["en"]))
        for m in RULE_NUMBER_RE.finditer(statement)
    ]


def enumeration_counts(text: str) -> set[int]:
    """Lengths of the enumerations written in ``text``: 甲、乙、丙 runs and (a, b, c) lists.

    A run's last item may hold one more after 与/和/及 ("甲、乙与丙") or may not ("甲、乙的角色与占比"),
    so both lengths are offered.
    """
    counts: set[int] = set()
    for run in ENUM_DELIMITERS_RE.split(PAREN_RE.sub("", text)):
        items = [item for item in run.split("、") if item.strip()]
        if len(items) > 1:
            counts.add(len(items))
            if re.search(r"[与和及]", items[-1]):
                counts.add(len(items) + 1)
    for inner in PAREN_RE.findall(text):
        items = [item for item in re.split(r"、|,\s|，", inner) if item.strip()]
        if len(items) > 1:
            counts.add(len(items))
    return counts


def written(text: str, enumerations: str = "") -> Written:
    """Every quantity ``text`` writes; enumeration lengths are taken from ``enumerations`` only."""
    out = Written(plain=set(), percent=set(), counts=enumeration_counts(enumerations))
    for m in CONTENT_NUMBER_RE.finditer(text):
        (out.percent if m["pct"] else out.plain).add(_number(m))
    for m in CN_NUMBER_RE.finditer(text):
        value = Fraction(_cn_value(m["num"]))
        out.plain.add(value * SCALES[m["scale"]] if m["scale"] else value)
    for m in WORD_NUMBER_RE.finditer(text):
        out.plain.add(Fraction(WORD_NUMBERS[m.group(1).lower()]))
    return out


def strip_comments(lines: Iterable[str]) -> str:
    """The YAML content of ``lines``: comments dropped, and the ``apiVersion: .../v1`` boilerplate too."""
    kept = (gen.split_comment(line)[0] for line in lines)
    return "\n".join(text for text in kept if not text.startswith("apiVersion:"))


def window(lines: list[str], line: int) -> str:
    """Content from BEFORE lines above 1-based ``line`` to AFTER lines below it."""
    return strip_comments(lines[max(0, line - 1 - BEFORE) : line + AFTER])


def _block(lines: list[str], line: int) -> list[str]:
    """The lines of the block a bare key on 1-based ``line`` opens (``steps:``, ``text:``); else []."""
    key = KEY_RE.match(gen.split_comment(lines[line - 1])[0])
    if key is None:
        return []
    parent = len(key["indent"])
    block: list[str] = []
    for raw in lines[line:]:
        text = gen.split_comment(raw)[0]
        if text.strip():
            indent = len(text) - len(text.lstrip())
            if indent < parent or (indent == parent and not text.lstrip().startswith("- ")):
                break
        block.append(raw)
    return block


def child_count(lines: list[str], line: int) -> int | None:
    """Entries directly under the marked key (``steps:`` followed by 4 ``- id:`` items -> 4)."""
    children: list[str] = []
    child_indent: int | None = None
    for raw in _block(lines, line):
        text = gen.split_comment(raw)[0]
        child = CHILD_RE.match(text)
        if child is None:
            continue
        indent = len(child["indent"])
        child_indent = indent if child_indent is None else child_indent
        if indent == child_indent:
            children.append(child["item"])
    if not children or set(children) <= LOCALES:
        return None  # a {zh, en} text is not an enumeration
    return len(children)


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", re.sub(r"(?<=[a-z])-(?=[a-z])", "", text.lower()))
    return {re.sub(r"(es|ed|e|s)$", "", w) for w in words if w not in STOPWORDS and len(w) > 1}


def formula_matches(statement: str, content: str) -> bool:
    """A rule that states a ratio ("stock-out orders / orders") may be located at its ``formula:``
    line when the formula's terms are the statement's (at least two shared word stems)."""
    if " / " not in statement or not re.match(r"\s*formula:", content):
        return False
    return len(_stems(statement) & _stems(content.split(":", 1)[1].replace("_", " "))) >= 2


def numbers_near(statement: str, lines: list[str], line: int) -> bool:
    """Does the YAML around 1-based ``line`` write one of the statement's quantities?

    Values are looked for in the whole window. A count may also be written as an enumeration, but only
    one the marked line itself holds: its own text, the zh/en text of the key it opens (up to AFTER
    lines), or the number of entries under that key - an unrelated list nearby does not satisfy it.
    """
    quantities = rule_numbers(statement)
    own = strip_comments([lines[line - 1], *_block(lines, line)[:AFTER]])
    found = written(window(lines, line), enumerations=own)
    if (n_children := child_count(lines, line)) is not None:
        found.counts.add(n_children)
    if any(found.has(q) for q in quantities):
        return True
    return formula_matches(statement, gen.split_comment(lines[line - 1])[0])


# --------------------------------------------------------------------------------------------------
# (a) fresh, (b) a row per rule, (c) locations exist and carry their marker, (d) near the numbers,
# (e) nothing missing - plus: no conflicts, and the --check entry point agrees


def test_coverage_md_is_up_to_date() -> None:
    expected = gen.render(gen.collect(FRAMEWORKS))
    assert COVERAGE_MD.is_file(), "frameworks/COVERAGE.md is missing; run: python scripts/gen_coverage.py"
    assert COVERAGE_MD.read_text(encoding="utf-8") == expected, (
        "frameworks/COVERAGE.md is out of date; run: python scripts/gen_coverage.py"
    )


def test_seed_rules_tsv_has_every_rule_once() -> None:
    lines = RULES_TSV.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "n\trule"
    assert [int(line.split("\t", 1)[0]) for line in lines[1:]] == list(RULES)
    bad = {n: s for n, s in short_statements().items() if not s.strip() or len(s) > 70}
    assert not bad, f"short statements must be 1-70 characters: {bad}"


def test_every_rule_has_a_row() -> None:
    rows = coverage_rows()
    assert sorted(rows) == list(RULES)
    statements = short_statements()
    wrong = [n for n, (rule, _) in rows.items() if rule != statements[n].replace("|", "\\|")]
    assert not wrong, f"rows whose short statement differs from seed-rules.tsv: {wrong}"
    empty = [n for n, (_, where) in rows.items() if not where]
    assert not empty, f"rows with an empty where column: {empty}"


def test_every_location_exists_and_carries_its_marker() -> None:
    locs = locations()
    assert locs, "COVERAGE.md lists no YAML location at all"
    bad: list[str] = []
    for n, rel, line in locs:
        if not (FRAMEWORKS / rel).is_file():
            bad.append(f"rule {n}: {rel} does not exist")
            continue
        lines = yaml_lines(rel)
        if not 1 <= line <= len(lines):
            bad.append(f"rule {n}: {rel} has no line {line}")
            continue
        marker = MARKER_RE.search(gen.split_comment(lines[line - 1])[1] or "")
        if marker is None or n not in {int(x) for x in re.split(r"\s*,\s*", marker["nums"])}:
            bad.append(f"rule {n}: {rel}:{line} has no '# seed-rule' marker naming {n}")
    assert not bad, "\n".join(bad)


def test_every_location_is_near_its_rule_numbers() -> None:
    statements = short_statements()
    bad: dict[int, list[str]] = {}
    for n, rel, line in locations():
        if not rule_numbers(statements[n]) or not (FRAMEWORKS / rel).is_file():
            continue  # a rule without numbers is not checked; a missing file fails the test above
        lines = yaml_lines(rel)
        if line <= len(lines) and not numbers_near(statements[n], lines, line):
            bad.setdefault(n, []).append(f"{rel}:{line}")
    report = [f"rule {n} ({statements[n]!r}): {', '.join(locs)}" for n, locs in sorted(bad.items())]
    assert not bad, (
        f"{sum(map(len, bad.values()))} marked lines do not write their rule's numbers within lines "
        f"-{BEFORE}..+{AFTER} (comments ignored):\n" + "\n".join(report)
    )


def test_no_rule_is_missing() -> None:
    missing = [n for n, (_, where) in coverage_rows().items() if "MISSING" in where]
    assert not missing, f"rules neither marked in the YAML nor listed as not encoded: {missing}"


def test_no_rule_is_both_marked_and_not_encoded() -> None:
    conflicts = [n for n, (_, where) in coverage_rows().items() if "conflict" in where]
    assert not conflicts, f"rules marked in the YAML and also listed as not encoded: {conflicts}"


def test_check_mode_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    code = gen.main(["--check"])
    assert code == 0, capsys.readouterr().err


# --------------------------------------------------------------------------------------------------
# The checks themselves: notations are recognised, and a marker away from its numbers is caught


@pytest.mark.parametrize(
    ("statement", "content"),
    [
        ("Startup weights: user growth 40%, GMV 30%", "weight: 40"),
        ("Startup weights: user growth 40%, GMV 30%", "share: 0.3"),
        ("Margin goal 40%", 'target: ">= 40%"'),
        ("Marketing ROI of at least 150%", "target: 1.5"),
        ("Q1 GMV goal of 20,000,000 CNY", 'target: ">= 2000万"'),
        ("Q1 GMV goal of 20,000,000 CNY", "en: Q1 GMV of 20 million CNY"),
        ("annual 100,000,000 CNY", "zh: 年度GMV突破1亿元"),
        ("at least 50,000 daily active users", 'target: ">= 5万"'),
        ("Users fall into 4 segments", "en: four classes - new, active, dormant and churned"),
        ("Users fall into 4 segments", "zh: 分为新用户、活跃用户、沉睡用户、流失用户四类"),
        ("3 consecutive months below target", "zh: 连续三个月未达标"),
        ("SMART has 5 traits", "en: by SMART (specific, measurable, achievable, relevant, time-bound)"),
        ("SMART has 5 traits", "zh: 按SMART原则（具体、可衡量、可实现、相关、有时限）设定"),
        ("retention on day 7 and day 30", "formula: cohort_retained_d7 / new_user_cohort"),
        ("campaign ROI of at least 3:1", 'target: ">= 3"'),
        ("answered within 24 hours", 'target: "<= 24h"'),
        ("Stock-out rate (stock-out orders / orders) at most 5%", "formula: stockout_orders / orders"),
    ],
)
def test_notations_match(statement: str, content: str) -> None:
    assert numbers_near(statement, [content], 1)


def test_count_as_entries_under_the_marked_key() -> None:
    yaml = ["steps:  # seed-rule 63: 4 steps", *(f"  - id: s{i}\n    name: x" for i in range(4))]
    lines = "\n".join(yaml).splitlines()
    assert numbers_near("user ops 4 steps", lines, 1)
    assert not numbers_near("campaign 3 phases", lines, 1)


@pytest.mark.parametrize(
    ("statement", "content"),
    [
        ("Startup weights: user growth 40%, GMV 30%", "weight: 25"),
        ("Q1 GMV goal of 20,000,000 CNY", 'target: ">= 2500万"'),
        ("Example: 3C inventory turns at least 6 times a year", 'target: ">= 3"'),  # 3C is a name
        ("Example: Q1 goal of 20,000,000 CNY", "cycle: Q1"),  # Q1 is a name
        ("Margin goal 40%", "weight: 25  # seed-rule 2: margin 40%"),  # comments do not count
        ("At least 3 campaigns a quarter", 'target: "<= 3%"'),  # a count is not a percentage
        ("Campaign prep begins 1-2 months ahead", "zh: 统一口径"),  # 一 without a measure word
        ("Dispute win rate of at least 80%", "formula: disputes_won / disputes_closed"),  # no ratio stated
        ("Stock-out rate (stock-out orders / orders) at most 5%", "formula: refunds / visitors"),
    ],
)
def test_notations_do_not_overmatch(statement: str, content: str) -> None:
    assert not numbers_near(statement, [content], 1)


def test_moved_marker_is_caught() -> None:
    yaml = [
        "kpis:",
        '  - {kpi: gross_margin, weight: 20, target: ">= 40%"}  # seed-rule 2: margin 40%',
        *(f"  - {{kpi: filler_{i}, weight: 10}}" for i in range(12)),
        "  - {kpi: other, weight: 10}  # seed-rule 2: margin 40%",
    ]
    statement = "Example: that store lifts its 2024 gross margin goal to 40%"
    assert numbers_near(statement, yaml, 2)
    assert not numbers_near(statement, yaml, len(yaml))
