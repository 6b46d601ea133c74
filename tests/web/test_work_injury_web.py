"""The work-injury pages and API (issue #21 §5) over a registry on SQLite and on
PostgreSQL (the ``registry`` fixture, routed as in test_person_page_registry): the lists
of tests/work_injury/test_lists for 瑞金市 360781 (JX-2017-58) with the injured 李四
registered poor since 2017-06-01, as ``doudi work-injury findings`` reads them.

On 2018-03-31: P002 瑞兴公路 (交通运输) started 2018-03-01 with no cover: 先开工后参保 and
在建无工伤保险 (JX-2017-58/2.1.3); GS001 (李四) recognised 2017-10-15, employer neither
insured nor paying, 30000.50 claimed − 20000.00 paid = 10000.50 due; 20000.00 paid −
5000.00 recovered = 15000.00 to recover."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from tests.web.test_person_page_registry import RegistryRouter, one_value
from tests.web.test_web import PASSWORD, _web_db, api, html, login  # noqa: F401
from tests.work_injury.test_lists import AS_OF, COUNTY, INJURED, WORKER, import_all

from doudi.rosters.importing import import_roster

pytestmark = pytest.mark.slow  # builds the web application's databases and users

USERS = {
    "ruijin": ("caseworker", COUNTY),  # 瑞金市
    "donghu": ("caseworker", "360102"),  # 南昌市东湖区: another county of Jiangxi
    "ruijin_finance": ("finance", COUNTY),  # may not see the lists (no "compare")
}
DAY = {"as_of": AS_OF.isoformat()}


@pytest.fixture
def pages(registry: Any, _web_db: Any, tmp_path: Path) -> Any:  # noqa: F811
    """The lists and 李四's poverty roster in ``registry``; the users are the web
    application's own."""
    from django.conf import settings
    from django.core.cache import cache
    from django.test import override_settings

    from doudi.web.accounts import set_user

    cache.clear()
    for username, (role, region) in USERS.items():
        set_user(username, role, region, PASSWORD)
    poverty = tmp_path / "poverty.csv"
    roster = pa.table({"公民身份号码": [INJURED], "姓名": ["李四"], "纳入时间": ["2017-06-01"]})
    pacsv.write_csv(roster, poverty)
    import_roster(registry, poverty, "poverty", AS_OF)
    import_all(registry, tmp_path)
    routers = [RegistryRouter(registry.alias), *settings.DATABASE_ROUTERS]
    with override_settings(DATABASE_ROUTERS=routers, DOUDI_WORK_DIR=tmp_path / "web"):
        yield registry


def test_the_findings_page_lists_the_county_findings_with_clause_links(pages):
    page = html(login("ruijin").get("/work-injury/", DAY))
    assert "瑞金市工伤保险扶贫核查" in page
    assert 'href="/work-injury/"' in page  # the menu's link
    assert "先开工后参保项目（1）" in page and "在建无工伤保险项目（1）" in page
    assert "应先行支付未支付（1）" in page and "10000.50" in page  # 30000.50 − 20000.00
    assert "15000.00" in page  # 20000.00 paid − 5000.00 recovered
    assert "优先支付队列（不适用）" in page  # CQ-2018-82/2.2.2 is Chongqing's alone
    assert 'href="/policy/clause/JX-2017-58/2.1.3"' in page
    assert 'href="/work-injury/projects/360781/P002?as_of=2018-03-31"' in page
    assert INJURED not in page and INJURED[:4] + "**********" + INJURED[-4:] in page
    assert "违反“先参保、再开工”" in page  # the explanation of P002


def test_the_example_parameter_is_named_in_words_linked_to_the_policy_page(pages):
    """Issue #23 §1: the note showed ``work_injury.poor_worker_statuses``."""
    page = html(login("ruijin").get("/work-injury/", DAY))
    assert "注意：以下参数为示例参数，需按本地政策配置：" in page
    assert "先行支付、优先支付所称“贫困劳动力”包括的身份（文件未列举）" in page
    assert 'href="/policy/360000/"' in page  # the page giving its path and value
    assert "work_injury.poor_worker_statuses" not in page


def test_the_sector_filter_leaves_out_the_other_sectors_projects(pages):
    """P002 is 交通运输: filtered on 建筑, no project is listed; 李四's case stays."""
    page = html(login("ruijin").get("/work-injury/", {**DAY, "sector": "建筑"}))
    assert "先开工后参保项目（0）" in page and "瑞兴公路" not in page
    assert "应先行支付未支付（1）" in page


def test_the_api_returns_each_list_with_its_amounts(pages):
    client, auth = api("ruijin")
    response = client.get("/api/work-injury/findings", {"region": COUNTY, **DAY}, **auth)
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    lists = {item["name"]: item for item in body["lists"]}
    assert (body["region_name"], body["jurisdiction"]) == ("瑞金市", "360000")
    assert [r["project_id"] for r in lists["started_before_cover"]["rows"]] == ["P002"]
    due = lists["advance_payment_due"]["rows"][0]
    assert (due["case_id"], due["shortfall"]) == ("GS001", "10000.50")  # 30000.50 − 20000.00
    assert due["id_number"] == INJURED[:4] + "**********" + INJURED[-4:]
    assert lists["recovery_outstanding"]["rows"][0]["outstanding"] == "15000.00"
    assert lists["priority_queue"]["ordered"] is False


def test_a_county_user_does_not_see_another_countys_findings(pages):
    c = login("donghu")
    refused = c.get("/work-injury/", {"region": COUNTY, **DAY})
    assert refused.status_code == 403 and "不在您的管辖区划" in html(refused)
    own = html(c.get("/work-injury/", DAY))
    assert "瑞兴公路" not in own and "先开工后参保项目（0）" in own
    assert c.get("/work-injury/projects/360781/P002", DAY).status_code == 404
    assert c.get("/work-injury/download/", {"region": COUNTY, **DAY}).status_code == 403
    client, auth = api("donghu")
    response = client.get("/api/work-injury/findings", {"region": COUNTY, **DAY}, **auth)
    assert response.status_code == 403 and "不在您的管辖区划" in response.json()["error"]


def test_a_bad_day_or_region_is_a_chinese_message(pages):
    response = login("ruijin").get("/work-injury/", {"as_of": "2018-02-30"})
    assert response.status_code == 400
    assert "核查日期应为 YYYY-MM-DD 格式" in html(response)
    client, auth = api("ruijin")
    bad_day = client.get("/api/work-injury/findings", {"as_of": "31.3.2018"}, **auth)
    assert bad_day.status_code == 400 and "核查日期应为" in bad_day.json()["error"]
    bad_region = client.get("/api/work-injury/findings", {"region": "36078x"}, **auth)
    assert bad_region.status_code == 400 and "区划代码应为6位数字" in bad_region.json()["error"]


def test_the_project_page_shows_its_cover_workers_and_findings(pages):
    page = html(login("ruijin").get("/work-injury/projects/360781/P002", DAY))
    assert "瑞兴公路" in page and "交工集团" in page and "交通运输" in page
    assert "未参加工伤保险" in page
    assert WORKER[:4] + "**********" + WORKER[-4:] in page and "张三" in page
    assert "先开工后参保项目" in page and "在建无工伤保险项目" in page


def test_the_workbook_downloads_with_a_sheet_per_list(pages):
    response = login("ruijin").get("/work-injury/download/", DAY)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"PK"  # an .xlsx is a zip


def test_the_person_page_shows_their_cases(pages):
    pk = one_value(pages, "SELECT id FROM registry_person WHERE id_number = %s", [INJURED])
    c = login("ruijin")
    assert f'hx-get="/people/{pk}/work-injury/"' in html(c.get(f"/people/{pk}/"))
    part = html(c.get(f"/people/{pk}/work-injury/"))
    assert "GS001" in part and "瑞兴建材" in part and "认定为工伤" in part
    assert "GS002" in part and "认定中" in part


def test_a_role_without_the_lists_sees_no_cases_on_the_person_page(pages):
    """A case may be 尘肺病 (health data): the person page's fragment shows a finance
    user of the same county no case, as the findings pages refuse them."""
    pk = one_value(pages, "SELECT id FROM registry_person WHERE id_number = %s", [INJURED])
    part = html(login("ruijin_finance").get(f"/people/{pk}/work-injury/"))
    assert "本角色无权查看工伤保险名单" in part
    assert "GS001" not in part and "认定为工伤" not in part
