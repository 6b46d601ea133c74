"""The policy as the system implements it: jurisdictions, parameters in force with
their dates and citations (local configuration marked), each clause's original text.
Parameters are named and valued in words (policy.shown), their paths kept small for
whoever configures them."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from doudi.policy import clauses, jurisdictions, parameters, shown


@login_required
def index(request: HttpRequest) -> HttpResponse:
    rows = [
        {"code": j.code, "name": j.name, "document": j.document, "parent": j.parent}
        for j in jurisdictions.JURISDICTIONS.values()
    ]
    return render(request, "web/policy.html", {"jurisdictions": rows})


@login_required
def jurisdiction(request: HttpRequest, code: str) -> HttpResponse:
    try:
        j = jurisdictions.get(code)
    except jurisdictions.UnknownJurisdiction:
        raise Http404("未知的统筹地区") from None
    try:
        year = int(request.GET.get("year", 2018))
    except ValueError:
        year = 2018
    year = min(max(year, 1990), 2100)
    rows = []
    for path in sorted(parameters.known_paths()):
        value = parameters.lookup(path, code, date(year, 12, 31))
        if value is None:
            continue
        described = parameters.describe(path, code)
        rows.append(
            {
                "path": path,
                "description": described.description if described else "",
                # as a caseworker reads it: a table by hospital level, 85%, 200.00元, 是
                "value": shown.text(path, value.value, described.unit if described else None),
                "entries": shown.entries(path, value.value),
                "effective": shown.day(value.effective),
                "from_jurisdiction": jurisdictions.get(value.jurisdiction).name,
                "basis": value.basis,
                "local_config": value.local_config,
            }
        )
    document = [c for c in clauses.registry().values() if c.id.startswith(j.document + "/")]
    context = {"j": j, "year": year, "rows": rows, "clauses": document}
    return render(request, "web/jurisdiction.html", context)


@login_required
def clause(request: HttpRequest, clause_id: str) -> HttpResponse:
    try:
        c = clauses.get(clause_id)
    except clauses.UnknownClause:
        raise Http404("未知的条款编号") from None
    return render(request, "web/clause.html", {"c": c})
