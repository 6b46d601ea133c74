"""Uploads of department rosters and hospital bills: checked before anything is stored,
then imported by the worker (rosters.importing, bills.importing; dry run first).

The scan refuses, before the file touches the disk: a file over the size limit; a name
that is not .csv or .xlsx; a .xlsx that is not a well-formed Office Open XML package, has
macros (vbaProject.bin), external links, embedded objects, or would unpack to more than
50 times its size (a zip bomb); a .csv that holds NUL bytes (a binary file renamed) or is
not readable as UTF-8 or GB18030. The stored copy gets a name of its own; the
caseworker's file name is kept for the reports.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from doudi.bills import importing as bills
from doudi.bills.importing import BillImport
from doudi.core import idnumber, regions, textfile, vocab
from doudi.policy import jurisdictions
from doudi.rosters.importing import ImportReport
from doudi.rosters.sources import IMPORTED, SOURCES
from doudi.web.roles import mask_id

MAX_RATIO = 50
#: What can be uploaded: the departments' rosters, and the hospitals' bills (CSV).
LABELS = {
    **{k: SOURCES[k].label for k in IMPORTED},
    bills.SOURCE: "住院结算单据（医院结算系统导出，CSV）",
}
_FORBIDDEN_PARTS = re.compile(
    r"(vbaProject\.bin|externalLinks/|embeddings/|activeX/)", re.IGNORECASE
)


class UploadRejected(ValueError):
    """The upload is refused (Chinese reason); nothing was stored."""


def scan(name: str, data: bytes) -> str:
    """The file's kind ("csv" or "xlsx") if it may be stored; raises UploadRejected."""
    limit = int(settings.DOUDI_UPLOAD_MAX_BYTES)
    if len(data) > limit:
        raise UploadRejected(
            f"文件过大（{len(data) // 1024 // 1024} MB，上限 {limit // 1024 // 1024} MB）"
        )
    if not data:
        raise UploadRejected("文件为空")
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        _scan_xlsx(data)
        return "xlsx"
    if suffix == ".csv":
        _scan_csv(data)
        return "csv"
    raise UploadRejected(f"只接受 .xlsx 或 .csv 文件，实为「{suffix or '无扩展名'}」")


def _scan_xlsx(data: bytes) -> None:
    if not data.startswith(b"PK\x03\x04"):
        raise UploadRejected("不是有效的 Excel（.xlsx）文件")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            unpacked = sum(i.file_size for i in z.infolist())
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise UploadRejected("不是有效的 Excel（.xlsx）文件：缺少工作簿内容")
            bad = [n for n in names if _FORBIDDEN_PARTS.search(n)]
            if bad:
                raise UploadRejected(f"Excel 文件含有宏、外部链接或嵌入对象（{bad[0]}），已拒绝")
            if unpacked > MAX_RATIO * len(data) + 10_000_000:
                raise UploadRejected("Excel 文件解压后异常巨大，疑似压缩炸弹，已拒绝")
            if z.testzip() is not None:
                raise UploadRejected("Excel 文件已损坏")
    except zipfile.BadZipFile:
        raise UploadRejected("不是有效的 Excel（.xlsx）文件") from None


def _scan_csv(data: bytes) -> None:
    """A first look at an uploaded CSV before it is queued: text in an encoding the
    import reads (core.textfile says the same of the whole file later)."""
    head = data[:1_000_000]
    try:
        textfile.refuse_utf16(head)
    except textfile.FileError as exc:
        raise UploadRejected(exc.chinese) from None
    if b"\x00" in head:
        raise UploadRejected("CSV 文件含有二进制内容，不是文本文件")
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return
        except UnicodeDecodeError as exc:
            if exc.start > len(head) - 4:  # a character cut by the 1 MB window
                return
    raise UploadRejected("CSV 文件既不是 UTF-8 也不是 GBK/GB18030 编码")


def store(upload: UploadedFile) -> tuple[Path, str]:
    """Scan the upload, then store it under a fresh directory; (path, SHA-256)."""
    data = upload.read()
    name = Path(upload.name or "upload").name
    scan(name, data)
    safe = re.sub(r"[^\w.\-()（）]", "_", name)[:120] or "upload"
    directory = Path(settings.DOUDI_WORK_DIR) / "uploads" / uuid.uuid4().hex
    directory.mkdir(parents=True)
    path = directory / safe
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def job_params(
    upload: UploadedFile,
    source: str,
    as_of: str,
    region: str,
    *,
    mode: str | None = None,
    closing_region: str | None = None,
) -> dict[str, Any]:
    """Check an upload of ``source`` by a user of ``region`` and store it; the import
    job's parameters (a dry run). A roster needs its ``mode`` (snapshot or addendum:
    chosen, never assumed) and is imported for ``closing_region``, by default the
    user's region. Raises UploadRejected (nothing stored)."""
    if source not in LABELS:
        raise UploadRejected(f"未知的名单类别 {source!r}（可选：{'、'.join(LABELS)}）")
    params: dict[str, Any] = {
        "file_name": upload.name or "upload",
        "source": source,
        "as_of": as_of,
        "dry_run": True,
    }
    if source in IMPORTED:
        params |= roster_params(mode, closing_region or region, region)
    if source == bills.SOURCE:
        if not params["file_name"].lower().endswith(".csv"):
            raise UploadRejected("住院结算单据请上传 CSV 文件（UTF-8 或 GBK）")
        params["jurisdiction"] = bill_jurisdiction(region)
    path, checksum = store(upload)
    return {**params, "path": str(path), "checksum": checksum}


def roster_params(mode: str | None, closing_region: str, region: str) -> dict[str, Any]:
    """A roster import's mode and the region it closes in, checked: the mode one of the
    two, the region a real one within the user's ``region`` (rosters.closing)."""
    if mode not in vocab.IMPORT_MODE:
        choices = "或".join(f"“{label}”" for label in vocab.IMPORT_MODE.values())
        raise UploadRejected(f"请选择导入方式：{choices}")
    if regions.get(closing_region) is None:
        raise UploadRejected(
            f"请填写名单所属的导入区划（六位行政区划代码），实为「{closing_region}」"
        )
    if not closing_region.startswith(regions.hukou_prefix(region)):
        raise UploadRejected(f"导入区划 {closing_region} 不在您的管辖范围（{region}）内")
    return {"mode": mode, "region": closing_region, "confirm_closing": False}


def bill_jurisdiction(region: str) -> str:
    """Where the bills of a user of ``region`` are settled: their province, or their
    city where it has a policy of its own (Tangshan). A national account has none."""
    try:
        found = jurisdictions.resolve(region)
    except jurisdictions.UnknownJurisdiction:
        found = None
    if found is None or found.code == jurisdictions.NATIONAL:
        raise UploadRejected("住院单据按统筹地区结算：请用省、市或区县的账户导入")
    return found.code


#: Rows of a list a job's result carries for the API (the page reads them all from the
#: Parquet beside the job: web/job_rows.py).
RESULT_ROWS = 200
#: The files beside an import job: every refused row (masked) and every change (the
#: numbers whole: a page links each to the person's page, masking what it shows).
REJECTED_FILE = "rejected.parquet"
CHANGES_FILE = "changes.parquet"
_REJECTED = pa.schema(
    [
        ("row_number", pa.int64()),
        ("column", pa.string()),
        ("value", pa.string()),
        ("reason", pa.string()),
    ]
)


def _rows(table: pa.Table | None) -> list[dict[str, Any]]:
    if table is None:
        return []
    return [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
        for r in table.to_pylist()
    ]


def _kept(refused: list[dict[str, Any]], directory: Path) -> list[dict[str, Any]]:
    """Every refused row (masked) to the Parquet beside the job; the first for the
    job's result."""
    pq.write_table(pa.Table.from_pylist(refused, _REJECTED), directory / REJECTED_FILE)
    return refused[:RESULT_ROWS]


def report_json(report: ImportReport, directory: Path) -> dict[str, Any]:
    """What the preview and the result pages show of an import; the lists whole beside
    the job, their first rows in the result."""
    from doudi.store.workbook import rejected_workbook

    rejected = report.read.rejected
    if rejected.num_rows:
        rejected_workbook(rejected, directory / "rejected.xlsx")
    changes = report.changes
    if changes is not None:
        pq.write_table(changes, directory / CHANGES_FILE)
    changed = _rows(None if changes is None else changes.slice(0, RESULT_ROWS))
    for row in changed:
        row["change"] = vocab.PERIOD_CHANGE.label(row["change"])
        row["id_number"] = mask_id(str(row["id_number"]))
    refused = _rows(rejected)
    for row in refused:  # a number refused for its check digit is still a real one
        if row["code"].startswith(("id_", "duplicate")):
            row["value"] = mask_id(str(row["value"]))
        elif row["value"] is not None:  # a number typed into another column
            row["value"] = idnumber.mask_in_text(str(row["value"]))
    closing = report.closing
    by_kind = {} if changes is None else Counter(changes.column("change").to_pylist())
    return {
        "summary": report.summary_zh(warning=False),  # the warning has a place of its own
        "already_imported": report.already_imported,
        "dry_run": report.dry_run,
        "batch_id": report.batch_id,
        "rows_read": report.read.rows_read,
        "accepted": report.read.accepted.num_rows,
        "rejected_count": rejected.num_rows,
        "rejected": _kept(refused, directory),
        "changes_count": 0 if changes is None else changes.num_rows,
        # how many changes of each kind (open, close, change, remove): the page's summary
        "changes_by_kind": {k: by_kind[k] for k in vocab.PERIOD_CHANGE if k in by_kind},
        "changes": changed,
        "counties": report.counties,
        "people_added": report.people_added,
        "periods_opened": report.periods_opened,
        "periods_closed": report.periods_closed,
        "mode": None if closing is None else closing.mode,
        "region": None if closing is None else closing.region,
        **closing_json(report),
    }


def closing_json(report: ImportReport) -> dict[str, Any]:
    """The large-close guard's counts, its warning and the words the caseworker ticks
    (rosters.guard); only ``needs_confirmation`` (false) when the import needs none."""
    check = report.closing_check
    if check is None or not report.needs_confirmation:
        return {"needs_confirmation": False}
    return {
        "needs_confirmation": True,
        "closing": {
            "people": check.closing,
            "open_before": check.open_before,
            "outside": check.outside,
            "limit": str(check.limit),
        },
        "closing_warning": report.closing_warning_zh(),
        "confirmation": report.confirmation_zh(),
    }


def bills_json(report: BillImport, directory: Path) -> dict[str, Any]:
    """What the preview and the result pages show of a bill import; the refused rows
    whole beside the job, their first in the result."""
    refused = [
        {
            "row_number": r.row_number,
            "column": r.column,
            "code": r.code,
            "value": mask_id(r.value) if r.field == "id_number" else idnumber.mask_in_text(r.value),
            "reason": idnumber.mask_in_text(r.reason),  # a reason may quote the cell
        }
        for r in report.rejected
    ]
    return {
        "summary": report.summary_zh()[:1],  # its other lines are the rejected rows below
        "already_imported": report.already_imported,
        "dry_run": report.dry_run,
        "batch_id": report.batch_id,
        "rows_read": report.rows_read,
        "accepted": len(report.accepted),
        "rejected_count": len(report.rejected),
        "rejected": _kept(refused, directory),
        "changes_count": 0,
        "changes": [],
    }
