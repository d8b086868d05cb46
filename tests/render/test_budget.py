"""The budget of user templates (:mod:`ecomperf.render.budget`): what it stops, and what it leaves alone.

Each limit is exercised with a budget small enough to reach quickly; the hostile suite
(tests/hostile/test_templates.py) runs the default budget against the reported runaway templates.
"""

from __future__ import annotations

import pytest

from ecomperf.render.budget import BoundedSandbox, BudgetExceeded, TemplateBudget

SMALL = TemplateBudget(max_iterations=1_000, max_range=500, max_value=1_000, max_built=5_000, max_output=2_000)


def render(source: str, budget: TemplateBudget = SMALL, **context: object) -> str:
    return BoundedSandbox(budget=budget).from_string(source).render(**context)


def refused(source: str, budget: TemplateBudget = SMALL, **context: object) -> str:
    with pytest.raises(BudgetExceeded) as caught:
        render(source, budget, **context)
    return str(caught.value)


def test_ordinary_templates_render_as_in_jinja() -> None:
    source = "{% for kpi in kpis %}{{ loop.index }}. {{ kpi|upper }}{{ ', ' if not loop.last }}{% endfor %}"
    assert render(source, kpis=["gmv", "margin"]) == "1. GMV, 2. MARGIN"
    assert render("{{ '%5.1f'|format(3.14159) }}|{{ '{:>4}'.format(7) }}|{{ 'ab' * 3 }}") == "  3.1|   7|ababab"


def test_loop_iterations_are_counted_across_all_loops() -> None:
    # 40 x 40 = 1,600 inner iterations (plus 40 outer) against a budget of 1,000
    assert refused("{% for a in range(40) %}{% for b in range(40) %}{% endfor %}{% endfor %}") == (
        "more than 1,000 loop iterations"
    )
    # 30 x 30 = 900, plus the 30 outer ones: 930 fits
    assert render("{% for a in range(30) %}{% for b in range(30) %}{% endfor %}{% endfor %}x") == "x"


def test_a_range_larger_than_the_limit_is_refused() -> None:
    assert refused("{{ range(501)|list|length }}") == "range() of 501 numbers; the limit is 500"
    assert render("{{ range(500)|list|length }}") == "500"


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("{{ 'x' * 1001 }}", "a repetition of 1,001"),  # 1 character 1,001 times
        ("{{ 1001 * [0] }}", "a repetition of 1,001"),
        ("{{ ('x' * 600) + ('y' * 600) }}", "a concatenation of 1,200"),
        ("{{ '%2000s' % 'x' }}", "a formatted text of"),
        ("{{ '{:>2000}'.format(1) }}", "a formatted text of"),
        ("{{ '%s'|format('x' * 999) ~ '%1500d'|format(1) }}", "a formatted text of"),
        ("{{ 'x'.ljust(2000) }}", "the method ljust()"),
        ("{{ 'x'|center(2000) }}", "a padded text of 2,000"),
        ("{{ ('a\\n' * 100)|indent(20) }}", "an indented text of"),  # 200 + 101 lines x 20 = 2,220
        ("{{ ('ab' * 300)|replace('', 'xyz') }}", "a replaced text of"),  # 600 + 601 x 3 = 2,403
        ("{{ [1, 2]|batch(501)|list }}", "a filter with a count of 501"),
        ("{{ [1, 2]|slice(501)|list }}", "a filter with a count of 501"),
        ("{{ lipsum(501) }}", "lipsum() with a count of 501"),
        ("{{ 7 ** 5000 }}", "a power of about 10,000 bits"),  # 7 has 3 bits: (3 - 1) x 5,000
    ],
)
def test_operations_that_build_too_much_are_refused_before_they_run(source: str, what: str) -> None:
    assert what in refused(source, TemplateBudget(max_value=1_000, max_range=500, max_power_bits=9_999))


def test_growth_through_a_namespace_or_a_macro_is_stopped() -> None:
    namespace = "{% set ns = namespace(s='x') %}{% for i in range(20) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
    assert refused(namespace) == "a value of 1,024 characters or items; the limit is 1,000"  # 2 ** 10
    macro = "{% macro grow(s, n) %}{{ grow(s ~ s, n - 1) if n else s|length }}{% endmacro %}{{ grow('x', 20) }}"
    assert refused(macro) == "an argument of 1,024 characters or items; the limit is 1,000"


def test_text_built_in_blocks_counts_even_when_nothing_is_written() -> None:
    # each iteration writes 100 characters into the block: 11 iterations make 1,100 > 1,000
    assert refused("{% set page %}{% for i in range(11) %}{{ 'x' * 100 }}{% endfor %}{% endset %}") == (
        "a block of text of 1,100 characters or items; the limit is 1,000"
    )
    # 9 blocks of 600 characters each: 5,400 built in all against 5,000
    many = "{% for i in range(9) %}{% set page %}{{ 'x' * 600 }}{% endset %}{% endfor %}"
    assert refused(many) == "more than 5,000 characters of text built"


def test_the_output_is_bounded() -> None:
    # 30 lines of 100 characters: 3,000 > 2,000
    assert refused("{% for i in range(30) %}{{ 'x' * 100 }}\n{% endfor %}") == (
        "the output is longer than 2,000 characters"
    )


def test_a_render_that_runs_too_long_is_stopped_by_the_clock() -> None:
    # 10,000 x 10,000 iterations is far beyond a tenth of a second, and the iteration budget is out of play
    budget = TemplateBudget(max_seconds=0.1, max_iterations=10**12)
    source = "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}"
    assert refused(source, budget) == "the render ran longer than 0.1 seconds"


def test_each_render_has_a_budget_of_its_own() -> None:
    template = BoundedSandbox(budget=SMALL).from_string(
        "{% for i in range(450) %}{% endfor %}{% for i in range(450) %}{% endfor %}ok"
    )
    # 900 iterations fit once, and again on the next render: the meter does not carry over (1,800 > 1,000)
    assert [template.render(), template.render()] == ["ok", "ok"]
