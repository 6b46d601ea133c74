"""The bank-withholding request of the cycle (CQ-2018-82/2.1.1): 各区县社保局……对代缴对象
生成剩余自付参保费用的缴费计划，通过委托银行在参保人员开设的银行账户中代扣代缴，参保人员应于
当年11月30日前在银行账户中足额存入剩余自付参保费用.

One request file (collection.bankfile) per run, of the targets of a plan version under a
region who still owe a remainder and have an account on file; those who cannot be asked
(no account, a line still waiting for its return) are listed instead. The batch, its
lines and the file are one transaction: the file takes its name once the batch is
committed. A person who died on or before the request's date (the death roster,
registry_person.death_date) gets no line: they are listed instead (HE-2018-3/3.2.1
死亡冒领, docs/readings.md 24).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from doudi.collection import bankfile
from doudi.collection.booking import Booked, book
from doudi.collection.cycle import BankError, Calendar
from doudi.collection.targets import TARGETS, open_lake, plan_version
from doudi.core import regions
from doudi.store import db


@dataclass
class Withholding:
    batch_id: int
    batch_no: str
    path: Path
    lines: int
    total: Decimal
    deadline: date
    booked: Booked
    #: targets owing a remainder the file cannot include: id_number, name, owed, reason
    left_out: pa.Table = field(default_factory=pa.table)

    def summary_zh(self) -> list[str]:
        lines = [
            f"已生成代扣文件 {self.path.name}（批次 {self.batch_no}）：{self.lines} 笔，"
            f"合计 {self.total} 元；参保人员应于 {self.deadline} 前足额存入",
            f"记账：{self.booked.summary_zh()}",
        ]
        if self.left_out.num_rows:
            lines.append(f"未列入代扣文件 {self.left_out.num_rows} 人：")
            lines += [
                f"  {r['id_number']} {r['name']} 应缴 {r['owed']} 元：{r['reason']}"
                for r in self.left_out.slice(0, 20).to_pylist()
            ]
        return lines


#: The targets of ``TARGETS`` who still owe part of their remainder, with their latest
#: account (of the latest list naming one: a resident-pension extract, or a withholding
#: mandate, which is the account the person agreed to have debited), whether a request
#: line of theirs is still waiting for its return, and whether they died on or before
#: ``$on``.
_OWED = f"""
WITH t AS ({TARGETS}),
account AS (
    SELECT e.person_id,
           arg_max(e.bank_account, strftime(b.as_of, '%Y%m%d') || lpad(b.id::VARCHAR, 12, '0'))
               AS account
    FROM entry e JOIN batch b ON b.id = e.batch_id
    WHERE e.bank_account IS NOT NULL AND e.bank_account <> ''
    GROUP BY e.person_id
),
pending AS (SELECT DISTINCT person_id FROM pending_line)
SELECT t.person_id, t.id_number, t.name, (t.self_due - t.paid)::DECIMAL(18, 2) AS owed,
       a.account, q.person_id IS NOT NULL AS pending, t.death_date,
       coalesce(t.death_date <= $on::DATE, false) AS dead
FROM t LEFT JOIN account a ON a.person_id = t.person_id
LEFT JOIN pending q ON q.person_id = t.person_id
WHERE t.self_paid_on IS NULL AND t.complete_on IS NULL AND t.self_due > t.paid
ORDER BY t.hukou_region, t.id_number
"""


def export_withholding(
    database: db.Database,
    version_id: int,
    region: str,
    out_dir: Path,
    *,
    actor: str = "cli",
    on: date | None = None,
) -> Withholding:
    """Write the withholding request of a plan version for ``region`` (a county, or
    any region under the jurisdiction) and record it; book first what needs no bank."""
    on = on or date.today()
    with database.transaction() as con:
        version = plan_version(con, database, version_id)
        if not region.startswith(regions.hukou_prefix(version["jurisdiction"])):
            raise BankError(
                f"区划 {region} 不在计划版本 {version_id} 的统筹地区 "
                f"{version['jurisdiction']} 内 / region outside the plan's jurisdiction"
            )
        calendar = Calendar.of(version["jurisdiction"], version["year"])
        booked = book(con, database, version_id, region, on)
        lake = open_lake(con, database, version)
        pension_batches = "SELECT id FROM registry_import_batch WHERE source = 'resident_pension'"
        lake.register(
            "entry",
            db.read(
                con, database, "registry_roster_entry", f"WHERE batch_id IN ({pension_batches})"
            ),
        )
        lake.register(
            "batch",
            db.read(con, database, "registry_import_batch", "WHERE source = 'resident_pension'"),
        )
        # a line still waiting for its return under any version of the year: the person
        # is asked once whatever version a request was made from (decision 0010)
        of_version = (
            "WHERE plan_version_id IN (SELECT id FROM registry_plan_version WHERE year = ?)"
        )
        lake.register(
            "wbatch",
            db.read(con, database, "registry_withholding_batch", of_version, (version["year"],)),
        )
        lake.register(
            "wline",
            db.read(
                con,
                database,
                "registry_withholding_line",
                f"WHERE batch_id IN (SELECT id FROM registry_withholding_batch {of_version})",
                (version["year"],),
            ),
        )
        returned = db.read(con, database, "registry_payment", "WHERE channel = 'bank'")
        lake.register("returned", returned)
        lake.sql(
            "CREATE TABLE pending_line AS SELECT l.person_id FROM wline l JOIN wbatch b "
            "ON b.id = l.batch_id WHERE NOT EXISTS (SELECT 1 FROM returned r "
            "WHERE r.reference = b.batch_no || '-' || l.seq)"
        )
        owed = lake.sql(
            _OWED, params={"prefix": regions.hukou_prefix(region), "on": on}
        ).to_arrow_table()
        rows = owed.to_pylist()
        take = [r for r in rows if r["account"] and not r["pending"] and not r["dead"]]
        left = [
            {
                "id_number": r["id_number"],
                "name": r["name"],
                "owed": r["owed"],
                "reason": _left_out_reason(r),
            }
            for r in rows
            if not r["account"] or r["pending"] or r["dead"]
        ]
        number = 1 + int(
            db.scalar(
                con,
                "SELECT count(*) FROM registry_withholding_batch WHERE region = ? AND year = ?",
                (region, version["year"]),
            )
        )
        batch_no = f"{region}{version['year']}{number:04d}"
        lines = [
            bankfile.RequestLine(i, r["account"], r["name"], r["id_number"], r["owed"])
            for i, r in enumerate(take, start=1)
        ]
        data = bankfile.write_request(
            batch_no, region, version["year"], on, calendar.deposit_deadline, lines
        )
        total = sum((x.amount for x in lines), Decimal("0.00"))
        path = out_dir / f"DK_{batch_no}.txt"
        record = pa.table(
            {
                "batch_no": [batch_no],
                "plan_version_id": pa.array([version_id], pa.int64()),
                "region": [region],
                "year": pa.array([version["year"]], pa.int16()),
                "lines": pa.array([len(lines)], pa.int32()),
                "total": pa.array([total], db.MONEY),
                "due_date": pa.array([calendar.deposit_deadline], pa.date32()),
                "requested_on": pa.array([on], pa.date32()),
                "file_name": [path.name],
                "checksum": [hashlib.sha256(data).hexdigest()],
                "created_by": [actor],
                "created_at": pa.array([datetime.now(UTC)], pa.timestamp("us", tz="UTC")),
            }
        )
        db.ingest(con, database, "registry_withholding_batch", db.text_times(record, database))
        batch_id = int(
            db.scalar(
                con, "SELECT id FROM registry_withholding_batch WHERE batch_no = ?", (batch_no,)
            )
        )
        by_id = {r["id_number"]: r["person_id"] for r in take}
        db.ingest(
            con,
            database,
            "registry_withholding_line",
            pa.table(
                {
                    "batch_id": pa.array([batch_id] * len(lines), pa.int64()),
                    "seq": pa.array([x.seq for x in lines], pa.int32()),
                    "person_id": pa.array([by_id[x.id_number] for x in lines], pa.int64()),
                    "account": pa.array([x.account for x in lines], pa.string()),
                    "amount": pa.array([x.amount for x in lines], db.MONEY),
                }
            ),
        )
        out_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        db.fault("withholding")
    partial.replace(path)  # the file appears once its batch is committed
    left_out = pa.Table.from_pylist(
        left,
        schema=pa.schema(
            [
                ("id_number", pa.string()),
                ("name", pa.string()),
                ("owed", db.MONEY),
                ("reason", pa.string()),
            ]
        ),
    )
    return Withholding(
        batch_id, batch_no, path, len(lines), total, calendar.deposit_deadline, booked, left_out
    )


def _left_out_reason(row: dict[str, Any]) -> str:
    """Why a target who owes a remainder has no line in the request (Chinese)."""
    if row["dead"]:
        return (
            f"死亡人员名单记载已于 {row['death_date']} 死亡，不再代扣"
            "（HE-2018-3/3.2.1 严厉打击死亡冒领）"
        )
    if not row["account"]:
        return "登记库中没有银行账号，请核实后再代扣"
    return "已在尚未回盘的代扣批次中，待回盘后再代扣"
