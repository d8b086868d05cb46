"""The first schema: recordings, frameworks, cards and their KPI rows.

Revision ID: 0001
Revises:
Created: 2026-11-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ecomperf.errors import HistoryError

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the four tables and their indexes."""
    op.create_table(
        "recordings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("command", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Text(), nullable=True),
        sa.Column("ecomperf_version", sa.String(40), nullable=False),
        sa.Column("card_count", sa.Integer(), nullable=False),
        sa.Column("replaced_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_recordings"),
    )
    op.create_table(
        "frameworks",
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("framework", sa.Text(), nullable=False),
        sa.Column("version", sa.Text(), nullable=True),
        sa.Column("name", sa.JSON(), nullable=True),
        sa.Column("grades", sa.JSON(), nullable=True),
        sa.Column("rules", sa.JSON(), nullable=True),
        sa.Column("first_recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name="pk_frameworks"),
    )
    op.create_table(
        "cards",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("recording_id", sa.Integer(), nullable=False),
        sa.Column("employee", sa.Text(), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("period_kind", sa.String(7), nullable=False),
        sa.Column("period_start", sa.Integer(), nullable=False),
        sa.Column("period_end", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes", sa.Integer(), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("framework", sa.Text(), nullable=False),
        sa.Column("framework_version", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("position", sa.Text(), nullable=False),
        sa.Column("position_name", sa.JSON(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("stage_name", sa.JSON(), nullable=True),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("total", sa.Double(), nullable=False),
        sa.Column("uncapped_total", sa.Double(), nullable=True),
        sa.Column("grade", sa.Text(), nullable=False),
        sa.Column("uncapped_grade", sa.Text(), nullable=False),
        sa.Column("bonus", sa.Double(), nullable=False),
        sa.Column("missing_policy", sa.String(20), nullable=False),
        sa.Column("veto_breaches", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("dropped", sa.JSON(), nullable=False),
        sa.Column("grade_scale", sa.JSON(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_cards"),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"], name="fk_cards_recording_id_recordings"),
        sa.ForeignKeyConstraint(["supersedes"], ["cards.id"], name="fk_cards_supersedes_cards"),
        sa.ForeignKeyConstraint(["fingerprint"], ["frameworks.fingerprint"], name="fk_cards_fingerprint_frameworks"),
        sa.UniqueConstraint("employee", "period", "version", name="uq_cards_employee_period_version"),
    )
    op.create_index("ix_cards_period_kind_period_end", "cards", ["period_kind", "period_end"])
    op.create_index("ix_cards_recording_id", "cards", ["recording_id"])
    op.create_index(
        "uq_cards_current",
        "cards",
        ["employee", "period"],
        unique=True,
        sqlite_where=sa.text("superseded_at IS NULL"),
        postgresql_where=sa.text("superseded_at IS NULL"),
    )
    op.create_table(
        "kpi_scores",
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("kpi", sa.Text(), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("actual", sa.Double(), nullable=True),
        sa.Column("computed", sa.Boolean(), nullable=False),
        sa.Column("target", sa.JSON(), nullable=True),
        sa.Column("variant", sa.JSON(), nullable=True),
        sa.Column("achievement", sa.Double(), nullable=True),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("weight", sa.Double(), nullable=False),
        sa.Column("weighted_score", sa.Double(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("veto_breached", sa.Boolean(), nullable=False),
        sa.Column("cycle", sa.Text(), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("card_id", "ordinal", name="pk_kpi_scores"),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name="fk_kpi_scores_card_id_cards"),
    )


def downgrade() -> None:
    """Not supported: history databases only move forward."""
    raise HistoryError("history databases are never downgraded: a newer version's database stays as it is")
