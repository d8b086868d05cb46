"""Hostile templates and hostile text in documents.

User templates run in a sandbox whose budget (loop iterations, ``range`` sizes, repetition, powers,
output length and time) stops a runaway template with a :class:`~ecomperf.errors.RenderError` naming the
template file and line. Text from YAML or from actuals is escaped in every output: HTML (including the
included SVG chart), Markdown job descriptions, matrices and the ``score -o scores.md`` table, where
links other than http(s) are neutralised.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import ecomperf
from tests.conftest import BASE_FILES
from tests.hostile.bounded import Outcome
from tests.hostile.support import framework_with

Hostile = Callable[..., Outcome]

RUNAWAY_TEMPLATES = {
    "nested_ranges_of_100000": "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "three_nested_loops_within_the_range_limit": (
        "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{% endfor %}{% endfor %}"
        "{% endfor %}"
    ),
    "string_repetition": "{{ 'x' * 10**10 }}",
    "list_repetition": "{{ ([1] * 10**10)|length }}",
    "huge_power": "{{ 10 ** 100000000 }}",
    "padding_method": "{{ 'x'.ljust(10**10) }}",
    "padding_filter": "{{ 'x'|center(10**10) }}",
    "doubling_through_a_namespace": (
        "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
        "{{ ns.s|length }}"
    ),
    "doubling_through_a_macro": (
        "{% macro grow(s, n) %}{{ grow(s ~ s, n - 1) if n else s|length }}{% endmacro %}{{ grow('x', 60) }}"
    ),
    "output_of_a_gigabyte": "{% for i in range(10000) %}{{ 'x' * 100000 }}{% endfor %}",
    "gigabyte_buffered_in_a_block": (
        "{% set page %}{% for i in range(10000) %}{{ 'x' * 100000 }}{% endfor %}{% endset %}{{ page|length }}"
    ),
}


def _runaway_case(name: str) -> Callable[[str], Any]:
    def case(workdir: str) -> Any:
        root = framework_with(workdir, {})
        folder = Path(workdir) / "templates"
        folder.mkdir()
        # Line 1 is a harmless heading, so the reported line (2) is the runaway statement's own.
        (folder / "jd.md.j2").write_text("# {{ jd.title }}\n" + RUNAWAY_TEMPLATES[name] + "\n", encoding="utf-8")
        text = ecomperf.load(root).render_jd("manager", template_dir=folder)
        return {"rendered": len(text)}

    case.__name__ = case.__qualname__ = f"case_template_{name}"
    globals()[case.__name__] = case  # the bounded child imports the case by name
    return case


RUNAWAY_CASES = {name: _runaway_case(name) for name in RUNAWAY_TEMPLATES}


@pytest.mark.parametrize("name", sorted(RUNAWAY_TEMPLATES))
def test_a_runaway_user_template_is_stopped_with_its_file_and_line(hostile: Hostile, name: str) -> None:
    outcome = hostile(RUNAWAY_CASES[name], expect="refused", together=RUNAWAY_CASES.values())
    assert (outcome.status, outcome.type) == ("error", "RenderError"), outcome
    assert "templates/jd.md.j2:2: template budget exceeded:" in outcome.message, outcome.message


# --- escaping -----------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
METRICS = textwrap.dedent(BASE_FILES["metrics.yaml"]).replace(
    "name: {zh: GMV, en: GMV}", 'name: {zh: "<script>alert(1)</script>", en: "<script>alert(1)</script>"}'
)


def case_metric_name_in_the_scorecard_chart(workdir: str) -> Any:
    from ecomperf.render import scorecard_html

    fw = ecomperf.load(framework_with(workdir, {"metrics.yaml": METRICS}))
    card = fw.score("manager", stage="mature", period="2026-10", actuals={"gmv": 2_000_000})
    html = scorecard_html(card, "en")
    svg = html[html.index("<svg") : html.index("</svg>")]
    return {"raw": SCRIPT in html, "escaped_in_svg": "&lt;script&gt;alert(1)&lt;/script&gt;" in svg}


def test_a_metric_name_is_escaped_inside_the_scorecard_svg_chart(hostile: Hostile) -> None:
    outcome = hostile(case_metric_name_in_the_scorecard_chart, expect="neutralised", isolate=False)
    assert outcome.value == {"raw": False, "escaped_in_svg": True}, outcome


LINKS = (
    "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) "
    "[ref]: javascript:alert(2) [docs](https://example.com/handbook) <img src=x onerror=alert(3)>"
)
POSITIONS = textwrap.dedent(BASE_FILES["positions.yaml"]).replace(
    "name: {zh: 店长, en: Manager}", "name: {zh: 店长, en: Manager}\npurpose: " + repr(LINKS).replace("'", '"'), 1
)


# A `]` that closes a link: not escaped by a backslash (an escaped `\]` shows as text, and no link forms).
LIVE_LINK = r"(?<!\\)\](?:\(|: ){scheme}:"


def _markdown_safe(text: str) -> dict[str, bool]:
    return {
        "javascript_link": re.search(LIVE_LINK.format(scheme="javascript"), text) is not None,
        "data_link": re.search(LIVE_LINK.format(scheme="data"), text) is not None,
        "raw_tag": "<img" in text or "<script" in text,
        "https_link_kept": "[docs](https://example.com/handbook)" in text,
    }


SAFE = {"javascript_link": False, "data_link": False, "raw_tag": False, "https_link_kept": True}


def case_links_in_a_markdown_job_description(workdir: str) -> Any:
    fw = ecomperf.load(framework_with(workdir, {"positions.yaml": POSITIONS}))
    return _markdown_safe(fw.render_jd("manager", locale="en", format="md"))


def test_links_other_than_http_are_neutralised_in_markdown_job_descriptions(hostile: Hostile) -> None:
    outcome = hostile(case_links_in_a_markdown_job_description, expect="neutralised", isolate=False)
    assert outcome.value == SAFE, outcome


def case_links_in_a_markdown_matrix(workdir: str) -> Any:
    metrics = textwrap.dedent(BASE_FILES["metrics.yaml"]).replace(
        "name: {zh: GMV, en: GMV}", f"name: {LINKS!r}".replace("'", '"')
    )
    fw = ecomperf.load(framework_with(workdir, {"metrics.yaml": metrics}))
    return _markdown_safe(ecomperf.render.render_matrix(fw, format="md"))


def test_links_other_than_http_are_neutralised_in_markdown_matrices(hostile: Hostile) -> None:
    outcome = hostile(case_links_in_a_markdown_matrix, expect="neutralised", isolate=False)
    assert outcome.value == SAFE, outcome


def case_raw_value_in_a_user_markdown_template(workdir: str) -> Any:
    folder = Path(workdir) / "templates"
    folder.mkdir()
    (folder / "jd.md.j2").write_text("{{ jd.purpose }}\n", encoding="utf-8")
    fw = ecomperf.load(framework_with(workdir, {"positions.yaml": POSITIONS}))
    return _markdown_safe(fw.render_jd("manager", locale="en", template_dir=folder))


def test_a_user_markdown_template_escapes_values_it_prints_without_a_filter(hostile: Hostile) -> None:
    outcome = hostile(case_raw_value_in_a_user_markdown_template, expect="neutralised", isolate=False)
    assert outcome.value == SAFE, outcome


def case_employee_names_in_the_markdown_scores(workdir: str) -> Any:
    from ecomperf.io.write import write_markdown

    fw = ecomperf.load(framework_with(workdir, {}))
    base = {"position": "manager", "stage": "mature", "period": "2026-10", "gmv": 2_000_000}
    names = ["<script>alert(1)</script>", "<img src=x onerror=alert(3)>", "[click](javascript:alert(1))"]
    result = fw.score_many([{**base, "employee": name} for name in names])
    out = Path(workdir) / "scores.md"
    write_markdown(out, result)
    text = out.read_text(encoding="utf-8")
    live = re.search(LIVE_LINK.format(scheme="javascript"), text) is not None
    return {"raw_tag": "<script" in text or "<img" in text, "javascript_link": live}


def test_employee_names_are_escaped_in_the_markdown_scores(hostile: Hostile) -> None:
    outcome = hostile(case_employee_names_in_the_markdown_scores, expect="neutralised", isolate=False)
    assert outcome.value == {"raw_tag": False, "javascript_link": False}, outcome
