"""Django's own error answers are Chinese pages (issue #19 §4): a failed CSRF check,
a page that does not exist, a request refused, a server error — never Django's English
pages or a traceback."""

from __future__ import annotations

import re

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
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    page = response.content.decode("utf-8")
    assert response.status_code == 500
    assert "系统错误" in page and "操作可能未完成" in page and "Traceback" not in page


def test_a_bad_request_is_chinese(_web_db):  # noqa: F811
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.views.defaults import bad_request

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = bad_request(request, Exception("bad"))
    assert response.status_code == 400 and CHINESE.search(response.content.decode("utf-8"))
