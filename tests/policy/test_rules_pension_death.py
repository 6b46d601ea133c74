"""The dead and the government-paid contribution (issue #19 §1; HE-2018-3/3.2.1
严厉打击死亡冒领; the reading: docs/readings.md 24).

A person who died before 1 January of the year is not paid for (reason ``deceased``);
one who dies during the year keeps the year's planned contribution, and the
explanation says that nothing is withheld or booked from the death on.
"""

from __future__ import annotations

import pytest

from conftest import make_id, one, person, status
from doudi.engine.scenario import ScenarioError, evaluate

CQ = {"resident_pension.minimum_tier": 100}


def rp(result):
    return result["resident_pension"]


def poor_chongqing(death_date: str | None) -> dict:
    """A registered-poor Chongqing woman born 1980, on the list since 2016 (上年经认定),
    enrolled at the minimum tier: alive, 70% of 100 = 70.00 paid, 30.00 her own."""
    return person(
        make_id("500102", "19800512"),
        "李梅",
        death_date=death_date,
        statuses=[status("registered_poor", "2016-06-01")],
        resident_pension={"enrolled": True, "tier": 100},
    )


def test_HE_2018_3_3_2_1_died_before_the_year_is_not_paid_for():
    # issue #19: died 2017-10-01 → the 2018 plan paid 70 + 30; now nothing
    r = rp(one("500000", 2018, poor_chongqing("2017-10-01"), **CQ))
    assert r["eligible"] is False
    assert (r["contribution"], r["gov_paid"], r["self_due"]) == ("0.00", "0.00", "0.00")
    assert r["funding"] == {}
    assert r["reasons"] == ["deceased"]
    assert r["basis"] == ["HE-2018-3/3.2.1"]
    assert "死亡人员名单记载本人已于2017-10-01死亡（2018年1月1日以前）" in r["explanation"]
    assert "严厉打击死亡冒领" in r["explanation"]  # the clause's sentence, quoted


def test_HE_2018_3_3_2_1_died_on_31_december_before_the_year_is_not_paid_for():
    r = rp(one("500000", 2018, poor_chongqing("2017-12-31"), **CQ))
    assert (r["gov_paid"], r["reasons"]) == ("0.00", ["deceased"])


def test_HE_2018_3_3_2_1_died_during_the_year_keeps_the_planned_contribution():
    # Doudi's reading (docs/readings.md 24): alive on days of 2018, 2018 is planned —
    # 100 × 70% = 70.00 by the poverty office, 100 − 70 = 30.00 her own
    for day in ("2018-01-01", "2018-05-10", "2018-12-31"):
        r = rp(one("500000", 2018, poor_chongqing(day), **CQ))
        assert (r["gov_paid"], r["self_due"]) == ("70.00", "30.00"), day
        assert r["funding"] == {"poverty_office": "70.00"}
        assert "HE-2018-3/3.2.1" in r["basis"] and r["reasons"] == []
        assert f"本人已于{day}死亡：2018年度的代缴仍按计划列支（本系统的解读）" in r["explanation"]
        assert "死亡之日起不再代扣个人缴费，也不再记视同实收或事后补助" in r["explanation"]


def test_HE_2018_3_3_2_1_died_after_the_year_is_paid_as_the_living():
    alive = rp(one("500000", 2018, poor_chongqing(None), **CQ))
    later = rp(one("500000", 2018, poor_chongqing("2019-02-01"), **CQ))
    assert later == alive
    assert "HE-2018-3/3.2.1" not in later["basis"] and "死亡" not in later["explanation"]


def test_HE_2018_3_3_2_1_every_jurisdiction_pays_nothing_for_the_dead():
    # Jiangxi's fixed 100 yuan (JX-2017-58/2.1.1) and Hebei's whole minimum tier: 0.00
    jx = person(
        make_id("360102", "19800101"),
        death_date="2017-03-03",
        statuses=[status("registered_poor", "2016-01-01")],
    )
    r = rp(one("360000", 2018, jx))
    assert (r["gov_paid"], r["reasons"], r["basis"]) == ("0.00", ["deceased"], ["HE-2018-3/3.2.1"])
    he = person(
        make_id("130281", "19881111"),
        death_date="2016-08-08",
        statuses=[status("dibao", "2015-01-01")],
    )
    assert rp(one("130000", 2018, he))["reasons"] == ["deceased"]


def test_HE_2018_3_3_2_1_no_late_pension_or_early_pension_for_the_dead():
    # HE-2018-3/2.1.1's pension from the month after applying, SD-2017-37/2.1's at 55:
    # a pension drawn for a dead person is what 3.2.1 forbids
    late = person(
        make_id("130203", "19500808", "001"),
        death_date="2017-06-01",
        statuses=[status("registered_poor", "2015-01-01")],
        resident_pension={"enrolled": False, "ever_enrolled": False},
    )
    assert "late_enrollment" not in rp(one("130200", 2018, late))
    early = person(
        make_id("370102", "19650720"),
        death_date="2017-06-01",
        statuses=[status("severe_disability", "2010-01-01")],
    )
    assert "early_pension" not in rp(one("370000", 2018, early))


def test_a_death_date_before_the_birth_date_is_refused():
    p = poor_chongqing("1979-01-01")
    with pytest.raises(ScenarioError) as caught:
        evaluate({"jurisdiction": "500000", "year": 2018, "people": [p]})
    assert caught.value.problems == [
        "第1个人（李梅），字段 death_date：死亡日期 1979-01-01 早于出生日期 1980-05-12"
    ]


def test_a_death_date_that_is_not_a_date_is_refused():
    with pytest.raises(ScenarioError) as caught:
        evaluate({"jurisdiction": "500000", "year": 2018, "people": [poor_chongqing("去年")]})
    assert "字段 death_date：日期格式应为 YYYY-MM-DD" in caught.value.problems[0]


def test_HE_2018_3_3_2_1_died_before_the_year_gets_no_medical_subsidy_either():
    """The medical contribution subsidy follows the pension's reading: nobody dead before
    the year is subsidised or owes the year's contribution; a death during the year keeps
    the year (CQ-2018-82/2.2.1: 100% of the 220.00 personal contribution)."""
    dead = one("500000", 2018, poor_chongqing("2017-10-01"), **CQ)["resident_medical"]
    assert (dead["contribution"], dead["subsidy"], dead["self_due"]) == ("0.00", "0.00", "0.00")
    assert dead["reasons"] == ["deceased"] and "HE-2018-3/3.2.1" in dead["basis"]
    assert "2017-10-01死亡" in dead["explanation"]
    during = one("500000", 2018, poor_chongqing("2018-05-10"), **CQ)["resident_medical"]
    # 220.00 × 100% = 220.00 subsidised; 220.00 − 220.00 = 0.00 own
    assert (during["subsidy"], during["self_due"]) == ("220.00", "0.00")
