"""Import a set of work-injury lists for a county in one transaction.

The guarantees of the rosters' imports (:mod:`doudi.rosters.service_points` is the model
for a list that adds no people):

- every file is read and validated before anything is written
  (:mod:`doudi.work_injury.validation`); a file whose projects lie in another county
  than the one imported for is refused whole, as is a county code that names none;
- one transaction, holding the one-writer lock (``Database.transaction``, decision
  0011), writes per list its batch (``ImportBatch``: source, checksum, as-of date,
  snapshot or addendum, the county), the county it covers, its rows, its rejected rows
  and an audit row per row written; the same file as of the same date is imported
  once; a dry run rolls it all back;
- what needs the registry is checked inside that transaction: a worker's project and a
  payment's case must be among the county's current ones (:mod:`doudi.work_injury.reading`),
  counting the lists of the same set imported before it (projects before workers,
  cases before payments); a row naming none is refused (code ``reference``);
- a list of which no row is accepted refuses the whole set: nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import regions, vocab
from doudi.core.textfile import FileError
from doudi.rosters import rejections
from doudi.rosters.closing import check_mode
from doudi.rosters.rejections import REJECTED_SCHEMA
from doudi.store import db
from doudi.work_injury.reading import current
from doudi.work_injury.sources import (
    ADVANCE_PAYMENTS,
    CASES,
    LISTS,
    PROJECT_WORKERS,
    PROJECTS,
    WorkInjuryList,
)
from doudi.work_injury.validation import ListRead, read_list

#: What a list's rows name that must exist: the list, its column, the list it names.
REFERENCES: dict[str, tuple[str, WorkInjuryList]] = {
    PROJECT_WORKERS.name: ("project_id", PROJECTS),
    ADVANCE_PAYMENTS.name: ("case_id", CASES),
}
#: The audit log's action for a row of each list.
ACTIONS = {
    PROJECTS.name: "add_work_injury_project",
    PROJECT_WORKERS.name: "add_project_worker",
    CASES.name: "add_work_injury_case",
    ADVANCE_PAYMENTS.name: "add_advance_payment",
}


@dataclass
class ListReport:
    """What the import of one list did (or, for a dry run, would do)."""

    read: ListRead
    county: str
    as_of: date
    mode: str
    dry_run: bool
    already_imported: bool = False
    batch_id: int | None = None

    def summary_zh(self) -> list[str]:
        r = self.read
        if self.already_imported:
            return [f"{r.spec.label}：该文件已导入过（批次 {self.batch_id}），未做任何更改。"]
        head = "试导入（未写入）" if self.dry_run else "已导入"
        place = regions.region_name(self.county) or ""
        return [
            f"{head}：{r.spec.label}（{vocab.IMPORT_MODE.label(self.mode)}），"
            f"{place}（{self.county}），截至 {self.as_of}，文件 {r.path.name}（{r.encoding}）",
            f"读取 {r.rows_read} 行：接受 {r.accepted.num_rows} 行，拒绝 {r.rows_rejected()} 行",
        ]


class NothingAccepted(FileError):
    """A list of which no row is accepted: nothing of the set is written; ``read``
    keeps its rejected rows for the caseworker."""

    def __init__(self, read: ListRead) -> None:
        reasons = "；".join(
            f"第 {r['row_number']} 行「{r['column']}」：{r['reason']}"
            for r in read.rejected.slice(0, 20).to_pylist()
        )
        super().__init__(
            f"{read.spec.label}没有可导入的行，未写入任何数据：{reasons or '文件中没有数据行'}",
            f"{read.spec.name}: no row could be accepted; nothing was written",
        )
        self.read = read


def county_of(region: str) -> str:
    """``region`` if it is a current county's code; a Chinese refusal otherwise: each
    import is for one county, the scope its snapshot replaces."""
    if region not in regions.county_codes():
        raise FileError(
            f"导入区县「{region}」不是现行的区县级行政区划代码（应为六位区县代码）",
            f"region {region!r} is not a current county code",
        )
    return region


def import_lists(
    database: db.Database,
    files: Mapping[str, Path],
    region: str,
    as_of: date,
    *,
    mode: str = "snapshot",
    dry_run: bool = False,
    actor: str = "cli",
) -> list[ListReport]:
    """Validate and import ``files`` (``--source`` name -> file, :data:`LISTS`) as the
    lists of the county ``region`` as of ``as_of``, one transaction for them all."""
    check_mode(mode)
    county = county_of(region)
    unknown = [name for name in files if name not in LISTS]
    if unknown:
        known = "、".join(f"{k}（{s.label}）" for k, s in LISTS.items())
        raise FileError(
            f"未知来源 {'、'.join(unknown)}；可用：{known}", f"unknown source {unknown}"
        )
    reads = [read_list(spec, files[name]) for name, spec in LISTS.items() if name in files]
    for read in reads:
        _within(read, county)
    reports = [ListReport(r, county, as_of, mode, dry_run) for r in reads]
    with database.transaction() as con:
        for i, report in enumerate(reports):
            done = _imported(con, database, report.read, as_of)
            if done is not None:
                report.already_imported, report.batch_id = True, done
                continue
            report.read = read = _referenced(con, database, report.read, county, as_of)
            reports[i] = report
            if not read.accepted.num_rows:
                raise NothingAccepted(read)
            batch_id = _write(con, database, report, actor)
            report.batch_id = None if dry_run else batch_id
        if dry_run:
            con.rollback()
    return reports


def _within(read: ListRead, county: str) -> None:
    """A project list naming projects of another county is refused whole: its snapshot
    is the county's, and a foreign row would be read as the county's project."""
    if "county" not in read.accepted.column_names:
        return
    rows = read.accepted.filter(pc.not_equal(read.accepted.column("county"), county))
    if rows.num_rows:
        named = "、".join(
            f"第 {r['row_number']} 行（{r['county']}）" for r in rows.slice(0, 20).to_pylist()
        )
        raise FileError(
            f"{read.spec.label}中有不在导入区县（{county}）内的项目：{named}；请只导入本区县的名单",
            f"{rows.num_rows} rows of counties other than {county}",
        )


def _imported(con: Any, database: db.Database, read: ListRead, as_of: date) -> int | None:
    """The batch that already holds this file as of ``as_of``, or None."""
    same = db.read(
        con,
        database,
        "registry_import_batch",
        "WHERE source = ? AND checksum = ? AND as_of = ?",
        (read.spec.name, read.checksum, as_of),
        columns=["id"],
    )
    return int(same.column("id")[0].as_py()) if same.num_rows else None


def _referenced(
    con: Any, database: db.Database, read: ListRead, county: str, as_of: date
) -> ListRead:
    """``read`` without the rows naming a project or case the county does not have,
    those refused (code ``reference``)."""
    if read.spec.name not in REFERENCES:
        return read
    column, named = REFERENCES[read.spec.name]
    known = current(con, database, named, county, as_of).column(column)
    values = read.accepted.column(column)
    missing = pc.invert(pc.is_in(values, value_set=known.combine_chunks()))
    if not pc.any(missing).as_py():
        return read
    gone = read.accepted.filter(missing)
    label = named.source.column(column).label
    header = read.spec.source.column(column).label
    refused = pa.table(
        {
            "row_number": gone.column("row_number"),
            "column": pa.array([header] * gone.num_rows, pa.string()),
            "code": pa.array(["reference"] * gone.num_rows, pa.string()),
            "value": gone.column(column),
            "reason": pa.array(
                [
                    f"{label}「{v}」不在本区县（{county}）截至 {as_of} 的{named.label}中"
                    for v in gone.column(column).to_pylist()
                ],
                pa.string(),
            ),
        }
    ).cast(REJECTED_SCHEMA)
    rejected = pa.concat_tables([read.rejected, refused]).sort_by("row_number")
    return ListRead(
        spec=read.spec,
        path=read.path,
        checksum=read.checksum,
        encoding=read.encoding,
        rows_read=read.rows_read,
        accepted=read.accepted.filter(pc.invert(missing)),
        rejected=rejected,
    )


def _write(con: Any, database: db.Database, report: ListReport, actor: str) -> int:
    read, spec, county = report.read, report.read.spec, report.county
    now = datetime.now(UTC)
    batch = pa.table(
        {
            "source": [spec.name],
            "file_name": [read.path.name],
            "checksum": [read.checksum],
            "as_of": pa.array([report.as_of], pa.date32()),
            "encoding": [read.encoding],
            "rows_read": pa.array([read.rows_read], pa.int32()),
            "rows_accepted": pa.array([read.accepted.num_rows], pa.int32()),
            "rows_rejected": pa.array([read.rows_rejected()], pa.int32()),
            "people_added": pa.array([0], pa.int32()),
            "periods_opened": pa.array([0], pa.int32()),
            "periods_closed": pa.array([0], pa.int32()),
            "imported_by": [actor],
            "imported_at": pa.array([now], pa.timestamp("us", tz="UTC")),
            "mode": [report.mode],
            "region": [county],
        }
    )
    db.ingest(con, database, "registry_import_batch", db.text_times(batch, database))
    batch_id = int(
        db.scalar(
            con,
            "SELECT max(id) FROM registry_import_batch WHERE source = ? AND checksum = ?",
            (spec.name, read.checksum),
        )
    )
    n = read.accepted.num_rows
    rows = read.accepted
    if "county" not in rows.column_names:
        rows = rows.append_column("county", pa.array([county] * n, pa.string()))
    rows = rows.add_column(0, "batch_id", pa.array([batch_id] * n, pa.int64()))
    db.ingest(con, database, spec.table, rows)
    scope = pa.table({"batch_id": pa.array([batch_id], pa.int64()), "county": [county]})
    db.ingest(con, database, "registry_import_scope", scope)
    rejected = rejections.stored(batch_id, read.rejected)
    db.ingest(con, database, "registry_rejected_row", rejected)
    _audit(con, database, report, batch_id, now, actor)
    return batch_id


def _audit(
    con: Any,
    database: db.Database,
    report: ListReport,
    batch_id: int,
    now: datetime,
    actor: str,
) -> None:
    """One audit row per row written, naming its list, row and what it is about (the
    project or the case, never an ID number in full)."""
    spec = report.read.spec
    named = "project_id" if spec in (PROJECTS, PROJECT_WORKERS) else "case_id"
    stored = db.read(
        con,
        database,
        spec.table,
        "WHERE batch_id = ?",
        (batch_id,),
        columns=["id", "row_number", named],
    ).sort_by("row_number")
    what = spec.source.column(named).label
    details = [
        json.dumps(
            {"detail": f"{spec.label} 第 {s['row_number']} 行：{what} {s[named]}"},
            ensure_ascii=False,
        )
        for s in stored.to_pylist()
    ]
    k = stored.num_rows
    audit = pa.table(
        {
            "at": pa.array([now] * k, pa.timestamp("us", tz="UTC")),
            "actor": pa.array([actor] * k, pa.string()),
            "action": pa.array([ACTIONS[spec.name]] * k, pa.string()),
            "table_name": pa.array([spec.table] * k, pa.string()),
            "row_id": stored.column("id").cast(pa.int64()),
            "batch_id": pa.array([batch_id] * k, pa.int64()),
            "detail": pa.array(details, pa.string()),
        }
    )
    db.ingest(con, database, "registry_audit_log", db.text_times(audit, database))
