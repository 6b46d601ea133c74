"""Issue #23 §5: axe-core (Deque's accessibility engine, from the npm registry, pinned in
frontend/package.json as a development dependency and never served) checks every main
page in Chromium; no page may have a serious or critical violation (a field without a
label, text without contrast, a button without a name, a page without its language or
landmarks). The browser and the server are test_browser's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.web.test_browser import ARGS, CHROMIUM, page, server, sign_in  # noqa: F401
from tests.web.test_web import _web_db, settings_override, site  # noqa: F401

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (make assets)"),
]

#: The main pages of each role, as (user, address).
PAGES = (
    ("city", "/"),
    ("fuling", "/people/?q=乙"),
    ("fuling", "/imports/"),
    ("fuling", "/compare/"),
    ("fuling", "/work-injury/"),
    ("fuling", "/plans/"),
    ("fuling", "/settle/"),
    ("fuling", "/statistics/"),
    ("audit", "/policy/"),
    ("audit", "/policy/500000/?year=2018"),
    ("audit", "/audit/"),
    ("city", "/finance/"),
)
#: What a violation is named by: its rule, its impact and where (the first three places).
RUN = """async () => {
  const found = await axe.run(document, {resultTypes: ['violations']});
  return found.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): '
      + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""


def violations(tab: Any) -> list[str]:
    tab.wait_for_load_state("networkidle")  # htmx's fragments and the charts drawn
    return list(tab.evaluate(RUN))


def test_no_main_page_has_a_serious_accessibility_violation(page):  # noqa: F811
    page.add_init_script(path=str(AXE))  # injected by the browser: the page's CSP allows it
    found: dict[str, list[str]] = {}
    page.goto(page.base + "/login/")
    found["/login/"] = violations(page)
    signed_in = ""
    for user, path in PAGES:
        if user != signed_in:
            page.context.clear_cookies()
            sign_in(page, user)
            signed_in = user
        page.goto(page.base + path)
        found[path] = violations(page)
    # a person's page, reached as a caseworker does
    page.context.clear_cookies()
    sign_in(page, "fuling")
    page.goto(page.base + "/people/?q=乙二")
    page.click("table.results >> text=乙二")
    page.wait_for_selector("#explanation >> text=政府代缴")
    found["/people/<乙二>/"] = violations(page)
    assert not {path: v for path, v in found.items() if v}
    # the check sees what it should: a field without a label is one
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input>')")
    assert any(v.startswith("label (critical)") for v in violations(page))
