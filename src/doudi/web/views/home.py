"""The start page: what the signed-in user may do, and the dashboard for officers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from doudi.web import dashboard
from doudi.web.roles import scope_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    context = {"board": dashboard.board(scope) if scope.may("dashboard") else None}
    return render(request, "web/home.html", context)
