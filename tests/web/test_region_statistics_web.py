"""The statistics page and API (issue #20 §3) under the user's scope, with Django's test
client on test_web's registry: 涪陵区 500102 (A registered poor, B dibao, C tekun, all in
the resident pension, no township or village on the lists) and 渝中区 500103 (D).

On 2018-03-31 涪陵区 has 3 poor people, all 16 or over and all in the pension: 3 enrolled,
0 not; none in a medical insurance: 0 enrolled, 3 not. Its pension version
(CQ-2018-82/2.1.1): 70.00 for A (poverty office), 70.00 for B and 100.00 for C (civil
affairs): 240.00 in all.

The work-injury line (issue #21 §3) over the lists of :func:`work_injury_lists`, imported
as of 2018-03-31 (A, B, C and D are poor: registered poor, dibao, tekun, registered poor):

- 涪陵区: FL-1 涪陵一号桥 (建筑) started 2018-01-10, covered from 2018-01-01, no end;
  FL-2 涪陵公路 (交通运输) started 2018-02-01, never covered. A on FL-1 from 2018-01-15;
  B on FL-1 from 2018-01-15 and on FL-2 from 2018-02-05; C on FL-2 from 2018-02-05 to
  2018-03-15. Advance payments: GS1 (B) 20000.00 paid 2018-01-05, 5000.00 recovered
  2018-02-10, 3000.00 more paid 2018-04-10 (after the day); GS2 (A) 8000.50 paid
  2018-03-01.
- 渝中区: YZ-1 渝中水厂 (水利) started 2018-02-01, never covered; D on it from
  2018-02-10. GS9 (D) 1000.00 paid 2018-03-05.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import fastexcel
import pytest
from tests.web.test_web import (  # noqa: F401 (fixtures)
    ID,
    PEOPLE,
    _web_db,
    api,
    html,
    login,
    settings_override,
    site,
)

pytestmark = pytest.mark.slow  # builds the web application's databases and users


def test_a_caseworker_sees_the_statistics_of_their_county(site):  # noqa: F811
    page = html(login("fuling").get("/statistics/", {"year": "2018", "as_of": "2018-03-31"}))
    assert "涪陵区2018年社会保险扶贫统计" in page
    assert "（未填写）" in page and "城乡居民养老保险代缴" in page


def test_the_api_counts_the_county_and_sums_its_version(site):  # noqa: F811
    from django.contrib.auth import get_user_model

    from doudi.registry.models import PlanVersion
    from doudi.web import tokens

    key = tokens.issue(get_user_model().objects.get(username="fuling"), "test")
    c = login("fuling")
    response = c.get(
        "/api/statistics/regions",
        {"year": "2018", "as_of": "2018-03-31"},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    top = body["coverage"][0]
    assert (top["region_code"], top["poor"], top["pension_poor"]) == ("500102", 3, 3)
    assert (top["pension_enrolled"], top["pension_not_enrolled"]) == (3, 0)
    assert (top["medical_enrolled"], top["medical_not_enrolled"]) == (0, 3)
    assert [r["region_name"] for r in body["coverage"][1:]] == ["（未填写）", "（未填写）"]
    pension = next(p for p in body["programmes"] if p["programme"] == "resident_pension")
    total = pension["by_region"][0]
    assert Decimal(total["gov_paid"]) == Decimal("240.00")  # 70 + 70 + 100
    assert Decimal(total["paid_by_poverty_office"]) == Decimal("70.00")  # A
    assert Decimal(total["paid_by_civil_affairs"]) == Decimal("170.00")  # B 70 + C 100
    current = PlanVersion.objects.filter(region="500102", programme="resident_pension")
    version = current.order_by("-number")[0]
    assert Decimal(total["gov_paid"]) == version.gov_paid
    assert any(v["version_id"] == version.pk for v in body["versions"])


def test_another_county_is_refused_in_chinese(site):  # noqa: F811
    from django.contrib.auth import get_user_model

    from doudi.web import tokens

    response = login("fuling").get("/statistics/", {"year": "2018", "region": "500103"})
    assert response.status_code == 403
    assert "统计地区 500103 不在您的管辖区划 涪陵区（500102）内" in html(response)
    key = tokens.issue(get_user_model().objects.get(username="fuling"), "test")
    api = login("fuling").get(
        "/api/statistics/regions",
        {"year": "2018", "region": "500103"},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert api.status_code == 403 and "不在您的管辖区划" in api.json()["error"]
    download = login("fuling").get("/statistics/download/", {"year": "2018", "region": "500103"})
    assert download.status_code == 403


def test_a_bad_year_is_a_chinese_400_and_the_workbook_downloads(site):  # noqa: F811
    c = login("city")
    bad = c.get("/statistics/", {"year": "二〇一八"})
    assert bad.status_code == 400 and "年度应为整数" in html(bad)
    response = c.get("/statistics/download/", {"year": "2018", "as_of": "2018-03-31"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_a_county_sees_its_part_of_a_citywide_version_but_not_the_versions_totals(
    site,  # noqa: F811
):
    """A Chongqing-wide medical version (D of 渝中区 in it too): 涪陵区 is shown its own
    part, not the version's totals, which count another county's people; the city is
    shown both. Medical subsidy 2018 (local config): 220.00 × 100% = 220.00 a person."""
    from django.contrib.auth import get_user_model

    from doudi.plan import versions as plan
    from doudi.web import tokens

    wide = plan.run_plan(
        site["db"],
        "500000",
        2018,
        programme="resident_medical",
        region="500000",
        snapshots=site["tmp"] / "plans",
    )
    assert wide.gov_paid == Decimal("880.00")  # A, B, C, D: 4 × 220.00

    def versions_seen(username: str) -> dict:
        key = tokens.issue(get_user_model().objects.get(username=username), "test")
        response = login(username).get(
            "/api/statistics/regions",
            {"year": "2018", "region": "500102", "as_of": "2018-03-31"},
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        assert response.status_code == 200, response.content.decode()
        return next(v for v in response.json()["versions"] if v["version_id"] == wide.version_id)

    county = versions_seen("fuling")
    assert Decimal(county["gov_paid"]) == Decimal("660.00")  # A, B, C: 3 × 220.00
    assert (county["version_gov_paid"], county["version_self_due"]) == (None, None)
    city = versions_seen("city")
    assert Decimal(city["version_gov_paid"]) == Decimal("880.00")
    page = html(login("fuling").get("/statistics/", {"year": "2018", "as_of": "2018-03-31"}))
    assert "660.00" in page and "880.00" not in page


def test_the_pages_amounts_name_each_programmes_total_as_its_ledger_does(site):  # noqa: F811
    """The pension's total is 政府代缴合计 on the page as in the workbook and the ledger
    (plan.programmes), not a generic 政府承担合计 that would also call Panzhihua's
    third-party funding the government's (decision 0013: 第三方资助合计)."""
    page = html(login("fuling").get("/statistics/", {"year": "2018", "as_of": "2018-03-31"}))
    pension = page[page.index("<h2>城乡居民养老保险代缴</h2>") :].split("</table>")[0]
    assert "<th>政府代缴合计</th>" in pension and "<th>代缴对象</th>" in pension
    assert "政府承担合计" not in pension


# --- the work-injury line (issue #21 §3) ---------------------------------------------

MARCH = date(2018, 3, 31)
DAY = {"year": "2018", "as_of": MARCH.isoformat()}
PROJECTS_HEADER = (
    "项目编号,项目名称,行业,所在县区,施工单位,开工日期,工伤保险起保日期,工伤保险终止日期\n"
)
WORKERS_HEADER = "身份证号码,姓名,项目编号,进场日期,退场日期\n"
CASES_HEADER = (
    "案件编号,身份证号码,姓名,受伤日期,用人单位,工伤认定结论,认定日期,"
    "用人单位是否参加工伤保险,用人单位是否支付工伤保险待遇,申请待遇金额,尘肺病\n"
)
PAYMENTS_HEADER = "案件编号,先行支付金额,支付日期,已追偿金额,追偿日期\n"


def _person(key: str) -> str:
    return f"{ID[key]},{PEOPLE[key][1]}"


def work_injury_lists(database: Any, tmp_path: Path) -> None:
    """The lists of the module docstring, imported into ``database`` for both counties."""
    from doudi.work_injury.importing import import_lists

    texts = {
        "500102": {
            "projects": PROJECTS_HEADER
            + "FL-1,涪陵一号桥,建筑,500102,涪陵建工,2018-01-10,2018-01-01,\n"
            + "FL-2,涪陵公路,交通运输,500102,涪陵路桥,2018-02-01,,\n",
            "project-workers": WORKERS_HEADER
            + f"{_person('A')},FL-1,2018-01-15,\n"
            + f"{_person('B')},FL-1,2018-01-15,\n"
            + f"{_person('B')},FL-2,2018-02-05,\n"
            + f"{_person('C')},FL-2,2018-02-05,2018-03-15\n",
            "cases": CASES_HEADER
            + f"GS1,{_person('B')},2017-11-01,丁公司,认定为工伤,2017-12-01,否,否,30000.00,否\n"
            + f"GS2,{_person('A')},2017-12-01,戊公司,认定为工伤,2018-01-10,否,否,8000.50,否\n",
            "advance-payments": PAYMENTS_HEADER
            + "GS1,20000.00,2018-01-05,5000.00,2018-02-10\n"
            + "GS1,3000.00,2018-04-10,,\n"
            + "GS2,8000.50,2018-03-01,,\n",
        },
        "500103": {
            "projects": PROJECTS_HEADER + "YZ-1,渝中水厂,水利,500103,渝中水务,2018-02-01,,\n",
            "project-workers": WORKERS_HEADER + f"{_person('D')},YZ-1,2018-02-10,\n",
            "cases": CASES_HEADER
            + f"GS9,{_person('D')},2018-02-20,己公司,认定为工伤,2018-03-01,否,否,1000.00,否\n",
            "advance-payments": PAYMENTS_HEADER + "GS9,1000.00,2018-03-05,,\n",
        },
    }
    for county, lists in texts.items():
        files = {}
        for name, text in lists.items():
            files[name] = tmp_path / f"wi_{county}_{name}.csv"
            files[name].write_text(text, encoding="utf-8")
        import_lists(database, files, county, MARCH)


@pytest.fixture
def injured(site: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    work_injury_lists(site["db"], site["tmp"])
    return site


def _section(page: str) -> str:
    return page[page.index('<section class="card" id="work-injury">') :].split("</section>")[0]


def _rows(table: list[dict[str, Any]], *columns: str) -> list[tuple[Any, ...]]:
    return [tuple(r[c] for c in columns) for r in table]


def _tr(*cells: object) -> str:
    """A row of the page's tables as the template writes it (an empty cell: None)."""
    return "<tr>" + "".join(f"<td>{'' if c is None else c}</td>" for c in cells) + "</tr>"


def test_SD_2017_37_3_5_the_page_shows_the_work_injury_tables_in_chinese(injured):
    section = _section(html(login("fuling").get("/statistics/", DAY)))
    assert "<h2>工伤保险（2018-03-31）</h2>" in section
    headings = ("工程项目（按所在县区、行业）", "在项目务工的贫困劳动力（按户籍地）", "先行支付")
    assert all(f"<h3>{h}</h3>" in section for h in headings)
    for header in ("行业", "工伤保险在保项目", "在建无工伤保险项目", "所在项目无工伤保险"):
        assert f"<th>{header}</th>" in section
    # 31 March: FL-1 covered, FL-2 not; 建筑 1/0, 交通运输 0/1
    assert _tr("县(区)", "500102", "涪陵区", None, 1, 1) in section
    assert _tr("行业", "500102", "涪陵区", "建筑", 1, 0) in section
    assert _tr("行业", "500102", "涪陵区", "交通运输", 0, 1) in section
    # A (FL-1 only) covered, B (FL-1 and the uncovered FL-2) not, C left on 15 March: 2 = 1 + 1
    assert _tr("县(区)", "500102", "涪陵区", "涪陵区", None, None, 2, 1, 1) in section
    assert _tr("村(社区)", "500102", "（未填写）", "涪陵区", None, None, 2, 1, 1) in section
    # paid by the day 20000.00 + 8000.50 = 28000.50 (the 3000.00 of 10 April is later),
    # recovered 5000.00, outstanding 28000.50 − 5000.00 = 23000.50; 2 cases
    assert _tr("县(区)", "500102", "涪陵区", 2, "28000.50", "5000.00", "23000.50") in section
    assert "贫困劳动力为统计日期在项目名册上的贫困人员" in section  # the note


def test_SD_2017_37_3_5_the_api_gives_the_work_injury_tables_money_as_text(injured):
    client, auth = api("city")
    response = client.get("/api/statistics/regions", {**DAY, "region": "500000"}, **auth)
    assert response.status_code == 200, response.content.decode()
    found = response.json()["work_injury"]
    projects = [r for r in found["projects"] if r["sector"] is None]
    # 重庆市: FL-1 covered; FL-2 and YZ-1 not (1, 2) = 涪陵区 (1, 1) + 渝中区 (0, 1)
    assert _rows(projects, "region_code", "projects_covered", "projects_not_covered") == [
        ("500000", 1, 2),
        ("500102", 1, 1),
        ("500103", 0, 1),
    ]
    workers = [r for r in found["workers"] if r["township"] is None]
    measures = ("poor_workers", "poor_workers_covered", "poor_workers_not_covered")
    # A covered; B (FL-2) and D (YZ-1) not: 3 = 1 + 2, placed by hukou
    assert _rows(workers, "region_code", *measures) == [
        ("500000", 3, 1, 2),
        ("500102", 2, 1, 1),
        ("500103", 1, 0, 1),
    ]
    money = ("advance_cases", "advance_paid", "advance_recovered", "advance_outstanding")
    # 重庆市: 28000.50 + 1000.00 = 29000.50 paid, 5000.00 recovered, 24000.50 outstanding
    assert _rows(found["advances"], "region_code", *money) == [
        ("500000", 3, "29000.50", "5000.00", "24000.50"),
        ("500102", 2, "28000.50", "5000.00", "23000.50"),
        ("500103", 1, "1000.00", "0.00", "1000.00"),
    ]


def test_SD_2017_37_3_5_the_api_month_ends_carry_the_work_injury_line(injured):
    client, auth = api("fuling")
    response = client.get("/api/statistics/regions", DAY, **auth)
    series = response.json()["series"]
    columns = ("as_of", "projects_covered", "projects_not_covered")
    workers = ("poor_workers_covered", "poor_workers_not_covered")
    # 31 Jan: FL-1 covered, FL-2 not started; A and B on FL-1: 2 covered
    # 28 Feb: FL-2 started uncovered; A covered, B and C (on FL-2) not
    # 31 Mar: as on 28 Feb, but C left FL-2 on 15 March
    assert _rows(series, *columns, *workers) == [
        ("2018-01-31", 1, 0, 2, 0),
        ("2018-02-28", 1, 1, 1, 2),
        ("2018-03-31", 1, 1, 1, 1),
    ]


def test_a_county_user_does_not_see_another_countys_projects(injured):
    section = _section(html(login("fuling").get("/statistics/", DAY)))
    assert "渝中区" not in section and "500103" not in section and "1000.00" not in section
    client, auth = api("fuling")
    found = client.get("/api/statistics/regions", DAY, **auth).json()["work_injury"]
    codes = {r["region_code"] for table in found.values() for r in table}
    assert codes == {"500102"}  # YZ-1 is 渝中区's: not in 涪陵区's not-covered count of 1
    assert found["projects"][0]["projects_not_covered"] == 1
    refused = client.get("/api/statistics/regions", {**DAY, "region": "500103"}, **auth)
    assert refused.status_code == 403 and "不在您的管辖区划" in refused.json()["error"]


def test_the_workbook_download_has_the_work_injury_sheets(injured):
    response = login("fuling").get("/statistics/download/", DAY)
    assert response.status_code == 200
    path = injured["tmp"] / "统计.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    reader = fastexcel.read_excel(path)
    assert {"工伤保险·项目", "工伤保险·贫困劳动力", "工伤保险·先行支付"} <= set(reader.sheet_names)
    [top] = reader.load_sheet("工伤保险·先行支付", eager=True).to_pylist()
    # 28000.50 paid, 5000.00 recovered, 23000.50 outstanding: numbers, not text
    assert (top["名称"], top["先行支付金额"], top["待追偿金额"]) == ("涪陵区", 28000.5, 23000.5)
