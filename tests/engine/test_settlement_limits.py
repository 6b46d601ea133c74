"""Bills the settlement crashed on or took wrongly (issue #19 §4), for ``doudi settle``,
the calculator, the API and the bills import alike (engine.settlement.screen_bills):
an amount beyond DECIMAL(18, 2) (ArrowInvalid) or beyond what the rules compute in
(DuckDB's overflow), three decimals (rounded without a word), a stay of 1900, 2100 or
before the patient's birth, a discharge year without parameters (MissingParameter).
Each is a problem naming the bill, the field and a Chinese reason; the command line
exits 2 without a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import make_id
from doudi.engine import settlement

REPO = Path(__file__).resolve().parents[2]
PATIENT = make_id("360102", "19800512", "002")
BILL = {
    "bill_id": "ZY-1",
    "id_number": PATIENT,
    "admission_date": "2018-03-01",
    "discharge_date": "2018-03-10",
    "hospital_level": "2",
    "total_cost": "12000",
    "in_policy_cost": "10000",
    "statuses": ["registered_poor"],
}


def problems(**change: object) -> list[tuple[str, str]]:
    """(field, reason) of each problem of BILL with ``change``, screened for Jiangxi."""
    rows, found = settlement.screen_bills([{**BILL, **change}], "360000")
    assert not (rows and found)
    return [(p.field, p.reason) for p in found]


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("12345678901234567890", "金额超出上限（最多16位整数）"),
        (1e30, "金额超出上限（最多16位整数）"),  # a JSON or YAML float
        ("10000000000.00", "单张单据金额不能超过 9999999999.99 元"),
        ("12000.005", "金额最多两位小数"),
        (12000.005, "金额最多两位小数"),
        ("abc", "金额应为数字"),
        (True, "金额应为数字"),
        ("NaN", "金额必须是有限数"),
        ("-1", "金额不能为负数"),
    ],
)
def test_an_amount_beyond_the_limits_or_the_fen_is_a_problem_never_rounded(
    amount: object, reason: str
) -> None:
    found = problems(total_cost=amount)
    assert found and found[0][0] == "total_cost"
    assert found[0][1].startswith(reason)


def test_the_largest_amount_the_rules_compute_in_settles() -> None:
    """9,999,999,999.99 × a rate fits DuckDB's DECIMAL(18, 4) product; a fen more overflowed
    it ("Overflow in multiplication of DECIMAL(18)") and is refused before."""
    top = str(settlement.BILL_LIMIT)
    rows, found = settlement.screen_bills(
        [{**BILL, "total_cost": top, "in_policy_cost": top}], "360000"
    )
    assert found == []
    (result,) = settlement.settle("360000", rows)
    assert result["total_cost"] == top
    assert sum(Decimal(x["amount"]) for x in result["layers"]) + Decimal(
        result["patient_pays"]
    ) == Decimal(top)


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"admission_date": "1900-01-01"}, "admission_date", "日期 1900-01-01 应在 1950-01-01"),
        ({"discharge_date": "2100-01-01"}, "discharge_date", "日期 2100-01-01 应在 1950-01-01"),
        ({"admission_date": "0001-01-01"}, "admission_date", "日期 0001-01-01 应在"),
        (
            {"admission_date": "1979-03-01", "discharge_date": "1979-03-05"},
            "admission_date",
            "入院日期 1979-03-01 早于患者的出生日期 1980-05-12",
        ),
        (
            {"admission_date": "2016-03-01", "discharge_date": "2016-03-10"},
            "discharge_date",
            "出院年度 2016 无法结算：江西省（360000）2016年没有有效的参数",
        ),
        ({"admission_date": "x" * 100}, "admission_date", "日期格式应为 YYYY-MM-DD"),
        ({"statuses": [["registered_poor"]]}, "statuses", "出院时持有的身份列表"),
    ],
)
def test_a_stay_out_of_range_or_of_a_year_without_parameters_is_a_problem(
    change: dict, field: str, reason: str
) -> None:
    found = problems(**change)
    assert found and found[0][0] == field
    assert found[0][1].startswith(reason)
    assert len(found[0][1]) < 200  # a reason quotes at most 40 characters of the cell


def test_the_last_day_a_bill_may_name_is_the_day_it_is_screened() -> None:
    on = date(2018, 3, 9)
    rows, found = settlement.screen_bills([BILL], "360000", today=on)
    assert rows == [] and [p.field for p in found] == ["discharge_date"]
    rows, found = settlement.screen_bills([BILL], "360000", today=date(2018, 3, 10))
    assert found == [] and len(rows) == 1


def test_a_scenario_bill_of_a_year_without_parameters_is_a_scenario_error() -> None:
    """``doudi evaluate`` and the API's evaluate ended in a MissingParameter traceback."""
    from conftest import person, status
    from doudi.engine.scenario import ScenarioError, evaluate

    patient = person(PATIENT, statuses=[status("registered_poor", "2016-06-01")])
    stay = {"admission_date": "2016-03-01", "discharge_date": "2016-03-10"}
    scenario = {
        "jurisdiction": "360000",
        "year": 2018,
        "people": [patient],
        "bills": [{**BILL, **stay}],
    }
    with pytest.raises(ScenarioError, match="出院年度 2016 无法结算"):
        evaluate(scenario)


# --- doudi settle ----------------------------------------------------------------------


def settle(document: dict) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "doudi.cli", "settle", "-"],
        input=json.dumps(document),
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("document", "said"),
    [
        (
            {"bills": [{**BILL, "total_cost": "123456789012345678901"}]},
            "字段 总费用（total_cost）：金额超出上限（最多16位整数）",
        ),
        (
            {"bills": [{**BILL, "total_cost": "12000.005"}]},
            "字段 总费用（total_cost）：金额最多两位小数",
        ),
        (
            {"bills": [{**BILL, "admission_date": "1900-01-01"}]},
            "字段 入院日期（admission_date）：日期 1900",
        ),
        (
            {"bills": [{**BILL, "admission_date": "2016-03-01", "discharge_date": "2016-03-10"}]},
            "出院年度 2016 无法结算",
        ),
        (
            {"bills": [BILL], "parameters": {"no.such.parameter": 1}},
            "字段 parameters：未知的参数路径",
        ),
        ({"bills": [BILL], "parameters": "abc"}, "字段 parameters：应为映射"),
    ],
)
def test_settle_refuses_such_bills_in_chinese_with_exit_2(document: dict, said: str) -> None:
    out = settle({"jurisdiction": "360000", **document})
    assert out.returncode == 2, out.stderr
    assert said in out.stderr
    assert "Traceback" not in out.stderr
