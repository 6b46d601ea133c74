"""The information comparison (信息比对) over a lake export (``doudi lake compare``, #24).

The export holds the registry tables the comparison reads, of the region, by province
and county (``plan.lake_registry``), read in the same transaction as the plan's
inputs. On Spark the executors read those files and compute each finding with the
comparison's own statements (``comparison.spark``: the DuckDB SQL translated, one
definition for both engines), and write it by province and county to
``<lake>/results/comparison-<region>/<finding>/``; the driver holds the queries, the
lookups and the counts. On DuckDB this process reads the files and runs the
comparison exactly as ``doudi compare`` runs it on the registry
(``comparison.compare``), and writes the same findings the same way: the operator's
check of a Spark run, and the tests'.

Name conflicts take one step in Python (normalizing names is not SQL,
``comparison.names``): Spark writes the pairs of differing names (a few), this process
reads them back, splits them and writes the conflicts. The summary (概况) is written
to ``summary/`` by both engines, the same rows: on Spark by the executors from the
findings they keep, with the split names handed back (``comparison.spark.summarize``).

This module lives above both the plan (whose ``lake_inputs`` opens an export) and the
comparison, which the layering keeps apart (docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from doudi.comparison import compare as comparing
from doudi.comparison import counting, findings
from doudi.core import regions
from doudi.lakehouse import layout
from doudi.lakehouse.location import LakeError, Location
from doudi.plan import lake_inputs, lake_registry
from doudi.plan.lake_inputs import RESULTS, FromLake, spark_failure

#: The findings written to the lake, in report order.
FINDINGS = tuple(name for name, _ in comparing.FINDINGS)
#: The sort of a person's finding read back (the report's order, then every column).
_PERSON_ORDER = ("county_code", "township", "village", "id_number")
#: A person's finding is written by province and county of their hukou, Hive-style, by
#: the finding's own code columns (``county`` is the county's name in a finding, so the
#: export's partition names, ``layout.PARTITION_COLUMNS``, would clash with it):
#: ``uninsured_pension/province_code=36/county_code=360102/``.
PARTITIONS = ("province_code", "county_code")
_HIVE = ds.partitioning(pa.schema([pa.field(c, pa.string()) for c in PARTITIONS]), flavor="hive")


@dataclass(frozen=True)
class Compared:
    """A comparison done on the lake: the rows of each finding (by name, in report
    order) and where they were written (a URL in the lake)."""

    region: str
    as_of: date
    rows: dict[str, int]
    results: str


def open_lake(con: object, url: str, region: str) -> FromLake:
    """The export at ``url`` as the comparison's input for ``region``: a Chinese
    :class:`LakeError` if it holds no export, one not containing the region, one the
    registry has moved on from (``lake_inputs.open_export``), or one written before the
    comparison's tables were exported."""
    comparing.region_prefix(region)  # a six-digit code, or a Chinese error
    _, found = lake_inputs.exported(url)
    read = lake_inputs.open_export(con, url, found.jurisdiction, found.year, region)
    if not set(lake_registry.TABLES) <= set(found.tables()):
        raise LakeError(
            f"{url} 的导出不含信息比对所读的登记表（导出早于比对上湖），请重新运行 "
            "doudi lake export / the export has no comparison tables"
        )
    return read


def results_of(region: str) -> str:
    """Where in the lake a region's findings are written."""
    return f"{RESULTS}/comparison-{region}"


def compare(read: FromLake, as_of: date, engine: str, spark_master: str = "local[2]") -> Compared:
    """The comparison of ``read``'s region on ``as_of`` on ``engine`` ("spark" or
    "duckdb"), the findings written to :func:`results_of` in the lake. A Chinese
    :class:`LakeError` for an unknown engine, a region whose jurisdiction has no
    targets that year, or a Spark that fails."""
    out = results_of(read.region)
    if engine not in ("spark", "duckdb"):
        raise LakeError(f"未知的计算引擎 {engine!r}（可用 duckdb、spark） / unknown engine")
    if not read.keys:
        raise LakeError(
            f"数据湖导出 {read.location.url} 中没有户籍在区划 {read.region} 的人员，"
            "无可比对 / no people of the region in the export"
        )
    _clear(read.location, out)
    try:
        if engine == "spark":
            _on_spark(read, as_of, out, spark_master)
        else:
            _on_duckdb(read, as_of, out)
    except (comparing.ComparisonError, counting.NoTargets) as exc:
        raise LakeError(str(exc)) from None
    rows = {name: _count(read.location, f"{out}/{name}") for name in FINDINGS}
    return Compared(read.region, as_of, rows, read.location.url.rstrip("/") + "/" + out)


def summary_of(location: Location, region: str) -> pa.Table:
    """The summary (概况) :func:`compare` wrote, in its own order (one file)."""
    return _read(location, f"{results_of(region)}/summary")


def found_rows(location: Location, region: str) -> dict[str, pa.Table]:
    """Each finding written to the lake (:func:`compare`), without the partition
    columns, sorted by the report's keys and then every column (a partitioned write
    keeps no order)."""
    out = results_of(region)
    return {name: in_order(_read(location, f"{out}/{name}")) for name in FINDINGS}


def in_order(table: pa.Table) -> pa.Table:
    """A finding sorted by the report's keys (county, township, village, ID number) and
    then every column: the order its rows are compared in, whichever engine wrote them."""
    keys = [c for c in _PERSON_ORDER if c in table.column_names]
    keys += [c for c in table.column_names if c not in keys]
    return table.sort_by([(c, "ascending") for c in keys]) if keys else table


def _count(location: Location, at: str) -> int:
    """The rows written under ``at``, from the files' footers."""
    if not location.files(at):
        return 0
    found: int = ds.dataset(
        location.path(at), filesystem=location.fs, format="parquet"
    ).count_rows()
    return found


def _read(location: Location, at: str) -> pa.Table:
    """The rows written under ``at`` (none: no file), a person's finding with its
    county code back in its place (third, after the ID number and name)."""
    files = [f for f in location.files(at) if f.endswith(".parquet")]
    if not files:
        return pa.table({})
    if not any(f"/{PARTITIONS[1]}=" in f for f in files):  # rows of no person
        return ds.dataset(location.path(at), filesystem=location.fs, format="parquet").to_table()
    table = ds.dataset(
        location.path(at), filesystem=location.fs, format="parquet", partitioning=_HIVE
    ).to_table()
    columns = [c for c in table.column_names if c not in PARTITIONS]
    return table.select([*columns[:2], PARTITIONS[1], *columns[2:]])


def _clear(location: Location, out: str) -> None:
    """Remove what an earlier run wrote (a finding with no rows now has no files)."""
    for rel in location.files(out):
        location.delete(rel)
    location.remove_empty_dirs(out)


def read_tables(read: FromLake) -> dict[str, pa.Table]:
    """The region's registry tables from the lake, as ``comparison.compare`` reads them."""
    location = read.location
    try:
        return {
            name: ds.dataset(
                [location.path(f) for f in read.files(name)],
                filesystem=location.fs,
                format="parquet",
            ).to_table()
            for name in lake_registry.TABLES
        }
    except OSError as exc:  # a file the manifest names is gone
        raise LakeError(f"无法读取数据湖 {location.url}：{exc} / unreadable") from None


def _on_duckdb(read: FromLake, as_of: date, out: str) -> None:
    """This process reads the files and compares as ``doudi compare`` does; writes
    every finding by county and the summary."""
    result = comparing.compare(read_tables(read), read.region, as_of)
    for name in FINDINGS:
        _write(read.location, f"{out}/{name}", result.finding(name))
    _write(read.location, f"{out}/summary", result.summary)


def _on_spark(read: FromLake, as_of: date, out: str, master: str) -> None:
    """The executors read the files and write the findings; the name pairs they write
    are split here into the conflicts (and the pairs' files removed)."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    from doudi.comparison import spark as on_spark
    from doudi.engine.spark import FILES_DRIVER_MEMORY, session

    location = read.location
    level, prefix = comparing.region_prefix(read.region)
    counties = [
        layout.county_of(k) for k in read.keys if read.manifest.parts[k]["registry_person"].rows
    ]
    params = {
        "as_of": as_of,
        "prefix": prefix,
        "region": read.region,
        "region_name": regions.region_name(read.region) or read.region,
    }
    try:
        spark = session(master, FILES_DRIVER_MEMORY)
        files = {
            name: [location.spark_uri(f) for f in read.files(name)] for name in lake_registry.TABLES
        }
        schemas = {name: _schema(location, read.files(name)[0]) for name in lake_registry.TABLES}
        staged = on_spark.stage(spark, files, schemas, counties, params)
        try:
            on_spark.write_findings(staged, location.spark_uri(out), PARTITIONS)
            pairs_at = f"{out}/{on_spark.PAIRS}"
            conflicts, variants = findings.name_pairs(_read(location, pairs_at))
            _write(location, f"{out}/name_conflicts", conflicts)
            _clear(location, pairs_at)
            names = {"name_conflicts": conflicts, "name_variants": variants}
            _write(location, f"{out}/summary", on_spark.summarize(staged, level, names))
        finally:
            staged.release()
    except (PySparkException, Py4JError, OSError) as exc:
        raise spark_failure(exc, master, location.url) from None


def _schema(location: Location, file: str) -> pa.Schema:
    """The columns of a lake table's file (every county's file of a table has the same:
    the export writes them so), read from its footer by this process: Spark asked for
    them reads a footer of each table in a job of its own."""
    with location.fs.open_input_file(location.path(file)) as f:
        return pq.read_schema(f)


def _write(location: Location, at: str, table: pa.Table) -> None:
    """A finding under ``at``: by province and county of the person's hukou
    (:data:`PARTITIONS`), or one file for rows of no person."""
    options: dict[str, object] = {}
    if "county_code" in table.column_names:
        county = table.column("county_code")
        table = table.append_column(PARTITIONS[0], pc.utf8_slice_codeunits(county, 0, 2))
        options = {"partitioning": _HIVE}
    ds.write_dataset(
        table,
        location.path(at),
        filesystem=location.fs,
        format="parquet",
        existing_data_behavior="overwrite_or_ignore",
        **options,
    )
