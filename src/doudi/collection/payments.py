"""Payments the targets made themselves, from the collection system's records: they
decide the post-hoc subsidy (对已自行全额缴纳完清……的代缴对象，采取事后补助的方式给予补助,
CQ-2018-82/2.1.1).

The file is read like a roster (rosters.reading); a serial number already recorded is
skipped, a person the registry does not know is reported, not recorded. A payment is
of the year imported: the post-hoc subsidy is booked on the day a person's payments
complete the contribution, so a payment dated in another year (or not yet arrived)
would book it in that year, and one of 0.00 would complete nothing. Such rows are
rejected; a file of which no row is accepted is refused whole, as a roster is.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from doudi.collection.cycle import SCHEME, audit
from doudi.core.textfile import FileError
from doudi.rosters.importing import NothingAccepted
from doudi.rosters.reading import RosterRead, read_roster
from doudi.rosters.rejections import REJECTED_SCHEMA
from doudi.store import db

#: The contribution years a payment may be for: those a scenario may be evaluated for.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass
class PaymentsReport:
    read: RosterRead
    year: int
    dry_run: bool
    recorded: int = 0
    known: int = 0  # serial numbers already recorded (a re-sent file)
    unknown_people: list[str] = field(default_factory=list)

    def summary_zh(self) -> list[str]:
        r = self.read
        head = "试导入（未写入）" if self.dry_run else "已导入"
        lines = [
            f"{head}：{r.source.label}（{self.year}年），文件 {r.path.name}（{r.encoding}）",
            f"读取 {r.rows_read} 行：接受 {r.accepted.num_rows} 行，拒绝 {r.rejected.num_rows} 处；"
            f"新记缴费 {self.recorded} 笔，已记录过 {self.known} 笔",
        ]
        if self.unknown_people:
            lines.append(f"登记库中没有的人员 {len(self.unknown_people)} 人（未记录）：")
            lines += [f"  {i}" for i in self.unknown_people[:20]]
        return lines


def import_payments(
    database: db.Database, path: Path, year: int, *, actor: str = "cli", dry_run: bool = False
) -> PaymentsReport:
    """Record the collection system's payments of ``year`` (one transaction).

    A payment of someone the registry does not know is not recorded (they are on no
    list and in no plan) but reported; rows the reader rejects, and payments of another
    year or of nothing, come back with reasons. Raises FileError (Chinese first) for a
    year outside the policies' or a file of which no row is accepted."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise FileError(
            f"缴费年度应为 {FIRST_YEAR}–{LAST_YEAR} 之间的年份，实为 {year}",
            f"the year must be between {FIRST_YEAR} and {LAST_YEAR}, not {year}",
        )
    read = _of_the_year(read_roster(path, "pension_payment"), year, date.today())
    if not read.accepted.num_rows:
        raise NothingAccepted(read)
    report = PaymentsReport(read, year, dry_run)
    rows = read.accepted
    with database.transaction() as con:
        db.ingest(con, database, "doudi_stage_pay", rows.select(["id_number"]), temporary=True)
        known_people = db.read(
            con,
            database,
            "registry_person",
            "WHERE id_number IN (SELECT id_number FROM doudi_stage_pay)",
        )
        lake = duckdb.connect()
        lake.register("rows_", rows)
        lake.register("person", known_people)
        lake.register("done", db.read(con, database, "registry_payment", "WHERE channel = 'self'"))
        new = lake.sql(
            """
            SELECT p.id AS person_id, r.amount, r.paid_on, r.reference
            FROM rows_ r JOIN person p ON p.id_number = r.id_number
            WHERE r.reference NOT IN (SELECT reference FROM done)
            ORDER BY r.row_number
            """
        ).to_arrow_table()
        report.unknown_people = (
            lake.sql(
                "SELECT id_number FROM rows_ WHERE id_number NOT IN (SELECT id_number FROM person) "
                "ORDER BY row_number"
            )
            .to_arrow_table()
            .column(0)
            .to_pylist()
        )
        report.recorded = new.num_rows
        report.known = rows.num_rows - new.num_rows - len(report.unknown_people)
        n = new.num_rows
        if n:
            db.ingest(
                con,
                database,
                "registry_payment",
                pa.table(
                    {
                        "person_id": new.column("person_id"),
                        "year": pa.array([year] * n, pa.int16()),
                        "scheme": pa.array([SCHEME] * n),
                        "amount": new.column("amount").cast(db.MONEY),
                        "paid_on": new.column("paid_on"),
                        "channel": pa.array(["self"] * n),
                        "reference": new.column("reference"),
                        "result": pa.array([""] * n),
                        "bank_return_id": pa.nulls(n, pa.int64()),
                    }
                ),
            )
        audit(
            con,
            database,
            actor,
            "payments",
            "registry_payment",
            n,
            f"个人缴费明细 {path.name}（{year}年）：新记 {n} 笔",
        )
        if dry_run:
            con.rollback()
    return report


def _of_the_year(read: RosterRead, year: int, today: date) -> RosterRead:
    """``read`` with the accepted payments that are not of ``year`` — of nothing, dated
    in another year or after ``today`` — moved to its rejected rows."""
    rows = read.accepted
    amount, paid_on = rows.column("amount"), rows.column("paid_on")
    other_year = pc.not_equal(pc.year(paid_on), year)
    checks = (
        ("amount", "decimal", pc.less_equal(amount, pa.scalar(0, amount.type)), "应大于 0"),
        (
            "paid_on",
            "date",
            other_year,
            f"不在 {year} 年内：缴费明细按缴费年度导入，请核对文件或年度",
        ),
        (
            "paid_on",
            "date",
            pc.and_not(pc.greater(paid_on, pa.scalar(today)), other_year),
            f"晚于今天（{today}），尚未到账",
        ),
    )
    found = []
    for name, code, mask, reason in checks:
        label = read.source.column(name).label
        for r in rows.filter(mask).select(["row_number", name]).to_pylist():
            value = str(r[name])
            found.append(
                {
                    "row_number": r["row_number"],
                    "column": label,
                    "code": code,
                    "value": value,
                    "reason": f"{label} {value} {reason}",
                }
            )
    if not found:
        return read
    numbers = pa.array(sorted({f["row_number"] for f in found}), pa.int32())
    bad = pc.is_in(rows.column("row_number"), numbers)
    rejected = pa.Table.from_pylist(found, REJECTED_SCHEMA)
    return dataclasses.replace(
        read,
        accepted=rows.filter(pc.invert(bad)),
        rejected=pa.concat_tables([read.rejected, rejected]).sort_by("row_number"),
    )
