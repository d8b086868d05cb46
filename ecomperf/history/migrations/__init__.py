"""Alembic migrations of the history store, run by :func:`ecomperf.history.migrate.upgrade` on open.

Add a revision with ``alembic -c ecomperf/history/migrations/alembic.ini revision -m "..."`` and write
its ``upgrade`` by hand (``render_as_batch`` is on, so SQLite gets table rebuilds where it needs them).
Never edit a revision that has been released: a database made by it must open in every later version.
"""
