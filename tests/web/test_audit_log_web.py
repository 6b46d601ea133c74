"""The audit log an auditor can read (issue #23 §2): actions and tables in Chinese, the
person a row is about linked to their page with the ID number masked, the detail as a
sentence rather than the jobs' JSON, filters by user, action, date range and person,
pages with counts, and an Excel export of the filtered rows that is itself audited; a
county's auditor sees their region's rows only, whatever they type.

Besides the rows test_web's site writes (its imports, B's bill), ``logged`` adds 120
unmaskings of A (甲一, 涪陵区) by ``fuling``, one a day at 08:00 Beijing time from
2018-01-01 (2018-01-01 … 2018-04-30), 30 of D (丁四, 渝中区) by ``yuzhong`` from
2018-03-01, and two downloads by ``fuling`` either side of midnight on 2018-02-28
(23:30, and 00:10 on 2018-03-01), for the date range's edges.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from tests.web.test_lists_web import crowd, rows_of, workbook  # noqa: F401 (fixtures)
from tests.web.test_web import (  # noqa: F401 (fixtures: the web application's databases)
    ID,
    PASSWORD,
    _web_db,
    html,
    login,
    settings_override,
    site,
)

pytestmark = pytest.mark.slow  # builds the web application's databases and users


def beijing(*args: int) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime(*args))


def masked(number: str) -> str:
    return number[:4] + "*" * 10 + number[-4:]


@pytest.fixture
def logged(site: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    from doudi.registry.models import AuditLog

    def unmaskings(start: datetime, days: int, actor: str, person: int) -> list[Any]:
        """One unmasking of ``person`` a day from ``start``."""
        return [
            AuditLog(
                at=start + timedelta(days=i),
                actor=actor,
                action="unmask",
                table_name="registry_person",
                row_id=person,
                detail="查看完整身份证号",
            )
            for i in range(days)
        ]

    downloads = [
        AuditLog(at=at, actor="fuling", action="download", table_name="web_job", detail=text)
        for at, text in (
            (beijing(2018, 2, 28, 23, 30), "下载 台账.xlsx"),
            (beijing(2018, 3, 1, 0, 10), "下载 代扣.txt"),
        )
    ]
    AuditLog.objects.bulk_create(
        unmaskings(beijing(2018, 1, 1, 8), 120, "fuling", site["pk"]["A"])
        + unmaskings(beijing(2018, 3, 1, 8), 30, "yuzhong", site["pk"]["D"])
        + downloads
    )
    return site


def count(page: str) -> int:
    found = re.search(r"共 (\d+) 条，第 \d+ / \d+ 页", page)
    assert found, "no pager on the page"
    return int(found.group(1))


def test_the_audit_log_names_actions_tables_and_people_in_chinese(site):  # noqa: F811
    from doudi.web.accounts import set_user

    set_user("nation-audit", "auditor", "000000", PASSWORD)
    login("fuling").post(f"/people/{site['pk']['A']}/unmask/")
    c = login("nation-audit")
    a, b = site["pk"]["A"], site["pk"]["B"]
    opened = html(c.get("/audit/", {"action": "open"}))
    dibao = [r for r in rows_of(opened, "audit-rows") if "乙二" in r and "低保" in r]
    # the dibao list of test_web's site opened B's period from 2016-06-01
    assert len(dibao) == 1
    row = dibao[0]
    assert "身份或参保开始" in row and "身份期间" in row
    assert "低保对象身份开始：自 2016-06-01 起" in row
    assert f'<a href="/people/{b}/">乙二</a>' in row and masked(ID["B"]) in row
    assert "城乡居民基本养老保险参保开始：自 2015-01-01 起" in opened  # an enrollment's
    added = html(c.get("/audit/", {"action": "add_person"}))
    assert "新增人员 甲一" in added and f'<a href="/people/{a}/">甲一</a>' in added
    unmasked = rows_of(html(c.get("/audit/", {"action": "unmask"})), "audit-rows")
    assert len(unmasked) == 1 and "查看完整身份证号" in unmasked[0] and "fuling" in unmasked[0]
    assert "<td>人员</td>" in unmasked[0]
    everything = opened + added + html(c.get("/audit/"))
    shown = "".join("".join(rows_of(p, "audit-rows")) for p in (opened, added, everything))
    assert "person_id" not in shown and '{"' not in shown  # sentences, not JSON
    assert not any(number in everything for number in ID.values())  # masked throughout
    assert '<option value="unmask" >查看完整身份证号</option>' in everything


def test_the_audit_log_filters_by_user_action_date_range_and_person(logged):
    c = login("audit")
    assert count(html(c.get("/audit/", {"actor": "yuzhong"}))) == 30
    assert count(html(c.get("/audit/", {"actor": "fuling", "action": "unmask"}))) == 120
    # February in Beijing time: the unmaskings of 2018-02-01 … 2018-02-28 (days 31 … 58
    # of the series, 28) and the download at 23:30 on the 28th; not the one at 00:10
    february = {"actor": "fuling", "since": "2018-02-01", "until": "2018-02-28"}
    page = html(c.get("/audit/", february))
    assert count(page) == 29 and "下载 台账.xlsx" in page and "下载 代扣.txt" not in page
    assert count(html(c.get("/audit/", {"since": "2018-03-01", "until": "2018-03-01"}))) == 3
    # a person by name and by full ID number: their own rows (B's also her bill's)
    assert count(html(c.get("/audit/", {"person": "甲一"}))) == 120
    assert count(html(c.get("/audit/", {"person": ID["D"]}))) == 30
    assert count(html(c.get("/audit/", {"person": "乙二"}))) == 1  # 住院结算单据 ZY-1
    assert count(html(c.get("/audit/", {"person": "无此人"}))) == 0


def test_a_person_filter_that_names_too_many_people_asks_for_more(crowd):  # noqa: F811
    response = login("audit").get("/audit/", {"person": "涪众"})
    assert response.status_code == 400
    assert "与“涪众”相符的人员超过 50 位，请输入完整的姓名或身份证号。" in html(response)


def test_the_audit_log_pages_with_counts_and_keeps_its_filters_in_the_links(logged):
    c = login("audit")
    shown = {"actor": "fuling", "action": "unmask"}
    first = html(c.get("/audit/", shown))
    assert "共 120 条，第 1 / 3 页" in first
    assert 'href="?actor=fuling&amp;action=unmask&amp;page=2"' in first
    assert 'href="/audit/export/?actor=fuling&amp;action=unmask"' in first
    # newest first: page 1 is days 119 … 70 (2018-04-30 … 2018-03-12), page 2 days 69 … 20
    assert "2018-04-30 08:00:00" in first and "2018-03-12 08:00:00" in first
    assert "2018-03-11 08:00:00" not in first
    second = html(c.get("/audit/", {**shown, "page": "2"}))
    assert "第 2 / 3 页" in second and len(rows_of(second, "audit-rows")) == 50
    assert "2018-03-11 08:00:00" in second and "2018-01-21 08:00:00" in second
    assert "2018-03-12 08:00:00" not in second
    assert 'href="?actor=fuling&amp;action=unmask"' in second  # back to page 1


def test_the_audit_export_holds_the_filtered_rows_and_is_itself_audited(logged):
    from doudi.registry.models import AuditLog

    c = login("audit")
    rows = workbook(c.get("/audit/export/", {"actor": "fuling", "action": "unmask"}))
    assert len(rows) == 120
    assert rows[0]["时间"] == datetime(2018, 4, 30, 8)  # Beijing time, as the page shows it
    assert rows[-1]["时间"] == datetime(2018, 1, 1, 8)
    assert {(r["操作"], r["对象"], r["人员"]) for r in rows} == {
        ("查看完整身份证号", "人员", "甲一")
    }
    assert {r["公民身份号码"] for r in rows} == {masked(ID["A"])}
    entry = AuditLog.objects.get(table_name="registry_audit_log")
    assert (entry.actor, entry.action) == ("audit", "download")
    assert entry.detail == "导出审计日志（操作人：fuling，操作：查看完整身份证号）共 120 行"
    latest = rows_of(html(c.get("/audit/", {"action": "download", "actor": "audit"})), "audit-rows")
    assert "下载或导出" in latest[0] and "审计日志" in latest[0]


def test_bad_audit_filters_are_answered_in_chinese_never_an_error(logged):
    c = login("audit")
    bad = c.get("/audit/", {"since": "2018-13-01"})
    assert bad.status_code == 400
    assert "起始日期“2018-13-01”无效，请按 2018-03-10 的格式填写日期。" in html(bad)
    backwards = c.get("/audit/", {"since": "2018-03-01", "until": "2018-02-01"})
    assert backwards.status_code == 400
    assert "起始日期 2018-03-01 晚于截止日期 2018-02-01。" in html(backwards)
    export = c.get("/audit/export/", {"until": "明天"})
    assert export.status_code == 400 and "截止日期“明天”无效" in html(export)
    last = c.get("/audit/", {"actor": "fuling", "page": "99999"})
    assert last.status_code == 200 and "已显示最后一页（第 3 页）" in html(last)
    assert count(html(c.get("/audit/", {"action": "<script>"}))) == 0


def test_a_county_auditor_cannot_page_or_export_another_countys_rows_scope(logged):
    c = login("audit-yz")
    assert count(html(c.get("/audit/", {"actor": "yuzhong"}))) == 30
    assert count(html(c.get("/audit/", {"actor": "fuling", "page": "2"}))) == 0
    assert count(html(c.get("/audit/", {"person": "甲一"}))) == 0
    assert count(html(c.get("/audit/", {"person": ID["A"]}))) == 0
    assert workbook(c.get("/audit/export/", {"actor": "fuling"})) == []
    assert len(workbook(c.get("/audit/export/"))) == 30 + 1  # and the export just made
