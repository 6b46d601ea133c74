"""Upload a department's roster or a hospital's bills: scan, dry run (what would
change), confirm, result. A roster's mode (全量快照 or 增量名单) is chosen on the form,
never assumed; a snapshot that closes more than the 快照关闭比例上限 is confirmed only
with the page's acknowledgement ticked (rosters.guard)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow as pa
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from doudi.bills import importing as bills
from doudi.core import vocab
from doudi.registry.models import ImportBatch
from doudi.web import audit, import_list, job_rows, listing, worker
from doudi.web.importing import LABELS, UploadRejected, job_params
from doudi.web.models import Job
from doudi.web.roles import Scope, scope_of
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


#: How an import job ran, for the list's filter: a dry run or the confirmed import.
RUNS = {"dry_run": "试导入", "commit": "确认导入"}
#: The import list's export: its columns.
COLUMNS = (
    listing.Column("pk", "任务", pa.int64()),
    listing.Column("file", "文件"),
    listing.Column("source", "类别"),
    listing.Column("as_of", "截止日期", pa.date32()),
    listing.Column("run", "方式"),
    listing.Column("state", "状态"),
    listing.Column("created_by", "经办人"),
    listing.Column("created_at", "提交时间", pa.timestamp("s")),
)


def imports(
    request: HttpRequest, scope: Scope
) -> tuple[import_list.Imports, list[tuple[str, str]]]:
    """The import jobs of the scope and its imports on the command line, newest first,
    of the category, way (dry run or confirmed) and user the query string asks for (a
    value no form offers: all), and the filters as (label, value)."""
    jobs = Job.objects.filter(kind="import", region__startswith=scope.prefix).order_by("-pk")
    get = request.GET
    source, run, user = get.get("source", ""), get.get("run", ""), get.get("user", "").strip()
    source = source if source in LABELS else ""
    if source:
        jobs = jobs.filter(params__source=source)
    if run in RUNS:
        jobs = jobs.filter(params__dry_run=run == "dry_run")
    if user:
        jobs = jobs.filter(created_by=user)
    batches = import_list.command_line_batches(scope, source, user)
    if run == "dry_run":  # the command line keeps no dry run
        batches = batches.none()
    shown = [("类别", LABELS.get(source, "")), ("方式", RUNS.get(run, "")), ("经办人", user)]
    return import_list.Imports(jobs, batches), shown


def _row(j: Job | ImportBatch) -> dict[str, Any]:
    """An import job as the list shows it: the category in Chinese, as the form offers it;
    a bill import has no as-of date. An import on the command line, as such."""
    if isinstance(j, ImportBatch):
        return import_list.batch_row(j, LABELS, bills.SOURCE)
    source = j.params.get("source")
    return {
        "pk": j.pk,
        "file": j.params.get("file_name", ""),
        "source": LABELS.get(source, source),
        "as_of": "" if source == bills.SOURCE else j.params.get("as_of", ""),
        "run": RUNS["dry_run" if j.params.get("dry_run") else "commit"],
        "state": j.get_state_display(),
        "created_by": j.created_by,
        "created_at": timezone.localtime(j.created_at).replace(tzinfo=None, microsecond=0),
    }


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
    jobs, _ = imports(request, scope)
    shown = listing.paginate(request, jobs, export=reverse("imports_export"))
    context = {
        "form": form,
        "error": error,
        "listing": shown,
        "recent": [_row(j) for j in shown.page],
        "sources": list(LABELS.items()),
        "runs": list(RUNS.items()),
        "get": request.GET,
    }
    return render(request, "web/imports.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The import jobs the filters show, every page of them, as an Excel sheet."""
    scope = scope_of(request.user)
    scope.require("import")
    jobs, shown = imports(request, scope)
    return listing.export(
        request,
        what="名单导入记录",
        count=jobs.count(),
        make=lambda: listing.sheet("名单导入记录", COLUMNS, (_row(j) for j in jobs)),
        table="web_job",
        shown=shown,
    )


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
    context = {
        "job": found,
        "r": found.result,
        "error": error,
        "source_label": LABELS.get(found.params["source"], found.params["source"]),
        "bills": found.params["source"] == bills.SOURCE,
    }
    if found.state == "done":
        context.update(_lists(request, scope, found))
    return render(request, "web/import_preview.html", context)


def _lists(request: HttpRequest, scope: Scope, found: Job) -> dict[str, Any]:
    """The dry run's (or import's) refused rows and changes, each paged on its own
    (``rejected_page``, ``page``); the changes summarised by kind, the detail of the
    kind chosen (``change``), each person linked to their page."""
    change = request.GET.get("change", "")
    change = change if change in vocab.PERIOD_CHANGE else ""
    by_kind = found.result.get("changes_by_kind") or {}
    return {
        "rejected": listing.paginate(
            request,
            job_rows.rows(scope, found, "rejected"),
            export=reverse("job_rows_export", args=[found.pk, "rejected"]),
            param="rejected_page",
        ),
        "changes": listing.paginate(
            request,
            job_rows.rows(scope, found, "changes", change),
            export=reverse("job_rows_export", args=[found.pk, "changes"]),
        ),
        "change": change,
        "kinds": [(k, vocab.PERIOD_CHANGE.label(k), n) for k, n in by_kind.items()],
    }


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
