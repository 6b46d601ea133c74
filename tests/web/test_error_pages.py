"""Django's own error answers are Chinese pages (issue #19 §4): a failed CSRF check,
a page that does not exist, a request refused, a server error — never Django's English
pages or a traceback."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from tests.web.test_web import _web_db, login, settings_override, site  # noqa: F401

CHINESE = re.compile(r"[\u4e00-\u9fff]{4,}")
pytestmark = pytest.mark.slow  # the web application's site fixture: seconds each


def test_a_form_without_its_csrf_token_is_refused_in_chinese(site):  # noqa: F811
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    response = c.post("/login/", {"username": "fuling", "password": "x"})
    page = response.content.decode("utf-8")
    assert response.status_code == 403
    assert "表单已失效" in page and "CSRF verification failed" not in page


def test_a_missing_page_is_chinese(site):  # noqa: F811
    response = login("fuling").get("/no/such/page/")
    assert response.status_code == 404 and "未找到" in response.content.decode("utf-8")


def test_a_server_error_is_a_chinese_page_without_the_traceback(_web_db):  # noqa: F811
    from django.test import RequestFactory

    from doudi.web import urls

    response = urls.handler500(RequestFactory().get("/"))
    page = response.content.decode("utf-8")
    assert response.status_code == 500
    assert "系统错误" in page and "操作可能未完成" in page and "Traceback" not in page
    assert "Server error" not in page  # issue #23 §1: English only for who chose it


def test_a_server_error_adds_english_for_a_user_who_chose_english(_web_db):  # noqa: F811
    from django.test import RequestFactory

    from doudi.web import urls

    request = RequestFactory().get("/")
    request.LANGUAGE_CODE = "en"
    page = urls.handler500(request).content.decode("utf-8")
    assert "系统错误" in page and "Server error" in page


@pytest.fixture(autouse=True)
def _chinese_after() -> Iterator[None]:
    """The middleware activates the chosen language on the test's thread and leaves it:
    a page asked in English would make the next test's RequestFactory page English."""
    from django.utils import translation

    yield
    translation.activate("zh-hans")


def english(c):
    """``c`` with English chosen (the language switch's cookie)."""
    from django.conf import settings

    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


@pytest.mark.parametrize(
    ("ask", "status", "chinese", "english_words"),
    [
        (lambda c: c.get("/no/such/page/"), 404, "未找到", "Not found"),
        (lambda c: c.get("/settle/"), 403, "无权访问", "Access denied"),
    ],
)
def test_the_error_pages_are_chinese_first_and_english_when_chosen(
    site,  # noqa: F811
    ask,
    status: int,
    chinese: str,
    english_words: str,
):
    """Issue #23 §1: Django's own pages in Chinese; English only when the user chose it."""
    zh = ask(login("audit"))
    assert zh.status_code == status
    assert chinese in zh.content.decode("utf-8")
    assert english_words not in zh.content.decode("utf-8")
    en = ask(english(login("audit")))
    assert en.status_code == status and english_words in en.content.decode("utf-8")


def test_a_refused_form_is_english_when_chosen(site):  # noqa: F811
    from django.test import Client

    c = english(Client(enforce_csrf_checks=True))
    page = c.post("/login/", {"username": "fuling", "password": "x"}).content.decode("utf-8")
    assert "The form has expired" in page and "表单已失效" not in page


def test_a_bad_request_is_chinese(_web_db):  # noqa: F811
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.views.defaults import bad_request

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = bad_request(request, Exception("bad"))
    assert response.status_code == 400 and CHINESE.search(response.content.decode("utf-8"))
