"""Plan versions on the pages (issue #19 §1, decision 0010): the finance page and the
dashboard count each region's current version only, the version list marks the older
ones as replaced, a ledger's file is named by the plan's own region, and a plan job
says whom another region's plan already pays for.

test_web's registry: 涪陵区 500102 (A registered poor, B dibao on tier 200, C tekun) and
渝中区 500103 (D registered poor), each county's 2018 plan made (第 1 版). CQ-2018-82/2.1.1:
70 = 100 × 70% of the minimum tier, 100 = 全额代缴 for 特困人员.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from tests.web.test_web import (  # noqa: F401 (fixtures)
    ID,
    PEOPLE,
    _web_db,
    csv_bytes,
    html,
    login,
    settings_override,
    site,
)

pytestmark = pytest.mark.slow  # builds the web application's databases and users


def fuling_second_version(site: dict[str, Any]) -> tuple[int, int]:  # noqa: F811
    """June's pension extract puts B on tier 300: 涪陵区's 第 2 版. (v1 id, v2 id)."""
    from datetime import date

    from doudi.plan import versions as plan
    from doudi.registry.models import PlanVersion
    from doudi.rosters.importing import import_roster

    first = PlanVersion.objects.get(region="500102").pk
    june = Path(site["tmp"]) / "pension-june.csv"
    june.write_bytes(
        csv_bytes(
            {
                "公民身份号码": list(ID.values()),
                "姓名": [v[1] for v in PEOPLE.values()],
                "参保时间": ["2015-01-01"] * 4,
                "缴费档次": ["300" if k == "B" else v[3] for k, v in PEOPLE.items()],
                "银行账号": ["6217000000000000011"] * 4,
            }
        )
    )
    import_roster(site["db"], june, "resident_pension", date(2018, 6, 30))
    second = plan.run_plan(
        site["db"], "500000", 2018, region="500102", snapshots=Path(site["tmp"]) / "plans"
    )
    assert second.created and second.number == 2
    return first, second.version_id


def test_finance_shows_only_current_versions_and_the_list_marks_the_replaced(site):  # noqa: F811
    first, second = fuling_second_version(site)
    page = html(login("money").get("/finance/"))
    # 涪陵区 第 2 版 and 渝中区 第 1 版; 涪陵区 第 1 版 is not summed beside its successor
    shown = set(map(int, re.findall(r"计划 #(\d+)", page)))
    assert shown == {second, site["version"]}
    listing = html(login("city").get("/plans/"))
    assert "已被第 2 版取代" in listing
    row = next(r for r in listing.split("<tr>") if f"#{first}（" in r)
    assert "已被第 2 版取代" in row
    assert "取代" not in next(r for r in listing.split("<tr>") if f"#{second}（" in r)


def test_the_dashboard_counts_each_regions_current_version(site):  # noqa: F811
    from doudi.web.dashboard import board
    from doudi.web.roles import Scope

    fuling_second_version(site)
    (pension,) = board(Scope("t", "province_admin", "500000"))["programmes"]
    payers = {p["payer"]: p["amount"] for p in pension["payers"]}
    # civil affairs: B 70 + C 100; poverty office: A 70 + D 70 — once, whatever the versions
    assert payers == {"civil_affairs": "170.00", "poverty_office": "140.00"}


def test_a_ledgers_file_is_named_by_the_plans_own_region(site):  # noqa: F811
    from doudi.registry.models import PlanVersion
    from doudi.web import worker
    from doudi.web.models import Job

    c = login("fuling")
    county = PlanVersion.objects.get(region="500102")
    response = c.post(f"/plans/{county.pk}/ledger/")
    assert response.status_code == 302 and worker.run_pending() == 1
    job = Job.objects.get(pk=int(response["Location"].split("job=")[1]))
    # was 台账-500000-2018-第1版.xlsx: the jurisdiction's code, the same for both counties
    assert job.result["file"] == "台账-500102-2018-城乡居民养老保险代缴-第1版.xlsx"


def test_a_plan_job_names_whom_another_regions_plan_pays_for(site):  # noqa: F811
    """A's hukou moves to 渝中区; 渝中区's plan leaves A out (涪陵区's 第 1 版 pays them)
    and the page says so, A's ID number masked."""
    from doudi.registry.models import Person
    from doudi.web import worker
    from doudi.web.models import Job

    Person.objects.filter(id_number=ID["A"]).update(hukou_region="500103")
    c = login("yuzhong")
    response = c.post("/plans/", {"year": "2018"})
    assert response.status_code == 302 and worker.run_pending() == 1
    job = Job.objects.get(pk=int(response["Location"].split("job=")[1]))
    assert job.state == "done", job.error
    pension = job.result["programmes"][0]
    assert pension["programme"] == "resident_pension"
    assert pension["left_out_summary"] == [
        "已由 500102 涪陵区 第 1 版计划代缴，本计划不再代缴：1 人"
    ]
    assert [p["id_number"] for p in pension["left_out"]] == [
        ID["A"][:4] + "**********" + ID["A"][-4:]
    ]
    page = html(c.get(response["Location"]))
    assert "已由 500102 涪陵区 第 1 版计划代缴，本计划不再代缴：1 人" in page
    assert ID["A"] not in page


def test_a_plan_job_says_how_many_stored_tiers_it_ignored(site):  # noqa: F811
    """D's stored tier is 50, off Chongqing's 2018 list (reading 31): the plan reads it as
    no tier and the page says so, as `doudi plan` does."""
    from doudi.registry.models import Enrollment, Person
    from doudi.web import worker
    from doudi.web.models import Job

    d = Person.objects.get(id_number=ID["D"])
    Enrollment.objects.filter(person=d, scheme="resident_pension").update(contribution_tier=50)
    c = login("yuzhong")
    response = c.post("/plans/", {"year": "2018"})
    assert response.status_code == 302 and worker.run_pending() == 1
    job = Job.objects.get(pk=int(response["Location"].split("job=")[1]))
    assert job.state == "done", job.error
    assert job.result["programmes"][0]["tiers_ignored"] == 1
    page = html(c.get(response["Location"]))
    assert "缴费档次不在本年度档次表内、已忽略该档次：1 人" in page
