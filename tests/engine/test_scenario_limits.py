"""A scenario with a year without parameters or an amount beyond money's limits is
refused in Chinese, naming the field (issue #19 §4: MissingParameter and ArrowInvalid
tracebacks, and a three-decimal tier silently rounded); so is a parameter override that is
no number or beyond range, and the command line shows no traceback for any of them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_id, person, status
from doudi.engine.scenario import ScenarioError, evaluate

REPO = Path(__file__).resolve().parents[2]


def scenario(year: int, **rp: object) -> dict:
    p = person(
        make_id("500102", "19800512"),
        statuses=[status("registered_poor", "2016-06-01")],
        resident_pension={"enrolled": True, **rp},
    )
    return {"jurisdiction": "500000", "year": year, "people": [p]}


def test_a_year_without_parameters_is_named_not_a_traceback():
    # CQ-2018-82 covers 2018–2020: 2012 has no parameters in force
    with pytest.raises(ScenarioError) as refused:
        evaluate(scenario(2012, tier=100))
    assert any("字段 year" in p and "2012年没有有效的参数" in p for p in refused.value.problems)


@pytest.mark.parametrize(
    ("tier", "reason"),
    [
        ("99999999999999999999999", "超出上限"),  # beyond DECIMAL(18, 2): was ArrowInvalid
        ("100.005", "最多两位小数"),  # was rounded to 100.01 without a word
    ],
)
def test_an_amount_beyond_money_is_refused_naming_the_field(tier: str, reason: str):
    with pytest.raises(ScenarioError) as refused:
        evaluate(scenario(2018, tier=tier))
    assert any("resident_pension.tier" in p and reason in p for p in refused.value.problems)


def test_a_year_out_of_range_is_named_as_such_not_as_not_four_digits():
    # issue #19 §4: 1900 has four digits; "应为四位年份" was the wrong reason
    with pytest.raises(ScenarioError) as refused:
        evaluate(scenario(1900, tier=100))
    assert "字段 year：应为 2000–2100 之间的年份，实际为 1900" in refused.value.problems


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("abc", "无法识别的值 'abc'（单位 yuan）"),  # was decimal.InvalidOperation
        ("1e30", "数值超出范围，实为 '1e30'"),
        ("NaN", "数值超出范围，实为 'NaN'"),
        (None, "缺少取值（不覆盖请删去此项）"),  # was decimal.InvalidOperation too
    ],
)
def test_a_wrong_parameter_override_is_refused_naming_the_parameter(value: str | None, reason: str):
    what_if = {**scenario(2018, tier=100), "parameters": {"resident_pension.minimum_tier": value}}
    with pytest.raises(ScenarioError) as refused:
        evaluate(what_if)
    assert refused.value.problems == [
        f"字段 parameters：参数覆盖 resident_pension.minimum_tier：{reason}"
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("what_if", "message"),
    [
        (scenario(2018, tier="99999999999999999999999"), "resident_pension.tier：金额超出上限"),
        (
            {**scenario(2018, tier=100), "parameters": {"resident_pension.minimum_tier": "abc"}},
            "字段 parameters：参数覆盖 resident_pension.minimum_tier：无法识别的值 'abc'",
        ),
        (
            {**scenario(2018, tier=100), "parameters": {"resident_pension.minimum_tier": "1e30"}},
            "字段 parameters：参数覆盖 resident_pension.minimum_tier：数值超出范围",
        ),
        (scenario(2012), "字段 year：重庆市（500000）2012年没有有效的参数"),
    ],
)
def test_the_command_line_says_so_in_chinese_with_exit_2_and_no_traceback(
    what_if: dict, message: str
):
    out = subprocess.run(
        [sys.executable, "-m", "doudi.cli", "evaluate", "-"],
        input=json.dumps(what_if),
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert out.returncode == 2 and out.stdout == ""
    assert "Traceback" not in out.stderr and message in out.stderr
