"""The problem-code page: every example fails exactly as documented, every fix loads, every code has a section."""

from __future__ import annotations

import pytest

from scripts.docs import problems

CODES = problems.load_codes()
EXAMPLES = [
    pytest.param(code, example, id=f"{code.code}-{number}")
    for code in CODES
    for number, example in enumerate(code.examples, start=1)
]
FIXES = [
    pytest.param(example, id=f"{code.code}-{number}")
    for code in CODES
    for number, example in enumerate(code.examples, start=1)
    if example.fixed is not None
]


@pytest.mark.parametrize(("code", "example"), EXAMPLES)
def test_example_reports_exactly_what_its_expect_says(code: problems.CodeDoc, example: problems.Example) -> None:
    run = problems.run_example(example)
    assert run.lines == example.expect, (
        f"{code.source.name} is out of date; if the new message is intended, run "
        "`.venv/bin/python -m scripts.docs.update_expect` and review the diff"
    )


@pytest.mark.parametrize(("code", "example"), EXAMPLES)
def test_example_reports_its_own_code(code: problems.CodeDoc, example: problems.Example) -> None:
    assert any(f": {code.code} " in line for line in example.expect)


@pytest.mark.parametrize("example", FIXES)
def test_fixed_example_loads_without_any_problem(example: problems.Example) -> None:
    assert problems.run_fixed(example) == ()


def test_every_code_the_library_emits_has_a_section() -> None:
    emitted = problems.emitted_codes()
    documented = {code.code for code in CODES}
    assert emitted - documented == set()


def test_every_documented_code_is_still_emitted() -> None:
    documented = {code.code for code in CODES}
    assert documented - problems.emitted_codes() == set()


def test_example_files_are_named_after_their_code() -> None:
    assert [code.source.stem for code in CODES] == [code.code for code in CODES]


def test_the_base_framework_is_clean() -> None:
    with problems.laid_out({}):
        assert problems.problem_lines(problems.FOLDER) == ((), ())


def test_page_shows_every_message_the_loader_produces() -> None:
    page, stale = problems.render(CODES)
    assert stale == []
    for code in CODES:
        assert f"### {code.code}: {code.title} {{ #{code.anchor} }}" in page
        for example in code.examples:
            for line in example.expect:
                # the page shows the CLI output, whose problem lines are the loader's, verbatim
                assert line in page, line


def test_update_expect_leaves_up_to_date_files_unchanged() -> None:
    from scripts.docs import update_expect

    for code in CODES[:3]:
        assert update_expect.updated(code) == code.source.read_text(encoding="utf-8")
