"""A rejection reason never quotes an ID number in full (issue #19 §5): the reason of a
cell that holds one (an ID number typed into the date column, a shifted row) shows it
masked as every page does (first four, last four); the cell stays in ``value``."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from conftest import make_id
from doudi.core import idnumber
from doudi.rosters.reading import read_roster
from doudi.rosters.validation import masked_reasons

GOOD = make_id("360102", "19800512", "002")
STRAY = make_id("360102", "19700101", "005")  # typed into the date column


def test_a_reason_quoting_a_cell_masks_the_id_number_in_it(tmp_path: Path) -> None:
    path = tmp_path / "poverty.csv"
    table = pa.table(
        {"公民身份号码": [GOOD, make_id("360102", "19900101", "013")], "姓名": ["甲", "乙"]}
    )
    table = table.append_column("纳入时间", pa.array(["2017-06-01", STRAY]))
    pacsv.write_csv(table, path)
    rejected = read_roster(path, "poverty").rejected.to_pylist()
    assert [(r["row_number"], r["code"]) for r in rejected] == [(3, "date")]
    reason = rejected[0]["reason"]
    assert STRAY not in reason
    assert not re.search(r"[0-9]{15}", reason)
    assert "「3601**********0051」" in reason  # 360102197001010051: first 4, last 4
    assert STRAY[-4:] == "0051"
    assert rejected[0]["value"] == STRAY  # the department corrects its file by the cell


def test_masked_reasons_masks_18_and_15_digit_numbers_only() -> None:
    reasons = pa.array(
        [
            f"实为「{STRAY}」",
            "实为「360102700101005」",  # the old 15 digits
            "银行账号应为 8 至 32 位数字，实为「6228480402564890018X」",  # 19 digits + X
            "应为金额，实为「12345」",
            None,
        ]
    )
    assert masked_reasons(reasons).to_pylist() == [
        "实为「3601**********0051」",
        "实为「3601*******1005」",
        "银行账号应为 8 至 32 位数字，实为「6228480402564890018X」",
        "应为金额，实为「12345」",
        None,
    ]
    assert idnumber.mask(STRAY) == "3601**********0051"
