"""The Spark recipe of docs/api/scale-out.md on a local Spark of 2 cores, against the scalar engine.

Spark needs Java and the ``spark`` extra (pyspark, about 500 MB), so ``make test`` skips this module;
``make test-spark`` installs the extra and runs it. The recipe's functions are pickled by value, as Spark
pickles those of a user's script, so the Python workers need only ecomperf, not this test package.
"""

from __future__ import annotations

import csv
import shutil
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pytest

import ecomperf
from ecomperf.batch.columnar import output_schema, score_arrow
from tests.batch.scale_out_rows import actual_records, assert_the_scalar_engines_totals
from tests.conftest import MINI

pyspark_sql = pytest.importorskip("pyspark.sql", reason="the spark extra is not installed: run make test-spark")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java on PATH", allow_module_level=True)
from pyspark import cloudpickle  # noqa: E402  (after the skips: pyspark may be absent)
from pyspark.sql.pandas.types import from_arrow_schema  # noqa: E402

pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning",  # pyspark 4.3 beside pandas 3
    "ignore::ResourceWarning",  # py4j's sockets to the JVM, closed when the session stops
)
cloudpickle.register_pickle_by_value(sys.modules[__name__])

FRAMEWORK = str(MINI)  # a path every executor can read


def score_batches(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The recipe's function: one framework load per task, each of its batches scored on its own."""
    fw = ecomperf.load(FRAMEWORK)
    for batch in batches:
        yield score_arrow(fw, batch, missing="renormalize")


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def spark(monkeypatch_module: pytest.MonkeyPatch) -> Iterator[pyspark_sql.SparkSession]:
    monkeypatch_module.setenv("PYSPARK_PYTHON", sys.executable)  # the workers run this interpreter
    session = (pyspark_sql.SparkSession.builder.master("local[2]").appName("ecomperf-recipe")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    yield session
    session.stop()


def _write_csv(path: Path, records: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)


def test_the_spark_recipe_gives_the_scalar_engines_totals(spark: pyspark_sql.SparkSession, tmp_path: Path) -> None:
    records = actual_records(60)
    _write_csv(tmp_path / "actuals.csv", records)
    # 3 partitions, so that several tasks, each with its own load, score the rows
    actuals = spark.read.option("header", True).csv(str(tmp_path / "actuals.csv")).repartition(3, "employee")
    schema = from_arrow_schema(output_schema(ecomperf.load(FRAMEWORK)))
    scores = [row.asDict() for row in actuals.mapInArrow(score_batches, schema).collect()]
    # Spark reads an empty cell as null; the scalar engine is given the same row without it
    assert_the_scalar_engines_totals(ecomperf.load(FRAMEWORK), records, scores)
    assert [score["employee"] for score in scores if score["error"] is not None] == ["e9"]
