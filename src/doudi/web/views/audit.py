"""The audit log, for auditors: who did what, when, to whom — filtered by user, action,
date range and person, a page at a time, and the filtered rows as an Excel workbook
(itself audited). ID numbers are masked: an auditor may not unmask
(:data:`doudi.web.roles.PERMISSIONS`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from doudi.core import vocab
from doudi.web import audit_log, listing
from doudi.web.roles import scope_of


@login_required
def log(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    scope.require("audit")
    language: vocab.Language = "en" if request.LANGUAGE_CODE == "en" else "zh"
    context = {
        "get": request.GET,
        "actions": [(c, vocab.AUDIT_ACTION.label(c, language)) for c in vocab.AUDIT_ACTION],
        "users": audit_log.users(scope),
    }
    try:
        found = audit_log.rows(scope, audit_log.Filters.of(request))
    except listing.BadFilter as exc:
        return render(request, "web/audit.html", {**context, "error": str(exc)}, status=400)
    shown = listing.paginate(request, found, export=reverse("audit_export"))
    context.update(listing=shown, rows=audit_log.readable(scope, shown.page, language))
    return render(request, "web/audit.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The rows the same filters show, every page of them, as 审计日志.xlsx."""
    scope = scope_of(request.user)
    scope.require("audit")
    try:
        filters = audit_log.Filters.of(request)
        found = audit_log.rows(scope, filters)
    except listing.BadFilter as exc:
        return listing.refused(request, "无法导出", str(exc))
    return listing.export(
        request,
        what="审计日志",
        count=found.count(),
        make=lambda: audit_log.workbook_sheet(scope, found),
        table="registry_audit_log",
        shown=filters.shown(),
    )
