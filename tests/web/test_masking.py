"""ID numbers are masked everywhere but on the person page (issue #19 §5): the audit
log (auditors may not unmask) and the bank-file job's result show them masked, as
every page does (first four, last four: ``doudi.core.idnumber.mask``).

A Chongqing county (涪陵区 500102) with two registered-poor people enrolled in the
resident pension for 2018; 乙二 has no bank account, so the bank file leaves them out
and its summary names them.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from tests.web.test_web import _web_db  # noqa: F401 (the web application's databases)

from conftest import make_id

pytestmark = pytest.mark.slow  # builds the web application's databases and users

MARCH = date(2018, 3, 31)
A = make_id("500102", "19750101", "001")
B = make_id("500102", "19760202", "002")
PASSWORD = "correct-horse-battery"


def masked(number: str) -> str:
    return number[:4] + "**********" + number[-4:]


def csv_bytes(columns: dict[str, list[str]]) -> bytes:
    sink = io.BytesIO()
    pacsv.write_csv(pa.table(columns), sink)
    return sink.getvalue()


@pytest.fixture
def site(_web_db: Any, tmp_path: Path) -> Any:  # noqa: F811
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import override_settings

    from doudi.rosters.importing import import_roster
    from doudi.web.accounts import set_user

    with override_settings(DOUDI_WORK_DIR=tmp_path / "web"):
        call_command("flush", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0, database="jobs")
        cache.clear()
        poverty = tmp_path / "poverty.csv"
        poverty.write_bytes(
            csv_bytes(
                {"公民身份号码": [A, B], "姓名": ["甲一", "乙二"], "纳入时间": ["2016-06-01"] * 2}
            )
        )
        import_roster(_web_db, poverty, "poverty", MARCH)
        pension = tmp_path / "pension.csv"
        pension.write_bytes(
            csv_bytes(
                {
                    "公民身份号码": [A, B],
                    "姓名": ["甲一", "乙二"],
                    "参保时间": ["2015-01-01"] * 2,
                    "缴费档次": ["100", "100"],
                    "银行账号": ["6217000000000000011", ""],  # 乙二: none
                }
            )
        )
        import_roster(_web_db, pension, "resident_pension", MARCH)
        set_user("fuling", "caseworker", "500102", PASSWORD)
        set_user("audit", "auditor", "000000", PASSWORD)  # national: sees every row
        yield


def login(username: str) -> Any:
    from django.test import Client

    c = Client()
    response = c.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return c


def test_the_audit_log_shows_id_numbers_masked(site: Any) -> None:
    # the import's add_person rows hold {"id_number": …} in their detail
    from doudi.registry.models import AuditLog

    assert AuditLog.objects.filter(action="add_person", detail__contains=A).exists()
    page = login("audit").get("/audit/", {"action": "add_person"}).content.decode()
    assert masked(A) in page and masked(B) in page
    assert A not in page and B not in page


def test_the_bank_file_jobs_result_shows_id_numbers_masked(site: Any) -> None:
    from doudi.registry.models import PlanVersion
    from doudi.web import worker
    from doudi.web.models import Job

    c = login("fuling")
    c.post("/plans/", {"year": "2018"})
    assert worker.run_pending() == 1
    county = PlanVersion.objects.get(region="500102", programme="resident_pension")
    response = c.post(f"/plans/{county.pk}/withhold/")
    assert response.status_code == 302 and worker.run_pending() == 1
    job = Job.objects.get(pk=int(response["Location"].split("job=")[1]))
    assert job.state == "done", job.result
    result = str(job.result)
    assert masked(B) in result  # 乙二 left out: no bank account
    assert B not in result and A not in result
    page = c.get(response["Location"]).content.decode()
    assert "已生成代扣文件" in page
    assert B not in page and A not in page
