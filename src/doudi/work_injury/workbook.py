"""The work-injury findings as a caseworker's workbook: 概况 (the count of each list)
first, then one sheet per list with Chinese headers, sorted by county, township and
sector as the checks sort them, ID numbers masked as in the comparison's workbook (a
workbook is mailed and copied; the full number is on the audited person page)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from doudi.core import idnumber, vocab
from doudi.store.workbook import Sheet, write_workbook
from doudi.work_injury.checks import FINDINGS, Findings

SUMMARY_TITLE = "概况"

#: Headers of the columns :data:`doudi.core.vocab.FIELD` does not name.
HEADERS = {
    "sector": "行业",
    "project_id": "项目编号",
    "project_name": "项目名称",
    "contractor": "施工单位",
    "start_date": "开工日期",
    "insured_from": "工伤保险起保日期",
    "insured_to": "工伤保险终止日期",
    "workers_on_day": "名册在岗人数",
    "from_date": "进场日期",
    "case_id": "案件编号",
    "injury_date": "受伤日期",
    "recognition_date": "认定日期",
    "employer": "用人单位",
    "projects": "承建项目数",
    "claimed": "申请待遇金额（元）",
    "paid": "已先行支付（元）",
    "shortfall": "应付未付（元）",
    "recovered": "已追回（元）",
    "outstanding": "待追偿（元）",
    "last_paid_on": "最近支付日期",
    "position": "支付顺序",
    "poor_worker": "贫困劳动力",
    "finding": "名单",
    "rows": "条数",
    "explanation": "说明",
}


def summary(findings: Findings) -> pa.Table:
    """One row per list: its title and how many rows it has."""
    return pa.table(
        {
            "finding": pa.array([title for _, title in FINDINGS], pa.string()),
            "rows": pa.array([findings.finding(name).num_rows for name, _ in FINDINGS], pa.int64()),
        }
    )


def _masked(table: pa.Table) -> pa.Table:
    if "id_number" not in table.column_names:
        return table
    numbers = [None if v is None else idnumber.mask(v) for v in table["id_number"].to_pylist()]
    index = table.column_names.index("id_number")
    return table.set_column(index, "id_number", pa.array(numbers, pa.string()))


def findings_workbook(findings: Findings, region_name: str, path: Path) -> None:
    """Write the findings of ``region_name`` to an .xlsx at ``path``."""
    overview = summary(findings)
    sheets = [Sheet(SUMMARY_TITLE, overview, vocab.headers(overview.column_names, HEADERS))]
    for name, title in FINDINGS:
        table = _masked(findings.finding(name))
        sheets.append(Sheet(title, table, vocab.headers(table.column_names, HEADERS)))
    title = f"{region_name}工伤保险扶贫核查（截至{findings.as_of.isoformat()}）"
    write_workbook(path, sheets, title=title)
