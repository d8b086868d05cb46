"""The one place the changes package imports pandas, which is optional (``pip install pandas``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas

__all__ = ["data_frame"]


def data_frame(records: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> pandas.DataFrame:
    """A ``pandas.DataFrame`` of ``records`` with ``columns`` in this order (also when there are no records).

    Raises:
        ImportError: pandas is not installed, with the command that installs it.
    """
    try:
        import pandas  # optional: only to_pandas() needs it
    except ImportError:
        raise ImportError("to_pandas() needs pandas, which is not installed; run `pip install pandas`") from None
    return pandas.DataFrame.from_records(list(records), columns=list(columns))
