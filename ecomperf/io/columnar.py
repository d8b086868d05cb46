"""Score a file of actuals into a file of scores through the columnar engine, streaming in record batches.

:func:`score_file` first reads only the key columns of the actuals (``employee``, ``position``, ``stage``,
``period``), batch by batch, so that rows repeating an employee and period are found across the whole
file (:mod:`ecomperf.batch.duplicates`; at 1M rows this pass costs about a quarter of reading the whole
file, and keeps about 30 bytes a row). It then reads the actuals batch by batch (:mod:`ecomperf.io.arrow`),
scores each batch (:class:`ecomperf.batch.columnar.ColumnarScorer`) and spools the scored batches to an
Arrow IPC file next to the output; a last pass writes the output from the spool. Memory therefore stays
bounded by a batch (and the 30 bytes a row of the first pass) whatever the size of the file, and the
CSV's ``<kpi>_score`` columns can still be those scored in any row, in order of first appearance, exactly
as :func:`ecomperf.io.write.write_csv` writes them. The output is written atomically (:mod:`ecomperf.io.atomic`).

======== ==========================================================================================
output   what is written
======== ==========================================================================================
.csv     the bytes :func:`~ecomperf.io.write.write_csv` writes for the same rows (rows not scored included,
         with their ``reason``)
.parquet every row of :func:`~ecomperf.batch.columnar.output_schema`, errors included (``error``)
.jsonl   JSON Lines: one object per row, the shape of a row of :func:`~ecomperf.io.write.write_json`
         (``row, employee, position, stage, period, context, total, grade, bonus, scores, veto, warnings``), or
         ``{"row", "employee", "error"}`` for a row not scored; for outputs too large for one JSON document
======== ==========================================================================================
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pyarrow as pa
import pyarrow.compute as pc

from ecomperf.batch.columnar import ROW_COLUMN, ColumnarScorer, KpiOrder
from ecomperf.batch.duplicates import KeepDuplicates
from ecomperf.batch.results import RowError
from ecomperf.errors import ActualsIOError
from ecomperf.io.arrow import NotUtf8, open_actuals, scores_csv_bytes, write_bom_and_header
from ecomperf.io.atomic import atomic_write, ensure_folder
from ecomperf.scoring.missing import MissingPolicy

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex

__all__ = ["STREAM_OUTPUTS", "StreamResult", "score_file"]

STREAM_OUTPUTS: Final = {
    ".csv": "CSV of the scored rows",
    ".parquet": "Parquet of every row, errors included",
    ".jsonl": "JSON Lines, one object per row, errors included",
}
"""Output suffixes :func:`score_file` writes."""


@dataclass
class StreamResult:
    """What :func:`score_file` did.

    Attributes:
        scored: rows scored and written.
        errors: the rows not scored, in input order.
        warnings: problems with the input as a whole.
        card_warnings: (row, employee, warning) for each warning of a scored row's card, in input order.
        encoding: the input's text encoding (CSV).
        kpis: the KPI columns written (CSV).
    """

    scored: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    card_warnings: list[tuple[int, str, str]] = field(default_factory=list)
    encoding: str | None = None
    kpis: list[str] = field(default_factory=list)


def score_file(
    fw: FrameworkIndex,
    source: str | Path,
    target: str | Path,
    *,
    missing: MissingPolicy = "error",
    stage: str | None = None,
    period: str | None = None,
    progress: Callable[[int], None] | None = None,
    keep_duplicates: KeepDuplicates | None = None,
) -> StreamResult:
    """Score every row of ``source`` (.csv, .tsv, .parquet) into ``target`` (:data:`STREAM_OUTPUTS`).

    Args:
        fw: the framework.
        source: the actuals file.
        target: the output file; its suffix chooses the format.
        missing, stage, period, keep_duplicates: as for :func:`ecomperf.batch.engine.score_many`.
        progress: called with the number of input rows read, batch by batch.

    Returns:
        The counts, the rows not scored and the warnings (the caller reports them).

    Raises:
        ActualsIOError: the input cannot be read or the output format is unknown.
        OutputError: the output cannot be written.
    """
    output = Path(target)
    suffix = output.suffix.lower()
    if suffix not in STREAM_OUTPUTS:
        raise ActualsIOError(f"{output}: the streaming writer writes {', '.join(STREAM_OUTPUTS)}, not {suffix}")
    folder = ensure_folder(output)
    with tempfile.TemporaryDirectory(dir=folder, prefix=f".{output.name}.") as spool_folder:
        spool = Path(spool_folder) / "scores.arrow"
        scorer = ColumnarScorer(fw, missing=missing, stage=stage, period=period, keep_duplicates=keep_duplicates)
        try:
            result, schema = _spool(scorer, Path(source), spool, None, progress)
        except NotUtf8:
            scorer = ColumnarScorer(fw, missing=missing, stage=stage, period=period, keep_duplicates=keep_duplicates)
            result, schema = _spool(scorer, Path(source), spool, "gb18030", progress)
        if suffix == ".csv":
            _write_csv(output, spool, result)
        elif suffix == ".jsonl":
            _write_jsonl(output, spool, fw)
        else:
            _write_parquet(output, spool, schema)
    return result


_KEYS: Final = ("employee", "position", "stage", "period")
"""The columns the first pass reads: what decides whether two rows repeat an employee and period."""


def _spool(
    scorer: ColumnarScorer, source: Path, spool: Path, encoding: str | None, progress: Callable[[int], None] | None,
) -> tuple[StreamResult, pa.Schema]:
    """Note every row's keys (pass 1), then score every batch into the spool (pass 2), noting the errors,
    the card warnings and the order of the KPI columns."""
    for chunk in open_actuals(source, encoding=encoding, columns=_KEYS):
        scorer.note_keys(chunk.batch, extra=chunk.extra)
    actuals = open_actuals(source, encoding=encoding)
    fw = scorer.fw
    order = KpiOrder(fw, scorer.kpis)
    result = StreamResult(encoding=actuals.encoding)
    with pa.OSFile(str(spool), "wb") as sink, pa.ipc.new_stream(sink, scorer.schema) as writer:
        for chunk in actuals:
            scored = scorer.score(chunk.batch, extra=chunk.extra)
            writer.write_batch(scored)
            order.observe(scored)
            errors = scored.filter(pc.is_valid(scored.column("error")))
            result.errors.extend(
                RowError(row, employee or "", reason, intended=row in scorer.superseded)
                for row, employee, reason in zip(
                    errors.column(ROW_COLUMN).to_pylist(), errors.column("employee").to_pylist(),
                    errors.column("error").to_pylist(), strict=True)
            )
            result.scored += scored.num_rows - errors.num_rows
            warned = scored.filter(pc.is_valid(scored.column("warnings")))
            for row, employee, found in zip(warned.column(ROW_COLUMN).to_pylist(),
                                            warned.column("employee").to_pylist(),
                                            warned.column("warnings").to_pylist(), strict=True):
                result.card_warnings.extend((row, employee, warning) for warning in found)
            if progress is not None:
                progress(chunk.batch.num_rows + (len(chunk.extra.rows) if chunk.extra is not None else 0))
    result.warnings = [*actuals.warnings, *scorer.warnings]
    result.kpis = order.kpis
    return result, scorer.schema


def _batches(spool: Path) -> pa.ipc.RecordBatchStreamReader:
    return pa.ipc.open_stream(pa.memory_map(str(spool)))


def _write_csv(output: Path, spool: Path, result: StreamResult) -> None:
    def write(temporary: Path) -> None:
        with temporary.open("wb") as handle:
            write_bom_and_header(handle, result.kpis)
            for batch in _batches(spool):
                handle.write(scores_csv_bytes(batch, result.kpis))

    atomic_write(output, write)


def _write_jsonl(output: Path, spool: Path, fw: FrameworkIndex) -> None:
    dimensions = list(fw.spec.contexts)
    fixed = {ROW_COLUMN, "employee", "position", "stage", "period", "total", "grade", "bonus", "veto", "error",
             "warnings", *dimensions}

    def line(record: dict[str, Any]) -> dict[str, Any]:
        if record["error"] is not None:
            return {"row": record[ROW_COLUMN], "employee": record["employee"], "error": record["error"]}
        return {
            "row": record[ROW_COLUMN], "employee": record["employee"], "position": record["position"],
            "stage": record["stage"], "period": record["period"],
            "context": {d: record[d] for d in dimensions if record[d] is not None},
            "total": record["total"], "grade": record["grade"], "bonus": record["bonus"],
            "scores": {name.removesuffix("_score"): value for name, value in record.items()
                       if name not in fixed and value is not None},
            "veto": record["veto"].split(", ") if record["veto"] else [],
            "warnings": record["warnings"] or [],
        }

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8", newline="\n") as handle:
            for batch in _batches(spool):
                handle.writelines(json.dumps(line(record), ensure_ascii=False) + "\n" for record in batch.to_pylist())

    atomic_write(output, write)


def _write_parquet(output: Path, spool: Path, schema: pa.Schema) -> None:
    import pyarrow.parquet as pq  # start-up cost: Parquet support loads only for .parquet outputs

    def write(temporary: Path) -> None:
        with pq.ParquetWriter(str(temporary), schema) as writer:
            for batch in _batches(spool):
                writer.write_batch(batch)

    atomic_write(output, write)
