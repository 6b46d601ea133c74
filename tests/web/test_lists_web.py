"""Lists that scale (issue #23 §3): every list pages through all its rows with counts,
keeps its filters in the query string (the pager's and the export's links carry them),
exports the filtered rows to Excel (audited) and links each row to its person or
object; a page number that is no number or past the end shows the first or the last
page with a Chinese note, never an error; and a county's user cannot page or export
another county's rows, whatever query string they type.

The crowd: 120 dibao recipients of 涪陵区 (500102, 涪众001 … 涪众120, in 江东街道's
甲村 and 乙村 and 义和镇's 甲村 and 丙村) and 30 of 渝中区 (500103, 渝众001 … 渝众030),
imported as an addendum beside the four people of test_web's site. A page holds 50 rows
(web/listing.py PER_PAGE): 120 rows are pages of 50, 50 and 20.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.web.test_web import (  # noqa: F401 (fixtures: the web application's databases)
    ID,
    MARCH,
    _web_db,
    csv_bytes,
    full_id,
    html,
    login,
    settings_override,
    site,
)

pytestmark = pytest.mark.slow  # builds the web application's databases and users

#: (township, village) of the 涪陵区 crowd, one after the other: 30 people each.
PLACES = (("江东街道", "甲村"), ("江东街道", "乙村"), ("义和镇", "甲村"), ("义和镇", "丙村"))


def crowd_id(county: str, i: int) -> str:
    birth = "19810203" if county == "500102" else "19820304"
    return full_id(f"{county}{birth}{i:03d}")


def masked(number: str) -> str:
    return number[:4] + "*" * 10 + number[-4:]


@pytest.fixture
def crowd(site: dict[str, Any], tmp_path: Path) -> dict[str, Any]:  # noqa: F811
    """The dibao crowd of both counties, imported as an addendum (B keeps her period)."""
    from doudi.rosters.importing import import_roster

    rows = [("500102", i, f"涪众{i:03d}", *PLACES[(i - 1) // 30]) for i in range(1, 121)]
    rows += [("500103", i, f"渝众{i:03d}", "解放碑街道", "一村") for i in range(1, 31)]
    path = tmp_path / "crowd.csv"
    path.write_bytes(
        csv_bytes(
            {
                "公民身份号码": [crowd_id(r[0], r[1]) for r in rows],
                "姓名": [r[2] for r in rows],
                "行政区划代码": [r[0] for r in rows],
                "乡镇(街道)": [r[3] for r in rows],
                "村(社区)": [r[4] for r in rows],
                "纳入时间": ["2016-06-01"] * len(rows),
            }
        )
    )
    import_roster(site["db"], path, "dibao", MARCH, mode="addendum")
    return site


def workbook(response: Any) -> list[dict[str, Any]]:
    """The rows of an export's sheet, by its Chinese headers."""
    import fastexcel

    assert response.status_code == 200, html(response)
    assert response["Content-Disposition"].startswith("attachment")
    data = b"".join(response.streaming_content)
    return list(fastexcel.read_excel(data).load_sheet(0).to_arrow().to_pylist())


def rows_of(page: str, table: str) -> list[str]:
    """The body rows of the table ``id=table`` of a page, as their HTML."""
    body = page.split(f'id="{table}"', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)


# --- the people search ------------------------------------------------------------------


def test_the_people_search_pages_through_every_match_with_counts(crowd):
    c = login("fuling")
    first = html(c.get("/people/", {"q": "涪众"}))
    # 120 matches, 50 a page: pages of 50, 50, 20
    assert "共 120 条，第 1 / 3 页" in first
    assert "涪众001" in first and "涪众050" in first and "涪众051" not in first
    assert 'href="?q=%E6%B6%AA%E4%BC%97&amp;page=2"' in first  # the query rides along
    second = html(c.get("/people/", {"q": "涪众", "page": "2"}))
    assert "共 120 条，第 2 / 3 页" in second
    assert "涪众051" in second and "涪众100" in second and "涪众050" not in second
    last = html(c.get("/people/", {"q": "涪众", "page": "3"}))
    assert len(re.findall(r"涪众\d{3}</a>", last)) == 20 and "下一页" not in last
    from doudi.registry.models import Person

    pk = Person.objects.get(name="涪众051").pk
    assert f'<a href="/people/{pk}/">涪众051</a>' in second  # each row: the person's page
    assert masked(crowd_id("500102", 51)) in second and crowd_id("500102", 51) not in second


def test_the_people_api_pages_through_every_match_with_counts(crowd):
    """GET /api/people answered only the first 50: a 120-person search now pages."""
    from tests.web.test_web import api

    c, auth = api("fuling")
    pages = [c.get("/api/people", {"q": "涪众", "page": n}, **auth).json() for n in (1, 2, 3)]
    assert [(p["count"], p["page"], p["pages"]) for p in pages] == [(120, n, 3) for n in (1, 2, 3)]
    names = [person["name"] for p in pages for person in p["people"]]
    assert names == [f"涪众{i:03d}" for i in range(1, 121)]  # 50 + 50 + 20, each once
    assert all("*" in person["id_number"] for p in pages for person in p["people"])
    past = c.get("/api/people", {"q": "涪众", "page": 4}, **auth)
    assert past.status_code == 400 and "页码应为 1–3" in past.json()["error"]
    # the county's scope: 渝中区's crowd is not found from 涪陵区
    assert c.get("/api/people", {"q": "渝众"}, **auth).json()["count"] == 0


def test_the_people_search_export_holds_every_filtered_row_masked_and_is_audited(crowd):
    from doudi.registry.models import AuditLog

    c = login("fuling")
    assert "/people/export/?q=" in html(c.get("/people/", {"q": "涪众"}))
    rows = workbook(c.get("/people/export/", {"q": "涪众"}))
    assert [r["姓名"] for r in rows] == [f"涪众{i:03d}" for i in range(1, 121)]
    assert rows[0]["公民身份号码"] == masked(crowd_id("500102", 1))
    assert rows[0]["乡镇(街道)"] == "江东街道" and rows[119]["村(社区)"] == "丙村"
    assert rows[0]["出生日期"].date() == date(1981, 2, 3)  # a date, not text
    entry = AuditLog.objects.get(action="download", table_name="registry_person")
    assert entry.actor == "fuling" and entry.detail == "导出人员查询结果（查询：涪众）共 120 行"


def test_an_export_larger_than_a_sheet_is_refused_in_chinese(crowd, monkeypatch):
    from doudi.registry.models import AuditLog
    from doudi.web import listing

    monkeypatch.setattr(listing, "EXCEL_ROWS", 100)  # a sheet of 100 rows, for the test
    response = login("fuling").get("/people/export/", {"q": "涪众"}, HTTP_REFERER="/people/")
    assert response.status_code == 400
    page = html(response)
    assert "筛选出的人员查询结果共 120 行，超过 Excel 一个工作表的上限 100 行" in page
    assert 'href="/people/"' in page  # back where the user came from
    assert not AuditLog.objects.filter(action="download").exists()  # nothing left


def test_bad_page_numbers_show_the_first_or_last_page_with_a_chinese_note(crowd):
    c = login("fuling")
    for bad in ("abc", "0", "-3", "1.5"):
        response = c.get("/people/", {"q": "涪众", "page": bad})
        assert response.status_code == 200
        page = html(response)
        assert "第 1 / 3 页" in page and "涪众001" in page
        assert "已显示第 1 页" in page
    page = html(c.get("/people/", {"q": "涪众", "page": "99999"}))
    assert "共 3 页，已显示最后一页（第 3 页）" in page and "涪众120" in page


def test_a_county_cannot_page_or_export_another_countys_people_scope(crowd):
    c = login("yuzhong")
    assert "共 30 条，第 1 / 1 页" in html(c.get("/people/", {"q": "众"}))
    crafted = html(c.get("/people/", {"q": "涪众", "page": "2"}))
    assert "涪众" not in crafted.replace('value="涪众"', "")
    assert workbook(c.get("/people/export/", {"q": "涪众"})) == []
    exported = workbook(c.get("/people/export/", {"q": "众"}))
    assert {r["姓名"][:2] for r in exported} == {"渝众"} and len(exported) == 30


# --- the comparison's findings --------------------------------------------------------------


def compared(c: Any) -> str:
    from doudi.web import worker

    response = c.post("/compare/", {"as_of": "2018-06-30"})
    assert response.status_code == 302 and worker.run_pending() == 1
    return str(response["Location"])


def test_the_comparison_pages_its_findings_and_links_each_to_the_person(crowd):
    from doudi.registry.models import Person

    c = login("fuling")
    result = compared(c)
    # nobody has medical insurance: A, B, C and the 120 of the crowd (涪陵区 only)
    first = html(c.get(result, {"finding": "uninsured_medical"}))
    assert "医疗保险未参保（123）" in first and "共 123 条，第 1 / 3 页" in first
    assert "仅显示前" not in first
    assert "finding=uninsured_medical&amp;page=2" in first
    second = html(c.get(result, {"finding": "uninsured_medical", "page": "2"}))
    assert "第 2 / 3 页" in second
    shown = rows_of(second, "finding-rows")
    assert len(shown) == 50
    pk = Person.objects.get(name="涪众051").pk
    linked = [r for r in shown if f'href="/people/{pk}/"' in r]
    assert linked and "涪众051" in linked[0]
    assert "渝众" not in first + second  # 渝中区's crowd is not this caseworker's


def test_the_village_filter_lists_only_the_chosen_townships_villages(crowd):
    c = login("fuling")
    result = compared(c)
    everywhere = html(c.get(result, {"finding": "uninsured_medical"}))
    # before a township is chosen the village select offers none (and is disabled)
    assert "请先选择乡镇(街道)" in everywhere and 'value="丙村"' not in everywhere
    yihe = html(c.get(result, {"finding": "uninsured_medical", "township": "义和镇"}))
    villages = re.findall(r'<option value="([^"]+)"', yihe.split('name="village"')[1])
    assert villages == ["丙村", "甲村"]  # in the order of their names; not 江东街道's 乙村
    assert "共 60 条" in yihe  # 义和镇: 涪众061 … 涪众120
    # a village of another township is dropped, not filtered to nothing
    mixed = {"finding": "uninsured_medical", "township": "义和镇", "village": "乙村"}
    assert "共 60 条" in html(c.get(result, mixed))
    one = {"finding": "uninsured_medical", "township": "义和镇", "village": "丙村"}
    page = html(c.get(result, one))
    assert "共 30 条，第 1 / 1 页" in page and "涪众091" in page and "涪众090" not in page
    # htmx asks for the fragment alone; the form also works by reloading the page
    fragment = html(c.get(result, one, HTTP_HX_REQUEST="true"))
    assert "<html" not in fragment and 'hx-push-url="true"' in fragment
    assert '<button type="submit">' in fragment


def test_the_comparison_export_holds_the_filtered_rows_masked(crowd):
    from doudi.registry.models import AuditLog

    c = login("fuling")
    result = compared(c)
    one = {"finding": "uninsured_medical", "township": "义和镇", "village": "丙村"}
    assert f"{result}export/?finding=uninsured_medical&amp;township=" in html(c.get(result, one))
    rows = workbook(c.get(f"{result}export/", one))
    assert [r["姓名"] for r in rows] == [f"涪众{i:03d}" for i in range(91, 121)]
    assert rows[0]["公民身份号码"] == masked(crowd_id("500102", 91))
    job = int(result.strip("/").split("/")[-1])
    entry = AuditLog.objects.get(action="download", table_name="web_job", row_id=job)
    assert entry.detail == (
        "导出比对结果-医疗保险未参保（比对项：医疗保险未参保，乡镇(街道)：义和镇，"
        "村(社区)：丙村）共 30 行"
    )


def test_a_county_cannot_page_or_export_another_countys_comparison_scope(crowd):
    c = login("fuling")
    result = compared(c)
    other = login("yuzhong")
    assert other.get(result, {"finding": "uninsured_medical", "page": "2"}).status_code == 404
    assert other.get(f"{result}export/", {"finding": "uninsured_medical"}).status_code == 404
    assert c.get(f"{result}export/", {"finding": "nonsense"}).status_code == 404


# --- imports and an import's changes -------------------------------------------------------


def jobs(n: int, region: str, user: str, source: str, dry_run: bool) -> None:
    from doudi.web.models import Job

    Job.objects.bulk_create(
        Job(
            kind="import",
            state="done",
            region=region,
            created_by=user,
            params={
                "source": source,
                "file_name": f"{source}-{region}-{i:02d}.csv",
                "as_of": "2018-06-30",
                "dry_run": dry_run,
            },
        )
        for i in range(n)
    )


def test_the_import_list_pages_filters_and_exports(site):  # noqa: F811
    from doudi.web.models import Job

    jobs(30, "500102", "fuling", "poverty", True)
    jobs(30, "500102", "fuling", "dibao", False)
    jobs(5, "500103", "yuzhong", "poverty", True)
    c = login("fuling")
    page = html(c.get("/imports/"))
    # and the site's five imports of the command line covering 涪陵区 (§4: four rosters,
    # the hospital's bills of 乙二)
    assert "共 65 条，第 1 / 2 页" in page
    newest = Job.objects.filter(region="500102").order_by("-pk").first()
    assert f'<a href="/imports/{newest.pk}/">#{newest.pk}</a>' in page  # each row: its page
    dibao = html(c.get("/imports/", {"source": "dibao"}))
    assert "共 31 条，第 1 / 1 页" in dibao and "poverty-500102" not in dibao
    dry = {"source": "poverty", "run": "dry_run", "user": "fuling"}
    assert "共 30 条" in html(c.get("/imports/", dry))
    assert "共 1 条" in html(c.get("/imports/", {"run": "commit", "source": "poverty"}))
    rows = workbook(c.get("/imports/export/", {"source": "dibao", "user": "fuling"}))
    assert len(rows) == 30 and {r["方式"] for r in rows} == {"确认导入"}
    assert {r["类别"] for r in rows} == {"最低生活保障对象名单"}
    assert rows[0]["截止日期"].date() == date(2018, 6, 30)
    # 渝中区's caseworker: their five and the two command-line imports covering 渝中区
    other = login("yuzhong")
    assert "共 7 条" in html(other.get("/imports/"))
    assert len(workbook(other.get("/imports/export/"))) == 7


def test_a_county_cannot_page_or_export_another_countys_imports_scope(site):  # noqa: F811
    jobs(60, "500102", "fuling", "poverty", True)
    mine = {"source": "poverty", "run": "dry_run", "page": "2"}  # JSON lookups, each database's
    assert "共 60 条，第 2 / 2 页" in html(login("fuling").get("/imports/", mine))
    other = login("yuzhong")
    assert "共 0 条" in html(other.get("/imports/", {"user": "fuling", "page": "2"}))
    assert workbook(other.get("/imports/export/", {"user": "fuling"})) == []


def snapshot_of_the_crowd(c: Any) -> str:
    """A poverty snapshot of 涪陵区 naming the crowd and not A: 120 opened, A closed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doudi.web import worker

    data = csv_bytes(
        {
            "公民身份号码": [crowd_id("500102", i) for i in range(1, 121)],
            "姓名": [f"涪众{i:03d}" for i in range(1, 121)],
            "纳入时间": ["2017-01-01"] * 120,
        }
    )
    response = c.post(
        "/imports/",
        {
            "file": SimpleUploadedFile("扶贫名单.csv", data),
            "source": "poverty",
            "as_of": "2018-06-30",
            "mode": "snapshot",
        },
    )
    assert response.status_code == 302 and worker.run_pending() == 1
    return str(response["Location"])


def test_the_dry_run_summarises_its_changes_by_kind_and_pages_the_detail(crowd):
    from doudi.registry.models import Person

    c = login("fuling")
    preview = snapshot_of_the_crowd(c)
    page = html(c.get(preview))
    assert "按变化分类：" in page
    assert "?change=open#changes" in page and "开始 120 项" in page and "关闭 1 项" in page
    assert "共 121 条，第 1 / 3 页" in page
    closed = html(c.get(preview, {"change": "close"}))
    changes = rows_of(closed, "change-rows")
    assert len(changes) == 1 and "甲一" in changes[0] and "关闭" in changes[0]
    assert f'href="/people/{Person.objects.get(name="甲一").pk}/"' in changes[0]
    assert masked(ID["A"]) in changes[0] and ID["A"] not in closed
    second = html(c.get(preview, {"change": "open", "page": "2"}))
    assert "共 120 条，第 2 / 3 页" in second and "change=open&amp;page=3" in second
    export = f"/jobs/{preview.strip('/').split('/')[-1]}/rows/changes/export/"
    assert export + "?change=open" in second  # the export takes the kind chosen
    rows = workbook(c.get(export))
    assert len(rows) == 121
    assert {r["变化"] for r in rows} == {"开始", "关闭"}
    assert all("*" in r["公民身份号码"] for r in rows)
    only = workbook(c.get(export, {"change": "close"}))
    assert [(r["姓名"], r["止"].date()) for r in only] == [("甲一", date(2018, 6, 30))]


def test_a_county_cannot_page_or_export_another_countys_import_changes_scope(crowd):
    c = login("fuling")
    job = snapshot_of_the_crowd(c).strip("/").split("/")[-1]
    other = login("yuzhong")
    assert other.get(f"/imports/{job}/", {"change": "open", "page": "2"}).status_code == 404
    assert other.get(f"/jobs/{job}/rows/changes/export/").status_code == 404
    assert c.get(f"/jobs/{job}/rows/left_out/export/").status_code == 404  # not an import's


# --- plan versions and a job's people left out ----------------------------------------------


def test_the_plan_versions_filter_by_year_and_programme_and_export(site):  # noqa: F811
    c = login("city")
    page = html(c.get("/plans/", {"year": "2018", "programme": "resident_pension"}))
    assert "共 2 条，第 1 / 1 页" in page
    assert f'href="/plans/{site["version"]}/"' in page  # each row: its version's page
    assert "共 0 条" in html(c.get("/plans/", {"programme": "resident_medical"}))
    assert "共 0 条" in html(c.get("/plans/", {"year": "2017"}))
    bad = c.get("/plans/", {"year": "20x8"})
    assert bad.status_code == 400 and "年度“20x8”无效" in html(bad)
    rows = workbook(c.get("/plans/export/", {"year": "2018"}))
    # 涪陵区: A 70 + B 70 + C 100 = 240.00; 渝中区: D 70.00 (CQ-2018-82/2.1.1)
    assert sorted((r["范围"], r["政府承担合计"]) for r in rows) == [
        ("500102", 240.0),
        ("500103", 70.0),
    ]
    assert {r["是否当前版本"] for r in rows} == {"当前版本"}
    assert c.get("/plans/export/", {"year": "abc"}).status_code == 400


def test_a_county_cannot_page_or_export_another_countys_plan_versions_scope(site):  # noqa: F811
    c = login("fuling")
    assert "共 1 条" in html(c.get("/plans/", {"year": "2018"}))
    rows = workbook(c.get("/plans/export/"))
    assert [r["范围"] for r in rows] == ["500102"]
    assert login("audit").get("/plans/export/").status_code == 403


def test_a_withholding_files_people_left_out_are_paged_and_exported(site):  # noqa: F811
    """A bank file's job whose result leaves 60 people out: the plan page pages them
    (50 and 10), each linked to their page when the registry holds them."""
    from doudi.registry.models import PlanVersion
    from doudi.web.models import Job

    version = PlanVersion.objects.get(region="500103")
    left = [
        {"id_number": masked(ID["D"]), "name": "丁四", "owed": "130.00", "reason": "无银行账号"}
    ]
    left[0]["person"] = site["pk"]["D"]
    left += [
        {
            "id_number": f"5001**********{i:04d}",
            "name": f"外{i:02d}",
            "owed": "30.50",
            "reason": "已死亡",
            "person": None,
        }
        for i in range(59)
    ]
    job = Job.objects.create(
        kind="withhold",
        state="done",
        region="500103",
        created_by="yuzhong",
        params={"version": version.pk, "region": "500103"},
        result={"file": "代扣.txt", "summary": [], "left_out": left},
    )
    c = login("yuzhong")
    page = html(c.get(f"/plans/{version.pk}/", {"job": job.pk}))
    assert "未列入代扣文件的人员" in page and "共 60 条，第 1 / 2 页" in page
    assert f'<a href="/people/{site["pk"]["D"]}/">丁四</a>' in page
    assert f"job={job.pk}&amp;page=2" in page  # the job rides along with the page
    rows = workbook(c.get(f"/jobs/{job.pk}/rows/left_out/export/"))
    # 130.00 + 59 × 30.50 = 1929.50, as numbers Excel adds
    assert len(rows) == 60 and sum(r["应缴（元）"] for r in rows) == pytest.approx(1929.50)
    assert login("fuling").get(f"/jobs/{job.pk}/rows/left_out/export/").status_code == 404
