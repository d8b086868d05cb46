"""``ecomperf score`` through the columnar engine: CSV or Parquet in, CSV or Parquet out, streamed.

:func:`streamable` says when the streaming path applies (pyarrow installed, a ``.csv``/``.tsv``/``.parquet``
input and a ``.csv``, ``.parquet`` or ``.jsonl`` output); :func:`score_streaming` then scores the file in record batches
(:func:`ecomperf.io.columnar.score_file`) and reports on stderr exactly what the row-by-row path reports:
the encoding note, warnings, one ``FILE:ROW: employee: reason`` line per row not scored, one
``FILE:ROW: employee: warning: …`` line per card warning, and the count. Messages name CLI flags
(``--keep-duplicates first``), as on the row-by-row path.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Final

import typer
from rich.console import Console

from ecomperf.errors import ActualsIOError
from ecomperf.spelling import spelled_for

if TYPE_CHECKING:
    from ecomperf.framework import Framework
    from ecomperf.io.columnar import StreamResult

__all__ = ["PROGRESS_BYTES", "score_streaming", "streamable"]

PROGRESS_BYTES: Final = 8 << 20
"""Inputs larger than this (8 MiB, some 100,000 rows) show a progress bar when stderr is a terminal."""

_INPUTS: Final = frozenset({".csv", ".tsv", ".parquet"})
_OUTPUTS: Final = frozenset({".csv", ".parquet", ".jsonl"})


def streamable(fw: Framework, actuals: Path, output: Path | None) -> bool:
    """Whether ``ecomperf score`` can stream ``actuals`` into ``output``: pyarrow is installed and the
    framework needs no column the streaming writers lack (display-scale totals, section subtotals)."""
    if output is None or actuals.suffix.lower() not in _INPUTS or output.suffix.lower() not in _OUTPUTS:
        return False
    try:
        from ecomperf.batch.columnar import columnar_complete  # optional extra [arrow]: else the row path runs
    except ImportError:  # pragma: no cover - pyarrow is in the dev extra
        return False
    return columnar_complete(fw)


def score_streaming(
    err: Console, fw: Framework, actuals: Path, output: Path, *, stage: str | None, period: str | None, missing: str,
    keep_duplicates: str | None = None,
) -> StreamResult:
    """Score ``actuals`` into ``output`` in record batches; report on ``err``; return what was done (the
    caller decides the exit status from its errors and warnings)."""
    from ecomperf.io.columnar import score_file  # start-up cost: pyarrow loads only when a file is streamed

    with _progress(err, actuals) as advance, spelled_for("cli"):
        try:
            result = score_file(fw, actuals, output, missing=missing, stage=stage, period=period,  # type: ignore[arg-type]
                                progress=advance, keep_duplicates=keep_duplicates)  # type: ignore[arg-type]
        except ActualsIOError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(1) from None
    _report(err, actuals, output, result)
    return result


def _report(err: Console, actuals: Path, output: Path, result: StreamResult) -> None:
    if result.encoding not in (None, "utf-8", "utf-8-sig"):
        err.print(f"note: {actuals} is not UTF-8; read it as {result.encoding.upper()}", markup=False)
    if not result.scored and not result.errors:
        err.print(f"warning: {actuals} has no data rows", markup=False)
    for warning in result.warnings:
        err.print(f"warning: {warning}", markup=False)
    for error in result.errors:
        err.print(error.format(str(actuals)), markup=False)
    for row, employee, warning in result.card_warnings:
        err.print(f"{actuals}:{row}: {employee}: warning: {warning}", markup=False)
    err.print(f"Wrote {result.scored} scored row(s) to {output}.", markup=False)


@contextmanager
def _progress(err: Console, actuals: Path) -> Iterator[Callable[[int], None] | None]:
    if actuals.stat().st_size <= PROGRESS_BYTES or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress  # start-up cost: only large inputs show progress

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("Scoring (rows)", total=None)
        yield lambda rows: bar.advance(task, rows)
