"""Ratings given as long rows (a ``rater`` column) are merged into the row they rate."""

from __future__ import annotations

import pytest

import ecomperf
from ecomperf.batch.engine import score_many
from ecomperf.batch.raters import merge_rating_rows
from ecomperf.batch.table import Table
from ecomperf.framework import Framework
from tests.peers import FRAPPE


@pytest.fixture(scope="module")
def frappe() -> Framework:
    return ecomperf.load(FRAPPE)


HEADER = ("employee", "position", "stage", "period", "rater", "kra_quality", "kra_development", "problem_solving",
          "excellence")


def table(*rows: tuple[str, ...]) -> Table:
    return Table(HEADER, [list(row) for row in rows], list(range(2, len(rows) + 2)), source="reviews.csv",
                 text_cells=True)


def test_rating_rows_become_rating_columns_of_the_employee_row(frappe: Framework) -> None:
    merged = merge_rating_rows(frappe, table(
        ("li", "engineer", "default", "2026", "", "5", "3", "", ""),
        ("li", "engineer", "default", "2026", "self", "", "", "0.8", "0.7"),
        ("li", "engineer", "default", "2026", "feedback:wang", "", "", "0.8", "0.7"),
    ))
    assert merged.columns == (*HEADER[:4], *HEADER[5:], "problem_solving@self", "excellence@self",
                              "problem_solving@feedback:wang", "excellence@feedback:wang")
    assert merged.rows == [["li", "engineer", "default", "2026", "5", "3", "", "", "0.8", "0.7", "0.8", "0.7"]]
    assert merged.numbers == [2]


def test_long_rows_score_like_wide_columns(frappe: Framework) -> None:
    result = score_many(frappe, table(
        ("li", "engineer", "default", "2026", "feedback", "", "", "0.8", "0.7"),
        ("li", "engineer", "default", "2026", "", "5", "3", "", ""),
        ("li", "engineer", "default", "2026", "self", "", "", "0.8", "0.7"),
    ), detail=True)
    # Frappe's appraisal again: (1*72 + 2*77) / 3 = 75.333333333 -> 3.767 of 5
    assert [(row.row, row.total) for row in result.rows] == [(3, 75.333333333)]
    assert result.shown_totals() == [3.767]
    card = result.cards[0]
    assert [r.rater for r in card.kpis[2].ratings] == ["self", "feedback"]


def test_without_an_employee_row_the_first_rating_row_stands_for_it(frappe: Framework) -> None:
    merged = merge_rating_rows(frappe, table(
        ("li", "engineer", "default", "2026", "self", "", "", "0.8", "0.7"),
        ("li", "engineer", "default", "2026", "feedback", "", "", "0.6", ""),
    ))
    assert merged.numbers == [2]
    assert merged.rows[0][:8] == ["li", "engineer", "default", "2026", "", "", "", ""]


def test_a_repeated_rater_is_reported_on_its_own_row_without_a_name(frappe: Framework) -> None:
    result = score_many(frappe, table(
        ("li", "engineer", "default", "2026", "", "5", "3", "", ""),
        ("li", "engineer", "default", "2026", "feedback:wang", "", "", "0.8", "0.7"),
        ("li", "engineer", "default", "2026", "feedback:wang", "", "", "0.9", ""),
    ), missing="zero")
    assert [(e.row, e.reason) for e in result.errors] == [
        (4, "problem_solving@feedback: the same rater is given twice for this employee and period; "
            "give each rater once")]
    assert [row.row for row in result.rows] == [2]


def test_a_rating_row_for_an_unrated_metric_is_refused(frappe: Framework) -> None:
    result = score_many(frappe, table(
        ("li", "engineer", "default", "2026", "self", "5", "", "0.8", "0.7"),
    ))
    assert [(e.row, e.reason) for e in result.errors] == [
        (2, "the row gives rater 'self', but kra_quality has no raters; give kra_quality on the employee's own row, "
            "with rater empty")]


def test_a_table_without_a_rater_column_is_left_alone(frappe: Framework) -> None:
    plain = Table(("employee", "kra_quality"), [["li", "5"]], [2])
    assert merge_rating_rows(frappe, plain) is plain
