"""The comparison as a caseworker's workbook (comparison/workbook.py): 概况 first, a
sheet per finding, Chinese headers, text kept as text (a roster name is never a formula)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import fastexcel
import pyarrow as pa
import pytest
from test_compare import AS_OF, build_tables

from doudi.comparison.compare import FINDINGS, compare
from doudi.comparison.workbook import comparison_workbook
from support import cells, read, read_typed, sheet_xml

INJECTION = '=HYPERLINK("http://x","点我")'


def test_comparison_workbook(tmp_path: Path) -> None:
    tables = build_tables()
    people = tables["registry_person"]
    names = people.column("name").to_pylist()
    names[0] = INJECTION  # P1 李一, on the pension outreach list
    tables["registry_person"] = people.set_column(
        people.schema.get_field_index("name"), "name", pa.array(names, pa.string())
    )
    path = tmp_path / "比对.xlsx"
    comparison_workbook(compare(tables, "360102", AS_OF), path)

    reader = fastexcel.read_excel(path)
    assert reader.sheet_names == ["概况", *(title for _, title in FINDINGS)]
    summary = read_typed(path, "概况")
    assert summary.column_names[:6] == [
        "层级",
        "区划代码",
        "名称",
        "县(区)",
        "乡镇(街道)",
        "村(社区)",
    ]
    # a rate is the fraction shown as a percentage (issue #19 §6): 3 of 5 → 60.00%
    rate = summary.column_names.index("养老保险参保率")
    assert summary.column("养老保险参保率").to_pylist()[0] == 0.6
    assert cells(path, 1)[f"{chr(ord('A') + rate)}2"] == ("0.6", "0.00%")
    assert summary.column("区划代码").to_pylist()[0] == "360102"  # text, not a number

    outreach = read(path, "养老保险未参保")
    assert outreach.column_names == [
        "公民身份号码",
        "姓名",
        "县(区)代码",
        "县(区)",
        "乡镇(街道)",
        "村(社区)",
        "身份",
        "年龄",
    ]
    assert outreach.column("姓名").to_pylist() == [INJECTION, "李三"]  # quote-prefixed
    death = read_typed(path, "死亡冒领")
    assert death.column("死亡日期").to_pylist()[0] in (date(2024, 1, 15), datetime(2024, 1, 15))
    conflicts = read_typed(path, "姓名不一致")
    assert conflicts.column("相似度").to_pylist() == [pytest.approx(0.67)]
    for _, title in FINDINGS:  # every header is Chinese
        for header in read(path, title).column_names:
            assert re.search(r"[\u4e00-\u9fff]", header), (title, header)
    assert "<f>" not in sheet_xml(path)


def test_the_workbook_masks_every_id_number_issue_19_5(tmp_path: Path) -> None:
    """Masked everywhere, the full number only on the person page (audited): the
    people's numbers and the invalid or duplicate numbers as the departments wrote them."""
    tables = build_tables()
    path = tmp_path / "比对.xlsx"
    comparison_workbook(compare(tables, "360102", AS_OF), path)
    everything = sheet_xml(path) + "".join(
        str(v)
        for _, title in FINDINGS
        for col in read(path, title).columns
        for v in col.to_pylist()
    )
    numbers = tables["registry_person"].column("id_number").to_pylist()
    numbers += tables["registry_rejected_row"].column("value").to_pylist()
    assert not [n for n in numbers if len(n) > 8 and n in everything]
    outreach = read(path, "养老保险未参保").column("公民身份号码").to_pylist()
    assert outreach and all(re.fullmatch(r"3601\*{10}\d{4}", n) for n in outreach)
    invalid = read(path, "身份号码错误")
    assert invalid.column("原值").to_pylist() == ["3601**********0010", "3601**19X0"]
    assert invalid.column("行号").to_pylist() == ["5", "3"]  # the department finds the row
    assert read(path, "重复记录").column("原值").to_pylist() == ["3601**********0011"]
