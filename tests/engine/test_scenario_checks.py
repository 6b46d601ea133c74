"""Scenarios the rules used to accept wrongly are refused in Chinese, naming the person
and the field, and nothing is evaluated (issue #19 §4): a person born after the year, one
person twice, a tier that is not one of the jurisdiction's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_id, one, person, status
from doudi.engine.scenario import ScenarioError, evaluate

REPO = Path(__file__).resolve().parents[2]
CQ = {"resident_pension.minimum_tier": 100}
ALL_TIERS = "100、200、300、400、500、600、700、800、900、1000、1500、2000 元"


def refused(jurisdiction: str, year: int, people: list[dict], **params: object) -> list[str]:
    scenario = {"jurisdiction": jurisdiction, "year": year, "parameters": params, "people": people}
    with pytest.raises(ScenarioError) as caught:
        evaluate(scenario)
    return caught.value.problems


# --- a person not yet born in the year ---------------------------------------------------


def test_a_person_born_after_the_year_is_refused_naming_person_and_field():
    # born 2020-01-01, year 2018: before, a 220.00 medical subsidy and "未满16周岁（-2周岁）"
    number = make_id("500102", "20200101")  # 500102 20200101 002 7
    p = person(number, name="小明", statuses=[status("dibao", "2016-01-01")])
    assert refused("500000", 2018, [p], **CQ) == [
        "第1个人（小明），字段 id_number：身份证号 5001**********0027 的出生日期为 "
        "2020-01-01，2018年尚未出生，不能测算该年待遇"
    ]


def test_a_person_born_during_the_year_is_evaluated():
    # born 2018-07-01: 0 on 31 Dec 2018, in the year: evaluated, no pension contribution
    p = person(make_id("500102", "20180701"), statuses=[status("dibao", "2016-01-01")])
    r = one("500000", 2018, p, **CQ)
    assert r["resident_pension"]["contribution"] == "0.00"
    assert r["resident_medical"]["eligible"] is True


# --- one person-year once --------------------------------------------------------------------


def test_the_same_id_number_twice_is_refused_naming_both_positions():
    # the 1st and the 3rd are one person: before, two medical subsidies of 220.00
    twice = make_id("500102", "19800101")  # 500102 19800101 002 8
    people = [
        person(twice, statuses=[status("dibao", "2016-01-01")]),
        person(make_id("500102", "19700101")),
        person(twice, statuses=[status("registered_poor", "2015-01-01")]),
    ]
    assert refused("500000", 2018, people, **CQ) == [
        "字段 people：第 1 人与第 3 人身份证号相同（5001**********0028）："
        "同一人同一年只测算一次，多重身份请写在同一人的 statuses 中"
    ]


def test_a_15_digit_number_and_its_18_digit_form_are_the_same_person():
    # 500102650315012 is 500102196503150128 (GB 11643-1999 upgrade)
    people = [person("500102650315012"), person("500102196503150128")]
    assert refused("500000", 2018, people, **CQ) == [
        "字段 people：第 1 人与第 2 人身份证号相同（5001**********0128）："
        "同一人同一年只测算一次，多重身份请写在同一人的 statuses 中"
    ]


# --- GF-2014-8/5.1: the tiers a person may contribute at -------------------------------------


def tiered(tier: object, region: str = "500102") -> dict:
    return person(
        make_id(region, "19800101"),
        statuses=[status("dibao", "2016-01-01")],
        resident_pension={"enrolled": True, "tier": tier},
    )


def test_GF_2014_8_5_1_a_tier_below_the_minimum_is_refused_naming_the_allowed_tiers():
    # 50 < the minimum tier 100: before, a contribution of 50.00 paid in full (70% of
    # 100 = 70.00, capped at the 50.00 contribution)
    assert refused("500000", 2018, [tiered(50)], **CQ) == [
        "第1个人（测试），字段 resident_pension.tier：缴费档次 50 元不是重庆市2018年可选的"
        f"缴费档次（最低缴费档次 100 元）；可选：{ALL_TIERS}"
        "（参数 resident_pension.tiers，可在 parameters 中覆盖）"
    ]


@pytest.mark.parametrize(
    ("tier", "shown"),
    [("150", "150"), ("100.50", "100.5"), (3000, "3000"), ("9999999999999999.99", None)],
)
def test_GF_2014_8_5_1_a_tier_not_on_the_list_is_refused(tier: object, shown: str | None):
    # none of 100 … 2000 (Chongqing lists no 3000; a huge tier within DECIMAL(18, 2) too)
    (problem,) = refused("500000", 2018, [tiered(tier)], **CQ)
    assert f"字段 resident_pension.tier：缴费档次 {shown or tier} 元不是" in problem


def test_GF_2014_8_5_1_a_province_s_added_tier_is_offered():
    # Panzhihua's list goes to 3000 (local-config, as its subsidy table); elsewhere a
    # scenario may list its province's tiers under parameters
    pzh = one("510400", 2018, tiered(3000, "510402"))["resident_pension"]
    assert pzh["contribution"] == "3000.00"
    listed = {**CQ, "resident_pension.tiers": [100, 200, 3000]}
    cq = one("500000", 2018, tiered(3000), **listed)["resident_pension"]
    # CQ-2018-82/2.1.1: 70% × 100 = 70.00 on any tier; self 3000 − 70 = 2930.00
    assert (cq["gov_paid"], cq["self_due"]) == ("70.00", "2930.00")


def test_HE_2018_3_2_1_1_the_kept_100_tier_stays_offered_after_a_raise():
    # the minimum raised to 200: 100 is the tier kept for the poor, 150 is none
    raised = {"resident_pension.minimum_tier": 200}
    assert one("130000", 2019, tiered(100, "130281"), **raised)["resident_pension"][
        "contribution"
    ] == ("100.00")
    (problem,) = refused("130000", 2019, [tiered(150, "130281")], **raised)
    assert "（最低缴费档次 200 元）；可选：100、200、300" in problem


@pytest.mark.parametrize(
    ("tiers", "reason"),
    [
        ("abc", "resident_pension.tiers：应为金额列表"),
        ([100, "x"], "resident_pension.tiers 第2项：无法识别的值 'x'"),
        ([100.005], "resident_pension.tiers 第1项：最多两位小数"),
        ([100, "1e30"], "resident_pension.tiers 第2项：数值超出范围"),
    ],
)
def test_a_wrong_tier_list_override_is_refused_naming_the_parameter(tiers: object, reason: str):
    (problem,) = refused("500000", 2018, [tiered(100)], **{"resident_pension.tiers": tiers})
    assert problem.startswith(f"字段 parameters：参数覆盖 {reason}")


# --- the command line: exit 2, every problem in Chinese, no traceback ------------------------


@pytest.mark.slow
def test_evaluate_refuses_them_all_at_once_with_exit_2_and_no_traceback():
    scenario = {
        "jurisdiction": "500000",
        "year": 2018,
        "people": [
            tiered(50),
            person(make_id("500102", "20200101")),
            tiered(100),
        ],
    }
    out = subprocess.run(
        [sys.executable, "-m", "doudi.cli", "evaluate", "-"],
        input=json.dumps(scenario),
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert out.returncode == 2 and out.stdout == ""
    assert "Traceback" not in out.stderr
    assert "第1个人（测试），字段 resident_pension.tier：缴费档次 50 元不是" in out.stderr
    assert "第2个人（测试），字段 id_number：身份证号 5001**********0027" in out.stderr
    assert "字段 people：第 1 人与第 3 人身份证号相同" in out.stderr
