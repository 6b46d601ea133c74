"""Upload a department's roster or a hospital's bills: scan, dry run (what would
change), confirm, result."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from doudi.bills import importing as bills
from doudi.web import audit, worker
from doudi.web.importing import LABELS, UploadRejected, job_params
from doudi.web.models import Job
from doudi.web.roles import scope_of
from doudi.web.views.jobs import scoped_job


class UploadForm(forms.Form):
    file = forms.FileField(label="名单文件（.xlsx 或 .csv）")
    source = forms.ChoiceField(label="名单类别", choices=list(LABELS.items()))
    as_of = forms.DateField(label="名单截止日期", initial=date.today)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    scope.require("import")
    form = UploadForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            params = job_params(
                data["file"], data["source"], data["as_of"].isoformat(), scope.region
            )
        except UploadRejected as exc:
            error = str(exc)
        else:
            job = worker.submit("import", params, request.user, scope.region)
            return redirect("import_preview", job=job.pk)
    recent = list(
        Job.objects.filter(kind="import", region__startswith=scope.prefix).order_by("-pk")[:20]
    )
    for j in recent:  # the category in Chinese, as the form offers it
        j.source_label = LABELS.get(j.params.get("source"), j.params.get("source"))
        j.is_bills = j.params.get("source") == bills.SOURCE  # a bill import has no as-of
    return render(request, "web/imports.html", {"form": form, "error": error, "recent": recent})


@login_required
def preview(request: HttpRequest, job: int) -> HttpResponse:
    """The dry run's report; confirming submits the real import of the same file."""
    scope = scope_of(request.user)
    scope.require("import")
    found = scoped_job(scope, job, "import")
    if request.method == "POST" and found.state == "done" and found.params["dry_run"]:
        if found.result.get("already_imported"):
            return redirect("import_preview", job=found.pk)
        commit = worker.submit(
            "import",
            {**found.params, "dry_run": False, "preview": found.pk},
            request.user,
            scope.region,
        )
        audit.record(
            request,
            "import",
            "registry_import_batch",
            None,
            f"确认导入 {found.params['file_name']}（任务 {commit.pk}）",
        )
        return redirect("import_preview", job=commit.pk)
    return render(
        request,
        "web/import_preview.html",
        {
            "job": found,
            "r": found.result,
            "source_label": LABELS.get(found.params["source"], found.params["source"]),
            "bills": found.params["source"] == bills.SOURCE,
        },
    )
