"""The audit log of the web application: every unmasking and every change, with who."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from doudi.registry.models import AuditLog


def record(request: HttpRequest, action: str, table: str, row: int | None, detail: str) -> None:
    """One row of registry_audit_log (the same table the jobs write)."""
    AuditLog.objects.create(
        at=timezone.now(),
        actor=request.user.get_username(),
        action=action,
        table_name=table,
        row_id=row,
        detail=detail,
    )
