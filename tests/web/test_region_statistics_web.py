"""The statistics page and API (issue #20 §3) under the user's scope, with Django's test
client on test_web's registry: 涪陵区 500102 (A registered poor, B dibao, C tekun, all in
the resident pension, no township or village on the lists) and 渝中区 500103 (D).

On 2018-03-31 涪陵区 has 3 poor people, all 16 or over and all in the pension: 3 enrolled,
0 not; none in a medical insurance: 0 enrolled, 3 not. Its pension version
(CQ-2018-82/2.1.1): 70.00 for A (poverty office), 70.00 for B and 100.00 for C (civil
affairs): 240.00 in all.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.web.test_web import (  # noqa: F401 (fixtures)
    _web_db,
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
