"""A CSV line whose quotes do not pair up, or a line break inside a quoted cell, is
rejected with its row number, and the lines after it stay rows of their own (issue #19
§2: an unbalanced quote merged the next rows into one name — 3 rows in, "1 accepted",
two people gone and their periods closed by the next snapshot)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_id
from doudi.rosters.reading import read_roster

LI, WANG, ZHAO = (make_id("360102", f"19{y}0101", "005") for y in (80, 70, 60))
HEADER = "公民身份号码,姓名,纳入时间"
REASON = "第 2 行引号不成对或字段内含换行，已拒绝"


def read(tmp_path: Path, lines: list[str], end: str = "\n") -> object:
    path = tmp_path / "poverty.csv"
    path.write_bytes((end.join([HEADER, *lines]) + end).encode("gb18030"))
    return read_roster(path, "poverty")


@pytest.mark.parametrize("end", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_an_unbalanced_quote_rejects_its_row_and_swallows_none_after_it(tmp_path, end):
    roster = read(
        tmp_path,
        [f'{LI},"李梅,2017-06-01', f"{WANG},王强,2017-06-01", f"{ZHAO},赵六,2017-06-01"],
        end,
    )
    assert roster.accepted.select(["row_number", "name"]).to_pylist() == [
        {"row_number": 3, "name": "王强"},
        {"row_number": 4, "name": "赵六"},
    ]
    [refused] = roster.rejected.to_pylist()
    assert (refused["row_number"], refused["column"], refused["code"]) == (2, "整行", "quotes")
    assert refused["reason"].startswith(REASON)
    assert roster.rows_read == 3


def test_a_line_break_inside_a_quoted_cell_rejects_both_lines(tmp_path):
    roster = read(
        tmp_path,
        [f'{LI},"李\n梅",2017-06-01', f"{WANG},王强,2017-06-01", f'{ZHAO},"赵,六",2017-06-01'],
    )
    assert roster.accepted.select(["row_number", "name"]).to_pylist() == [
        {"row_number": 4, "name": "王强"},
        {"row_number": 5, "name": "赵,六"},  # a quoted comma stays what it was
    ]
    assert [(r["row_number"], r["code"]) for r in roster.rejected.to_pylist()] == [
        (2, "quotes"),
        (3, "quotes"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        f'{LI},李"梅,2017-06-01',  # a stray quote inside a name
        f'{LI}",李梅,2017-06-01',  # one after the number
        f'{LI},"李梅"",2017-06-01',  # a doubled quote leaves the cell open
        f'{LI},李"梅,"2017-06-01',  # an even count, the last cell left open
    ],
)
def test_every_kind_of_stray_quote_is_rejected_alone(tmp_path, line):
    roster = read(tmp_path, [line, f"{WANG},王强,2017-06-01"])
    assert [(r["row_number"], r["code"]) for r in roster.rejected.to_pylist()] == [(2, "quotes")]
    assert roster.accepted["name"].to_pylist() == ["王强"]


def test_quotes_that_pair_up_are_read_as_csv_quotes(tmp_path):
    roster = read(tmp_path, [f'"{LI}","李""梅""",2017-06-01', f'{WANG},"王,强",2017-06-01'])
    assert roster.rejected.num_rows == 0
    assert roster.accepted["name"].to_pylist() == ['李"梅"', "王,强"]


def test_a_too_long_rows_reason_masks_the_id_number_it_quotes(tmp_path):
    # issue #19 §5: the overflow cells were quoted in full
    roster = read(tmp_path, [f"{LI},李梅,2017-06-01,{WANG}", f"{ZHAO},赵六,2017-06-01"])
    [refused] = roster.rejected.to_pylist()
    assert refused["code"] == "columns" and WANG not in refused["reason"]
    assert f"「{WANG[:4]}**********{WANG[-4:]}」" in refused["reason"]
