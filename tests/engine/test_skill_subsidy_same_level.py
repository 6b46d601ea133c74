"""A level of the skill-upgrade subsidy is paid once (人社部发〔2017〕40号: 对同一职业同一
等级只能享受一次, which JX-2017-58/2.3.9 implements; docs/readings.md). The plan cannot
tell whether an earlier year's certificate of the same level was paid, so the year's
subsidy is computed and its explanation asks the caseworker to check (issue #20)."""

from __future__ import annotations

from typing import Any

import doudi

NOTE = "技能提升补贴对同一职业同一等级只能享受一次"


def skill(months: int = 40, **unemployment: Any) -> dict[str, Any]:
    """A 2018 Jiangxi rural contract worker with a 四级 certificate of 2018-09-01."""
    worker = {
        "id_number": "360102198005120017",
        "hukou_region": "360102",
        "unemployment": {
            "rural_contract_worker": True,
            "contribution_months": months,
            "insured_months": months,
            "certificate_level": 4,
            "certificate_date": "2018-09-01",
            **unemployment,
        },
    }
    result = doudi.evaluate({"jurisdiction": "360000", "year": 2018, "people": [worker]})
    return result["results"][0]["unemployment"]


def test_JX_2017_58_2_3_9_an_earlier_certificate_of_the_same_level_is_flagged() -> None:
    """四级 obtained again: 1500.00 planned (the 四级 amount), the note names 2017-05-02."""
    found = skill(same_level_certificate_date="2017-05-02")
    assert found["skill_upgrade_subsidy"]["amount"] == "1500.00"
    assert "注意：本人已于2017-05-02取得同为四级（中级工）的证书" in found["explanation"]
    assert NOTE in found["explanation"]


def test_JX_2017_58_2_3_9_no_flag_without_an_earlier_subsidised_certificate() -> None:
    """None stated; one of 2016 (before 2017-01-01: never subsidised); or no subsidy
    this year (36 months not reached: 35 < 36)."""
    assert NOTE not in skill()["explanation"]
    assert NOTE not in skill(same_level_certificate_date="2016-12-31")["explanation"]
    unpaid = skill(months=35, same_level_certificate_date="2017-05-02")
    assert unpaid["skill_upgrade_subsidy"]["amount"] == "0.00"
    assert NOTE not in unpaid["explanation"]
