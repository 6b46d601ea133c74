"""The web application (issue #6): every page and API endpoint, the region scope (a
caseworker of one county gets 404 for a person of another), roles, masking and the
audit log, uploads scanned before they are stored, jobs run by the worker, security
headers and the language switch. Django's test client against a real SQLite registry.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

# every test builds the web application's databases and users: seconds each
pytestmark = pytest.mark.slow

MARCH = date(2018, 3, 31)
#: two Chongqing counties: 涪陵区 500102 (people A, B, C) and 渝中区 500103 (person D)
PEOPLE = {
    "A": ("50010219750101001", "甲一", "poverty", "100"),
    "B": ("50010219760202002", "乙二", "dibao", "200"),
    "C": ("50010219770303003", "丙三", "tekun", "100"),
    "D": ("50010319780404004", "丁四", "poverty", "100"),
}
PASSWORD = "correct-horse-battery"
USERS = {
    "fuling": ("caseworker", "500102"),
    "yuzhong": ("caseworker", "500103"),
    "city": ("province_admin", "500000"),
    "money": ("finance", "500000"),
    "audit": ("auditor", "500000"),
    "audit-yz": ("auditor", "500103"),
}


def full_id(first17: str) -> str:
    from doudi.core.idnumber import check_character

    return first17 + check_character(first17)


ID = {k: full_id(v[0]) for k, v in PEOPLE.items()}


def csv_bytes(columns: dict[str, list[str]]) -> bytes:
    sink = io.BytesIO()
    pacsv.write_csv(pa.table(columns), sink)
    return sink.getvalue()


def roster(keys: str, since: str = "2016-06-01") -> bytes:
    return csv_bytes(
        {
            "公民身份号码": [ID[k] for k in keys],
            "姓名": [PEOPLE[k][1] for k in keys],
            "纳入时间": [since] * len(keys),
        }
    )


@pytest.fixture(scope="session")
def _web_db(_django: None) -> Any:
    from doudi.store import db

    database = db.Database()
    database.migrate()
    db.Database("jobs").migrate()
    return database


@pytest.fixture
def site(_web_db: Any, tmp_path: Path, settings_override: None) -> dict[str, Any]:
    """A registry with the four people, the 2018 plans of 涪陵区 and 渝中区, a hospital
    bill, and the users; ``version``: 渝中区's plan."""
    from django.core.cache import cache
    from django.core.management import call_command

    from doudi.bills import importing as bills
    from doudi.plan import versions as plan
    from doudi.rosters.importing import import_roster
    from doudi.web.accounts import set_user

    call_command("flush", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0, database="jobs")
    cache.clear()
    for source in ("poverty", "dibao", "tekun"):
        keys = "".join(k for k, v in PEOPLE.items() if v[2] == source)
        path = tmp_path / f"{source}.csv"
        path.write_bytes(roster(keys))
        import_roster(_web_db, path, source, MARCH)
    pension = tmp_path / "pension.csv"
    pension.write_bytes(
        csv_bytes(
            {
                "公民身份号码": list(ID.values()),
                "姓名": [v[1] for v in PEOPLE.values()],
                "参保时间": ["2015-01-01"] * 4,
                "缴费档次": [v[3] for v in PEOPLE.values()],
                "银行账号": ["6217000000000000011"] * 4,
            }
        )
    )
    import_roster(_web_db, pension, "resident_pension", MARCH)
    # each county's own plan (a plan of all Chongqing would overlap both: decision 0010)
    for county in ("500102", "500103"):
        version = plan.run_plan(
            _web_db, "500000", 2018, region=county, snapshots=tmp_path / "plans"
        )
    hospital = tmp_path / "bills.csv"  # a hospital stay of B's (dibao)
    hospital.write_text(
        "单据号,公民身份号码,入院日期,出院日期,医院等级,总费用,政策范围内费用,不合规费用\n"
        f"ZY-1,{ID['B']},2018-03-01,2018-03-10,二级,12000,10000,500\n",
        encoding="gb18030",
    )
    bills.import_bills(_web_db, hospital, "500000")
    for username, (role, region) in USERS.items():
        set_user(username, role, region, PASSWORD)
    from doudi.registry.models import Person

    pk = {k: Person.objects.get(id_number=ID[k]).pk for k in PEOPLE}
    return {"db": _web_db, "pk": pk, "version": version.version_id, "tmp": tmp_path}


@pytest.fixture
def settings_override(tmp_path: Path) -> Any:
    from django.test import override_settings

    with override_settings(DOUDI_WORK_DIR=tmp_path / "web"):
        yield


def client() -> Any:
    from django.test import Client

    return Client()


def login(username: str) -> Any:
    """A client signed in through the login page (axes needs the request)."""
    from django.test import Client

    c = Client()
    response = c.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return c


def html(response: Any) -> str:
    return response.content.decode("utf-8")


# --- signing in -----------------------------------------------------------------------


def test_pages_need_a_login_and_the_login_page_is_chinese(site):
    c = client()
    response = c.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    page = html(c.get("/login/"))
    assert "登录" in page and 'lang="zh-hans"' in page


def test_five_wrong_passwords_lock_the_login(site):
    c = client()
    for _ in range(5):
        c.post("/login/", {"username": "fuling", "password": "wrong-password-1"})
    response = c.post("/login/", {"username": "fuling", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录已锁定" in html(response)


def test_passwords_are_stored_with_argon2(site):
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="fuling").password.startswith("argon2")


def test_a_user_without_a_role_is_signed_in_but_refused(site):
    """The account (role and region) is read with the session's user: a user that has
    none gets 403 on every page and sees no one, rather than an error."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("norole", password=PASSWORD)
    c = login("norole")
    assert c.get("/").status_code == 403
    assert c.get("/people/?q=李").status_code == 403
    assert c.get(f"/people/{site['pk']['B']}/").status_code == 403


def test_security_headers_and_cookies(site):
    c = login("fuling")
    response = c.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert c.cookies["sessionid"]["httponly"]


def test_english_is_the_second_language(site):
    c = login("fuling")
    response = c.post("/i18n/setlang/", {"language": "en", "next": "/people/"})
    assert response.status_code == 302
    page = html(c.get("/people/"))
    assert 'lang="en"' in page and "Person search" in page
    c.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "人员查询" in html(c.get("/people/"))


# --- the region scope ----------------------------------------------------------------------


def test_a_caseworker_finds_only_the_people_of_their_county(site):
    page = html(login("fuling").get("/people/", {"q": "5001"}))
    assert "甲一" in page and "乙二" in page and "丁四" not in page
    page = html(login("yuzhong").get("/people/", {"q": "丁"}))
    assert "丁四" in page


def test_a_person_of_another_county_is_not_found(site):
    c = login("fuling")
    assert c.get(f"/people/{site['pk']['D']}/").status_code == 404
    assert c.get(f"/people/{site['pk']['D']}/explanation/", {"year": 2018}).status_code == 404
    assert c.post(f"/people/{site['pk']['D']}/unmask/").status_code == 404
    assert login("city").get(f"/people/{site['pk']['D']}/").status_code == 200


def test_the_person_page_masks_the_id_and_shows_statuses_enrollments_and_plan(site):
    page = html(login("fuling").get(f"/people/{site['pk']['B']}/"))
    masked = ID["B"][:4] + "*" * 10 + ID["B"][-4:]
    assert masked in page and ID["B"] not in page
    assert "低保对象" in page and "城乡居民基本养老保险" in page
    assert "CQ-2018-82/2.1.1" in page and "70.00" in page and "130.00" in page


def test_the_person_page_shows_bills_with_their_payer_layers(site):
    """A stored hospital bill is settled with the registry's dibao period; the layers and
    the patient's and hospital's parts add up to the bill (page and API)."""
    from decimal import Decimal

    c = login("fuling")
    page = html(c.get(f"/people/{site['pk']['B']}/"))
    assert "住院费用结算" in page and "ZY-1" in page and "民政医疗救助" in page
    a, auth = api("fuling")
    data = a.get(f"/api/people/{site['pk']['B']}", **auth).json()
    (bill,) = data["bills"]
    parts = [bill["fund_paid"], bill["patient_pays"], bill["hospital_bears"]]
    assert sum(Decimal(x) for x in parts) == Decimal("12000.00")
    assert sum(Decimal(x["amount"]) for x in bill["layers"]) == Decimal(bill["fund_paid"])
    assert "id_number" not in bill  # the number stays masked on the person
    assert "尚无住院结算单据" in html(c.get(f"/people/{site['pk']['A']}/"))


def test_the_explanation_quotes_the_clause(site):
    page = html(login("fuling").get(f"/people/{site['pk']['B']}/explanation/", {"year": 2018}))
    # 200 tier, the government pays 70% of the minimum tier 100: 70.00; she pays 130.00
    assert "政府代缴70.00元，个人应缴130.00元" in page
    assert "渝人社发〔2018〕82号" in page


def test_unmasking_is_for_caseworkers_and_is_audited(site):
    from doudi.registry.models import AuditLog

    pk = site["pk"]["A"]
    response = login("fuling").post(f"/people/{pk}/unmask/")
    assert response.status_code == 200 and html(response) == ID["A"]
    entry = AuditLog.objects.get(action="unmask")
    assert (entry.actor, entry.row_id) == ("fuling", pk)
    assert login("money").post(f"/people/{pk}/unmask/").status_code == 403
    assert login("audit").post(f"/people/{pk}/unmask/").status_code == 403


def test_roles_open_only_their_pages(site):
    assert login("audit").get("/audit/").status_code == 200
    assert login("fuling").get("/audit/").status_code == 403
    assert login("money").get("/finance/").status_code == 200
    assert login("fuling").get("/finance/").status_code == 403
    assert login("money").get("/imports/").status_code == 403
    assert login("audit").get("/settle/").status_code == 403


# --- uploads and imports ---------------------------------------------------------------------


def upload(c: Any, name: str, data: bytes, source: str = "poverty") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return c.post(
        "/imports/",
        {
            "file": SimpleUploadedFile(name, data),
            "source": source,
            "as_of": "2018-06-30",
            "mode": "snapshot",
        },
    )


def test_an_upload_is_dry_run_then_confirmed(site):
    from doudi.registry.models import ImportBatch, StatusPeriod
    from doudi.web import worker

    c = login("fuling")
    # A and B stay on the list, a row with a bad ID number is rejected; C is not on it
    good = full_id("50010219800101001")
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    data = roster("AB") + f"{bad},坏号,2016-06-01\n".encode()
    response = upload(c, "扶贫名单.csv", data)
    assert response.status_code == 302
    preview = response["Location"]
    assert worker.run_pending() == 1
    page = html(c.get(preview))
    assert "试导入" in page and "被拒绝的行" in page and "校验码" in page
    assert ImportBatch.objects.filter(source="poverty").count() == 1  # nothing written yet
    response = c.post(preview)
    assert response.status_code == 302
    assert worker.run_pending() == 1
    page = html(c.get(response["Location"]))
    assert "已导入" in page
    batch = ImportBatch.objects.filter(source="poverty").order_by("-pk").first()
    assert batch.file_name == "扶贫名单.csv" and batch.imported_by == "fuling"
    # A stays, B joins, D (渝中区, outside the list's county) keeps their period
    assert StatusPeriod.objects.filter(status="registered_poor").count() == 3


def test_hospital_bills_are_uploaded_dry_run_then_confirmed(site):
    """A caseworker uploads the county hospital's bills: the dry run names each rejected
    row (a patient of another county, a bill already stored); confirmed, the bill is
    stored and the person page shows its payer layers."""
    from doudi.registry.models import Bill
    from doudi.web import worker

    c = login("fuling")
    data = (
        "单据号,公民身份号码,入院日期,出院日期,医院等级,总费用,政策范围内费用\n"
        f"ZY-2,{ID['A']},2018-04-01,2018-04-08,一级,3000,2500\n"
        f"ZY-3,{ID['D']},2018-04-01,2018-04-08,一级,3000,2500\n"  # 渝中区: not fuling's
        f"ZY-1,{ID['B']},2018-03-01,2018-03-10,二级,12000,10000\n"  # stored already
    ).encode("gb18030")
    response = upload(c, "县医院结算.csv", data, source="bills")
    assert response.status_code == 302
    preview = response["Location"]
    assert worker.run_pending() == 1
    page = html(c.get(preview))
    assert "试导入" in page and "接受 1 张，拒绝 2 行" in page and "结算地区 500000" in page
    assert "不在" in page and "ZY-1" in page
    assert ID["D"] not in page  # the ID number of the refused row is masked
    assert not Bill.objects.filter(bill_id="ZY-2").exists()  # nothing written yet
    response = c.post(preview)
    assert worker.run_pending() == 1
    assert "已导入" in html(c.get(response["Location"]))
    assert Bill.objects.get(bill_id="ZY-2").person_id == site["pk"]["A"]
    assert "ZY-2" in html(c.get(f"/people/{site['pk']['A']}/"))
    listed = re.findall(r"<tr>(.*?)</tr>", html(c.get("/imports/")))
    assert any("县医院结算.csv" in row and "住院结算单据" in row for row in listed)


def test_bills_are_csv_and_need_an_account_with_a_jurisdiction(site):
    from doudi.web import worker
    from doudi.web.accounts import set_user

    assert "住院结算单据" in html(login("fuling").get("/imports/"))  # offered in the form
    response = upload(login("fuling"), "bills.xlsx", b"PK\x03\x04", source="bills")
    assert response.status_code == 200 and "CSV" in html(response)
    set_user("nation", "province_admin", "000000", PASSWORD)
    response = upload(login("nation"), "bills.csv", b"a,b\n", source="bills")
    assert "统筹地区" in html(response)
    assert worker.run_pending() == 0


def test_a_list_of_another_county_is_refused_whole(site):
    from doudi.registry.models import ImportBatch
    from doudi.web import worker
    from doudi.web.models import Job

    c = login("fuling")
    upload(c, "渝中.csv", roster("D"))
    worker.run_pending()
    job = Job.objects.order_by("-pk").first()
    assert job.state == "failed" and "不在您管辖范围" in job.error
    assert ImportBatch.objects.filter(source="poverty").count() == 1


def xlsx_with(part: str) -> bytes:
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr(part, "x")
    return sink.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("名单.exe", b"MZ\x90\x00", "只接受 .xlsx 或 .csv 文件"),
        ("名单.xlsx", b"not a zip", "不是有效的 Excel"),
        ("名单.xlsx", xlsx_with("xl/vbaProject.bin"), "含有宏"),
        ("名单.csv", b"\x00\x01\x02binary", "二进制内容"),
        ("名单.csv", b"", "空文件"),  # Django's own check: 所提交的是空文件
    ],
)
def test_uploads_are_scanned_before_anything_is_stored(site, name, data, reason):
    from doudi.web.models import Job

    c = login("fuling")
    response = upload(c, name, data)
    assert response.status_code == 200 and reason in html(response)
    assert not Job.objects.exists()
    assert not (site["tmp"] / "web" / "uploads").exists() or not any(
        (site["tmp"] / "web" / "uploads").iterdir()
    )


def test_an_upload_over_the_size_limit_is_refused(site):
    from django.test import override_settings

    with override_settings(DOUDI_UPLOAD_MAX_BYTES=100):
        response = upload(login("fuling"), "名单.csv", roster("AB") * 10)
    assert "文件过大" in html(response)


# --- comparison, plans, settlement, policy ----------------------------------------------------


def test_the_comparison_runs_as_a_job_and_downloads(site):
    from doudi.web import worker

    c = login("fuling")
    response = c.post("/compare/", {"as_of": "2018-06-30"})
    assert response.status_code == 302
    assert worker.run_pending() == 1
    page = html(c.get(response["Location"]))
    assert "养老保险未参保" in page and "医疗保险未参保" in page
    # everybody lacks the medical insurance here: the three poor of 涪陵区
    page = html(c.get(response["Location"], {"finding": "uninsured_medical"}))
    assert "甲一" in page and "丁四" not in page
    download = c.get(response["Location"] + "download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert login("yuzhong").get(response["Location"]).status_code == 404


def test_the_plan_of_a_county_runs_as_a_job(site):
    from doudi.registry.models import PlanVersion
    from doudi.web import worker

    c = login("fuling")
    response = c.post("/plans/", {"year": "2018"})
    assert response.status_code == 302
    assert worker.run_pending() == 1
    county = PlanVersion.objects.get(region="500102", programme="resident_pension")
    assert county.people == 3 and county.jurisdiction == "500000"
    # A 70 (poverty office), B 70 (civil affairs), C 100 (tekun: full minimum tier)
    assert county.gov_paid == 240
    page = html(c.get(f"/plans/{county.pk}/"))
    assert "民政部门" in page and "扶贫部门" in page and "240.00" in page
    response = c.post(f"/plans/{county.pk}/ledger/")
    assert response.status_code == 302 and worker.run_pending() == 1
    job = response["Location"].split("job=")[1]
    assert "下载" in html(c.get(response["Location"]))
    ledger = c.get(f"/jobs/{job}/download/")
    assert ledger.status_code == 200 and ledger["Content-Disposition"].startswith("attachment")
    assert login("yuzhong").get(f"/jobs/{job}/download/").status_code == 404
    # 渝中区's plan: not the Fuling caseworker's
    assert c.get(f"/plans/{site['version']}/").status_code == 404
    assert login("yuzhong").get(f"/plans/{county.pk}/").status_code == 404


def test_the_bank_file_is_downloaded_from_a_chongqing_plan(site):
    from doudi.web import worker

    c = login("fuling")
    c.post("/plans/", {"year": "2018"})
    worker.run_pending()
    from doudi.registry.models import PlanVersion

    county = PlanVersion.objects.get(region="500102", programme="resident_pension")
    response = c.post(f"/plans/{county.pk}/withhold/")
    assert response.status_code == 302 and worker.run_pending() == 1
    page = html(c.get(response["Location"]))
    assert "已生成代扣文件" in page
    download = c.get(f"/jobs/{response['Location'].split('job=')[1]}/download/")
    body = b"".join(download.streaming_content).decode("gbk")
    assert body.startswith("H|DOUDI-DK|1|5001022018") and "|130.00|" in body


def test_the_settlement_calculator(site):
    form = {
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
    page = html(login("fuling").post("/settle/", form))
    # examples/bills/jiangxi-2018.yaml JX-001: basic 7680.00, critical illness 400.00,
    # assistance 1344.00, patient 2576.00
    assert "7680.00" in page and "400.00" in page and "1344.00" in page and "2576.00" in page
    bad = html(login("fuling").post("/settle/", {**form, "in_policy_cost": "13000"}))
    assert "单据有误" in bad


def test_the_policy_pages(site):
    c = login("audit")
    assert "重庆市" in html(c.get("/policy/"))
    page = html(c.get("/policy/500000/", {"year": 2018}))
    assert "resident_pension.gov_paid_share" in page and "示例参数" in page
    page = html(c.get("/policy/clause/CQ-2018-82/2.1.1"))
    assert "对其余代缴对象按最低档次标准的70%代缴" in page
    assert c.get("/policy/999999/").status_code == 404


def test_the_dashboard_shows_coverage_and_payers(site):
    page = html(login("city").get("/"))
    assert "涪陵区" in page and "渝中区" in page and "参保率" in page
    assert "民政部门" in page


def test_the_audit_log_lists_changes(site):
    login("fuling").post(f"/people/{site['pk']['A']}/unmask/")
    page = html(login("audit").get("/audit/", {"action": "unmask"}))
    assert "fuling" in page and "查看完整身份证号" in page


def test_an_auditor_sees_the_audit_log_of_their_region(site):
    """A county's auditor: its users' actions, changes to its people, its imports."""
    login("fuling").post(f"/people/{site['pk']['A']}/unmask/")
    login("yuzhong").post(f"/people/{site['pk']['D']}/unmask/")
    county = html(login("audit-yz").get("/audit/", {"action": "unmask"}))
    assert "yuzhong" in county and "fuling" not in county
    city = html(login("audit").get("/audit/", {"action": "unmask"}))
    assert "yuzhong" in city and "fuling" in city
    # the bill of B (涪陵区) and its import: the city's, not 渝中区's
    assert "住院结算单据 ZY-1" in html(login("audit").get("/audit/", {"action": "insert"}))
    assert "ZY-1" not in html(login("audit-yz").get("/audit/", {"action": "insert"}))


# --- the REST API ----------------------------------------------------------------------------


def api(username: str) -> tuple[Any, dict[str, str]]:
    from django.contrib.auth import get_user_model

    from doudi.web import tokens

    key = tokens.issue(get_user_model().objects.get(username=username), "test")
    return client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_api_needs_a_token(site):
    c = client()
    assert c.get("/api/people", {"q": "5001"}).status_code == 401
    assert c.get("/api/people", {"q": "5001"}, HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    assert c.get("/api/openapi.json").status_code == 200
    assert c.get("/api/docs").status_code == 200


def test_the_api_applies_the_region_scope(site):
    c, auth = api("fuling")
    found = c.get("/api/people", {"q": "5001"}, **auth).json()
    assert (found["count"], found["pages"]) == (3, 1)
    assert {p["name"] for p in found["people"]} == {"甲一", "乙二", "丙三"}
    assert all("*" in p["id_number"] for p in found["people"])
    assert c.get(f"/api/people/{site['pk']['D']}", **auth).status_code == 404
    person = c.get(f"/api/people/{site['pk']['B']}", {"unmask": "true"}, **auth).json()
    assert person["id_number"] == ID["B"]
    assert person["plans"][0]["self_due"] == "130.00"
    c, auth = api("money")
    assert c.get(f"/api/people/{site['pk']['B']}", {"unmask": "true"}, **auth).status_code == 403


def test_the_api_evaluates_settles_and_explains(site):
    c, auth = api("fuling")
    scenario = {
        "jurisdiction": "500000",
        "year": 2018,
        "people": [
            {
                "id_number": "500102199007200142",
                "name": "李强",
                "statuses": [{"status": "registered_poor", "from": "2015-03-01"}],
                "resident_pension": {"enrolled": True, "tier": 200},
            }
        ],
    }
    out = c.post("/api/evaluate", json.dumps(scenario), "application/json", **auth).json()
    assert out["results"][0]["resident_pension"]["gov_paid"] == "70.00"
    bad = c.post(
        "/api/evaluate", json.dumps({**scenario, "jurisdiction": "999"}), "application/json", **auth
    )
    assert bad.status_code == 400 and "未知的统筹地区" in bad.json()["error"]
    bill = {
        "statuses": ["registered_poor"],
        "admission_date": "2018-03-01",
        "discharge_date": "2018-03-10",
        "hospital_level": 2,
        "total_cost": 12000,
        "in_policy_cost": 10000,
    }
    settled = c.post(
        "/api/settle",
        json.dumps({"jurisdiction": "360000", "bill": bill}),
        "application/json",
        **auth,
    ).json()
    assert settled["patient_pays"] == "2576.00"
    explained = c.get(f"/api/people/{site['pk']['C']}/explanation", {"year": 2018}, **auth)
    assert explained.json()["resident_pension"]["gov_paid"] == "100.00"


def test_the_api_imports_bills_committed_at_once(site):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doudi.registry.models import Bill
    from doudi.web import worker

    c, auth = api("fuling")
    data = (
        "单据号,公民身份号码,入院日期,出院日期,医院等级,总费用,政策范围内费用\n"
        f"ZY-4,{ID['C']},2018-05-01,2018-05-03,一级,800,600\n"
    ).encode("gb18030")
    fields = {"source": "bills", "as_of": "2018-06-30", "dry_run": "false", "wait": "false"}
    response = c.post("/api/imports", {"file": SimpleUploadedFile("b.csv", data), **fields}, **auth)
    assert response.status_code == 200 and worker.run_pending() == 1
    job = c.get(f"/api/jobs/{response.json()['id']}", **auth).json()
    assert job["state"] == "done" and job["result"]["accepted"] == 1
    assert Bill.objects.get(bill_id="ZY-4").jurisdiction == "500000"
    refused = c.post("/api/imports", {"file": SimpleUploadedFile("b.txt", data), **fields}, **auth)
    assert refused.status_code == 400 and "CSV" in refused.json()["error"]


def test_the_api_imports_plans_and_counts(site):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doudi.web import worker

    c, auth = api("fuling")
    response = c.post(
        "/api/imports",
        {
            "file": SimpleUploadedFile("扶贫.csv", roster("AB")),
            "source": "poverty",
            "as_of": "2018-06-30",
            "dry_run": "true",
            "wait": "false",
        },
        **auth,
    )
    assert response.json()["state"] == "queued"
    assert worker.run_pending() == 1  # the worker, as `doudi serve` runs it beside the pages
    job = c.get(f"/api/jobs/{response.json()['id']}", **auth).json()
    assert job["state"] == "done" and job["result"]["accepted"] == 2 and job["result"]["dry_run"]
    queued = c.post(
        "/api/plans", json.dumps({"year": 2018, "wait": False}), "application/json", **auth
    ).json()
    worker.run_pending()
    planned = c.get(f"/api/jobs/{queued['id']}", **auth).json()
    pension, medical = planned["result"]["programmes"]
    assert planned["state"] == "done" and pension["gov_paid"] == "240.00"
    assert medical["programme"] == "resident_medical"
    versions = c.get("/api/plans", **auth).json()
    assert sorted((v["region"], v["programme"]) for v in versions) == [
        ("500102", "resident_medical"),
        ("500102", "resident_pension"),
    ]
    detail = c.get(f"/api/plans/{pension['version']}", **auth).json()
    assert sum(float(t["amount"]) for t in detail["totals"] if t["payer"] != "self") == 240
    c, auth = api("city")
    stats = c.get("/api/statistics", **auth).json()
    assert {x["code"] for x in stats["counties"]} == {"500102", "500103"}
    # each county's plan counts once (the county re-ran its plan on the same inputs).
    # civil affairs: B 70 + C 100; poverty office: A 70 + D 70; apart from 涪陵区's
    # medical subsidy (CQ-2018-82/2.2.1, finance 220 for each of A, B, C = 660)
    payers = {
        g["programme"]: {p["payer"]: p["amount"] for p in g["payers"]} for g in stats["programmes"]
    }
    assert payers == {
        "resident_pension": {"civil_affairs": "170.00", "poverty_office": "140.00"},
        "resident_medical": {"finance": "660.00"},
    }


def test_chinese_is_the_default_whatever_the_browser_asks(site):
    from django.test import Client

    c = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in html(c.get("/login/"))


# --- what a review found (scope, masking, permissions, bad input) -----------------------------


def test_a_county_plans_ledger_holds_only_that_countys_people(site):
    import fastexcel

    from doudi.web import worker

    c = login("fuling")
    c.post("/plans/", {"year": "2018"})
    worker.run_pending()
    from doudi.registry.models import PlanVersion

    county = PlanVersion.objects.get(region="500102", programme="resident_pension")
    response = c.post(f"/plans/{county.pk}/ledger/")
    worker.run_pending()
    job = response["Location"].split("job=")[1]
    path = site["tmp"] / "ledger.xlsx"
    path.write_bytes(b"".join(c.get(f"/jobs/{job}/download/").streaming_content))
    sheet = fastexcel.read_excel(str(path)).load_sheet(0, header_row=None).to_arrow()
    cells = {str(v) for col in sheet.columns for v in col.to_pylist()}
    assert ID["A"] in cells and ID["D"] not in cells and "丁四" not in cells
    # finance and auditors may not make or download files full of ID numbers
    assert login("money").post(f"/plans/{county.pk}/ledger/").status_code == 403
    city_version = site["version"]
    assert login("money").post(f"/plans/{city_version}/ledger/").status_code == 403
    assert login("money").get(f"/jobs/{job}/download/").status_code == 403
    assert login("audit").get(f"/plans/{city_version}/").status_code == 403


def test_without_unmasking_an_id_cannot_be_found_out_digit_by_digit(site):
    c = login("money")
    assert "乙二" not in html(c.get("/people/", {"q": ID["B"][:10]}))
    assert "乙二" in html(c.get("/people/", {"q": ID["B"]}))  # the whole number: found
    assert "乙二" in html(c.get("/people/", {"q": "5001"}))
    assert "乙二" in html(login("fuling").get("/people/", {"q": ID["B"][:10]}))


def test_import_reports_mask_id_numbers(site):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doudi.web import worker

    good = full_id("50010219800101001")
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    c, auth = api("fuling")
    data = roster("AB") + f"{bad},坏号,2016-06-01\n".encode()
    response = c.post(
        "/api/imports",
        {
            "file": SimpleUploadedFile("扶贫.csv", data),
            "source": "poverty",
            "as_of": "2018-06-30",
            "wait": "false",
        },
        **auth,
    )
    worker.run_pending()
    body = c.get(f"/api/jobs/{response.json()['id']}", **auth).content.decode()
    assert ID["B"] not in body and bad not in body
    assert ID["B"][:4] + "*" * 10 + ID["B"][-4:] in body


def test_bad_years_are_answered_not_crashed(site):
    assert login("audit").get("/policy/500000/", {"year": 10000}).status_code == 200
    c, auth = api("fuling")
    response = c.get(f"/api/people/{site['pk']['A']}/explanation", {"year": 0}, **auth)
    assert response.status_code == 400
