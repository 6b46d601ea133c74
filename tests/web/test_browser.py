"""Browser tests (issue #6): Playwright drives Debian's Chromium (scripts/ensure-chromium.sh)
against the application as `doudi serve` runs it (gunicorn, with the job worker as a
process of its own): login, upload and dry run, a person's explanation, a plan run,
the settlement calculator, the language switch. With DOUDI_SCREENSHOTS=DIR set (make
screenshots) each test also writes its page to DIR as PNG.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# a crowd of dibao recipients and a long audit log (imported before the browser starts)
from tests.web.test_audit_log_web import logged  # noqa: F401
from tests.web.test_lists_web import crowd  # noqa: F401

# both counties' work-injury lists (imported before the browser starts, as ``planted``)
from tests.web.test_region_statistics_web import injured  # noqa: F401

# the registry, the users and the work directory of the page tests
from tests.web.test_web import PASSWORD, _web_db, roster, settings_override, site  # noqa: F401

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (make test installs it)",
    ),
]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def server(site: dict[str, Any]) -> Iterator[str]:  # noqa: F811
    """`doudi serve` (gunicorn and its worker process) on the test registry."""
    import socket
    import time
    import urllib.request

    from django.conf import settings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "DOUDI_DATABASE_URL": f"sqlite:///{settings.DATABASES['default']['NAME']}",
        "DOUDI_HOME": str(Path(settings.DOUDI_WORK_DIR).parent),
    }
    command = [sys.executable, "-c", "from doudi.cli import app; app()", "serve"]
    process = subprocess.Popen([*command, "--port", str(port), "--workers", "2"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/login/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def page(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        tab.base = server  # type: ignore[attr-defined]
        yield tab
        browser.close()


def shot(page: Any, name: str) -> None:
    folder = os.environ.get("DOUDI_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def sign_in(page: Any, username: str) -> None:
    page.goto(page.base + "/login/")
    shot(page, "01-登录")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(page.base + "/")


def test_login_and_the_dashboard(page):
    sign_in(page, "city")
    assert page.locator("h1").inner_text().startswith("重庆市")
    page.wait_for_selector("[data-chart=coverage] canvas")
    assert "涪陵区" in page.content()
    shot(page, "02-工作台")


def test_upload_dry_run_and_confirm(page, tmp_path):
    sign_in(page, "fuling")
    page.goto(page.base + "/imports/")
    path = tmp_path / "扶贫名单.csv"
    path.write_bytes(roster("AB"))
    page.set_input_files("input[name=file]", str(path))
    page.select_option("select[name=source]", "poverty")
    page.fill("input[name=as_of]", "2018-06-30")
    page.check("input[name=mode][value=snapshot]")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=试导入（未写入）")  # the worker process ran the dry run
    assert "新开期间 1" in page.content()
    shot(page, "03-试导入")
    page.click("text=确认导入（写入登记库）")
    page.wait_for_selector("text=已导入：建档立卡贫困人口名单")
    shot(page, "04-导入结果")


def test_a_persons_explanation(page):
    sign_in(page, "fuling")
    page.goto(page.base + "/people/")
    page.fill("#q", "乙二")
    page.press("#q", "Enter")
    page.click("table.results >> text=乙二")
    page.wait_for_selector("#explanation >> text=政府代缴70.00元，个人应缴130.00元")
    page.wait_for_selector("[data-chart=timeline] canvas")
    assert "5001**********" in page.inner_text("#idnum")
    page.click("text=显示完整号码")
    from playwright.sync_api import expect

    expect(page.locator("#idnum")).not_to_contain_text("*")  # the page's CSP forbids eval
    page.click("#bills summary")  # the hospital bill's settlement, explained
    expect(page.locator("#bills details pre")).to_contain_text("民政医疗救助支付")
    shot(page, "05-人员")


def test_a_plan_run_with_its_progress(page):
    sign_in(page, "fuling")
    page.goto(page.base + "/plans/")
    page.fill("input[name=year]", "2018")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=查看计划版本")
    shot(page, "06-缴费计划")
    page.click("text=查看计划版本")
    page.wait_for_selector("text=政府代缴合计")
    assert "240.00" in page.content()
    page.wait_for_selector("[data-chart=pie] canvas")
    shot(page, "07-计划版本")


def test_the_settlement_calculator(page):
    sign_in(page, "fuling")
    page.goto(page.base + "/settle/")
    page.select_option("select[name=jurisdiction]", "360000")
    page.check("input[value=registered_poor]")
    page.fill("input[name=total_cost]", "12000")
    page.fill("input[name=in_policy_cost]", "10000")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#settlement >> text=7680.00")  # basic insurance of JX-001
    page.wait_for_selector("[data-chart=waterfall] canvas")
    assert "2576.00" in page.inner_text("#settlement")
    shot(page, "08-结算计算器")


def test_the_policy_pages(page):
    sign_in(page, "audit")
    page.goto(page.base + "/policy/500000/?year=2018")
    page.wait_for_selector("text=示例参数，需按本地政策配置")
    shot(page, "09-政策参数")


def test_the_language_switch(page):
    sign_in(page, "fuling")
    page.click("header .lang button")
    page.wait_for_selector("nav >> text=Person search")
    shot(page, "10-English")
    page.click("header .lang button")
    page.wait_for_selector("nav >> text=人员查询")


def test_the_comparison_by_township_and_village(page):
    sign_in(page, "fuling")
    page.goto(page.base + "/compare/")
    page.fill("input[name=as_of]", "2018-06-30")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=下载 Excel 工作簿")  # the worker process ran it
    page.click("nav.tabs >> text=医疗保险未参保")
    page.wait_for_selector("#finding >> text=甲一")
    assert "丁四" not in page.inner_text("#finding")  # 渝中区: not this caseworker's
    shot(page, "11-信息比对")


def test_finance_and_the_audit_log(page):
    sign_in(page, "city")
    page.goto(page.base + "/finance/")
    page.wait_for_selector("text=民政部门")
    shot(page, "12-付款方合计")
    page.goto(page.base + "/audit/")
    page.wait_for_selector("h1 >> text=审计日志")
    shot(page, "13-审计日志")


@pytest.fixture
def planted(site: dict[str, Any], tmp_path: Path) -> None:  # noqa: F811
    """涪陵大桥 of 涪陵区 started 2018-03-01 with no work-injury cover (imported before the
    browser starts: Playwright's event loop forbids Django's database in the test)."""
    from datetime import date

    from doudi.work_injury.importing import import_lists

    projects = tmp_path / "projects.csv"
    projects.write_text(
        "项目编号,项目名称,行业,所在县区,施工单位,开工日期,工伤保险起保日期,工伤保险终止日期\n"
        "FL-900,涪陵大桥,建筑,500102,涪陵建工,2018-03-01,,\n",
        encoding="utf-8",
    )
    import_lists(site["db"], {"projects": projects}, "500102", date(2018, 3, 31))


def test_the_work_injury_findings_show_a_planted_project(planted, page):
    """On 2018-03-31 the planted 涪陵大桥 is listed 先开工后参保 under CQ-2018-82/2.2.2."""
    sign_in(page, "fuling")
    page.click("nav >> text=工伤保险扶贫核查")
    page.fill("input[name=as_of]", "2018-03-31")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#started_before_cover >> text=涪陵大桥")
    section = page.locator("#started_before_cover").inner_text()
    assert "FL-900" in section and "CQ-2018-82/2.2.2" in section
    shot(page, "工伤保险扶贫核查")


def test_the_statistics_show_the_work_injury_line(injured, page):  # noqa: F811
    """SD-2017-37/3.5 (issue #21 §3): 分地区统计's work-injury section in Chinese, with
    涪陵区's advance payments (28000.50 paid − 5000.00 recovered = 23000.50), and no
    console error (the page's CSP, a missing file)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, "fuling")
    page.click("nav >> text=分地区统计")
    page.fill("input[name=year]", "2018")
    page.fill("input[name=as_of]", "2018-03-31")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#work-injury >> text=工伤保险（2018-03-31）")
    section = page.locator("#work-injury")
    headings = section.locator("h3").all_inner_texts()
    assert headings == [
        "工程项目（按所在县区、行业）",
        "在项目务工的贫困劳动力（按户籍地）",
        "先行支付",
    ]
    text = section.inner_text()
    assert "工伤保险在保项目" in text and "待追偿金额" in text and "23000.50" in text
    assert "渝中区" not in text  # 渝中水厂 is another county's
    shot(page, "分地区统计")
    assert not errors, errors


def test_the_audit_log_filters_and_pages(logged, page):  # noqa: F811
    """Issue #23 §2: an auditor filters by user and action (a GET form: the filters in the
    address, bookmarkable) and pages through 120 unmaskings, 50 a page."""
    sign_in(page, "audit")
    page.click("nav >> text=审计日志")
    page.fill("#audit-filters input[name=actor]", "fuling")
    page.select_option("#audit-filters select[name=action]", label="查看完整身份证号")
    page.click("#audit-filters button[type=submit]")
    page.wait_for_selector("text=共 120 条，第 1 / 3 页")
    assert "actor=fuling" in page.url and "action=unmask" in page.url
    assert page.locator("#audit-rows tbody tr").count() == 50
    page.click(".pager >> text=下一页")
    page.wait_for_selector("text=共 120 条，第 2 / 3 页")
    assert "page=2" in page.url and "actor=fuling" in page.url
    assert "2018-03-11 08:00:00" in page.inner_text("#audit-rows")
    assert page.input_value("#audit-filters input[name=actor]") == "fuling"  # kept
    shot(page, "14-审计日志筛选")


def test_a_search_exports_every_row_it_found(crowd, page, tmp_path):  # noqa: F811
    """Issue #23 §3: the people search pages its 120 matches and its export holds all of
    them, not the 50 shown."""
    import fastexcel

    sign_in(page, "fuling")
    page.goto(page.base + "/people/")
    page.fill("#q", "涪众")
    page.press("#q", "Enter")
    page.wait_for_selector("#results >> text=共 120 条，第 1 / 3 页")
    with page.expect_download() as download:
        page.click("#results >> text=导出 Excel")
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    assert download.value.suggested_filename == "人员查询结果.xlsx"
    rows = fastexcel.read_excel(str(path)).load_sheet(0).to_arrow().to_pylist()
    assert [r["姓名"] for r in rows] == [f"涪众{i:03d}" for i in range(1, 121)]
    assert all("*" in r["公民身份号码"] for r in rows)


def test_the_village_filter_follows_the_township(crowd, page):  # noqa: F811
    """Issue #23 §3: choosing a township reloads the finding (htmx) with only its
    villages to choose from, and the address keeps the filters."""
    sign_in(page, "fuling")
    page.goto(page.base + "/compare/")
    page.fill("input[name=as_of]", "2018-06-30")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=下载 Excel 工作簿")
    page.click("nav.tabs >> text=医疗保险未参保")
    page.wait_for_selector("#finding >> text=共 123 条，第 1 / 3 页")
    page.select_option("#finding-filters select[name=township]", "义和镇")
    page.wait_for_selector("#finding >> text=共 60 条，第 1 / 2 页")
    villages = page.locator("#finding-filters select[name=village] option").all_inner_texts()
    assert villages == ["全部", "丙村", "甲村"]  # not 江东街道's 乙村
    page.select_option("#finding-filters select[name=village]", "丙村")
    page.wait_for_selector("#finding >> text=共 30 条，第 1 / 1 页")
    assert "township=" in page.url and "village=" in page.url
    page.click("#finding-rows >> text=涪众091")  # each finding links to the person
    page.wait_for_selector("h1 >> text=涪众091")
