"""The plan, the settlement and the comparison on Spark reading a lake export itself
(issue #24): a synthetic Jiangxi's plan — every programme of its document — the
settlement of its year of bills and its information comparison on Spark ``local[2]``
and on a standalone cluster of two workers (scripts/spark-cluster.sh) give DuckDB's
rows, row by row and to the fen, without a row passing through the driver; a plan run on
the lake writes the versions a DuckDB run then keeps (the same rows). Needs Java
(Debian's openjdk-17-jre-headless, which make test installs when missing)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from conftest import REPO
from doudi.bills import importing as bills
from doudi.comparison.compare import FINDINGS, TABLES, compare
from doudi.lakejobs import comparison
from doudi.plan import evaluation, inputs, lake, lake_inputs, lake_settlement
from doudi.plan import versions as plan
from doudi.plan.programmes import ALL
from doudi.store import db
from support import MARCH, load_synthetic

pytestmark = pytest.mark.spark

JIANGXI = "360000"
PROGRAMMES = [p for p in ALL.values() if p.applies("JX-2017-58")]
BY_PERSON = [("person_id", "ascending"), ("payer", "ascending")]


@dataclass(frozen=True)
class Province:
    registry: db.Database
    lake: Path
    duckdb_rows: dict[str, pa.Table]  # per programme
    settled: list[dict[str, Any]]  # the year's bills settled from the registry on DuckDB


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory, _django: None) -> Province:
    """A synthetic Jiangxi of 1,500 people in its counties and their hospital bills,
    imported, exported to a lake, its plan's rows on DuckDB, and its bills settled on
    DuckDB from the registry."""
    folder = tmp_path_factory.mktemp("lake-province")
    registry = db.register(f"sqlite_{folder.name}", f"sqlite:///{folder}/registry.sqlite3")
    registry.migrate()
    load_synthetic(registry, JIANGXI, 1500, folder / "files")
    bills.import_bills(registry, folder / "files" / "bills.csv", JIANGXI)
    (folder / "lake").mkdir()
    lake.export(registry, JIANGXI, 2018, lake.target(JIANGXI, str(folder / "lake")))
    people, statuses = inputs.engine_inputs(registry, JIANGXI, 2018)
    duck = evaluation.evaluate(JIANGXI, 2018, people, statuses, PROGRAMMES)
    return Province(
        registry,
        folder / "lake",
        {p.code: duck.rows(p) for p in PROGRAMMES},
        registry_settlement(registry, JIANGXI, 2018),
    )


def registry_settlement(
    registry: db.Database, jurisdiction: str, year: int
) -> list[dict[str, Any]]:
    """The year's bills of the registry settled on DuckDB, by bill number: the stored bills
    and each patient's status periods as the person page reads them
    (``bills.status_rows``), not through the lake export."""
    from doudi.engine import backend
    from doudi.policy.settlement import schema

    people = {r["id"]: r["id_number"] for r in registry.read("registry_person").to_pylist()}
    stored = [
        {**b, "bill_no": b["id"], "id_number": people[b["person_id"]]}
        for b in registry.read("registry_bill").to_pylist()
        if b["jurisdiction"] == jurisdiction and b["discharge_date"].year == year
    ]
    patients = {b["person_id"] for b in stored}
    periods: dict[int, list[dict[str, Any]]] = {}
    for period in registry.read("registry_status_period").to_pylist():
        if period["person_id"] in patients:
            periods.setdefault(period["person_id"], []).append(period)
    statuses = [s for pid, ps in periods.items() for s in bills.status_rows(people[pid], ps)]
    settled = backend.plan(jurisdiction, year, kind="bills").run(
        bills=pa.Table.from_pylist(stored, schema=schema.BILLS.to_pyarrow()),
        statuses=pa.Table.from_pylist(statuses, schema=schema.BILL_STATUSES.to_pyarrow()),
    )
    return settled.sort_by("bill_no").to_pylist()


def rows_on_the_lake(province: Province, master: str) -> dict[str, pa.Table]:
    with province.registry.reading() as con:
        read = lake_inputs.open_export(con, str(province.lake), JIANGXI, 2018, JIANGXI)
    evaluated = read.evaluate(JIANGXI, 2018, PROGRAMMES, "spark", master)
    return {p.code: evaluated.rows(p) for p in PROGRAMMES}


def assert_same_rows(found: dict[str, pa.Table], duckdb_rows: dict[str, pa.Table]) -> None:
    for code, expected in duckdb_rows.items():
        assert expected.num_rows > 0, code  # every programme has rows to compare
        assert found[code].sort_by(BY_PERSON).to_pylist() == expected.sort_by(BY_PERSON).to_pylist()


def test_the_plan_on_spark_reading_the_lake_equals_the_plan_on_duckdb(
    province: Province, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyspark.sql import SparkSession

    def through_the_driver(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("rows were handed to Spark by the driver (createDataFrame)")

    monkeypatch.setattr(SparkSession, "createDataFrame", through_the_driver)
    assert_same_rows(rows_on_the_lake(province, "local[2]"), province.duckdb_rows)
    # the results are written by county beside the inputs
    written = province.lake / "results" / f"plan-{JIANGXI}" / "province=36"
    counties = {p.name for p in written.iterdir()}
    assert counties and counties <= {
        f"county={k[-6:]}" for k in os.listdir(province.lake / "people/province=36")
    }


def test_a_plan_run_on_the_lake_writes_the_versions_a_duckdb_run_keeps(
    province: Province, tmp_path: Path
) -> None:
    on_spark = plan.run_plans(
        province.registry,
        JIANGXI,
        2018,
        engine="spark",
        lake=str(province.lake),
        snapshots=tmp_path / "plans",
    )
    assert [r.created for r in on_spark.results] == [True] * len(PROGRAMMES)
    frozen = list((tmp_path / "plans").glob("*.json"))  # the record of the files read
    assert len(frozen) == 1 and '"export"' in frozen[0].read_text("utf-8")
    on_duckdb = plan.run_plans(province.registry, JIANGXI, 2018, snapshots=tmp_path / "plans")
    # other inputs (the snapshot, not the lake's record), the same rows: each version stands
    assert [(r.version_id, r.same_rows) for r in on_duckdb.results] == [
        (r.version_id, True) for r in on_spark.results
    ]


def test_a_file_gone_from_the_lake_is_said_in_chinese_and_nothing_written(
    province: Province, tmp_path: Path
) -> None:
    lake = shutil.copytree(
        province.lake, tmp_path / "lake", ignore=shutil.ignore_patterns("results")
    )
    next((lake / "people").rglob("*.parquet")).unlink()
    before = province.registry.read("registry_plan_version").num_rows
    with pytest.raises(plan.PlanError, match=r"Spark（local\[2\]）未能读取数据湖 .*或完成计算："):
        plan.run_plans(province.registry, JIANGXI, 2018, engine="spark", lake=str(lake))
    assert province.registry.read("registry_plan_version").num_rows == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def spark_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A master and two workers on 127.0.0.1 (scripts/spark-cluster.sh), on ports and in a
    folder of this test run's own; stopped at the end of the run."""
    if shutil.which("java") is None:
        pytest.skip("没有 Java：make test 先由 scripts/ensure-java.sh 安装 / no Java on the PATH")
    script = str(REPO / "scripts" / "spark-cluster.sh")
    env = {
        **os.environ,
        "DOUDI_SPARK_CLUSTER_DIR": str(tmp_path_factory.mktemp("spark-cluster")),
        "DOUDI_SPARK_MASTER_PORT": str(_free_port()),
        "DOUDI_SPARK_UI_PORT": str(_free_port()),
    }
    started = subprocess.run(
        [script, "start"], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert started.returncode == 0, started.stderr
    try:
        again = subprocess.run(
            [script, "start"], env=env, capture_output=True, text=True, timeout=60, check=False
        )
        # started once: a second start finds it running and names the same master
        assert (again.returncode, again.stdout) == (0, started.stdout), again.stderr
        assert "已在运行" in again.stderr
        yield started.stdout.strip()
    finally:
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()
        if active is not None:  # the driver leaves the cluster before it stops
            active.stop()
        subprocess.run([script, "stop"], env=env, capture_output=True, timeout=120, check=False)
        status = subprocess.run([script, "status"], env=env, capture_output=True, check=False)
        assert status.returncode == 3  # nothing of it runs


def test_the_plan_on_a_two_worker_cluster_equals_the_plan_on_duckdb(
    province: Province, spark_cluster: str
) -> None:
    from pyspark.sql import SparkSession

    assert_same_rows(rows_on_the_lake(province, spark_cluster), province.duckdb_rows)
    active = SparkSession.getActiveSession()
    assert active is not None and active.sparkContext.master == spark_cluster  # not local


def settled_on_the_lake(province: Province, engine: str, master: str = "local[2]") -> Any:
    with province.registry.reading() as con:
        read = lake_inputs.open_export(con, str(province.lake), JIANGXI, 2018, JIANGXI)
    summary = lake_settlement.settle(read, engine, master)
    rows = lake_settlement.settled_rows(read).sort_by("bill_no").to_pylist()
    assert summary.bills == len(rows)
    return rows


def test_jx_2017_58_2_2_5_the_years_bills_settled_on_spark_reading_the_lake_equal_duckdb(
    province: Province, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every payer layer of every bill, deductibles and caps carried through each
    patient's year (JX-2017-58/2.2.4-2.2.5), to the fen: the lake's bills on Spark as the
    registry's on DuckDB, and the lake on DuckDB the same."""
    from pyspark.sql import SparkSession

    def through_the_driver(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("rows were handed to Spark by the driver (createDataFrame)")

    assert len(province.settled) > 50  # bills enough to carry deductibles and caps
    assert any(
        r["critical_illness_paid"] for r in province.settled
    )  # the critical-illness layer reached
    assert settled_on_the_lake(province, "duckdb") == province.settled
    monkeypatch.setattr(SparkSession, "createDataFrame", through_the_driver)
    assert settled_on_the_lake(province, "spark") == province.settled
    written = province.lake / "results" / f"settlement-{JIANGXI}" / "province=36"
    assert {p.name for p in written.iterdir()} <= {
        f"county={k[-6:]}" for k in os.listdir(province.lake / "bills/province=36")
    }


def test_the_years_bills_settled_on_a_two_worker_cluster_equal_duckdb(
    province: Province, spark_cluster: str
) -> None:
    assert settled_on_the_lake(province, "spark", spark_cluster) == province.settled


def test_a_lake_exported_before_the_bills_is_refused_in_chinese(
    province: Province, tmp_path: Path
) -> None:
    from doudi.lakehouse import manifest
    from doudi.lakehouse.location import LakeError, locate

    copy = shutil.copytree(
        province.lake, tmp_path / "lake", ignore=shutil.ignore_patterns("results")
    )
    found = manifest.load(locate(str(copy)))
    assert found is not None
    parts = {k: {t: p for t, p in v.items() if t == "people"} for k, v in found.parts.items()}
    old = manifest.Manifest(
        found.region, found.jurisdiction, found.year, found.exported_at, found.registry_batch, parts
    )
    (copy / manifest.MANIFEST).write_bytes(old.to_json())
    with province.registry.reading() as con:
        read = lake_inputs.open_export(con, str(copy), JIANGXI, 2018, JIANGXI)
    with pytest.raises(LakeError, match=r"导出不含住院结算单据.*请重新运行 doudi lake export"):
        lake_settlement.settle(read, "spark")
    assert not (copy / "results").exists()


def compared_on_the_registry(province: Province) -> dict[str, list[dict[str, Any]]]:
    """``doudi compare``'s findings for the province (the registry's tables, DuckDB), in
    the order the lake's are read back (``comparison.found_rows``), and its summary."""
    result = compare({t: province.registry.read(t) for t in TABLES}, JIANGXI, MARCH)
    found = {name: comparison.in_order(result.finding(name)).to_pylist() for name, _ in FINDINGS}
    return {**found, "summary": result.summary.to_pylist()}


def compared_on_the_lake(
    province: Province, engine: str, master: str = "local[2]"
) -> dict[str, list[dict[str, Any]]]:
    with province.registry.reading() as con:
        read = comparison.open_lake(con, str(province.lake), JIANGXI)
    done = comparison.compare(read, MARCH, engine, master)
    found = comparison.found_rows(read.location, JIANGXI)
    assert done.rows == {name: found[name].num_rows for name, _ in FINDINGS}
    summary = comparison.summary_of(read.location, JIANGXI)
    return {
        **{name: table.to_pylist() for name, table in found.items()},
        "summary": summary.to_pylist(),
    }


@pytest.fixture(scope="module")
def compared(province: Province) -> dict[str, list[dict[str, Any]]]:
    """The registry path's findings, equal to the lake's on DuckDB (the operator's check)."""
    expected = compared_on_the_registry(province)
    assert compared_on_the_lake(province, "duckdb") == expected
    return expected


def test_the_comparison_on_spark_reading_the_lake_equals_doudi_compare(
    province: Province, compared: dict[str, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every finding and the summary (概况), row by row: each task reads its counties'
    files of the registry tables itself (decision 0018 point 14); the driver hands
    Spark no rows, only the tasks' descriptions."""
    from pyspark.sql import SparkSession

    def no_rows(self: Any, data: Any, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("rows were handed to Spark by the driver")

    monkeypatch.setattr(SparkSession, "createDataFrame", no_rows)
    assert sum(map(len, compared.values())) > 20  # findings enough to compare
    assert compared_on_the_lake(province, "spark") == compared


def test_the_comparison_on_a_two_worker_cluster_equals_doudi_compare(
    province: Province, compared: dict[str, list[dict[str, Any]]], spark_cluster: str
) -> None:
    assert compared_on_the_lake(province, "spark", spark_cluster) == compared
