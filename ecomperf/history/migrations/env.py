"""Alembic environment: migrate the connection ecomperf hands over (see ecomperf.history.migrate).

When run by the ``alembic`` command line (a developer writing a revision), it connects to the URL in
``alembic.ini`` instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from ecomperf.history.schema import metadata


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Run the migrations on the handed-over connection, or on the configured URL."""
    given = context.config.attributes.get("connection")
    if given is not None:
        _migrate(given)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:  # pragma: no cover - alembic.ini always sets it
        raise SystemExit("set sqlalchemy.url in alembic.ini")
    with create_engine(url).connect() as connection:
        _migrate(connection)
        connection.commit()


# ``context.config`` exists only while Alembic runs this file; imported otherwise (documentation, doctest
# collection) the module does nothing.
if hasattr(context, "config"):
    run()
