"""The Dask recipe of docs/api/scale-out.md on a local cluster of 2 workers, against the scalar engine.

The cluster runs on this machine only (threads in this process; no network), partitions the actuals in 3,
and each partition is scored by ``score_arrow``. Every total must equal ``Framework.score`` of its row.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import ecomperf
from ecomperf.batch.columnar import output_schema, score_arrow
from tests.batch.scale_out_rows import actual_records, assert_the_scalar_engines_totals
from tests.conftest import MINI

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


@lru_cache(maxsize=1)
def framework() -> ecomperf.Framework:
    return ecomperf.load(MINI)  # once per worker, as in the recipe


def score_partition(actuals: pd.DataFrame) -> pd.DataFrame:
    table = pa.Table.from_pandas(actuals, preserve_index=False)
    return score_arrow(framework(), table, missing="renormalize").to_pandas()


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    with cluster, distributed.Client(cluster) as connected:
        yield connected


def _actuals(rows: int) -> pd.DataFrame:
    return pd.DataFrame(actual_records(rows))


def test_the_dask_recipe_gives_the_scalar_engines_totals(client: object) -> None:
    actuals = _actuals(60)
    frame = dd.from_pandas(actuals, npartitions=3)
    meta = output_schema(framework()).empty_table().to_pandas()
    scores = frame.map_partitions(score_partition, meta=meta).compute()
    assert_the_scalar_engines_totals(framework(), actuals.to_dict("records"), scores.to_dict("records"))


def test_the_recipe_reads_csv_files_as_text(client: object, tmp_path: Path) -> None:
    _actuals(30).to_csv(tmp_path / "actuals-1.csv", index=False)
    _actuals(12).to_csv(tmp_path / "actuals-2.csv", index=False)
    frame = dd.read_csv(str(tmp_path / "actuals-*.csv"), dtype=str, keep_default_na=False)
    meta = output_schema(framework()).empty_table().to_pandas()
    scores = frame.map_partitions(score_partition, meta=meta).compute()
    # 42 rows in two files; each file has the n/a-only row e9, the only rows not scored
    assert len(scores) == 42
    assert scores.loc[scores["error"].notna(), "employee"].tolist() == ["e9", "e9"]
