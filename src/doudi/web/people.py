"""A person as the registry holds them, for the pages and the API: statuses,
enrollments, plan rows, and the year's explanation through the policy engine."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from doudi.bills import importing as bill_store
from doudi.core import regions, vocab
from doudi.core.money import ZERO, yuan
from doudi.plan import explanation, programmes
from doudi.registry.models import Person
from doudi.store import db
from doudi.web.roles import Scope, mask_id


def matching(scope: Scope, query: str) -> QuerySet[Person]:
    """People of the scope by ID number (whole or its first digits) or by name, in
    the order a search lists them (no one for an empty query)."""
    query = query.strip().upper()
    people = scope.people(Person.objects.all())
    if not query:
        return people.none()
    if query[:1].isdigit() and not scope.may("unmask") and 4 < len(query) < 18:
        # the masked number shows its first four characters: a longer prefix would let a
        # role that may not see ID numbers find them out digit by digit
        return people.none()
    if query[:1].isdigit():
        return people.filter(id_number__startswith=query).order_by("id_number")
    return people.filter(name__contains=query).order_by("name", "id_number")


def pages(scope: Scope, numbers: Sequence[str | None]) -> list[int | None]:
    """The person of each full ID number (a finding's, an import's change), if of the
    scope: the row links to their page; None for a number the registry does not hold
    or a person of another region."""
    people = scope.people(Person.objects.filter(id_number__in={n for n in numbers if n}))
    found = dict(people.values_list("id_number", "pk"))
    return [found.get(n) if n else None for n in numbers]


def summary(person: Person, unmasked: bool) -> dict[str, Any]:
    return {
        "id": person.pk,
        "id_number": person.id_number if unmasked else mask_id(person.id_number),
        "name": person.name,
        "sex": "男" if person.sex == "M" else "女",
        "birth_date": person.birth_date.isoformat(),
        "hukou_region": person.hukou_region,
        "hukou_name": regions.region_name(person.hukou_region[:6]) or "",
        "township": person.township,
        "village": person.village,
        "death_date": person.death_date.isoformat() if person.death_date else None,
    }


# The person page and the person API read a person's rows with plain SQL through
# Django's connection: the ORM spends 0.3-0.45 ms compiling each query, ten times what
# SQLite takes to answer it by the person's index, and the page asks five (measured in
# docs/web.md, "Performance"). The SQL is portable (SQLite and PostgreSQL); values are
# normalised below, since SQLite hands back dates as text and numbers by affinity.
_STATUSES_SQL = (
    "SELECT status, department, valid_from, valid_to, exit_marked, exit_date"
    " FROM registry_status_period WHERE person_id = %s ORDER BY status, valid_from"
)
_ENROLLMENTS_SQL = (
    "SELECT scheme, region_code, valid_from, valid_to,"
    " CAST(contribution_tier AS TEXT) AS tier, receiving"
    " FROM registry_enrollment WHERE person_id = %s ORDER BY scheme, valid_from"
)
_PLANS_SQL = (
    "SELECT c.year, c.scheme, c.payer, CAST(c.amount AS TEXT) AS amount, c.basis,"
    " v.id AS version, v.number, v.jurisdiction, v.programme"
    " FROM registry_contribution c LEFT JOIN registry_plan_version v ON v.id = c.plan_version_id"
    " WHERE c.person_id = %s ORDER BY c.year DESC, v.number DESC, c.payer"
)
_BILLS_SQL = (
    "SELECT jurisdiction, bill_id, admission_date, discharge_date, hospital_level, in_county,"
    " CAST(total_cost AS TEXT) AS total_cost, CAST(in_policy_cost AS TEXT) AS in_policy_cost,"
    " CAST(non_compliant_cost AS TEXT) AS non_compliant_cost,"
    " CAST(special_drug_cost AS TEXT) AS special_drug_cost, claim_type, disease"
    " FROM registry_bill WHERE person_id = %s"
)
_MONEY = ("total_cost", "in_policy_cost", "non_compliant_cost", "special_drug_cost")


def _rows(sql: str, person: Person) -> list[dict[str, Any]]:
    """The rows of ``sql`` for the person, from the database the person was read from."""
    with connections[person._state.db or DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, [person.pk])
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _date(value: Any) -> date | None:
    """A DATE column's value: a date from PostgreSQL, ISO text from SQLite."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _iso(value: Any) -> str | None:
    day = _date(value)
    return day.isoformat() if day else None


def _money(value: Any) -> Decimal | None:
    """A DECIMAL column cast to text ("70", "35.5", "70.00"): yuan to the fen."""
    return None if value is None else yuan(value)


def record(person: Person) -> dict[str, Any]:
    """What the person page and the person API show beside the person: statuses,
    enrollments, plan rows and settled bills (the status periods read once for the
    table and the bills)."""
    periods = _rows(_STATUSES_SQL, person)
    return {
        "statuses": _statuses(periods),
        "enrollments": enrollments(person),
        "plans": plans(person),
        "bills": _bills(person, periods),
    }


def statuses(person: Person) -> list[dict[str, Any]]:
    return _statuses(_rows(_STATUSES_SQL, person))


def _statuses(periods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "status": s["status"],
            "label": vocab.STATUS.label(s["status"]),
            "department": s["department"],
            "from": _iso(s["valid_from"]),
            "to": _iso(s["valid_to"]),
            "exit_date": _iso(s["exit_date"]) if s["exit_marked"] else None,
        }
        for s in periods
    ]


def enrollments(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "scheme": e["scheme"],
            "label": vocab.SCHEME.label(e["scheme"]),
            "region_code": e["region_code"],
            # a caseworker reads 涪陵区, not 500102 (issue #23 §1)
            "region_name": regions.region_name(e["region_code"] or "") or "",
            "from": _iso(e["valid_from"]),
            "to": _iso(e["valid_to"]),
            "tier": str(_money(e["tier"])) if e["tier"] is not None else None,
            "receiving": bool(e["receiving"]),
        }
        for e in _rows(_ENROLLMENTS_SQL, person)
    ]


def plans(person: Person) -> list[dict[str, Any]]:
    """The person's rows of every plan version, programme by programme (in the order a
    run reports them: each is its own lineage, decision 0012), newest first within one:
    also of a version of the whole jurisdiction, which the county's caseworker cannot
    open, since these rows are their own person's."""
    out: dict[int, dict[str, Any]] = {}
    for c in _rows(_PLANS_SQL, person):
        amount = yuan(c["amount"])
        # a row's scheme is its programme's code (plan.programmes)
        programme = c["programme"] or c["scheme"]
        entry = out.setdefault(
            c["version"] or 0,
            {
                "version": c["version"],
                "number": c["number"],
                "jurisdiction": c["jurisdiction"] or "",
                "year": c["year"],
                "programme": programme,
                "programme_label": vocab.PROGRAMME.label(programme),
                "parts": [],
                "gov_paid": ZERO,
                "self_due": None,
            },
        )
        entry["parts"].append(
            {
                "payer": c["payer"],
                "label": vocab.PAYER.label(c["payer"]),
                "amount": str(amount),
                "basis": [b for b in c["basis"].split(";") if b],
            }
        )
        if c["payer"] == "self":
            entry["self_due"] = str(amount)
        else:
            entry["gov_paid"] += amount
    for entry in out.values():
        entry["gov_paid"] = str(entry["gov_paid"])
    order = list(programmes.ALL)
    return sorted(
        out.values(),
        key=lambda e: order.index(e["programme"]) if e["programme"] in order else len(order),
    )


def _bills(person: Person, periods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The person's hospital bills through every payer (bills.importing.settle_person), in
    discharge order, with the statuses the registry holds for them."""
    stored = _rows(_BILLS_SQL, person)
    if not stored:
        return []
    for b in stored:
        b.update({k: _money(b[k]) for k in _MONEY}, id_number=person.id_number)
        b.update(
            admission_date=_date(b["admission_date"]),
            discharge_date=_date(b["discharge_date"]),
            in_county=bool(b["in_county"]),
        )
    dated = [
        {
            **p,
            **{k: _date(p[k]) for k in ("valid_from", "valid_to", "exit_date")},
            "exit_marked": bool(p["exit_marked"]),
        }
        for p in periods
    ]
    settled = bill_store.settle_person(stored, bill_store.status_rows(person.id_number, dated))
    for result in settled:
        result.pop("id_number", None)
        result["level_label"] = vocab.HOSPITAL_LEVEL.get(
            result["hospital_level"], result["hospital_level"]
        )
        result["paying_layers"] = [x for x in result["layers"] if x["amount"] != "0.00"]
    return settled


def explain(person: Person, year: int) -> dict[str, Any]:
    """The engine's result for the person and year, explanations in Chinese: the
    plan's own reading of the person (plan/explanation.py), so the page and the API
    say what the plan pays."""
    registry = db.DjangoReader(person._state.db or DEFAULT_DB_ALIAS)
    return explanation.explain(registry, person.pk, person.hukou_region, year)
