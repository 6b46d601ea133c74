"""The Excel export: text stays text (no formula from a roster name), sheet names are
valid, headers are Chinese, dates and money come back as they went in."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import fastexcel
import pyarrow as pa
import pytest

from doudi.store.workbook import (
    Sheet,
    looks_like_formula,
    rejected_workbook,
    sheet_name,
    write_workbook,
)
from support import read, read_typed, sheet_xml

INJECTION = '=HYPERLINK("http://x","点我")'


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        (INJECTION, True),
        ("+86 123", True),
        ("-1+2", True),
        ("@SUM(A1)", True),
        ("  =1+1", True),  # after leading spaces
        ("\u3000=1", True),  # after an ideographic space
        ("\t李", True),
        ("\r李", True),
        ("李=四", False),
        ("王小明", False),
        ("", False),
    ],
)
def test_looks_like_formula(text: str, formula: bool) -> None:
    assert looks_like_formula(text) is formula


def test_a_formula_name_is_saved_as_text(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    table = pa.table({"name": [INJECTION, "李四"], "id_number": ["360102199001010011", None]})
    write_workbook(path, [Sheet("名单", table, ["姓名", "公民身份号码"])])
    t = read(path)
    assert t.column_names == ["姓名", "公民身份号码"]
    # the name as the department wrote it, no apostrophe shown: Excel's quote prefix
    # (a cell style) keeps it text, also when a caseworker edits the cell
    assert t.column("姓名").to_pylist() == [INJECTION, "李四"]
    assert t.column("公民身份号码").to_pylist() == ["360102199001010011", None]
    xml = sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml  # no formula cell anywhere
    assert "<hyperlink" not in xml  # and no link object
    with zipfile.ZipFile(path) as z:
        assert 'quotePrefix="1"' in z.read("xl/styles.xml").decode("utf-8")


def test_dates_money_and_numbers_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    table = pa.table(
        {
            "death_date": pa.array([date(2024, 1, 15), None, date(1999, 12, 31)], pa.date32()),
            "amount": pa.array(
                [Decimal("1234.50"), Decimal("0.10"), Decimal("-3.33")], pa.decimal128(18, 2)
            ),
            "months": pa.array([5, 0, 12], pa.int32()),
            "receiving": [True, False, None],
        }
    )
    write_workbook(path, [Sheet("金额", table, ["死亡日期", "金额", "月数", "领取"])])
    t = read_typed(path)
    assert t.column("死亡日期").to_pylist()[0] in (date(2024, 1, 15), datetime(2024, 1, 15))
    assert t.column("死亡日期").to_pylist()[1] is None
    amounts = [Decimal(str(v)).quantize(Decimal("0.01")) for v in t.column("金额").to_pylist()]
    assert amounts == [Decimal("1234.50"), Decimal("0.10"), Decimal("-3.33")]
    assert t.column("月数").to_pylist() == [5, 0, 12]
    assert t.column("领取").to_pylist() == ["是", "否", None]
    xml = sheet_xml(path)
    styles = zipfile.ZipFile(path).read("xl/styles.xml").decode("utf-8")
    assert 'formatCode="yyyy-mm-dd"' in styles and 'formatCode="0.00"' in styles
    assert "<f>" not in xml
    assert '<pane ySplit="1"' in xml and "<autoFilter" in xml  # frozen header, filter


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("概况", "概况"),
        ("乡镇/村:明细[1]*?\\", "乡镇／村：明细［1］＊？＼"),
        ("'引号'", "引号"),
        ("一" * 40, "一" * 31),
        ("", "Sheet"),
        ("History", "History_"),
    ],
)
def test_sheet_name(title: str, expected: str) -> None:
    name = sheet_name(title)
    assert name == expected
    assert 0 < len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)


def test_sheet_names_are_unique(tmp_path: Path) -> None:
    used: set[str] = set()
    names = [sheet_name("一" * 40, used) for _ in range(3)]
    assert names == ["一" * 31, "一" * 28 + "(2)", "一" * 28 + "(3)"]
    path = tmp_path / "x.xlsx"
    empty = pa.table({"a": pa.array([], pa.string())})
    write_workbook(path, [Sheet("表/一", empty, ["甲"]), Sheet("表/一", empty, ["甲"])])
    assert fastexcel.read_excel(path).sheet_names == ["表／一", "表／一(2)"]


def test_header_count_must_match(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="列名"):
        write_workbook(tmp_path / "x.xlsx", [Sheet("表", pa.table({"a": [1]}), [])])


def test_rejected_workbook(tmp_path: Path) -> None:
    rows = pa.table(
        {
            "batch_id": [1, 1],
            "row_number": pa.array([5, 7], pa.int32()),
            "column": ["公民身份号码", "姓名"],
            "code": ["id_check", "missing"],
            "value": ["36010219900101001X", "-"],
            "reason": ["校验码错误，应为0", "姓名不能为空"],
        }
    )
    path = tmp_path / "rejected.xlsx"
    rejected_workbook(rows, path)
    t = read_typed(path)
    assert t.column_names == ["行号", "列", "原值", "原因"]
    assert t.column("行号").to_pylist() == [5, 7]
    assert t.column("原值").to_pylist() == ["36010219900101001X", "-"]  # "-": quote-prefixed
    with pytest.raises(ValueError, match="reason"):
        rejected_workbook(rows.drop_columns(["reason"]), path)
