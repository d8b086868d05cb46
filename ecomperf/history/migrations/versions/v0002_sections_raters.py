"""Sections, the display scale and raters: the subtotals and shown total of a card, each KPI's section and ratings.

Revision ID: 0002
Revises: 0001
Created: 2026-12-02

Every new column is nullable: cards recorded before keep ``NULL``, which reads back as a card without
sections, display scale or ratings, as they were scored.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ecomperf.errors import HistoryError

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the columns to ``cards`` and ``kpi_scores``."""
    op.add_column("cards", sa.Column("sections", sa.JSON(), nullable=True))
    op.add_column("cards", sa.Column("shown_total", sa.Double(), nullable=True))
    op.add_column("cards", sa.Column("display_scale", sa.Double(), nullable=True))
    op.add_column("kpi_scores", sa.Column("section", sa.Text(), nullable=True))
    op.add_column("kpi_scores", sa.Column("ratings", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Not supported: history databases only move forward."""
    raise HistoryError("history databases are never downgraded: a newer version's database stays as it is")
