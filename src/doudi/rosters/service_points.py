"""Import a county's list of village financial service points (村级金融便民服务点).

JX-2017-58/2.4.10 counts the administrative villages that have a service point. The
list names places, not people: it has no ID number, so the person importer
(rosters.importing), which adds people, stores roster entries and derives periods, does
not fit it. This importer keeps that importer's guarantees for a list of places:

- the whole file is read and validated first, by the same reading as a person list
  (rosters.files: XLSX or CSV in UTF-8/GBK, title rows above the header, which is found
  by its village column; rosters.headers: the header variants of
  :data:`~doudi.rosters.service_sources.SERVICE_POINTS`; rosters.checks: every cell);
- a refused cell is a rejected row naming its row, its column as written and a Chinese
  reason; a file of which no row is accepted writes nothing;
- one transaction writes the batch (``ImportBatch`` of source ``service_points``), the
  counties it covers, its points, its rejected rows and one audit row per point; the
  same file as of the same date is imported once; a caseworker imports only points of
  counties within their region.

Readings (docs/readings.md): a point is one row; the same point (county, township,
village and name) written twice keeps its first row and refuses the others, naming the
first. A snapshot (全量快照) lists every point of the counties it covers as of its
date; an addendum (增量名单) adds points. The points of a county as of a date
(:func:`points_as_of`) are those of its latest snapshot up to that date, and of the
addenda imported after that snapshot up to that date, opened on or before the date.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import regions
from doudi.core.textfile import FileError
from doudi.rosters import rejections
from doudi.rosters.checks import column_sql, normalized
from doudi.rosters.closing import check_mode
from doudi.rosters.files import drop_blank_rows, read_file
from doudi.rosters.headers import map_headers
from doudi.rosters.rejections import REJECTED_SCHEMA
from doudi.rosters.service_sources import SERVICE_POINTS
from doudi.rosters.stages import STAGES, connect, with_stages
from doudi.rosters.validation import rejected_rows
from doudi.store import db

#: The columns of an accepted row, as ``registry_service_point`` stores them.
POINT_SCHEMA = pa.schema(
    [
        ("row_number", pa.int32()),
        ("region_code", pa.string()),
        ("county", pa.string()),
        ("township", pa.string()),
        ("village", pa.string()),
        ("point_name", pa.string()),
        ("since", pa.date32()),
    ]
)
_SQL_TYPES = {"region_code": "VARCHAR", "text": "VARCHAR", "date": "DATE"}
_KEY = ("county", "township", "village", "point_name")


@dataclass(frozen=True)
class PointsRead:
    """One service-point file, read and validated (nothing written yet)."""

    path: Path
    checksum: str
    encoding: str
    rows_read: int
    accepted: pa.Table  # POINT_SCHEMA
    rejected: pa.Table  # rejections.REJECTED_SCHEMA


@dataclass
class PointsReport:
    """What an import of service points did (or, for a dry run, would do)."""

    read: PointsRead
    as_of: date
    mode: str
    dry_run: bool
    already_imported: bool = False
    batch_id: int | None = None
    counties: list[str] = field(default_factory=list)

    def summary_zh(self) -> list[str]:
        r = self.read
        if self.already_imported:
            return [f"该文件已导入过（批次 {self.batch_id}），未做任何更改。"]
        head = "试导入（未写入）" if self.dry_run else "已导入"
        mode = "全量快照" if self.mode == "snapshot" else "增量名单"
        rows = len(set(r.rejected.column("row_number").to_pylist()))
        return [
            f"{head}：{SERVICE_POINTS.label}（{mode}），截至 {self.as_of}，"
            f"文件 {r.path.name}（{r.encoding}）",
            f"读取 {r.rows_read} 行：接受 {r.accepted.num_rows} 行，拒绝 {rows} 行",
            f"覆盖区县：{'、'.join(self.counties) or '无'}",
        ]


class NoPointAccepted(FileError):
    """No row is accepted: nothing is written; ``read`` keeps the rejected rows."""

    def __init__(self, read: PointsRead) -> None:
        reasons = "；".join(
            f"第 {r['row_number']} 行「{r['column']}」：{r['reason']}"
            for r in read.rejected.slice(0, 20).to_pylist()
        )
        super().__init__(
            f"没有可导入的行，未写入任何数据：{reasons or '文件中没有数据行'}",
            "no row could be accepted; nothing was written",
        )
        self.read = read


def read_points(path: Path) -> PointsRead:
    """Read and validate a service-point file: accepted rows and rejected records."""
    data = path.read_bytes()
    spec = SERVICE_POINTS
    raw = read_file(path, data, spec.column("village"))
    _, positions = map_headers(raw.headers, spec, raw.header_row)
    cells, row_numbers = drop_blank_rows(raw, positions["village"])
    rows_read = cells.num_rows + raw.extra.num_rows
    if rows_read == 0:
        raise FileError(
            f"表头（第 {raw.header_row} 行）之后没有数据行",
            f"no data rows after the header in row {raw.header_row}",
        )
    accepted, rejected = _validate(cells, row_numbers, raw.headers, positions, raw.encoding)
    if raw.extra.num_rows:
        rejected = pa.concat_tables([rejected, raw.extra.cast(REJECTED_SCHEMA)])
        rejected = rejected.sort_by([("row_number", "ascending")])
    return PointsRead(
        path=path,
        checksum=hashlib.sha256(data).hexdigest(),
        encoding=raw.encoding,
        rows_read=rows_read,
        accepted=accepted,
        rejected=rejected,
    )


def _validate(
    cells: pa.Table,
    row_numbers: pa.Array,
    headers: list[str],
    positions: dict[str, int],
    encoding: str,
) -> tuple[pa.Table, pa.Table]:
    """Every cell checked as a person list's cells are (one DuckDB query), then the
    same point written twice."""
    spec = SERVICE_POINTS
    # a date check compares with the person's birth: a place has none
    arrays: dict[str, Any] = {
        "row_number": row_numbers,
        "id_number__birth": pa.nulls(len(row_numbers), pa.date32()),
    }
    for column in spec.columns:  # every column is required, so present
        cell = pc.fill_null(cells.column(f"c{positions[column.name]}"), "")
        arrays[column.name] = cell
        arrays[f"{column.name}__n"] = normalized(column, cell)
    excel = encoding == "xlsx"
    sqls = {c.name: column_sql(c, c.name, spec.name, excel) for c in spec.columns}
    keep = ["row_number"]
    for c in spec.columns:
        keep += [
            c.name,
            f"{c.name}__code",
            f"{c.name}__reason",
            f"CAST({sqls[c.name].value} AS {_SQL_TYPES[c.kind]}) AS {c.name}__typed",
        ]
    valid = " AND ".join(f"{c.name}__code IS NULL" for c in spec.columns)
    con = connect()
    try:
        con.register("raw", pa.table(arrays))
        con.execute(
            f"CREATE TEMP TABLE v AS {with_stages(list(sqls.values()))}\n"
            f"SELECT {', '.join(keep)} FROM s{STAGES - 1}"
        )
        con.execute(
            f"""CREATE TEMP TABLE ok AS
            SELECT row_number, region_code__typed AS region_code,
                substr(region_code__typed, 1, 6) AS county, township__typed AS township,
                village__typed AS village, point_name__typed AS point_name,
                since__typed AS since,
                min(row_number) OVER (PARTITION BY substr(region_code__typed, 1, 6),
                    township__typed, village__typed, point_name__typed) AS first_row
            FROM v WHERE {valid}"""
        )
        accepted = con.sql(
            f"SELECT {', '.join(POINT_SCHEMA.names)} FROM ok "
            "WHERE first_row = row_number ORDER BY row_number"
        ).to_arrow_table()
        problems = [
            f"SELECT row_number, {positions[c.name]} AS position, {c.name}__code AS code, "
            f"{c.name} AS value, {c.name}__reason AS reason FROM v "
            f"WHERE {c.name}__code IS NOT NULL"
            for c in spec.columns
        ]
        problems.append(
            f"SELECT row_number, {positions['point_name']} AS position, 'duplicate' AS code, "
            "point_name AS value, '与第 ' || first_row || ' 行为同一服务点（同一区县、乡镇、"
            "村和名称），未重复导入' AS reason FROM ok WHERE first_row < row_number"
        )
        found = con.sql(
            f"SELECT * FROM ({' UNION ALL '.join(problems)}) ORDER BY row_number, position"
        ).to_arrow_table()
    finally:
        con.close()
    return accepted.cast(POINT_SCHEMA), rejected_rows(found, headers)


def import_points(
    database: db.Database,
    path: Path,
    as_of: date,
    *,
    mode: str = "snapshot",
    dry_run: bool = False,
    actor: str = "cli",
    scope: list[str] | None = None,
    within: str | None = None,
) -> PointsReport:
    """Validate ``path`` as a list of service points as of ``as_of`` and import it.

    ``scope``: the counties a snapshot covers, by default those of its rows (a county
    whose points all closed is named so); ``within``: the importing user's region, a
    list with points outside it is refused whole."""
    check_mode(mode)
    read = read_points(path)
    report = PointsReport(read=read, as_of=as_of, mode=mode, dry_run=dry_run)
    counties = sorted(set(scope or read.accepted.column("county").to_pylist()))
    bad = [c for c in counties if len(c) != 6 or c not in regions.county_codes()]
    if bad:
        raise FileError(
            f"导入范围中有不是区县级行政区划代码的值：{'、'.join(bad)}",
            f"not county codes: {', '.join(bad)}",
        )
    outside = sorted(set(read.accepted.column("county").to_pylist()) - set(counties))
    if scope is not None and outside:
        raise FileError(
            f"名单中有不在导入范围（{'、'.join(counties)}）内的区县：{'、'.join(outside)}",
            f"rows of counties outside the scope: {', '.join(outside)}",
        )
    if within is not None:
        prefix = regions.hukou_prefix(within)
        foreign = [c for c in counties if not c.startswith(prefix)]
        if foreign:
            raise FileError(
                f"名单中有不在您管辖范围（{within}）内的区县：{'、'.join(foreign)}；"
                "请只导入本地区的名单",
                f"counties outside your region {within}: {', '.join(foreign)}",
            )
    report.counties = counties
    with database.transaction() as con:
        done = _imported(con, database, read, as_of)
        if done is not None:
            report.already_imported, report.batch_id = True, done
            return report
        if not read.accepted.num_rows:
            raise NoPointAccepted(read)
        batch_id = _write(con, database, read, report, actor)
        report.batch_id = None if dry_run else batch_id
        if dry_run:
            con.rollback()
    return report


def _imported(con: Any, database: db.Database, read: PointsRead, as_of: date) -> int | None:
    """The batch that already holds this file as of ``as_of``, or None."""
    same = db.read(
        con,
        database,
        "registry_import_batch",
        "WHERE source = ? AND checksum = ?",
        (SERVICE_POINTS.name, read.checksum),
        columns=["id", "as_of"],
    )
    for batch in same.to_pylist():
        if batch["as_of"] == as_of:
            return int(batch["id"])
    return None


def _region_of(counties: list[str]) -> str:
    """The smallest region holding every county: the county, its city, its province."""
    for width in (6, 4, 2):
        prefixes = {c[:width] for c in counties}
        if len(prefixes) == 1:
            return next(iter(prefixes)).ljust(6, "0")
    return "000000"


def _write(
    con: Any, database: db.Database, read: PointsRead, report: PointsReport, actor: str
) -> int:
    now = datetime.now(UTC)
    rows_rejected = len(set(read.rejected.column("row_number").to_pylist()))
    batch = pa.table(
        {
            "source": [SERVICE_POINTS.name],
            "file_name": [read.path.name],
            "checksum": [read.checksum],
            "as_of": pa.array([report.as_of], pa.date32()),
            "encoding": [read.encoding],
            "rows_read": pa.array([read.rows_read], pa.int32()),
            "rows_accepted": pa.array([read.accepted.num_rows], pa.int32()),
            "rows_rejected": pa.array([rows_rejected], pa.int32()),
            "people_added": pa.array([0], pa.int32()),
            "periods_opened": pa.array([0], pa.int32()),
            "periods_closed": pa.array([0], pa.int32()),
            "imported_by": [actor],
            "imported_at": pa.array([now], pa.timestamp("us", tz="UTC")),
            "mode": [report.mode],
            "region": [_region_of(report.counties)],
        }
    )
    db.ingest(con, database, "registry_import_batch", db.text_times(batch, database))
    batch_id = int(
        db.scalar(
            con, "SELECT max(id) FROM registry_import_batch WHERE checksum = ?", (read.checksum,)
        )
    )
    n = read.accepted.num_rows
    points = read.accepted.add_column(0, "batch_id", pa.array([batch_id] * n, pa.int64()))
    db.ingest(con, database, "registry_service_point", points)
    scope = pa.table(
        {
            "batch_id": pa.array([batch_id] * len(report.counties), pa.int64()),
            "county": pa.array(report.counties, pa.string()),
        }
    )
    db.ingest(con, database, "registry_import_scope", scope)
    rejected = rejections.stored(batch_id, read.rejected)
    db.ingest(con, database, "registry_rejected_row", rejected)
    stored = db.read(
        con,
        database,
        "registry_service_point",
        "WHERE batch_id = ?",
        (batch_id,),
        columns=["id", "row_number", "township", "village", "point_name"],
    ).sort_by("row_number")
    details = [
        json.dumps(
            {
                "detail": f"{SERVICE_POINTS.label} 第 {p['row_number']} 行：{p['township']}"
                f"{p['village']} {p['point_name']}"
            },
            ensure_ascii=False,
        )
        for p in stored.to_pylist()
    ]
    k = stored.num_rows
    audit = pa.table(
        {
            "at": pa.array([now] * k, pa.timestamp("us", tz="UTC")),
            "actor": pa.array([actor] * k, pa.string()),
            "action": pa.array(["add_service_point"] * k, pa.string()),
            "table_name": pa.array(["registry_service_point"] * k, pa.string()),
            "row_id": stored.column("id").cast(pa.int64()),
            "batch_id": pa.array([batch_id] * k, pa.int64()),
            "detail": pa.array(details, pa.string()),
        }
    )
    db.ingest(con, database, "registry_audit_log", db.text_times(audit, database))
    return batch_id


def points_as_of(database: db.Database, region: str, day: date) -> pa.Table:
    """The service points of the counties under ``region`` on ``day`` (POINT_SCHEMA
    without the row number): per county, its latest snapshot imported as of ``day`` or
    before, the addenda after it, and of those the points opened by ``day``."""
    batches = database.read(
        "registry_import_batch",
        "WHERE source = ?",
        (SERVICE_POINTS.name,),
        columns=["id", "as_of", "mode"],
    ).to_pylist()
    known = {b["id"]: b for b in batches if b["as_of"] <= day}
    scope = database.read("registry_import_scope", columns=["batch_id", "county"]).to_pylist()
    prefix = regions.hukou_prefix(region)
    per_county: dict[str, list[dict[str, Any]]] = {}
    for s in scope:
        if s["batch_id"] in known and s["county"].startswith(prefix):
            per_county.setdefault(s["county"], []).append(known[s["batch_id"]])
    wanted: set[tuple[int, str]] = set()
    for county, listed in per_county.items():
        order = sorted(listed, key=lambda b: (b["as_of"], b["id"]))
        snapshots = [i for i, b in enumerate(order) if b["mode"] == "snapshot"]
        start = snapshots[-1] if snapshots else 0
        wanted |= {(b["id"], county) for b in order[start:]}
    rows = database.read(
        "registry_service_point",
        columns=["batch_id", "region_code", "county", "township", "village", "point_name", "since"],
    ).to_pylist()
    chosen = [r for r in rows if (r["batch_id"], r["county"]) in wanted and r["since"] <= day]
    names = ["region_code", "county", "township", "village", "point_name", "since"]
    return pa.table(
        {n: pa.array([r[n] for r in chosen], POINT_SCHEMA.field(n).type) for n in names}
    )
