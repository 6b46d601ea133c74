"""Pages in words a caseworker reads (issue #23 §1): parameter values formatted for
people on the policy page, a clause's sentences without their machine topics, and dates
in the one style of the exports and the command line (2018-03-10) in both languages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from tests.web.test_web import ID, _web_db, html, login, settings_override, site  # noqa: F401

pytestmark = pytest.mark.slow  # the web application's site fixture: seconds each


@pytest.fixture(autouse=True)
def _chinese_after() -> Iterator[None]:
    """A page asked in English leaves English active on the test's thread."""
    from django.utils import translation

    yield
    translation.activate("zh-hans")


def test_the_policy_page_shows_values_as_people_read_them(site):  # noqa: F811
    page = html(login("audit").get("/policy/360000/", {"year": 2018}))
    # a table of hospital levels, not {'1': '200', '2': '500', …}
    assert '<th scope="row">三级医院</th><td class="num">800.00元</td>' in page
    assert '<th scope="row">二级医院</th><td class="num">80%</td>' in page  # JX-2017-58/2.2.5
    assert "{&#x27;1&#x27;" not in page and "Decimal(" not in page
    assert "<td>否</td>" in page and "<td>100000.00元</td>" in page
    assert "<td>2020-12-31</td>" in page  # “十三五” ends
    assert "<td>2017-12-01（江西省）</td>" in page  # where each value comes from, by name
    assert "<td>县（市、区）财政全额承担</td>" in page  # a payers' split in words


def test_a_clause_page_numbers_its_sentences_and_shows_no_topic_codes(site):  # noqa: F811
    one = html(login("audit").get("/policy/clause/CQ-2018-82/2.1.2"))
    assert "逐步提高我市城乡居民基本养老保险最低缴费标准" in one
    assert "<small>main</small>" not in one and "第 1 句" not in one
    several = html(login("audit").get("/policy/clause/CQ-2018-82/2.1.1"))
    assert "第 1 句" in several and "第 2 句" in several
    assert "<small>targets</small>" not in several


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dates_on_a_page_read_2018_03_10_in_either_language(site, language):  # noqa: F811
    from django.conf import settings

    c = login("fuling")
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = html(c.get(f"/people/{site['pk']['B']}/"))
    born = ID["B"][6:14]
    assert f"{born[:4]}-{born[4:6]}-{born[6:]}" in page
    assert "<td>2018-03-10</td>" in page  # the discharge of the bill ZY-1 (a date object)
    assert not re.search(r"\d{4}年\d{1,2}月\d{1,2}日", page)
    assert not re.search(r"(January|March|June|Sept?\.?|Dec\.?) \d{1,2}, \d{4}", page)


def test_the_person_page_names_the_hukou_and_insured_region_not_their_codes(site):  # noqa: F811
    """A caseworker reads 涪陵区, not 500102 (the code stays beside the name)."""
    page = html(login("fuling").get(f"/people/{site['pk']['B']}/"))
    assert "户籍 涪陵区（500102）" in page
    # B's pension enrollment names no insured region: a dash, not an empty cell
    assert "<td>城乡居民基本养老保险</td><td>—</td><td>2015-01-01</td>" in page
