"""Users with their role and region: creating and updating them (the command line, tests)
and reading them back for a signed-in session (AccountBackend)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from doudi.core import regions
from doudi.web.models import ROLES, Account


class AccountBackend(ModelBackend):
    """Django's user and password backend, reading the user's account (role, region)
    with the user: every page asks for both, and one query instead of two is a tenth
    of a person page's time (docs/web.md, "Performance")."""

    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("account").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class AccountError(ValueError):
    """Bad role, region or password (Chinese)."""


def set_user(
    username: str, role: str, region: str, password: str | None = None, name: str = ""
) -> str | None:
    """Create or update ``username``; returns the generated password, if one was."""
    if role not in dict(ROLES):
        raise AccountError(f"未知的角色 {role!r}；可选：{'、'.join(dict(ROLES))}")
    if region != "000000" and regions.get(region) is None:
        raise AccountError(f"未知的行政区划代码 {region!r}")
    generated = None
    if password is None:
        password = generated = secrets.token_urlsafe(12)
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first() or user_model(username=username)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError("密码不符合要求：" + "；".join(exc.messages)) from None
    user.set_password(password)
    user.is_active = True
    user.save()
    Account.objects.update_or_create(
        user=user, defaults={"role": role, "region": region, "display_name": name}
    )
    return generated
