"""The lake export (plan/lake.py, ``doudi lake export``, issue #24), on SQLite and
PostgreSQL: a region's engine inputs — what the plan reads — as Parquet by province and
county, every file's SHA-256 and rows in the manifest; a second export of an unchanged
registry writes nothing, a changed person rewrites only their county; the year's bills
and their patients' statuses go with them, and ``doudi lake settle`` settles them; a bad
location is refused in Chinese before the registry is opened; a plan refuses an export
the registry has moved on from; a plan on DuckDB from the lake keeps the registry's
rows. Nothing here starts Spark (tests/plan/test_lake_spark.py does); the
tests that import a synthetic city's files (5–9 s each) are ``slow``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from doudi.bills.importing import import_bills
from doudi.lakehouse.location import LakeError
from doudi.lakehouse.writing import Written
from doudi.plan import inputs, lake, lake_inputs
from doudi.plan import versions as plan
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import MARCH, load_synthetic

REGION = "360100"  # 南昌市: nine counties


def exported(registry: db.Database, folder: Path) -> Written:
    return lake.export(registry, REGION, 2018, lake.target(REGION, str(folder)))


def read_back(folder: Path, table: str, written: Written) -> pa.Table:
    files = [part[table].file for part in written.manifest.parts.values()]
    return pa.concat_tables(pq.read_table(folder / f) for f in files)


@pytest.mark.slow
def test_the_export_is_the_plans_inputs_by_county(registry, tmp_path):
    load_synthetic(registry, REGION, 300, tmp_path / "files")
    lake_dir = tmp_path / "lake"
    lake_dir.mkdir()
    written = exported(registry, lake_dir)
    people, statuses = inputs.engine_inputs(registry, "360000", 2018, REGION)
    by_id = [("row_no", "ascending")]
    assert read_back(lake_dir, "people", written).sort_by(by_id).equals(people)
    status_order = [*by_id, ("status", "ascending"), ("valid_from", "ascending")]
    assert read_back(lake_dir, "statuses", written).sort_by(status_order).equals(statuses)
    manifest = json.loads((lake_dir / "manifest.json").read_text("utf-8"))
    assert manifest["tables"]["people"]["rows"] == people.num_rows
    assert manifest["tables"]["statuses"]["rows"] == statuses.num_rows
    with registry.reading() as con:
        assert manifest["registry_batch"] == db.scalar(
            con, "SELECT max(id) FROM registry_import_batch"
        )
    counties = pc.utf8_slice_codeunits(people.column("hukou_region"), 0, 6)
    assert len(manifest["partitions"]) == len(pc.unique(counties)) > 1
    for key, part in manifest["tables"]["people"]["partitions"].items():
        data = (lake_dir / part["file"]).read_bytes()
        assert part["sha256"] == hashlib.sha256(data).hexdigest()
        county = key.rsplit("=", 1)[1]
        assert part["file"].startswith(f"people/province={county[:2]}/county={county}/part-")
        hukou = pq.read_table(lake_dir / part["file"]).column("hukou_region")
        assert part["rows"] == len(hukou) == pc.sum(pc.starts_with(hukou, county)).as_py()


@pytest.mark.slow
def test_an_unchanged_registry_is_exported_again_without_writing(registry, tmp_path):
    load_synthetic(registry, REGION, 300, tmp_path / "files")
    lake_dir = tmp_path / "lake"
    lake_dir.mkdir()
    first = exported(registry, lake_dir)
    times = {p: p.stat().st_mtime_ns for p in lake_dir.rglob("*.parquet")}
    again = exported(registry, lake_dir)
    assert again.rewritten == ()
    assert len(again.kept) == len(first.manifest.parts)
    assert again.manifest.checksum == first.manifest.checksum
    assert {p: p.stat().st_mtime_ns for p in lake_dir.rglob("*.parquet")} == times


@pytest.mark.slow
def test_a_changed_person_rewrites_only_their_county(registry, tmp_path):
    load_synthetic(registry, REGION, 300, tmp_path / "files")
    lake_dir = tmp_path / "lake"
    lake_dir.mkdir()
    first = exported(registry, lake_dir)
    person = registry.read("registry_person", "WHERE hukou_region LIKE ?", ("360103%",))
    with registry.transaction() as con:  # a name corrected: the person's county changes
        db.execute(
            con, "UPDATE registry_person SET name = ? WHERE id = ?", ("改名", person["id"][0])
        )
    again = exported(registry, lake_dir)
    assert again.rewritten == ("province=36/county=360103",)
    assert len(again.kept) == len(first.manifest.parts) - 1
    old = first.manifest.parts["province=36/county=360103"]["people"].file
    assert not (lake_dir / old).exists()


@pytest.mark.slow
def test_a_county_of_a_citys_registry_is_exported_as_the_citys_export_holds_it(registry, tmp_path):
    """The city's export reads every row of its registry (nobody else is in it), the
    county's only its people's: the same rows of the county either way (in the order
    SQLite returned them), but the import batches, which go to the first county a batch
    covered of the region exported."""
    load_synthetic(registry, REGION, 300, tmp_path / "files")
    folders = {region: tmp_path / region for region in (REGION, "360102")}
    written = {}
    for region, folder in folders.items():
        folder.mkdir()
        written[region] = lake.export(registry, region, 2018, lake.target(region, str(folder)))
    key = "province=36/county=360102"
    assert list(written["360102"].manifest.parts) == [key]
    batches = {"registry_import_batch", "registry_import_scope", "registry_rejected_row"}
    tables = [n for n in written["360102"].manifest.parts[key] if n not in batches]

    def rows(region: str, table: str) -> list[dict]:
        file = written[region].manifest.parts[key][table].file
        return sorted(pq.read_table(folders[region] / file).to_pylist(), key=repr)

    for table in tables:
        assert rows("360102", table) == rows(REGION, table), table
    assert {"people", "registry_enrollment", "registry_status_period"} <= set(tables)
    assert rows("360102", "people") and rows("360102", "registry_enrollment")


@pytest.mark.parametrize(
    ("to", "said"),
    [
        ("{tmp}/nowhere", "找不到文件夹"),
        ("{tmp}/a-file.txt", "是一个文件，不是文件夹"),
        ("/proc", "没有写入 /proc 的权限"),
    ],
)
def test_a_bad_lake_location_is_refused_in_chinese_before_the_registry_opens(
    tmp_path, monkeypatch, to, said
):
    from doudi.cli import app
    from doudi.plan import cli

    (tmp_path / "a-file.txt").write_text("x")
    monkeypatch.setattr(cli, "open_registry", lambda: pytest.fail("the registry was opened"))
    out = CliRunner().invoke(
        app,
        ["lake", "export", "--region", REGION, "--year", "2018", "--to", to.format(tmp=tmp_path)],
    )
    assert out.exit_code == 2
    assert "未导出" in out.output and said in out.output
    assert "Traceback" not in out.output


def test_an_unknown_region_is_refused_in_chinese(tmp_path):
    with pytest.raises(LakeError, match="未知的区划代码：'369999'"):
        lake.target("369999", str(tmp_path))


@pytest.mark.slow
@pytest.mark.parametrize("registry", ["sqlite"], indirect=True)
def test_a_plan_reads_its_own_counties_of_a_wider_export_and_no_other(registry, tmp_path):
    load_synthetic(registry, REGION, 300, tmp_path / "files")
    lake_dir = tmp_path / "lake"
    lake_dir.mkdir()
    exported(registry, lake_dir)
    with registry.reading() as con:
        county = lake_inputs.open_export(con, str(lake_dir), "360000", 2018, "360102")
        assert county.keys == ("province=36/county=360102",)
        assert county.files("people") == [
            county.manifest.parts["province=36/county=360102"]["people"].file
        ]
        with pytest.raises(LakeError, match="是区划 360100 的导出，不包含区划 360000"):
            lake_inputs.open_export(con, str(lake_dir), "360000", 2018, "360000")
        with pytest.raises(LakeError, match="是统筹地区 360000 2018年的导出，不能用于"):
            lake_inputs.open_export(con, str(lake_dir), "360000", 2019, "360102")


@pytest.mark.slow
@pytest.mark.parametrize("registry", ["sqlite"], indirect=True)
def test_a_plan_refuses_an_export_the_registry_has_moved_on_from(registry, tmp_path):
    held = load_synthetic(registry, REGION, 300, tmp_path / "files", hold_back=("death",))
    lake_dir = tmp_path / "lake"
    lake_dir.mkdir()
    exported(registry, lake_dir)
    import_roster(registry, held["death"], "death", MARCH)  # a new import batch
    with pytest.raises(plan.PlanError, match=r"之后登记库已有新的导入.*请先重新导出"):
        plan.run_plans(registry, "360000", 2018, region=REGION, engine="spark", lake=str(lake_dir))
    assert registry.read("registry_plan_version").num_rows == 0


@pytest.mark.slow
@pytest.mark.parametrize("registry", ["sqlite"], indirect=True)
def test_a_plan_on_duckdb_from_the_lake_writes_the_versions_a_registry_run_keeps(
    registry, tmp_path
):
    """``doudi plan --engine duckdb --lake``, the operator's check of a Spark run: the
    county files read in the process, the results written back by county, and the same
    rows as the plan read from the registry."""
    load_synthetic(registry, REGION, 300, tmp_path / "files")
    lake_dir = tmp_path / "lake"
    lake_dir.mkdir()
    exported(registry, lake_dir)
    on_lake = plan.run_plans(
        registry, "360000", 2018, region=REGION, lake=str(lake_dir), snapshots=tmp_path / "p"
    )
    assert on_lake.results and all(r.created for r in on_lake.results)
    written = lake_dir / "results" / f"plan-{REGION}" / "province=36"
    assert {p.name for p in written.iterdir()} <= {
        p.name for p in (lake_dir / "people" / "province=36").iterdir()
    }
    on_registry = plan.run_plans(registry, "360000", 2018, region=REGION, snapshots=tmp_path / "p")
    assert [(r.version_id, r.same_rows) for r in on_registry.results] == [
        (r.version_id, True) for r in on_lake.results
    ]


@pytest.mark.parametrize("registry", ["sqlite"], indirect=True)
def test_a_plan_of_a_folder_without_an_export_is_refused_in_chinese(registry, tmp_path):
    with pytest.raises(plan.PlanError, match="没有数据湖导出"):
        plan.run_plans(registry, "360000", 2018, region=REGION, lake=str(tmp_path))


@pytest.mark.slow
def test_the_export_holds_the_years_bills_and_their_patients_statuses_by_county(
    registry, tmp_path, monkeypatch
):
    """What the settlement reads goes with the plan's inputs: every bill the jurisdiction
    settles of the region's people, in their county, with the ID number it is settled
    by, and their status periods; ``doudi lake settle`` settles them all."""
    from doudi.cli import app

    load_synthetic(registry, REGION, 300, tmp_path / "files")
    import_bills(registry, tmp_path / "files" / "bills.csv", "360000")
    lake_dir = tmp_path / "lake"
    lake_dir.mkdir()
    written = exported(registry, lake_dir)
    stored = registry.read("registry_bill")
    people = {r["id"]: r for r in registry.read("registry_person").to_pylist()}
    exported_bills = read_back(lake_dir, "bills", written)
    assert exported_bills.num_rows == stored.num_rows > 0
    assert sorted(exported_bills.column("bill_no").to_pylist()) == sorted(
        stored.column("id").to_pylist()
    )
    for key, parts in written.manifest.parts.items():
        county = key.rsplit("=", 1)[1]
        for bill in pq.read_table(lake_dir / parts["bills"].file).to_pylist():
            patient = next(p for p in people.values() if p["id_number"] == bill["id_number"])
            assert patient["hukou_region"].startswith(county)
    statuses = read_back(lake_dir, "bill_statuses", written)
    patients = set(exported_bills.column("id_number").to_pylist())
    assert set(statuses.column("id_number").to_pylist()) <= patients
    monkeypatch.setattr("doudi.plan.cli.open_registry", lambda: registry)
    where = ["--lake", str(lake_dir), "--jurisdiction", "360000", "--year", "2018"]
    out = CliRunner().invoke(
        app, ["lake", "settle", *where, "--region", REGION, "--engine", "duckdb"]
    )
    assert out.exit_code == 0, out.output
    assert f"已结算 {stored.num_rows} 张单据" in out.output
    assert "基本医疗保险：" in out.output and "个人支付：" in out.output
    assert "依据 JX-2017-58/2.2.4、JX-2017-58/2.2.5" in out.output  # the poor patients' terms
