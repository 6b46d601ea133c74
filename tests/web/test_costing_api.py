"""``POST /api/costing`` (issue #22 §3, docs/costing.md): a reform costed as a job for the
province administrator and finance, on test_web's registry — 涪陵区 500102: A registered
poor (tier 100), B dibao (tier 200), C tekun (tier 100); 渝中区 500103: D.

Chongqing 2018 (CQ-2018-82/2.1.1) pays 70% of the minimum tier of 100 for A and B (70.00
each) and 100% for tekun C (100.00): 240.00 in 涪陵区. A reform paying 100% for everyone
(``resident_pension.gov_paid_share: 1``) pays 100.00 each: 300.00, +60.00; A and B gain
30.00 each, C is unchanged; A owes 30.00 less, B (tier 200) 130.00 → 100.00.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.web.test_web import (  # noqa: F401 (fixtures)
    _web_db,
    api,
    login,
    settings_override,
    site,
)

pytestmark = pytest.mark.slow  # builds the web application's databases and users

REFORM = {
    "name": "代缴比例提高到100%",
    "baseline": {"jurisdiction": "500000", "year": 2018},
    "changes": {"resident_pension.gov_paid_share": 1},
}


def post(username: str, body: dict[str, Any]) -> Any:
    c, auth = api(username)
    return c, auth, c.post("/api/costing", json.dumps(body), "application/json", **auth)


def test_the_province_costs_a_reform_on_a_county(site):  # noqa: F811
    from doudi.registry.models import Contribution, PlanVersion
    from doudi.web import worker

    before = (PlanVersion.objects.count(), Contribution.objects.count())
    c, auth, response = post("city", {"reform": REFORM, "region": "500102", "wait": False})
    assert response.status_code == 200, response.content.decode()
    assert worker.run_pending() == 1
    job = c.get(f"/api/jobs/{response.json()['id']}", **auth).json()
    assert job["state"] == "done", job["error"]
    result = job["result"]
    assert (result["people"], result["gain"], result["lose"], result["unchanged"]) == (3, 2, 0, 1)
    total = next(
        line
        for line in result["by_payer"]
        if (line["programme_code"], line["payer_code"]) == ("resident_pension", "*")
    )
    assert (total["baseline"], total["reform"], total["difference"]) == (
        "240.00",
        "300.00",
        "60.00",
    )
    owed = next(
        line
        for line in result["by_payer"]
        if (line["programme_code"], line["payer_code"]) == ("resident_pension", "self")
    )
    assert (owed["baseline"], owed["reform"]) == ("160.00", "100.00")  # 30 + 130 + 0 → 0 + 100
    assert result["file"].endswith(".xlsx")
    assert any("政策测算：代缴比例提高到100%" in line for line in result["summary"])
    # read-only: no plan version, no contribution row
    assert (PlanVersion.objects.count(), Contribution.objects.count()) == before
    # the workbook, for a role that may unmask (it holds full ID numbers)
    download = login("city").get(f"/jobs/{job['id']}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"  # an .xlsx (a zip)


def test_finance_may_cost_a_caseworker_may_not(site):  # noqa: F811
    from doudi.web import worker

    *_, response = post("money", {"reform": REFORM, "region": "500103", "wait": False})
    assert response.status_code == 200 and worker.run_pending() == 1
    *_, refused = post("fuling", {"reform": REFORM, "wait": False})
    assert refused.status_code == 403 and "无权" in refused.json()["error"]


def test_a_region_outside_the_scope_and_an_invalid_reform_are_refused(site):  # noqa: F811
    *_, outside = post("money", {"reform": REFORM, "region": "360102"})
    assert outside.status_code == 403 and "不在您的管辖范围内" in outside.json()["error"]
    bad = {**REFORM, "changes": {"resident_pension.gov_paid_shar": 1}}
    *_, invalid = post("money", {"reform": bad})
    body = invalid.json()
    assert invalid.status_code == 400 and "测算方案有误" in body["error"]
    assert "相近的：resident_pension.gov_paid_share" in body["problems"][0]
    same = {**REFORM, "changes": {"resident_pension.gov_paid_share": 0.7}}
    *_, unchanged = post("money", {"reform": same})
    assert unchanged.status_code == 400 and "该调整不改变任何参数" in unchanged.json()["error"]
