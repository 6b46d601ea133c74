"""Resident-pension government-paid contribution, one test per clause (RULES.md §1, §2).

Each test is named after the clause it checks; the expected value is computed by
hand from the document's sentence, with the arithmetic beside it.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

from conftest import make_id, one, person, run, status
from doudi.engine import backend, scenario
from doudi.engine.results import format_results
from doudi.policy import schema

CQ = {"resident_pension.minimum_tier": 100}


def rp(result):
    return result["resident_pension"]


def one_id_on_two_rows(
    jurisdiction: str, year: int, a: dict[str, Any], b: dict[str, Any], **params: Any
) -> list[dict[str, Any]]:
    """The rules run on a people table holding ``b`` under ``a``'s ID number.

    A scenario refuses one person twice (tests/engine/test_scenario_checks.py) and the
    registry holds one person per ID number, so no command hands the rules such a
    table; the rules still pay once per person and year over any table they are given.
    """
    checked, rows, statuses = scenario.parse(
        {"jurisdiction": jurisdiction, "year": year, "parameters": params, "people": [a, b]}
    )
    rows[1]["id_number"] = rows[0]["id_number"]
    plan = backend.plan(checked.jurisdiction, year, params)
    out = plan.run(
        people=pa.Table.from_pylist(rows, schema=schema.PEOPLE.to_pyarrow()),
        statuses=pa.Table.from_pylist(statuses, schema=schema.STATUSES.to_pyarrow()),
    )
    return format_results(sorted(out.to_pylist(), key=lambda r: r["row_no"]), plan.params)


# --- NAT-2017-59/2.1 (national default, e.g. Sichuan outside Panzhihua) -------------------


def test_NAT_2017_59_2_1_not_exit_marked_registered_poor_get_the_minimum_tier():
    p = person(make_id("510104", "19800101"), statuses=[status("registered_poor", "2016-01-01")])
    r = rp(one("510000", 2018, p))
    # part or all of the minimum tier: local-config share 100% × example tier 100 = 100.00
    assert r["gov_paid"] == "100.00"
    assert r["funding"] == {"local_government": "100.00"}
    assert "NAT-2017-59/2.1" in r["basis"]
    flagged = {f["parameter"] for f in r["local_config"]}
    assert {"resident_pension.minimum_tier", "resident_pension.gov_paid_share"} <= flagged


def test_NAT_2017_59_2_1_exit_marked_before_the_year_gets_nothing():
    p = person(
        make_id("510104", "19800101"),
        statuses=[status("registered_poor", "2015-01-01", exit_date="2017-06-30")],
    )
    r = rp(one("510000", 2018, p))
    assert r["gov_paid"] == "0.00" and r["reasons"] == ["exit_marked"]
    assert "标注脱贫" in r["explanation"]


# --- GF-2014-8/4 (who the scheme covers, every jurisdiction) ------------------------------

#: Each jurisdiction and a county of it.
COUNTIES = {
    "360000": "360102",
    "130000": "130682",
    "130200": "130281",
    "370000": "370102",
    "510400": "510402",
    "510000": "510104",
    "500000": "500102",
}


@pytest.mark.parametrize("jurisdiction", sorted(COUNTIES))
def test_GF_2014_8_4_an_enrolled_student_contributes_nothing(jurisdiction):
    # 年满16周岁（不含在校学生）: a dibao student of 18 recorded as enrolled at the 100
    # tier is no contributor: contribution 0.00, nothing paid, 0.00 due (was 100.00 due
    # beside an explanation saying students are not contributors)
    p = person(
        make_id(COUNTIES[jurisdiction], "20000101"),
        student=True,
        statuses=[status("dibao", "2016-01-01")],
        resident_pension={"enrolled": True, "tier": 100},
    )
    r = rp(one(jurisdiction, 2018, p, **CQ))
    assert (r["contribution"], r["gov_paid"], r["self_due"]) == ("0.00", "0.00", "0.00")
    assert "GF-2014-8/4" in r["basis"]
    assert "为在校学生，不属于城乡居民基本养老保险的参保范围" in r["explanation"]
    assert "缴费0.00元，个人应缴0.00元" in r["explanation"]
    assert "【GF-2014-8/4】" in r["explanation"]


def test_GF_2014_8_4_an_enrolled_child_contributes_nothing():
    # born 2010-01-01: 8 on 31 Dec 2018, under 16; no status either: before, 100.00 due
    p = person(make_id("500102", "20100101"), resident_pension={"enrolled": True, "tier": 100})
    r = rp(one("500000", 2018, p, **CQ))
    assert (r["contribution"], r["self_due"]) == ("0.00", "0.00")
    assert r["reasons"] == ["no_status"] and r["basis"] == ["CQ-2018-82/2.1.1", "GF-2014-8/4"]
    assert "但2018年12月31日未满16周岁，不属于城乡居民基本养老保险的参保范围" in r["explanation"]


def test_GF_2014_8_4_sixteen_by_31_december_contributes_at_their_tier():
    # born 2002-12-31: 16 on 31 Dec 2018, in the scheme: no status, so 200.00 is their own
    p = person(make_id("500102", "20021231"), resident_pension={"enrolled": True, "tier": 200})
    r = rp(one("500000", 2018, p, **CQ))
    assert (r["contribution"], r["self_due"]) == ("200.00", "200.00")
    assert "GF-2014-8/4" not in r["basis"] and "参保范围" not in r["explanation"]


# --- JX-2017-58/2.1.1 ---------------------------------------------------------------------


def test_JX_2017_58_2_1_1_county_pays_100_yuan_base():
    p = person(make_id("360102", "19800512"), statuses=[status("dibao", "2017-01-01")])
    p["resident_pension"] = {"enrolled": True, "tier": 300}
    r = rp(one("360000", 2018, p))
    # 按100元为基数: gov 100.00; self 300 − 100 = 200.00; county pays all
    assert (r["gov_paid"], r["self_due"], r["funding"]) == (
        "100.00",
        "200.00",
        {"county": "100.00"},
    )
    assert r["basis"] == ["JX-2017-58/2.1.1"]
    # the fixed amount is in the document: no local-config flag on the pension
    assert r["local_config"] == []


def test_JX_2017_58_2_1_1_requires_jiangxi_hukou():
    p = person(
        make_id("360102", "19800512"),
        hukou_region="440106",
        statuses=[status("tekun", "2015-01-01")],
    )
    r = rp(one("360000", 2018, p))
    assert r["gov_paid"] == "0.00" and r["reasons"] == ["hukou"]
    assert "江西省户籍" in r["explanation"]


def test_JX_2017_58_2_1_1_excludes_students_and_employee_pension():
    p = person(
        make_id("360102", "20000101"), student=True, statuses=[status("dibao", "2017-01-01")]
    )
    assert rp(one("360000", 2018, p))["reasons"] == ["student"]
    p = person(
        make_id("360102", "19800101"),
        employee_pension=True,
        statuses=[status("dibao", "2017-01-01")],
    )
    assert rp(one("360000", 2018, p))["reasons"] == ["employee_pension"]


def test_JX_2017_58_2_1_1_age_16_reached_during_the_year_counts():
    # born 2002-12-31: 16 on 31 Dec 2018 → in range; born 2003-01-01: 15 → under age
    ok = person(make_id("360102", "20021231"), statuses=[status("dibao", "2017-01-01")])
    young = person(make_id("360102", "20030101"), statuses=[status("dibao", "2017-01-01")])
    a, b = run("360000", 2018, [ok, young])
    assert rp(a)["gov_paid"] == "100.00"
    assert rp(b)["reasons"] == ["under_age"]


def test_JX_2017_58_2_1_1_exit_marked_registered_poor_excluded():
    p = person(
        make_id("360102", "19800101"),
        statuses=[status("registered_poor", "2014-01-01", exit_date="2017-11-30")],
    )
    assert rp(one("360000", 2018, p))["reasons"] == ["exit_marked"]


# --- HE-2018-3 ------------------------------------------------------------------------------


def test_HE_2018_3_1_exited_registered_poor_are_included():
    p = person(
        make_id("130281", "19720909"),
        statuses=[status("registered_poor", "2014-06-01", exit_date="2017-12-15")],
    )
    r = rp(one("130000", 2018, p))
    assert r["gov_paid"] == "100.00"
    assert "HE-2018-3/1" in r["basis"]


def test_HE_2018_3_2_1_1_thirds_add_up_exactly():
    p = person(make_id("130281", "19881111"), statuses=[status("dibao", "2016-01-01")])
    r = rp(one("130000", 2018, p))
    # 100.00 / 3 = 33.333…: 33.34 + 33.33 + 33.33 = 100.00
    assert r["funding"] == {"province": "33.34", "city": "33.33", "county": "33.33"}


def test_HE_2018_3_2_1_1_province_direct_county_province_pays_city_third():
    p = person(make_id("130682", "19760404"), statuses=[status("tekun", "2017-05-01")])
    r = rp(one("130000", 2018, p))
    # province 2/3 × 100 = 66.67, city 0, county 1/3 = 33.33 (example county list: local-config)
    assert r["funding"] == {"province": "66.67", "city": "0.00", "county": "33.33"}
    assert "resident_pension.province_direct_counties" in {
        f["parameter"] for f in r["local_config"]
    }


def test_HE_2018_3_2_1_1_once_per_person_per_year():
    a = person(make_id("130281", "19881111"), statuses=[status("dibao", "2018-01-01")])
    b = person(make_id("130281", "19881112"), statuses=[status("registered_poor", "2016-01-01")])
    first, second = one_id_on_two_rows("130000", 2018, a, b)
    assert rp(first)["gov_paid"] == "100.00"
    assert rp(second)["gov_paid"] == "0.00" and rp(second)["reasons"] == ["duplicate"]
    assert "只能享受一次" in rp(second)["explanation"]


def test_HE_2018_3_2_1_1_retained_100_tier_after_a_raise():
    # Province raises the minimum tier to 200; a poor person keeps the 100-yuan tier.
    p = person(make_id("130281", "19881111"), statuses=[status("dibao", "2016-01-01")])
    p["resident_pension"] = {"enrolled": True, "tier": 100}
    r = rp(one("130000", 2019, p, **{"resident_pension.minimum_tier": 200}))
    # contribution 100 (retained tier); gov pays min(200, 100) = 100.00; self 0.00
    assert (r["contribution"], r["gov_paid"], r["self_due"]) == ("100.00", "100.00", "0.00")
    assert "保留100元缴费档次" in r["explanation"]


def test_HE_2018_3_2_1_1_until_end_of_2020():
    p = person(make_id("130281", "19881111"), statuses=[status("dibao", "2016-01-01")])
    assert rp(one("130000", 2020, p))["gov_paid"] == "100.00"
    r = rp(one("130000", 2021, p))
    assert r["gov_paid"] == "0.00" and r["reasons"] == ["not_in_force"]


def test_HE_2018_3_2_1_1_aged_60_never_enrolled_no_back_pay_pension_next_month():
    p = person(
        make_id("130203", "19500808", "001"),
        statuses=[status("registered_poor", "2015-01-01")],
        resident_pension={
            "enrolled": False,
            "ever_enrolled": False,
            "application_date": "2018-03-15",
        },
    )
    late = rp(one("130200", 2018, p))["late_enrollment"]
    assert late["back_payment"] == "0.00"
    assert late["pension_from"] == "2018-04-01"  # the month after 2018-03-15


def test_HE_2018_3_2_1_1_an_application_after_the_year_starts_no_pension_in_it():
    """Registered poor, born 1958-04-20, never enrolled, applied 2019-02-17: 2018 has no
    application (reading 41: the first made by the year's end, as the registry reads it
    and 2018's pension-start list shows), so 2018's result starts no pension (before: from
    2019-03-01); 2019's does, from the month after February: 2019-03-01."""
    p = person(
        make_id("130203", "19580420", "001"),
        statuses=[status("registered_poor", "2015-01-01")],
        resident_pension={
            "enrolled": False,
            "ever_enrolled": False,
            "application_date": "2019-02-17",
        },
    )
    late = rp(one("130200", 2018, p))["late_enrollment"]
    # 60 on 2018-12-31 (1958 + 60 = 2018-04-20): qualifies, but has not applied in 2018
    assert (late["eligible"], late["pension_from"], late["reasons"]) == (True, None, [])
    assert "尚未申请" in late["explanation"]
    late = rp(one("130200", 2019, p))["late_enrollment"]
    assert (late["eligible"], late["pension_from"]) == (True, "2019-03-01")


def test_HE_2018_3_2_1_2_status_held_two_months_of_the_year_counts():
    p = person(
        make_id("130281", "19881111"), statuses=[status("dibao", "2018-09-01", "2018-11-01")]
    )
    r = rp(one("130000", 2018, p))
    assert r["gov_paid"] == "100.00" and "HE-2018-3/2.1.2" in r["basis"]
    # a period that ended on 2018-01-01 (exclusive) was never held in 2018
    p = person(
        make_id("130281", "19881111"), statuses=[status("dibao", "2017-03-01", "2018-01-01")]
    )
    assert rp(one("130000", 2018, p))["reasons"] == ["no_status"]


# --- SD-2017-37/2.1 -------------------------------------------------------------------------


def test_SD_2017_37_2_1_part_or_all_of_the_minimum_tier():
    p = person(make_id("370102", "19700101"), statuses=[status("tekun", "2016-01-01")])
    r = rp(one("370000", 2018, p, **{"resident_pension.gov_paid_share": "0.5"}))
    # what-if: half of the example minimum tier 100 = 50.00; self 50.00
    assert (r["gov_paid"], r["self_due"]) == ("50.00", "50.00")
    assert any(f["source"] == "scenario-override" for f in r["local_config"])


def test_SD_2017_37_2_1_severe_disability_pension_five_years_early():
    p = person(
        make_id("370102", "19650720"),
        statuses=[status("severe_disability", "2010-01-01")],
        resident_pension={
            "enrolled": True,
            "early_application": {"date": "2018-05-10", "review_result": "approved"},
        },
    )
    early = rp(one("370000", 2018, p))["early_pension"]
    assert early["pension_age"] == 55  # 60 − 5
    assert early["earliest_date"] == "2020-07-20"


# --- PZH-2018-195 ---------------------------------------------------------------------------


def test_PZH_2018_195_1_1_county_pays_100_in_full_2018_only():
    p = person(make_id("510402", "19750505"), statuses=[status("registered_poor", "2016-01-01")])
    r = rp(one("510400", 2018, p))
    assert (r["gov_paid"], r["funding"]) == ("100.00", {"county": "100.00"})
    assert rp(one("510400", 2019, p))["reasons"] == ["not_in_force"]


def test_PZH_2018_195_1_2_third_party_funds_the_rest():
    p = person(make_id("510402", "19800808"), statuses=[status("dibao", "2017-07-01")])
    p["resident_pension"] = {"enrolled": True, "tier": 500, "third_party_funding": 400}
    r = rp(one("510400", 2018, p))
    # 500 − 100 (government) = 400 left; the third party pays 400.00; self 0.00
    assert (r["third_party_paid"], r["self_due"]) == ("400.00", "0.00")
    assert "PZH-2018-195/1.2" in r["basis"]


def test_PZH_2018_195_1_2_funding_above_the_highest_tier_may_choose_employee_pension():
    p = person(make_id("510402", "19800808"), statuses=[status("dibao", "2017-07-01")])
    p["resident_pension"] = {"enrolled": True, "tier": 3000, "third_party_funding": 5000}
    assert rp(one("510400", 2018, p))["may_choose_employee_pension"] is True


def test_PZH_2018_195_1_3_subsidy_on_the_summed_amount():
    p = person(make_id("510402", "19750505"), statuses=[status("registered_poor", "2016-01-01")])
    p["resident_pension"] = {"enrolled": True, "tier": 300}
    table = {"100": 30, "200": 35, "300": 40}
    r = rp(one("510400", 2018, p, **{"resident_pension.subsidy_table": table}))
    # 100 (government) + 200 (voluntary) = 300 → the 300 tier's subsidy 40.00, not 100's 30.00
    assert r["contribution_subsidy"] == "40.00"
    assert "PZH-2018-195/1.3" in r["basis"]


# --- CQ-2018-82 -----------------------------------------------------------------------------


def test_CQ_2018_82_2_1_1_tekun_100_percent_others_70_percent():
    tekun = person(make_id("500102", "19650315"), statuses=[status("tekun", "2016-05-01")])
    poor = person(make_id("500102", "19900720"), statuses=[status("registered_poor", "2015-03-01")])
    poor["resident_pension"] = {"enrolled": True, "tier": 200}
    a, b = run("500000", 2018, [tekun, poor], **CQ)
    assert (rp(a)["gov_paid"], rp(a)["funding"]) == ("100.00", {"civil_affairs": "100.00"})
    # 70% × 100 = 70.00 on any tier; self 200 − 70 = 130.00
    assert (rp(b)["gov_paid"], rp(b)["self_due"]) == ("70.00", "130.00")
    assert rp(b)["funding"] == {"poverty_office": "70.00"}


def test_CQ_2018_82_2_1_1_under_60_on_1_january():
    p = person(make_id("500102", "19500101"), statuses=[status("dibao", "2017-01-01")])
    r = rp(one("500000", 2018, p, **CQ))
    assert r["gov_paid"] == "0.00" and r["reasons"] == ["over_age"]
    assert "68周岁" in r["explanation"] and "未满60周岁" in r["explanation"]


def test_CQ_2018_82_2_1_1_recognised_in_the_previous_year_only():
    p = person(make_id("500102", "19820202"), statuses=[status("dibao", "2018-03-01")])
    r = rp(one("500000", 2018, p, **CQ))
    assert r["reasons"] == ["not_recognised_last_year"]
    assert "2019年起代缴" in r["explanation"]
    assert rp(one("500000", 2019, p, **CQ))["gov_paid"] == "70.00"


def test_CQ_2018_82_2_1_1_dynamic_management_gone_by_year_end():
    # recognised in 2017 but the dibao period closed on 2017-10-01: not a 2018 target
    p = person(
        make_id("500102", "19820202"), statuses=[status("dibao", "2016-01-01", "2017-10-01")]
    )
    assert rp(one("500000", 2018, p, **CQ))["gov_paid"] == "0.00"


def test_CQ_2018_82_2_1_1_both_departments_civil_affairs_once():
    p = person(
        make_id("500102", "19700101"),
        statuses=[status("dibao", "2016-01-01"), status("registered_poor", "2015-01-01")],
    )
    r = rp(one("500000", 2018, p, **CQ))
    assert (r["gov_paid"], r["funding"]) == ("70.00", {"civil_affairs": "70.00"})
    assert "按民政代缴对象执行" in r["explanation"]


def test_CQ_2018_82_2_1_1_severely_disabled_minimum_tier_continued():
    p = person(make_id("500102", "19661010"), statuses=[status("severe_disability", "2012-01-01")])
    r = rp(one("500000", 2018, p, **CQ))
    assert r["gov_paid"] == "100.00"
    assert "resident_pension.severe_disability_payer" in {f["parameter"] for f in r["local_config"]}


def test_CQ_2018_82_2_1_1_policy_runs_2018_to_2020():
    p = person(make_id("500102", "19650315"), statuses=[status("tekun", "2016-05-01")])
    assert rp(one("500000", 2020, p, **CQ))["gov_paid"] == "100.00"
    assert rp(one("500000", 2021, p, **CQ))["reasons"] == ["not_in_force"]


def test_CQ_2018_82_2_1_2_keep_the_old_minimum_tier():
    p = person(make_id("500102", "19900720"), statuses=[status("registered_poor", "2015-03-01")])
    p["resident_pension"] = {"enrolled": True, "tier": 100}
    r = rp(one("500000", 2019, p, **{"resident_pension.minimum_tier": 200}))
    # minimum raised to 200; kept at the old minimum 100, which is then the minimum tier
    # for this person: 70% × 100 = 70.00; self 100 − 70 = 30.00 (docs/readings.md)
    assert (r["contribution"], r["gov_paid"], r["self_due"]) == ("100.00", "70.00", "30.00")
    assert "CQ-2018-82/2.1.2" in r["basis"]


def test_SD_2017_37_2_1_and_PZH_2018_195_1_1_cover_those_who_may_enroll():
    # "符合参加居民基本养老保险条件的": a dibao recipient not yet enrolled is paid for
    # (minimum tier 100 × 100% = 100.00) and must be enrolled; Jiangxi and Hebei say
    # "参加…的": there, not enrolled means no contribution to pay for.
    def not_enrolled(region):
        return person(
            make_id(region, "19800101"),
            statuses=[status("dibao", "2016-01-01")],
            resident_pension={"enrolled": False},
        )

    sd = rp(one("370000", 2018, not_enrolled("370102")))
    assert (sd["gov_paid"], sd["self_due"]) == ("100.00", "0.00")
    assert "办理城乡居民养老保险参保登记" in sd["explanation"]
    assert rp(one("510400", 2018, not_enrolled("510402")))["gov_paid"] == "100.00"
    assert rp(one("360000", 2018, not_enrolled("360102")))["reasons"] == ["not_enrolled"]
    assert rp(one("130000", 2018, not_enrolled("130281")))["reasons"] == ["not_enrolled"]


def test_CQ_2018_82_2_1_1_one_id_on_two_rows_gets_the_better_status_once():
    # the poverty office's row first (70%), civil affairs' tekun row second (100%):
    # one subsidy, the more favourable: 100.00 from civil affairs; the other row nothing
    poor = person(make_id("500102", "19650315"), statuses=[status("registered_poor", "2015-01-01")])
    tekun = person(make_id("500102", "19650316"), statuses=[status("tekun", "2016-01-01")])
    first, second = one_id_on_two_rows("500000", 2018, poor, tekun, **CQ)
    assert rp(first)["reasons"] == ["duplicate"] and rp(first)["gov_paid"] == "0.00"
    assert (rp(second)["gov_paid"], rp(second)["funding"]) == (
        "100.00",
        {"civil_affairs": "100.00"},
    )
    # Chongqing's own sentence decides the second row, not Hebei's once-per-year clause
    assert "CQ-2018-82/2.1.1" in rp(first)["basis"]
    assert not any(c.startswith("HE-") for c in rp(first)["basis"])
    assert "多重身份对象不重复享受补助" in rp(first)["explanation"]
