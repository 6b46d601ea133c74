"""The web upload and the API say how a list is read and stop a large close (issue #19
§2): the mode is chosen on the form (no default), a snapshot closing more than the
快照关闭比例上限 shows a prominent warning and is imported only with the box ticked, or
the API's ``confirm_closing``; refused, nothing is written.

涪陵区 (500102) has one registered poor person, A (the site of test_web): a poverty
list naming only B would close A — 100% of the county's open periods."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.test_web import (  # noqa: F401 (fixtures)
    _web_db,
    api,
    html,
    login,
    roster,
    settings_override,
    site,
)

pytestmark = pytest.mark.slow  # builds the web application's databases and users


def post(c: Any, **fields: str) -> Any:
    return c.post(
        "/imports/",
        {
            "file": SimpleUploadedFile("扶贫名单.csv", roster("B")),
            "source": "poverty",
            "as_of": "2018-06-30",
            **fields,
        },
    )


def poor_open() -> set[str]:
    """The names of the registered poor whose period is open."""
    from doudi.registry.models import StatusPeriod

    held = StatusPeriod.objects.filter(status="registered_poor", valid_to__isnull=True)
    return {p.person.name for p in held.select_related("person")}


def test_the_form_offers_both_modes_and_chooses_neither(site):  # noqa: F811
    from doudi.web.models import Job

    c = login("fuling")
    form = html(c.get("/imports/"))
    radios = re.findall(r'<input type="radio" name="mode"[^>]*>', form)
    assert len(radios) == 2 and not any("checked" in r for r in radios)
    assert "全量快照" in form and "增量名单" in form
    response = post(c)
    assert response.status_code == 200 and "请选择导入方式：全量快照或增量名单" in html(response)
    assert not Job.objects.exists()


def test_a_large_close_is_warned_of_and_needs_the_box_ticked(site):  # noqa: F811
    from doudi.web import worker
    from doudi.web.models import Job

    c = login("fuling")
    preview = post(c, mode="snapshot")["Location"]
    assert worker.run_pending() == 1
    page = html(c.get(preview))
    assert 'role="alert"' in page and "警告：本次全量快照将关闭 1 人" in page
    assert "我已确认：本次导入将关闭 1 人的「建档立卡贫困人口名单」期间" in page
    assert 'name="confirm_closing"' in page
    refused = c.post(preview)  # the box not ticked: no job, nothing written
    assert refused.status_code == 200 and "请先核对并勾选" in html(refused)
    assert Job.objects.count() == 1 and worker.run_pending() == 0
    assert poor_open() == {"甲一", "丁四"}  # as before
    confirmed = c.post(preview, {"confirm_closing": "on"})
    assert confirmed.status_code == 302 and worker.run_pending() == 1
    assert "已导入" in html(c.get(confirmed["Location"]))
    assert poor_open() == {"乙二", "丁四"}  # A closed, B opened; D (渝中区) untouched


def test_an_addendum_upload_closes_nobody(site):  # noqa: F811
    from doudi.web import worker

    c = login("fuling")
    preview = post(c, mode="addendum")["Location"]
    worker.run_pending()
    page = html(c.get(preview))
    assert "导入方式：增量名单" in page and "警告" not in page
    c.post(preview)
    worker.run_pending()
    assert poor_open() == {"甲一", "乙二", "丁四"}


def test_a_region_outside_the_users_is_refused(site):  # noqa: F811
    response = post(login("fuling"), mode="snapshot", region="500103")
    assert "不在您的管辖范围" in html(response)


def api_import(user: str, **fields: str) -> dict[str, Any]:
    c, auth = api(user)
    response = c.post(
        "/api/imports",
        {
            "file": SimpleUploadedFile("扶贫.csv", roster("B")),
            "source": "poverty",
            "as_of": "2018-06-30",
            "wait": "false",
            **fields,
        },
        **auth,
    )
    if response.status_code != 200:
        return {"status": response.status_code, **response.json()}
    from doudi.web import worker

    worker.run_pending()
    return c.get(f"/api/jobs/{response.json()['id']}", **auth).json()


def test_the_api_warns_in_its_dry_run_and_refuses_an_unconfirmed_large_close(site):  # noqa: F811
    from doudi.registry.models import ImportBatch

    dry = api_import("fuling")  # mode: snapshot by default
    assert dry["state"] == "done" and dry["result"]["needs_confirmation"]
    assert dry["result"]["closing"] == {
        "people": 1,
        "open_before": 1,
        "outside": 0,
        "limit": "0.10",
    }
    assert dry["result"]["closing_warning"].startswith("警告：本次全量快照将关闭 1 人")
    batches = ImportBatch.objects.count()
    refused = api_import("fuling", dry_run="false")
    assert refused["state"] == "failed" and "未确认关闭，未写入任何数据" in refused["error"]
    assert ImportBatch.objects.count() == batches and poor_open() == {"甲一", "丁四"}
    done = api_import("fuling", dry_run="false", confirm_closing="true")
    assert done["state"] == "done" and poor_open() == {"乙二", "丁四"}
    assert ImportBatch.objects.order_by("-pk").first().mode == "snapshot"


def test_the_api_takes_an_addendum_and_refuses_an_unknown_mode(site):  # noqa: F811
    from doudi.registry.models import ImportBatch

    wrong = api_import("fuling", mode="full")
    assert wrong["status"] == 400 and "请选择导入方式" in wrong["error"]
    done = api_import("fuling", dry_run="false", mode="addendum")
    assert done["state"] == "done" and not done["result"]["needs_confirmation"]
    assert poor_open() == {"甲一", "乙二", "丁四"}
    assert ImportBatch.objects.order_by("-pk").first().mode == "addendum"
