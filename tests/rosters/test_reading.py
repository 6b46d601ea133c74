"""Reading department files (rosters/reading.py): encodings, headers, every rejection code
with its Chinese reason, row numbers as Excel shows them, and the vectorised ID-number
check against doudi.core.idnumber."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_id
from doudi.core import idnumber, regions
from doudi.core.textfile import FileError
from doudi.rosters.headers import normalize_header
from doudi.rosters.reading import accepted_schema, read_roster
from doudi.rosters.sources import SOURCES
from doudi.rosters.validation import check_id_numbers

GOOD = make_id("500102", "19650315", "012")  # 女 (2 is even)
GOOD2 = make_id("360121", "19800101", "031")  # 男
GOOD3 = make_id("130203", "19550505", "044")
GB_EXAMPLE = "11010519491231002X"  # GB 11643-1999's own example


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def rejected(read: Any) -> list[tuple[int, str, str, str, str]]:
    return [
        (r["row_number"], r["column"], r["code"], r["value"], r["reason"])
        for r in read.rejected.to_pylist()
    ]


def accepted(read: Any, *columns: str) -> list[tuple[Any, ...]]:
    return [tuple(r[c] for c in columns) for r in read.accepted.to_pylist()]


# --- encodings and headers -----------------------------------------------------------


def test_gbk_csv_with_title_row_and_header_alias(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "poverty.csv",
        [
            ["某某县2018年建档立卡贫困人口名单", "", "", ""],
            ["序号", "身份证号", "人员姓名", "识别时间"],
            ["1", GOOD, "张三", "2016-03-01"],
            ["2", GOOD2, "李四", "2015/7/1"],
        ],
        encoding="gbk",
    )
    read = read_roster(path, "poverty")
    assert read.encoding == "gb18030"
    assert read.header_row == 2
    assert read.header_map == {"身份证号": "id_number", "人员姓名": "name", "识别时间": "since"}
    assert read.rows_read == 2
    assert accepted(read, "row_number", "id_number", "name", "since") == [
        (3, GOOD, "张三", date(2016, 3, 1)),
        (4, GOOD2, "李四", date(2015, 7, 1)),
    ]
    assert read.rejected.num_rows == 0


def test_utf8_csv_with_bom_is_utf8_sig(tmp_path: Path) -> None:
    path = tmp_path / "dibao.csv"
    path.write_bytes(f"\ufeff公民身份号码,姓名\n{GOOD},王五\n".encode())
    read = read_roster(path, "dibao")
    assert read.encoding == "utf-8-sig"
    assert read.header_row == 1
    assert read.header_map == {"公民身份号码": "id_number", "姓名": "name"}
    assert accepted(read, "row_number", "name") == [(2, "王五")]


def test_plain_utf8_csv_and_checksum_of_the_file_bytes(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "tekun.csv", [["证件号码", "姓名"], [GOOD, "赵六"]])
    read = read_roster(path, "tekun")
    assert read.encoding == "utf-8"
    assert read.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
    assert read.source is SOURCES["tekun"]
    assert read.path == path


def test_tab_separated_csv_is_read(tmp_path: Path) -> None:
    path = tmp_path / "tekun.csv"
    path.write_text(f"身份证号码\t姓名\n{GOOD}\t赵六\n", encoding="utf-8")
    assert accepted(read_roster(path, "tekun"), "id_number", "name") == [(GOOD, "赵六")]


def test_headers_match_after_full_width_brackets_spaces_and_required_markers(
    tmp_path: Path,
) -> None:
    headers = ["公民身份号码（必填）", "* 姓 名", "乡镇（街道）", "村(社区)*", "行政区划代码 "]
    path = write_csv(
        tmp_path / "dibao.csv",
        [headers, [GOOD, "张三", "城关镇", "东街社区", " 500102 "]],
    )
    read = read_roster(path, "dibao")
    assert read.header_map == dict(
        zip(headers, ["id_number", "name", "township", "village", "region_code"], strict=True)
    )
    assert accepted(read, "township", "village", "region_code") == [
        ("城关镇", "东街社区", "500102")
    ]


def test_normalize_header_forms() -> None:
    assert normalize_header("身份证号（必填）") == "身份证号"
    assert normalize_header(" *身 份 证 号* ") == "身份证号"
    assert normalize_header("乡镇（街道）") == "乡镇(街道)"
    assert normalize_header("ＩＤ") == "ID"


def test_unknown_extra_columns_are_ignored_and_not_in_header_map(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "dibao.csv",
        [["序号", "身份证号码", "姓名", "家庭人口", "备注"], ["1", GOOD, "张三", "3", "无"]],
    )
    read = read_roster(path, "dibao")
    assert read.header_map == {"身份证号码": "id_number", "姓名": "name"}
    assert "备注" not in read.accepted.column_names


def test_label_wins_over_alias_when_two_headers_name_one_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "poverty.csv",
        [["户主姓名", "身份证号码", "姓名"], ["张大", GOOD, "张小"]],
    )
    read = read_roster(path, "poverty")
    assert read.header_map == {"身份证号码": "id_number", "姓名": "name"}
    assert accepted(read, "name") == [("张小",)]


def test_same_header_twice_is_an_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["身份证号", "姓名", "身份证号"], [GOOD, "张三", GOOD]])
    with pytest.raises(FileError, match="「身份证号」出现了两次（A 列和 C 列）"):
        read_roster(path, "dibao")


def test_columns_the_file_lacks_are_null_and_types_are_exact(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [["身份证号", "姓名"], [GOOD, "张三"]])
    read = read_roster(path, "poverty")
    assert read.accepted.schema == accepted_schema(SOURCES["poverty"])
    assert read.accepted.schema.names == [
        "row_number",
        "id_number",
        "name",
        "region_code",
        "township",
        "village",
        "since",
        "exit_marked",
        "exit_date",
        "sex",
        "birth_date",
        "upgraded_from_15",
    ]
    row = read.accepted.to_pylist()[0]
    assert row["since"] is None and row["exit_marked"] is None and row["region_code"] is None
    assert (row["sex"], row["birth_date"], row["upgraded_from_15"]) == (
        "F",
        date(1965, 3, 15),
        False,
    )
    assert read.rejected.schema.names == ["row_number", "column", "code", "value", "reason"]
    assert read.rejected.schema.field("row_number").type == pa.int32()
    pension = accepted_schema(SOURCES["resident_pension"])
    assert pension.field("contribution_tier").type == pa.decimal128(18, 2)
    assert pension.field("receiving").type == pa.bool_()
    assert accepted_schema(SOURCES["disability"]).field("disability_grade").type == pa.int8()
    assert accepted_schema(SOURCES["death"]).field("death_date").type == pa.date32()


# --- whole-file errors ---------------------------------------------------------------


def test_missing_required_column_error_names_label_and_aliases(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["身份证号", "住址"], [GOOD, "某村"]])
    with pytest.raises(FileError) as info:
        read_roster(path, "dibao")
    message = str(info.value)
    assert message.startswith("缺少必填列「姓名」（可用列名：人员姓名、户主姓名、参保人姓名）")
    assert "missing required column name" in message  # English after the Chinese


def test_missing_id_column_is_the_missing_required_column_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["姓名", "住址"], ["张三", "某村"]])
    with pytest.raises(FileError, match=r"^缺少必填列「公民身份号码」（可用列名：身份证号、"):
        read_roster(path, "dibao")


def test_id_header_below_row_ten_is_not_found(tmp_path: Path) -> None:
    rows = [[f"说明第{i}行", ""] for i in range(10)] + [["身份证号", "姓名"], [GOOD, "张三"]]
    with pytest.raises(FileError, match="缺少必填列「公民身份号码」"):
        read_roster(write_csv(tmp_path / "x.csv", rows), "dibao")


def test_missing_required_source_column_death_date(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["身份证号", "姓名"], [GOOD, "张三"]])
    with pytest.raises(FileError, match="缺少必填列「死亡日期」（可用列名：死亡时间）"):
        read_roster(path, "death")


def test_wrong_encoding_error_names_the_byte_offset(tmp_path: Path) -> None:
    head = f"身份证号,姓名\n{GOOD},张".encode("gbk")
    path = tmp_path / "x.csv"
    path.write_bytes(head + b"\xff\xfe\n")  # 0xFF is neither UTF-8 nor GB18030
    with pytest.raises(FileError) as info:
        read_roster(path, "dibao")
    assert f"第 {len(head)} 字节" in str(info.value)
    assert f"byte offset {len(head)}" in str(info.value)


def test_utf16_file_is_refused_with_how_to_save_it(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(f"身份证号\t姓名\n{GOOD}\t张三\n".encode("utf-16"))
    with pytest.raises(FileError, match="UTF-16"):
        read_roster(path, "dibao")


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"\n \n")
    with pytest.raises(FileError, match=r"^文件为空"):
        read_roster(path, "dibao")


@pytest.mark.parametrize("tail", ["", "\n", "\n,\n\n", "\n , \n"])
def test_header_without_data_rows_is_an_error(tmp_path: Path, tail: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text("标题,\n身份证号,姓名" + tail, encoding="utf-8")
    with pytest.raises(FileError, match=r"^表头（第 2 行）之后没有数据行"):
        read_roster(path, "dibao")


def test_corrupt_xlsx_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(FileError, match=r"^无法读取 Excel 文件 x\.xlsx"):
        read_roster(path, "dibao")


def test_unknown_source_is_an_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["身份证号", "姓名"], [GOOD, "张三"]])
    with pytest.raises(FileError, match=r"^未知的名单来源「lowincome」"):
        read_roster(path, "lowincome")


def test_legacy_xls_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(FileError, match=r"不支持旧版 Excel（\.xls）"):
        read_roster(path, "dibao")


# --- ID numbers ------------------------------------------------------------------------


def test_full_width_digits_spaces_and_lower_case_x_are_normalized(tmp_path: Path) -> None:
    written = "１１０１０５ １９４９ １２３１ ００２ｘ"
    path = write_csv(
        tmp_path / "x.csv",
        [["身份证号", "姓名"], [written, "张　三"], [" 110105 19491231002x", "张 三"]],
    )
    read = read_roster(path, "dibao")
    assert accepted(read, "row_number", "id_number", "name") == [(2, GB_EXAMPLE, "张三")]
    # the second row is the same row written another way
    assert rejected(read) == [
        (3, "身份证号", "duplicate", " 110105 19491231002x", "与第 2 行身份证号重复")
    ]


def test_fifteen_digit_id_is_upgraded_and_flagged(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["身份证号", "姓名"], ["110105491231002", "张三"]])
    read = read_roster(path, "dibao")
    assert accepted(read, "id_number", "upgraded_from_15", "birth_date", "sex") == [
        (GB_EXAMPLE, True, date(1949, 12, 31), "F")
    ]


def test_sex_and_birth_date_come_from_the_id_number(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["身份证号", "姓名"], [GOOD2, "男"], [GOOD, "女"]])
    assert accepted(read_roster(path, "dibao"), "sex", "birth_date") == [
        ("M", date(1980, 1, 1)),
        ("F", date(1965, 3, 15)),
    ]


# --- rejection codes -------------------------------------------------------------------


ID_CASES = [
    ("", "missing", "必填项「公民身份号码」为空"),
    ("1101051949123100", "id_length", "身份证号应为18位（或旧版15位），实为 16 位"),
    ("1.10105E+17", "id_length", "疑似被 Excel 存成了科学计数法"),
    ("11010519491231O02X", "id_chars", "第 15 位「O」不是数字（前17位应为数字）"),
    ("11010519491231002Y", "id_chars", "末位「Y」应为数字或X"),
    ("11010549123100A", "id_chars", "第 15 位「A」不是数字（15位旧号码应全部为数字）"),
    (make_id("990101", "19800101"), "id_region", "地址码 990101 无效：省级代码 99 不存在"),
    (make_id("110105", "19801305"), "id_date", "出生日期 1980-13-05 不存在"),
    (make_id("110105", "20990101"), "id_date", "出生日期 2099-01-01 不在合理范围内（1900 年至今）"),
    ("110105194912310023", "id_check", "校验码应为 X，实为 3"),
    ("110105194912310000", "id_check", "校验码应为 3，实为 0（末三位为 000，疑似被 Excel"),
]


@pytest.mark.parametrize(("value", "code", "reason"), ID_CASES)
def test_id_number_rejection_codes_and_reasons(
    tmp_path: Path, value: str, code: str, reason: str
) -> None:
    path = write_csv(tmp_path / "x.csv", [["身份证号", "姓名"], [GOOD, "好人"], [value, "张三"]])
    read = read_roster(path, "dibao")
    assert accepted(read, "row_number") == [(2,)]
    [(row, column, got_code, got_value, got_reason)] = rejected(read)
    assert (row, column, got_code, got_value) == (3, "身份证号", code, value)
    assert reason in got_reason


CELL_CASES = [
    # (source, header, cell, code, reason)
    ("poverty", "纳入时间", "2018-02-30", "date", "日期 2018-02-30 不存在"),
    ("poverty", "纳入时间", "2018年13月1日", "date", "日期 2018-13-01 不存在"),
    ("poverty", "纳入时间", "去年", "date", "无法识别的日期「去年」（可写作 2018-03-31"),
    ("poverty", "纳入时间", "2017", "date", "无法识别的日期「2017」"),  # a bare year: exit only
    (
        "poverty",
        "纳入时间",
        "1018-03-31",
        "date",
        "日期 1018-03-31 超出合理范围（1900 至 2099 年）",
    ),
    (
        "poverty",
        "是否标注脱贫",
        "可能",
        "yes_no",
        "应填“是”或“否”（也可写 Y/N、1/0、已脱贫/未脱贫），实为「可能」",
    ),
    ("disability", "残疾等级", "五级", "grade", "残疾等级应为一级至四级（或 1–4），实为「五级」"),
    ("disability", "残疾等级", "三级", "not_severe", "残疾等级三级，不属于重度残疾（一、二级）"),
    ("disability", "残疾等级", "4", "not_severe", "残疾等级四级，不属于重度残疾（一、二级）"),
    ("disability", "残疾等级", "", "missing", "必填项「残疾等级」为空"),
    (
        "resident_pension",
        "缴费档次",
        "一百",
        "decimal",
        "应为金额（元，最多两位小数，如 100 或 100.00），实为「一百」",
    ),
    ("resident_pension", "缴费档次", "100.005", "decimal", "实为「100.005」"),
    ("resident_pension", "是否领取待遇", "领", "yes_no", "实为「领」"),
    ("death", "死亡日期", "", "missing", "必填项「死亡日期」为空"),
    ("resident_pension", "银行账号", "6217-00", "account", "银行账号应为 8 至 32 位数字"),
    ("resident_pension", "银行卡号", "62170000ABC", "account", "实为「62170000ABC」"),
    ("resident_pension", "银行账号", "6.21700E+18", "account", "疑似被 Excel 存成了科学计数法"),
    ("dibao", "乡镇(街道)", "城关\x00镇", "control", "含有不可见的控制字符（U+0000）"),
    ("dibao", "村(社区)", "村" * 65, "too_long", "最多 64 个字符，实为 65 个"),
    ("dibao", "行政区划代码", "5001", "region", "应为 6 位（或 9 位、12 位）数字，实为「5001」"),
    (
        "poverty",
        "纳入时间",
        "1965-03-14",
        "before_birth",
        "早于公民身份号码中的出生日期 1965-03-15",
    ),
]


@pytest.mark.parametrize(("source", "header", "cell", "code", "reason"), CELL_CASES)
def test_cell_rejection_codes_and_reasons(
    tmp_path: Path, source: str, header: str, cell: str, code: str, reason: str
) -> None:
    path = write_csv(tmp_path / "x.csv", [["身份证号", "姓名", header], [GOOD, "张三", cell]])
    read = read_roster(path, source)
    assert read.accepted.num_rows == 0
    [(row, column, got_code, value, got_reason)] = rejected(read)
    assert (row, column, got_code, value) == (2, header, code, cell)
    assert reason in got_reason


def test_every_rejection_code_is_covered() -> None:
    from doudi.rosters.rejections import CODES

    covered = {c for _, c, _ in ID_CASES} | {c for *_, c, _ in CELL_CASES}
    covered |= {"duplicate", "columns"}  # tests below
    covered |= {"quotes"}  # tests/rosters/test_quotes.py
    covered |= {"before_entry"}  # tests/rosters/test_cell_limits.py
    covered |= {"tier"}  # tests/rosters/test_tier_import.py (the import's, with its date)
    covered |= {"not_qualifying"}  # tests/rosters/test_new_sources.py (veterans)
    covered |= {"count", "out_of_range", "choice"}  # tests/rosters/test_record_sources.py
    assert covered == set(CODES)


def test_row_with_several_problems_gets_one_record_each_and_is_not_accepted(
    tmp_path: Path,
) -> None:
    path = write_csv(
        tmp_path / "x.csv",
        [
            ["身份证号", "姓名", "纳入时间", "是否标注脱贫", "脱贫时间"],
            ["110105194912310023", "", "2018-02-30", "可能", "2017"],
            [GOOD, "张三", "2017-03-31", "是", "2017"],
        ],
    )
    read = read_roster(path, "poverty")
    assert [(r[0], r[1], r[2]) for r in rejected(read)] == [
        (2, "身份证号", "id_check"),
        (2, "姓名", "missing"),
        (2, "纳入时间", "date"),
        (2, "是否标注脱贫", "yes_no"),
    ]
    assert accepted(read, "row_number") == [(3,)]
    assert read.rows_read == 2


def test_duplicate_ids_copies_leave_the_first_row_and_differing_rows_are_all_held_back(
    tmp_path: Path,
) -> None:
    # issue #19 §2: the first row used to win silently over a row with other data
    path = write_csv(
        tmp_path / "x.csv",
        [
            ["标题", ""],
            ["身份证号", "姓名"],
            [GOOD, "张三"],
            [GOOD2, "李四"],
            [GOOD.lower(), "张三"],
            ["110105491231002", "王五"],
            [GB_EXAMPLE, "王五"],  # the 18-digit form of the 15-digit number above
            [GOOD, "张三丰"],
        ],
    )
    read = read_roster(path, "dibao")
    assert accepted(read, "row_number") == [(4,), (6,)]
    held = "身份证号相同但内容不同，这 3 行均未导入"
    assert rejected(read) == [
        (3, "身份证号", "duplicate", GOOD, f"与第 5、8 行{held}"),
        (5, "身份证号", "duplicate", GOOD.lower(), f"与第 3、8 行{held}"),
        (7, "身份证号", "duplicate", GB_EXAMPLE, "与第 6 行身份证号重复"),
        (8, "身份证号", "duplicate", GOOD, f"与第 3、5 行{held}"),
    ]


def test_a_valid_row_whose_number_a_rejected_row_has_is_accepted(
    tmp_path: Path,
) -> None:
    # issue #19 §2: the valid row was dropped as a duplicate of the rejected one
    path = write_csv(
        tmp_path / "x.csv",
        [
            ["身份证号", "姓名", "纳入时间"],
            [GOOD, "张三", "2018-02-30"],
            [GOOD, "张三", "2018-03-01"],
        ],
    )
    read = read_roster(path, "dibao")
    assert accepted(read, "row_number") == [(3,)]
    assert [(r[0], r[2]) for r in rejected(read)] == [(2, "date")]


# --- cell formats -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "2018-03-31",
        "2018/3/31",
        "2018.3.31",
        "20180331",
        "2018年3月31日",
        "２０１８年３月３１日",
        "2018-03-31 00:00:00",
        " 2018-3-31 ",
    ],
)
def test_date_formats_are_read(tmp_path: Path, written: str) -> None:
    path = write_csv(
        tmp_path / "x.csv", [["身份证号", "姓名", "纳入时间"], [GOOD, "张三", written]]
    )
    assert accepted(read_roster(path, "dibao"), "since") == [(date(2018, 3, 31),)]


@pytest.mark.parametrize("written", ["2017", "2017年", "２０１７"])
def test_exit_date_bare_year_is_read_as_31_december(tmp_path: Path, written: str) -> None:
    path = write_csv(
        tmp_path / "x.csv",
        [["身份证号", "姓名", "是否脱贫", "脱贫年份"], [GOOD, "张三", "是", written]],
    )
    assert accepted(read_roster(path, "poverty"), "exit_marked", "exit_date") == [
        (True, date(2017, 12, 31))
    ]


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("1", True),
        ("0", False),
        ("已脱贫", True),
        ("未脱贫", False),
        ("", None),
    ],
)
def test_yes_no_values(tmp_path: Path, written: str, value: bool | None) -> None:
    path = write_csv(
        tmp_path / "x.csv", [["身份证号", "姓名", "是否标注脱贫"], [GOOD, "张三", written]]
    )
    assert accepted(read_roster(path, "poverty"), "exit_marked") == [(value,)]


@pytest.mark.parametrize(
    ("written", "grade"), [("一级", 1), ("二级", 2), ("1", 1), ("2", 2), ("一", 1), ("二", 2)]
)
def test_severe_disability_grades(tmp_path: Path, written: str, grade: int) -> None:
    path = write_csv(
        tmp_path / "x.csv", [["身份证号", "姓名", "残疾等级"], [GOOD, "张三", written]]
    )
    assert accepted(read_roster(path, "disability"), "disability_grade") == [(grade,)]


def test_resident_pension_tier_and_receiving(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "x.csv",
        [
            ["身份证号", "姓名", "参保时间", "缴费档次", "是否领取待遇"],
            [GOOD, "张三", "2015-01-01", "100", "否"],
            [GOOD2, "李四", "2015-01-01", "1,000.50元", "是"],
            [GOOD3, "王五", "2015-01-01", "", ""],
        ],
    )
    read = read_roster(path, "resident_pension")
    assert accepted(read, "contribution_tier", "receiving") == [
        (Decimal("100.00"), False),
        (Decimal("1000.50"), True),
        (None, None),
    ]


def test_death_list(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "x.csv", [["身份证号", "姓名", "死亡时间"], [GOOD, "张三", "2018.5.6"]]
    )
    assert accepted(read_roster(path, "death"), "death_date") == [(date(2018, 5, 6),)]


# --- row numbers --------------------------------------------------------------------------


def test_exact_row_numbers_with_titles_blank_lines_line_breaks_and_ragged_rows(
    tmp_path: Path,
) -> None:
    bad = GB_EXAMPLE[:17] + "3"
    text = (
        "某某县特困供养人员名单\n"  # row 1: title
        "\n"  # row 2: empty
        "序号,身份证号码,姓名,村(社区)\n"  # row 3: header
        f"1,{GOOD},张三,东村\n"  # row 4
        "\n"  # row 5: blank, skipped
        f'2,{GOOD2},李四,"一组\n二组"\n'  # rows 6, 7: a line break in a cell, refused
        f"3,{GOOD3},王五,西村\n"  # row 8
        "合计：3 人\n"  # row 9: a short row, padded: no ID, no name
        f"4,{make_id('110105', '19700101')},张,三,北村\n"  # row 10: unquoted comma
        f"5,{bad},赵六,南村,\n"  # row 11: one empty extra cell is fine
    )
    path = tmp_path / "tekun.csv"
    path.write_text(text, encoding="utf-8")
    read = read_roster(path, "tekun")
    assert read.header_row == 3
    assert accepted(read, "row_number", "village") == [(4, "东村"), (8, "西村")]
    got = rejected(read)
    assert [(r[0], r[1], r[2]) for r in got] == [
        (6, "整行", "quotes"),
        (7, "整行", "quotes"),
        (9, "身份证号码", "missing"),
        (9, "姓名", "missing"),
        (10, "第 5 列起", "columns"),
        (11, "身份证号码", "id_check"),
    ]
    assert got[4][4].startswith("本行有 5 列，表头只有 4 列，多出内容「北村」")
    assert read.rows_read == 7  # rows 4, 6, 7, 8, 9, 10, 11


def test_blank_rows_are_skipped_and_not_counted(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "x.csv",
        [
            ["身份证号", "姓名", "备注"],
            [GOOD, "张三", ""],
            ["", " ", ""],
            ["", "", ""],
            [GOOD2, "李四", ""],
        ],
    )
    read = read_roster(path, "dibao")
    assert read.rows_read == 2
    assert accepted(read, "row_number") == [(2,), (5,)]


def test_row_with_only_a_note_is_rejected_not_skipped(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "x.csv",
        [["身份证号", "姓名", "备注"], [GOOD, "张三", ""], ["", "", "制表人：李"]],
    )
    read = read_roster(path, "dibao")
    assert [(r[0], r[2]) for r in rejected(read)] == [(3, "missing"), (3, "missing")]


# --- Excel ---------------------------------------------------------------------------------


def write_xlsx(path: Path) -> Path:
    """A workbook as counties get them: an instructions sheet first; the list with an empty
    first row, a title, the header in row 3 starting in column B, date cells."""
    book = xlsxwriter.Workbook(str(path))
    notes = book.add_worksheet("填表说明")
    notes.write(0, 0, "请按模板填写，身份证号列设为文本格式")
    sheet = book.add_worksheet("名单")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write(1, 1, "某某县重度残疾人名单")
    sheet.write_row(2, 1, ["序号", "公民身份号码", "姓名", "残疾等级", "纳入时间"])
    sheet.write_row(3, 1, [1, GOOD, "张三", 1])
    sheet.write_datetime(3, 5, datetime(2018, 3, 31), day)
    sheet.write_row(4, 1, [2, "110105491231002", "李四", "二级", "2018/4/1"])
    # row 6 left empty
    sheet.write_row(6, 1, [3, GOOD2, "王五", 3, 43190])  # grade 3; a date serial number
    sheet.write_row(7, 1, [4, 110105194912310021, "赵六", 2, "2018-01-01"])  # ID as a number
    book.close()
    return path


def test_xlsx_sheet_with_title_rows_date_cells_and_numbers(tmp_path: Path) -> None:
    read = read_roster(write_xlsx(tmp_path / "disability.xlsx"), "disability")
    assert read.encoding == "xlsx"
    assert read.header_row == 3
    assert read.header_map == {
        "公民身份号码": "id_number",
        "姓名": "name",
        "残疾等级": "disability_grade",
        "纳入时间": "since",
    }
    assert accepted(read, "row_number", "id_number", "disability_grade", "since") == [
        (4, GOOD, 1, date(2018, 3, 31)),
        (5, GB_EXAMPLE, 2, date(2018, 4, 1)),
    ]
    got = rejected(read)
    assert [(r[0], r[2]) for r in got] == [(7, "not_severe"), (8, "id_check")]
    assert "疑似被 Excel 当作数字保存" in got[1][4]
    assert read.rows_read == 4


def test_xlsx_date_serial_number_is_a_date(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["身份证号", "姓名", "纳入时间"])
    sheet.write_row(1, 0, [GOOD, "张三", 43190])
    book.close()
    assert accepted(read_roster(tmp_path / "x.xlsx", "dibao"), "since") == [(date(2018, 3, 31),)]


def test_xlsx_without_id_header_is_an_error(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    book.add_worksheet().write_row(0, 0, ["姓名", "住址"])
    book.close()
    with pytest.raises(FileError, match="缺少必填列「公民身份号码」"):
        read_roster(tmp_path / "x.xlsx", "dibao")


# --- the vectorised ID check agrees with doudi.core.idnumber ---------------------------------

PROVINCES = [f"{p:02d}" for p in range(100) if regions.get(f"{p:02d}0000")]
NOISE = "0123456789Xx０１９ｘＸ -/AO中\u3000\t٩"


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    born = draw(st.dates(date(1900, 1, 1), date.today()))
    first17 = (
        draw(st.sampled_from(PROVINCES))
        + draw(st.text("0123456789", min_size=4, max_size=4))
        + born.strftime("%Y%m%d")
        + draw(st.text("0123456789", min_size=3, max_size=3))
    )
    value = first17 + idnumber.check_character(first17)
    if born.year < 2000 and draw(st.booleans()):
        value = first17[:6] + first17[8:]  # the 15-digit form
    if draw(st.booleans()):
        value = value.lower()
    if draw(st.booleans()):
        value = value.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(value)))
        value = value[:at] + draw(st.sampled_from([" ", "\u3000", "\t"])) + value[at:]
    return value


@st.composite
def broken_ids(draw: st.DrawFn) -> str:
    value = draw(valid_ids())
    at = draw(st.integers(0, max(len(value) - 1, 0)))
    char = draw(st.sampled_from(NOISE))
    edit = draw(st.sampled_from(["replace", "insert", "delete", "check", "date", "province"]))
    if edit == "replace":
        return value[:at] + char + value[at + 1 :]
    if edit == "insert":
        return value[:at] + char + value[at:]
    if edit == "delete":
        return value[:at] + value[at + 1 :]
    digits = idnumber.normalize(value)
    if len(digits) != 18:
        return digits[:-1]
    if edit == "check":
        wrong = draw(st.sampled_from([c for c in "0123456789X" if c != digits[17]]))
        return digits[:17] + wrong
    if edit == "date":  # a valid check character over an impossible or future birth date
        birth = draw(st.sampled_from(["19801305", "19800230", "18991231", "20990101"]))
        first17 = digits[:6] + birth + digits[14:17]
    else:
        first17 = draw(st.sampled_from(["00", "99", "20", "72"])) + digits[2:17]
    return first17 + idnumber.check_character(first17)


def idnumber_code(value: str) -> str | None:
    """The rejection code doudi.core.idnumber's message corresponds to."""
    if idnumber.normalize(value) == "":
        return "missing"
    try:
        idnumber.parse(value)
    except idnumber.IdNumberError as exc:
        message = str(exc)
        for marker, code in [
            ("长度", "id_length"),
            ("应全部为数字", "id_chars"),
            ("前17位应为数字", "id_chars"),
            ("地址码", "id_region"),
            ("出生日期", "id_date"),
            ("校验码", "id_check"),
        ]:
            if marker in message:
                return code
        raise
    return None


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(valid_ids(), broken_ids(), st.text(NOISE, max_size=20)), min_size=1, max_size=30
    )
)
def test_vectorised_id_check_agrees_with_idnumber(values: list[str]) -> None:
    results = check_id_numbers(values).to_pylist()
    for value, got in zip(values, results, strict=True):
        code = idnumber_code(value)
        assert got["code"] == code, (value, got)
        if code is None:
            number = idnumber.parse(value)
            assert got["id_number"] == number.value
            assert got["birth_date"] == number.birth_date
            assert got["sex"] == {"male": "M", "female": "F"}[number.sex]
            assert got["upgraded_from_15"] == (len(idnumber.normalize(value)) == 15)
        elif code == "id_check":
            with pytest.raises(idnumber.IdNumberError) as info:
                idnumber.parse(value)
            expected = re.search(r"应为(\w)$", str(info.value))
            assert expected is not None
            assert got["reason"].startswith(f"校验码应为 {expected.group(1)}，")
        else:
            assert got["id_number"] is None and got["reason"]


def test_bank_accounts_lose_the_spaces_and_hyphens_that_group_their_digits(
    tmp_path: Path,
) -> None:
    path = write_csv(
        tmp_path / "x.csv",
        [["身份证号", "姓名", "社保卡银行账号"], [GOOD, "张三", "6217 0000-1234 5678 901"]],
    )
    read = read_roster(path, "resident_pension")
    assert accepted(read, "bank_account") == [("6217000012345678901",)]


def test_a_payments_file_may_list_a_person_twice_but_not_a_serial_number(tmp_path: Path) -> None:
    """Payments are unique by serial number (缴费流水号), not by person."""
    path = write_csv(
        tmp_path / "x.csv",
        [
            ["身份证号", "姓名", "缴费金额", "到账日期", "缴费流水号"],
            [GOOD, "张三", "50", "2018-02-01", "JF1"],
            [GOOD, "张三", "50", "2018-03-01", "JF2"],
            [GOOD, "张三", "50", "2018-03-02", "JF2"],
        ],
    )
    read = read_roster(path, "pension_payment")
    assert accepted(read, "reference") == [("JF1",)]
    # one serial number, two dates: which payment is real is the bureau's to say
    assert [(r[0], r[1], r[2], r[4]) for r in rejected(read)] == [
        (3, "缴费流水号", "duplicate", "与第 4 行缴费流水号相同但内容不同，两行均未导入"),
        (4, "缴费流水号", "duplicate", "与第 3 行缴费流水号相同但内容不同，两行均未导入"),
    ]
