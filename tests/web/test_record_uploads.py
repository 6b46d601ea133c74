"""The record lists (issue #20 §1, reading 35) can be uploaded on the web and through the
API, as every other list: before, the upload form and the API knew the rosters only, so
a caseworker had to ask for the command line to import a certificates file."""

from __future__ import annotations

import json

import pytest
from tests.web.test_web import (  # noqa: F401 (fixtures)
    ID,
    PEOPLE,
    _web_db,
    api,
    csv_bytes,
    html,
    login,
    settings_override,
    site,
)

pytestmark = pytest.mark.slow  # builds the web application's databases and users


def certificates() -> bytes:
    return csv_bytes(
        {
            "公民身份号码": [ID["A"]],
            "姓名": [PEOPLE["A"][1]],
            "证书等级": ["四级"],
            "发证日期": ["2018-04-01"],
            "证书编号": ["JX-2018-0001"],
        }
    )


def test_the_upload_form_offers_the_record_lists_and_imports_one(site):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doudi.registry.models import RosterEntry
    from doudi.web import worker

    c = login("fuling")
    form = html(c.get("/imports/"))
    assert "职业资格（技能等级）证书" in form and "失业保险参保缴费记录" in form
    response = c.post(
        "/imports/",
        {
            "file": SimpleUploadedFile("证书.csv", certificates()),
            "source": "certificates",
            "as_of": "2018-06-30",
            "mode": "snapshot",
        },
    )
    assert response.status_code == 302 and worker.run_pending() == 1
    assert "记录 1 条" in html(c.get(response["Location"]))
    assert not RosterEntry.objects.filter(certificate_number="JX-2018-0001").exists()  # dry run


def test_the_api_imports_a_record_list(site):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doudi.registry.models import RosterEntry
    from doudi.web import worker

    c, auth = api("fuling")
    response = c.post(
        "/api/imports",
        {
            "file": SimpleUploadedFile("证书.csv", certificates()),
            "source": "certificates",
            "as_of": "2018-06-30",
            "dry_run": "false",
            "wait": "false",
        },
        **auth,
    )
    assert worker.run_pending() == 1  # the worker, as `doudi serve` runs it beside the pages
    job = c.get(f"/api/jobs/{response.json()['id']}", **auth).json()
    assert job["state"] == "done", json.dumps(job, ensure_ascii=False)
    assert job["result"]["accepted"] == 1
    entry = RosterEntry.objects.get(certificate_number="JX-2018-0001")
    assert entry.certificate_level == 4  # 四级
