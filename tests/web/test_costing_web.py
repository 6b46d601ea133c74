"""The 政策测算 page (issue #22 §3, docs/costing.md, docs/web.md) and the API's people and
person side by side, on test_web's registry — 涪陵区 500102: A registered poor (tier 100),
B dibao (tier 200), C tekun (tier 100); 渝中区 500103: D.

Chongqing 2018 (CQ-2018-82/2.1.1) pays 70% of the minimum tier of 100 for A and B (70.00
each) and 100% for tekun C (100.00): 240.00 in 涪陵区. Paying 100% for everyone
(``resident_pension.gov_paid_share: 1``) pays 300.00: A and B gain 30.00 each, C is
unchanged (so not listed, and no side by side is made for C).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from tests.web.test_web import (  # noqa: F401 (fixtures)
    ID,
    PASSWORD,
    _web_db,
    api,
    html,
    login,
    settings_override,
    site,
)

pytestmark = pytest.mark.slow  # builds the web application's databases and users

REFORM_YAML = """\
name: 代缴比例提高到100%
baseline:
  jurisdiction: 500000
  year: 2018
changes:
  resident_pension.gov_paid_share: 1
"""


def jobs() -> int:
    from doudi.web.models import Job

    return Job.objects.count()


def costed(username: str, text: str = REFORM_YAML, region: str = "500102") -> Any:
    """The form posted, the job run; the result page's address."""
    from doudi.web import worker

    c = login(username)
    response = c.post("/costing/", {"text": text, "region": region, "year": ""})
    assert response.status_code == 302, html(response)
    assert worker.run_pending() == 1
    return c, response["Location"]


def test_the_page_costs_a_reform_and_shows_its_tables_and_people(site):  # noqa: F811
    c, address = costed("city")
    page = html(c.get(address))
    assert "代缴比例提高到100%" in page and "已完成" in page
    # cost per programme and payer, baseline / reform / difference (the total line)
    assert '<td>合计（不含个人应缴）</td><td class="num">240.00</td>' in page
    assert '<td class="num">300.00</td><td class="num">60.00</td>' in page
    assert 'data-chart="costing-payers"' in page and 'data-chart="costing-distribution"' in page
    assert "增加 2 人，减少 0 人，不变 1 人" in page
    # who gains, largest first, masked, each linking to the side by side
    assert "甲一" in page and "乙二" in page and "丙三" not in page
    assert "5001**********" in page and "500102197501010010" not in page
    assert f"{address}people/{site['pk']['A']}/" in page
    # the province administrator may download the workbook (full ID numbers)
    assert "下载 Excel 工作簿" in page


def test_a_job_result_totals_equal_the_commands(site, tmp_path, monkeypatch):  # noqa: F811
    from typer.testing import CliRunner

    from doudi.cli import app
    from doudi.web.models import Job

    _, address = costed("city")
    result = Job.objects.get(pk=int(address.rstrip("/").split("/")[-1])).result
    reform = tmp_path / "reform.yaml"
    reform.write_text(REFORM_YAML, "utf-8")
    monkeypatch.setattr("doudi.costing.cli.open_registry", lambda: site["db"])
    said = CliRunner().invoke(app, ["cost", str(reform), "--region", "500102"])
    assert said.exit_code == 0, said.output
    # the job's summary is the command's printout, line for line (no ID number in it)
    printed = said.output.splitlines()
    start = printed.index(result["summary"][0])
    assert result["summary"] == printed[start : start + len(result["summary"])]
    pension = {
        line["payer_code"]: (line["baseline"], line["reform"], line["difference"])
        for line in result["by_payer"]
        if line["programme_code"] == "resident_pension"
    }
    assert pension["*"] == ("240.00", "300.00", "60.00")
    assert "  合计（不含个人应缴）：基准 240.00 元，测算 300.00 元，差额 +60.00 元" in said.output


def test_a_bad_reform_is_said_in_chinese_and_no_job_is_made(site):  # noqa: F811
    c = login("city")
    before = jobs()
    broken = c.post("/costing/", {"text": "name: [\nbaseline", "region": "500102"})
    assert broken.status_code == 400
    assert "测算方案不是有效的 YAML：第 2 行" in html(broken)
    typo = REFORM_YAML.replace("gov_paid_share", "gov_paid_shar")
    mistyped = c.post("/costing/", {"text": typo, "region": "500102"})
    page = html(mistyped)
    assert mistyped.status_code == 400 and 'id="reform-problems"' in page
    assert "字段 changes.resident_pension.gov_paid_shar" in page
    assert "相近的：resident_pension.gov_paid_share" in page
    assert "gov_paid_shar: 1" in page  # the text is kept to be corrected
    same = c.post("/costing/", {"text": REFORM_YAML.replace(": 1\n", ": 0.7\n")})
    assert same.status_code == 400 and "该调整不改变任何参数" in html(same)
    year = c.post("/costing/", {"text": REFORM_YAML, "year": "18"})
    assert year.status_code == 400 and "应为四位数字的年份" in html(year)
    aliased = REFORM_YAML + "description: &a [x, x]\nextra: [*a, *a]\n"
    alias = c.post("/costing/", {"text": aliased})
    assert alias.status_code == 400 and "第 8 行使用了 YAML 别名" in html(alias)
    assert jobs() == before


def test_a_county_user_costs_only_within_their_county(site):  # noqa: F811
    from doudi.web.accounts import set_user

    set_user("money-yz", "finance", "500103", PASSWORD)
    yuzhong = login("money-yz")
    before = jobs()
    refused = yuzhong.post("/costing/", {"text": REFORM_YAML, "region": "500102"})
    assert refused.status_code == 403 and "不在您的管辖范围内" in html(refused)
    assert jobs() == before
    # the province's costing of 涪陵区 is not theirs to see, nor its people
    _, address = costed("city")
    assert yuzhong.get(address).status_code == 404
    assert yuzhong.get(f"{address}people/{site['pk']['A']}/").status_code == 404
    # their own county: costed
    _, own = costed("money-yz", region="500103")
    page = html(yuzhong.get(own))
    assert "丁四" in page
    # finance may not unmask: their workbook is written with the ID numbers masked
    assert "下载 Excel 工作簿" in page
    job = int(own.rstrip("/").split("/")[-1])
    got = yuzhong.get(f"/jobs/{job}/download/")
    from urllib.parse import unquote

    assert got.status_code == 200 and "身份证号已脱敏" in unquote(got["Content-Disposition"])
    import fastexcel

    book = fastexcel.read_excel(b"".join(got.streaming_content))
    sheet = book.load_sheet("人员明细").to_arrow().to_pylist()
    numbers = {row["公民身份号码"] for row in sheet}
    assert numbers and all(n[4:14] == "*" * 10 for n in numbers)
    assert ID["D"] not in numbers


def test_a_workbook_with_full_id_numbers_is_only_for_who_may_unmask(site):  # noqa: F811
    from doudi.web.accounts import set_user

    _, address = costed("city")  # the province administrator's: full ID numbers
    job = int(address.rstrip("/").split("/")[-1])
    set_user("money-all", "finance", "500000", PASSWORD)
    finance = login("money-all")
    assert "由可查看完整号码的角色下载" in html(finance.get(address))
    assert finance.get(f"/jobs/{job}/download/").status_code == 403
    assert login("city").get(f"/jobs/{job}/download/").status_code == 200


def test_the_menu_and_the_page_are_for_those_who_may_cost(site):  # noqa: F811
    assert "政策测算" in html(login("city").get("/"))
    caseworker = login("fuling")
    assert "政策测算" not in html(caseworker.get("/"))
    assert caseworker.get("/costing/").status_code == 403


def test_an_example_and_an_earlier_costing_load_into_the_form(site):  # noqa: F811
    c = login("city")
    page = html(c.get("/costing/"))
    assert "按重庆市规则测算江西演示县" in page  # the examples of examples/reforms/
    example = html(c.get("/costing/", {"example": "jiangxi-minimum-tier-200"}))
    assert "resident_pension.minimum_tier: 200" in example
    _, address = costed("city")
    job = address.rstrip("/").split("/")[-1]
    again = html(c.get("/costing/", {"from": job}))
    assert "resident_pension.gov_paid_share: 1" in again


def test_a_persons_two_sides_with_both_explanations(site):  # noqa: F811
    from doudi.web import worker

    c, address = costed("city")
    first = c.get(f"{address}people/{site['pk']['B']}/")
    assert first.status_code == 200 and "hx-get" in html(first)  # its job polls
    assert worker.run_pending() == 1
    page = html(c.get(f"{address}people/{site['pk']['B']}/"))
    assert "乙二" in page
    # the pension's government part, 70.00 → 100.00; B's own part 130.00 → 100.00
    assert '<td class="num">70.00</td><td class="num">100.00</td><td class="num">30.00</td>' in page
    assert (
        '<td class="num">130.00</td><td class="num">100.00</td><td class="num">-30.00</td>' in page
    )
    assert "测算：参数调整（resident_pension.gov_paid_share=1）" in page
    assert "政府代缴70.00元，个人应缴130.00元" in page  # the baseline's explanation
    assert "测算：参数调整" in page.split("· 测算</h2>", 1)[1]  # the reform's says so
    # asked again: the same job, no second one
    before = jobs()
    c.get(f"{address}people/{site['pk']['B']}/")
    assert jobs() == before
    # C's amounts do not change: not listed, no side by side
    assert c.get(f"{address}people/{site['pk']['C']}/").status_code == 404


def test_the_api_pages_the_people_and_gives_a_persons_two_sides(site):  # noqa: F811
    from doudi.web import worker

    c, auth = api("city")
    reform = yaml.safe_load(REFORM_YAML)
    body = {"reform": reform, "region": "500102", "wait": False}
    queued = c.post("/api/costing", json.dumps(body), "application/json", **auth).json()
    assert worker.run_pending() == 1
    job = c.get(f"/api/jobs/{queued['id']}", **auth).json()
    county = job["result"]["by_region"][0]  # the region's line over every programme
    assert (county["region_code"], county["people"], county["difference"]) == ("500102", 3, "60.00")
    assert {g["status_group"] for g in job["result"]["by_group"]} >= {"特困人员"}
    gain = c.get(f"/api/costing/{queued['id']}/people", {"direction": "gain"}, **auth).json()
    assert gain["count"] == 2 and {p["name"] for p in gain["people"]} == {"甲一", "乙二"}
    assert all(p["change"] == "30.00" and "*" in p["id_number"] for p in gain["people"])
    bad = c.get(f"/api/costing/{queued['id']}/people", {"direction": "up"}, **auth)
    assert bad.status_code == 400 and "direction 应为" in bad.json()["error"]
    person = f"/api/costing/{queued['id']}/people/{site['pk']['A']}"
    asked = c.post(person + "?wait=false", **auth).json()
    assert worker.run_pending() == 1
    two = c.get(f"/api/jobs/{asked['id']}", **auth).json()["result"]
    assert two["name"] == "甲一" and two["change"] == "30.00"
    assert any("测算：参数调整" in e["reform"] for e in two["explanations"])
    unchanged = c.post(f"/api/costing/{queued['id']}/people/{site['pk']['C']}", **auth)
    assert unchanged.status_code == 404
