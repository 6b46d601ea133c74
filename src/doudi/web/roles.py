"""Roles and the region scope: what a signed-in user may see and do.

Every view and API endpoint asks :func:`scope_of` for the user's scope and filters
every query of people by it (``Person.hukou_region`` under the user's region): a
caseworker of one county gets 404 for a person of another, whatever URL they type.
The menus only mirror these rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from doudi.core import idnumber, regions, vocab

if TYPE_CHECKING:
    from doudi.registry.models import Person

#: What each role may do. Viewing people (masked) is every role's.
#: ``cost``: policy costing (政策测算, docs/costing.md), the provincial officers' and
#: finance's question, read-only.
PERMISSIONS: dict[str, frozenset[str]] = {
    "province_admin": frozenset(
        {"unmask", "import", "compare", "plan", "dashboard", "finance", "audit", "settle", "cost"}
    ),
    "caseworker": frozenset({"unmask", "import", "compare", "plan", "dashboard", "settle"}),
    "finance": frozenset({"dashboard", "finance", "settle", "cost"}),
    "auditor": frozenset({"audit"}),
}
#: The permission a job kind needs, to run it, see it or download what it made.
JOB_PERMISSION = {
    "import": "import",
    "compare": "compare",
    "plan": "plan",
    "ledger": "plan",
    "withhold": "plan",
    "cost": "cost",
    "cost_person": "cost",
}


@dataclass(frozen=True)
class Scope:
    """A user's role and region; ``prefix`` is the hukou-region prefix of the region."""

    username: str
    role: str
    region: str

    @property
    def prefix(self) -> str:
        return regions.hukou_prefix(self.region)

    @property
    def region_name(self) -> str:
        return regions.region_name(self.region) or (
            "全国" if self.region == "000000" else self.region
        )

    @property
    def role_name(self) -> str:
        return vocab.ROLE.label(self.role)

    @property
    def permissions(self) -> frozenset[str]:
        return PERMISSIONS.get(self.role, frozenset())

    def may(self, action: str) -> bool:
        return action in PERMISSIONS.get(self.role, frozenset())

    def require(self, action: str) -> None:
        if not self.may(action):
            raise PermissionDenied(f"角色「{self.role_name}」无权进行此操作 / not permitted")

    def may_see_plans(self) -> bool:
        """Plan versions and their totals: who runs plans, and finance."""
        return self.may("plan") or self.may("finance")

    def covers(self, region_code: str) -> bool:
        """Whether a region (or a person's hukou region) is in this scope."""
        return str(region_code).startswith(self.prefix)

    def people(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Only the people of this scope (filter on ``hukou_region``)."""
        return queryset.filter(hukou_region__startswith=self.prefix)

    def person(self, pk: int) -> Person | None:
        """The person ``pk`` if of this scope, else None. A raw query: every person page
        and API call asks it, and the ORM's compiling of ``people().get()`` costs four
        times what the raw query does (docs/web.md, "Performance")."""
        from doudi.registry.models import Person

        found = Person.objects.raw(
            "SELECT * FROM registry_person WHERE id = %s AND hukou_region LIKE %s",
            [pk, self.prefix + "%"],
        )
        return next(iter(found), None)

    def audit_rows(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The audit log rows of this scope: what users of the region did, changes to
        its people and to their periods, enrollments and bills, and rows about a whole
        import (no row of a person) that covered a county of it. Rows of the command
        line with neither (a plan run) are the jurisdiction's: only a national scope
        ("000000") sees every row."""
        from django.db.models import Q

        from doudi.registry.models import Bill, Enrollment, ImportScope, Person, StatusPeriod
        from doudi.web.models import Account

        if not self.prefix:
            return queryset
        users = [
            a.user.get_username()
            for a in Account.objects.select_related("user")
            if regions.hukou_prefix(a.region).startswith(self.prefix)
        ]
        people = self.people(Person.objects.all()).values("pk")
        of_people = Q(table_name="registry_person", row_id__in=people)
        per_person = {"registry_person"}
        for model in (StatusPeriod, Enrollment, Bill):
            table = model._meta.db_table
            per_person.add(table)
            rows = model.objects.filter(person__in=people).values("pk")
            of_people |= Q(table_name=table, row_id__in=rows)
        batches = ImportScope.objects.filter(county__startswith=self.prefix).values("batch")
        of_imports = Q(batch__in=batches) & ~Q(table_name__in=per_person)
        return queryset.filter(Q(actor__in=users) | of_people | of_imports)


def scope_of(user: AbstractBaseUser | AnonymousUser) -> Scope:
    """The scope of a signed-in user; a user without an account has none (403)."""
    account = getattr(user, "account", None) if user.is_authenticated else None
    if account is None:
        raise PermissionDenied("该用户没有分配角色和管辖区划 / no role assigned")
    return Scope(user.get_username(), account.role, account.region)


def mask_id(id_number: str) -> str:
    """3601**********1234: the first four and last four characters
    (:func:`doudi.core.idnumber.mask`)."""
    return idnumber.mask(id_number)
