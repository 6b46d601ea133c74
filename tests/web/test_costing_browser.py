"""Browser test of the 政策测算 page (issue #22 §3): a provincial officer of Jiangxi loads
the example reform "Chongqing's rules on the demo Jiangxi county"
(examples/reforms/chongqing-rules-on-jiangxi.yaml), costs it on 东湖区 (360102: the six
people of tests/costing, on the departments' lists as the demo's are) as the worker
process runs it, and sees the chart and the table, then one person's two sides.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.costing.costing_people import jiangxi, load
from tests.web import test_browser
from tests.web.test_browser import page, server, shot, sign_in  # noqa: F401
from tests.web.test_web import PASSWORD, _web_db, settings_override, site  # noqa: F401

# the browser mark, and the skip where Debian's chromium is not installed
pytestmark = test_browser.pytestmark


@pytest.fixture
def jiangxi_people(site: dict[str, Any], tmp_path: Any) -> None:  # noqa: F811
    """The six people of 东湖区 in the test registry and a Jiangxi province administrator
    (before the browser starts: ``page`` after this fixture)."""
    from doudi.web.accounts import set_user

    load(site["db"], tmp_path, jiangxi())
    set_user("jiangxi", "province_admin", "360000", PASSWORD)


def test_an_example_reform_costed_with_its_chart_and_table(jiangxi_people, page):  # noqa: F811
    sign_in(page, "jiangxi")
    page.click("nav >> text=政策测算")
    page.select_option("select[name=example]", "chongqing-rules-on-jiangxi")
    page.click("text=载入")
    assert "rules: 500000" in page.input_value("#reform-text")
    page.fill("input[name=region]", "360102")
    page.click("#reform-form button[type=submit]")
    page.wait_for_selector("[data-chart=costing-payers] canvas")  # the worker ran it
    page.wait_for_selector("[data-chart=costing-distribution] canvas")
    table = page.inner_text("#by-payer table")
    assert "合计（不含个人应缴）" in table and "城乡居民养老保险" in table
    assert "按重庆市规则测算江西演示县" in page.inner_text("h1")
    shot(page, "30-政策测算")
    page.click("#people tbody a >> nth=0")
    page.wait_for_selector("#person-rows")  # the person's own job, polled to its end
    assert "· 测算" in page.content()
    shot(page, "31-政策测算人员对比")
