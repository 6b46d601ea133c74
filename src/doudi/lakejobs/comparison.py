"""The information comparison (信息比对) over a lake export (``doudi lake compare``, #24).

The export holds the registry tables the comparison reads, of the region, by province
and county (``plan.lake_registry``), read in the same transaction as the plan's
inputs. A person's rows all lie in their hukou county's files, and every finding about
a person joins only that person's rows: so on Spark each task takes a few counties'
files (with the region's batch tables, which say which list is each county's latest)
and compares them in the executor's Python with the comparison's own statements on
DuckDB (``comparison.compare``, one definition for every engine), writing each finding
by province and county to ``<lake>/results/comparison-<region>/<finding>/``. The driver
holds the tasks' descriptions and adds up their summaries' village rows into the
region's summary (``comparison.summary.rolled_up``: every measure is a sum). On DuckDB
this process reads the files and runs the comparison exactly as ``doudi compare`` runs
it on the registry, and writes the same findings the same way: the operator's check of
a Spark run, and the tests'. Decision 0018 point 14.

This module lives above both the plan (whose ``lake_inputs`` opens an export) and the
comparison, which the layering keeps apart (docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from doudi.comparison import compare as comparing
from doudi.comparison import counting, summary
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
    if not _peopled(read):
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
            name: _dataset(location, read.files(name)).to_table() for name in lake_registry.TABLES
        }
    except OSError as exc:  # a file the manifest names is gone
        raise LakeError(f"无法读取数据湖 {location.url}：{exc} / unreadable") from None


def _dataset(location: Location, files: list[str]) -> ds.Dataset:
    """The lake's ``files`` of one table (paths inside the lake) as one dataset."""
    return ds.dataset([location.path(f) for f in files], filesystem=location.fs, format="parquet")


def _on_duckdb(read: FromLake, as_of: date, out: str) -> None:
    """This process reads the files and compares as ``doudi compare`` does; writes
    every finding by county and the summary."""
    result = comparing.compare(read_tables(read), read.region, as_of)
    for name in FINDINGS:
        _write(read.location, f"{out}/{name}", result.finding(name))
    _write(read.location, f"{out}/summary", result.summary)


#: The registry tables of batches (no person): every task reads all of them, the few
#: rows the region's imports wrote, so each task knows which list is each county's latest.
BATCH_TABLES = ("registry_import_batch", "registry_import_scope")
#: The rejected rows (no person): read by one task only, so each is found once.
REJECTED = "registry_rejected_row"
#: The findings of the rejected rows, which the summary counts for the region alone.
REJECTED_FINDINGS = ("invalid_ids", "duplicates")
#: Tasks per core of the session: a county's work is uneven (a city district against a
#: mountain county), so a few tasks per core let a fast one take another.
TASKS_PER_CORE = 4


@dataclass(frozen=True)
class CountyTask:
    """What one Spark task compares: the counties' own files of each person table, the
    region's batch tables, on ``as_of``; the rejected rows only if ``finds_rejected``
    (one task finds them all, so each is found once). The findings are written under
    ``out`` by county, file names carrying ``task`` (two tasks never write one file)."""

    location: Location
    region: str
    as_of: date
    out: str
    task: int
    files: dict[str, list[str]]
    finds_rejected: bool

    def table(self, name: str) -> pa.Table:
        """The rows of ``name`` this task reads (none of the rejected rows but for
        one task: the table empty, with its columns)."""
        found = _dataset(self.location, self.files[name])
        if name == REJECTED and not self.finds_rejected:
            return found.schema.empty_table()
        return found.to_table()


def _compare_counties(task: CountyTask) -> pa.Table:
    """Run in a Spark executor's Python: the comparison of ``task``'s counties by the
    comparison's own statements on DuckDB (``comparison.compare``, the registry's and
    the DuckDB run's code), each finding written to the lake; returns the village
    rows of its summary (every measure a sum, so the driver adds them up)."""
    tables = {name: task.table(name) for name in lake_registry.TABLES}
    result = comparing.compare(tables, task.region, task.as_of)
    for name in FINDINGS:
        _write(task.location, f"{task.out}/{name}", result.finding(name), task=task.task)
    return summary.finest(result.summary)


def _peopled(read: FromLake) -> list[str]:
    """The partitions of ``read``'s region that hold people (the others hold no
    finding)."""
    return [k for k in read.keys if read.manifest.parts[k]["registry_person"].rows]


def _tasks(read: FromLake, as_of: date, out: str, count: int) -> list[CountyTask]:
    """The region's counties with people dealt into ``count`` tasks (a county's files
    all in one: every finding of a person joins only that person's rows, which the
    export writes in their hukou county)."""
    keys = _peopled(read)
    tasks = []
    for i in range(min(count, len(keys))):
        mine = keys[i::count]
        files = {
            name: [read.manifest.parts[k][name].file for k in mine]
            for name in lake_registry.TABLES
            if name not in (*BATCH_TABLES, REJECTED)
        }
        files.update({name: read.files(name) for name in (*BATCH_TABLES, REJECTED)})
        tasks.append(CountyTask(read.location, read.region, as_of, out, i, files, i == 0))
    return tasks


def _on_spark(read: FromLake, as_of: date, out: str, master: str) -> None:
    """Spark's executors each compare a few counties (:func:`_compare_counties`) and
    write their findings; this process adds up their summaries' village rows into the
    region's summary (``summary.rolled_up``)."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    from doudi.engine.spark import FILES_DRIVER_MEMORY, session

    level, _ = comparing.region_prefix(read.region)
    counties = [layout.county_of(k) for k in _peopled(read)]
    # a jurisdiction without targets is refused here, in Chinese, before any task
    counting.targets(sorted({counting.jurisdiction_of(c) for c in counties}), as_of)
    try:
        spark = session(master, FILES_DRIVER_MEMORY)
        tasks = _tasks(read, as_of, out, TASKS_PER_CORE * spark.sparkContext.defaultParallelism)
        villages = (
            spark.sparkContext.parallelize(tasks, len(tasks)).map(_compare_counties).collect()
        )
    except (PySparkException, Py4JError, OSError) as exc:
        raise spark_failure(exc, master, read.location.url) from None
    rejected = {name: _count(read.location, f"{out}/{name}") for name in REJECTED_FINDINGS}
    rolled = summary.rolled_up(pa.concat_tables(villages), level, counties, rejected, read.region)
    _write(read.location, f"{out}/summary", rolled)


def _write(location: Location, at: str, table: pa.Table, task: int = 0) -> None:
    """A finding under ``at``: by province and county of the person's hukou
    (:data:`PARTITIONS`), or one file for rows of no person; its files named by
    ``task`` (Spark's tasks write beside each other)."""
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
        basename_template=f"part-{task}-{{i}}.parquet",
        **options,
    )
