"""Issue #23 §4–5 in Chromium: sensible defaults (the calculator on the user's own
jurisdiction with its fields explained, the person's explanation on the latest plan
year, a title of its own on every tab, the command line's imports in the imports list,
chart legends clear of the axes, the home and person pages on a 390 px phone), the
keyboard alone through login, search, person and import, and the caseworker's walk
login → import → dry run → confirm → comparison → person → plan → ledger in Chinese.
The browser and the server are test_browser's (`doudi serve`, Debian's Chromium).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from tests.web.test_browser import ARGS, CHROMIUM, page, server, shot, sign_in  # noqa: F401
from tests.web.test_web import PASSWORD, _web_db, roster, settings_override, site  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

#: ASCII words a Chinese page may show: the spreadsheet's and the file's own names, the
#: ID number's name, the switch to English (named in its language), a file's encoding
#: (UTF-8, GBK), and account names (ASCII: the signed-in user, the command line's "cli").
ALLOWED = {"Excel", "ID", "English", "xlsx", "csv", "CSV", "UTF", "utf", "GBK"}
ALLOWED |= {"fuling", "city", "cli"}
#: A word of two or more Latin letters (single letters: 第 1 版 A、B).
WORD = re.compile(r"[A-Za-z]{2,}")
#: What is data or a code, not words: a clause (CQ-2018-82/2.2.2) and a file's name.
CODES = re.compile(r"\b[A-Z]{2,3}-\d{4}-\d+(?:/[\d.]+)?|[\w.-]+\.(?:csv|xlsx)\b")


def english_on(tab: Any) -> list[str]:
    """The ASCII words of the page's visible text outside :data:`ALLOWED` (numbers,
    amounts, dates and masked ID numbers have no letters of two or more)."""
    text = CODES.sub(" ", tab.inner_text("body"))
    return sorted({w for w in WORD.findall(text) if w not in ALLOWED})


def test_each_page_has_a_title_of_its_own(page):  # noqa: F811
    """Tabs of 人员查询, 名单导入 and a person tell themselves apart (页面 · 兜底)."""
    page.goto(page.base + "/login/")
    assert page.title() == "登录 · 兜底"
    sign_in(page, "fuling")
    assert page.title() == "涪陵区 工作台 · 兜底"
    titles = {}
    for path in ("/people/", "/imports/", "/compare/", "/plans/", "/settle/", "/policy/"):
        page.goto(page.base + path)
        titles[path] = page.title()
    assert titles == {
        "/people/": "人员查询 · 兜底",
        "/imports/": "名单导入 · 兜底",
        "/compare/": "信息比对 · 兜底",
        "/plans/": "缴费计划 · 兜底",
        "/settle/": "结算计算器 · 兜底",
        "/policy/": "政策参数 · 兜底",
    }
    page.goto(page.base + "/people/?q=乙二")
    page.click("table.results >> text=乙二")
    page.wait_for_selector("h1 >> text=乙二")
    assert page.title() == "乙二 · 人员查询 · 兜底"


def test_the_calculator_opens_on_the_users_jurisdiction_and_explains_its_fields(page):  # noqa: F811
    """涪陵区's caseworker settles under 重庆市 (CQ-2018-82) unless they choose another;
    each field says what it is for, read out with it (aria-describedby)."""
    sign_in(page, "fuling")
    page.goto(page.base + "/settle/")
    assert page.input_value("select[name=jurisdiction]") == "500000"
    field = page.locator("select[name=jurisdiction]")
    described = field.get_attribute("aria-describedby")
    assert described and "您所在的统筹地区" in page.inner_text(f"#{described}")
    helps = page.locator("main form .helptext").all_inner_texts()
    assert len(helps) == 12 and all(helps)
    assert any("PZH-2018-195/2.4" in h for h in helps)  # 不合规费用: the hospital bears it


def test_the_explanation_opens_on_the_latest_plan_year(page):  # noqa: F811
    """乙二's latest plan is of 2018: the explanation is of 2018, and the years run newest
    first."""
    sign_in(page, "fuling")
    page.goto(page.base + "/people/?q=乙二")
    page.click("table.results >> text=乙二")
    page.wait_for_selector("#explanation >> text=政府代缴70.00元，个人应缴130.00元")
    assert page.input_value("select[name=year]") == "2018"
    years = [int(y) for y in page.locator("select[name=year] option").all_inner_texts()]
    assert years == sorted(years, reverse=True) and 2018 in years


def test_a_command_line_import_is_in_the_imports_list(page):  # noqa: F811
    """The site's rosters were imported on the command line (as `doudi import` does):
    the list shows them beside the web's jobs, as 命令行导入 by their user."""
    sign_in(page, "fuling")
    page.goto(page.base + "/imports/?run=commit&source=poverty")
    row = page.locator("#import-rows tbody tr")
    assert row.count() == 1
    cells = row.first.locator("td").all_inner_texts()
    assert cells[1:] == [
        "poverty.csv",
        "建档立卡贫困人口名单",
        "2018-03-31",
        "命令行导入",
        "已完成",
        "cli",
    ]


#: The legend's rectangle and the plot's, in the chart's pixels (ECharts' own models).
LEGEND_AND_GRID = """el => {
  const chart = echarts.getInstanceByDom(el), model = chart.getModel();
  const legend = model.getComponent('legend');
  const group = chart.getViewOfComponentModel(legend).group;
  const box = group.getBoundingRect().clone();
  box.applyTransform(group.getComputedTransform() || [1, 0, 0, 1, 0, 0]);
  const grid = model.getComponent('grid').coordinateSystem.getRect();
  return {legendBottom: box.y + box.height, gridTop: grid.y, width: el.clientWidth};
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_chart_legends_stay_clear_of_the_axes(page, width):  # noqa: F811
    """The dashboard's two charts: the legend (one line, scrolled when long) ends above
    the plot and the y axis' name (元) above it, on a desk and on a phone."""
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "city")
    for kind in ("coverage", "payers-by-year"):
        el = page.wait_for_selector(f"[data-chart={kind}] canvas")
        found = page.eval_on_selector(f"[data-chart={kind}]", LEGEND_AND_GRID)
        assert found["width"] <= width
        # 20 px: the axis name's line (12 px type) and its gap above the plot
        assert found["legendBottom"] + 20 <= found["gridTop"], (kind, found)
        assert el


@pytest.mark.parametrize("where", ["home", "person"])
def test_the_home_and_person_pages_fit_a_phone(page, where):  # noqa: F811
    """At 390 px nothing scrolls sideways but a table inside its card."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "city" if where == "home" else "fuling")
    if where == "person":
        page.goto(page.base + "/people/?q=乙二")
        page.click("table.results >> text=乙二")
        page.wait_for_selector("#explanation >> text=政府代缴70.00元")
    page.wait_for_selector("[data-chart] canvas")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    wide = page.evaluate(
        "[...document.querySelectorAll('table')].filter(t => t.getBoundingClientRect().right"
        " > 390).map(t => getComputedStyle(t.closest('.card')).overflowX)"
    )
    assert set(wide) <= {"auto"}  # a wide table scrolls within its card
    shot(page, f"手机-{'工作台' if where == 'home' else '人员'}")


def focused_on_opening(tab: Any, selector: str) -> None:
    """Wait until the page has given ``selector`` the focus itself (``autofocus``).

    Chromium applies autofocus at a rendering step after the load event, so keys typed
    as soon as the page has loaded can go to the body on a busy machine (CI once lost
    乙二 so and searched for nothing); no key is pressed here, the page must do it.
    """
    tab.wait_for_function("s => document.activeElement.matches(s)", arg=selector)


def tab_to(tab: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until ``selector`` has the focus, which must show (an outline)."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => document.activeElement.matches(s)", selector):
            outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"{selector}: the focus is not seen"
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_keyboard_alone_through_login_search_person_and_import(page, tmp_path):  # noqa: F811
    """Tab and Enter only (the file, as a keyboard user's dialog would give it)."""
    page.goto(page.base + "/login/")
    focused_on_opening(page, "input[name=username]")
    page.keyboard.type("fuling")
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(page.base + "/")
    tab_to(page, "nav a[href='/people/']")
    page.keyboard.press("Enter")
    page.wait_for_url(page.base + "/people/")
    focused_on_opening(page, "input[name=q]")
    page.keyboard.type("乙二")
    page.keyboard.press("Enter")
    page.wait_for_selector("table.results >> text=乙二")
    tab_to(page, "table.results tbody tr:first-child a")
    page.keyboard.press("Enter")
    page.wait_for_selector("#explanation >> text=政府代缴70.00元")
    tab_to(page, "select[name=year]")
    tab_to(page, "nav a[href='/imports/']", limit=200)
    page.keyboard.press("Enter")
    page.wait_for_url(page.base + "/imports/")
    path = tmp_path / "扶贫名单.csv"
    path.write_bytes(roster("AB"))
    tab_to(page, "input[name=file]")
    page.set_input_files("input[name=file]", str(path))
    tab_to(page, "select[name=source]")
    for _ in range(30):  # the arrow keys walk the options
        if page.input_value("select[name=source]") == "poverty":
            break
        page.keyboard.press("ArrowDown")
    tab_to(page, "input[name=as_of]")
    page.keyboard.type("2018-06-30")
    tab_to(page, "input[name=mode][value=snapshot]")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=试导入（未写入）")
    assert "新开期间 1" in page.content()


def test_the_caseworkers_walk_meets_no_english(page, tmp_path):  # noqa: F811
    """Login → import → dry run → confirm → comparison → person → plan → ledger, in
    Chinese: every page's visible text has no Latin word outside ALLOWED."""
    seen: dict[str, list[str]] = {}

    def check(name: str) -> None:
        found = english_on(page)
        if found:
            seen[name] = found

    page.goto(page.base + "/login/")
    check("登录")
    sign_in(page, "fuling")
    check("工作台")
    page.goto(page.base + "/imports/")
    check("名单导入")
    path = tmp_path / "扶贫名单.csv"
    path.write_bytes(roster("AB"))
    page.set_input_files("input[name=file]", str(path))
    page.select_option("select[name=source]", "poverty")
    page.fill("input[name=as_of]", "2018-06-30")
    page.check("input[name=mode][value=snapshot]")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=试导入（未写入）")
    check("试导入")
    page.click("text=确认导入（写入登记库）")
    page.wait_for_selector("text=已导入：建档立卡贫困人口名单")
    check("导入结果")
    page.goto(page.base + "/compare/")
    page.fill("input[name=as_of]", "2018-06-30")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=下载 Excel 工作簿")
    check("比对结果")
    page.click("nav.tabs >> text=医疗保险未参保")
    page.wait_for_selector("#finding >> text=甲一")
    check("比对结果：医疗保险未参保")
    page.click("#finding >> text=甲一")
    page.wait_for_selector("#explanation >> text=政府代缴")
    check("人员")
    page.goto(page.base + "/plans/")
    page.fill("input[name=year]", "2018")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=查看计划版本")
    check("缴费计划")
    page.click("text=查看计划版本")
    page.wait_for_selector("text=政府代缴合计")
    check("计划版本")
    page.click("text=生成台账（Excel，含图表）")
    link = page.wait_for_selector("main a.button[href*='/download/']")
    check("台账")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert not seen, f"English on the walk: {seen}"
