"""The comparison (信息比对) as a caseworker's workbook: 概况 first, then a sheet per finding."""

from __future__ import annotations

from pathlib import Path

from doudi.comparison.compare import FINDINGS, Comparison
from doudi.store.workbook import Sheet, headers_for, write_workbook

SUMMARY_TITLE = "概况"


def comparison_workbook(c: Comparison, path: Path) -> None:
    """The comparison as a workbook: 概况 (summary) first, then one sheet per finding."""
    sheets = [Sheet(SUMMARY_TITLE, c.summary, headers_for(c.summary))]
    for name, title in FINDINGS:
        table = c.finding(name)
        sheets.append(Sheet(title, table, headers_for(table)))
    write_workbook(path, sheets, title=f"{c.region_name}信息比对（截至{c.as_of.isoformat()}）")
