"""Upload a department's roster or a hospital's bills: scan, dry run (what would
change), confirm, result. A roster's mode (全量快照 or 增量名单) is chosen on the form,
never assumed; a snapshot that closes more than the 快照关闭比例上限 is confirmed only
with the page's acknowledgement ticked (rosters.guard)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from doudi.bills import importing as bills
from doudi.core import vocab
from doudi.web import audit, worker
from doudi.web.importing import LABELS, UploadRejected, job_params
from doudi.web.models import Job
from doudi.web.roles import scope_of
from doudi.web.views.jobs import scoped_job


class UploadForm(forms.Form):
    file = forms.FileField(label="名单文件（.xlsx 或 .csv）")
    source = forms.ChoiceField(label="名单类别", choices=list(LABELS.items()))
    as_of = forms.DateField(label="名单截止日期", initial=date.today)
    # no default: a partial list taken for a full one closed a county (issue #19)
    mode = forms.ChoiceField(
        label="导入方式（名单必选）",
        choices=[
            (
                "snapshot",
                f"{vocab.IMPORT_MODE['snapshot']}：本区划的完整名单，未列出的人员将被关闭",
            ),
            ("addendum", f"{vocab.IMPORT_MODE['addendum']}：只新增或保持，不关闭任何人"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    region = forms.CharField(
        label="导入区划（六位代码，留空为您的辖区）", max_length=6, required=False
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("source") != bills.SOURCE and not data.get("mode"):
            self.add_error("mode", f"请选择导入方式：{'或'.join(vocab.IMPORT_MODE.values())}")
        return data


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
                data["file"],
                data["source"],
                data["as_of"].isoformat(),
                scope.region,
                mode=data["mode"],
                closing_region=data["region"],
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
    error = None
    if request.method == "POST" and found.state == "done" and found.params["dry_run"]:
        if found.result.get("already_imported"):
            return redirect("import_preview", job=found.pk)
        confirmed = request.POST.get("confirm_closing") == "on"
        if found.result.get("needs_confirmation") and not confirmed:
            error = f"请先核对并勾选“{found.result['confirmation']}”，再确认导入"
        else:
            return _commit(request, found, confirmed)
    return render(
        request,
        "web/import_preview.html",
        {
            "job": found,
            "r": found.result,
            "error": error,
            "source_label": LABELS.get(found.params["source"], found.params["source"]),
            "bills": found.params["source"] == bills.SOURCE,
        },
    )


def _commit(request: HttpRequest, found: Job, confirmed: bool) -> HttpResponse:
    """Submit the real import of a dry run's file; ``confirmed``: the caseworker ticked
    the acknowledgement of the closings the dry run warned of."""
    scope = scope_of(request.user)
    commit = worker.submit(
        "import",
        {**found.params, "dry_run": False, "preview": found.pk, "confirm_closing": confirmed},
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
