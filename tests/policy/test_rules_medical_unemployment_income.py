"""Medical contribution subsidy (§3.1), unemployment (§4), basic-pension income exclusion (§2)."""

from __future__ import annotations

from conftest import make_id, one, person, run, status


def rm(result):
    return result["resident_medical"]


# --- §3.1 resident-medical contribution subsidy -----------------------------------------


def test_NAT_2017_59_2_1_medical_poor_persons_subsidised_at_local_share():
    p = person(make_id("510104", "19800101"), statuses=[status("dibao", "2016-01-01")])
    r = rm(one("510000", 2018, p, **{"resident_medical.subsidy_share": "0.5"}))
    # what-if share 50% × example standard 220 = 110.00
    assert (r["subsidy"], r["self_due"]) == ("110.00", "110.00")
    assert r["basis"] == ["NAT-2017-59/2.1"]


def test_JX_2017_58_2_1_2_listed_categories_fully_subsidised():
    young = person(
        make_id("360102", "20100101"),
        statuses=[status("severe_disability", "2015-01-01")],
    )
    adult = person(
        make_id("360102", "19800101"),
        unable_to_work=True,
        statuses=[status("severe_disability", "2015-01-01")],
    )
    able = person(
        make_id("360102", "19800101", "004"), statuses=[status("severe_disability", "2015-01-01")]
    )
    elderly = person(
        make_id("360102", "19500101"), statuses=[status("low_income_family", "2015-01-01")]
    )
    midlife = person(
        make_id("360102", "19700101"), statuses=[status("low_income_family", "2015-01-01")]
    )
    soldier = person(
        make_id("360102", "19750101"), statuses=[status("demobilized_14", "2015-01-01")]
    )
    results = run("360000", 2018, [young, adult, able, elderly, midlife, soldier])
    got = [(rm(r)["category"], rm(r)["subsidy"]) for r in results]
    # 100% × 220 (example standard) = 220.00 for each listed category; none for the others
    assert got == [
        ("severe_disability_child", "220.00"),
        ("severe_disability_unable_to_work", "220.00"),
        (None, "0.00"),
        ("low_income_family_elderly", "220.00"),
        (None, "0.00"),
        ("demobilized_14", "220.00"),
    ]


def test_JX_2017_58_2_1_2_levels_split_the_subsidy_by_local_config_weights():
    """各级财政具体分担标准按照赣财社〔2017〕29号执行: a document we do not have, so the
    split between province, city and county is local config, and the result says so."""
    p = person(make_id("360102", "19800101"), statuses=[status("dibao", "2015-01-01")])
    r = rm(one("360000", 2018, p))
    # 220.00 = 22000 fen in weights 1:1:1: 7333 fen each, the 1 fen left over to the
    # payer listed first → 73.34 + 73.33 + 73.33 = 220.00
    assert r["funding"] == {"province": "73.34", "city": "73.33", "county": "73.33"}
    flagged = {f["parameter"] for f in r["local_config"]}
    assert "resident_medical.payer_weights" in flagged


def test_JX_2017_58_2_1_2_split_follows_overridden_weights_exactly():
    p = person(make_id("360102", "19800101"), statuses=[status("dibao", "2015-01-01")])
    weights = {"province": 2, "county": 1}
    r = rm(one("360000", 2018, p, **{"resident_medical.payer_weights": weights}))
    # 22000 fen × 2/3 = 14666.67 → 14666, × 1/3 = 7333.33 → 7333; 1 fen left goes to the
    # larger remainder (province's 0.67) → 146.67 + 73.33 = 220.00
    assert r["funding"] == {"province": "146.67", "county": "73.33"}


def test_HE_2018_3_2_2_1_finance_pays_the_subsidy_as_the_document_says():
    """由财政给予全额资助 / 财政按…60%予以资助: finance, cited, not local config."""
    poor = person(make_id("130281", "19800101"), statuses=[status("registered_poor", "2015-01-01")])
    other = person(
        make_id("130281", "19800101", "004"), statuses=[status("other_assistance", "2015-01-01")]
    )
    full, part = (rm(r) for r in run("130200", 2018, [poor, other]))
    # 100% × 220 = 220.00; 60% × 220 = 132.00, all of it finance's
    assert full["funding"] == {"finance": "220.00"}
    assert part["funding"] == {"finance": "132.00"}
    flagged = {f["parameter"] for f in part["local_config"]}
    assert "resident_medical.payer_weights" not in flagged


def test_NAT_2017_59_2_1_nobody_pays_where_nothing_is_subsidised():
    p = person(make_id("510104", "19800101"))
    assert rm(one("510000", 2018, p))["funding"] == {}


def test_HE_2018_3_2_2_1_full_for_registered_poor_and_tekun_60_percent_for_others():
    poor = person(make_id("130281", "19800101"), statuses=[status("registered_poor", "2015-01-01")])
    dibao = person(make_id("130281", "19800101", "004"), statuses=[status("dibao", "2015-01-01")])
    both = person(
        make_id("130281", "19800101", "006"),
        statuses=[status("dibao", "2015-01-01"), status("tekun", "2016-01-01")],
    )
    a, b, c = run("130000", 2018, [poor, dibao, both])
    assert rm(a)["subsidy"] == "220.00"  # 100% × 220
    assert rm(b)["subsidy"] == "132.00"  # 60% × 220 = 132.00
    assert rm(c)["subsidy"] == "220.00"  # tekun wins: one subsidy, the higher share


def test_HE_2018_3_2_2_1_exit_after_2016_08_01_still_registered_poor():
    after = person(
        make_id("130281", "19800101"),
        statuses=[status("registered_poor", "2014-01-01", exit_date="2016-09-01")],
    )
    before = person(
        make_id("130281", "19800101", "004"),
        statuses=[status("registered_poor", "2014-01-01", exit_date="2016-07-31")],
    )
    a, b = run("130000", 2018, [after, before])
    assert rm(a)["subsidy"] == "220.00"
    assert rm(b)["subsidy"] == "0.00" and rm(b)["reasons"] == ["exit_marked"]


def test_SD_2017_37_2_2_poor_persons_subsidised():
    p = person(make_id("370102", "19800101"), statuses=[status("tekun", "2015-01-01")])
    r = rm(one("370000", 2018, p))
    assert r["subsidy"] == "220.00" and r["basis"] == ["SD-2017-37/2.2"]
    assert {f["parameter"] for f in r["local_config"]} == {
        "resident_medical.personal_contribution",
        "resident_medical.subsidy_share",
    }


def test_PZH_2018_195_2_1_and_CQ_2018_82_2_2_1_local_config_shares():
    p = person(make_id("510402", "19800101"), statuses=[status("registered_poor", "2015-01-01")])
    assert rm(one("510400", 2018, p))["basis"] == ["PZH-2018-195/2.1"]
    q = person(make_id("500102", "19800101"), statuses=[status("dibao", "2015-01-01")])
    r = rm(one("500000", 2018, q, **{"resident_medical.subsidy_share": "0.8"}))
    assert (r["subsidy"], r["basis"]) == ("176.00", ["CQ-2018-82/2.2.1"])  # 80% × 220


def test_employee_medical_members_get_no_resident_subsidy():
    p = person(
        make_id("130281", "19800101"),
        employee_medical=True,
        statuses=[status("tekun", "2015-01-01")],
    )
    assert rm(one("130000", 2018, p))["reasons"] == ["employee_medical"]


# --- §4 unemployment ------------------------------------------------------------------------


def jx_worker(**ue):
    facts = {"rural_contract_worker": True, "months_at_unit": 24, "unit_paid": True}
    facts.update(ue)
    return person(make_id("360102", "19900101"), unemployment=facts)


def test_JX_2017_58_2_3_9_one_off_allowance_started_year_counts_whole():
    r = one("360000", 2018, jx_worker(contract_end="expired_not_renewed", contribution_months=25))
    ue = r["unemployment"]["one_off_living_allowance"]
    # 25 months = 2 years + a started year → 3 months; 0.6 × 1200 (local-config) × 3 = 2160.00
    assert (ue["months"], ue["amount"]) == (3, "2160.00")


def test_JX_2017_58_2_3_9_one_off_allowance_at_most_24_months():
    # 30 years → capped at 24 months: 0.6 × 1000 × 24 = 14400.00 (what-if base 1000)
    r = one(
        "360000",
        2018,
        jx_worker(contract_end="terminated_early", contribution_months=360),
        **{"unemployment.monthly_benefit_base": 1000},
    )
    ue = r["unemployment"]["one_off_living_allowance"]
    assert (ue["months"], ue["amount"]) == (24, "14400.00")


def test_JX_2017_58_2_3_9_one_off_allowance_needs_a_full_year_and_an_ended_contract():
    short = one(
        "360000",
        2018,
        jx_worker(months_at_unit=11, contract_end="terminated_early", contribution_months=11),
    )
    assert short["unemployment"]["one_off_living_allowance"]["reasons"] == ["short_at_unit"]
    running = one("360000", 2018, jx_worker(contribution_months=24))
    assert running["unemployment"]["one_off_living_allowance"]["reasons"] == ["contract_not_ended"]


def test_JX_2017_58_2_3_9_skill_upgrade_subsidy_by_certificate_level():
    def skill(level, months, cert_date="2018-05-01"):
        w = jx_worker(
            insured_months=months,
            contribution_months=months,
            certificate_level=level,
            certificate_date=cert_date,
        )
        return one("360000", 2018, w)["unemployment"]["skill_upgrade_subsidy"]

    assert skill(5, 36)["amount"] == "1000.00"  # 36 months included (含36个月)
    assert skill(4, 48)["amount"] == "1500.00"
    assert skill(3, 48)["amount"] == "2000.00"
    assert skill(3, 35)["reasons"] == ["short_insured", "short_contribution"]
    assert skill(4, 48, "2016-12-31")["reasons"] == ["cert_too_early"]


def test_JX_2017_58_2_1_3_rural_contract_workers_pay_no_unemployment_contribution():
    r = one("360000", 2018, jx_worker(contract_end="terminated_early", contribution_months=12))
    assert r["unemployment"]["personal_contribution"] == "0.00"
    assert "JX-2017-58/2.1.3" in r["unemployment"]["basis"]


def test_HE_2018_3_2_4_rural_workers_at_the_urban_standard():
    facts = {
        "rural_contract_worker": True,
        "benefit_qualified": True,
        "medical_scheme": "resident",
        "resident_medical_paid": 220,
    }
    r = one("130200", 2018, person(make_id("130281", "19881111"), unemployment=facts))[
        "unemployment"
    ]
    assert (r["monthly_benefit"], r["benefit_standard"]) == ("1300.00", "urban")
    assert r["resident_medical_subsidy"] == "220.00"  # the premium actually paid
    facts["medical_scheme"] = "employee"
    r = one("130200", 2018, person(make_id("130281", "19881111"), unemployment=facts))[
        "unemployment"
    ]
    assert r["employee_medical_paid_by_fund"] is True


# --- basic pension not counted as household income --------------------------------------


def test_basic_pension_excluded_from_income_until_2020_in_every_document():
    clause = {
        "510000": "NAT-2017-59",
        "360000": "JX-2017-58/2.3.7",
        "130000": "HE-2018-3/2.1.4",
        "370000": "SD-2017-37/2.1",
        "510400": "PZH-2018-195/4",
        "500000": "CQ-2018-82/2.1.3",
    }
    for code, cid in clause.items():
        p = person(
            make_id("110101", "19500101"), household_income={"total": 9600, "basic_pension": 1416}
        )
        inc = one(code, 2018, p)["income_assessment"]
        # 9600 − 1416 = 8184.00
        assert (inc["countable_income"], inc["basis"]) == ("8184.00", [cid]), code
    later = one("130000", 2021, p)["income_assessment"]
    assert later["countable_income"] == "9600.00"  # after the 13th five-year plan
