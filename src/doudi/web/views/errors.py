"""Django's own error answers in Chinese: a failed CSRF check (403), a bad request
(400) and a server error (500). Django's defaults are English pages a caseworker
cannot read (issue #19 §4); 403.html and 404.html are plain templates beside these.

The 500 page is rendered without the site's base template: when the server fails, the
context processors and the database behind the menu may be what failed. It is Chinese,
with the English beside it only for a user who chose English (the language the
middleware set on the request, if it got that far).
"""

from __future__ import annotations

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseServerError,
)
from django.template.loader import render_to_string


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its CSRF token, or from another site (settings.CSRF_FAILURE_VIEW).

    ``reason`` is Django's English diagnosis; it goes to the log, not to the page."""
    return HttpResponseForbidden(render_to_string("web/csrf_failure.html", request=request))


def server_error(request: HttpRequest) -> HttpResponse:
    """A server error (urls.handler500): 500.html, its English line only in English."""
    english = getattr(request, "LANGUAGE_CODE", "") == "en"
    return HttpResponseServerError(render_to_string("500.html", {"english": english}))
