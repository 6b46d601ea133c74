"""Chongqing's withholding cycle for the targets' self-paid remainders (CQ-2018-82/2.1.1).

The sentences this module carries out (渝人社发〔2018〕82号 二、（一）1):

- 各区县社保局……对代缴对象生成剩余自付参保费用的缴费计划，通过委托银行在参保人员开设的
  银行账户中代扣代缴，参保人员应于当年11月30日前在银行账户中足额存入剩余自付参保费用。
  → :func:`export_withholding` writes the request file of a plan version's targets
  who still owe a remainder (jobs.bankfile).
- 各区县社保局在足额收到个人缴费后，从到款的当月……应享受的政府代缴……作视同实收处理。
  → :func:`import_return` books the bank's return (paid, partly paid, failed), and
  :func:`book` books each government part as ``deemed_received`` on the day the
  personal part was complete.
- 对已自行全额缴纳完清……的代缴对象，采取事后补助的方式给予补助 → a target whose own
  payments (the collection system's records, :func:`import_payments`) cover the whole
  contribution gets each government part as ``post_hoc_subsidy``.
- 每年9月20日前……将截止8月31日的实际代缴和事后应补助人员及费用汇总分别交区县民政局、
  扶贫办……当年8月31日以后……纳入次年清算 → :func:`cutoff_statement`.

Readings (docs/bank.md): a target whose remainder is 0.00 (特困人员 at the minimum
tier) has nothing to wait for and is booked on the day the cycle first books them
(the export's day); a booking is made once per plan version, person and payer and
never moved; a return line is booked once (its reference is unique), so importing
the same return, or another return repeating a line, books nothing twice. Every
step is one transaction: a bad file books nothing.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from doudi.collection import bankfile
from doudi.core import regions, vocab
from doudi.policy import jurisdictions
from doudi.policy.params import MissingParameter, Params
from doudi.rosters.reading import RosterRead, read_roster
from doudi.store import db

SCHEME = "resident_pension"
BASIS = "CQ-2018-82/2.1.1"
DEEMED, POST_HOC = "deemed_received", "post_hoc_subsidy"


class BankError(ValueError):
    """The step cannot be done (str() is Chinese first); nothing was written."""


@dataclass(frozen=True)
class Calendar:
    """The cycle's dates of a jurisdiction and year, from its parameters."""

    deposit_deadline: date
    cutoff: date
    report_due: date

    @classmethod
    def of(cls, jurisdiction: str, year: int) -> Calendar:
        p = Params(jurisdiction, year)
        try:
            days = [
                date.fromisoformat(f"{year}-{p.get(f'resident_pension.{name}')}")
                for name in ("deposit_deadline", "settlement_cutoff", "settlement_report_due")
            ]
        except MissingParameter as exc:
            raise BankError(
                f"{exc}：该统筹地区的文件未规定银行代扣和年度清算流程 / "
                "no withholding cycle in this jurisdiction's documents"
            ) from None
        return cls(*days)

    def settlement_year(self, booked_on: date) -> int:
        """The year whose cut-off takes a booking made on ``booked_on``."""
        cutoff = self.cutoff.replace(year=booked_on.year)
        return booked_on.year if booked_on <= cutoff else booked_on.year + 1


def _version(con: Any, database: db.Database, version_id: int) -> dict[str, Any]:
    rows = db.read(con, database, "registry_plan_version", f"WHERE id = {int(version_id)}")
    if not rows.num_rows:
        raise BankError(f"没有编号为 {version_id} 的缴费计划版本 / no such plan version")
    return dict(rows.to_pylist()[0])


def _lake(con: Any, database: db.Database, version: dict[str, Any]) -> duckdb.DuckDBPyConnection:
    """DuckDB over what the cycle reads: the version's rows, the year's payments and
    bookings, the people."""
    lake = duckdb.connect()
    vid, year = version["id"], version["year"]
    lake.register(
        "contribution",
        db.read(con, database, "registry_contribution", f"WHERE plan_version_id = {vid}"),
    )
    lake.register(
        "payment",
        db.read(con, database, "registry_payment", f"WHERE year = {year} AND scheme = '{SCHEME}'"),
    )
    lake.register("booking", db.read(con, database, "registry_booking", f"WHERE year = {year}"))
    lake.register("person", db.read(con, database, "registry_person"))
    return lake


#: Per target of the version: what they owe themselves, the government's total, and
#: the day their payments reached the remainder (``complete_on``) or, by their own
#: payments alone, the whole contribution (``self_paid_on``).
_TARGETS = """
WITH gov AS (
    SELECT person_id, sum(amount) AS gov_total FROM contribution
    WHERE payer <> 'self' GROUP BY person_id
),
own AS (SELECT person_id, amount AS self_due FROM contribution WHERE payer = 'self'),
paid AS (
    SELECT person_id, paid_on, channel,
           sum(amount) OVER (PARTITION BY person_id ORDER BY paid_on, reference
                             ROWS UNBOUNDED PRECEDING) AS running,
           sum(amount) FILTER (WHERE channel = 'self') OVER (
               PARTITION BY person_id ORDER BY paid_on, reference
               ROWS UNBOUNDED PRECEDING) AS running_self
    FROM payment WHERE amount > 0
)
SELECT g.person_id, p.id_number, p.name, p.hukou_region,
       coalesce(o.self_due, 0)::DECIMAL(18, 2) AS self_due, g.gov_total,
       coalesce((SELECT sum(amount) FROM payment x WHERE x.person_id = g.person_id), 0)
           ::DECIMAL(18, 2) AS paid,
       (SELECT min(paid_on) FROM paid x WHERE x.person_id = g.person_id
            AND x.running >= coalesce(o.self_due, 0)) AS complete_on,
       (SELECT min(paid_on) FROM paid x WHERE x.person_id = g.person_id
            AND x.running_self >= coalesce(o.self_due, 0) + g.gov_total) AS self_paid_on
FROM gov g JOIN person p ON p.id = g.person_id LEFT JOIN own o ON o.person_id = g.person_id
WHERE starts_with(p.hukou_region, $prefix)
"""


@dataclass
class Booked:
    """What one booking run added (people, not parts)."""

    deemed_received: int = 0
    post_hoc_subsidy: int = 0

    def summary_zh(self) -> str:
        return (
            f"新增视同实收 {self.deemed_received} 人，事后补助 {self.post_hoc_subsidy} 人"
            if self.deemed_received or self.post_hoc_subsidy
            else "没有新的视同实收或事后补助"
        )


def book(con: Any, database: db.Database, version_id: int, region: str, on: date) -> Booked:
    """Book the government parts of the version's targets under ``region`` whose
    condition is met and who are not booked yet (inside the caller's transaction).

    Post-hoc subsidy when their own payments cover the whole contribution; else deemed
    received when all payments cover the remainder (a remainder of 0.00 on ``on``)."""
    version = _version(con, database, version_id)
    calendar = Calendar.of(version["jurisdiction"], version["year"])
    lake = _lake(con, database, version)
    prefix = regions.hukou_prefix(region)
    rows = lake.sql(
        f"""
        WITH t AS ({_TARGETS}),
        due AS (
            SELECT person_id,
                   CASE WHEN self_paid_on IS NOT NULL THEN '{POST_HOC}' ELSE '{DEEMED}' END
                       AS kind,
                   coalesce(self_paid_on, complete_on,
                            CASE WHEN self_due = 0 THEN $on::DATE END) AS booked_on
            FROM t
        )
        SELECT c.person_id, c.payer, c.amount, c.basis, d.kind, d.booked_on
        FROM due d JOIN contribution c ON c.person_id = d.person_id AND c.payer <> 'self'
        WHERE d.booked_on IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM booking b WHERE b.plan_version_id = {version["id"]}
                          AND b.person_id = c.person_id AND b.payer = c.payer)
        ORDER BY c.person_id, c.payer
        """,
        params={"prefix": prefix, "on": on},
    ).to_arrow_table()
    result = Booked()
    if not rows.num_rows:
        return result
    days = rows.column("booked_on").to_pylist()
    kinds = rows.column("kind").to_pylist()
    people = rows.column("person_id").to_pylist()
    n = rows.num_rows
    bookings = pa.table(
        {
            "plan_version_id": pa.array([version["id"]] * n, pa.int64()),
            "person_id": rows.column("person_id"),
            "year": pa.array([version["year"]] * n, pa.int16()),
            "payer": rows.column("payer"),
            "amount": rows.column("amount").cast(db.MONEY),
            "kind": rows.column("kind"),
            "booked_on": rows.column("booked_on"),
            "settlement_year": pa.array([calendar.settlement_year(d) for d in days], pa.int16()),
            "basis": pa.array([_basis(b) for b in rows.column("basis").to_pylist()]),
        }
    )
    db.ingest(con, database, "registry_booking", bookings)
    for kind in (DEEMED, POST_HOC):
        setattr(result, kind, len({p for p, k in zip(people, kinds, strict=True) if k == kind}))
    return result


def _basis(plan_basis: str | None) -> str:
    """The plan's clauses and the cycle's own."""
    parts = set(filter(None, (plan_basis or "").split(";")))
    return ";".join(sorted(parts | {BASIS}))


# --- the withholding request -----------------------------------------------------------


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


_OWED = """
WITH t AS ({targets}),
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
       a.account, q.person_id IS NOT NULL AS pending
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
        version = _version(con, database, version_id)
        if not region.startswith(regions.hukou_prefix(version["jurisdiction"])):
            raise BankError(
                f"区划 {region} 不在计划版本 {version_id} 的统筹地区 "
                f"{version['jurisdiction']} 内 / region outside the plan's jurisdiction"
            )
        calendar = Calendar.of(version["jurisdiction"], version["year"])
        booked = book(con, database, version_id, region, on)
        lake = _lake(con, database, version)
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
        batches = db.read(
            con, database, "registry_withholding_batch", f"WHERE plan_version_id = {version_id}"
        )
        lake.register("wbatch", batches)
        ids = ",".join(str(i) for i in batches.column("id").to_pylist()) or "NULL"
        lake.register(
            "wline",
            db.read(con, database, "registry_withholding_line", f"WHERE batch_id IN ({ids})"),
        )
        returned = db.read(con, database, "registry_payment", "WHERE channel = 'bank'")
        lake.register("returned", returned)
        lake.sql(
            "CREATE TABLE pending_line AS SELECT l.person_id FROM wline l JOIN wbatch b "
            "ON b.id = l.batch_id WHERE NOT EXISTS (SELECT 1 FROM returned r "
            "WHERE r.reference = b.batch_no || '-' || l.seq)"
        )
        owed = lake.sql(
            _OWED.format(targets=_TARGETS), params={"prefix": regions.hukou_prefix(region)}
        ).to_arrow_table()
        rows = owed.to_pylist()
        take = [r for r in rows if r["account"] and not r["pending"]]
        left = [
            {
                "id_number": r["id_number"],
                "name": r["name"],
                "owed": r["owed"],
                "reason": "登记库中没有银行账号，请核实后再代扣"
                if not r["account"]
                else "已在尚未回盘的代扣批次中，待回盘后再代扣",
            }
            for r in rows
            if not r["account"] or r["pending"]
        ]
        number = 1 + int(
            db.scalar(
                con,
                "SELECT count(*) FROM registry_withholding_batch "
                f"WHERE region = '{region}' AND year = {version['year']}",
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
                "file_name": [path.name],
                "checksum": [hashlib.sha256(data).hexdigest()],
                "created_by": [actor],
                "created_at": pa.array([datetime.now(UTC)], pa.timestamp("us", tz="UTC")),
            }
        )
        db.ingest(con, database, "registry_withholding_batch", db.text_times(record, database))
        batch_id = int(
            db.scalar(
                con, f"SELECT id FROM registry_withholding_batch WHERE batch_no = '{batch_no}'"
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


# --- the bank's return ------------------------------------------------------------------


@dataclass
class ReturnReport:
    batch_no: str
    already_imported: bool = False
    dry_run: bool = False
    paid: int = 0
    partly_paid: int = 0
    failed: int = 0
    skipped: int = 0  # lines an earlier return had already booked
    deducted: Decimal = Decimal("0.00")
    pending: int = 0  # lines of the request no return has answered yet
    booked: Booked = field(default_factory=Booked)

    def summary_zh(self) -> list[str]:
        if self.already_imported:
            return [f"该回盘文件已导入过（批次 {self.batch_no}），未做任何更改。"]
        head = "试对账（未写入）" if self.dry_run else "已对账"
        return [
            f"{head}：批次 {self.batch_no}，扣款成功 {self.paid} 笔，"
            f"部分扣款 {self.partly_paid} 笔，扣款失败 {self.failed} 笔，"
            f"已对账跳过 {self.skipped} 笔；实扣合计 {self.deducted} 元",
            f"尚未回盘 {self.pending} 笔",
            f"记账：{self.booked.summary_zh()}",
        ]


def import_return(
    database: db.Database, path: Path, *, actor: str = "cli", dry_run: bool = False
) -> ReturnReport:
    """Check a return file against its request and book it, all or nothing."""
    data = path.read_bytes()
    parsed = bankfile.parse_return(data)
    checksum = hashlib.sha256(data).hexdigest()
    report = ReturnReport(parsed.batch_no, dry_run=dry_run)
    with database.transaction() as con:
        if db.scalar(con, f"SELECT id FROM registry_bank_return WHERE checksum = '{checksum}'"):
            report.already_imported = True
            return report
        batches = db.read(
            con, database, "registry_withholding_batch", f"WHERE batch_no = '{parsed.batch_no}'"
        )
        if not batches.num_rows:
            raise BankError(
                f"第 1 行：未知的代扣批次号「{parsed.batch_no}」，本系统没有导出过该批次 / "
                "unknown batch"
            )
        batch = batches.to_pylist()[0]
        lines = {
            r["seq"]: r
            for r in db.read(
                con, database, "registry_withholding_line", f"WHERE batch_id = {batch['id']}"
            ).to_pylist()
        }
        people = {
            r["id"]: r["id_number"]
            for r in db.read(
                con,
                database,
                "registry_person",
                "WHERE id IN (SELECT person_id FROM registry_withholding_line "
                f"WHERE batch_id = {batch['id']})",
            ).to_pylist()
        }
        problems = _mismatches(parsed, lines, people)
        if problems:
            raise bankfile.BankFileError(problems)
        refs = [f"{parsed.batch_no}-{x.seq}" for x in parsed.lines]
        done = set(
            db.read(
                con,
                database,
                "registry_payment",
                f"WHERE channel = 'bank' AND reference LIKE '{parsed.batch_no}-%'",
            )
            .column("reference")
            .to_pylist()
        )
        new = [(x, ref) for x, ref in zip(parsed.lines, refs, strict=True) if ref not in done]
        report.skipped = len(parsed.lines) - len(new)
        for x, _ in new:
            if x.code == bankfile.PAID:
                report.paid += 1
            elif x.code == bankfile.PARTLY_PAID:
                report.partly_paid += 1
            else:
                report.failed += 1
            report.deducted += x.deducted
        answered = done | {ref for _, ref in new}
        report.pending = sum(1 for seq in lines if f"{parsed.batch_no}-{seq}" not in answered)
        record = pa.table(
            {
                "batch_id": pa.array([batch["id"]], pa.int64()),
                "file_name": [path.name],
                "checksum": [checksum],
                "processed_on": pa.array([parsed.processed_on], pa.date32()),
                "lines": pa.array([len(parsed.lines)], pa.int32()),
                "total_deducted": pa.array([parsed.total_deducted], db.MONEY),
                "lines_booked": pa.array([len(new)], pa.int32()),
                "imported_by": [actor],
                "imported_at": pa.array([datetime.now(UTC)], pa.timestamp("us", tz="UTC")),
            }
        )
        db.ingest(con, database, "registry_bank_return", db.text_times(record, database))
        return_id = int(
            db.scalar(con, f"SELECT id FROM registry_bank_return WHERE checksum = '{checksum}'")
        )
        if new:
            db.ingest(
                con,
                database,
                "registry_payment",
                pa.table(
                    {
                        "person_id": pa.array(
                            [lines[x.seq]["person_id"] for x, _ in new], pa.int64()
                        ),
                        "year": pa.array([batch["year"]] * len(new), pa.int16()),
                        "scheme": pa.array([SCHEME] * len(new)),
                        "amount": pa.array([x.deducted for x, _ in new], db.MONEY),
                        "paid_on": pa.array(
                            [x.deducted_on or parsed.processed_on for x, _ in new], pa.date32()
                        ),
                        "channel": pa.array(["bank"] * len(new)),
                        "reference": pa.array([ref for _, ref in new]),
                        "result": pa.array([x.code for x, _ in new]),
                        "bank_return_id": pa.array([return_id] * len(new), pa.int64()),
                    }
                ),
            )
        db.fault("bank_return")
        report.booked = book(
            con, database, batch["plan_version_id"], batch["region"], parsed.processed_on
        )
        _audit(
            con,
            database,
            actor,
            "bank_return",
            "registry_bank_return",
            return_id,
            f"回盘 {path.name}：批次 {parsed.batch_no}，入账 {len(new)} 笔",
        )
        if dry_run:
            con.rollback()
    return report


def _mismatches(
    parsed: bankfile.BankReturnFile, lines: dict[int, dict[str, Any]], people: dict[int, str]
) -> list[str]:
    """Return lines that do not answer a line of the request (unknown account …)."""
    problems = []
    for x in parsed.lines:
        line = lines.get(x.seq)
        if line is None:
            problems.append(f"第 {x.line_no} 行：序号 {x.seq} 不在代扣批次 {parsed.batch_no} 中")
        elif x.account != line["account"]:
            problems.append(
                f"第 {x.line_no} 行：未知账号「{x.account}」，代扣文件中序号 {x.seq} 的账号为"
                f"「{line['account']}」"
            )
        elif x.id_number != people[line["person_id"]]:
            problems.append(f"第 {x.line_no} 行：身份证号「{x.id_number}」与代扣文件不符")
        elif x.requested != line["amount"]:
            problems.append(
                f"第 {x.line_no} 行：应扣金额 {x.requested} 与代扣文件的 {line['amount']} 不符"
            )
    return problems


def _audit(
    con: Any, database: db.Database, actor: str, action: str, table: str, row: int, detail: str
) -> None:
    db.ingest(
        con,
        database,
        "registry_audit_log",
        db.text_times(
            pa.table(
                {
                    "at": pa.array([datetime.now(UTC)], pa.timestamp("us", tz="UTC")),
                    "actor": [actor],
                    "action": [action],
                    "table_name": [table],
                    "row_id": pa.array([row], pa.int64()),
                    "batch_id": pa.nulls(1, pa.int64()),
                    "detail": [detail],
                }
            ),
            database,
        ),
    )


# --- payments the targets made themselves -------------------------------------------------


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
        _audit(
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


# --- the 31 August statement -------------------------------------------------------------


@dataclass
class Statement:
    """The cut-off statement of a settlement year for a region."""

    region: str
    year: int
    calendar: Calendar
    totals: pa.Table  # payer, kind, people, amount
    details: pa.Table  # a row per booked part
    carried: pa.Table  # parts of this year's plan booked after the cut-off → next year

    def summary_zh(self) -> list[str]:
        c = self.calendar
        lines = [
            f"{self.region} {self.year}年代缴和事后补助清算（截至 {c.cutoff}，"
            f"应于 {c.report_due} 前分别交区县民政局、扶贫办）："
        ]
        from doudi.plan.ledger import payer_label

        for r in self.totals.to_pylist():
            label = f"{payer_label(r['payer'])} {vocab.BOOKING_KIND[r['kind']]}"
            lines.append(f"  {label}：{r['people']} 人，{r['amount']} 元")
        if not self.totals.num_rows:
            lines.append("  （无）")
        carried = sum((r["amount"] for r in self.carried.to_pylist()), Decimal("0.00"))
        lines.append(
            f"  {c.cutoff} 以后入账、纳入 {self.year + 1} 年清算：{self.carried.num_rows} 项，"
            f"{carried} 元"
        )
        return lines


def cutoff_statement(
    database: db.Database, jurisdiction: str, year: int, region: str | None = None
) -> Statement:
    """Bookings the settlement of ``year`` takes (its own plan's up to the cut-off and
    the previous year's carried ones), per payer and kind; and what this year's plan
    carries into the next."""
    jurisdictions.get(jurisdiction)  # a Chinese error for an unknown one
    region = region or jurisdiction
    if not region.isascii() or not region.isdigit():
        raise BankError(f"区划代码应为数字：{region!r} / invalid region code")
    calendar = Calendar.of(jurisdiction, year)
    prefix = regions.hukou_prefix(region)
    lake = duckdb.connect()
    versions = database.read("registry_plan_version", f"WHERE jurisdiction = '{jurisdiction}'")
    ids = ",".join(str(i) for i in versions.column("id").to_pylist()) or "NULL"
    lake.register("booking", database.read("registry_booking", f"WHERE plan_version_id IN ({ids})"))
    lake.register("person", database.read("registry_person"))
    select = """
        SELECT p.hukou_region, p.id_number, p.name, b.year AS plan_year, b.payer, b.kind,
               b.amount, b.booked_on, b.settlement_year, b.basis
        FROM booking b JOIN person p ON p.id = b.person_id
        WHERE starts_with(p.hukou_region, $prefix) AND {where}
        ORDER BY p.hukou_region, p.id_number, b.payer
    """
    params = {"prefix": prefix, "year": year}
    details = lake.sql(select.format(where="b.settlement_year = $year"), params=params)
    details_t = details.to_arrow_table()
    lake.register("details", details_t)
    totals = lake.sql(
        "SELECT payer, kind, count(DISTINCT id_number) AS people, sum(amount) AS amount "
        "FROM details GROUP BY payer, kind ORDER BY payer, kind"
    ).to_arrow_table()
    carried = lake.sql(
        select.format(where="b.year = $year AND b.settlement_year > $year"), params=params
    ).to_arrow_table()
    return Statement(region, year, calendar, totals, details_t, carried)


def statement_workbook(statement: Statement, path: Path) -> None:
    """The statement as Excel: totals, the parts booked, the post-hoc list, carried."""
    from doudi.store import workbook as export

    s = statement
    post_hoc = s.details.filter(pa.compute.equal(s.details.column("kind"), POST_HOC))
    title = f"{s.region} {s.year}年代缴和事后补助清算（截至 {s.calendar.cutoff}）"
    export.write_workbook(
        path,
        [
            _sheet("汇总", s.totals),
            _sheet("代缴及补助明细", s.details),
            _sheet("事后补助名单", post_hoc),
            _sheet(f"纳入{s.year + 1}年清算", s.carried),
        ],
        title=title,
    )


def _sheet(title: str, t: pa.Table) -> Any:
    from doudi.store import workbook as export

    return export.Sheet(title, _labelled(t), vocab.headers(t.column_names))


def _labelled(t: pa.Table) -> pa.Table:
    from doudi.plan.ledger import payer_label

    if "payer" in t.column_names:
        i = t.schema.get_field_index("payer")
        t = t.set_column(i, "payer", pa.array([payer_label(p) for p in t.column(i).to_pylist()]))
    if "kind" in t.column_names:
        i = t.schema.get_field_index("kind")
        t = t.set_column(
            i, "kind", pa.array([vocab.BOOKING_KIND[k] for k in t.column(i).to_pylist()])
        )
    return t


# --- the bank, simulated (an edge we do not own) -------------------------------------------


def simulate_return(request: Path, out: Path, *, seed: int = 0, processed_on: date) -> Path:
    """A return file as a bank would answer ``request``: most lines paid, some partly
    (balance short), some failed (no balance, closed or frozen accounts). For the demo
    and the tests; a real return comes from the bank."""
    text = bankfile.decode(request.read_bytes())
    records = [r.split("|") for r in text.split(bankfile.EOL) if r]
    batch_no = records[0][3]
    rng = random.Random(f"{seed}:{batch_no}")
    lines: list[bankfile.RequestLine] = []
    results: list[tuple[Decimal, date | None, str]] = []
    for f in records[1:-1]:
        line = bankfile.RequestLine(int(f[1]), f[2], f[3], f[4], Decimal(f[5]))
        draw = rng.random()
        if draw < 0.85:
            results.append((line.amount, processed_on, bankfile.PAID))
        elif draw < 0.90 and line.amount > Decimal("0.01"):
            part = (line.amount * Decimal(rng.randint(10, 90)) / 100).quantize(Decimal("0.01"))
            results.append((part, processed_on, bankfile.PARTLY_PAID))
        else:
            results.append((Decimal("0.00"), None, rng.choice(["1001", "1001", "1002", "1003"])))
        lines.append(line)
    out.write_bytes(bankfile.write_return(batch_no, processed_on, lines, results))
    return out
