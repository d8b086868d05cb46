"""Migrations run on open: an empty database gets the schema; foreign or newer databases are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from ecomperf.errors import HistoryError
from ecomperf.history import History, database_url
from ecomperf.history.migrate import head_revision
from ecomperf.history.schema import TABLES, metadata


def _engine(url: str):  # type: ignore[no-untyped-def]
    return create_engine(database_url(url))


def test_an_empty_database_is_migrated_to_the_newest_schema(db_url: str) -> None:
    with History(db_url) as history:
        assert (history.migrated_from, history.revision) == (None, head_revision())
    engine = _engine(db_url)
    with engine.connect() as connection:
        assert set(TABLES) <= set(inspect(connection).get_table_names())
        assert MigrationContext.configure(connection).get_current_heads() == (head_revision(),)
    engine.dispose()


def test_the_migrated_schema_is_exactly_the_tables_of_the_code(db_url: str) -> None:
    History(db_url).close()
    engine = _engine(db_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    assert differences == []  # a change to schema.py needs a migration


def test_opening_again_runs_no_migration(db_url: str) -> None:
    History(db_url).close()
    with History(db_url) as again:
        assert again.migrated_from == again.revision == head_revision()


def test_a_database_from_a_newer_ecomperf_is_refused_untouched(db_url: str) -> None:
    History(db_url).close()
    engine = _engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(HistoryError, match=r"was made by a newer ecomperf \(schema revision 9999; this version "
                                           rf"knows up to {head_revision()}\)"):
        History(db_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "9999"
    engine.dispose()


def test_tables_named_like_the_store_without_a_stamp_are_refused(db_url: str) -> None:
    engine = _engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE cards (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(HistoryError, match=r"has tables named like an ecomperf history \(cards\) but no "
                                           "alembic_version stamp"):
        History(db_url)


def test_a_reader_refuses_a_database_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match=r"no history database at .*missing\.db"):
        History(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_a_reader_refuses_a_server_database_without_history(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("a SQLite reader checks the file first (see the test above)")
    with pytest.raises(HistoryError, match="holds no ecomperf history yet"):
        History(db_url, create=False)


def test_a_folder_that_does_not_exist_is_named(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match=r"cannot create .*perf.db: the folder .*nowhere does not exist"):
        History(tmp_path / "nowhere" / "perf.db")


def test_plain_postgresql_urls_use_psycopg_and_hide_the_password() -> None:
    url = database_url("postgresql://hr:secret@db.example:5432/perf")
    assert url.drivername == "postgresql+psycopg"
    assert url.render_as_string(hide_password=True) == "postgresql+psycopg://hr:***@db.example:5432/perf"


def test_an_unreachable_server_is_a_history_error() -> None:
    with pytest.raises(HistoryError, match=r"cannot open postgresql\+psycopg://hr:\*\*\*@127.0.0.1:1/perf"):
        History("postgresql://hr:secret@127.0.0.1:1/perf?connect_timeout=2")
