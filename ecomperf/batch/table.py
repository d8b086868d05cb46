"""The input of batch scoring: a table of actuals, one row per employee and period, with row numbers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from ecomperf.errors import RowsTypeError

__all__ = ["FIELDS", "FIRST_DATA_ROW", "ActualsRow", "Table", "is_empty", "key_collision"]

FIELDS: Final = ("employee", "position", "stage", "period")
"""The columns every row carries besides context dimensions and metrics."""

FIRST_DATA_ROW: Final = 2
"""Row number of the first row of a list of mappings: row 1 is the (implied) header."""


class ActualsRow(dict[str, Any]):
    """One input row: a ``dict`` of column to value that also remembers its row number.

    Attributes:
        row: the 1-based row number used in messages (the header is row 1).

    Example:
        >>> row = ActualsRow({"employee": "li", "gmv": "210万"}, row=7)
        >>> row["gmv"], row.row
        ('210万', 7)
    """

    __slots__ = ("row",)

    def __init__(self, values: Mapping[str, Any], row: int) -> None:
        super().__init__(values)
        self.row = row


@dataclass(slots=True)
class Table:
    """Rows of actuals in columns, with the row number of each: what :mod:`ecomperf.io.read` readers return.

    Cells are kept as read (strings from CSV, numbers and strings from spreadsheets); a cell that is
    ``None`` or blank text is a missing value.

    Attributes:
        columns: the header, stripped of surrounding spaces (``""`` for a column without a header).
        rows: the cells of each data row, in column order (a row may be shorter: missing cells are empty).
        numbers: the row number of each data row.
        source: where the rows came from, for messages (a file path, or ``"<rows>"``).
        encoding: the text encoding the file was read with, when it was a text file.
        sheet: the worksheet read, for spreadsheets.
        text_cells: every cell is a ``str`` (CSV), which lets the fast path convert whole columns at once.
        bad_rows: row index -> why that row cannot be used (e.g. more cells than the header has columns).
        warnings: things the reader noticed that the user should know.
        origins: per row, where it came from when ``source:number`` does not say it (rows of several files,
            see :meth:`concat`, a quarter rolled up from months, a recorded card of the history store:
            ``perf.db card #42``); ``None`` otherwise.
    """

    columns: tuple[str, ...]
    rows: list[Sequence[Any]]
    numbers: list[int]
    source: str = "<rows>"
    encoding: str | None = None
    sheet: str | None = None
    text_cells: bool = False
    bad_rows: dict[int, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    origins: list[str] | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def origin(self, index: int) -> str:
        """Where row ``index`` came from: ``source:number``, or its entry in :attr:`origins`.

        Example:
            >>> Table(("employee",), [("li",)], [7], source="oct.csv").origin(0)
            'oct.csv:7'
        """
        return self.origins[index] if self.origins is not None else f"{self.source}:{self.numbers[index]}"

    @classmethod
    def concat(cls, tables: Sequence[Table]) -> Table:
        """The rows of several tables (one per file) as one, each row remembering its file and row number.

        The columns are every column of any table, in order of first appearance; a table's rows get empty
        cells for the columns it lacks. Warnings are kept, each prefixed with its file.

        Example:
            >>> october = Table(("employee", "gmv"), [("li", "1")], [2], source="oct.csv")
            >>> november = Table(("employee", "orders"), [("li", "7")], [2], source="nov.csv")
            >>> both = Table.concat([october, november])
            >>> both.columns, both.rows, both.origins
            (('employee', 'gmv', 'orders'), [('li', '1', None), ('li', None, '7')], ['oct.csv:2', 'nov.csv:2'])
        """
        if len(tables) == 1:
            return tables[0]
        order: dict[str, int] = {}
        for table in tables:
            for name in table.columns:
                if name:
                    order.setdefault(name, len(order))
        columns = tuple(order)
        rows: list[Sequence[Any]] = []
        numbers: list[int] = []
        origins: list[str] = []
        bad: dict[int, str] = {}
        warnings: list[str] = []
        for table in tables:
            places = [(position, order[name]) for position, name in enumerate(table.columns) if name]
            for index, cells in enumerate(table.rows):
                laid: list[Any] = [None] * len(columns)
                for position, column in places:
                    if position < len(cells):
                        laid[column] = cells[position]
                if index in table.bad_rows:
                    bad[len(rows)] = table.bad_rows[index]
                rows.append(tuple(laid))
                numbers.append(table.numbers[index])
                origins.append(table.origin(index))
            warnings.extend(f"{table.source}: {warning}" for warning in table.warnings)
        encodings = {table.encoding for table in tables}
        return cls(columns, rows, numbers, source=tables[0].source if tables else "<rows>",
                   encoding=encodings.pop() if len(encodings) == 1 else None, bad_rows=bad, warnings=warnings,
                   origins=origins)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], *, source: str = "<rows>") -> Table:
        """Build a table from mappings; the columns are every key seen, in order of first appearance.

        A record that is an :class:`ActualsRow` keeps its row number; others are numbered from row 2.

        Example:
            >>> table = Table.from_records([{"employee": "li"}, {"employee": "wang", "gmv": 5}])
            >>> table.columns, table.numbers, table.rows[0]
            (('employee', 'gmv'), [2, 3], ('li', None))
        """
        items = list(records)
        order: dict[str, int] = {}
        for position, record in enumerate(items):
            if not isinstance(record, Mapping):
                raise RowsTypeError(
                    f"row {position + FIRST_DATA_ROW} is a {type(record).__name__}, not a mapping: give each row "
                    "as a dict of column to value ({'employee': 'li', 'gmv': 1200}), or read a file with "
                    "ecomperf.read_actuals"
                )
            for key in record:
                order.setdefault(str(key).strip(), len(order))
        columns = tuple(order)
        rows: list[Sequence[Any]] = []
        numbers: list[int] = []
        bad: dict[int, str] = {}
        for position, record in enumerate(items):
            cells: list[Any] = [None] * len(columns)
            for key, value in record.items():
                cells[order[str(key).strip()]] = value
            collision = key_collision(record)
            if collision is not None:
                bad[position] = collision
            rows.append(tuple(cells))
            numbers.append(record.row if isinstance(record, ActualsRow) else position + FIRST_DATA_ROW)
        return cls(columns, rows, numbers, source=source, bad_rows=bad)

    def records(self) -> Iterator[ActualsRow]:
        """Each row as an :class:`ActualsRow`, without its empty cells and unnamed columns."""
        for cells, number in zip(self.rows, self.numbers, strict=True):
            values = {
                name: value
                for name, value in zip(self.columns, cells, strict=False)
                if name and not is_empty(value)
            }
            yield ActualsRow(values, number)


def key_collision(record: Mapping[Any, Any]) -> str | None:
    """Why a row cannot be read when two of its keys name one column once trimmed (``" hours"`` and
    ``"hours"``): which value is meant cannot be told, so neither is kept. ``None`` when they are distinct.

    Example:
        >>> key_collision({" hours": 3, "hours": 4})
        "the keys ' hours' and 'hours' both name the column 'hours'; keep one"
    """
    seen: dict[str, Any] = {}
    for key in record:
        name = str(key).strip()
        if name in seen:
            return f"the keys {seen[name]!r} and {key!r} both name the column {name!r}; keep one"
        seen[name] = key
    return None


def is_empty(value: object) -> bool:
    """Whether a cell counts as missing: ``None``, blank text, or how pandas marks a blank cell (a float
    NaN, ``pd.NA``), so that ``fw.score_many(df.to_dict("records"))`` works. Infinities are not blanks: they
    are refused as values.

    Example:
        >>> is_empty("  "), is_empty(0), is_empty(None), is_empty(float("nan"))
        (True, False, True, True)
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return value != value  # NaN
    return type(value).__name__ == "NAType"
