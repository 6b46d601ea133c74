"""Django's own error answers in Chinese: a failed CSRF check (403), a bad request
(400) and a server error (500). Django's defaults are English pages a caseworker
cannot read (issue #19 §4); 403.html and 404.html are plain templates beside these.

The 500 page is rendered without the site's base template: when the server fails, the
context processors and the database behind the menu may be what failed.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template.loader import render_to_string


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its CSRF token, or from another site (settings.CSRF_FAILURE_VIEW).

    ``reason`` is Django's English diagnosis; it goes to the log, not to the page."""
    return HttpResponseForbidden(render_to_string("web/csrf_failure.html", request=request))
