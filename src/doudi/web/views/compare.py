"""The comparison: run it for the user's region, browse the findings by township and
village, download the workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from doudi.comparison.compare import FINDINGS
from doudi.core import vocab
from doudi.web import audit, comparing, worker
from doudi.web.models import Job
from doudi.web.roles import scope_of
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
    recent = Job.objects.filter(kind="compare", region__startswith=scope.prefix).order_by("-pk")[
        :20
    ]
    return render(request, "web/compare.html", {"recent": recent, "today": date.today()})


@login_required
def result(request: HttpRequest, job: int) -> HttpResponse:
    scope = scope_of(request.user)
    scope.require("compare")
    found = scoped_job(scope, job, "compare")
    context: dict[str, object] = {"job": found, "findings": FINDINGS}
    if found.state == "done":
        name = request.GET.get("finding", FINDINGS[0][0])
        if name not in dict(FINDINGS):
            raise Http404("未知的比对项")
        township, village = request.GET.get("township", ""), request.GET.get("village", "")
        directory = worker.work_dir(found)
        columns, rows, count = comparing.finding(directory, name, township, village)
        context.update(
            name=name,
            title=dict(FINDINGS)[name],
            headers=vocab.headers(columns),
            cells=[[row.get(c) for c in columns] for row in rows],
            count=count,
            places=comparing.places(directory, name),
            township=township,
            village=village,
            counts=found.result["counts"],
        )
        if request.htmx:
            return render(request, "web/_finding.html", context)
    return render(request, "web/compare_result.html", context)


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
