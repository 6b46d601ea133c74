"""The audit log, for auditors: who did what, when."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from doudi.registry.models import AuditLog
from doudi.web.roles import scope_of


@login_required
def log(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    scope.require("audit")
    rows = scope.audit_rows(AuditLog.objects.order_by("-at", "-pk"))
    action = request.GET.get("action", "")
    if action:
        rows = rows.filter(action=action)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    actions = (
        scope.audit_rows(AuditLog.objects.all())
        .values_list("action", flat=True)
        .distinct()
        .order_by("action")
    )
    return render(request, "web/audit.html", {"page": page, "action": action, "actions": actions})
