"""Every error of the API has one shape (issue #19 §4, docs/web.md):
``{"error": "<Chinese message> / <English>", …}``, JSON whatever refused the request.
Before, the API's refusals said ``detail``, a method the address does not take was
ninja's text "Method not allowed", an unknown address Django's 404 page and a server
error the HTML 500 page."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from tests.web.test_web import (  # noqa: F401 (fixtures)
    _web_db,
    api,
    settings_override,
    site,
)

pytestmark = pytest.mark.slow  # the web application's site fixture: seconds each

CHINESE = re.compile(r"[\u4e00-\u9fff]{2,}")


def refusal(response: Any, status: int) -> dict[str, Any]:
    """The answer's body, checked to be the API's error: JSON, ``error`` in Chinese."""
    assert response.status_code == status, response.content.decode("utf-8")
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert "detail" not in body
    assert CHINESE.search(body["error"]), body
    return dict(body)


def test_a_refused_scenario_and_a_field_of_the_wrong_kind_say_error_400(site):  # noqa: F811
    c, auth = api("fuling")
    unknown = {"jurisdiction": "999", "year": 2018, "people": []}
    body = refusal(c.post("/api/evaluate", json.dumps(unknown), "application/json", **auth), 400)
    assert "未知的统筹地区" in body["error"]
    wrong = {"jurisdiction": "360000", "bill": "not an object"}
    body = refusal(c.post("/api/settle", json.dumps(wrong), "application/json", **auth), 400)
    assert body["problems"] == ["字段 bill：应为对象（键: 值）"]  # the fields kept
    body = refusal(c.post("/api/evaluate", "{not json", "application/json", **auth), 400)
    assert body["error"].startswith("请求内容")


def test_no_token_401_a_role_403_another_region_404_say_error(site):  # noqa: F811
    c, auth = api("fuling")
    assert "令牌" in refusal(c.get("/api/people", {"q": "5001"}), 401)["error"]
    money, money_auth = api("money")
    person = f"/api/people/{site['pk']['B']}"
    assert "无权" in refusal(money.get(person, {"unmask": "true"}, **money_auth), 403)["error"]
    other_county = f"/api/people/{site['pk']['D']}"  # 渝中区's, asked by 涪陵区's caseworker
    assert "查无此人" in refusal(c.get(other_county, **auth), 404)["error"]


def test_an_unknown_address_404_and_a_method_it_does_not_take_405_say_error(site):  # noqa: F811
    c, auth = api("fuling")
    body = refusal(c.get("/api/no/such/thing", **auth), 404)
    assert body["error"] == "接口地址不存在 / Not Found"
    response = c.get("/api/evaluate", **auth)  # POST only
    body = refusal(response, 405)
    assert body["error"] == "此接口地址不支持该请求方法（可用：POST） / Method Not Allowed"
    assert response["Allow"] == "POST"


def test_a_server_error_says_error_500_without_the_traceback(site, monkeypatch):  # noqa: F811
    from django.test import Client

    from doudi.web import api as endpoints

    def broken(scope: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(endpoints.dashboard, "board", broken)
    _, auth = api("city")
    response = Client(raise_request_exception=False).get("/api/statistics", **auth)
    body = refusal(response, 500)
    assert body["error"].startswith("服务器处理此请求时出错，操作可能未完成")
    assert "a bug" not in body["error"] and "Traceback" not in body["error"]


def test_the_openapi_schema_names_the_error_body(site):  # noqa: F811
    from tests.web.test_web import client

    schema = client().get("/api/openapi.json").json()
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) == {"error", "problems"}
    assert problem["required"] == ["error"]
