"""政策测算 (issue #22 §3, docs/costing.md): pick or edit a reform, cost it on a region as
a job, read the result — cost by programme and payer, by region, the distribution of
the change, the status groups, the warnings, the workbook, the people who gain or lose —
and one person's two sides.

For the roles with ``cost`` (the province administrator, finance), within their region:
a region outside it is refused in Chinese whatever the form or the address says. A
reform is checked whole before a job is queued (web/reforms.py): its problems are shown
in the form, one per field, and no job is made.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from doudi.costing import tables
from doudi.web import costing_jobs, listing, reforms, worker
from doudi.web.models import Job
from doudi.web.roles import Scope, scope_of
from doudi.web.stored_rows import ParquetRows
from doudi.web.views.jobs import scoped_job


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    scope.require("cost")
    form = {"text": "", "region": scope.region, "year": ""}
    status = 200
    problems: list[str] = []
    error = ""
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        try:
            year = reforms.year_of(form["year"])
            data = reforms.from_text(form["text"])
            params = reforms.job_params(scope, data, form["region"], year)
        except reforms.Refused as exc:
            error, problems, status = str(exc), exc.problems, exc.status
        else:
            job = worker.submit("cost", params, request.user, scope.region)
            return redirect("costing_result", job=job.pk)
    else:
        form["text"] = _starting_text(request, scope)
    recent = Job.objects.filter(kind="cost", region__startswith=scope.prefix).order_by("-pk")
    context = {
        "form": form,
        "error": error if not problems else "",
        "problems": problems,
        "examples": reforms.examples(),
        "listing": listing.paginate(request, recent),
    }
    return render(request, "web/costing.html", context, status=status)


def _starting_text(request: HttpRequest, scope: Scope) -> str:
    """The reform the text box starts with: an example's file (``example``), or the
    reform of an earlier costing of the user's region (``from``), to run again or edit."""
    example = request.GET.get("example", "")
    if example:
        return reforms.example_text(example)
    earlier = request.GET.get("from", "")
    if earlier.isdigit():
        job = scoped_job(scope, int(earlier), "cost")
        return yaml.safe_dump(job.params["reform"], allow_unicode=True, sort_keys=False)
    return ""


@login_required
def result(request: HttpRequest, job: int) -> HttpResponse:
    scope = scope_of(request.user)
    scope.require("cost")
    found = scoped_job(scope, job, "cost")
    context: dict[str, Any] = {"job": found}
    if found.state == "done":
        r = found.result
        listed = r["listed"]
        # the first list with anyone in it unless another is asked for
        first = next((key for key, _ in costing_jobs.DIRECTIONS if listed.get(key)), "gain")
        direction = request.GET.get("direction", first)
        direction = direction if direction in dict(costing_jobs.DIRECTIONS) else first
        people = ParquetRows(
            worker.work_dir(found) / costing_jobs.PEOPLE_FILE, {"direction": direction}
        )
        context.update(
            r=r,
            payers=r["by_payer"],
            regions=[line for line in r["by_region"] if line["programme_code"] == tables.EVERY],
            groups=r["by_group"],
            chart=charts(r),
            directions=[(key, title, listed.get(key, 0)) for key, title in costing_jobs.DIRECTIONS],
            direction=direction,
            people=listing.paginate(request, people),
            may_download=bool(r.get("masked")) or "unmask" in scope.permissions,
        )
    return render(request, "web/costing_result.html", context)


def charts(r: dict[str, Any]) -> dict[str, Any]:
    """The charts' data (static/web/app.js): each payer's amounts of each programme,
    baseline against reform; the counties' (or a county's townships') amounts paid for
    their people; how many people's change falls in each bin."""
    payers = [line for line in r["by_payer"] if line["payer_code"] != tables.EVERY]
    places = [line for line in r["by_region"] if line["programme_code"] == tables.EVERY][1:]
    counties = [line for line in places if line["township"] is None]
    shown = counties or places
    return {
        "payers": {
            "labels": [f"{line['programme']}·{line['payer']}" for line in payers],
            "baseline": [line["baseline"] for line in payers],
            "reform": [line["reform"] for line in payers],
        },
        "regions": {
            "labels": [line["township"] or line["county"] for line in shown],
            "baseline": [line["baseline"] for line in shown],
            "reform": [line["reform"] for line in shown],
        },
        "distribution": {
            "labels": [line["bin"] for line in r["distribution"]],
            "people": [line["people"] for line in r["distribution"]],
        },
    }


@login_required
def person(request: HttpRequest, job: int, person_id: int) -> HttpResponse:
    """One person's baseline and reform side by side, as a job of its own
    (web/costing_jobs.py): the page polls it and shows the two sides when it ends."""
    scope = scope_of(request.user)
    scope.require("cost")
    costing = scoped_job(scope, job, "cost")
    asked = costing_jobs.person_job(costing, person_id, request.user)
    context = {"costing": costing, "job": asked, "p": asked.result if asked.state == "done" else {}}
    return render(request, "web/costing_person.html", context)
