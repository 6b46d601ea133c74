"""Hospital bills into the registry, and their payer layers back out (issue #6).

``doudi bills FILE --jurisdiction 360000`` reads a hospital settlement system's export
(CSV in GBK or UTF-8; Chinese headers, Doudi's or the national platform's field names),
checks every row before anything is written — the bill itself (engine.settlement's
checks), its patient in the registry and under the jurisdiction, its bill number not
seen before — and stores the accepted bills with their import batch and the rejected
rows (row number, column, reason in Chinese) in one transaction. The same file twice
changes nothing.

The payer layers are computed when they are shown (``settle_person``): the settlement
rules over the person's bills of each year, in discharge order, with the status periods
the registry holds, so a deductible or cap met by an earlier bill carries to the later.
Readings in docs/registry.md ("Bills").
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from doudi.core import regions, textfile, vocab
from doudi.core.textfile import FileError
from doudi.engine import nhsa, settlement
from doudi.policy import jurisdictions
from doudi.store import db

SOURCE = "bills"

#: Chinese headers of a settlement export, to the engine's field names (the platform's
#: names, setl_id, certno …, are read by engine.nhsa).
HEADERS_ZH = {
    "单据号": "bill_id",
    "结算单据号": "bill_id",
    "结算编号": "bill_id",
    "公民身份号码": "id_number",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "入院日期": "admission_date",
    "出院日期": "discharge_date",
    "医院等级": "hospital_level",
    "县域内": "in_county",
    "县域内就医": "in_county",
    "总费用": "total_cost",
    "医疗总费用": "total_cost",
    "政策范围内费用": "in_policy_cost",
    "不合规费用": "non_compliant_cost",
    "特殊药品费用": "special_drug_cost",
    "结算类别": "claim_type",
    "病种": "disease",
}
#: A hospital's file names levels and kinds in Chinese: read back to their codes.
LEVELS_ZH = {zh: code for code, zh in vocab.HOSPITAL_LEVEL.items() if code.isdigit()}
CLAIMS_ZH = {zh: code for code, zh in vocab.CLAIM_TYPE.items()}
#: The columns a stored bill holds besides its person and batch.
BILL_FIELDS = (
    "bill_id",
    "admission_date",
    "discharge_date",
    "hospital_level",
    "in_county",
    "total_cost",
    "in_policy_cost",
    "non_compliant_cost",
    "special_drug_cost",
    "claim_type",
    "disease",
)


@dataclass
class Rejected:
    row_number: int  # the file's row, header = 1
    column: str
    code: str
    value: str
    reason: str

    def zh(self) -> str:
        return f"第 {self.row_number} 行，列 {self.column}：{self.reason}"


@dataclass
class BillImport:
    file_name: str
    checksum: str
    encoding: str
    jurisdiction: str
    rows_read: int = 0
    accepted: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    dry_run: bool = False
    actor: str = "cli"
    already_imported: bool = False
    batch_id: int | None = None

    def summary_zh(self) -> list[str]:
        if self.already_imported:
            return [f"文件 {self.file_name} 已于批次 {self.batch_id} 导入，未作改动"]
        head = "试导入（未写入）" if self.dry_run else f"已导入（批次 {self.batch_id}）"
        lines = [
            f"{head}住院结算单据 {self.file_name}（{self.encoding}）：读取 {self.rows_read} 行，"
            f"接受 {len(self.accepted)} 张，拒绝 {len(self.rejected)} 行"
        ]
        lines += [f"  {r.zh()}" for r in self.rejected[:20]]
        if len(self.rejected) > 20:
            lines.append(f"  …… 另有 {len(self.rejected) - 20} 行被拒绝")
        return lines


def read_file(data: bytes) -> tuple[str, list[tuple[int, dict[str, str | None]]]]:
    """The rows of a bills CSV with their file row numbers, headers as the engine's
    names; the encoding found (GBK and UTF-8 as the roster files)."""
    encoding, text = textfile.decode(data)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise FileError("文件为空，没有表头", "the file is empty")
    names = [HEADERS_ZH.get(h.strip(), h.strip()) for h in header]
    if not {nhsa.INPUT.get(n, n) for n in names} & {"bill_id"}:
        # A bill is stored and settled once by its number: never make one up (issue #19).
        raise FileError(
            "缺少单据号列（单据号、结算单据号、结算编号、setl_id 或 mdtrt_id），未写入任何数据；"
            "请导出含单据号的结算单据",
            "the bill-number column is missing; nothing was written",
        )
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append(
            (number, {n: (c.strip() or None) for n, c in zip(names, cells, strict=False) if n})
        )
    return encoding, rows


def _normalized(raw: dict[str, str | None]) -> dict[str, Any]:
    """Chinese cell values as the engine's (二级 → 2, 住院 → inpatient; 县域内 是/否 the
    engine reads itself)."""
    out: dict[str, Any] = dict(raw)
    level = raw.get("hospital_level")
    if level in LEVELS_ZH:
        out["hospital_level"] = LEVELS_ZH[level]
    elif level in ("转外诊", "转外就医"):
        out["hospital_level"] = "referral_out"
    claim = raw.get("claim_type")
    if claim in CLAIMS_ZH:
        out["claim_type"] = CLAIMS_ZH[claim]
    return out


def import_bills(
    database: db.Database,
    path: Path,
    jurisdiction: str,
    *,
    dry_run: bool = False,
    actor: str = "cli",
    within: str | None = None,
) -> BillImport:
    """Check ``path``'s bills and store the accepted ones (nothing when ``dry_run``).

    ``within``: the importing user's region; a patient outside it is rejected.
    Raises FileError (Chinese first) when no row can be accepted.
    """
    code = jurisdictions.resolve(jurisdiction).code
    data = path.read_bytes()
    checksum = hashlib.sha256(data).hexdigest()
    encoding, rows = read_file(data)
    report = BillImport(
        path.name, checksum, encoding, code, len(rows), dry_run=dry_run, actor=actor
    )
    with database.transaction() as con:
        done = db.scalar(
            con,
            "SELECT id FROM registry_import_batch WHERE source = ? AND checksum = ?",
            (SOURCE, checksum),
        )
        if done is not None:
            report.already_imported, report.batch_id = True, int(done)
            return report
        _check(con, database, report, rows, regions.hukou_prefix(within or code))
        if not report.accepted:
            reasons = "；".join(r.zh() for r in report.rejected[:20]) or "文件中没有单据"
            raise FileError(
                f"没有可导入的单据，未写入任何数据：{reasons}",
                "no bill could be accepted; nothing was written",
            )
        if dry_run:
            return report
        report.batch_id = _insert_batch(con, database, report)
        _write(con, database, report)
        db.fault("bills")
    return report


def _check(
    con: Any,
    database: db.Database,
    report: BillImport,
    rows: Sequence[tuple[int, dict[str, str | None]]],
    prefix: str,
) -> None:
    """Sort the file's rows into accepted bills and rejected rows (nothing written)."""
    screened = []
    seen: dict[str, int] = {}
    for number, raw in rows:
        bill = _normalized(nhsa.read_bill(raw))
        bill_id = str(bill.get("bill_id") or "")
        if not bill_id:  # the engine would number it #1: a number no hospital gave it
            reason = "单据号为空：每张单据须有医院结算系统的单据号，不能补编"
            report.rejected.append(Rejected(number, "bill_id", "missing", "", reason))
            continue
        problems: list[tuple[str, str]] = []
        good, screened_out = settlement.screen_bills([bill])
        problems += [(p.field or "bill_id", p.reason) for p in screened_out]
        if bill_id in seen:
            problems.append(("bill_id", f"单据号 {bill_id} 与第 {seen[bill_id]} 行重复"))
        seen.setdefault(bill_id, number)
        if problems or not good:
            for column, reason in problems:
                value = str(raw.get(column) or "")
                report.rejected.append(Rejected(number, column, "invalid", value, reason))
            continue
        screened.append((number, good[0]))
    people = _people(con, database, [b["id_number"] for _, b in screened])
    known = _known_bills(con, database, [b["bill_id"] for _, b in screened])
    for number, bill in screened:
        person = people.get(bill["id_number"])
        if person is None:
            report.rejected.append(
                Rejected(
                    number,
                    "id_number",
                    "unknown_person",
                    bill["id_number"],
                    "登记库中没有此人，请先导入其名单",
                )
            )
        elif not person[1].startswith(prefix):
            report.rejected.append(
                Rejected(
                    number,
                    "id_number",
                    "outside",
                    bill["id_number"],
                    f"户籍区划 {person[1] or '（空）'} 不在 {report.jurisdiction} 的范围内",
                )
            )
        elif bill["bill_id"] in known:
            report.rejected.append(
                Rejected(
                    number,
                    "bill_id",
                    "duplicate",
                    bill["bill_id"],
                    f"单据号已于批次 {known[bill['bill_id']]} 导入，同一单据只结算一次",
                )
            )
        else:
            report.accepted.append(
                {**bill, "person_id": person[0], "county": person[1][:6], "row_number": number}
            )


def _staged(con: Any, database: db.Database, name: str, values: Iterable[str]) -> str:
    """``values`` in a temporary table of one column ``v``; its name (a constant of this
    module's, so that it may stand in SQL text)."""
    db.ingest(
        con,
        database,
        name,
        pa.table({"v": pa.array(sorted(set(values)), pa.string())}),
        temporary=True,
    )
    return name


def _people(con: Any, database: db.Database, numbers: list[str]) -> dict[str, tuple[int, str]]:
    """ID number → (person id, hukou region) for the numbers in the registry."""
    stage = _staged(con, database, "doudi_stage_bill_people", numbers)
    found = db.read(
        con,
        database,
        "registry_person",
        f"WHERE id_number IN (SELECT v FROM {stage})",
        columns=("id", "id_number", "hukou_region"),
    ).to_pylist()
    return {r["id_number"]: (int(r["id"]), r["hukou_region"] or "") for r in found}


def _known_bills(con: Any, database: db.Database, bill_ids: list[str]) -> dict[str, int]:
    """Bill number → the batch that imported it, for the numbers already stored."""
    stage = _staged(con, database, "doudi_stage_bill_ids", bill_ids)
    found = db.read(
        con,
        database,
        "registry_bill",
        f"WHERE bill_id IN (SELECT v FROM {stage})",
        columns=("bill_id", "batch_id"),
    ).to_pylist()
    return {r["bill_id"]: int(r["batch_id"]) for r in found}


def _insert_batch(con: Any, database: db.Database, report: BillImport) -> int:
    as_of = max(b["discharge_date"] for b in report.accepted)
    row = pa.table(
        {
            "source": [SOURCE],
            "file_name": [report.file_name],
            "checksum": [report.checksum],
            "as_of": pa.array([as_of], pa.date32()),
            "encoding": [report.encoding],
            "rows_read": pa.array([report.rows_read], pa.int32()),
            "rows_accepted": pa.array([len(report.accepted)], pa.int32()),
            "rows_rejected": pa.array([len(report.rejected)], pa.int32()),
            "people_added": pa.array([0], pa.int32()),
            "periods_opened": pa.array([0], pa.int32()),
            "periods_closed": pa.array([0], pa.int32()),
            "imported_by": [report.actor],
            "imported_at": pa.array([datetime.now(UTC)], pa.timestamp("us", tz="UTC")),
        }
    )
    db.ingest(con, database, "registry_import_batch", db.text_times(row, database))
    return int(
        db.scalar(
            con,
            "SELECT max(id) FROM registry_import_batch WHERE source = ? AND checksum = ?",
            (SOURCE, report.checksum),
        )
    )


def _write(con: Any, database: db.Database, report: BillImport) -> None:
    """The accepted bills, the counties they cover, the rejected rows and one audit row
    per bill."""
    bills = report.accepted
    n = len(bills)
    batch = pa.array([report.batch_id] * n, pa.int64())
    table = pa.table(
        {
            "person_id": pa.array([b["person_id"] for b in bills], pa.int64()),
            "jurisdiction": pa.array([report.jurisdiction] * n, pa.string()),
            **{
                name: pa.array(
                    [b[name] for b in bills], db.schema("registry_bill").field(name).type
                )
                for name in BILL_FIELDS
            },
            "batch_id": batch,
        }
    )
    db.ingest(con, database, "registry_bill", table)
    stored = db.read(  # the new bills' ids, for their audit rows
        con, database, "registry_bill", "WHERE batch_id = ?", (report.batch_id,), ("id", "bill_id")
    )
    ids = {r["bill_id"]: int(r["id"]) for r in stored.to_pylist()}
    counties = sorted({b["county"] for b in bills})  # whose auditors see the import
    db.ingest(
        con,
        database,
        "registry_import_scope",
        pa.table(
            {
                "batch_id": pa.array([report.batch_id] * len(counties), pa.int64()),
                "county": pa.array(counties, pa.string()),
            }
        ),
    )
    rejected = report.rejected
    db.ingest(
        con,
        database,
        "registry_rejected_row",
        pa.table(
            {
                "batch_id": pa.array([report.batch_id] * len(rejected), pa.int64()),
                "row_number": pa.array([r.row_number for r in rejected], pa.int32()),
                "column": pa.array([r.column for r in rejected], pa.string()),
                "code": pa.array([r.code for r in rejected], pa.string()),
                "value": pa.array([r.value for r in rejected], pa.string()),
                "reason": pa.array([r.reason for r in rejected], pa.string()),
            }
        ),
    )
    now = datetime.now(UTC)
    audit = pa.table(
        {
            "at": pa.array([now] * n, pa.timestamp("us", tz="UTC")),
            "actor": pa.array([report.actor] * n, pa.string()),
            "action": pa.array(["insert"] * n, pa.string()),
            "table_name": pa.array(["registry_bill"] * n, pa.string()),
            "row_id": pa.array([ids[b["bill_id"]] for b in bills], pa.int64()),
            "batch_id": batch,
            "detail": pa.array([f"住院结算单据 {b['bill_id']}" for b in bills], pa.string()),
        }
    )
    db.ingest(con, database, "registry_audit_log", db.text_times(audit, database))


def settle_person(
    bills: Sequence[Mapping[str, Any]], statuses: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """A person's stored bills through every payer, in discharge order.

    ``bills``: rows of registry_bill (``jurisdiction`` and ``BILL_FIELDS``);
    ``statuses``: the person's status periods (``id_number``, status, valid_from,
    valid_to, exit_date — the exit date only where the period is exit-marked, as the
    plan reads them). Bills of each settling jurisdiction are settled together, so
    deductibles and caps carry from one bill to the next of the same year.

    The answer is remembered per process for the same bills and statuses: settling
    takes DuckDB some 40 ms however few the bills, and a person page is opened again
    and again; a changed bill or status is another key.
    """
    key = (
        tuple(tuple(b[k] for k in (*BILL_FIELDS, "id_number", "jurisdiction")) for b in bills),
        tuple(tuple(s[k] for k in STATUS_KEYS) for s in statuses),
    )
    return copy.deepcopy(_settled(*key))


STATUS_KEYS = ("id_number", "status", "valid_from", "valid_to", "exit_date")


@lru_cache(maxsize=4096)
def _settled(
    bills: tuple[tuple[Any, ...], ...], statuses: tuple[tuple[Any, ...], ...]
) -> list[dict[str, Any]]:
    names = (*BILL_FIELDS, "id_number", "jurisdiction")
    ordered = sorted(
        (dict(zip(names, b, strict=True)) for b in bills),
        key=lambda b: (b["discharge_date"], b["admission_date"], b["bill_id"]),
    )
    periods = [dict(zip(STATUS_KEYS, s, strict=True)) for s in statuses]
    out: dict[str, dict[str, Any]] = {}
    for code in sorted({b["jurisdiction"] for b in ordered}):
        rows = [
            {**{k: b[k] for k in (*BILL_FIELDS, "id_number")}, "bill_no": i, "held": []}
            for i, b in enumerate(ordered)
            if b["jurisdiction"] == code
        ]
        for row, result in zip(rows, settlement.settle(code, rows, statuses=periods), strict=True):
            out[row["bill_id"]] = {
                **result,
                "jurisdiction": code,
                "discharge_date": row["discharge_date"],
                "admission_date": row["admission_date"],
                "hospital_level": row["hospital_level"],
            }
    return [out[b["bill_id"]] for b in ordered]


def status_rows(id_number: str, periods: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Registry status periods as the settlement rules read them (keyed by ID number)."""
    return [
        {
            "id_number": id_number,
            "status": p["status"],
            "valid_from": p["valid_from"],
            "valid_to": p["valid_to"],
            "exit_date": (p["exit_date"] or p["valid_from"]) if p["exit_marked"] else None,
        }
        for p in periods
    ]
