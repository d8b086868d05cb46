"""Bring a history database to the newest schema when it is opened (Alembic, run in code).

:func:`upgrade` runs in one transaction that holds the database's write lock (SQLite ``BEGIN
IMMEDIATE``, a PostgreSQL advisory lock), so that two processes opening a new database at once create
it once. It refuses, without changing anything:

* a database stamped with a revision this ecomperf does not know (made by a newer version: upgrade
  ecomperf, never the other way round);
* a database that holds tables named like the store's but no migration stamp (not made by ecomperf, or
  damaged).
"""

from __future__ import annotations

from typing import Final

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from ecomperf.errors import HistoryError
from ecomperf.history.schema import TABLES

__all__ = ["SCRIPT_LOCATION", "head_revision", "upgrade"]

SCRIPT_LOCATION: Final = "ecomperf.history:migrations"
"""Where the revisions live: a package resource, so that it works from a wheel as from a checkout."""

_LOCK_KEY: Final = 0x65636F6D70657266  # "ecomperf" in ASCII: the advisory lock taken while migrating
_VERSION_TABLE: Final = "alembic_version"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision this version of ecomperf ships.

    >>> head_revision()
    '0003'
    """
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None  # the package always ships at least one revision
    return head


def upgrade(connection: Connection, where: str) -> tuple[str | None, str]:
    """Migrate the database behind ``connection`` to :func:`head_revision`, inside its transaction.

    Args:
        connection: a connection inside a write transaction (the caller commits).
        where: the database as shown to people (URL without password), for messages.

    Returns:
        ``(revision before, revision after)``; before is ``None`` for a new database.

    Raises:
        HistoryError: the database was made by a newer ecomperf, or holds the store's tables without a
            migration stamp.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    scripts = ScriptDirectory.from_config(_config())
    head = head_revision()
    current = MigrationContext.configure(connection).get_current_heads()
    known = {script.revision for script in scripts.walk_revisions()}
    unknown = [revision for revision in current if revision not in known]
    if unknown:
        raise HistoryError(
            f"{where} was made by a newer ecomperf (schema revision {', '.join(unknown)}; this version knows "
            f"up to {head})",
            reasons=["upgrade ecomperf (pip install -U 'ecomperf[history]') to open it; nothing was changed"],
        )
    if tuple(current) == (head,):
        return head, head
    if not current:
        present = sorted(set(TABLES) & set(inspect(connection).get_table_names()))
        if present:
            raise HistoryError(
                f"{where} has tables named like an ecomperf history ({', '.join(present)}) but no "
                f"{_VERSION_TABLE} stamp",
                reasons=["it was not made by ecomperf, or it is damaged; give another database or file"],
            )
    command.upgrade(_config(connection), "head")
    return (current[0] if current else None), head
