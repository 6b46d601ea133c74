"""The lists issue #20 §1 adds, imported end to end on SQLite and PostgreSQL: low-income
families, the 14 categories of veterans, other assistance targets, in-school students,
adults unable to work, and the employee pension and medical extracts. Each is read from
a GBK file with a header variant, refuses a bad row with its row, column and Chinese
reason, and becomes its status periods or enrollments; a veterans' row saying the
person is employed or in the employee medical insurance is refused as not qualifying
(RULES.md §1: 已失业又未纳入职工医保的14类退役士兵) and, like a disability of grade 三级,
closes the status instead of keeping it (rosters.held)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from conftest import make_id
from doudi.core import vocab
from doudi.rosters.importing import import_roster
from doudi.store import db

MARCH, JUNE = date(2018, 3, 31), date(2018, 6, 30)
GOOD = make_id("360102", "19800101", "011")
OTHER = make_id("360102", "19850505", "023")
YOUNG = make_id("360102", "20030303", "035")  # born 2003-03-03


def write_gbk(path: Path, rows: list[list[str]]) -> Path:
    path.write_bytes("\n".join(",".join(r) for r in rows).encode("gbk") + b"\n")
    return path


@dataclass(frozen=True)
class Case:
    """One list: its header (variants, not the labels synth writes), a good row, a bad
    row (row 3), the bad cell's column, code and reason, and what the good row becomes."""

    source: str
    header: list[str]
    good: list[str]
    bad: list[str]
    column: str
    code: str
    reason: str
    #: ("status", status, department) or ("enrollment", scheme, region code)
    becomes: tuple[str, str, str]


CASES = [
    Case(
        "low_income",
        ["身份证号", "户主姓名", "识别时间"],
        [GOOD, "张三", "2017-05-01"],
        [OTHER, "李四", "2017-13-01"],
        "识别时间",
        "date",
        "日期 2017-13-01 不存在",
        ("status", "low_income_family", "civil_affairs"),
    ),
    Case(
        "veterans",
        ["证件号码", "人员姓名", "纳入日期", "人员类别", "失业", "参加职工医保"],
        [GOOD, "张三", "2017-05-01", "参战退役人员", "是", "否"],
        [OTHER, "李四", "2017-05-01", "参战退役人员", "也许", "否"],
        "失业",
        "yes_no",
        "实为「也许」",
        ("status", "demobilized_14", "veterans_affairs"),
    ),
    Case(
        "other_assistance",
        ["公民身份证号码", "姓名", "起始日期"],
        [GOOD, "张三", "2017-05-01"],
        [OTHER, "", "2017-05-01"],
        "姓名",
        "missing",
        "必填项「姓名」为空",
        ("status", "other_assistance", "civil_affairs"),
    ),
    Case(
        "students",
        ["身份证号码", "姓名", "入学日期"],
        [GOOD, "张三", "2017-05-01"],
        [YOUNG, "李四", "2002-09-01"],
        "入学日期",
        "before_birth",
        "日期 2002-09-01 早于公民身份号码中的出生日期 2003-03-03",
        ("status", "student", "education"),
    ),
    Case(
        "unable_to_work",
        ["居民身份证号码", "姓名", "鉴定时间"],
        [GOOD, "张三", "2017-05-01"],
        [OTHER[:17] + ("1" if OTHER[17] != "1" else "2"), "李四", "2017-05-01"],
        "居民身份证号码",
        "id_check",
        f"校验码应为 {OTHER[17]}",
        ("status", "unable_to_work", "disabled_federation"),
    ),
    Case(
        "employee_pension",
        ["身份证号", "参保人姓名", "参保日期"],
        [GOOD, "张三", "2017-05-01"],
        [OTHER, "李四", "去年"],
        "参保日期",
        "date",
        "无法识别的日期「去年」",
        ("enrollment", "employee_pension", ""),
    ),
    Case(
        "employee_medical",
        ["证件号", "姓名", "参保日期", "参保地区划代码"],
        [GOOD, "张三", "2017-05-01", "360102"],
        [OTHER, "李四", "2017-05-01", "9999"],
        "参保地区划代码",
        "region",
        "实为「9999」",
        ("enrollment", "employee_medical", "360102"),
    ),
]


def test_every_new_source_is_a_case() -> None:
    assert [c.source for c in CASES] == [
        "low_income",
        "veterans",
        "other_assistance",
        "students",
        "unable_to_work",
        "employee_pension",
        "employee_medical",
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.source for c in CASES])
def test_a_new_list_imports_from_gbk_with_header_variants_and_refuses_its_bad_row(
    registry: db.Database, tmp_path: Path, case: Case
) -> None:
    path = write_gbk(tmp_path / f"{case.source}.csv", [case.header, case.good, case.bad])
    report = import_roster(registry, path, case.source, MARCH)
    read = report.read
    assert read.encoding == "gb18030"
    assert set(read.header_map) == set(case.header)  # every variant recognised
    [record] = read.rejected.to_pylist()
    assert (record["row_number"], record["column"], record["code"]) == (3, case.column, case.code)
    assert case.reason in record["reason"]
    assert read.accepted.column("id_number").to_pylist() == [GOOD]
    person = registry.read("registry_person", "WHERE id_number = ?", (GOOD,)).to_pylist()[0]
    kind, code, where = case.becomes
    if kind == "status":
        [period] = registry.read("registry_status_period").to_pylist()
        assert (period["status"], period["department"]) == (code, where)
        assert code in vocab.STATUS and where in vocab.DEPARTMENT
    else:
        [period] = registry.read("registry_enrollment").to_pylist()
        assert (period["scheme"], period["region_code"]) == (code, where)
        assert code in vocab.SCHEME
    # the list's date (2017-05-01) is before the snapshot: the period starts on it
    assert (period["person_id"], period["valid_from"], period["valid_to"]) == (
        person["id"],
        date(2017, 5, 1),
        None,
    )


def test_a_veterans_row_keeps_its_category_and_answers(registry, tmp_path):
    header = ["公民身份号码", "姓名", "退役士兵类别", "是否失业", "是否参加职工医保"]
    path = write_gbk(tmp_path / "v.csv", [header, [GOOD, "张三", "参战退役人员", "是", "否"]])
    import_roster(registry, path, "veterans", MARCH)
    [entry] = registry.read("registry_roster_entry").to_pylist()
    assert (entry["veteran_category"], entry["unemployed"], entry["in_employee_medical"]) == (
        "参战退役人员",
        True,
        False,
    )


VETERANS = ["公民身份号码", "姓名", "退役士兵类别", "是否失业", "是否参加职工医保"]
#: four veterans of 东湖区
V = [make_id("360102", "19700101", f"{i:03d}") for i in range(1, 5)]
EMPLOYED = "已就业，不属于已失业又未纳入职工医保的14类退役士兵"
INSURED = "已参加职工医保，不属于已失业又未纳入职工医保的14类退役士兵"


def open_ids(database: db.Database) -> set[str]:
    ids = {p["id"]: p["id_number"] for p in database.read("registry_person").to_pylist()}
    return {
        ids[p["person_id"]]
        for p in database.read("registry_status_period").to_pylist()
        if p["valid_to"] is None
    }


def test_RULES_1_a_veteran_employed_or_in_employee_medical_is_refused_as_not_qualifying(
    registry, tmp_path
):
    rows = [
        [V[0], "甲", "参战退役人员", "是", "否"],
        [V[1], "乙", "参战退役人员", "否", "否"],  # employed
        [V[2], "丙", "参战退役人员", "是", "是"],  # in the employee medical insurance
        [V[3], "丁", "参战退役人员", "否", "是"],  # both
    ]
    report = import_roster(
        registry, write_gbk(tmp_path / "m.csv", [VETERANS, *rows]), "veterans", MARCH
    )
    got = [
        (r["row_number"], r["column"], r["code"], r["value"], r["reason"])
        for r in report.read.rejected.to_pylist()
    ]
    assert got == [
        (3, "是否失业", "not_qualifying", "否", EMPLOYED),
        (4, "是否参加职工医保", "not_qualifying", "是", INSURED),
        (5, "是否失业", "not_qualifying", "否", EMPLOYED),
        (5, "是否参加职工医保", "not_qualifying", "是", INSURED),
    ]
    assert open_ids(registry) == {V[0]}
    # the refusal names nobody (rosters.held): the department says they do not qualify
    assert {r["id_number"] for r in registry.read("registry_rejected_row").to_pylist()} == {""}


def test_RULES_1_a_veteran_who_found_work_is_closed_while_a_typing_mistake_is_kept(
    registry, tmp_path
):
    """March lists V0 and V1 as qualifying. June's snapshot says V0 now works (refused:
    not_qualifying, the status ends on 30 June as if the list left V0 out) and leaves
    V1's name empty (refused: missing, a mistake in the row: V1 stays open, reading 30)."""
    march = [[V[0], "甲", "参战退役人员", "是", "否"], [V[1], "乙", "参战退役人员", "是", "否"]]
    import_roster(registry, write_gbk(tmp_path / "m.csv", [VETERANS, *march]), "veterans", MARCH)
    june = [
        [V[0], "甲", "参战退役人员", "否", "否"],
        [V[1], "", "参战退役人员", "是", "否"],
        [V[2], "丙", "参战退役人员", "是", "否"],
    ]
    report = import_roster(
        registry,
        write_gbk(tmp_path / "j.csv", [VETERANS, *june]),
        "veterans",
        JUNE,
        confirm_closing=True,  # one of two: above the 10% safeguard
    )
    assert (report.periods_opened, report.periods_closed) == (1, 1)
    assert open_ids(registry) == {V[1], V[2]}
    ids = {p["id"]: p["id_number"] for p in registry.read("registry_person").to_pylist()}
    spans = {
        ids[p["person_id"]]: (p["valid_from"], p["valid_to"])
        for p in registry.read("registry_status_period").to_pylist()
    }
    assert spans[V[0]] == (MARCH, JUNE)
    assert any("被拒绝的行中有 1 人身份证号有效" in line for line in report.summary_zh())


def test_the_new_departments_and_scheme_have_chinese_labels() -> None:
    assert vocab.DEPARTMENT["veterans_affairs"] == "退役军人事务部门"
    assert vocab.DEPARTMENT["education"] == "教育部门"
    assert vocab.SCHEME["employee_medical"] == "城镇职工基本医疗保险"
    assert (vocab.STATUS["student"], vocab.STATUS["unable_to_work"]) == ("在校学生", "丧失劳动能力")
