"""The information comparison over a lake export on DuckDB (lakejobs/comparison.py,
``doudi lake compare --engine duckdb``, issue #24): the export carries the registry
tables the comparison reads, by county, and the findings computed from the lake's
files equal ``doudi compare``'s on the registry row by row; a missing lake and an
export the registry has moved on from are refused in Chinese. Spark's run of the same
is tests/plan/test_lake_spark.py's (marker spark)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from doudi.comparison import summary
from doudi.comparison.compare import FINDINGS, TABLES, compare
from doudi.lakehouse import layout
from doudi.lakehouse.location import LakeError
from doudi.lakejobs import comparison
from doudi.plan import lake, lake_registry
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import MARCH, load_synthetic

REGION = "360100"  # 南昌市: nine counties


def exported(registry: db.Database, folder: Path) -> None:
    folder.mkdir()
    lake.export(registry, REGION, 2018, lake.target(REGION, str(folder)))


def on_registry(registry: db.Database, region: str = REGION) -> dict[str, list[dict]]:
    """``doudi compare``'s findings (the registry read whole), in the lake's order."""
    result = compare({t: registry.read(t) for t in TABLES}, region, MARCH)
    return {name: comparison.in_order(result.finding(name)).to_pylist() for name, _ in FINDINGS}


def on_lake(registry: db.Database, folder: Path, region: str = REGION) -> dict[str, list[dict]]:
    with registry.reading() as con:
        read = comparison.open_lake(con, str(folder), region)
    done = comparison.compare(read, MARCH, "duckdb")
    found = comparison.found_rows(read.location, region)
    assert done.rows == {name: found[name].num_rows for name, _ in FINDINGS}
    return {name: table.to_pylist() for name, table in found.items()}


def test_the_comparison_reads_exactly_the_registry_tables_the_export_holds() -> None:
    assert set(lake_registry.TABLES) == set(TABLES)


@pytest.mark.slow
def test_the_comparison_on_the_lake_equals_doudi_compare_row_by_row(registry, tmp_path):
    load_synthetic(registry, REGION, 300, tmp_path / "files")
    exported(registry, tmp_path / "lake")
    expected = on_registry(registry)
    assert sum(len(rows) for rows in expected.values()) > 0
    assert on_lake(registry, tmp_path / "lake") == expected
    # a county inside the export is compared from its own partitions
    county = "360102"
    assert on_lake(registry, tmp_path / "lake", county) == on_registry(registry, county)


@pytest.mark.slow
def test_a_persons_findings_lie_in_their_hukou_county(registry, tmp_path):
    load_synthetic(registry, REGION, 300, tmp_path / "files")
    exported(registry, tmp_path / "lake")
    on_lake(registry, tmp_path / "lake")
    out = tmp_path / "lake" / comparison.results_of(REGION)
    people = registry.read("registry_person", columns=("id_number", "hukou_region"))
    hukou = dict(zip(*(people.column(c).to_pylist() for c in people.column_names), strict=True))
    files = list((out / "uninsured_medical").rglob("*.parquet"))
    assert files
    for f in files:
        county = f.parent.name.split("=", 1)[1]
        assert f.parent.name == f"county_code={county}"
        assert f.parent.parent.name == f"province_code={county[:2]}"
        ids = pq.read_table(f).column("id_number").to_pylist()
        assert ids and all(hukou[i].startswith(county) for i in ids)


@pytest.mark.slow
@pytest.mark.parametrize("tasks", [1, 3, 9])
def test_counties_compared_apart_add_up_to_the_region(registry, tmp_path, tasks):
    """Spark's tasks, run here one after another: each compares a few counties
    (decision 0018 point 14) and writes its findings; the findings read back and the
    summary added up from the tasks' village rows are the region's compared whole."""
    load_synthetic(registry, REGION, 300, tmp_path / "files")
    exported(registry, tmp_path / "lake")
    with registry.reading() as con:
        read = comparison.open_lake(con, str(tmp_path / "lake"), REGION)
    out = comparison.results_of(REGION)
    made = comparison._tasks(read, MARCH, out, tasks)
    assert len(made) == tasks
    assert sum(t.finds_rejected for t in made) == 1
    villages = [comparison._compare_counties(t) for t in made]
    whole = compare({t: registry.read(t) for t in TABLES}, REGION, MARCH)
    counties = [layout.county_of(k) for k in read.keys]
    rejected = {name: whole.finding(name).num_rows for name in comparison.REJECTED_FINDINGS}
    rolled = summary.rolled_up(pa.concat_tables(villages), "city", counties, rejected, REGION)
    assert rolled.to_pylist() == whole.summary.to_pylist()
    found = comparison.found_rows(read.location, REGION)
    expected = on_registry(registry)
    assert sum(len(rows) for rows in expected.values()) > 0
    assert {name: table.to_pylist() for name, table in found.items()} == expected


def test_a_missing_lake_is_refused_in_chinese(registry, tmp_path):
    with registry.reading() as con, pytest.raises(LakeError, match="没有数据湖导出"):
        comparison.open_lake(con, str(tmp_path), REGION)


@pytest.mark.slow
def test_an_export_older_than_the_registry_is_refused_in_chinese(registry, tmp_path):
    held = load_synthetic(registry, REGION, 300, tmp_path / "files", hold_back=("death",))
    exported(registry, tmp_path / "lake")
    import_roster(registry, held["death"], "death", MARCH)  # a new import batch
    with registry.reading() as con, pytest.raises(LakeError, match="请先重新导出"):
        comparison.open_lake(con, str(tmp_path / "lake"), REGION)


@pytest.mark.slow
def test_an_export_without_the_comparisons_tables_is_refused_in_chinese(registry, tmp_path):
    from doudi.lakehouse import manifest
    from doudi.lakehouse.location import locate

    load_synthetic(registry, REGION, 300, tmp_path / "files")
    exported(registry, tmp_path / "lake")
    found = manifest.load(locate(str(tmp_path / "lake")))
    assert found is not None
    parts = {
        k: {t: p for t, p in v.items() if t not in lake_registry.TABLES}
        for k, v in found.parts.items()
    }
    old = manifest.Manifest(
        found.region, found.jurisdiction, found.year, found.exported_at, found.registry_batch, parts
    )
    (tmp_path / "lake" / manifest.MANIFEST).write_bytes(old.to_json())
    with registry.reading() as con, pytest.raises(LakeError, match="导出不含信息比对所读的登记表"):
        comparison.open_lake(con, str(tmp_path / "lake"), REGION)


@pytest.mark.slow
def test_doudi_lake_compare_says_in_chinese_what_it_wrote_or_why_not(
    registry, tmp_path, monkeypatch
):
    from doudi.cli import app

    monkeypatch.setattr("doudi.lakejobs.cli.open_registry", lambda: registry)
    args = ["lake", "compare", "--region", REGION, "--as-of", str(MARCH)]
    missing = CliRunner().invoke(app, [*args, "--lake", str(tmp_path), "--engine", "duckdb"])
    assert missing.exit_code == 2
    assert "未比对" in missing.output and "Traceback" not in missing.output

    load_synthetic(registry, REGION, 300, tmp_path / "files")
    exported(registry, tmp_path / "lake")
    bad_engine = CliRunner().invoke(app, [*args, "--lake", str(tmp_path / "lake"), "--engine", "x"])
    assert bad_engine.exit_code == 2 and "未知的计算引擎" in bad_engine.output
    with registry.reading() as con:
        read = comparison.open_lake(con, str(tmp_path / "lake"), REGION)
    nobody = dataclasses.replace(read, region="360102", keys=())  # a county with no one
    # … or one whose partition is there but holds no one
    key = next(k for k in read.keys if k.endswith("360102"))
    parts = {**read.manifest.parts[key]}
    parts["registry_person"] = dataclasses.replace(parts["registry_person"], rows=0)
    emptied = dataclasses.replace(read.manifest, parts={**read.manifest.parts, key: parts})
    empty = dataclasses.replace(read, region="360102", keys=(key,), manifest=emptied)
    for engine in ("duckdb", "spark"):  # refused before Spark is started
        for region in (nobody, empty):
            with pytest.raises(LakeError, match="中没有户籍在区划 360102 的人员，无可比对"):
                comparison.compare(region, MARCH, engine)
    done = CliRunner().invoke(app, [*args, "--lake", str(tmp_path / "lake"), "--engine", "duckdb"])
    assert done.exit_code == 0, done.output
    expected = on_registry(registry)
    for name, label in FINDINGS:
        assert f"{label}：{len(expected[name])} 条" in done.output
