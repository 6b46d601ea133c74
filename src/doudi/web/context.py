"""Template context: the signed-in user's scope, for the menus."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from doudi.web.roles import scope_of


def account(request: HttpRequest) -> dict[str, Any]:
    try:
        return {"scope": scope_of(request.user)}
    except PermissionDenied:
        return {"scope": None}
