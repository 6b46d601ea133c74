"""The scenario's insured region (参保地, ``insured_region``) apart from the hukou region
(docs/scenario.md; docs/readings.md 38): its default, its validation, and what it
changes in each document's resident-pension contribution."""

from __future__ import annotations

import pytest

import doudi
from conftest import make_id, one, person, status
from doudi.engine.scenario import ScenarioError

JX = make_id("360102", "19800512")  # 东湖区, Jiangxi
CQ = make_id("500102", "19800512")  # 涪陵区, Chongqing
POOR = [status("registered_poor", "2016-06-01")]


def test_the_insured_region_defaults_to_the_hukou_region_and_changes_nothing():
    """Not stated, or stated as the hukou county: the same result, with no
    ``insured_region`` key (residents enroll at their hukou: GF-2014-8/4)."""
    plain = one("360000", 2018, person(JX, statuses=POOR))
    home = one("360000", 2018, person(JX, statuses=POOR, insured_region="360102"))
    assert plain == home
    assert "insured_region" not in plain["resident_pension"]
    assert plain["resident_pension"]["gov_paid"] == "100.00"


def test_GF_2014_8_4_chongqing_target_insured_outside_chongqing_is_not_paid_or_withheld():
    """Chongqing registered poor, tier 200, insured in 广州市荔湾区 (440103): CQ-2018-82/2.1.1
    would pay 70% of the minimum tier (100 × 70% = 70.00) at home; outside Chongqing the
    district neither pays nor withholds: gov_paid 0.00, contribution 0.00, self_due 0.00,
    reason ``insured_elsewhere``, GF-2014-8/4 cited and quoted in the explanation."""
    p = person(
        CQ,
        statuses=[status("registered_poor", "2016-06-01")],
        resident_pension={"enrolled": True, "tier": 200},
        insured_region="440103",
    )
    pension = one("500000", 2018, p, **{"resident_pension.minimum_tier": 100})["resident_pension"]
    assert (pension["gov_paid"], pension["contribution"], pension["self_due"]) == (
        "0.00",
        "0.00",
        "0.00",
    )
    assert pension["reasons"] == ["insured_elsewhere"]
    assert pension["basis"] == ["GF-2014-8/4"]
    assert pension["funding"] == {}
    assert "参保地为440103" in pension["explanation"]
    assert "不在重庆市" in pension["explanation"]
    assert "可以在户籍地参加城乡居民养老保险" in pension["explanation"]


def test_CQ_2018_82_2_1_1_target_insured_in_another_district_is_paid_as_at_home():
    """Insured in 万州区 (500101), hukou 涪陵区 (500102), both Chongqing: 100 × 70% = 70.00
    by the poverty office, 200 − 70 = 130.00 their own, as at home; 异地参保 is explained."""
    p = person(
        CQ,
        statuses=[status("registered_poor", "2016-06-01")],
        resident_pension={"enrolled": True, "tier": 200},
        insured_region="500101",
    )
    pension = one("500000", 2018, p, **{"resident_pension.minimum_tier": 100})["resident_pension"]
    assert (pension["gov_paid"], pension["self_due"]) == ("70.00", "130.00")
    assert pension["funding"] == {"poverty_office": "70.00"}
    assert pension["insured_region"] == "500101"
    assert "本人异地参保：参保地为500101" in pension["explanation"]


def test_the_medical_subsidy_does_not_depend_on_the_pension_insured_region():
    """JX-2017-58/2.1.2: 100% of the 220.00 personal medical contribution, wherever the
    person's pension is insured (the pension's 参保地 says nothing of the medical
    insurance's)."""
    away = one("360000", 2018, person(JX, statuses=POOR, insured_region="440103"))
    assert away["resident_medical"]["subsidy"] == "220.00"
    assert away["resident_pension"]["gov_paid"] == "0.00"


@pytest.mark.parametrize("value", ["44010", "4401030", "abcdef", True, 4401.5])
def test_an_insured_region_not_of_six_digits_is_refused_in_chinese(value):
    with pytest.raises(ScenarioError) as err:
        doudi.evaluate(
            {"jurisdiction": "360000", "year": 2018, "people": [person(JX, insured_region=value)]}
        )
    assert err.value.problems == [
        f"第1个人（测试），字段 insured_region：参保地应为6位行政区划代码，实际为 {value!r}"
    ]


def test_an_insured_region_apart_from_the_hukou_without_an_enrollment_is_refused():
    """No enrollment, no 参保地: a scenario saying otherwise is a mistake, said in Chinese."""
    p = person(JX, insured_region="440103", resident_pension={"enrolled": False})
    with pytest.raises(ScenarioError) as err:
        doudi.evaluate({"jurisdiction": "360000", "year": 2018, "people": [p]})
    (problem,) = err.value.problems
    assert problem.startswith(
        "第1个人（测试），字段 insured_region：参保地 440103 与户籍地 360102 不同"
    )
    assert "未参保的人没有参保地" in problem
