"""The comparison (信息比对) as a caseworker's workbook: 概况 first, then a sheet per finding."""

from __future__ import annotations

from pathlib import Path

from doudi.comparison.compare import FINDINGS, Comparison
from doudi.comparison.masking import masked
from doudi.store.workbook import Sheet, headers_for, write_workbook

SUMMARY_TITLE = "概况"
#: The summary's coverage rates (Decimal percentages), shown as Excel percentages.
RATES = frozenset({"pension_rate", "medical_rate"})


def comparison_workbook(c: Comparison, path: Path) -> None:
    """The comparison as a workbook: 概况 (summary) first, then one sheet per finding,
    ID numbers masked (:mod:`doudi.comparison.masking`)."""
    sheets = [Sheet(SUMMARY_TITLE, c.summary, headers_for(c.summary), RATES)]
    for name, title in FINDINGS:
        table = masked(c.finding(name))
        sheets.append(Sheet(title, table, headers_for(table)))
    write_workbook(path, sheets, title=f"{c.region_name}信息比对（截至{c.as_of.isoformat()}）")
