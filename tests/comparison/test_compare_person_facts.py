"""信息比对 with the lists issue #20 §1 adds, imported on SQLite and PostgreSQL: the
in-school and unable-to-work lists are facts kept as periods, not statuses — they make
nobody poor and put nobody on several departments' lists — and an employee-medical
enrollment insures as a resident one does (as the employee pension already did for
pension; comparison/compare.py readings).

东湖区 (360102) on 30 June 2018: 甲 dibao and in school, insured nowhere; 乙 in school
only, insured nowhere; 丙 dibao and unable to work, in the employee medical insurance.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import make_id
from doudi.comparison.compare import TABLES, Comparison, compare
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import roster

MARCH, JUNE = date(2018, 3, 31), date(2018, 6, 30)
JIA = (make_id("360102", "20000101", "012"), "甲")  # 18 on 30 June 2018
YI = (make_id("360102", "20000202", "024"), "乙")
BING = (make_id("360102", "19700303", "036"), "丙")


def load(registry: db.Database, tmp_path: Path) -> Comparison:
    since = {"纳入时间": ["2016-06-01"] * 2}
    import_roster(registry, roster(tmp_path / "d.csv", [JIA, BING], since), "dibao", MARCH)
    school = {"入学时间": ["2016-09-01"] * 2}
    import_roster(registry, roster(tmp_path / "s.csv", [JIA, YI], school), "students", MARCH)
    unable = {"认定时间": ["2017-01-01"]}
    import_roster(registry, roster(tmp_path / "u.csv", [BING], unable), "unable_to_work", MARCH)
    insured = {"参保时间": ["2012-07-01"]}
    path = roster(tmp_path / "m.csv", [BING], insured)
    import_roster(registry, path, "employee_medical", MARCH)
    return compare({t: registry.read(t) for t in TABLES}, "360102", JUNE)


def test_a_student_is_not_poor_and_the_poor_list_only_statuses(registry, tmp_path):
    result = load(registry, tmp_path)
    pension = result.uninsured_pension.select(["name", "statuses"]).to_pylist()
    # 乙 is in school only: not poor; 甲 is poor as a dibao recipient, not as a student
    assert pension == [  # in ID-number order
        {"name": "丙", "statuses": "低保对象"},
        {"name": "甲", "statuses": "低保对象"},
    ]
    [top] = result.summary.slice(0, 1).to_pylist()
    assert (top["poor"], top["pension_poor"]) == (2, 2)  # 甲 and 丙


def test_the_employee_medical_insurance_insures(registry, tmp_path):
    result = load(registry, tmp_path)
    assert result.uninsured_medical.column("name").to_pylist() == ["甲"]
    [top] = result.summary.slice(0, 1).to_pylist()
    assert (top["medical_insured"], top["uninsured_medical"]) == (1, 1)  # 丙; 甲


def test_being_in_school_or_unable_to_work_is_not_a_second_list(registry, tmp_path):
    """甲 (民政 dibao, 教育部门 in school) and 丙 (民政 dibao, 残联 unable to work) hold one
    status each: not on several departments' lists."""
    result = load(registry, tmp_path)
    assert result.multiple_lists.num_rows == 0
