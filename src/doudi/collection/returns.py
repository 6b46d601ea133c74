"""The bank's return of a withholding request (CQ-2018-82/2.1.1): every line checked
against its request, paid, partly paid and failed lines recorded as payments, and the
targets it completes booked (各区县社保局在足额收到个人缴费后……作视同实收处理).

All or nothing: a return with any problem books nothing; the same file imported again
changes nothing (its SHA-256 is recorded), and a line another return already booked is
skipped (its reference is unique). The bank processes a request after it was made and
before its return reaches the bureau: a processing date outside that (2100, or before
the request) would date the failed lines and the bookings in another year.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from doudi.collection import bankfile
from doudi.collection.booking import Booked, book
from doudi.collection.cycle import SCHEME, BankError, audit
from doudi.store import db

_RETURN_OF_CHECKSUM = "SELECT id FROM registry_bank_return WHERE checksum = ?"


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
    parsed = bankfile.parse_return(_not_utf16(data))
    checksum = hashlib.sha256(data).hexdigest()
    report = ReturnReport(parsed.batch_no, dry_run=dry_run)
    with database.transaction() as con:
        if db.scalar(con, _RETURN_OF_CHECKSUM, (checksum,)):
            report.already_imported = True
            return report
        batches = db.read(
            con, database, "registry_withholding_batch", "WHERE batch_no = ?", (parsed.batch_no,)
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
                con, database, "registry_withholding_line", "WHERE batch_id = ?", (batch["id"],)
            ).to_pylist()
        }
        people = {
            r["id"]: r["id_number"]
            for r in db.read(
                con,
                database,
                "registry_person",
                "WHERE id IN (SELECT person_id FROM registry_withholding_line WHERE batch_id = ?)",
                (batch["id"],),
            ).to_pylist()
        }
        problems = _processing(parsed, batch["requested_on"], date.today())
        problems += _mismatches(parsed, lines, people, batch["requested_on"])
        if problems:
            raise bankfile.BankFileError(problems)
        refs = [f"{parsed.batch_no}-{x.seq}" for x in parsed.lines]
        done = set(
            db.read(
                con,
                database,
                "registry_payment",
                "WHERE channel = 'bank' AND reference LIKE ?",
                (f"{parsed.batch_no}-%",),
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
        return_id = int(db.scalar(con, _RETURN_OF_CHECKSUM, (checksum,)))
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
        audit(
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


def _not_utf16(data: bytes) -> bytes:
    """``data``, unless it is Excel's "Unicode text" (a UTF-16 byte-order mark), which a
    return must not be: named as such, not as bytes that are not GBK."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise bankfile.BankFileError(
            [
                "文件为 UTF-16 编码（Excel「Unicode 文本」），回盘文件应为银行系统导出的 GBK "
                "原文件，请勿另存后导入"
            ]
        )
    return data


def _processing(
    parsed: bankfile.BankReturnFile, requested_on: date | None, today: date
) -> list[str]:
    """The file's processing date against the request's day and today (line 1)."""
    day = parsed.processed_on
    if day > today:
        return [f"第 1 行：银行处理日期 {day} 晚于今天（{today}）"]
    if requested_on and day < requested_on:
        return [f"第 1 行：银行处理日期 {day} 早于代扣请求日期 {requested_on}"]
    return []


def _mismatches(
    parsed: bankfile.BankReturnFile,
    lines: dict[int, dict[str, Any]],
    people: dict[int, str],
    requested_on: date | None,
) -> list[str]:
    """Return lines that do not answer a line of the request (unknown account …, a
    deduction before the request was made; bankfile refuses one after processing).
    ``requested_on`` is None for a batch exported before the request day was recorded."""
    problems = []
    for x in parsed.lines:
        line = lines.get(x.seq)
        if requested_on and x.deducted_on and x.deducted_on < requested_on:
            problems.append(
                f"第 {x.line_no} 行：扣款日期 {x.deducted_on} 早于代扣请求日期 {requested_on}"
            )
        elif line is None:
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
