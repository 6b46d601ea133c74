"""Every plan programme on the pages (issue #20 §4, decision 0012): the version list, a
version's page, the finance page, the dashboard and the person page show the pension's
government part and the medical subsidy apart, each in its own words, never summed
into one "代缴" figure; the bank-withholding file is the pension's only.

test_web's registry: 涪陵区 500102 (A registered poor on tier 100, B dibao on tier 200,
C tekun on tier 100) and 渝中区 500103 (D registered poor on tier 100); each county runs
the 2018 plan job, which writes (or keeps) a version per programme.

- Pension, CQ-2018-82/2.1.1: 70% of the 100-yuan minimum tier = 70.00 paid for A, B, D
  (A, D by the poverty office, B by civil affairs), 全额 100.00 for C (tekun, civil
  affairs); own parts A 100 − 70 = 30.00, B 200 − 70 = 130.00, C 0.00, D 30.00.
- Medical, CQ-2018-82/2.2.1: the 2018 individual contribution 220.00 × 100% (Chongqing's
  subsidy share, local config) = 220.00 paid by finance for each of A, B, C, D; own
  part 0.00.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from tests.web.test_plan_versions_web import fuling_second_version
from tests.web.test_web import (  # noqa: F401 (fixtures)
    ID,
    _web_db,
    html,
    login,
    settings_override,
    site,
)

pytestmark = pytest.mark.slow  # builds the web application's databases and users

PENSION, MEDICAL = "城乡居民养老保险代缴", "城乡居民医保缴费资助"
#: a row of a payer table: label, people (if the table counts them), amount
ROW = re.compile(
    r'<tr(?: class="total")?><td>([^<]+)</td>(?:<td(?: class="num")?>(\d*)</td>)?'
    r'<td class="num">([\d.]+)</td>'
)


def run_plan_jobs(*users: str) -> None:
    """Each user's county runs the 2018 plan on the plan page (both programmes)."""
    from doudi.web import worker
    from doudi.web.models import Job

    for user in users:
        response = login(user).post("/plans/", {"year": "2018"})
        assert response.status_code == 302 and worker.run_pending() == 1
        job = Job.objects.get(pk=int(response["Location"].split("job=")[1]))
        assert job.state == "done", job.error


def version(region: str, programme: str) -> Any:
    """The current version of a county's programme."""
    from doudi.registry.models import PlanVersion

    return PlanVersion.objects.filter(region=region, programme=programme).order_by("-number")[0]


def card(page: str, marker: str) -> str:
    """The part of a page from ``marker`` to the end of its card."""
    start = page.index(marker)
    return page[start : page.index("</div>", start)]


def amounts(part: str) -> dict[str, str]:
    return {label: amount for label, _, amount in ROW.findall(part)}


def test_the_list_names_each_versions_programme_and_replaces_within_it(site):  # noqa: F811
    """涪陵区's June pension extract makes its pension 第 2 版; the medical version, whose
    rows did not change, stays 第 1 版 and is not marked replaced (its own lineage)."""
    first, second = fuling_second_version(site)
    run_plan_jobs("fuling")
    medical = version("500102", "resident_medical")
    assert medical.number == 1
    listing = html(login("city").get("/plans/"))
    rows = {int(m.group(1)): m.group(0) for m in re.finditer(r"#(\d+)（.*?</tr>", listing)}
    assert PENSION in rows[first] and "已被第 2 版取代" in rows[first]
    assert PENSION in rows[second] and "取代" not in rows[second]
    assert MEDICAL in rows[medical.pk] and "取代" not in rows[medical.pk]
    # 渝中区's pension (run before the job) is listed too, with its label
    assert PENSION in rows[site["version"]]


def test_a_medical_versions_page_speaks_of_the_subsidy_CQ_2018_82_2_2_1(site):  # noqa: F811
    run_plan_jobs("fuling")
    medical = version("500102", "resident_medical")
    page = html(login("fuling").get(f"/plans/{medical.pk}/"))
    assert "医保缴费资助计划" in page and MEDICAL in page
    assert "政府代缴合计" not in page and "代缴对象" not in page
    # finance 220.00 × 3 (A, B, C) = 660.00; own parts 0.00
    total = "财政资助合计（资助对象）"
    assert amounts(page) == {"财政": "660.00", "个人应缴": "0.00", total: "660.00"}
    assert next(r for r in ROW.findall(page) if r[0] == total)[1] == "3"  # A, B, C
    # the pension's page keeps its words: 70 (A) + 70 (B) + 100 (C) = 240.00
    pension = html(login("fuling").get(f"/plans/{version('500102', 'resident_pension').pk}/"))
    assert amounts(pension)["政府代缴合计（代缴对象）"] == "240.00"


def test_a_medical_versions_page_reads_in_english_too(site):  # noqa: F811
    from django.conf import settings

    run_plan_jobs("fuling")
    c = login("fuling")
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = html(c.get(f"/plans/{version('500102', 'resident_medical').pk}/"))
    assert "Finance subsidy total" in page and "Subsidised people" in page


def test_no_withholding_file_for_a_medical_version(site):  # noqa: F811
    """The bank-withholding cycle collects the pension's own part (CQ-2018-82/2.1.1): a
    medical version's page offers no button, and a POST is refused in Chinese, no job."""
    from doudi.web.models import Job

    run_plan_jobs("fuling")
    c = login("fuling")
    medical = version("500102", "resident_medical")
    pension = version("500102", "resident_pension")
    assert f"/plans/{medical.pk}/withhold/" not in html(c.get(f"/plans/{medical.pk}/"))
    assert f"/plans/{pension.pk}/withhold/" in html(c.get(f"/plans/{pension.pk}/"))
    response = c.post(f"/plans/{medical.pk}/withhold/")
    assert response.status_code == 400
    refusal = html(response)
    assert f"{MEDICAL}计划，银行代扣文件只适用于{PENSION}计划，未生成代扣文件" in refusal
    assert "Traceback" not in refusal
    assert not Job.objects.filter(kind="withhold").exists()


def test_finance_totals_each_programme_apart(site):  # noqa: F811
    run_plan_jobs("fuling", "yuzhong")
    page = html(login("money").get("/finance/"))
    pension = amounts(card(page, f"2018年 · {PENSION}</h2>"))
    medical = amounts(card(page, f"2018年 · {MEDICAL}</h2>"))
    # civil affairs: B 70 + C 100 = 170.00; poverty office: A 70 + D 70 = 140.00;
    # 170 + 140 = 310.00 paid; own parts 30 + 130 + 0 + 30 = 190.00
    assert pension == {
        "民政部门（市级社保相关资金及区县财力）": "170.00",
        "扶贫部门（市级扶贫资金及区县财力）": "140.00",
        "个人应缴": "190.00",
        "政府代缴合计": "310.00",
    }
    # finance: 220 × 4 (A, B, C, D) = 880.00; not added to the pension's 310.00
    assert medical == {"财政": "880.00", "个人应缴": "0.00", "财政资助合计": "880.00"}
    assert "1190.00" not in page
    # each total is the sum of the versions' own rows shown below it
    versions = re.findall(r"<section class=\"card\"><h2>2018年 · (\S+) ·.*?</section>", page, re.S)
    assert sorted(versions) == sorted([PENSION, PENSION, MEDICAL, MEDICAL])
    for programme, shown in ((PENSION, pension), (MEDICAL, medical)):
        summed: dict[str, Decimal] = {}
        for section in re.findall(
            rf"<section class=\"card\"><h2>2018年 · {programme} ·.*?</section>", page, re.S
        ):
            for label, _, amount in ROW.findall(section):
                summed[label] = summed.get(label, Decimal(0)) + Decimal(amount)
        assert {k: f"{v:.2f}" for k, v in summed.items()} == shown


def test_the_dashboards_pension_total_leaves_out_the_medical_subsidy(site):  # noqa: F811
    run_plan_jobs("fuling", "yuzhong")
    page = html(login("city").get("/"))
    pension = card(page, 'data-programme="resident_pension"')
    medical = card(page, 'data-programme="resident_medical"')
    # 170.00 + 140.00 = 310.00 (CQ-2018-82/2.1.1), without finance's 880.00
    assert amounts(pension)["政府代缴合计"] == "310.00"
    assert "财政</td>" not in pension and "880.00" not in pension
    # 220.00 × 4 = 880.00 (CQ-2018-82/2.2.1)
    assert amounts(medical) == {"财政": "880.00", "财政资助合计": "880.00"}


def test_a_payer_of_both_programmes_counts_in_each(site):  # noqa: F811
    """Jiangxi's province, city and county pay both the pension's and the medical
    subsidy's parts: the dashboard keeps the same payer's two parts of a person apart
    (here 涪陵区's medical rows are given civil affairs as their payer)."""
    from django.core.cache import cache

    from doudi.registry.models import Contribution
    from doudi.web.dashboard import board
    from doudi.web.roles import Scope

    run_plan_jobs("fuling")
    medical = version("500102", "resident_medical")
    Contribution.objects.filter(plan_version=medical, payer="finance").update(payer="civil_affairs")
    cache.clear()
    found = {
        g["programme"]: ({p["payer"]: p["amount"] for p in g["payers"]}, g["total"])
        for g in board(Scope("t", "province_admin", "500000"))["programmes"]
    }
    assert found == {
        # B 70 + C 100 = 170.00, A 70 + D 70 = 140.00; 170 + 140 = 310.00
        "resident_pension": ({"civil_affairs": "170.00", "poverty_office": "140.00"}, "310.00"),
        # 220 × 3 (A, B, C) = 660.00: B's and C's 220.00 kept beside their pension parts
        "resident_medical": ({"civil_affairs": "660.00"}, "660.00"),
    }


def test_the_person_page_lists_each_programmes_rows(site):  # noqa: F811
    run_plan_jobs("fuling")
    page = html(login("fuling").get(f"/people/{site['pk']['B']}/"))
    pension = page[page.index('data-programme="resident_pension"') :]
    pension = pension[: pension.index("</div>")]
    medical = page[page.index('data-programme="resident_medical"') :]
    medical = medical[: medical.index("</div>")]
    assert page.index(PENSION) < page.index(MEDICAL)
    # B: civil affairs 70.00 (70% × 100), own 200 − 70 = 130.00
    assert f"<h3>{PENSION}</h3>" in pension and "CQ-2018-82/2.1.1" in pension
    assert '民政部门（市级社保相关资金及区县财力）</td><td class="num">70.00' in pension
    assert '个人应缴</td><td class="num">130.00' in pension
    # B: finance 220.00 × 100%, own 0.00
    assert f"<h3>{MEDICAL}</h3>" in medical
    assert '财政</td><td class="num">220.00' in medical
    assert 'href="/policy/clause/CQ-2018-82/2.2.1"' in medical
