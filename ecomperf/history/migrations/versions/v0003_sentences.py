"""Sentences kept with their message ids: notes, warnings and why a KPI was left off are stored as objects.

Revision ID: 0003
Revises: 0002
Created: 2026-12-01

No table or column changes. From this revision on, the JSON columns ``kpi_scores.notes``,
``cards.warnings`` and the ``detail`` of each entry of ``cards.dropped`` may hold a sentence as
``{"msgid": ..., "params": {...}}`` (:func:`ecomperf.sentences.sentence_to_json`) beside plain strings, so that
a card read back is written in the report's language. Cards recorded before keep their English strings and
read back as they were. The revision exists so that an older ecomperf, which would read such an object as a
malformed note, refuses the database as one made by a newer version instead.
"""

from __future__ import annotations

from ecomperf.errors import HistoryError

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change in the tables: the stamp alone moves."""


def downgrade() -> None:
    """Not supported: history databases only move forward."""
    raise HistoryError("history databases are never downgraded: a newer version's database stays as it is")
