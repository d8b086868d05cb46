"""The history store: recorded scorecards in SQLite or any SQLAlchemy database (the ``history`` extra).

Importing this package imports SQLAlchemy and Alembic; ``import ecomperf`` does not, and
``ecomperf.History`` imports it on first use.

>>> from ecomperf.history import History
>>> history = History("perf.db")  # doctest: +SKIP
"""

from ecomperf.history.store import FrameworkRecord, History, RecordedCard, RecordResult, database_url

__all__ = ["FrameworkRecord", "History", "RecordResult", "RecordedCard", "database_url"]
