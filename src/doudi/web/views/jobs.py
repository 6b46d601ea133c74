"""A job's state for the page that polls it (htmx every second until it ends)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from doudi.core import vocab
from doudi.web import audit, job_rows, listing
from doudi.web.models import Job
from doudi.web.roles import JOB_PERMISSION, Scope, scope_of


def scoped_job(scope: Scope, pk: int, kind: str | None = None) -> Job:
    """A job of the user's region (404 for another region's)."""
    try:
        job = Job.objects.get(pk=pk)
    except Job.DoesNotExist:
        raise Http404("没有该任务") from None
    if not scope.covers(job.region) or (kind and job.kind != kind):
        raise Http404("没有该任务")
    scope.require(JOB_PERMISSION.get(job.kind, "admin"))
    return job


@login_required
def status(request: HttpRequest, job: int) -> HttpResponse:
    scope = scope_of(request.user)
    found = scoped_job(scope, job)
    response = render(request, "web/_job.html", {"job": found})
    if found.state in ("done", "failed"):
        response["HX-Refresh"] = "true"  # the page shows the result
    return response


@login_required
def download(request: HttpRequest, job: int) -> FileResponse:
    """The file a job made (a ledger, a bank file); every download is audited."""
    from doudi.web.worker import work_dir

    scope = scope_of(request.user)
    found = scoped_job(scope, job)
    if not found.result.get("masked"):
        scope.require("unmask")  # the files hold full ID numbers (a costing's may not)
    name = found.result.get("file") if found.state == "done" else None
    if not name:
        raise Http404("该任务没有生成文件")
    path = work_dir(found) / name
    audit.record(request, "download", "web_job", found.pk, f"下载 {name}")
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


@login_required
def rows_export(request: HttpRequest, job: int, name: str) -> HttpResponse:
    """A list of a job's result (web/job_rows.py), every row of it, as an Excel sheet:
    masked as the page shows it, for whoever may see the job."""
    scope = scope_of(request.user)
    found = scoped_job(scope, job)
    spec = job_rows.LISTS.get(name)
    if spec is None or spec.kind != found.kind or found.state != "done":
        raise Http404("该任务没有这份清单")
    change = request.GET.get("change", "")
    change = change if change in vocab.PERIOD_CHANGE else ""
    rows = job_rows.rows(scope, found, name, change)
    return listing.export(
        request,
        what=f"{spec.title}（任务 {found.pk}）",
        count=len(rows),
        make=lambda: job_rows.workbook_sheet(found, name, rows),
        table="web_job",
        row=found.pk,
        shown=[("变化", vocab.PERIOD_CHANGE.label(change) if change else "")],
    )
