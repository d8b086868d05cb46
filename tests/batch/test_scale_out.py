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
    records = []
    for number in range(rows):
        if number % 3:
            revenue = 1_000_000 + 7_919 * number
            records.append({"row": str(number + 2), "employee": f"e{number}", "position": "store_manager",
                            "stage": "startup" if number % 2 else "mature", "period": f"2026-{number % 12 + 1:02d}",
                            "category": "electronics_3c" if number % 5 == 0 else "apparel",
                            "gmv": str(1_500_000 + 10_007 * number), "sales_revenue": str(revenue),
                            "cost": str(revenue * 0.6), "inventory_turnover": str(3 + number % 5),
                            "violations": "1" if number % 17 == 0 else "0", "inquiry_response_hours": ""})
        else:
            records.append({"row": str(number + 2), "employee": f"e{number}", "position": "service_agent",
                            "stage": "startup", "period": "2026-10", "category": "", "gmv": "", "sales_revenue": "",
                            "cost": "", "inventory_turnover": "", "violations": "",
                            "inquiry_response_hours": "n/a" if number == 9 else str(8 + number % 30)})
    return pd.DataFrame(records)


def test_the_dask_recipe_gives_the_scalar_engines_totals(client: object) -> None:
    actuals = _actuals(60)
    frame = dd.from_pandas(actuals, npartitions=3)
    meta = output_schema(framework()).empty_table().to_pandas()
    scores = frame.map_partitions(score_partition, meta=meta).compute()
    fw = framework()
    by_row = {int(r["row"]): r for r in scores.to_dict("records")}
    assert len(by_row) == 60  # every row back, scored or with its error
    for record in actuals.to_dict("records"):
        values = {k: v for k, v in record.items() if k in fw.metrics and v != ""}
        context = {"category": record["category"]} if record["category"] else None
        try:
            card = fw.score(record["position"], stage=record["stage"], period=record["period"], actuals=values,
                            context=context, missing="renormalize")
        except ecomperf.ScoringError as exc:
            got = by_row[int(record["row"])]
            assert isinstance(got["error"], str), exc  # row 11 (e9): its only KPI is n/a: nothing left
            continue
        got = by_row[int(record["row"])]
        assert (got["total"], got["grade"]) == (card.total, card.grade), record


def test_the_recipe_reads_csv_files_as_text(client: object, tmp_path: Path) -> None:
    _actuals(30).to_csv(tmp_path / "actuals-1.csv", index=False)
    _actuals(12).to_csv(tmp_path / "actuals-2.csv", index=False)
    frame = dd.read_csv(str(tmp_path / "actuals-*.csv"), dtype=str, keep_default_na=False)
    meta = output_schema(framework()).empty_table().to_pandas()
    scores = frame.map_partitions(score_partition, meta=meta).compute()
    # 42 rows in two files; each file has the n/a-only row e9, the only rows not scored
    assert len(scores) == 42
    assert scores.loc[scores["error"].notna(), "employee"].tolist() == ["e9", "e9"]
