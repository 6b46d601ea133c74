"""Hebei's rural workers' unemployment benefit through a scenario (HE-2018-3/2.4, issue #20 §2).

按照城镇职工的标准领取失业保险金。在领取失业保险金期间参加职工医保的，由失业保险基金负担医疗保险费；
参加城镇居民医保的，可按照实际缴纳的医疗保险费领取医疗保险补贴。

Tangshan 2018: the urban monthly benefit is local config, 1300 yuan (what-if 1200 below
where said). The fund pays, for the year: the benefit of the months drawn, the
employee-medical premium, or the refund of the resident-medical premium.
"""

from __future__ import annotations

import pytest

import doudi
from conftest import make_id, one, person
from doudi.engine import totals
from doudi.engine.scenario import ScenarioError

WORKER = make_id("130281", "19881111", "012")


def worker(**facts):
    ue = {"rural_contract_worker": True, "benefit_qualified": True, "benefit_months": 6}
    ue.update(facts)
    return person(WORKER, "刘芳", unemployment=ue)


def test_HE_2018_3_2_4_employee_scheme_the_fund_pays_six_months_and_the_premium():
    r = one(
        "130200",
        2018,
        worker(medical_scheme="employee", employee_medical_premium=600),
        **{"unemployment.urban_monthly_benefit": 1200},
    )["unemployment"]
    # 1200 × 6 = 7200.00 benefit + 600.00 employee premium = 7800.00
    assert (r["benefit_months"], r["benefit"], r["employee_medical_premium"]) == (
        6,
        "7200.00",
        "600.00",
    )
    assert r["resident_medical_subsidy"] == "0.00"
    assert r["funding"] == {"unemployment_fund": "7800.00"}
    assert r["basis"] == ["HE-2018-3/2.4"]
    assert "失业保险金1200.00元/月 × 6个月 = 7200.00元" in r["explanation"]
    assert "失业保险基金负担职工医保费600.00元" in r["explanation"]
    assert "共支付7800.00元" in r["explanation"]


def test_HE_2018_3_2_4_resident_scheme_the_fund_pays_six_months_and_refunds_the_premium():
    r = one("130200", 2018, worker(medical_scheme="resident", resident_medical_paid=220))[
        "unemployment"
    ]
    # 1300 (local config) × 6 = 7800.00 benefit + 220.00 refund = 8020.00
    assert (r["benefit"], r["employee_medical_premium"], r["resident_medical_subsidy"]) == (
        "7800.00",
        "0.00",
        "220.00",
    )
    assert r["funding"] == {"unemployment_fund": "8020.00"}
    assert [f["parameter"] for f in r["local_config"]] == ["unemployment.urban_monthly_benefit"]


def test_HE_2018_3_2_4_an_employee_premium_is_not_paid_to_one_in_the_resident_scheme():
    r = one(
        "130200",
        2018,
        worker(medical_scheme="resident", resident_medical_paid=220, employee_medical_premium=600),
    )["unemployment"]
    # 1300 × 6 = 7800.00 + 220.00 refund; the 600 of an employee premium is not theirs
    assert r["employee_medical_premium"] == "0.00"
    assert r["funding"] == {"unemployment_fund": "8020.00"}


def test_HE_2018_3_2_4_a_worker_who_does_not_qualify_gets_nothing():
    r = one(
        "130200",
        2018,
        worker(benefit_qualified=False, medical_scheme="employee", employee_medical_premium=600),
    )["unemployment"]
    assert (r["eligible"], r["benefit"], r["employee_medical_premium"]) == (False, "0.00", "0.00")
    assert r["funding"] == {"unemployment_fund": "0.00"}


def test_HE_2018_3_3_2_1_a_worker_dead_before_the_year_gets_nothing():
    dead = worker(medical_scheme="employee", employee_medical_premium=600)
    dead["death_date"] = "2017-12-01"
    r = one("130200", 2018, dead)["unemployment"]
    assert (r["eligible"], r["benefit"], r["funding"]) == (
        False,
        "0.00",
        {"unemployment_fund": "0.00"},
    )


def test_HE_2018_3_2_4_months_not_stated_pay_no_benefit_and_say_so():
    r = one("130200", 2018, worker(benefit_months=None, medical_scheme="resident"))["unemployment"]
    assert (r["benefit_months"], r["benefit"]) == (None, "0.00")
    assert "未载明本年领取月数" in r["explanation"]


def test_HE_2018_3_2_4_totals_sum_the_benefit_and_the_premiums():
    employee = worker(medical_scheme="employee", employee_medical_premium=600)
    resident = worker(medical_scheme="resident", resident_medical_paid=220)
    resident["id_number"] = make_id("130281", "19881111", "024")
    result = doudi.evaluate(
        {"jurisdiction": "130200", "year": 2018, "people": [employee, resident]}
    )
    ue = totals.of(result)["unemployment"]
    # benefit 1300 × 6 × 2 = 15600.00; premiums 600.00 and 220.00; fund 15600 + 600 + 220
    assert (ue["benefit"], ue["employee_medical_premium"], ue["resident_medical_subsidy"]) == (
        "15600.00",
        "600.00",
        "220.00",
    )
    assert ue["funding"] == {"unemployment_fund": "16420.00"}


@pytest.mark.parametrize(
    ("months", "said"), [(13, "0 至 12 之间"), (-1, "非负整数"), ("六", "非负整数")]
)
def test_HE_2018_3_2_4_a_bad_number_of_months_is_refused_in_chinese(months, said):
    with pytest.raises(ScenarioError) as refused:
        doudi.evaluate(
            {"jurisdiction": "130200", "year": 2018, "people": [worker(benefit_months=months)]}
        )
    [problem] = refused.value.problems
    assert "unemployment.benefit_months" in problem and said in problem
