"""A costing on Spark (``doudi cost --engine spark``): the same compiled rules as on
DuckDB, so the same rows, persons and tables, to the fen and the clause — on bench_plan's
synthetic Jiangxi of 10^4 insured, under both shipped reforms (a parameter override, and
Chongqing's rules on Jiangxi's people). Over a lake export (``doudi cost --lake``) the
executors read the export's files, no row handed over by the driver, and the costing is
the registry's. An engine that does not exist is refused in Chinese before anything is
read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest
import synthetic_province
from lake_province import REGION, Exported, exported
from lake_province import reforms as lake_reforms
from synthetic_province import REFORMS, results

from doudi.costing import lake, run
from doudi.costing import reform as reforms


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


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory, _django: None) -> Exported:
    return exported(tmp_path_factory.mktemp("costing-lake-spark"))


@pytest.mark.spark
@pytest.mark.parametrize("name", list(lake_reforms()))
def test_a_costing_on_spark_reading_the_lake_is_the_costing_of_the_registry(
    city: Exported, name: str, monkeypatch: pytest.MonkeyPatch
):
    from pyspark.sql import SparkSession

    change = lake_reforms()[name]
    on_registry = run.cost(city.registry, change, REGION)

    def through_the_driver(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("rows were handed to Spark by the driver (createDataFrame)")

    monkeypatch.setattr(SparkSession, "createDataFrame", through_the_driver)
    on_spark = lake.cost_on_lake(
        city.registry, change, str(city.lake), REGION, engine=run.Engine("spark", "local[2]")
    )
    assert results(on_spark) == results(on_registry)
    assert on_spark.amounts.num_rows == on_registry.amounts.num_rows > 0
    assert not (city.lake / "results").exists() or not any((city.lake / "results").iterdir())


def test_an_unknown_engine_is_refused_in_chinese_before_anything_is_read():
    change = reforms.load(REFORMS["minimum tier 200"])
    with pytest.raises(run.CostingError, match="未知的计算引擎 flink"):
        run.cost(None, change, engine=run.Engine("flink"))  # type: ignore[arg-type]
