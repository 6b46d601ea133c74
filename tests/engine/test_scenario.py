"""The scenario contract's input side: validation, defaults and tolerated variants."""

from __future__ import annotations

import pytest

import doudi
from conftest import make_id, one, person, status
from doudi.engine.scenario import ScenarioError


def test_all_problems_are_reported_at_once_naming_person_and_field():
    scenario = {
        "jurisdiction": "500000",
        "year": 2018,
        "people": [
            {"id_number": "500102196503150129", "name": "王秀英"},
            person(
                make_id("500102", "19800101"), statuses=[{"status": "tekun", "from": "2018-02-30"}]
            ),
            person(
                make_id("500102", "19800102"), resident_pension={"enrolled": "yes", "tier": 0.1}
            ),
        ],
    }
    with pytest.raises(ScenarioError) as err:
        doudi.evaluate(scenario)
    problems = err.value.problems
    assert problems[0].startswith("第1个人（王秀英），字段 id_number：身份证号校验码错误")
    assert "第2个人（测试），字段 statuses[0].from：日期格式应为 YYYY-MM-DD" in problems[1]
    assert "resident_pension.enrolled：应为 true 或 false" in problems[2]
    # 0.1 is read exactly as text (not 0.1000000000000000055…), then is no tier
    assert "字段 resident_pension.tier：缴费档次 0.1 元不是" in problems[3]


def test_a_county_code_resolves_to_its_jurisdiction():
    p = person(make_id("130281", "19881111"), statuses=[status("dibao", "2016-01-01")])
    r = doudi.evaluate({"jurisdiction": "130281", "year": "2018", "people": [p]})
    assert r["jurisdiction"] == "130200"
    assert r["results"][0]["resident_pension"]["funding"]["city"] == "33.33"


def test_missing_from_means_held_since_before_the_records():
    p = person(make_id("130281", "19881111"), statuses=[{"status": "dibao", "to": None}])
    assert one("130000", 2018, p)["resident_pension"]["gov_paid"] == "100.00"


def test_exit_marked_flag_without_a_date_means_exit_marked_throughout():
    marked = {"status": "registered_poor", "from": "2015-01-01", "exit_marked": True}
    p = person(make_id("500102", "19900720"), statuses=[marked])
    r = one("500000", 2018, p, **{"resident_pension.minimum_tier": 100})
    assert r["resident_pension"]["reasons"] == ["exit_marked"]
    marked["exit_marked"] = False
    marked["exit_date"] = "2016-01-01"
    r = one("500000", 2018, p, **{"resident_pension.minimum_tier": 100})
    assert r["resident_pension"]["gov_paid"] == "70.00"


def test_fifteen_digit_ids_are_upgraded_in_results():
    p = person("500102650315012", statuses=[status("tekun", "2016-01-01")])
    r = one("500000", 2018, p, **{"resident_pension.minimum_tier": 100})
    assert r["id_number"] == "500102196503150128"
