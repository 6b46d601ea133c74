"""The lists a job's result holds — an import's refused rows and the changes it makes, a
withholding file's people left out — a page at a time on the job's page and whole in an
export.

An import keeps its lists whole beside the job as Parquet (web/importing.py): a
snapshot's changes can run to a county's every person, more than a job's result (JSON
in the jobs database, answered whole by the API) should carry. A job without the file
(one that ran before the lists were kept, or a withholding file, whose people left out
are few) pages the rows its result holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from doudi.comparison.masking import masked
from doudi.core import vocab
from doudi.store.workbook import Sheet
from doudi.web import importing, people
from doudi.web.listing import Column, sheet
from doudi.web.models import Job
from doudi.web.roles import Scope
from doudi.web.stored_rows import ParquetRows
from doudi.web.worker import work_dir


@dataclass(frozen=True)
class JobList:
    """One list of a job kind's result: its Chinese title, its columns, the file beside
    the job that holds it whole (if any) and its key in the result."""

    kind: str
    title: str
    columns: tuple[Column, ...]
    key: str
    stored: str = ""


LISTS = {
    "rejected": JobList(
        "import",
        "未导入的行",
        (
            Column("row_number", "行号", pa.int64()),
            Column("column", "列"),
            Column("value", "原值"),
            Column("reason", "原因"),
        ),
        "rejected",
        importing.REJECTED_FILE,
    ),
    "changes": JobList(
        "import",
        "身份或参保开始、关闭的人员",
        (
            Column("id_number", "公民身份号码"),
            Column("name", "姓名"),
            Column("change", "变化"),
            Column("valid_from", "起", pa.date32()),
            Column("valid_to", "止", pa.date32()),
        ),
        "changes",
        importing.CHANGES_FILE,
    ),
    "left_out": JobList(
        "withhold",
        "未列入代扣文件的人员",
        (
            Column("id_number", "公民身份号码"),
            Column("name", "姓名"),
            Column("owed", "应缴（元）", pa.decimal128(18, 2)),
            Column("reason", "原因"),
        ),
        "left_out",
    ),
}


def _changes_shown(table: pa.Table) -> pa.Table:
    """An import's changes as a page shows them: numbers masked, the change in words,
    dates as text (as the result's rows have them)."""
    table = masked(table)
    words = [vocab.PERIOD_CHANGE.label(c) for c in table.column("change").to_pylist()]
    table = table.set_column(table.schema.get_field_index("change"), "change", pa.array(words))
    for name in ("valid_from", "valid_to"):
        text = [None if v is None else v.isoformat() for v in table.column(name).to_pylist()]
        table = table.set_column(
            table.schema.get_field_index(name), name, pa.array(text, pa.string())
        )
    return table


#: A list of a job: the Parquet beside it, or the rows of its result.
Rows = Sequence[dict[str, Any]] | ParquetRows


def rows(scope: Scope, job: Job, name: str, change: str = "") -> Rows:
    """The list ``name`` of the job, of one kind of change (``change``: an import's
    changes only; empty: all)."""
    spec = LISTS[name]
    path = work_dir(job) / spec.stored if spec.stored else None
    if path is None or not path.exists():
        return list(job.result.get(spec.key) or [])
    if name != "changes":
        return ParquetRows(path)

    def link(stored: pa.Table) -> list[int | None]:
        return people.pages(scope, stored.column("id_number").to_pylist())

    return ParquetRows(path, {"change": change}, _changes_shown, link)


def workbook_sheet(job: Job, name: str, found: Rows) -> Sheet:
    """The list as an export's sheet: every row, as the page shows them."""
    spec = LISTS[name]
    every = found.table().to_pylist() if isinstance(found, ParquetRows) else found
    return sheet(f"{spec.title}（任务 {job.pk}）", spec.columns, every)
