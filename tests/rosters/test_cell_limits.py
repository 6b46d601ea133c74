"""Roster cells the import accepted wrongly or crashed on (issue #19 §4): texts longer
than the registry holds, invisible control characters, region codes that do not exist,
an exit before the entry and an entry before birth. Each is a rejected row naming its
row, its column as the file writes it and a Chinese reason, checked before anything is
written, so SQLite and PostgreSQL behave the same (the ``registry`` fixture)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import make_id
from doudi.core import regions
from doudi.rosters.importing import import_roster
from doudi.rosters.limits import max_length, text_limit
from doudi.rosters.reading import RosterRead, read_roster
from doudi.rosters.sources import SOURCES
from doudi.store import db
from doudi.synth.departments import synthesize

MARCH = date(2018, 3, 31)
ADULT = make_id("360102", "19800512", "002")
OTHER = make_id("360102", "19750101", "013")
CHILD = make_id("360102", "20100601", "024")  # born 1 June 2010


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def problems(read: RosterRead) -> list[tuple[int, str, str, str]]:
    """(row, column as in the file, code, reason) of each rejected record."""
    return [
        (r["row_number"], r["column"], r["code"], r["reason"]) for r in read.rejected.to_pylist()
    ]


def accepted_rows(read: RosterRead) -> list[int]:
    return read.accepted.column("row_number").to_pylist()


# --- over-long texts --------------------------------------------------------------------


def test_every_stored_text_column_takes_its_limit_from_the_registry_models() -> None:
    """One source of truth: a text, region or account column names the registry fields
    it is stored in, and its limit is the shortest of their ``max_length``."""
    db.setup()
    from django.apps import apps

    for source in SOURCES.values():
        for column in source.columns:
            if column.kind not in ("text", "region_code", "account"):
                continue
            assert column.stored, f"{source.name}.{column.name} names no registry field"
            lengths = [
                apps.get_model("registry", m)._meta.get_field(f).max_length
                for m, f in (s.split(".") for s in column.stored)
            ]
            assert text_limit(column) == min(lengths)
    assert max_length("Person.name") == 64
    assert text_limit(SOURCES["pension_payment"].column("reference")) == 64


@pytest.mark.parametrize(
    ("header", "cell", "reason"),
    [
        ("姓名", "张" * 65, "最多 64 个字符，实为 65 个"),
        ("乡镇(街道)", "镇" * 100, "最多 64 个字符，实为 100 个"),
        ("村(社区)", "村" * 65, "最多 64 个字符，实为 65 个"),
        # NFKC widens ㈱ into (株): the stored text is what is measured
        ("姓名", "张" * 62 + "㈱", "最多 64 个字符，实为 65 个"),
    ],
)
def test_a_text_longer_than_the_registry_holds_is_rejected(
    tmp_path: Path, header: str, cell: str, reason: str
) -> None:
    rows = {"姓名": "张三", "乡镇(街道)": "城关镇", "村(社区)": "东村", header: cell}
    path = write_csv(tmp_path / "dibao.csv", [["公民身份号码", *rows], [ADULT, *rows.values()]])
    read = read_roster(path, "dibao")
    assert problems(read) == [(2, header, "too_long", reason)]
    assert read.accepted.num_rows == 0


def test_a_text_exactly_as_long_as_the_registry_holds_is_accepted(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "dibao.csv",
        [["公民身份号码", "姓名", "村(社区)"], [ADULT, "张" * 64, "村" * 64]],
    )
    read = read_roster(path, "dibao")
    assert problems(read) == []
    assert read.accepted.column("name").to_pylist() == ["张" * 64]


def test_a_serial_number_longer_than_the_registry_holds_is_rejected(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "pay.csv",
        [
            ["公民身份号码", "姓名", "缴费金额", "到账日期", "缴费流水号"],
            [ADULT, "张三", "100", "2018-02-01", "JF" + "0" * 63],
        ],
    )
    assert problems(read_roster(path, "pension_payment")) == [
        (2, "缴费流水号", "too_long", "最多 64 个字符，实为 65 个")
    ]


def test_over_long_texts_are_rejected_before_writing_on_both_databases(
    registry: db.Database, tmp_path: Path
) -> None:
    """PostgreSQL ended the import in "value too long"; SQLite stored the texts whole."""
    path = write_csv(
        tmp_path / "poverty.csv",
        [
            ["身份证号", "人员姓名", "行政区划代码", "乡镇", "村"],
            [ADULT, "张三", "360102", "城关镇", "东村"],
            [OTHER, "李" * 80, "360102", "城关镇", "东村"],
            [CHILD, "王五", "360102", "镇" * 65, "村" * 65],
        ],
    )
    report = import_roster(registry, path, "poverty", MARCH, actor="测试")
    assert accepted_rows(report.read) == [2]
    stored = registry.read("registry_rejected_row").to_pylist()
    assert [(r["row_number"], r["column"], r["code"]) for r in stored] == [
        (3, "人员姓名", "too_long"),
        (4, "乡镇", "too_long"),
        (4, "村", "too_long"),
    ]
    assert registry.read("registry_person").column("name").to_pylist() == ["张三"]
    assert registry.read("registry_roster_entry").num_rows == 1


# --- control characters -----------------------------------------------------------------

CONTROLS = [
    ("\x00", "U+0000"),  # NUL: PostgreSQL refuses it, SQLite cut the name at it
    ("\x07", "U+0007"),
    ("\t", "U+0009"),  # inside a text it is no separator the file meant
    ("\x1b", "U+001B"),
    ("\x7f", "U+007F"),
    ("\x85", "U+0085"),
    ("\u200b", "U+200B"),  # zero-width space
    ("\ufeff", "U+FEFF"),  # byte-order mark
    ("\u202e", "U+202E"),  # right-to-left override
    ("\u2028", "U+2028"),  # line separator
]


@pytest.mark.parametrize(("char", "named"), CONTROLS)
def test_a_control_character_inside_a_text_rejects_the_row(
    tmp_path: Path, char: str, named: str
) -> None:
    path = write_csv(
        tmp_path / "tekun.csv",
        [["公民身份号码", "姓名", "村(社区)"], [ADULT, "张三", f"东{char}村"]],
    )
    read = read_roster(path, "tekun")
    reason = f"含有不可见的控制字符（{named}），请删除后重新录入"
    assert problems(read) == [(2, "村(社区)", "control", reason)]


@pytest.mark.parametrize(
    ("header", "cell"),
    [
        ("姓名", "张\x00三"),
        ("姓名", "\u200b张三"),
        ("公民身份号码", ADULT[:9] + "\x00" + ADULT[9:]),
        ("行政区划代码", "360\x00102"),
        ("纳入时间", "2017-01-01\x07"),
    ],
)
def test_a_control_character_in_any_column_is_named_not_quoted(
    tmp_path: Path, header: str, cell: str
) -> None:
    """The reason never quotes the character: a NUL cannot be stored in PostgreSQL."""
    rows = {
        "公民身份号码": ADULT,
        "姓名": "张三",
        "行政区划代码": "360102",
        "纳入时间": "2017-01-01",
    }
    rows[header] = cell
    path = write_csv(tmp_path / "dibao.csv", [list(rows), list(rows.values())])
    [(row, column, code, reason)] = problems(read_roster(path, "dibao"))
    assert (row, column, code) == (2, header, "control")
    assert reason.startswith("含有不可见的控制字符（U+")
    assert all(c.isprintable() for c in reason)


def test_whitespace_that_normalization_removes_is_no_control_character(tmp_path: Path) -> None:
    """A tab before an ID number (some systems write one to keep Excel from rounding
    it), a tab or spaces inside a name, around a village: none reaches the registry.
    (A line break in a cell is the file reader's: test_malformed_csv.)"""
    path = write_csv(
        tmp_path / "tekun.csv",
        [["公民身份号码", "姓名", "村(社区)"], [f"\t{ADULT}", "张\t三\u3000", " 东村\t"]],
    )
    read = read_roster(path, "tekun")
    assert problems(read) == []
    assert read.accepted.select(["id_number", "name", "village"]).to_pylist() == [
        {"id_number": ADULT, "name": "张三", "village": "东村"}
    ]


def test_a_control_character_rejects_the_row_on_both_databases(
    registry: db.Database, tmp_path: Path
) -> None:
    """PostgreSQL ended the import on the NUL; SQLite stored the name cut at it. The
    rejected row's cell is stored with the NUL shown as [U+0000] (core.textfile.storable)."""
    path = write_csv(
        tmp_path / "dibao.csv",
        [["公民身份号码", "姓名"], [ADULT, "张三"], [OTHER, "李\x00四"], [CHILD, "王\x07五"]],
    )
    report = import_roster(registry, path, "dibao", MARCH, actor="测试")
    assert accepted_rows(report.read) == [2]
    stored = registry.read("registry_rejected_row").to_pylist()
    assert [(r["row_number"], r["column"], r["code"]) for r in stored] == [
        (3, "姓名", "control"),
        (4, "姓名", "control"),
    ]
    assert registry.read("registry_person").column("name").to_pylist() == ["张三"]
    assert stored[0]["value"] == "李[U+0000]四"


# --- region codes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("999999", "「999999」不是现行的区县级行政区划代码"),
        ("360100", "「360100」不是现行的区县级行政区划代码"),  # 南昌市: a city
        ("360000", "「360000」不是现行的区县级行政区划代码"),  # a province
        ("500221", "「500221」不是现行的区县级行政区划代码"),  # 长寿县, a district since 2001
        ("999999001001", "前 6 位「999999」不是现行的区县级行政区划代码"),
        ("ABCDEF", "行政区划代码应为 6 位（或 9 位、12 位）数字，实为「ABCDEF」"),
        ("5001", "行政区划代码应为 6 位（或 9 位、12 位）数字，实为「5001」"),
        ("3601021", "实为「3601021」"),
        ("3601020010010", "实为「3601020010010」"),  # 13 digits: longer than the registry holds
    ],
)
def test_a_region_code_that_does_not_name_a_county_is_rejected(
    tmp_path: Path, cell: str, reason: str
) -> None:
    path = write_csv(
        tmp_path / "dibao.csv", [["公民身份号码", "姓名", "区划代码"], [ADULT, "张三", cell]]
    )
    [(row, column, code, got)] = problems(read_roster(path, "dibao"))
    assert (row, column, code) == (2, "区划代码", "region")
    assert reason in got


@pytest.mark.parametrize(
    "cell",
    ["360102", "360102001", "360102001001", "441900", "500155", " 360102 ", "３６０１０２"],
)
def test_a_county_code_and_its_township_and_village_digits_are_accepted(
    tmp_path: Path, cell: str
) -> None:
    path = write_csv(
        tmp_path / "dibao.csv", [["公民身份号码", "姓名", "区划代码"], [ADULT, "张三", cell]]
    )
    read = read_roster(path, "dibao")
    assert problems(read) == []
    code = read.accepted.column("region_code")[0].as_py()
    assert regions.get(code[:6]) is not None and regions.get(code[:6]).level == "county"


def test_region_codes_that_do_not_exist_are_not_stored_on_both_databases(
    registry: db.Database, tmp_path: Path
) -> None:
    """They were stored, and made up counties of their own (覆盖区县 999999、ABCDEF)."""
    path = write_csv(
        tmp_path / "dibao.csv",
        [
            ["公民身份号码", "姓名", "行政区划代码"],
            [ADULT, "张三", "360102"],
            [OTHER, "李四", "999999"],
            [CHILD, "王五", "ABCDEF"],
            [make_id("360102", "19600101", "035"), "赵六", "5001"],
        ],
    )
    report = import_roster(registry, path, "dibao", MARCH, actor="测试")
    assert accepted_rows(report.read) == [2]
    assert report.counties == ["360102"]
    entries = registry.read("registry_roster_entry").to_pylist()
    assert [(e["region_code"], e["county"]) for e in entries] == [("360102", "360102")]
    rejected = registry.read("registry_rejected_row").to_pylist()
    assert [(r["row_number"], r["column"], r["code"]) for r in rejected] == [
        (3, "行政区划代码", "region"),
        (4, "行政区划代码", "region"),
        (5, "行政区划代码", "region"),
    ]


@pytest.mark.parametrize(("region", "people"), [("360102", 600), ("500102", 600), ("130200", 900)])
def test_synthetic_files_use_only_real_counties_and_possible_dates(
    tmp_path: Path, region: str, people: int
) -> None:
    """The demo and the tests' departments (doudi synth) write real county codes, no
    entry before birth, no exit before entry: none of the new checks rejects a row."""
    manifest = synthesize(region, people, tmp_path, as_of=MARCH, seed=11, error_rate=0.0)
    new_codes = {"control", "too_long", "region", "before_birth", "before_entry"}
    for f in (f for f in manifest.files if f.rows):  # a small county may list no tekun
        read = read_roster(tmp_path / f.path, f.source)
        found = [p for p in problems(read) if p[2] in new_codes]
        assert found == [], f.source


# --- dates: exit before entry, entry before birth ---------------------------------------


def test_an_exit_before_the_entry_rejects_the_row_naming_both_columns(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "poverty.csv",
        [
            ["公民身份号码", "姓名", "识别时间", "是否标注脱贫", "脱贫年份"],
            [ADULT, "张三", "2017-05-01", "是", "2016-01-01"],
            [OTHER, "李四", "2017-05-01", "是", "2017"],  # the end of 2017: after the entry
            [make_id("360102", "19600101", "035"), "王五", "2018-01-10", "是", "2017"],
            [make_id("360102", "19610101", "046"), "赵六", "2016-03-01", "是", "2016-03-01"],
        ],
    )
    read = read_roster(path, "poverty")
    assert problems(read) == [
        (2, "脱贫年份", "before_entry", "日期 2016-01-01 早于纳入时间 2017-05-01"),
        (4, "脱贫年份", "before_entry", "日期 2017-12-31 早于纳入时间 2018-01-10"),
    ]
    assert accepted_rows(read) == [3, 5]


def test_an_exit_date_is_not_compared_when_the_file_has_no_entry_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "poverty.csv",
        [["公民身份号码", "姓名", "脱贫时间"], [ADULT, "张三", "2016-01-01"]],
    )
    read = read_roster(path, "poverty")
    assert problems(read) == []
    assert accepted_rows(read) == [2]


@pytest.mark.parametrize(
    ("source", "header", "cell", "extra"),
    [
        ("poverty", "纳入时间", "2010-05-31", {}),
        ("resident_medical", "参保时间", "2008-01-01", {}),
        ("poverty", "脱贫时间", "2009", {"纳入时间": ""}),  # a bare year: 31 December 2009
        ("death", "死亡日期", "2010-05-31", {}),
        ("pension_payment", "到账日期", "2010-01-01", {"缴费金额": "100", "缴费流水号": "JF1"}),
    ],
)
def test_a_date_before_the_birth_in_the_id_number_rejects_the_row(
    tmp_path: Path, source: str, header: str, cell: str, extra: dict[str, str]
) -> None:
    cells = {"公民身份号码": CHILD, "姓名": "小明", **extra, header: cell}
    path = write_csv(tmp_path / f"{source}.csv", [list(cells), list(cells.values())])
    read = read_roster(path, source)
    [(row, column, code, reason)] = problems(read)
    assert (row, column, code) == (2, header, "before_birth")
    assert reason.endswith("早于公民身份号码中的出生日期 2010-06-01")


def test_a_date_on_the_day_of_birth_is_accepted(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "resident_medical.csv",
        [["公民身份号码", "姓名", "参保时间"], [CHILD, "小明", "2010-06-01"]],
    )
    assert problems(read_roster(path, "resident_medical")) == []


def test_impossible_dates_are_not_stored_on_both_databases(
    registry: db.Database, tmp_path: Path
) -> None:
    """An exit before the entry and an entry before birth opened periods before."""
    path = write_csv(
        tmp_path / "poverty.csv",
        [
            ["公民身份号码", "姓名", "纳入时间", "是否标注脱贫", "脱贫时间"],
            [ADULT, "张三", "2016-03-01", "否", ""],
            [OTHER, "李四", "2017-05-01", "是", "2016-01-01"],
            [CHILD, "小明", "2009-03-01", "否", ""],
        ],
    )
    report = import_roster(registry, path, "poverty", MARCH, actor="测试")
    assert accepted_rows(report.read) == [2]
    people = registry.read("registry_person").column("id_number").to_pylist()
    assert people == [ADULT]
    periods: list[dict[str, Any]] = registry.read("registry_status_period").to_pylist()
    assert len(periods) == 1
    rejected = registry.read("registry_rejected_row").to_pylist()
    assert [(r["row_number"], r["column"], r["code"]) for r in rejected] == [
        (3, "脱贫时间", "before_entry"),
        (4, "纳入时间", "before_birth"),
    ]
