"""The tables of the history store (SQLAlchemy Core), as of the newest migration.

Four tables; nothing is ever deleted or updated in place except the one column that marks a card as
superseded:

* ``recordings``: one row per recording (one file, one transaction): when, by which command, from which
  source, by which operating-system user, with which ecomperf version;
* ``frameworks``: one row per framework fingerprint seen, with its id, version, name, grade table and
  review rules, so that reports can draw grade bands and cite rules without the YAML at hand;
* ``cards``: one row per recorded card. ``version`` counts the cards of one employee and period (1, 2,
  …); a correction inserts the next version and sets ``superseded_at`` on the one it replaces, whose id it
  keeps in ``supersedes``. At most one card per employee and period is current (``superseded_at`` is
  null), which a partial unique index enforces, so two recorders can never both add a current card;
* ``kpi_scores``: the KPI rows of each card, in card order.

Small nested values (localised names, targets, notes, warnings, dropped KPIs, context) are JSON columns;
everything a report filters or sorts on is a plain column. Periods are stored as their id plus the first
and last month as ordinals (``year * 12 + month - 1``), so a range of periods is an integer comparison.

Changing anything here needs a new migration under ``migrations/versions`` (a test compares the migrated
database with these tables).
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = ["TABLES", "cards", "frameworks", "kpi_scores", "metadata", "recordings"]

NAMING: Final = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names spelled out, so that migrations can name what they change on every database."""

metadata = MetaData(naming_convention=NAMING)
"""All tables of the store."""

recordings = Table(
    "recordings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("command", Text, nullable=False),
    Column("source", Text, nullable=True),
    Column("recorded_by", Text, nullable=True),
    Column("ecomperf_version", String(40), nullable=False),
    Column("card_count", Integer, nullable=False),
    Column("replaced_count", Integer, nullable=False),
)

frameworks = Table(
    "frameworks",
    metadata,
    Column("fingerprint", String(64), primary_key=True),
    Column("framework", Text, nullable=False),
    Column("version", Text, nullable=True),
    Column("name", JSON, nullable=True),
    Column("grades", JSON, nullable=True),
    Column("rules", JSON, nullable=True),
    Column("first_recorded_at", DateTime(timezone=True), nullable=False),
)

cards = Table(
    "cards",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recording_id", Integer, ForeignKey("recordings.id"), nullable=False),
    Column("employee", Text, nullable=False),
    Column("period", String(7), nullable=False),
    Column("period_kind", String(7), nullable=False),
    Column("period_start", Integer, nullable=False),
    Column("period_end", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("supersedes", Integer, ForeignKey("cards.id"), nullable=True),
    Column("superseded_at", DateTime(timezone=True), nullable=True),
    Column("framework", Text, nullable=False),
    Column("framework_version", Text, nullable=True),
    Column("fingerprint", String(64), ForeignKey("frameworks.fingerprint"), nullable=False),
    Column("position", Text, nullable=False),
    Column("position_name", JSON, nullable=False),
    Column("stage", Text, nullable=False),
    Column("stage_name", JSON, nullable=True),
    Column("events", JSON, nullable=False),
    Column("context", JSON, nullable=False),
    Column("total", Double, nullable=False),
    Column("uncapped_total", Double, nullable=True),
    Column("grade", Text, nullable=False),
    Column("uncapped_grade", Text, nullable=False),
    Column("bonus", Double, nullable=False),
    Column("missing_policy", String(20), nullable=False),
    Column("veto_breaches", JSON, nullable=False),
    Column("warnings", JSON, nullable=False),
    Column("dropped", JSON, nullable=False),
    Column("grade_scale", JSON, nullable=False),
    Column("inputs", JSON, nullable=True),
    Column("sections", JSON, nullable=True),
    Column("shown_total", Double, nullable=True),
    Column("display_scale", Double, nullable=True),
    UniqueConstraint("employee", "period", "version"),
    Index("ix_cards_period_kind_period_end", "period_kind", "period_end"),
    Index("ix_cards_recording_id", "recording_id"),
)

Index(
    "uq_cards_current",
    cards.c.employee,
    cards.c.period,
    unique=True,
    sqlite_where=cards.c.superseded_at.is_(None),
    postgresql_where=cards.c.superseded_at.is_(None),
)

kpi_scores = Table(
    "kpi_scores",
    metadata,
    Column("card_id", Integer, ForeignKey("cards.id"), primary_key=True),
    Column("ordinal", Integer, primary_key=True),
    Column("kpi", Text, nullable=False),
    Column("name", JSON, nullable=False),
    Column("unit", Text, nullable=False),
    Column("actual", Double, nullable=True),
    Column("computed", Boolean, nullable=False),
    Column("target", JSON, nullable=True),
    Column("variant", JSON, nullable=True),
    Column("achievement", Double, nullable=True),
    Column("score", Double, nullable=False),
    Column("weight", Double, nullable=False),
    Column("weighted_score", Double, nullable=False),
    Column("method", Text, nullable=False),
    Column("veto_breached", Boolean, nullable=False),
    Column("cycle", Text, nullable=False),
    Column("period", String(7), nullable=False),
    Column("notes", JSON, nullable=False),
    Column("section", Text, nullable=True),
    Column("ratings", JSON, nullable=True),
)

TABLES: Final = ("recordings", "frameworks", "cards", "kpi_scores")
"""The names of the store's tables (a database holding any of them but no migration stamp is refused)."""
