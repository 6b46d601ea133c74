"""The settlement calculator and the API's settlement refuse every bad bill in Chinese
(issue #19 §4): an amount of 20 digits ended in ArrowInvalid (a 500 page, and the API's
HTML 500), one of 16 in DuckDB's overflow, a third decimal was rounded, a stay of 1900
or 2100 and a year without parameters were settled or crashed. Now the page shows a
Chinese error by the field's label and the API answers 400 with a Chinese ``error``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.web.test_web import (  # noqa: F401 (fixtures)
    PASSWORD,
    _web_db,
    api,
    login,
    settings_override,
)

FORM = {
    "jurisdiction": "360000",
    "statuses": ["registered_poor"],
    "admission_date": "2018-03-01",
    "discharge_date": "2018-03-10",
    "hospital_level": "2",
    "in_county": "on",
    "claim_type": "inpatient",
    "total_cost": "12000",
    "in_policy_cost": "10000",
    "non_compliant_cost": "0",
    "special_drug_cost": "0",
}
BILL = {
    "statuses": ["registered_poor"],
    "admission_date": "2018-03-01",
    "discharge_date": "2018-03-10",
    "hospital_level": 2,
    "total_cost": 12000,
    "in_policy_cost": 10000,
}
#: (a change of the bill, what the answer says of it)
BAD = [
    ({"total_cost": "12345678901234567890"}, "金额超出上限（最多16位整数）"),
    ({"total_cost": "9999999999999999.99"}, "单张单据金额不能超过 9999999999.99 元"),
    ({"total_cost": "12000.005"}, "金额最多两位小数"),
    ({"total_cost": "abc"}, "金额应为数字"),
    ({"admission_date": "1900-01-01"}, "日期 1900-01-01 应在 1950-01-01"),
    ({"admission_date": "2099-12-01", "discharge_date": "2100-01-01"}, "应在 1950-01-01"),
    ({"admission_date": "2016-03-01", "discharge_date": "2016-03-10"}, "出院年度 2016 无法结算"),
]


@pytest.fixture
def caseworker(_web_db: Any, settings_override: None) -> str:  # noqa: F811
    from django.core.cache import cache
    from django.core.management import call_command

    from doudi.web.accounts import set_user

    call_command("flush", interactive=False, verbosity=0)
    cache.clear()
    set_user("fuling", "caseworker", "500102", PASSWORD)
    return "fuling"


@pytest.mark.parametrize(("change", "said"), BAD)
def test_the_api_answers_a_bad_bill_with_400_and_a_chinese_error(
    caseworker: str, change: dict, said: str
) -> None:
    c, auth = api(caseworker)
    body = json.dumps({"jurisdiction": "360000", "bill": {**BILL, **change}})
    response = c.post("/api/settle", body, "application/json", **auth)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert said in response.json()["error"]


def test_the_api_still_settles_the_largest_bill(caseworker: str) -> None:
    c, auth = api(caseworker)
    top = {"total_cost": "9999999999.99", "in_policy_cost": "9999999999.99"}
    body = json.dumps({"jurisdiction": "360000", "bill": {**BILL, **top}})
    response = c.post("/api/settle", body, "application/json", **auth)
    assert response.status_code == 200 and response.json()["total_cost"] == "9999999999.99"


@pytest.mark.parametrize(("change", "said"), BAD)
def test_the_calculator_shows_a_bad_bill_as_a_chinese_error_by_its_label(
    caseworker: str, change: dict, said: str
) -> None:
    response = login(caseworker).post("/settle/", {**FORM, **change})
    page = response.content.decode("utf-8")
    assert response.status_code == 200
    assert said in page
    field = next(iter(change))
    label = {"total_cost": "总费用（元）"}.get(
        field, "出院日期" if "无法结算" in said else "入院日期"
    )
    assert f"{label}：" in page
    assert "total_cost" not in page.split("</form>")[1]  # the result side names no field


def test_the_calculator_still_settles_a_good_bill(caseworker: str) -> None:
    page = login(caseworker).post("/settle/", FORM).content.decode("utf-8")
    assert "7680.00" in page and "2576.00" in page  # examples/bills/jiangxi-2018.yaml JX-001


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ('{"jurisdiction": "360000", "bill": "x"}', "字段 bill：应为对象（键: 值）"),
        ('{"jurisdiction": null, "bill": {}}', "字段 jurisdiction：应为文本"),
        ('{"bill": {}}', "字段 jurisdiction：缺少此字段"),
        ("[]", "请求内容有误"),
        ("{bad", "请求内容无法解析"),
    ],
)
def test_the_api_answers_a_body_it_cannot_read_with_400_in_chinese(
    caseworker: str, body: str, said: str
) -> None:
    """ninja answered pydantic's English list (422) or "Cannot parse request body"."""
    c, auth = api(caseworker)
    response = c.post("/api/settle", body, "application/json", **auth)
    assert response.status_code == 400
    assert said in response.json()["error"]


def test_the_api_refuses_a_missing_token_in_chinese(caseworker: str) -> None:
    from django.test import Client

    response = Client().post("/api/settle", "{}", "application/json")
    assert response.status_code == 401 and "令牌" in response.json()["error"]
