"""A costing on Spark (``doudi cost --engine spark``): the same compiled rules as on
DuckDB, so the same rows, persons and tables, to the fen and the clause — on bench_plan's
synthetic Jiangxi of 10^4 insured, under both shipped reforms (a parameter override, and
Chongqing's rules on Jiangxi's people). An engine that does not exist is refused in
Chinese before anything is read."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pytest
import synthetic_province
from synthetic_province import REFORMS, results

from doudi.costing import reform as reforms
from doudi.costing import run


@pytest.fixture(scope="module")
def province() -> Iterator[tuple[dict[str, pa.Table], pa.Table]]:
    yield from synthetic_province.made()


@pytest.mark.spark
@pytest.mark.parametrize("name", list(REFORMS))
def test_a_costing_on_spark_is_the_costing_on_duckdb(province, name):
    tables, places = province
    change = reforms.load(REFORMS[name])
    on_duckdb = run.cost_tables(dict(tables), places, change, "360000")
    on_spark = run.cost_tables(
        dict(tables), places, change, "360000", engine=run.Engine("spark", "local[2]")
    )
    assert results(on_spark) == results(on_duckdb)
    assert on_spark.amounts.num_rows == on_duckdb.amounts.num_rows > 0


def test_an_unknown_engine_is_refused_in_chinese_before_anything_is_read():
    change = reforms.load(REFORMS["minimum tier 200"])
    with pytest.raises(run.CostingError, match="未知的计算引擎 flink"):
        run.cost(None, change, engine=run.Engine("flink"))  # type: ignore[arg-type]
