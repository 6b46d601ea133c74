"""工伤保险扶贫核查: the lists of the user's region on a day with county and sector
filters and the workbook, a project's page, and the person page's projects and cases
(an htmx fragment, so that the person page itself does not wait on the lists)."""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from doudi.core import regions
from doudi.policy import parameters
from doudi.web import audit
from doudi.web import work_injury as wi
from doudi.web.roles import scope_of
from doudi.web.views.people import scoped_person
from doudi.work_injury.checks import FINDINGS
from doudi.work_injury.workbook import findings_workbook


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    get = request.GET
    region, as_of = get.get("region", ""), get.get("as_of", "")
    county, sector = get.get("county", ""), get.get("sector", "")
    context: dict[str, Any] = {"region": region or scope.region, "as_of": as_of}
    try:
        found = wi.run(scope, region, as_of)
    except wi.Refused as exc:
        context["error"] = str(exc)
        return render(request, "web/work_injury.html", context, status=exc.status)
    region = region or scope.region
    counties, sectors = wi.choices(found)
    lists = []
    for name, title in FINDINGS:
        table = wi.filtered(found.finding(name), county, sector)
        ordered = name not in found.not_ordered
        lists.append({"name": name, "title": title, "ordered": ordered, **wi.shown(table)})
    context.update(
        found=found,
        # by name, linked to the policy page that gives each one's path and value
        local_config=[parameters.name_zh(p, found.jurisdiction) for p in found.local_config],
        region=region,
        region_name=regions.region_name(region) or region,
        as_of=found.as_of.isoformat(),
        county=county,
        sector=sector,
        counties=counties,
        sectors=sectors,
        lists=lists,
    )
    return render(request, "web/work_injury.html", context)


@login_required
def download(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    region = request.GET.get("region", "") or scope.region
    try:
        found = wi.run(scope, region, request.GET.get("as_of", ""))
    except wi.Refused as exc:
        return render(request, "web/work_injury.html", {"error": str(exc)}, status=exc.status)
    region_name = regions.region_name(region) or region
    name = f"{region_name}工伤保险扶贫核查（截至{found.as_of.isoformat()}）.xlsx"
    with tempfile.TemporaryDirectory(prefix="doudi-work-injury-") as directory:
        path = Path(directory) / "findings.xlsx"
        findings_workbook(found, region_name, path)
        content = path.read_bytes()
    audit.record(
        request, "download", "registry_import_batch", None, f"下载工伤保险扶贫核查（{region}）"
    )
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name)


@login_required
def project(request: HttpRequest, county: str, project_id: str) -> HttpResponse:
    scope = scope_of(request.user)
    as_of = request.GET.get("as_of", "")
    try:
        day = wi.day_of(as_of)
        context = wi.project(scope, county, project_id, day)
    except wi.Refused as exc:
        context = {"error": str(exc)}
        return render(request, "web/work_injury_project.html", context, status=exc.status)
    context["as_of"] = day.isoformat()
    return render(request, "web/work_injury_project.html", context)


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's projects and cases in the user's region today (person page fragment),
    for the roles that may see the work-injury lists (a case may be 尘肺病: health data
    finance and audit do not need)."""
    scope = scope_of(request.user)
    found = scoped_person(scope, pk)
    if not scope.may(wi.PERMISSION):
        return render(request, "web/_person_work_injury.html", {"not_permitted": True})
    context = wi.of_person(scope, found.id_number, date.today())
    return render(request, "web/_person_work_injury.html", context)
