"""The facts the new lists give the plan (issue #20 §1), on SQLite and PostgreSQL: in
school and unable to work (status periods of the education department's and the
federation's lists), and in the employee pension or medical insurance (enrollments),
read as the rules read a scenario's ``student``, ``unable_to_work``,
``employee_pension`` and ``employee_medical`` (plan/inputs.py; docs/readings.md 32).

Jiangxi 2018, 东湖区 (360102). JX-2017-58/2.1.1 (and GF-2014-8/4: 年满16周岁（不含在校学生）):
the county pays 100 yuan a year for a registered poor person of 16 or more, not an
in-school student, not in the employee pension, enrolled; at tier 100 that is the whole
contribution: 100.00 by the county, 100 − 100 = 0.00 their own.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from conftest import make_id
from doudi.plan import inputs
from doudi.plan import versions as plan
from doudi.plan.explanation import explain
from doudi.policy.rules.shared import STATUSES
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import roster

MARCH, JUNE = date(2018, 3, 31), date(2018, 6, 30)
#: 17 on 31 December 2018 (born 2001-03-01), registered poor, enrolled at tier 100
STUDENT = (make_id("360102", "20010301", "012"), "林晓")
PUPIL_LEFT = (make_id("360102", "20010402", "024"), "陈芳")  # left school in June 2018
NOT_LISTED = (make_id("360102", "20010503", "036"), "周丽")
WORKER = (make_id("360102", "19800101", "048"), "吴刚")  # in the employee insurances
TEENS = [STUDENT, PUPIL_LEFT, NOT_LISTED]


def load(registry: db.Database, tmp_path: Path) -> None:
    people = [*TEENS, WORKER]
    n = len(people)
    since = {"纳入时间": ["2016-06-01"] * n}
    import_roster(registry, roster(tmp_path / "poverty.csv", people, since), "poverty", MARCH)
    pension = {"缴费档次": ["100"] * n, "参保时间": ["2017-01-01"] * n}
    path = roster(tmp_path / "pension.csv", people, pension)
    import_roster(registry, path, "resident_pension", MARCH)
    pupils = [STUDENT, PUPIL_LEFT]
    school = {"入学时间": ["2016-09-01"] * len(pupils)}
    import_roster(registry, roster(tmp_path / "s3.csv", pupils, school), "students", MARCH)
    # June's list no longer names PUPIL_LEFT: in school from 2016-09-01 to 2018-06-30
    path = roster(tmp_path / "s6.csv", [STUDENT], {"入学时间": ["2016-09-01"]})
    import_roster(registry, path, "students", JUNE, confirm_closing=True)
    for source in ("employee_pension", "employee_medical"):
        path = roster(tmp_path / f"{source}.csv", [WORKER], {"参保时间": ["2012-07-01"]})
        import_roster(registry, path, source, MARCH)


def ids(registry: db.Database) -> dict[str, int]:
    return {r["id_number"]: r["id"] for r in registry.read("registry_person").to_pylist()}


def planned(registry: db.Database, version: int) -> dict[tuple[str, str], Decimal]:
    number = {v: k for k, v in ids(registry).items()}
    rows = registry.read("registry_contribution", "WHERE plan_version_id = ?", (version,))
    return {(number[r["person_id"]], r["payer"]): r["amount"] for r in rows.to_pylist()}


def facts(registry: db.Database, year: int) -> dict[str, dict[str, bool]]:
    people, _ = inputs.engine_inputs(registry, "360000", year)
    names = ("student", "unable_to_work", "employee_pension", "employee_medical")
    rows = people.select(["id_number", *names]).to_pylist()
    return {r.pop("id_number"): r for r in rows}


def test_the_new_lists_are_read_as_the_people_facts(registry, tmp_path):
    load(registry, tmp_path)
    got = facts(registry, 2018)
    # in school on some day of 2018 (docs/readings.md 32): also the one who left in June
    assert {k for k, v in got.items() if v["student"]} == {STUDENT[0], PUPIL_LEFT[0]}
    assert {k for k, v in got.items() if v["employee_pension"]} == {WORKER[0]}
    assert {k for k, v in got.items() if v["employee_medical"]} == {WORKER[0]}
    assert not any(v["unable_to_work"] for v in got.values())
    # 2019: PUPIL_LEFT's period ended on 2018-06-30, STUDENT's is open
    assert {k for k, v in facts(registry, 2019).items() if v["student"]} == {STUDENT[0]}


def test_the_rules_get_only_their_statuses_not_the_facts(registry, tmp_path):
    load(registry, tmp_path)
    _, statuses = inputs.engine_inputs(registry, "360000", 2018)
    assert set(statuses.column("status").to_pylist()) == {"registered_poor"}
    assert "student" not in STATUSES
    stored = {p["status"] for p in registry.read("registry_status_period").to_pylist()}
    assert stored == {"registered_poor", "student"}


def test_JX_2017_58_2_1_1_a_student_of_17_on_the_list_is_not_planned_a_contribution(
    registry, tmp_path
):
    """GF-2014-8/4 年满16周岁（不含在校学生）: both pupils were in school in 2018, no
    contributors: no government part and 0.00 their own. NOT_LISTED, the same age and
    status, is planned 100.00 by the county (JX-2017-58/2.1.1: 按100元为基数) and
    100 − 100 = 0.00 their own. WORKER is in the employee pension: no government part,
    the tier 100 − 0 = 100.00 their own."""
    load(registry, tmp_path)
    result = plan.run_plan(registry, "360000", 2018, snapshots=tmp_path / "plans")
    rows = planned(registry, result.version_id)
    assert rows == {
        (STUDENT[0], "self"): Decimal("0.00"),
        (PUPIL_LEFT[0], "self"): Decimal("0.00"),
        (NOT_LISTED[0], "county"): Decimal("100.00"),
        (NOT_LISTED[0], "self"): Decimal("0.00"),
        (WORKER[0], "self"): Decimal("100.00"),
    }
    assert result.gov_paid == Decimal("100.00")  # one person × 100.00
    who = ids(registry)
    pupil = explain(registry, who[STUDENT[0]], "360102", 2018)["resident_pension"]
    assert (pupil["gov_paid"], pupil["reasons"]) == ("0.00", ["student"])
    assert "在校学生" in pupil["explanation"]
    worker = explain(registry, who[WORKER[0]], "360102", 2018)["resident_pension"]
    assert worker["reasons"] == ["employee_pension"]


def test_JX_2017_58_2_1_1_a_pupil_who_left_school_in_2018_is_planned_for_2019(registry, tmp_path):
    """In school until 2018-06-30: a student for 2018 (any day of the year), not for
    2019: 100.00 by the county (18 on 31 December 2019, registered poor, enrolled)."""
    load(registry, tmp_path)
    result = plan.run_plan(registry, "360000", 2019, snapshots=tmp_path / "plans")
    government = {k: v for k, v in planned(registry, result.version_id).items() if k[1] != "self"}
    assert government == {
        (PUPIL_LEFT[0], "county"): Decimal("100.00"),
        (NOT_LISTED[0], "county"): Decimal("100.00"),
    }


def test_JX_2017_58_2_1_2_one_in_the_employee_medical_insurance_gets_no_resident_subsidy(
    registry, tmp_path
):
    """The registered poor get 100% of the resident medical contribution (JX-2017-58/2.1.2)
    unless insured as employees: WORKER's employee-medical enrollment is read as the
    fact, and the rules refuse the subsidy for it."""
    load(registry, tmp_path)
    who = ids(registry)
    worker = explain(registry, who[WORKER[0]], "360102", 2018)["resident_medical"]
    assert "employee_medical" in worker["reasons"]
    assert worker["subsidy"] == "0.00"
    assert "已参加城镇职工基本医疗保险" in worker["explanation"]
    teen = explain(registry, who[NOT_LISTED[0]], "360102", 2018)["resident_medical"]
    assert (teen["reasons"], teen["subsidy_share"]) == ([], "1.00")


SEVERE = (make_id("360102", "19700707", "051"), "郑强")  # 48 on 1 January 2018


def test_JX_2017_58_2_1_2_a_severely_disabled_adult_unable_to_work_is_subsidised_in_full(
    registry, tmp_path
):
    """丧失劳动能力的重度残疾成年人: on the federation's list of grade 一级 and on its list of
    those unable to work, 100% of the resident medical contribution; grade 一级 alone is
    no Jiangxi group (the document names the disabled students, children and adults
    unable to work), so nothing before the second list."""
    grade = {"残疾等级": ["一级"], "纳入时间": ["2016-01-01"]}
    import_roster(registry, roster(tmp_path / "d.csv", [SEVERE], grade), "disability", MARCH)
    who = ids(registry)[SEVERE[0]]
    before = explain(registry, who, "360102", 2018)["resident_medical"]
    assert before["reasons"] == ["no_status"]
    since = {"认定时间": ["2017-01-01"]}
    path = roster(tmp_path / "u.csv", [SEVERE], since)
    import_roster(registry, path, "unable_to_work", MARCH)
    assert facts(registry, 2018)[SEVERE[0]]["unable_to_work"]
    after = explain(registry, who, "360102", 2018)["resident_medical"]
    assert (after["category"], after["reasons"], after["subsidy_share"]) == (
        "severe_disability_unable_to_work",
        [],
        "1.00",
    )
