"""Find a person, see their timeline, enrollments, plans and the explanation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pyarrow as pa
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from doudi.core import vocab
from doudi.registry.models import Person
from doudi.web import audit, listing, people
from doudi.web.roles import Scope, scope_of


def scoped_person(scope: Scope, pk: int) -> Person:
    """The person ``pk`` if they are in the scope; 404 otherwise (also for a person of
    another county: the page does not tell that they exist)."""
    found = scope.person(pk)
    if found is None:
        raise Http404("查无此人或不在您的管辖范围内 / no such person in your region")
    return found


#: The people search's export: what the result table shows, the number masked.
COLUMNS = (
    listing.Column("id_number", "公民身份号码"),
    listing.Column("name", "姓名"),
    listing.Column("sex", "性别"),
    listing.Column("birth_date", "出生日期", pa.date32()),
    listing.Column("hukou_region", "户籍区划"),
    listing.Column("township", "乡镇(街道)"),
    listing.Column("village", "村(社区)"),
    listing.Column("death_date", "死亡日期", pa.date32()),
)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    query = request.GET.get("q", "")
    shown = listing.paginate(
        request, people.matching(scope, query), export=reverse("search_export")
    )
    rows = [people.summary(p, unmasked=False) for p in shown.page]
    template = "web/_search_results.html" if request.htmx else "web/search.html"
    return render(request, template, {"query": query, "found": rows, "listing": shown})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """Everyone the search finds, every page of them, as an Excel sheet (masked)."""
    scope = scope_of(request.user)
    query = request.GET.get("q", "")
    found = people.matching(scope, query)

    def rows() -> Iterator[dict[str, object]]:
        for p in found.iterator(chunk_size=2000):
            row = people.summary(p, unmasked=False)
            yield {**row, "birth_date": p.birth_date, "death_date": p.death_date}

    return listing.export(
        request,
        what="人员查询结果",
        count=found.count(),
        make=lambda: listing.sheet("人员查询结果", COLUMNS, rows()),
        table="registry_person",
        shown=[("查询", query)],
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request.user)
    person = scoped_person(scope, pk)
    record = people.record(person)
    # newest first; the explanation opens on the latest year planned for the person (what
    # a caseworker asked about last), else on last year, as the explanation's own default
    planned = {p["year"] for p in record["plans"]}
    years = sorted(planned | set(range(date.today().year, 2015, -1)), reverse=True)
    year = max(planned, default=date.today().year - 1)
    context = {
        **record,
        "person": people.summary(person, unmasked=False),
        "layer_names": list(vocab.SETTLEMENT_LAYER.values()),
        "years": years,
        "year": year,
        "timeline": {
            "statuses": record["statuses"],
            "enrollments": record["enrollments"],
            "today": date.today().isoformat(),
        },
    }
    return render(request, "web/person.html", context)


@login_required
@require_POST
def unmask(request: HttpRequest, pk: int) -> HttpResponse:
    """The full ID number, for roles that may see it; every unmasking is audited."""
    scope = scope_of(request.user)
    scope.require("unmask")
    person = scoped_person(scope, pk)
    audit.record(request, "unmask", "registry_person", person.pk, "查看完整身份证号")
    return HttpResponse(person.id_number)


@login_required
def explanation(request: HttpRequest, pk: int) -> HttpResponse:
    """The policy engine's answer for the person and a year (htmx fragment)."""
    scope = scope_of(request.user)
    person = scoped_person(scope, pk)
    try:
        year = int(request.GET.get("year", date.today().year - 1))
    except ValueError:
        raise Http404("年度应为数字") from None
    try:
        result = people.explain(person, year)
        error = None
    except Exception as exc:  # the engine's Chinese errors (unknown jurisdiction, no params)
        result, error = None, str(exc)
    return render(
        request, "web/_explanation.html", {"result": result, "error": error, "year": year}
    )
