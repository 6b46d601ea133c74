"""Payments the targets made themselves, from the collection system's records: they
decide the post-hoc subsidy (对已自行全额缴纳完清……的代缴对象，采取事后补助的方式给予补助,
CQ-2018-82/2.1.1).

The file is read like a roster (rosters.reading); a serial number already recorded is
skipped, a person the registry does not know is reported, not recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from doudi.collection.cycle import SCHEME, audit
from doudi.rosters.reading import RosterRead, read_roster
from doudi.store import db


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
    list and in no plan) but reported; rows the reader rejects come back with reasons."""
    read = read_roster(path, "pension_payment")
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
