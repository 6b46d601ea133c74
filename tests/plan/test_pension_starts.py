"""The pension-start list over the registry (issue #20 §2; `doudi pension-starts`), on
SQLite and PostgreSQL, and Shandong's review result on the scenario path.

HE-2018-3/2.1.1 (Tangshan, 路北区 130203, 2018): 对60周岁及以上建档立卡贫困人员，未参加
城乡居民基本养老保险的，不再补缴养老保险费，由本人提出申请……自办理手续次月起按月计发待遇.
- LATE: registered poor, born 1950-08-08, never enrolled, applied 2018-03-10 → from
  2018-04-01 (the month after March);
- LATE_ENROLLED: the same, but enrolled since 2011 → not under this rule;
- LATE_YOUNG: registered poor, born 1960-06-01, never enrolled, applied 2018-03-10:
  2018 − 1960 − 1 (birthday not yet reached) = 57 → under 60;
- LATE_NOT_POOR: born 1950, never enrolled, no status, applied → not registered poor.

SD-2017-37/2.1 (山东, 历下区 370102, 2018): 参加居民基本养老保险的重度残疾人提出申请，
经审核后可以提前5年发放养老金.
- APPROVED: severely disabled (一级), enrolled, born 1965-07-20, applied 2018-03-10,
  approved → at 60 − 5 = 55, earliest 1965 + 55 = 2020-07-20;
- PENDING: applied 2018-04-02, 审核中; REJECTED: applied 2018-02-01, 不通过;
- LATER: applied 2018-01-15, 审核中 in March's list, 通过 in September's → approved
  (the latest list's review of the latest application), born 1963-01-02 → 55 on 2018-01-02,
  from the application, 2018-01-15;
- NOT_DISABLED: enrolled, no disability, applied and approved → not severely disabled;
- NEXT_YEAR: severely disabled, enrolled, applied 2019-01-05 → not by 2018's end: not on
  2018's list.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import fastexcel
import pytest
from typer.testing import CliRunner

from conftest import make_id, one, person, status
from doudi.engine.scenario import ScenarioError
from doudi.plan import pension_starts as starts
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import roster

MARCH = date(2018, 3, 31)
SEPTEMBER = date(2018, 9, 30)

LATE = (make_id("130203", "19500808", "011"), "王大爷")
LATE_ENROLLED = (make_id("130203", "19500909", "021"), "李大爷")
LATE_YOUNG = (make_id("130203", "19600601", "031"), "赵叔")
LATE_NOT_POOR = (make_id("130203", "19501010", "041"), "钱伯")

APPROVED = (make_id("370102", "19650720", "012"), "孔秀梅")
PENDING = (make_id("370102", "19640303", "022"), "周红")
REJECTED = (make_id("370102", "19620404", "032"), "吴明")
LATER = (make_id("370102", "19630102", "042"), "郑芳")
NOT_DISABLED = (make_id("370102", "19660505", "052"), "孙立")
NEXT_YEAR = (make_id("370102", "19670606", "062"), "冯军")


def load_hebei(registry: db.Database, tmp_path: Path) -> None:
    poor = [LATE, LATE_ENROLLED, LATE_YOUNG]
    since = {"纳入时间": ["2015-01-01"] * 3}
    import_roster(registry, roster(tmp_path / "poor.csv", poor, since), "poverty", MARCH)
    enrolled = {"参保时间": ["2011-01-01"], "缴费档次": ["100"]}
    path = roster(tmp_path / "rp.csv", [LATE_ENROLLED], enrolled)
    import_roster(registry, path, "resident_pension", MARCH)
    applied = [LATE, LATE_ENROLLED, LATE_YOUNG, LATE_NOT_POOR]
    dates = {"申请日期": ["2018-03-10"] * 4}
    path = roster(tmp_path / "late.csv", applied, dates)
    import_roster(registry, path, "late_pension_applications", MARCH)


def load_shandong(registry: db.Database, tmp_path: Path) -> None:
    disabled = [APPROVED, PENDING, REJECTED, LATER, NEXT_YEAR]
    grade = {"残疾等级": ["一级"] * 5, "纳入时间": ["2010-01-01"] * 5}
    path = roster(tmp_path / "d.csv", disabled, grade)
    import_roster(registry, path, "disability", MARCH)
    enrolled = [*disabled, NOT_DISABLED]
    tiers = {"参保时间": ["2011-01-01"] * 6, "缴费档次": ["100"] * 6}
    path = roster(tmp_path / "rp.csv", enrolled, tiers)
    import_roster(registry, path, "resident_pension", MARCH)
    march = {
        "申请日期": ["2018-03-10", "2018-04-02", "2018-02-01", "2018-01-15", "2018-03-01"],
        "审核结果": ["通过", "审核中", "不通过", "审核中", "通过"],
    }
    applied = [APPROVED, PENDING, REJECTED, LATER, NOT_DISABLED]
    path = roster(tmp_path / "early-3.csv", applied, march)
    import_roster(registry, path, "early_pension_applications", MARCH)
    september = {"申请日期": ["2018-01-15", "2019-01-05"], "审核结果": ["通过", "通过"]}
    path = roster(tmp_path / "early-9.csv", [LATER, NEXT_YEAR], september)
    import_roster(registry, path, "early_pension_applications", SEPTEMBER, mode="addendum")


def rows(found: starts.PensionStarts) -> dict[str, dict]:
    return {r["id_number"]: r for r in found.people.to_pylist()}


def test_HE_2018_3_2_1_1_pension_from_the_month_after_the_application(registry, tmp_path):
    load_hebei(registry, tmp_path)
    found = starts.pension_starts(registry, "130203", 2018)
    assert (found.jurisdiction.code, found.rule.clause) == ("130200", "HE-2018-3/2.1.1")
    listed = rows(found)
    assert set(listed) == {LATE[0], LATE_ENROLLED[0], LATE_YOUNG[0], LATE_NOT_POOR[0]}
    late = listed[LATE[0]]
    # applied 2018-03-10 → pension from 2018-04-01, no back payment
    assert (late["qualifies"], late["application_date"], late["pension_from"]) == (
        "是",
        date(2018, 3, 10),
        date(2018, 4, 1),
    )
    assert late["basis"] == "HE-2018-3/2.1.1"


def test_HE_2018_3_2_1_1_applicants_who_do_not_qualify_are_told_why(registry, tmp_path):
    load_hebei(registry, tmp_path)
    listed = rows(starts.pension_starts(registry, "130203", 2018))
    enrolled, young, not_poor = (listed[p[0]] for p in (LATE_ENROLLED, LATE_YOUNG, LATE_NOT_POOR))
    assert all(r["qualifies"] == "否" and r["pension_from"] is None for r in (enrolled, young))
    assert "已参加过城乡居民基本养老保险" in enrolled["reason"]
    # born 1960-06-01, on 2018-03-10: 2018 − 1960 − 1 = 57
    assert "申请日期2018-03-10时未满60周岁（57周岁）" in young["reason"]
    assert not_poor["reason"] == "2018年内不是建档立卡贫困人员"


def test_SD_2017_37_2_1_an_approved_application_draws_the_pension_at_55(registry, tmp_path):
    load_shandong(registry, tmp_path)
    found = starts.pension_starts(registry, "370102", 2018)
    assert (found.jurisdiction.code, found.rule.clause) == ("370000", "SD-2017-37/2.1")
    approved = rows(found)[APPROVED[0]]
    assert (approved["qualifies"], approved["review_result"]) == ("是", "审核通过")
    assert approved["application_date"] == date(2018, 3, 10)
    assert approved["pension_age"] == 55  # 60 − 5
    assert approved["pension_from"] == date(2020, 7, 20)  # born 1965-07-20, + 55 years


def test_SD_2017_37_2_1_the_latest_lists_review_of_the_latest_application_counts(
    registry, tmp_path
):
    """LATER was pending in March's list and approved in September's: approved, at 55
    (1963-01-02 + 55 = 2018-01-02), from the application of 2018-01-15 — not back to the
    birthday before it (reading 41); NEXT_YEAR's application of 2019 is not 2018's."""
    load_shandong(registry, tmp_path)
    listed = rows(starts.pension_starts(registry, "370102", 2018))
    later = listed[LATER[0]]
    assert (later["qualifies"], later["review_result"]) == ("是", "审核通过")
    assert later["pension_from"] == date(2018, 1, 15)  # max(2018-01-02, 2018-01-15)
    assert NEXT_YEAR[0] not in listed
    assert NEXT_YEAR[0] in rows(starts.pension_starts(registry, "370102", 2019))


def test_SD_2017_37_2_1_pending_rejected_or_not_disabled_is_not_paid_early(registry, tmp_path):
    load_shandong(registry, tmp_path)
    found = starts.pension_starts(registry, "370102", 2018)
    listed = rows(found)
    pending, rejected, healthy = (listed[p[0]] for p in (PENDING, REJECTED, NOT_DISABLED))
    assert [r["qualifies"] for r in (pending, rejected, healthy)] == ["否", "否", "否"]
    assert pending["review_result"] == "审核中" and "尚在审核中" in pending["reason"]
    assert rejected["review_result"] == "审核不通过" and "审核未通过" in rejected["reason"]
    assert healthy["reason"] == "2018年内不具有重度残疾人身份"
    assert all(
        r["pension_age"] is None and r["basis"] == "SD-2017-37/2.1"
        for r in listed.values()
        if r["qualifies"] == "否"
    )
    # five applied by the year's end (NEXT_YEAR not), two approved
    assert found.summary_zh()[0].endswith("申请 5 人，符合 2 人，不符合 3 人（SD-2017-37/2.1）")


#: The applicants' facts as a scenario states them (the lists' final reading).
TYPED = {
    APPROVED: ("severe_disability", True, {"date": "2018-03-10", "review_result": "approved"}),
    PENDING: ("severe_disability", True, {"date": "2018-04-02", "review_result": "pending"}),
    REJECTED: ("severe_disability", True, {"date": "2018-02-01", "review_result": "rejected"}),
    LATER: ("severe_disability", True, {"date": "2018-01-15", "review_result": "approved"}),
    NOT_DISABLED: (None, True, {"date": "2018-03-01", "review_result": "approved"}),
    LATE: ("registered_poor", False, "2018-03-10"),
    LATE_ENROLLED: ("registered_poor", True, "2018-03-10"),
    LATE_YOUNG: ("registered_poor", False, "2018-03-10"),
    LATE_NOT_POOR: (None, False, "2018-03-10"),
}


@pytest.mark.parametrize(("region", "jurisdiction"), [("370102", "370000"), ("130203", "130200")])
def test_the_list_agrees_with_evaluate_person_by_person(registry, tmp_path, region, jurisdiction):
    """The list runs the compiled rules of `doudi evaluate`: each applicant's facts typed
    into a scenario give the same decision, day and reason."""
    (load_shandong if region == "370102" else load_hebei)(registry, tmp_path)
    listed = rows(starts.pension_starts(registry, region, 2018))
    for (number, name), (held, enrolled, application) in TYPED.items():
        if number not in listed:
            continue
        pension: dict = {"enrolled": enrolled, "ever_enrolled": enrolled}
        if isinstance(application, dict):
            pension["early_application"] = application
        else:
            pension["application_date"] = application
        since = "2010-01-01" if held == "severe_disability" else "2015-01-01"
        typed = person(number, name, statuses=[status(held, since)] if held else [])
        typed["resident_pension"] = pension
        result = one(jurisdiction, 2018, typed)["resident_pension"]
        part = result.get("early_pension") or result["late_enrollment"]
        row = listed[number]
        day = part.get("earliest_date") or part.get("pension_from")
        assert (row["qualifies"] == "是", row["pension_from"]) == (
            part["eligible"],
            date.fromisoformat(day) if day else None,
        ), name
        for reason in row["reason"].split("；") if row["qualifies"] == "否" else ():
            assert reason in part["explanation"], name
    assert len(listed) in (4, 5)


# --- the scenario path: the review result (SD-2017-37/2.1) ------------------------------


def early_pension(application: dict | None) -> dict:
    facts: dict = {"enrolled": True}
    if application is not None:
        facts["early_application"] = application
    p = person(
        make_id("370102", "19650720"),
        statuses=[status("severe_disability", "2010-01-01")],
        resident_pension=facts,
    )
    return one("370000", 2018, p)["resident_pension"]["early_pension"]


@pytest.mark.parametrize(
    ("application", "reason", "said"),
    [
        (None, "no_application", "未提出提前领取养老金申请"),
        ({"date": "2018-04-02", "review_result": "pending"}, "review_pending", "尚在审核中"),
        ({"date": "2018-02-01", "review_result": "审核不通过"}, "review_rejected", "审核未通过"),
        # an application made after the year is not the year's
        ({"date": "2019-01-05", "review_result": "approved"}, "no_application", "未提出"),
    ],
)
def test_SD_2017_37_2_1_only_an_approved_application_is_paid_early(application, reason, said):
    early = early_pension(application)
    assert (early["eligible"], early["pension_age"], early["reasons"]) == (False, None, [reason])
    assert said in early["explanation"]
    assert "【SD-2017-37/2.1】" in early["explanation"]  # the clause, quoted


def test_SD_2017_37_2_1_approved_in_the_scenario_draws_at_55():
    early = early_pension({"date": "2018-03-10", "review_result": "approved"})
    # born 1965-07-20: 60 − 5 = 55, 1965 + 55 = 2020-07-20
    assert (early["eligible"], early["pension_age"], early["earliest_date"]) == (
        True,
        55,
        "2020-07-20",
    )
    assert early["review_result"] == "approved" and early["reasons"] == []


def test_a_wrong_review_result_or_a_missing_date_is_a_chinese_error():
    with pytest.raises(ScenarioError) as refused:
        early_pension({"date": "2018-03-10", "review_result": "maybe"})
    assert "resident_pension.early_application.review_result" in str(refused.value)
    assert "审核结果应为" in str(refused.value)
    with pytest.raises(ScenarioError) as refused:
        early_pension({"review_result": "approved"})
    assert "应同时填写申请日期" in str(refused.value)


# --- the command ---------------------------------------------------------------------


def invoke(registry: db.Database, monkeypatch, *args: str):
    from doudi.cli import app

    monkeypatch.setattr("doudi.plan.cli.open_registry", lambda: registry)
    return CliRunner().invoke(app, ["pension-starts", *args])


def test_the_command_writes_the_workbook_with_chinese_headers(registry, tmp_path, monkeypatch):
    load_hebei(registry, tmp_path)
    out = tmp_path / "名单.xlsx"
    result = invoke(
        registry, monkeypatch, "--region", "130203", "--year", "2018", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "申请 4 人，符合 1 人，不符合 3 人（HE-2018-3/2.1.1）" in result.output
    sheet = fastexcel.read_excel(out).load_sheet_by_name("名单").to_arrow()
    assert sheet.column_names[:2] == ["公民身份号码", "姓名"]
    assert "待遇起始日期（申请次月1日）" in sheet.column_names
    assert "审核结果" not in sheet.column_names  # Hebei's applications have no review
    assert sheet.num_rows == 4


def test_the_command_prints_the_list_without_a_workbook(registry, tmp_path, monkeypatch):
    load_hebei(registry, tmp_path)
    result = invoke(registry, monkeypatch, "--region", "130203", "--year", "2018")
    assert result.exit_code == 0, result.output
    assert (
        f"{LATE[0]} {LATE[1]} 申请 2018-03-10：符合，待遇起始日期（申请次月1日） 2018-04-01"
        in result.output
    )


@pytest.mark.parametrize(
    ("region", "year", "said"),
    [
        ("360102", "2018", "没有申请领取养老金的规定"),  # Jiangxi's document has no such rule
        ("440100", "2018", "未知的统筹地区代码"),
        ("37010", "2018", "区划代码应为6位数字"),
        ("130203", "2017", "2017"),  # Hebei's parameters begin in 2018
    ],
)
def test_a_list_that_cannot_be_made_is_a_chinese_error_and_exit_2(
    registry, tmp_path, monkeypatch, region, year, said
):
    out = tmp_path / "名单.xlsx"
    result = invoke(registry, monkeypatch, "--region", region, "--year", year, "--out", str(out))
    assert result.exit_code == 2 and "未生成名单" in result.output and said in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_an_unwritable_output_is_a_chinese_error_not_a_traceback(registry, tmp_path, monkeypatch):
    load_hebei(registry, tmp_path)
    out = tmp_path / "no" / "such" / "名单.xlsx"
    result = invoke(
        registry, monkeypatch, "--region", "130203", "--year", "2018", "--out", str(out)
    )
    assert result.exit_code == 2 and "无法写出文件" in result.output
    assert "Traceback" not in result.output
