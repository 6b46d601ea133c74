"""Rates in a workbook are numbers with a percent format (issue #19 §6): a column a
sheet names as percentages (Decimal hundredths, 93.01) is stored as the fraction
(0.9301) shown as ``0.00%`` — never text, never 93.01 shown as a plain number."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from doudi.store.workbook import Sheet, write_workbook
from support import cells, read_typed

RATES = pa.table(
    {
        "region_name": ["东湖区", "西湖区", "空村"],
        "pension_rate": pa.array([Decimal("93.01"), Decimal("66.67"), None], pa.decimal128(6, 2)),
        "poor": pa.array([100, 3, 0], pa.int64()),
    }
)


def test_a_percentage_column_is_the_fraction_with_a_percent_format(tmp_path: Path) -> None:
    path = tmp_path / "rates.xlsx"
    sheet = Sheet(
        "概况", RATES, ["名称", "养老保险参保率", "贫困人口"], frozenset({"pension_rate"})
    )
    write_workbook(path, [sheet])
    stored = cells(path)
    assert stored["B2"] == ("0.9301", "0.00%")  # Excel shows 93.01%
    assert stored["B3"] == ("0.6667", "0.00%")
    assert "B4" not in stored  # no rate where nobody is counted
    assert stored["C2"] == ("100", "0")  # other columns as before
    # a reader gets the rate as a number (no 93.01000000000001, no text)
    assert read_typed(path).column("养老保险参保率").to_pylist() == [0.9301, 0.6667, None]


def test_without_a_percent_format_a_decimal_stays_a_plain_number(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    write_workbook(path, [Sheet("概况", RATES, ["名称", "参保率", "贫困人口"])])
    # (stored as XlsxWriter writes a double: "93.01000000000001", the text the issue saw)
    assert cells(path)["B2"][1] == "0.00"


def test_a_percent_column_must_exist_and_be_decimal(tmp_path: Path) -> None:
    headers = ["名称", "参保率", "贫困人口"]
    with pytest.raises(ValueError, match="没有百分比列：rate"):
        write_workbook(tmp_path / "x.xlsx", [Sheet("概况", RATES, headers, frozenset({"rate"}))])
    with pytest.raises(ValueError, match="百分比列应为 Decimal"):
        write_workbook(tmp_path / "y.xlsx", [Sheet("概况", RATES, headers, frozenset({"poor"}))])
