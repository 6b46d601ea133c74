"""The audit log, for auditors: who did what, when. ID numbers in a row's detail are
masked: an auditor may not unmask (:data:`doudi.web.roles.PERMISSIONS`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from doudi.core import idnumber
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
    for row in page:  # an import's rows name people by number: auditors may not unmask
        row.detail = idnumber.mask_in_text(row.detail)
    actions = (
        scope.audit_rows(AuditLog.objects.all())
        .values_list("action", flat=True)
        .distinct()
        .order_by("action")
    )
    return render(request, "web/audit.html", {"page": page, "action": action, "actions": actions})
