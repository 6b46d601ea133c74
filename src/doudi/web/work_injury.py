"""工伤保险扶贫核查 for the pages and the API: the findings of a region in the user's scope
on a day (``work_injury.findings``), a project with its cover, workers and findings, and
a person's projects and cases.

The lists are read on each request, as the command reads them: they are per county and
small beside the registry, and a day's findings must show today's imports. A region
outside the scope is refused (403) and a bad day or region code is a Chinese 400, so
that no typed address shows another county's findings or a traceback."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.http import Http404

from doudi.core import idnumber, regions, vocab
from doudi.policy import jurisdictions
from doudi.store import db
from doudi.web.roles import Scope
from doudi.work_injury.checks import FINDINGS, Findings
from doudi.work_injury.findings import findings
from doudi.work_injury.reading import current_tables
from doudi.work_injury.workbook import HEADERS

#: The permission the work-injury lists need: the comparison's, whose lists they are like.
PERMISSION = "compare"


class Refused(Exception):
    """A request the findings do not answer: ``status`` and a Chinese message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def registry() -> db.Database:
    """The registry the pages read: the database Django routes the registry's models to
    (the web application's own, or another the deployment routes them to)."""
    from django.db import router

    from doudi.registry.models import Person

    return db.Database(router.db_for_read(Person) or "default")


def day_of(text: str) -> date:
    """The day asked for (default today); a Chinese 400 if it is no date."""
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise Refused(400, f"核查日期应为 YYYY-MM-DD 格式，实为 {text!r} / invalid date") from None


def run(scope: Scope, region: str, as_of: str) -> Findings:
    """The findings a user asked for, in their scope; raises :class:`Refused`."""
    scope.require(PERMISSION)
    region = (region or scope.region).strip()
    if not re.fullmatch(r"\d{6}", region):
        raise Refused(400, f"区划代码应为6位数字，实为 {region!r} / invalid region")
    if not scope.covers(region):
        raise Refused(
            403,
            f"核查地区 {region} 不在您的管辖区划 {scope.region_name}（{scope.region}）内"
            " / outside your region",
        )
    day = day_of(as_of)
    try:
        return findings(registry(), region, day)
    except jurisdictions.UnknownJurisdiction as exc:
        raise Refused(400, str(exc)) from None


def plain(column: str, value: Any) -> Any:
    """A cell as text for a page or JSON: ID numbers masked (the full number is on the
    audited person page), money and dates as written, yes/no in Chinese."""
    if column == "id_number" and isinstance(value, str):
        return idnumber.mask(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or isinstance(value, int | str | list):
        return value
    return str(value)  # Decimal, date


def as_json(found: Findings, region: str) -> dict[str, Any]:
    """Every list of the findings as rows (the API's answer)."""
    return {
        "region": region,
        "region_name": regions.region_name(region) or region,
        "jurisdiction": found.jurisdiction.code,
        "as_of": found.as_of.isoformat(),
        "local_config": list(found.local_config),
        "lists": [
            {
                "name": name,
                "title": title,
                "ordered": name not in found.not_ordered,
                "count": found.finding(name).num_rows,
                "rows": [
                    {c: plain(c, v) for c, v in row.items()}
                    for row in found.finding(name).to_pylist()
                ],
            }
            for name, title in FINDINGS
        ],
    }


def filtered(table: pa.Table, county: str, sector: str) -> pa.Table:
    """The rows of ``county`` (the project's county, or the person's hukou county) and
    ``sector`` (lists of people injured have no sector: the filter leaves them whole)."""
    if county:
        table = table.filter(pc.equal(table.column("county_code"), county))
    if sector and "sector" in table.column_names:
        table = table.filter(pc.equal(table.column("sector"), sector))
    return table


def choices(found: Findings) -> tuple[list[tuple[str, str]], list[str]]:
    """The counties (code, name) and sectors of the findings, for the filters."""
    counties: dict[str, str] = {}
    sectors: set[str] = set()
    for name, _ in FINDINGS:
        table = found.finding(name)
        for row in table.select(["county_code", "county"]).to_pylist():
            if row["county_code"]:
                counties[row["county_code"]] = row["county"] or row["county_code"]
        if "sector" in table.column_names:
            sectors |= {s for s in table.column("sector").to_pylist() if s}
    return sorted(counties.items()), sorted(sectors)


def shown(table: pa.Table) -> dict[str, Any]:
    """A list as a page table: Chinese headers and each row's cells; ``basis`` as clause
    ids (linked by the template), a project's number with its county (for its page)."""
    columns = table.column_names
    rows = []
    for row in table.to_pylist():
        cells = []
        for column in columns:
            value = row[column]
            cell: dict[str, Any] = {"column": column, "value": plain(column, value)}
            if column == "project_id" and row.get("county_code") and "sector" in columns:
                cell["county"] = row["county_code"]
            cells.append(cell)
        rows.append(cells)
    return {"headers": vocab.headers(columns, HEADERS), "rows": rows}


def project(scope: Scope, county: str, project_id: str, day: date) -> dict[str, Any]:
    """A project of the user's scope on ``day``: its row, cover, workers and findings;
    404 for a project of another county or none (the page does not tell which)."""
    scope.require(PERMISSION)
    missing = Http404("查无此项目或不在您的管辖范围内 / no such project in your region")
    if not re.fullmatch(r"\d{6}", county) or not scope.covers(county):
        raise missing
    database = registry()
    lists = current_tables(database, county, day)
    projects = lists["projects"]
    rows = projects.filter(pc.equal(projects.column("project_id"), project_id)).to_pylist()
    if not rows:
        raise missing
    workers = lists["project_workers"]
    crew = workers.filter(pc.equal(workers.column("project_id"), project_id))
    try:
        found = findings(database, county, day)
    except jurisdictions.UnknownJurisdiction as exc:
        raise Refused(400, str(exc)) from None
    on_it = []
    for name, title in FINDINGS:
        table = found.finding(name)
        if "project_id" in table.column_names:
            table = table.filter(pc.equal(table.column("project_id"), project_id))
            if table.num_rows:
                on_it.append({"title": title, **shown(table)})
    return {
        "project": rows[0],
        "sector": vocab.PROJECT_SECTOR.label(rows[0]["sector"]),
        "covered": _covered(rows[0], day),
        "workers": _people(scope, crew.to_pylist()),
        "findings": on_it,
    }


def _covered(project: dict[str, Any], day: date) -> bool:
    """Covered on ``day``: from the cover's first day to its last, both included
    (the checks' reading, work_injury/checks.py)."""
    start, end = project["insured_from"], project["insured_to"]
    return start is not None and start <= day and (end is None or day <= end)


def _people(scope: Scope, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Roster rows with the ID number masked and the person's page, if of the scope."""
    from doudi.registry.models import Person

    numbers = {r["person_id"] for r in rows}
    pages = dict(
        scope.people(Person.objects.filter(id_number__in=numbers)).values_list("id_number", "pk")
    )
    return [
        {**r, "id_number": idnumber.mask(r["person_id"]), "pk": pages.get(r["person_id"])}
        for r in rows
    ]


def of_person(scope: Scope, id_number: str, day: date) -> dict[str, list[dict[str, Any]]]:
    """A person's stints on the projects of the user's scope (with each project's cover)
    and their work-injury cases, on ``day``."""
    lists = current_tables(registry(), scope.region, day)
    workers, cases = lists["project_workers"], lists["cases"]
    stints = workers.filter(pc.equal(workers.column("person_id"), id_number)).to_pylist()
    # a project is its county's number (decision 0016: two counties may number alike)
    projects = {(p["county"], p["project_id"]): p for p in lists["projects"].to_pylist()}
    return {
        "projects": [
            {**s, "project": projects[key], "covered": _covered(projects[key], day)}
            for s in stints
            if (key := (s["county"], s["project_id"])) in projects
        ],
        "cases": [
            {**c, "recognition_label": vocab.INJURY_RECOGNITION.label(c["recognition"])}
            for c in cases.filter(pc.equal(cases.column("person_id"), id_number)).to_pylist()
        ],
    }
