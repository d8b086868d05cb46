"""The griffe extension that turns reStructuredText roles and bare doctests into markdown for the API page."""

from __future__ import annotations

from scripts.docs.griffe_docstrings import convert_roles, fence_doctests

PUBLIC = {"Framework", "ScoringError"}


def test_role_naming_a_public_name_becomes_a_link() -> None:
    assert convert_roles("see :class:`~ecomperf.errors.ScoringError`.", PUBLIC) == (
        "see [`ScoringError`][ecomperf.ScoringError]."
    )


def test_role_naming_anything_else_becomes_inline_code() -> None:
    assert convert_roles(":func:`ecomperf.scoring.card.score` and :meth:`Framework.render_jd`", PUBLIC) == (
        "`score` and `render_jd`"
    )


def test_bare_doctest_becomes_a_fenced_block_without_directives() -> None:
    text = "Load it.\n\n>>> fw = load(\"x\")  # doctest: +SKIP\n>>> fw.id\n'x'\n\nMore text."
    assert fence_doctests(text) == "Load it.\n\n```pycon\n>>> fw = load(\"x\")\n>>> fw.id\n'x'\n```\n\nMore text."


def test_doctest_under_an_example_heading_is_left_to_the_google_parser() -> None:
    text = "Example:\n    >>> 1 + 1  # doctest: +SKIP\n    2"
    assert fence_doctests(text) == "Example:\n    >>> 1 + 1\n    2"
