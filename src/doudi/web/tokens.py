"""API tokens: a random key shown once; only its SHA-256 is kept (web_api_token)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.utils import timezone

from doudi.web.models import ApiToken

USE_RECORDED_EVERY = timedelta(minutes=1)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue(user: Any, name: str) -> str:
    """A new token for ``user``; returns the key (it cannot be read back later)."""
    key = "dd_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, prefix=key[:8], digest=digest(key))
    return key


def authenticate(key: str) -> Any | None:
    """The active user of a key, or None."""
    try:
        token = ApiToken.objects.select_related("user", "user__account").get(digest=digest(key))
    except ApiToken.DoesNotExist:
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > USE_RECORDED_EVERY:
        # at most once a minute: a write per request would serialise the API on SQLite
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
