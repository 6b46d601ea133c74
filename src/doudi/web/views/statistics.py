"""分地区统计: the statistics of the user's region (or a region under it) for a year —
the poor and their insurance per line, the current plan versions' amounts per
programme and payer, the work-injury line (issue #21 §3: projects, poor workers,
advance payments), the month ends (SD-2017-37/3.5) — and its workbook, so that the
page, the API, ``doudi statistics`` and the workbook show the same tables.

A region outside the user's scope is refused in Chinese (403), whatever is typed into
the address; a bad year, day or region code is a Chinese 400 on the same page. The
registry is read through Django's connection (decision 0007), for a county's or a
city's people."""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from doudi.plan import programmes
from doudi.statistics.amounts import trace
from doudi.statistics.labels import amount_headers, headers
from doudi.statistics.report import WORK_INJURY_NOTE, Statistics, StatisticsError, statistics
from doudi.statistics.workbook import statistics_workbook, title
from doudi.store.db import DjangoReader
from doudi.web.roles import Scope, scope_of


class Refused(Exception):
    """A request the statistics do not answer: ``status`` and a Chinese message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def run(scope: Scope, region: str, year: str, as_of: str) -> Statistics:
    """The statistics a user asked for, in their scope; raises :class:`Refused`."""
    scope.require("dashboard")
    region = (region or scope.region).strip()
    if not scope.covers(region):
        raise Refused(
            403,
            f"统计地区 {region} 不在您的管辖区划 {scope.region_name}（{scope.region}）内"
            " / outside your region",
        )
    try:
        wanted = int(year) if year else date.today().year
    except ValueError:
        raise Refused(400, f"年度应为整数，实为 {year!r} / invalid year") from None
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise Refused(400, f"统计日期应为 YYYY-MM-DD 格式，实为 {as_of!r} / invalid date") from None
    try:
        return statistics(DjangoReader(), region, wanted, day)
    except StatisticsError as exc:
        raise Refused(400, str(exc)) from None


def as_json(stats: Statistics, scope: Scope) -> dict[str, Any]:
    """The statistics for the API: every table as rows (money and rates as text); a
    version of a region wider than the scope without its own totals (amounts.trace);
    ``work_injury``: the tables :mod:`doudi.statistics.work_injury` counts."""

    def rows(table: Any) -> list[dict[str, Any]]:
        return [{k: _plain(v) for k, v in r.items()} for r in table.to_pylist()]

    return {
        "region": stats.region,
        "region_name": stats.region_name,
        "year": stats.year,
        "as_of": stats.as_of.isoformat(),
        "coverage": rows(stats.coverage),
        "programmes": [
            {
                "programme": p.code,
                "label": programmes.get(p.code).label_zh(),
                "payers": list(p.payers),
                "by_region": rows(p.by_region) if p.by_region is not None else [],
            }
            for p in stats.programmes
        ],
        "versions": rows(trace(stats.programmes, stats.year, scope.covers)),
        "work_injury": {
            "projects": rows(stats.work_injury.projects),
            "workers": rows(stats.work_injury.workers),
            "advances": rows(stats.work_injury.advances),
        },
        "series": rows(stats.series),
        "notes": [WORK_INJURY_NOTE],
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)  # Decimal, date


def _params(request: HttpRequest) -> tuple[str, str, str]:
    get = request.GET
    return get.get("region", ""), get.get("year", ""), get.get("as_of", "")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    region, year, as_of = _params(request)
    context: dict[str, Any] = {"region": region or scope.region, "year": year, "as_of": as_of}
    try:
        stats = run(scope, region, year, as_of)
    except Refused as exc:
        context["error"] = str(exc)
        return render(request, "web/statistics.html", context, status=exc.status)
    context.update(
        stats=stats,
        title=title(stats),
        year=stats.year,
        as_of=stats.as_of.isoformat(),
        coverage=_table(stats.coverage),
        amounts=[
            {
                "label": programmes.get(p.code).label_zh(),
                **_table(p.by_region, amount_headers(p.code, p.by_region.column_names)),
            }
            for p in stats.programmes
            if p.by_region is not None
        ],
        versions=_table(trace(stats.programmes, stats.year, scope.covers)),
        work_injury={
            "projects": _table(stats.work_injury.projects),
            "workers": _table(stats.work_injury.workers),
            "advances": _table(stats.work_injury.advances),
        },
        series=_table(stats.series),
        work_injury_note=WORK_INJURY_NOTE,
    )
    return render(request, "web/statistics.html", context)


def _table(table: Any, shown: list[str] | None = None) -> dict[str, Any]:
    return {
        "headers": shown or headers(table.column_names),
        "rows": [[_plain(v) for v in r.values()] for r in table.to_pylist()],
    }


@login_required
def download(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    try:
        stats = run(scope, *_params(request))
    except Refused as exc:
        return render(request, "web/statistics.html", {"error": str(exc)}, status=exc.status)
    name = f"{title(stats)}.xlsx"
    with tempfile.TemporaryDirectory(prefix="doudi-statistics-") as directory:
        path = Path(directory) / "statistics.xlsx"
        statistics_workbook(stats, path, scope.covers)
        content = path.read_bytes()
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name)
