"""The comparison: run it for the user's region, browse the findings by township and
village, download the workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from doudi.comparison.compare import FINDINGS
from doudi.core import vocab
from doudi.store.workbook import Sheet
from doudi.web import audit, comparing, listing, people, worker
from doudi.web.models import Job
from doudi.web.roles import Scope, scope_of
from doudi.web.stored_rows import Linked
from doudi.web.views.jobs import scoped_job


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    scope.require("compare")
    if request.method == "POST":
        try:
            as_of = date.fromisoformat(request.POST.get("as_of", ""))
        except ValueError:
            as_of = date.today()
        job = worker.submit("compare", {"as_of": as_of.isoformat()}, request.user, scope.region)
        return redirect("compare_result", job=job.pk)
    recent = Job.objects.filter(kind="compare", region__startswith=scope.prefix).order_by("-pk")
    shown = listing.paginate(request, recent)
    return render(request, "web/compare.html", {"listing": shown, "today": date.today()})


def _linked(scope: Scope) -> Linked:
    """A finding's rows link to the people of the scope they name (a finding of invalid
    or duplicate rows names no one: no links)."""

    def link(stored: pa.Table) -> list[int | None]:
        if "id_number" not in stored.column_names:
            return [None] * stored.num_rows
        return people.pages(scope, stored.column("id_number").to_pylist())

    return link


def _finding(request: HttpRequest, scope: Scope, found: Job) -> dict[str, Any]:
    """The finding, township and village the query string asks for (a village only of
    the township chosen), with the places the filters offer; 404 for no such finding."""
    name = request.GET.get("finding", FINDINGS[0][0])
    if name not in dict(FINDINGS):
        raise Http404("未知的比对项")
    directory = worker.work_dir(found)
    places = comparing.places(directory, name)
    township = request.GET.get("township", "")
    villages = comparing.villages(places, township)
    village = request.GET.get("village", "")
    village = village if village in villages else ""
    rows = comparing.finding(directory, name, township, village, _linked(scope))
    return {
        "name": name,
        "title": dict(FINDINGS)[name],
        "rows": rows,
        "townships": sorted({t for t, _ in places}),
        "villages": villages,
        "township": township,
        "village": village,
    }


@login_required
def result(request: HttpRequest, job: int) -> HttpResponse:
    scope = scope_of(request.user)
    scope.require("compare")
    found = scoped_job(scope, job, "compare")
    context: dict[str, object] = {"job": found, "findings": FINDINGS}
    if found.state == "done":
        chosen = _finding(request, scope, found)
        rows = chosen["rows"]
        shown = listing.paginate(request, rows, export=reverse("compare_export", args=[found.pk]))
        columns = rows.columns
        linked = ("id_number", "name")
        context.update(
            chosen,
            headers=vocab.headers(columns),
            cells=[
                [(row.get(c), row["person"] if c in linked else None) for c in columns]
                for row in shown.page
            ],
            listing=shown,
            counts=found.result["counts"],
        )
        if request.htmx:
            return render(request, "web/_finding.html", context)
    return render(request, "web/compare_result.html", context)


@login_required
def export(request: HttpRequest, job: int) -> HttpResponse:
    """The finding's rows the filters show, every page of them, as an Excel sheet
    (masked, as the page and the workbook are)."""
    scope = scope_of(request.user)
    scope.require("compare")
    found = scoped_job(scope, job, "compare")
    if found.state != "done":
        raise Http404("比对结果尚未生成")
    chosen = _finding(request, scope, found)
    rows = chosen["rows"]

    def sheet() -> Sheet:
        table = rows.table()
        return Sheet(chosen["title"], table, vocab.headers(table.column_names))

    return listing.export(
        request,
        what=f"比对结果-{chosen['title']}",
        count=rows.count(),
        make=sheet,
        table="web_job",
        row=found.pk,
        shown=[
            ("比对项", chosen["title"]),
            ("乡镇(街道)", chosen["township"]),
            ("村(社区)", chosen["village"]),
        ],
    )


@login_required
def download(request: HttpRequest, job: int) -> FileResponse:
    scope = scope_of(request.user)
    scope.require("compare")
    found = scoped_job(scope, job, "compare")
    path = Path(worker.work_dir(found)) / comparing.WORKBOOK
    if found.state != "done" or not path.exists():
        raise Http404("比对结果尚未生成")
    audit.record(request, "download", "web_job", found.pk, f"下载比对结果（{found.region}）")
    return FileResponse(path.open("rb"), as_attachment=True, filename=comparing.WORKBOOK)
