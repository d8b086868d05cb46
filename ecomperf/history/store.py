"""The history store: every recorded scorecard, in SQLite or any SQLAlchemy database, nothing ever lost.

>>> from ecomperf import History
>>> history = History("perf.db")  # doctest: +SKIP
>>> history.record(result.cards, framework=fw, command="monthly close")  # doctest: +SKIP
>>> [(c.employee, c.period, c.total) for c in history.cards(employee="E001")]  # doctest: +SKIP

Guarantees:

* **one transaction per recording**: :meth:`History.record` stores every card it is given or none;
* **nothing deleted**: a correction (``replace=True``) adds the next version of a card and marks the
  earlier one superseded; :meth:`History.entries` with ``all_versions=True`` shows both;
* **concurrent recorders are safe**: writers take the database's write lock (SQLite ``BEGIN
  IMMEDIATE`` with a busy timeout; row locks and a unique index on PostgreSQL), and at most one card per
  employee and period is current, enforced by the database itself. A recording that loses a race is
  retried against what the winner stored, so it is refused (or supersedes it, with ``replace``) exactly
  as if the two had run one after the other;
* **the schema moves forward on open**: Alembic migrations shipped in the package run when a database
  is opened, so a database made by this version opens in every later one.
"""

from __future__ import annotations

import datetime as dt
import getpass
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    tuple_,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, SQLAlchemyError

from ecomperf._version import __version__
from ecomperf.errors import HistoryError
from ecomperf.history.actuals import recorded_table
from ecomperf.history.codec import InputValue, card_from_rows, card_rows, period_bounds
from ecomperf.history.migrate import upgrade
from ecomperf.history.schema import cards, frameworks, kpi_scores, recordings
from ecomperf.periods import Period, PeriodError, PeriodKind
from ecomperf.scoring.results import ScoreCard

if TYPE_CHECKING:
    import pandas

    from ecomperf.batch.table import Table
    from ecomperf.model.index import FrameworkIndex as Framework

__all__ = ["BUSY_TIMEOUT_MS", "FrameworkRecord", "History", "RecordResult", "RecordedCard", "database_url"]

BUSY_TIMEOUT_MS: Final = 60_000
"""How long a SQLite writer waits for another one to finish before giving up (milliseconds)."""

ATTEMPTS: Final = 3
"""How often a recording that lost a race with a concurrent recorder is tried again."""

_CHUNK: Final = 400
"""Keys per ``IN (...)`` query: far below SQLite's and PostgreSQL's parameter limits."""

_WRITE: Final = "ecomperf_write"


@dataclass(frozen=True)
class RecordedCard:
    """A card as the store holds it: the card plus when, how and by whom it was recorded.

    Attributes:
        id: the card's id in the store (cited as evidence, e.g. ``#42``).
        card: the scorecard, equal to the one recorded.
        version: 1 for the first card of this employee and period, 2 for its first correction, ….
        recording_id: the recording (one file, one transaction) it came with.
        recorded_at: when (UTC).
        command: the command that recorded it (``ecomperf score … --record …``, or what the caller said).
        source: the file or other source of the actuals, when known.
        recorded_by: the operating-system user who recorded it, when known.
        superseded_at: when a correction replaced it; ``None`` while it is current.
        supersedes: the id of the card this one corrected, if any.
        inputs: the metric values it was scored from (``"n/a"`` for not applicable), when recorded.
    """

    id: int
    card: ScoreCard
    version: int
    recording_id: int
    recorded_at: dt.datetime
    command: str
    source: str | None = None
    recorded_by: str | None = None
    superseded_at: dt.datetime | None = None
    supersedes: int | None = None
    inputs: Mapping[str, InputValue] | None = None

    @property
    def current(self) -> bool:
        """Whether this is the current version of the employee's card for the period."""
        return self.superseded_at is None

    @property
    def period(self) -> Period:
        """The card's period."""
        return Period.parse(self.card.period)


@dataclass(frozen=True)
class RecordResult:
    """What one :meth:`History.record` stored.

    Attributes:
        recording_id: the recording's id.
        recorded_at: when (UTC).
        card_ids: the ids of the cards stored, in the order given.
        replaced: how many of them superseded an earlier card.
    """

    recording_id: int
    recorded_at: dt.datetime
    card_ids: tuple[int, ...]
    replaced: int

    @property
    def recorded(self) -> int:
        """How many cards were stored."""
        return len(self.card_ids)


@dataclass(frozen=True)
class FrameworkRecord:
    """A framework version the store has seen, by fingerprint.

    Attributes:
        fingerprint: the content fingerprint.
        framework: the framework id; ``version`` its declared version.
        name: its localised name, when it was recorded with the framework at hand.
        grades: ``(grade id, minimum total, bonus)`` highest first, when known (reports draw grade bands
            from it).
        rules: the framework's ``rules`` as JSON, when known.
    """

    fingerprint: str
    framework: str
    version: str | None
    name: str | dict[str, str] | None = None
    grades: tuple[tuple[str, float, float], ...] | None = None
    rules: Mapping[str, Any] | None = field(default=None)


def database_url(target: str | PathLike[str]) -> URL:
    """The SQLAlchemy URL of ``target``: a plain path is a SQLite file; anything with ``://`` is a URL.

    ``postgresql://`` without a driver uses psycopg (version 3), the driver the ``postgresql`` extra
    installs.

    Raises:
        HistoryError: ``target`` is neither a usable path nor a URL SQLAlchemy understands.

    >>> database_url("postgresql://hr@db.example/perf").drivername
    'postgresql+psycopg'
    >>> database_url("perf.db").drivername
    'sqlite'
    """
    text = str(target)
    if "://" not in text:
        path = Path(text).expanduser()
        if not text.strip():
            raise HistoryError("the history database path is empty; give a file such as perf.db")
        if path.is_dir():
            raise HistoryError(f"{path} is a folder; give a database file such as {path / 'perf.db'}")
        return URL.create("sqlite", database=str(path.resolve()))
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise HistoryError(f"{text!r} is not a database URL: {exc}") from None
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


class History:
    """A history of scorecards in one database.

    Args:
        url: a path (a SQLite file, created when missing) or an SQLAlchemy URL such as
            ``postgresql+psycopg://user:password@host/dbname``.
        create: create the database (SQLite) or the store's tables (servers) when missing; ``False``
            refuses a database that holds no history yet, as readers want.

    Raises:
        HistoryError: the database cannot be reached, was made by a newer ecomperf, is not an ecomperf
            history, or (``create=False``) holds no history.

    Example:
        >>> with History("perf.db") as history:  # doctest: +SKIP
        ...     history.record(cards, framework=fw)
        ...     frame = history.to_pandas(employee="E001")
    """

    def __init__(self, url: str | PathLike[str], *, create: bool = True) -> None:
        self.url = database_url(url)
        plain = "://" not in str(url)
        self.where = str(url) if plain else self.url.render_as_string(hide_password=True)
        """The database as messages name it: the path as given, or the URL without its password."""
        if self.url.get_backend_name() == "sqlite" and not create:
            database = self.url.database or ""
            if not Path(database).is_file():
                raise HistoryError(
                    f"no history database at {database}",
                    reasons=["record one first: ecomperf score FRAMEWORK --actuals FILE --record "
                              f"{Path(database).name}"],
                )
        if self.url.get_backend_name() == "sqlite" and self.url.database:
            folder = Path(self.url.database).parent
            if not folder.is_dir():
                raise HistoryError(f"cannot create {self.url.database}: the folder {folder} does not exist")
        try:
            self.engine: Engine = create_engine(self.url)
        except (ArgumentError, ImportError) as exc:
            raise HistoryError(f"cannot open {self.where}: {exc}",
                               reasons=_driver_hint(self.url)) from None
        if self.engine.dialect.name == "sqlite":
            _configure_sqlite(self.engine)
        try:
            with self._write() as connection:
                if not create and not _has_history(connection):
                    raise HistoryError(f"{self.where} holds no ecomperf history yet",
                                       reasons=["record into it first with --record"])
                self.migrated_from, self.revision = upgrade(connection, self.where)
        except HistoryError:
            self.engine.dispose()
            raise
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise HistoryError(f"cannot open {self.where}: {_reason(exc)}") from None

    # --- life cycle ----------------------------------------------------------------------------------

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"History({self.where!r})"

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            connection.execution_options(**{_WRITE: True})
            with connection.begin():
                yield connection

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as connection, connection.begin():
                yield connection
        except SQLAlchemyError as exc:
            raise HistoryError(f"cannot read {self.where}: {_reason(exc)}") from None

    # --- recording -----------------------------------------------------------------------------------

    def record(
        self,
        cards: Iterable[ScoreCard],
        *,
        framework: Framework | None = None,
        inputs: Sequence[Mapping[str, InputValue] | None] | None = None,
        replace: bool = False,
        command: str | None = None,
        source: str | None = None,
    ) -> RecordResult:
        """Record ``cards`` in one transaction: all of them, or (on any error) none.

        Args:
            cards: scored cards; each needs an ``employee`` and a ``fingerprint`` (every card ecomperf
                scores has one), and no two may share an employee and period.
            framework: the framework that scored them; when given, every card's fingerprint must be its
                fingerprint, and its grade table and rules are kept for reports.
            inputs: the metric values each card was scored from, in the order of ``cards`` (what
                quarters are rolled up from); ``None`` entries, or no list, record none.
            replace: record a correction for cards already recorded (the earlier card is kept, marked
                superseded) instead of refusing them.
            command: what recorded them, as people should read it (``ecomperf score … --record …``).
            source: where the actuals came from (a file name).

        Returns:
            The recording's id and time, and the ids of the stored cards.

        Raises:
            HistoryError: a card cannot be stored (no employee, no fingerprint, another framework's
                fingerprint, an employee and period twice), or is already recorded and ``replace`` is
                false (every such card is listed), or the database failed; nothing is recorded then.
        """
        batch = list(cards)
        values = list(inputs) if inputs is not None else [None] * len(batch)
        if len(values) != len(batch):
            raise HistoryError(f"inputs has {len(values)} entries for {len(batch)} card(s); give one per card")
        prepared = _prepare(batch, values, framework)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self._write() as connection:
                    return _record(connection, prepared, framework, replace=replace,
                                   command=command or _default_command(), source=source)
            except _LostRace:
                if attempt == ATTEMPTS:
                    raise HistoryError(
                        f"nothing recorded: {self.where} kept changing under this recording "
                        f"({ATTEMPTS} attempts); try again"
                    ) from None
            except IntegrityError as exc:
                if attempt == ATTEMPTS:
                    raise HistoryError(f"nothing recorded: {self.where} refused the cards: {_reason(exc)}") from None
            except OperationalError as exc:
                raise HistoryError(f"nothing recorded: {_reason(exc)}",
                                   reasons=_busy_hint(self.engine, exc)) from None
            except SQLAlchemyError as exc:
                raise HistoryError(f"nothing recorded: {self.where} failed: {_reason(exc)}") from None
        raise AssertionError("unreachable")  # pragma: no cover

    # --- reading -------------------------------------------------------------------------------------

    def entries(
        self,
        *,
        employee: str | Sequence[str] | None = None,
        position: str | Sequence[str] | None = None,
        start: str | Period | None = None,
        end: str | Period | None = None,
        period: str | Period | None = None,
        kind: PeriodKind | None = None,
        framework: str | Sequence[str] | None = None,
        all_versions: bool = False,
    ) -> list[RecordedCard]:
        """Recorded cards with their recording details, by employee, then period, then version.

        Args:
            employee, position: keep these (one id or several).
            start, end: keep periods that lie within ``start``'s first month and ``end``'s last month
                (``start="2026-10"`` keeps 2026-10, 2026-Q4, 2026-11 …).
            period: keep this period only.
            kind: keep ``"month"``, ``"quarter"`` or ``"year"`` cards only.
            framework: keep cards of this framework id (or of these).
            all_versions: include superseded cards (by default only the current version of each).

        Raises:
            HistoryError: a period filter is not a period id, or the database cannot be read.
        """
        query = _filtered(select(cards, recordings.c.recorded_at, recordings.c.command, recordings.c.source,
                                 recordings.c.recorded_by).join(recordings, cards.c.recording_id == recordings.c.id),
                          employee=employee, position=position, start=start, end=end, period=period, kind=kind,
                          framework=framework, all_versions=all_versions)
        query = query.order_by(cards.c.employee, cards.c.period_end, cards.c.period_end - cards.c.period_start,
                               cards.c.version)
        with self._read() as connection:
            rows = [dict(row._mapping) for row in connection.execute(query)]
            kpis = _kpis_of(connection, [row["id"] for row in rows])
        return [
            RecordedCard(
                id=row["id"],
                card=card_from_rows(row, kpis.get(row["id"], [])),
                version=row["version"],
                recording_id=row["recording_id"],
                recorded_at=_utc(row["recorded_at"]),
                command=row["command"],
                source=row["source"],
                recorded_by=row["recorded_by"],
                superseded_at=None if row["superseded_at"] is None else _utc(row["superseded_at"]),
                supersedes=row["supersedes"],
                inputs=row["inputs"],
            )
            for row in rows
        ]

    def actuals(
        self,
        *,
        employee: str | Sequence[str] | None = None,
        position: str | Sequence[str] | None = None,
        start: str | Period | None = None,
        end: str | Period | None = None,
        period: str | Period | None = None,
        kind: PeriodKind | None = None,
        framework: str | Sequence[str] | None = None,
    ) -> Table:
        """The recorded actuals of the current cards as a table of actuals, one row per card.

        What :func:`ecomperf.backtest` and :meth:`ecomperf.Framework.score_many` take: the columns of a file
        of actuals, the rows numbered by card id and cited as ``perf.db card #42`` (see
        :func:`ecomperf.history.actuals.recorded_table`). Filters as for :meth:`entries`.

        Raises:
            HistoryError: a period filter is not a period id, or the database cannot be read.

        Example:
            >>> table = History("perf.db").actuals(start="2026-10", end="2026-12")  # doctest: +SKIP
            >>> ecomperf.backtest(old, new, table).changed  # doctest: +SKIP
        """
        entries = self.entries(employee=employee, position=position, start=start, end=end, period=period, kind=kind,
                               framework=framework)
        return recorded_table(entries, where=self.where)

    def cards(self, **filters: Any) -> list[ScoreCard]:
        """The recorded :class:`~ecomperf.scorecard.ScoreCard` objects; filters as for :meth:`entries`."""
        return [entry.card for entry in self.entries(**filters)]

    def frameworks(self) -> dict[str, FrameworkRecord]:
        """Every framework version seen, by fingerprint."""
        with self._read() as connection:
            rows = connection.execute(select(frameworks)).mappings().all()
        return {
            row["fingerprint"]: FrameworkRecord(
                fingerprint=row["fingerprint"],
                framework=row["framework"],
                version=row["version"],
                name=row["name"],
                grades=None if row["grades"] is None else tuple(
                    (str(grade["id"]), float(grade["min"]), float(grade["bonus"])) for grade in row["grades"]
                ),
                rules=row["rules"],
            )
            for row in rows
        }

    def count(self, *, all_versions: bool = False) -> int:
        """How many cards are recorded (current versions only, unless ``all_versions``)."""
        query = select(func.count()).select_from(cards)
        if not all_versions:
            query = query.where(cards.c.superseded_at.is_(None))
        with self._read() as connection:
            return int(connection.execute(query).scalar_one())

    def to_pandas(self, *, kpis: bool = False, **filters: Any) -> pandas.DataFrame:
        """The recorded cards as a pandas DataFrame; filters as for :meth:`entries`.

        Args:
            kpis: one row per KPI of each card (``kpi``, ``actual``, ``target``, ``score``, ``weight`` …)
                instead of one row per card.

        Returns:
            One row per card: ``card_id``, ``employee``, ``position``, ``stage``, ``period``,
            ``period_kind``, ``total``, ``grade``, ``bonus``, ``veto_breaches``, ``framework``,
            ``framework_version``, ``fingerprint``, ``version``, ``current``, ``recorded_at``, ``command``
            (or one row per KPI with the card's ``card_id``, ``employee`` and ``period``).

        Raises:
            ImportError: pandas is not installed (``pip install pandas``).
        """
        import pandas as pd  # optional: only this method needs pandas

        entries = self.entries(**filters)
        if kpis:
            return pd.DataFrame([_kpi_record(entry, index) for entry in entries
                                 for index in range(len(entry.card.kpis))], columns=_KPI_COLUMNS)
        return pd.DataFrame([_card_record(entry) for entry in entries], columns=_CARD_COLUMNS)


# --- recording, inside the transaction ------------------------------------------------------------------


class _LostRace(Exception):
    """A concurrent recorder changed the cards this recording is about: start the transaction again."""


@dataclass(frozen=True)
class _Prepared:
    card: ScoreCard
    row: dict[str, Any]
    kpis: list[dict[str, Any]]


def _prepare(
    batch: Sequence[ScoreCard], values: Sequence[Mapping[str, InputValue] | None], framework: Framework | None
) -> list[_Prepared]:
    """Encode every card before the transaction opens, collecting every problem at once."""
    problems: list[str] = []
    prepared: list[_Prepared] = []
    seen: dict[tuple[str, str], int] = {}
    for index, (card, given) in enumerate(zip(batch, values, strict=True), start=1):
        try:
            row, kpis = card_rows(card)
        except (ValueError, PeriodError) as exc:
            problems.append(f"card {index}: {exc}")
            continue
        if framework is not None and card.fingerprint != framework.fingerprint:
            problems.append(
                f"card {index} ({card.employee}, {card.period}) was scored with framework "
                f"{card.framework} {card.fingerprint[:12] if card.fingerprint else '?'}, not with "
                f"{framework.id} {framework.fingerprint[:12]}"
            )
        bad = _non_finite(card)
        if bad:
            problems.append(f"card {index} ({card.employee}, {card.period}): {bad} is not a finite number")
        key = (row["employee"], row["period"])
        if key in seen:
            problems.append(f"card {index}: {key[0]} already has a card for {key[1]} in this batch (card "
                            f"{seen[key]}); record one card per employee and period")
        seen.setdefault(key, index)
        row["inputs"] = None if given is None else dict(given)
        prepared.append(_Prepared(card, row, kpis))
    if problems:
        raise HistoryError(f"nothing recorded: {len(problems)} problem(s) with the cards", reasons=problems)
    return prepared


def _non_finite(card: ScoreCard) -> str | None:
    numbers = {"total": card.total, "bonus": card.bonus, "uncapped_total": card.uncapped_total}
    for kpi in card.kpis:
        numbers.update({f"{kpi.kpi}.score": kpi.score, f"{kpi.kpi}.actual": kpi.actual,
                        f"{kpi.kpi}.weight": kpi.weight, f"{kpi.kpi}.achievement": kpi.achievement})
    return next((name for name, value in numbers.items() if value is not None and not math.isfinite(value)), None)


def _record(
    connection: Connection, prepared: list[_Prepared], framework: Framework | None, *, replace: bool,
    command: str, source: str | None,
) -> RecordResult:
    now = dt.datetime.now(dt.UTC)
    existing = _current(connection, [(p.row["employee"], p.row["period"]) for p in prepared])
    if existing and not replace:
        raise HistoryError(
            f"nothing recorded: {len(existing)} card(s) are already recorded",
            reasons=[
                f"{employee} {period}: card #{row['id']} (version {row['version']}), recorded "
                f"{_utc(row['recorded_at']):%Y-%m-%d %H:%M} UTC by `{row['command']}`"
                for (employee, period), row in sorted(existing.items())
            ] + ["to record a correction, pass --replace (replace=True): the earlier card is kept as superseded"],
        )
    recording_id = connection.execute(
        insert(recordings).returning(recordings.c.id),
        {"recorded_at": now, "command": command, "source": source, "recorded_by": _user(),
         "ecomperf_version": __version__, "card_count": len(prepared), "replaced_count": len(existing)},
    ).scalar_one()
    _register_frameworks(connection, prepared, framework, now)
    if existing:
        ids = [row["id"] for row in existing.values()]
        marked = 0
        for chunk in _chunks(ids):
            marked += connection.execute(
                update(cards).where(cards.c.id.in_(chunk), cards.c.superseded_at.is_(None)).values(superseded_at=now)
            ).rowcount
        if marked != len(ids):
            raise _LostRace
    rows = []
    for item in prepared:
        earlier = existing.get((item.row["employee"], item.row["period"]))
        rows.append({**item.row, "recording_id": recording_id,
                     "version": 1 if earlier is None else earlier["version"] + 1,
                     "supersedes": None if earlier is None else earlier["id"]})
    card_ids: list[int] = []
    for chunk in _chunks(rows):
        result = connection.execute(insert(cards).returning(cards.c.id, sort_by_parameter_order=True), chunk)
        card_ids.extend(result.scalars().all())
    kpi_rows = [{**kpi, "card_id": card_id} for card_id, item in zip(card_ids, prepared, strict=True)
                for kpi in item.kpis]
    if kpi_rows:
        connection.execute(insert(kpi_scores), kpi_rows)
    return RecordResult(recording_id, now, tuple(card_ids), len(existing))


def _current(connection: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for chunk in _chunks(keys):
        query = (
            select(cards.c.id, cards.c.employee, cards.c.period, cards.c.version, recordings.c.recorded_at,
                   recordings.c.command)
            .join(recordings, cards.c.recording_id == recordings.c.id)
            .where(tuple_(cards.c.employee, cards.c.period).in_(chunk), cards.c.superseded_at.is_(None))
        )
        if connection.dialect.name == "postgresql":
            query = query.with_for_update(of=cards)
        for row in connection.execute(query).mappings():
            found[(row["employee"], row["period"])] = dict(row)
    return found


def _register_frameworks(
    connection: Connection, prepared: list[_Prepared], framework: Framework | None, now: dt.datetime
) -> None:
    wanted = {item.row["fingerprint"]: item.card for item in prepared}
    known = {
        row.fingerprint: row.grades is not None
        for row in connection.execute(
            select(frameworks.c.fingerprint, frameworks.c.grades).where(frameworks.c.fingerprint.in_(list(wanted)))
        )
    }
    details: dict[str, Any] = {}
    if framework is not None:
        details = {
            "name": framework.spec.name,
            "grades": [{"id": g.id, "min": g.min, "bonus": g.bonus} for g in framework.grades],
            "rules": framework.rules.model_dump(mode="json"),
        }
    for fingerprint, card in wanted.items():
        mine = details if framework is not None and fingerprint == framework.fingerprint else {}
        if fingerprint not in known:
            connection.execute(insert(frameworks), {
                "fingerprint": fingerprint, "framework": card.framework, "version": card.framework_version,
                "name": mine.get("name"), "grades": mine.get("grades"), "rules": mine.get("rules"),
                "first_recorded_at": now,
            })
        elif mine and not known[fingerprint]:  # seen before without the framework at hand: fill in what is known
            connection.execute(update(frameworks).where(frameworks.c.fingerprint == fingerprint).values(**mine))


# --- reading -------------------------------------------------------------------------------------------


def _filtered(query: Select[Any], *, employee: str | Sequence[str] | None, position: str | Sequence[str] | None,
              start: str | Period | None, end: str | Period | None, period: str | Period | None,
              kind: PeriodKind | None, framework: str | Sequence[str] | None, all_versions: bool) -> Select[Any]:
    if not all_versions:
        query = query.where(cards.c.superseded_at.is_(None))
    if employee is not None:
        query = query.where(cards.c.employee.in_([employee] if isinstance(employee, str) else list(employee)))
    if position is not None:
        query = query.where(cards.c.position.in_([position] if isinstance(position, str) else list(position)))
    if framework is not None:
        query = query.where(cards.c.framework.in_([framework] if isinstance(framework, str) else list(framework)))
    if kind is not None:
        query = query.where(cards.c.period_kind == kind)
    if start is not None:
        query = query.where(cards.c.period_start >= period_bounds(_period("start", start))[0])
    if end is not None:
        query = query.where(cards.c.period_end <= period_bounds(_period("end", end))[1])
    if period is not None:
        query = query.where(cards.c.period == str(_period("period", period)))
    return query


def _period(name: str, value: str | Period) -> Period:
    if isinstance(value, Period):
        return value
    try:
        return Period.parse(value)
    except PeriodError as exc:
        raise HistoryError(f"{name}: {exc}") from None


def _kpis_of(connection: Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    for chunk in _chunks(ids):
        for row in connection.execute(select(kpi_scores).where(kpi_scores.c.card_id.in_(chunk))).mappings():
            found.setdefault(row["card_id"], []).append(dict(row))
    return found


_CARD_COLUMNS: Final = [
    "card_id", "employee", "position", "stage", "period", "period_kind", "total", "grade", "bonus",
    "veto_breaches", "framework", "framework_version", "fingerprint", "version", "current", "recorded_at",
    "command",
]
_KPI_COLUMNS: Final = [
    "card_id", "employee", "period", "kpi", "actual", "target", "achievement", "score", "weight",
    "weighted_score", "method", "veto_breached", "computed",
]


def _card_record(entry: RecordedCard) -> dict[str, Any]:
    card = entry.card
    return {
        "card_id": entry.id, "employee": card.employee, "position": card.position, "stage": card.stage,
        "period": card.period, "period_kind": entry.period.kind, "total": card.total, "grade": card.grade,
        "bonus": card.bonus, "veto_breaches": ", ".join(card.veto_breaches), "framework": card.framework,
        "framework_version": card.framework_version, "fingerprint": card.fingerprint, "version": entry.version,
        "current": entry.current, "recorded_at": entry.recorded_at, "command": entry.command,
    }


def _kpi_record(entry: RecordedCard, index: int) -> dict[str, Any]:
    kpi = entry.card.kpis[index]
    return {
        "card_id": entry.id, "employee": entry.card.employee, "period": entry.card.period, "kpi": kpi.kpi,
        "actual": kpi.actual, "target": None if kpi.target is None else str(kpi.target),
        "achievement": kpi.achievement, "score": kpi.score, "weight": kpi.weight,
        "weighted_score": kpi.weighted_score, "method": kpi.method, "veto_breached": kpi.veto_breached,
        "computed": kpi.computed,
    }


# --- plumbing --------------------------------------------------------------------------------------------


def _configure_sqlite(engine: Engine) -> None:
    """Foreign keys on, a busy timeout, and writers that take the write lock when they begin.

    pysqlite's own transaction handling begins lazily with a plain ``BEGIN``; a reader that later writes
    can then fail at once with "database is locked" instead of waiting. So ecomperf emits ``BEGIN``
    itself, ``BEGIN IMMEDIATE`` for writers.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _has_history(connection: Connection) -> bool:
    return "alembic_version" in inspect(connection).get_table_names()


def _chunks(items: Sequence[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield list(items[start:start + _CHUNK])


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite returns stored times without their zone; they were stored in UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _user() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment (containers, services)
        return None


def _default_command() -> str:
    return "ecomperf.History.record (Python)"


def _reason(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None)
    text = str(original if original is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _busy_hint(engine: Engine, exc: OperationalError) -> list[str]:
    if engine.dialect.name == "sqlite" and "locked" in str(exc):
        return [f"another process held the database for more than {BUSY_TIMEOUT_MS // 1000} s; try again"]
    return []


def _driver_hint(url: URL) -> list[str]:
    if url.get_backend_name() == "postgresql":
        return ["install the PostgreSQL driver: pip install 'ecomperf[postgresql]'"]
    return []
