"""A person as the registry holds them, for the pages and the API: statuses,
enrollments, plan rows, and the year's explanation through the policy engine."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import doudi
from doudi.engine.settlement import LEVEL_ZH
from doudi.jobs import bills as bill_store
from doudi.jobs.compare import SCHEME_LABELS as SCHEME_ZH
from doudi.policy import jurisdictions
from doudi.policy.explain import PAYER_ZH, STATUS_ZH
from doudi.registry.models import Bill, Contribution, Enrollment, Person, StatusPeriod
from doudi.web.roles import Scope, mask_id


def find(scope: Scope, query: str, limit: int = 50) -> list[Person]:
    """People of the scope by ID number (whole or its first digits) or by name."""
    query = query.strip().upper()
    people = scope.people(Person.objects.all())
    if not query:
        return []
    if query[:1].isdigit() and not scope.may("unmask") and 4 < len(query) < 18:
        # the masked number shows its first four characters: a longer prefix would let a
        # role that may not see ID numbers find them out digit by digit
        return []
    if query[:1].isdigit():
        return list(people.filter(id_number__startswith=query).order_by("id_number")[:limit])
    return list(people.filter(name__contains=query).order_by("name", "id_number")[:limit])


def summary(person: Person, unmasked: bool) -> dict[str, Any]:
    return {
        "id": person.pk,
        "id_number": person.id_number if unmasked else mask_id(person.id_number),
        "name": person.name,
        "sex": "男" if person.sex == "M" else "女",
        "birth_date": person.birth_date.isoformat(),
        "hukou_region": person.hukou_region,
        "township": person.township,
        "village": person.village,
        "death_date": person.death_date.isoformat() if person.death_date else None,
    }


def statuses(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "status": s.status,
            "label": STATUS_ZH.get(s.status, s.status),
            "department": s.department,
            "from": s.valid_from.isoformat(),
            "to": s.valid_to.isoformat() if s.valid_to else None,
            "exit_date": s.exit_date.isoformat() if s.exit_marked and s.exit_date else None,
        }
        for s in StatusPeriod.objects.filter(person=person).order_by("status", "valid_from")
    ]


def enrollments(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "scheme": e.scheme,
            "label": SCHEME_ZH.get(e.scheme, e.scheme),
            "region_code": e.region_code,
            "from": e.valid_from.isoformat(),
            "to": e.valid_to.isoformat() if e.valid_to else None,
            "tier": str(e.contribution_tier) if e.contribution_tier is not None else None,
            "receiving": e.receiving,
        }
        for e in Enrollment.objects.filter(person=person).order_by("scheme", "valid_from")
    ]


def plans(person: Person) -> list[dict[str, Any]]:
    """The person's rows of every plan version, newest first: also of a version of the
    whole jurisdiction, which the county's caseworker cannot open, since these rows are
    their own person's."""
    rows = (
        Contribution.objects.filter(person=person)
        .select_related("plan_version")
        .order_by("-year", "-plan_version__number", "payer")
    )
    out: dict[int, dict[str, Any]] = {}
    for c in rows:
        v = c.plan_version
        key = v.pk if v else 0
        entry = out.setdefault(
            key,
            {
                "version": v.pk if v else None,
                "number": v.number if v else None,
                "jurisdiction": v.jurisdiction if v else "",
                "year": c.year,
                "parts": [],
                "gov_paid": Decimal("0.00"),
                "self_due": None,
            },
        )
        entry["parts"].append(
            {
                "payer": c.payer,
                "label": "个人应缴" if c.payer == "self" else PAYER_ZH.get(c.payer, c.payer),
                "amount": str(c.amount),
                "basis": [b for b in c.basis.split(";") if b],
            }
        )
        if c.payer == "self":
            entry["self_due"] = str(c.amount)
        else:
            entry["gov_paid"] += c.amount
    for entry in out.values():
        entry["gov_paid"] = str(entry["gov_paid"])
    return list(out.values())


def bills(person: Person) -> list[dict[str, Any]]:
    """The person's hospital bills through every payer (jobs.bills.settle_person), in
    discharge order, with the statuses the registry holds for them."""
    stored = list(Bill.objects.filter(person=person).values())
    if not stored:
        return []
    periods = StatusPeriod.objects.filter(person=person).values(
        "status", "valid_from", "valid_to", "exit_marked", "exit_date"
    )
    statuses = bill_store.status_rows(person.id_number, periods)
    settled = bill_store.settle_person(
        [{**b, "id_number": person.id_number} for b in stored], statuses
    )
    for result in settled:
        result.pop("id_number", None)
        result["level_label"] = LEVEL_ZH.get(result["hospital_level"], result["hospital_level"])
        result["paying_layers"] = [x for x in result["layers"] if x["amount"] != "0.00"]
    return settled


def scenario(person: Person, year: int) -> dict[str, Any]:
    """The person's facts in the registry as a scenario of the policy engine, with the
    plan's readings (jobs/plan.py): enrolled = a resident-pension enrollment holding on
    any day of the year, at the latest such tier."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    holding = Enrollment.objects.filter(person=person, valid_from__lte=last).exclude(
        valid_to__lte=first
    )
    pension = holding.filter(scheme="resident_pension").order_by("-valid_from").first()
    ever = Enrollment.objects.filter(
        person=person, scheme="resident_pension", valid_from__lte=last
    ).exists()
    return {
        "jurisdiction": jurisdictions.resolve(person.hukou_region[:6]).code,
        "year": year,
        "people": [
            {
                "id_number": person.id_number,
                "name": person.name,
                "hukou_region": person.hukou_region[:6] or None,
                "employee_pension": holding.filter(scheme="employee_pension").exists(),
                "statuses": [
                    {
                        "status": s["status"],
                        "from": s["from"],
                        "to": s["to"],
                        "exit_date": s["exit_date"],
                    }
                    for s in statuses(person)
                ],
                "resident_pension": {
                    "enrolled": pension is not None,
                    "ever_enrolled": ever,
                    "tier": str(pension.contribution_tier)
                    if pension is not None and pension.contribution_tier is not None
                    else None,
                },
            }
        ],
    }


def explain(person: Person, year: int) -> dict[str, Any]:
    """The engine's result for the person and year, explanations in Chinese."""
    result = doudi.evaluate(scenario(person, year))["results"][0]
    return {k: v for k, v in result.items() if k not in ("id_number",)}
