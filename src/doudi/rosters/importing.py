"""Import a department's roster into the registry: validate, preview, commit.

``import_roster`` reads and validates the whole file first (rosters.reading), then,
in one database transaction: refuses a file already imported (same source, SHA-256
and as-of date: re-importing is a no-op; the same bytes as of a later date are a
snapshot of their own), refuses a file of which no row is accepted (NothingAccepted,
nothing written), settles where the list may close (its mode and region,
rosters.closing), adds the people the registry does not know,
stores the rows as the source's list as of ``as_of``, re-derives the
source's status periods or enrollments from all its lists and applies only
the difference, or records the death dates of a death list (rosters.changes), and
writes one audit row per change. A record list (sources.Source.kind "record":
certificates, applications, …) changes nothing beyond its own rows: they are the
records, one audit row each. A snapshot closing more than the allowed share, or
outside its region, is refused unless confirmed (rosters.guard). ``dry_run`` computes
the same report and writes nothing. Any error, or a killed process, leaves the
database as it was: nothing is committed until the last statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import regions, vocab
from doudi.core.textfile import FileError
from doudi.rosters import guard, held, rejections, tiers
from doudi.rosters.audit import Audit
from doudi.rosters.changes import apply_periods, named, record_deaths
from doudi.rosters.closing import Closing, check_mode, closing
from doudi.rosters.reading import RosterRead, read_roster
from doudi.rosters.sources import SOURCES, Source
from doudi.store import db, foreign_keys

#: The columns of a roster entry beyond who and where the row is, typed as the registry
#: stores them (a certificate level is read as its code "5" and stored as the number 5).
ENTRY_TYPES = {
    "region_code": pa.string(),
    "township": pa.string(),
    "village": pa.string(),
    "since": pa.date32(),
    "exit_marked": pa.bool_(),
    "exit_date": pa.date32(),
    "disability_grade": pa.int16(),
    "contribution_tier": db.MONEY,
    "receiving": pa.bool_(),
    "death_date": pa.date32(),
    "bank_account": pa.string(),
    "veteran_category": pa.string(),
    "unemployed": pa.bool_(),
    "in_employee_medical": pa.bool_(),
    # the record sources (kind "record")
    "unit_name": pa.string(),
    "rural_contract_worker": pa.bool_(),
    "months_at_unit": pa.int32(),
    "unit_paid": pa.bool_(),
    "contract_ending": pa.string(),
    "contract_end_date": pa.date32(),
    "insured_months": pa.int32(),
    "contribution_months": pa.int32(),
    "benefit_qualified": pa.bool_(),
    "medical_scheme": pa.string(),
    "resident_medical_paid": db.MONEY,
    "benefit_months": pa.int32(),
    "employee_medical_premium": db.MONEY,
    "certificate_level": pa.int16(),
    "certificate_date": pa.date32(),
    "certificate_number": pa.string(),
    "funder": pa.string(),
    "funding_amount": db.MONEY,
    "funding_year": pa.int16(),
    "application_date": pa.date32(),
    "review_result": pa.string(),
    # the withholding mandates (rosters.service_sources)
    "bank_name": pa.string(),
}
ENTRY_COLUMNS = tuple(ENTRY_TYPES)
#: The entry columns stored as null where a list does not give them (the others are "").
NULLABLE = tuple(c for c in ENTRY_COLUMNS if c not in ("region_code", "township", "village"))
#: Who a roster's ID numbers are in the registry: one row per person.
_IDS = pa.schema([("person_id", pa.int64()), ("id_number", pa.string())])


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    read: RosterRead
    as_of: date
    dry_run: bool
    already_imported: bool = False
    batch_id: int | None = None
    counties: list[str] = field(default_factory=list)
    #: the mode and region, and so the counties the import closes in
    closing: Closing | None = None
    #: a snapshot's closings against the 快照关闭比例上限 (none for a death list)
    closing_check: guard.ClosingCheck | None = None
    people_added: int = 0
    periods_opened: int = 0
    periods_closed: int = 0
    periods_changed: int = 0
    deaths_recorded: int = 0
    #: the rows a record list stored (each row is a record: no period opened or closed)
    records_stored: int = 0
    #: the people whose status or enrollment opens or closes: id_number, name, change
    changes: pa.Table | None = None

    def summary_zh(self, *, warning: bool = True) -> list[str]:
        """The report in lines; ``warning``: with the large-close warning as the last
        line (a page shows it apart, prominently)."""
        r = self.read
        head = "试导入（未写入）" if self.dry_run else "已导入"
        if self.already_imported:
            return [f"该文件已导入过（批次 {self.batch_id}），未做任何更改。"]
        return [
            f"{head}：{r.source.label}，截至 {self.as_of}，文件 {r.path.name}（{r.encoding}）",
            f"读取 {r.rows_read} 行：接受 {r.accepted.num_rows} 行，拒绝 {_rejected_rows(r)} 行",
            *self._held_zh(),
            *(self.closing.lines_zh() if self.closing else []),
            f"覆盖区县：{'、'.join(self.counties) or '无'}",
            self._changes_zh(),
            *([self.closing_warning_zh()] if warning and self.needs_confirmation else []),
        ]

    def _changes_zh(self) -> str:
        """What the list changed: a record list's records, another list's periods."""
        if self.read.source.kind == "record":
            return (
                f"新增人员 {self.people_added} 人；记录 {self.records_stored} 条"
                "（记录类名单不开启、不关闭任何期间，以往的记录均保留）"
            )
        return (
            f"新增人员 {self.people_added} 人；新开期间 {self.periods_opened}，"
            f"关闭期间 {self.periods_closed}，其他变更 {self.periods_changed}；"
            f"登记死亡 {self.deaths_recorded} 人"
        )

    def change_lines_zh(self, limit: int) -> list[str]:
        """The first ``limit`` changes, a line each, the kind in words (开始, 结束, …):
        a caseworker reads the dry run, not the registry's codes ("close")."""
        if self.changes is None:
            return []
        return [
            f"  {vocab.PERIOD_CHANGE.label(row['change'])}：{row['id_number']} {row['name']}"
            for row in self.changes.slice(0, limit).to_pylist()
        ]

    def _held_zh(self) -> list[str]:
        """Says how many people refused rows still name (rosters.held): the caseworker
        should know the list keeps them, and that their rows await correction."""
        held = self.read.held
        if held.num_rows == 0 or self.read.source.kind in ("death", "record"):
            return []
        accepted = set(self.read.accepted.column("id_number").to_pylist())
        people = len(set(held.column("id_number").to_pylist()) - accepted)  # not a copy's
        if not people:
            return []
        return [
            f"被拒绝的行中有 {people} 人身份证号有效：视为名单仍列有其人，"
            "不因本名单关闭其期间；请部门更正这些行后重新报送"
        ]

    @property
    def needs_confirmation(self) -> bool:
        """Whether the import closes more than it may unacknowledged (rosters.guard)."""
        return self.closing_check is not None and self.closing_check.needs_confirmation

    def closing_warning_zh(self) -> str:
        """The guard's warning with the counts, naming the list and its region: the
        dry run shows it, and a refusal says it."""
        assert self.closing is not None and self.closing_check is not None
        return self.closing_check.warning_zh(self.read.source.label, self.closing.place)

    def confirmation_zh(self) -> str:
        """The words a caseworker ticks to import the closings anyway."""
        assert self.closing_check is not None
        return self.closing_check.confirmation_zh(self.read.source.label)


def _rejected_rows(r: RosterRead) -> int:
    return len(set(r.rejected.column("row_number").to_pylist()))


class NothingAccepted(FileError):
    """No row of the file is accepted: nothing is written (no batch either), as for the
    hospitals' bills. ``read`` keeps the rejected rows to hand back to the caseworker."""

    def __init__(self, read: RosterRead) -> None:
        reasons = "；".join(
            f"第 {r['row_number']} 行「{r['column']}」：{r['reason']}"
            for r in read.rejected.slice(0, 20).to_pylist()
        )
        more = f"……（共 {read.rejected.num_rows} 处）" if read.rejected.num_rows > 20 else ""
        super().__init__(
            f"没有可导入的行，未写入任何数据：{reasons + more or '文件中没有数据行'}",
            "no row could be accepted; nothing was written",
        )
        self.read = read


def import_roster(
    database: db.Database,
    path: Path,
    source: str,
    as_of: date,
    *,
    dry_run: bool = False,
    actor: str = "cli",
    scope: list[str] | None = None,
    within: str | None = None,
    mode: str = "snapshot",
    region: str | None = None,
    confirm_closing: bool = False,
) -> ImportReport:
    """Validate ``path`` as a ``source`` list as of ``as_of`` and import it.

    ``scope``: the counties the list covers; by default the counties of its rows.
    ``within``: the importing user's region; a list with rows of counties outside it
    is refused whole (a caseworker imports their own county's lists).
    ``mode``: "snapshot" or "addendum"; ``region``: the region a snapshot closes in,
    by default the one of 80% of its rows (rosters.closing). ``confirm_closing``: the
    caseworker acknowledged the warning of a snapshot that closes more than the
    快照关闭比例上限 or outside its region; without it such an import is refused
    (ClosingNotConfirmed, nothing written). A dry run reports the warning instead.
    """
    check_mode(mode)
    read = read_roster(path, source)
    if read.source.kind == "payment":
        raise FileError(
            f"「{read.source.label}」不是名单，请用 doudi payments 导入",
            f"{source} is not a roster: import it with doudi payments",
        )
    read = tiers.checked(read, as_of)  # the tier list of the as-of date's year
    report = ImportReport(read=read, as_of=as_of, dry_run=dry_run)
    with database.transaction() as con:
        done = _imported(con, database, read, as_of)
        if done is not None:
            report.already_imported, report.batch_id = True, done
            return report
        if not read.accepted.num_rows:
            raise NothingAccepted(read)
        rows = _entries(read.accepted)
        where = closing(
            mode, region, rows.select(["row_number", "county"]), scope, read.source.kind
        )
        job = _Import(database, con, read, rows, report, actor, where)
        if within is not None:
            _check_within(where.covered, within)
        # a large list's foreign keys checked once each, not row by row (decision 0020)
        checked_at_end = foreign_keys.bulk(con, database, rows.num_rows)
        job.run()
        if report.needs_confirmation and not (dry_run or confirm_closing):
            raise guard.ClosingNotConfirmed(report.closing_warning_zh())
        if dry_run:
            con.rollback()
        elif checked_at_end:
            foreign_keys.check(con)
    return report


def _imported(con: Any, database: db.Database, read: RosterRead, as_of: date) -> int | None:
    """The batch that already holds this file as of ``as_of`` (a snapshot is its
    source, its bytes and its date), or None. The dates are compared after reading:
    SQLite keeps them as text, PostgreSQL as dates."""
    same = db.read(
        con,
        database,
        "registry_import_batch",
        "WHERE source = ? AND checksum = ?",
        (read.source.name, read.checksum),
        columns=["id", "as_of"],
    )
    for batch in same.to_pylist():
        if batch["as_of"] == as_of:
            return int(batch["id"])
    return None


def _check_within(counties: list[str], region: str) -> None:
    prefix = regions.hukou_prefix(region)
    outside = [c for c in counties if not c.startswith(prefix)]
    if outside:
        named = "、".join(f"{c}（{regions.region_name(c) or '未知区划'}）" for c in outside[:10])
        raise FileError(
            f"名单中有不在您管辖范围（{region}）内的区县：{named}；请只导入本地区的名单",
            f"rows of counties outside your region {region}: {', '.join(outside[:10])}",
        )


class _Import:
    """The steps of one import inside its transaction."""

    def __init__(
        self,
        database: db.Database,
        con: Any,
        read: RosterRead,
        rows: pa.Table,
        report: ImportReport,
        actor: str,
        where: Closing,
    ):
        self.db, self.con, self.read, self.report = database, con, read, report
        self.source: Source = read.source
        self.actor = actor
        self.now = datetime.now(UTC)
        self.rows = rows
        report.counties, report.closing = where.covered, where
        self.where = where

    def run(self) -> None:
        self.batch_id = self._insert_batch()
        self.audit = Audit(self.con, self.db, self.now, self.actor, self.batch_id)
        self.report.batch_id = None if self.report.dry_run else self.batch_id
        ids = self._people()
        db.fault("people")
        db.ingest(self.con, self.db, "registry_roster_entry", _given(self._entry_rows(ids)))
        db.ingest(self.con, self.db, "registry_import_scope", self._scope_rows())
        db.ingest(self.con, self.db, "registry_rejected_row", self._rejected_rows())
        if self.source.kind == "death":
            self._deaths()
        elif self.source.kind == "record":
            self._records()
        else:
            self._periods()
        db.fault("periods")
        db.execute(
            self.con,
            "UPDATE registry_import_batch SET people_added = ?, periods_opened = ?, "
            "periods_closed = ? WHERE id = ?",
            (
                self.report.people_added,
                self.report.periods_opened,
                self.report.periods_closed,
                self.batch_id,
            ),
        )

    # -- batch, people, entries -------------------------------------------------------

    def _insert_batch(self) -> int:
        r = self.read
        row = pa.table(
            {
                "source": [self.source.name],
                "file_name": [r.path.name],
                "checksum": [r.checksum],
                "as_of": pa.array([self.report.as_of], pa.date32()),
                "encoding": [r.encoding],
                "rows_read": pa.array([r.rows_read], pa.int32()),
                "rows_accepted": pa.array([r.accepted.num_rows], pa.int32()),
                "rows_rejected": pa.array([_rejected_rows(r)], pa.int32()),
                "people_added": pa.array([0], pa.int32()),
                "periods_opened": pa.array([0], pa.int32()),
                "periods_closed": pa.array([0], pa.int32()),
                "imported_by": [self.actor],
                "imported_at": pa.array([self.now], pa.timestamp("us", tz="UTC")),
                "mode": [self.where.mode],
                "region": [self.where.region],
            }
        )
        db.ingest(self.con, self.db, "registry_import_batch", db.text_times(row, self.db))
        return int(
            db.scalar(
                self.con,
                "SELECT max(id) FROM registry_import_batch WHERE checksum = ?",
                (self.read.checksum,),
            )
        )

    def _people(self) -> pa.Table:
        """Add unknown people, in the order of their first row in the file (the same
        files give the same ids, so a plan on them has the same inputs checksum);
        return id_number → person id, one row per person."""
        rows = self.rows
        # each number once: a person may have several rows of a record list (certificates)
        numbers = pa.table({"id_number": pc.unique(rows.column("id_number"))})
        db.ingest(self.con, self.db, "doudi_stage_ids", numbers, temporary=True)
        known = self._query(
            "SELECT p.id AS person_id, p.id_number FROM registry_person p "
            "JOIN doudi_stage_ids s ON s.id_number = p.id_number"
        )
        lake = duckdb.connect()
        lake.register("rows_", rows)
        lake.register("known", known)
        new = lake.sql(
            """
            SELECT r.id_number, arg_min(r.name, r.row_number) AS name,
                   arg_min(r.sex, r.row_number) AS sex,
                   arg_min(r.birth_date, r.row_number) AS birth_date,
                   arg_min(r.hukou, r.row_number) AS hukou_region,
                   coalesce(arg_min(r.township, r.row_number), '') AS township,
                   coalesce(arg_min(r.village, r.row_number), '') AS village
            FROM rows_ r ANTI JOIN known k ON k.id_number = r.id_number
            GROUP BY r.id_number
            ORDER BY min(r.row_number)
            """
        ).to_arrow_table()
        self.report.people_added = new.num_rows
        # the new people's ids taken first and written with them: nothing read back
        people = new.add_column(
            0, "id", db.new_ids(self.con, self.db, "registry_person", new.num_rows)
        )
        if new.num_rows:
            people = people.append_column(
                "death_date", pa.nulls(new.num_rows, pa.date32())
            ).append_column(
                "created_batch_id", pa.repeat(pa.scalar(self.batch_id, pa.int64()), new.num_rows)
            )
            db.ingest(self.con, self.db, "registry_person", people)
            self.audit.people_added(new.select(["id_number", "name"]))
        self.added = pa.table(
            {
                "person_id": people.column("id"),
                "id_number": people.column("id_number"),
                "name": people.column("name"),
            }
        )
        return pa.concat_tables(
            [known.cast(_IDS), self.added.select(["person_id", "id_number"]).cast(_IDS)]
        )

    def _entry_rows(self, ids: pa.Table) -> pa.Table:
        lake = duckdb.connect()
        lake.register("rows_", self.rows)
        lake.register("ids", ids)
        cols = ", ".join(f"r.{c}" for c in ENTRY_COLUMNS)  # names fixed by code
        out = lake.sql(
            f"""
            SELECT $batch::BIGINT AS batch_id, r.row_number::INTEGER AS row_number,
                   i.person_id, r.id_number, r.name, r.county, {cols}
            FROM rows_ r JOIN ids i ON i.id_number = r.id_number
            ORDER BY r.row_number
            """,
            params={"batch": self.batch_id},
        ).to_arrow_table()
        fill = {c: pc.fill_null(out.column(c), "") for c in ("region_code", "township", "village")}
        for name, col in fill.items():
            out = out.set_column(out.schema.get_field_index(name), name, col)
        self.entries = out
        return out

    def _scope_rows(self) -> pa.Table:
        covered = self.where.covered
        return pa.table(
            {
                "batch_id": pa.array([self.batch_id] * len(covered), pa.int64()),
                "county": pa.array(covered, pa.string()),
            }
        )

    def _rejected_rows(self) -> pa.Table:
        """The rejected records as stored, each beside the ID number its row still names
        (rosters.held)."""
        r = self.read.rejected
        return rejections.stored(self.batch_id, r, held.of_rejected(r, self.read.held))

    # -- what the list means (rosters.changes) ---------------------------------------

    def _deaths(self) -> None:
        """A death list: each person's death date, one audit row per date recorded."""
        died = record_deaths(self.con, self.db, self.entries)
        self.report.deaths_recorded = died.num_rows
        self.audit.described("death", "registry_person", died)

    def _records(self) -> None:
        """A record list: its rows, stored above, are the records; one audit row each."""
        stored = db.read(
            self.con,
            self.db,
            "registry_roster_entry",
            "WHERE batch_id = ?",
            (self.batch_id,),
            columns=["id", "id_number", "row_number"],
        )
        self.report.records_stored = stored.num_rows
        lake = duckdb.connect()
        lake.register("stored", stored)
        rows = lake.sql(
            """
            SELECT 'add_record' AS action, id AS row_id,
                   json_object('id_number', id_number, 'detail',
                               $label || ' 第 ' || row_number || ' 行')::VARCHAR AS detail
            FROM stored ORDER BY row_number
            """,
            params={"label": self.source.label},
        ).to_arrow_table()
        self.audit.write("registry_roster_entry", rows)

    def _periods(self) -> None:
        """A status or enrollment list: the source's periods, one audit row per change."""
        applied = apply_periods(self.con, self.db, self.source, self.batch_id, self.entries)
        report = self.report
        report.periods_opened, report.periods_closed = applied.opened, applied.closed
        report.periods_changed = applied.changed
        report.closing_check = guard.check(
            applied.changes, applied.open_before, self.where.counties
        )
        self.audit.periods(self.source, applied.table, applied.changes, applied.opened_after)
        report.changes = named(self.con, self.db, applied.changes, self.added)

    def _query(self, sql: str) -> pa.Table:
        with self.con.cursor() as cur:
            cur.execute(sql)
            return cur.fetch_arrow_table()


def _given(entries: pa.Table) -> pa.Table:
    """The entries without the columns no row gives, which the database stores as null
    anyway: a list gives a few of the 37, and binding the others' nulls row by row was
    a fifth of the insert's CPU time on SQLite (3·10^5 rows: 1.2 s, then 0.9 s)."""
    n = entries.num_rows
    return entries.drop_columns([c for c in NULLABLE if entries.column(c).null_count == n])


def _entries(accepted: pa.Table) -> pa.Table:
    """The accepted rows with every entry column (typed, null where the source has
    none), the county each row belongs to, and the person's hukou region."""
    n = accepted.num_rows
    t = accepted
    for name, typ in ENTRY_TYPES.items():
        if name not in t.column_names:
            t = t.append_column(name, pa.nulls(n, typ))
        elif t.schema.field(name).type != typ:
            t = t.set_column(t.schema.get_field_index(name), name, t.column(name).cast(typ))
    region6 = pc.utf8_slice_codeunits(pc.fill_null(t.column("region_code"), ""), 0, 6)
    id6 = pc.utf8_slice_codeunits(t.column("id_number"), 0, 6)
    county = pc.if_else(pc.equal(pc.utf8_length(region6), 6), region6, id6)
    hukou = pc.if_else(
        pc.equal(pc.utf8_length(pc.fill_null(t.column("region_code"), "")), 0),
        id6,
        pc.fill_null(t.column("region_code"), ""),
    )
    return t.append_column("county", county).append_column("hukou", hukou)


def batches_of(database: db.Database) -> list[dict[str, Any]]:
    """Every import, newest first (for ``doudi imports``)."""
    t = database.read("registry_import_batch")
    rows = t.to_pylist()
    return sorted(rows, key=lambda r: r["id"], reverse=True)


__all__ = ["SOURCES", "ImportReport", "NothingAccepted", "batches_of", "import_roster"]
