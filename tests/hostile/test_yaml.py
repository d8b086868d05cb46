"""Hostile YAML: deep nesting, alias amplification, line counting and control characters.

Every case is refused with a located problem (``file:line:column`` that exists in the file), within the
memory and time bounds of :mod:`tests.hostile.bounded`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import ecomperf
from ecomperf.render import render_jd
from tests.conftest import BASE_FILES
from tests.hostile.bounded import Outcome
from tests.hostile.support import found, framework_with, load_found

Hostile = Callable[..., Outcome]

# The documented limits (docs/reference/limits.md): nesting depth 64, expanded text 8 Mi characters.

# A metric whose `note:` (line 6) holds the hostile value; the document itself is nesting level 1.
HEAD = "apiVersion: ecomperf/v1\nkind: Metric\nid: deep\nname: Deep\nunit: count\nnote:"


def _codes(value: Any) -> list[tuple[str, str, int, int]]:
    return [(code, file, line, column) for code, file, line, column, _ in value]


# --- depth -------------------------------------------------------------------------------------------


def case_deep_block_mappings(workdir: str) -> Any:
    # 900 block mappings: `note:` opens level 2 at "  k1:" (line 7); level d starts at key k{d-1}, line 5 + d.
    body = "".join("  " * depth + f"k{depth}:\n" for depth in range(1, 901)) + "  " * 901 + "end\n"
    return load_found(workdir, raw={"deep.yaml": HEAD + "\n" + body})


def test_900_nested_block_mappings_are_refused_at_the_first_level_too_deep(hostile: Hostile) -> None:
    outcome = hostile(case_deep_block_mappings, expect="refused", together=BOUNDED)
    assert outcome.status == "ok", outcome
    # Level 65 is the mapping whose first key is k64: line 5 + 65 = 70, indented 2 * 64 spaces -> column 129.
    assert _codes(outcome.value) == [("EP101", "deep.yaml", 70, 129)]
    assert "more than 64 levels" in outcome.value[0][4]


def case_deep_flow_mapping(workdir: str) -> Any:
    # 2.5 kB: "note: " then 500 times "{a: ", the value 1, and 500 closing braces.
    return load_found(workdir, raw={"deep.yaml": HEAD + " " + "{a: " * 500 + "1" + "}" * 500 + "\n"})


def test_a_flow_mapping_500_deep_is_refused_at_the_first_level_too_deep(hostile: Hostile) -> None:
    outcome = hostile(case_deep_flow_mapping, expect="refused", together=BOUNDED)
    assert outcome.status == "ok", outcome
    # The first "{" (level 2) is at column 7 of line 6; each level adds 4 characters: level 65 at 7 + 4 * 63.
    assert _codes(outcome.value) == [("EP101", "deep.yaml", 6, 259)]


def case_nested_lists_beside_an_ampersand(workdir: str) -> Any:
    # An "&" anywhere in the file (here in a comment) used to switch on the alias check, which then
    # recursed 600 levels and called the nesting "a recursive alias".
    return load_found(workdir, raw={"deep.yaml": HEAD + " " + "[" * 600 + "]" * 600 + "  # R&D\n"})


def test_600_nested_lists_in_a_file_with_an_ampersand_are_refused_for_their_depth(hostile: Hostile) -> None:
    outcome = hostile(case_nested_lists_beside_an_ampersand, expect="refused", together=BOUNDED)
    assert outcome.status == "ok", outcome
    # The first "[" (level 2) is at column 7; one character per level: level 65 at 7 + 63 = 70.
    assert _codes(outcome.value) == [("EP101", "deep.yaml", 6, 70)]
    assert "alias" not in outcome.value[0][4]


def case_deep_nesting_with_the_pure_python_reader(workdir: str) -> Any:
    import yaml

    del yaml.CSafeLoader  # as on a machine whose PyYAML was built without libyaml
    return load_found(workdir, raw={"deep.yaml": HEAD + " " + "{a: " * 500 + "1" + "}" * 500 + "\n"})


def test_the_pure_python_reader_refuses_deep_nesting_at_the_same_place(hostile: Hostile) -> None:
    outcome = hostile(case_deep_nesting_with_the_pure_python_reader, expect="refused")
    assert outcome.status == "ok", outcome
    assert _codes(outcome.value) == [("EP101", "deep.yaml", 6, 259)]


# --- aliases -----------------------------------------------------------------------------------------


def case_one_megabyte_aliased_3000_times(workdir: str) -> Any:
    # The base `manager` gets a 1,000,000-character purpose and 3,000 qualifications that alias it.
    positions = textwrap.dedent(BASE_FILES["positions.yaml"])
    big = 'purpose: &big "' + "x" * 1_000_000 + '"\nqualifications: [' + ", ".join(["*big"] * 3000) + "]\n"
    positions = positions.replace("modules: [product_ops]\n", "modules: [product_ops]\n" + big, 1)
    root = framework_with(workdir, {}, raw={"positions.yaml": positions})
    result = ecomperf.load_documents(root)
    if result.framework is not None:  # before the fix it loads, and the job description expands 3 GB
        render_jd(result.framework, "manager", format="md")
    return found(result, root)


def test_a_megabyte_aliased_3000_times_is_refused_before_anything_expands(hostile: Hostile) -> None:
    outcome = hostile(case_one_megabyte_aliased_3000_times, expect="refused", together=BOUNDED)
    assert outcome.status == "ok", outcome
    # 3,001 copies of 1,000,000 characters is far past the limit; the problem points at the document start.
    assert _codes(outcome.value) == [("EP101", "positions.yaml", 1, 1)]
    assert "8,388,608 characters" in outcome.value[0][4]


# The cases that could run away share one bounded child (the pure-Python reader case gets its own: it
# removes libyaml from the child's PyYAML).
BOUNDED = (
    case_deep_block_mappings,
    case_deep_flow_mapping,
    case_nested_lists_beside_an_ampersand,
    case_one_megabyte_aliased_3000_times,
)


# --- line counting -----------------------------------------------------------------------------------


def case_error_at_the_end_of_a_file_without_a_final_newline(workdir: str) -> Any:
    text = "apiVersion: ecomperf/v1\nkind: Metric\nid: roi\nname: {zh: 回报率, en: Return"
    return load_found(workdir, raw={"roi.yaml": text})


def test_an_error_at_the_end_of_a_file_without_a_final_newline_points_at_its_last_line(hostile: Hostile) -> None:
    outcome = hostile(case_error_at_the_end_of_a_file_without_a_final_newline, expect="refused", isolate=False)
    assert outcome.status == "ok", outcome
    # 4 lines; the last, "name: {zh: 回报率, en: Return", has 26 characters, so the end of file is 4:27.
    assert _codes(outcome.value) == [("EP101", "roi.yaml", 4, 27)]


def case_error_at_the_end_of_a_file_with_a_final_newline(workdir: str) -> Any:
    text = "apiVersion: ecomperf/v1\nkind: Metric\nid: roi\nname: {zh: 回报率, en: Return\n"
    return load_found(workdir, raw={"roi.yaml": text})


def test_an_error_at_the_end_of_a_file_with_a_final_newline_points_at_its_last_line_too(hostile: Hostile) -> None:
    outcome = hostile(case_error_at_the_end_of_a_file_with_a_final_newline, expect="refused", isolate=False)
    assert outcome.status == "ok", outcome
    assert _codes(outcome.value) == [("EP101", "roi.yaml", 4, 27)]


SEPARATED = (
    'apiVersion: ecomperf/v1\nkind: Metric\nid: roi\nname: "Return{sep}on investment"\nunit: ratio\nunit: count\n'
)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"], ids=["U+2028", "U+2029", "U+0085"])
def test_a_raw_unicode_line_separator_is_refused_where_it_is_and_shifts_nothing(
    hostile: Hostile, separator: str
) -> None:
    def case(workdir: str) -> Any:
        return load_found(workdir, raw={"roi.yaml": SEPARATED.format(sep=separator)})

    case.__name__ = f"case_raw_line_separator_{ord(separator):04X}"
    outcome = hostile(case, expect="refused", isolate=False)
    assert outcome.status == "ok", outcome
    # Editors show 6 lines: the separator is on line 4 after 'name: "Return' (13 characters) -> 4:14, and
    # the repeated `unit:` stays on line 6 (YAML alone would count the separator as a line break: 7).
    assert _codes(outcome.value) == [("EP101", "roi.yaml", 4, 14), ("EP102", "roi.yaml", 6, 1)]
    assert f"U+{ord(separator):04X}" in outcome.value[0][4]


# --- control characters ------------------------------------------------------------------------------


def case_control_character_escape_in_text(workdir: str) -> Any:
    text = 'apiVersion: ecomperf/v1\nkind: Metric\nid: roi\nunit: ratio\nname: "Return\\x07 on investment"\n'
    return load_found(workdir, raw={"roi.yaml": text})


def test_a_control_character_written_as_an_escape_is_refused_at_its_line(hostile: Hostile) -> None:
    outcome = hostile(case_control_character_escape_in_text, expect="refused", isolate=False)
    assert outcome.status == "ok", outcome
    # The value starts at column 7 of line 5 (after "name: ").
    assert _codes(outcome.value) == [("EP104", "roi.yaml", 5, 7)]
    assert "U+0007" in outcome.value[0][4]


def case_raw_control_character(workdir: str) -> Any:
    text = "apiVersion: ecomperf/v1\nkind: Metric\nid: roi\nunit: ratio\nname: Return\x1b on investment\n"
    return load_found(workdir, raw={"roi.yaml": text})


def test_a_raw_control_character_is_refused_at_its_line_and_column(hostile: Hostile) -> None:
    outcome = hostile(case_raw_control_character, expect="refused", isolate=False)
    assert outcome.status == "ok", outcome
    # "name: Return" is 12 characters, so the ESC is at 5:13 (it used to be reported at 1:1).
    assert _codes(outcome.value) == [("EP101", "roi.yaml", 5, 13)]
    assert "U+001B" in outcome.value[0][4]


def test_locations_in_a_file_with_windows_and_old_mac_line_ends_count_every_break_once(tmp_path: Path) -> None:
    text = "apiVersion: ecomperf/v1\r\nkind: Metric\rid: roi\nname: R\r\nunit: ratio\runit: count\r\n"
    root = framework_with(str(tmp_path), {}, raw={"roi.yaml": text})
    # \r\n, \r and \n each end one line, as in every editor: the repeated `unit:` is on line 6.
    assert [row[:4] for row in found(ecomperf.load_documents(root), root)] == [["EP102", "roi.yaml", 6, 1]]


def test_many_raw_line_separators_are_reported_twenty_times_and_then_counted(tmp_path: Path) -> None:
    text = "apiVersion: ecomperf/v1\nkind: Metric\nid: roi\nunit: ratio\nname: '" + "x\u2028" * 25 + "'\n"
    root = framework_with(str(tmp_path), {}, raw={"roi.yaml": text})
    rows = found(ecomperf.load_documents(root), root)
    # 20 located problems on line 5: "name: '" is 7 characters, then "x" (column 8) and a separator
    # (column 9) alternate, so the separators are at 9, 11, ..., 9 + 2 * 19 = 47; then one problem counts
    # the other 5, at the place of the 20th
    assert [row[3] for row in rows[:20]] == list(range(9, 48, 2))
    assert rows[20][2:] == [5, 47, "5 more raw line separators after these"]
