"""Hospital bills into the registry, and their payer layers back out (issue #6).

``doudi bills FILE --jurisdiction 360000`` reads a hospital settlement system's export
(bills.reading), checks every row before anything is written — the row and the bill
itself (bills.screening: texts the registry can hold, engine.settlement's checks), its
patient in the registry, under the jurisdiction and alive on admission, its bill number
not seen before — and stores the accepted bills with their import batch and the
rejected rows (row number, column as the file's header names it, reason in Chinese with
ID numbers masked) in one transaction. The same file twice changes nothing.

The payer layers are computed when they are shown (``settle_person``): the settlement
rules over the person's bills of each year, in discharge order, with the status periods
the registry holds, so a deductible or cap met by an earlier bill carries to the later.
Readings in docs/registry.md ("Bills").
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import pyarrow as pa

from doudi.bills import cells, reading, screening
from doudi.bills.reading import BillsFile, read_file
from doudi.core import idnumber, regions, textfile
from doudi.core.money import fmt
from doudi.core.textfile import FileError
from doudi.engine import settlement
from doudi.policy import jurisdictions
from doudi.store import db

SOURCE = "bills"

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
    column: str  # the file's header (or the field's Chinese name)
    code: str
    value: str
    reason: str
    field: str = ""  # the engine's name of the cell (id_number …), for masking its value

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
    _check_actor(actor)
    read = read_file(data)
    report = BillImport(
        path.name, checksum, read.encoding, code, len(read.rows), dry_run=dry_run, actor=actor
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
        _check(con, database, report, read, regions.hukou_prefix(within or code))
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


def _check_actor(actor: str) -> None:
    """The user the batch and the audit rows name must fit their columns (a command
    line's --user of any length or with a NUL ended the import in PostgreSQL)."""
    limit = min(
        cells.text_limits("ImportBatch")["imported_by"], cells.text_limits("AuditLog")["actor"]
    )
    problem = cells.text_problem(actor, limit)
    if problem is not None:
        raise FileError(
            f"经办人（--user）{problem[1]}，未写入任何数据",
            "the user's name cannot be stored; nothing was written",
        )


def _check(
    con: Any, database: db.Database, report: BillImport, read: BillsFile, prefix: str
) -> None:
    """Sort the file's rows into accepted bills and rejected rows (nothing written)."""

    def reject(number: int, name: str, code: str, value: str, reason: str) -> None:
        report.rejected.append(_rejected(read, number, name, code, value, reason))

    screened = []
    seen: dict[str, int] = {}
    for number, raw in read.rows:
        bill, problems = screening.screen_row(read, number, raw, report.jurisdiction)
        bill_id = screening.cell(raw, "bill_id")
        if bill is not None and bill_id in seen:
            problems.append(("bill_id", "invalid", f"单据号 {bill_id} 与第 {seen[bill_id]} 行重复"))
        if bill_id:
            seen.setdefault(bill_id, number)
        for name, code, reason in problems:
            reject(number, name, code, screening.cell(raw, name), reason)
        if bill is not None and not problems:
            screened.append((number, bill))
    people = _people(con, database, [b["id_number"] for _, b in screened])
    known = _known_bills(con, database, [b["bill_id"] for _, b in screened])
    for number, bill in screened:
        person = people.get(bill["id_number"])
        if person is None:
            reject(
                number,
                "id_number",
                "unknown_person",
                bill["id_number"],
                "登记库中没有此人，请先导入其名单",
            )
        elif not person.region.startswith(prefix):
            reason = f"户籍区划 {person.region or '（空）'} 不在 {report.jurisdiction} 的范围内"
            reject(number, "id_number", "outside", bill["id_number"], reason)
        elif person.died and bill["admission_date"] > person.died:
            reason = f"入院日期 {bill['admission_date']} 晚于登记库中此人的死亡日期 {person.died}"
            reject(number, "admission_date", "after_death", str(bill["admission_date"]), reason)
        elif bill["bill_id"] in known:
            reason = f"单据号已于批次 {known[bill['bill_id']]} 导入，同一单据只结算一次"
            reject(number, "bill_id", "duplicate", bill["bill_id"], reason)
        else:
            report.accepted.append(
                {**bill, "person_id": person.id, "county": person.region[:6], "row_number": number}
            )


def _rejected(
    read: BillsFile, number: int, name: str, code: str, value: str, reason: str
) -> Rejected:
    """A rejected row as the report and the registry keep it: the column as the file's
    header names it (总费用, never total_cost), the cell in a form every database stores
    (a NUL as [U+0000]), the reason with any ID number in it masked (issue #19 §5: the
    report is seen by whoever imports; the cell itself stays, for the hospital to find)."""
    return Rejected(
        number,
        read.column(name),
        code,
        textfile.storable(value),
        idnumber.mask_in_text(reason),
        name,
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


class Patient(NamedTuple):
    id: int
    region: str  # hukou region
    died: date | None


def _people(con: Any, database: db.Database, numbers: list[str]) -> dict[str, Patient]:
    """ID number → the person in the registry, for the numbers it holds."""
    stage = _staged(con, database, "doudi_stage_bill_people", numbers)
    found = db.read(
        con,
        database,
        "registry_person",
        f"WHERE id_number IN (SELECT v FROM {stage})",
        columns=("id", "id_number", "hukou_region", "death_date"),
    ).to_pylist()
    return {
        r["id_number"]: Patient(int(r["id"]), r["hukou_region"] or "", r["death_date"])
        for r in found
    }


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
    deductibles and caps carry from one bill to the next of the same year. A stored
    bill the settlement cannot settle today comes back unsettled, with the reason
    (``unsettled_reason``; None on a settled bill; ``_through_payers``).

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
            {k: b[k] for k in (*BILL_FIELDS, "id_number")}
            for b in ordered
            if b["jurisdiction"] == code
        ]
        for row, result in zip(rows, _through_payers(code, rows, periods), strict=True):
            out[row["bill_id"]] = {
                **result,
                "jurisdiction": code,
                "discharge_date": row["discharge_date"],
                "admission_date": row["admission_date"],
                "hospital_level": row["hospital_level"],
            }
    return [out[b["bill_id"]] for b in ordered]


def _through_payers(
    code: str, bills: list[dict[str, Any]], periods: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The stored ``bills`` of the settling jurisdiction ``code`` (in discharge order)
    through every payer, each as settled or as why it is not.

    A bill stored before the bills' checks were tightened can be one the settlement
    cannot settle: discharged in a year without the jurisdiction's parameters (a 2016
    Jiangxi bill), with an amount beyond what it computes, a level or a disease it no
    longer takes. Settled with the others, it ended the person page and the API in a
    500 (issue #19 §4). So the stored bills go through the settlement's own checks
    again (engine.settlement.screen_bills, as an import does): a bill they refuse is
    shown with their reasons in Chinese, and the others are settled together without
    it, its deductible and cap left out as the settlement never counted it.
    """
    try:
        rows, problems = settlement.screen_bills(bills, code)
    except jurisdictions.UnknownJurisdiction as exc:  # a code no longer settled
        return [_unsettled(bill, [str(exc)]) for bill in bills]
    reasons: dict[str, list[str]] = {}
    for problem in problems:
        label = reading.LABELS.get(problem.field, problem.field)
        reasons.setdefault(problem.bill, []).append(f"{label}：{problem.reason}")
    settled = settlement.settle(code, rows, statuses=periods)
    by_bill = {
        row["bill_no"]: {**result, "unsettled_reason": None}
        for row, result in zip(rows, settled, strict=True)
    }
    return [
        by_bill.get(i) or _unsettled(bill, reasons[str(bill["bill_id"] or f"#{i + 1}")])
        for i, bill in enumerate(bills)
    ]


def _unsettled(bill: Mapping[str, Any], reasons: list[str]) -> dict[str, Any]:
    """A stored bill the settlement refuses: its cost as stored, no payer layers, and
    why (also as its explanation, which the person page shows under the bill)."""
    why = "本单据未结算：" + "；".join(reasons)
    return {
        "bill_id": bill["bill_id"],
        "total_cost": fmt(bill["total_cost"]),
        "layers": [],
        "basis": [],
        "unsettled_reason": why,
        "explanation": why,
    }


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
