"""``doudi evaluate --totals``: a scenario's amounts summed by programme and payer.

The expected totals are summed by hand from the people's amounts in
tests/golden/evaluate/*.json (the same examples without --totals), written beside each sum.
"""

from __future__ import annotations

import json

import pytest
import yaml
from tests.engine.test_cli import REPO
from tests.engine.test_cli import doudi as run_cli

import doudi
from doudi.engine import totals
from doudi.engine.cli import _TextDates


def _totals(example: str) -> dict:
    out = run_cli("evaluate", "--totals", f"examples/{example}")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["totals"]


@pytest.mark.slow
def test_totals_sum_each_payer_of_CQ_2018_82_2_1_1_and_the_medical_subsidy_CQ_2018_82_2_2_1():
    t = _totals("chongqing-2018.yaml")
    assert t["people"] == 7
    pension = t["resident_pension"]
    # gov_paid: 王秀英 100.00 + 李强 70.00 + 陈德明 70.00 + 谭永福 100.00 (others 0.00) = 340.00
    assert pension["gov_paid"] == "340.00"
    # civil_affairs: 王秀英 100.00 + 陈德明 70.00 = 170.00; poverty_office: 李强 70.00;
    # disabled_federation: 谭永福 100.00 — together 340.00, the gov_paid above
    assert pension["funding"] == {
        "civil_affairs": "170.00",
        "poverty_office": "70.00",
        "disabled_federation": "100.00",
    }
    # self_due: 李强 130.00 + 陈德明 30.00 + 彭小兰 100.00 + 唐军 100.00 = 360.00
    assert pension["self_due"] == "360.00"
    # contribution: 100 + 200 + 0 (张桂兰, 68) + 100 + 100 + 100 + 100 = 700.00 = 340 + 360
    assert pension["contribution"] == "700.00"
    assert pension["basis"] == ["CQ-2018-82/2.1.1"]
    medical = t["resident_medical"]
    # subsidy: six people × 220.00 = 1320.00 (唐军, exit-marked, 0.00); self_due: 唐军 220.00
    assert (medical["subsidy"], medical["self_due"]) == ("1320.00", "220.00")
    assert medical["funding"] == {"finance": "1320.00"}
    assert medical["basis"] == ["CQ-2018-82/2.2.1"]
    assert "unemployment" not in t  # no person of the example has unemployment facts


@pytest.mark.slow
def test_totals_keep_hebeis_three_payers_to_the_fen_HE_2018_3_2_1_1():
    pension = _totals("hebei-2018.yaml")["resident_pension"]
    # province: 赵建国 33.34 + 刘芳 33.34 + 郑大勇 66.67 = 133.35
    # city:     33.33 + 33.33 + 0.00 (定州, province-direct) = 66.66
    # county:   33.33 + 33.33 + 33.33 = 99.99;  133.35 + 66.66 + 99.99 = 300.00
    assert pension["funding"] == {"province": "133.35", "city": "66.66", "county": "99.99"}
    assert pension["gov_paid"] == "300.00"
    # self_due: 郑大勇 200 − 100 = 100.00
    assert pension["self_due"] == "100.00"


@pytest.mark.slow
def test_totals_table_lists_jiangxis_unemployment_fund_JX_2017_58_2_3_9():
    out = run_cli("evaluate", "--explain", "--totals", "examples/jiangxi-2018.yaml")
    assert out.returncode == 0, out.stderr
    table = out.stdout[out.stdout.index("合计（5人）") :]
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in table.splitlines()]
    # 周伟's one-off living allowance 2160.00 + 吴敏's skill-upgrade subsidy 1500.00 = 3660.00
    assert ["失业保险", "一次性生活补助", "", "2160.00"] in rows
    assert ["", "技能提升补贴", "", "1500.00"] in rows
    assert ["", "", "失业保险基金", "3660.00"] in rows
    # pension: 陈红's 100.00, paid by the county (JX-2017-58/2.1.1)
    assert ["", "", "县（市、区）财政", "100.00"] in rows
    # medical subsidy: 陈红, 刘小军, 黄国庆, 周伟 4 × 220.00 = 880.00 (吴敏 0.00)
    assert ["", "参保资助", "", "880.00"] in rows
    assert "失业保险 依据 JX-2017-58/2.3.9、JX-2017-58/2.1.3" in table


def test_totals_add_panzhihuas_subsidy_and_third_party_funding_PZH_2018_195_1_2():
    with open(REPO / "examples/panzhihua-2018.yaml", encoding="utf-8") as f:
        scenario = yaml.load(f, Loader=_TextDates)  # the command's loader: dates stay text
    pension = totals.of(doudi.evaluate(scenario))["resident_pension"]
    # contribution subsidy: 杨建华 40.00 + 何春燕 60.00 + 罗明 30.00 = 130.00 (PZH-2018-195/1.3)
    assert pension["contribution_subsidy"] == "130.00"
    # third party: 何春燕 400.00; gov_paid 3 × 100.00 = 300.00; self_due 杨建华 200.00
    assert (pension["third_party_paid"], pension["gov_paid"], pension["self_due"]) == (
        "400.00",
        "300.00",
        "200.00",
    )
    assert {"PZH-2018-195/1.1", "PZH-2018-195/1.2", "PZH-2018-195/1.3"} <= set(pension["basis"])


def test_the_dead_add_nothing_to_the_totals_HE_2018_3_3_2_1():
    person = {
        "statuses": [{"status": "dibao", "from": "2016-01-01", "to": None}],
        "resident_pension": {"enrolled": True, "tier": 100},
    }
    scenario = {
        "jurisdiction": "130000",
        "year": 2018,
        "people": [
            {**person, "id_number": "130281198811110209", "name": "甲"},
            # died before 1 January 2018: nothing is paid (reason deceased)
            {
                **person,
                "id_number": "130281197001010017",
                "name": "乙",
                "death_date": "2017-06-30",
            },
        ],
    }
    result = doudi.evaluate(scenario)
    assert result["results"][1]["resident_pension"]["reasons"] == ["deceased"]
    pension = totals.of(result)["resident_pension"]
    # 甲 100.00 (33.34 / 33.33 / 33.33) + 乙 0.00 = 100.00
    assert pension["gov_paid"] == "100.00"
    assert pension["funding"] == {"province": "33.34", "city": "33.33", "county": "33.33"}


@pytest.mark.slow
def test_without_totals_the_json_has_none():
    out = run_cli("evaluate", "examples/chongqing-2018.yaml")
    assert out.returncode == 0, out.stderr
    assert "totals" not in json.loads(out.stdout)
