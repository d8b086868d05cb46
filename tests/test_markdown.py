"""Markdown-safe text (:mod:`ecomperf.markdown`): no raw HTML, no links other than http(s), idempotent."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecomperf.markdown import MarkdownText, md_cell, md_escape, md_inline, md_text

LIVE_LINK = re.compile(r"(?<!\\)(?:\\\\)*\](?:\(|:)\s*(?!https?://)", re.IGNORECASE)


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("[x](javascript:alert(1))", "[x\\](javascript:alert(1))"),
        ("![x](data:image/svg+xml;base64,PHN2Zz4=)", "![x\\](data:image/svg+xml;base64,PHN2Zz4=)"),
        ("[ref]: vbscript:msgbox", "[ref\\]: vbscript:msgbox"),
        ("[x] (JavaScript:alert(1))", "[x\\] (JavaScript:alert(1))"),
        ("[a [b](javascript:x) c](https://ok.example)", "[a [b\\](javascript:x) c](https://ok.example)"),
        ("[handbook](https://example.com/hb) and [site](HTTP://example.com)", None),
        ("<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)>"),
        ("<!-- hidden -->", "&lt;!-- hidden -->"),
        ("< 2% and a<b", "< 2% and a&lt;b"),
        ("arr[0] = 1", None),
    ],
)
def test_raw_html_and_non_http_links_are_neutralised(text: str, safe: str | None) -> None:
    assert md_escape(text) == (text if safe is None else safe)


def test_table_cells_escape_pipes_and_join_lines() -> None:
    assert md_cell("a | b\nc [x](javascript:y)") == "a \\| b<br>c [x\\](javascript:y)"


def test_paragraphs_keep_their_lines_indented() -> None:
    assert md_text("first\nsecond <b>", indent=2) == "first\n  second &lt;b>"
    assert md_inline("  a\n b  ") == "a b"


def test_escaped_text_is_marked_and_never_escaped_twice() -> None:
    once = md_escape("[x](javascript:y)")
    assert isinstance(once, MarkdownText) and md_escape(once) is once


@given(st.text(alphabet=st.sampled_from(list("[]()\\:<>ajvscript/ ht:p|")), max_size=40))
def test_no_output_of_any_function_holds_a_live_non_http_link_or_a_tag(text: str) -> None:
    for function in (md_escape, md_cell, md_text, md_inline):
        out = function(text)
        assert not LIVE_LINK.search(out), (function.__name__, text, out)
        assert not re.search(r"<[A-Za-z/!?]", out), (function.__name__, text, out)
        assert function(out) == out or function is md_cell  # md_cell doubles backslashes by design
