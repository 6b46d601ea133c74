"""The year's plan: run it for the user's region (a job), see a version's totals,
download its ledger and (Chongqing, the pension) its bank-withholding file; finance's
payer totals.

Only current versions count (decision 0010): the finance page shows each lineage's
current version; the version list keeps the older ones, marked as replaced. Each
programme is a lineage of its own (decision 0012): its versions are numbered, replaced
and totalled apart, and a page names a version's programme in its own words
(``plan.programmes``), since the pension's government part and the medical subsidy are
handed to finance by different offices."""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow as pa
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from doudi.collection.cycle import SCHEME as WITHHELD_PROGRAMME
from doudi.core import vocab
from doudi.core.money import ZERO, yuan
from doudi.plan import lineage, programmes
from doudi.policy import jurisdictions
from doudi.registry.models import Contribution, PlanVersion
from doudi.web import audit, job_rows, listing, worker
from doudi.web.models import Job
from doudi.web.roles import Scope, scope_of
from doudi.web.views.jobs import scoped_job


def versions(scope: Scope) -> list[PlanVersion]:
    """Plan versions whose region lies in the scope."""
    return list(
        PlanVersion.objects.filter(region__startswith=scope.prefix).order_by("-year", "-number")
    )


def current(scope: Scope) -> list[PlanVersion]:
    """The current version of each lineage in the scope: what money totals count."""
    found = versions(scope)
    top = lineage.current_numbers(found)
    return [v for v in found if v.number == top[lineage.key(v)]]


def listed(scope: Scope) -> list[dict[str, Any]]:
    """Every version in the scope with its programme's label, an older one with the
    number that replaced it in its own programme's lineage."""
    found = versions(scope)
    top = lineage.current_numbers(found)
    return [
        {
            "v": v,
            "programme": vocab.PROGRAMME.label(v.programme),
            "replaced_by": top[lineage.key(v)] if v.number < top[lineage.key(v)] else None,
        }
        for v in found
    ]


def scoped_version(scope: Scope, pk: int) -> PlanVersion:
    if not scope.may_see_plans():
        raise PermissionDenied("角色无权查看缴费计划 / not permitted")
    try:
        v = PlanVersion.objects.get(pk=pk)
    except PlanVersion.DoesNotExist:
        raise Http404("没有该计划版本") from None
    if not scope.covers(v.region):
        raise Http404("没有该计划版本")
    return v


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if not scope.may_see_plans():
        raise PermissionDenied("角色无权查看缴费计划 / not permitted")
    error = None
    if request.method == "POST":
        scope.require("plan")
        try:
            year = int(request.POST.get("year", ""))
            j = jurisdictions.resolve(scope.region if scope.region != "000000" else "")
        except (ValueError, jurisdictions.UnknownJurisdiction) as exc:
            error = f"无法生成计划：{exc}"
        else:
            submitted = worker.submit(
                "plan",
                {"jurisdiction": j.code, "year": year, "region": scope.region},
                request.user,
                scope.region,
            )
            return redirect(f"/plans/?job={submitted.pk}")
    job: Job | None = None
    if request.GET.get("job", "").isdigit():
        job = scoped_job(scope, int(request.GET["job"]), "plan")
    context: dict[str, Any] = {
        "job": job,
        "error": error,
        "year": date.today().year,
        "programmes": list(vocab.PROGRAMME.items()),
        "get": request.GET,
    }
    try:
        found, _ = _filtered(request, scope)
    except listing.BadFilter as exc:
        context["filter_error"] = str(exc)
        return render(request, "web/plans.html", context, status=400)
    context["listing"] = listing.paginate(request, found, export=reverse("plans_export"))
    return render(request, "web/plans.html", context)


def _filtered(
    request: HttpRequest, scope: Scope
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """The scope's versions (:func:`listed`) of the year and programme the query string
    asks for, and those filters as (label, value); :class:`listing.BadFilter` for a year
    that is none. Filtering after the listing keeps each lineage whole: a version is
    marked replaced by the versions of its own year and programme."""
    year = listing.year(request, "year", "年度")
    programme = request.GET.get("programme", "")
    programme = programme if programme in vocab.PROGRAMME else ""
    found = [
        row
        for row in listed(scope)
        if (year is None or row["v"].year == year)
        and (not programme or row["v"].programme == programme)
    ]
    shown = [
        ("年度", str(year or "")),
        ("项目", vocab.PROGRAMME.label(programme) if programme else ""),
    ]
    return found, shown


#: The version list's export: its columns, the amounts as money.
COLUMNS = (
    listing.Column("pk", "版本", pa.int64()),
    listing.Column("number", "第几版", pa.int64()),
    listing.Column("programme", "项目"),
    listing.Column("year", "年度", pa.int64()),
    listing.Column("jurisdiction", "统筹地区"),
    listing.Column("region", "范围"),
    listing.Column("people", "人数", pa.int64()),
    listing.Column("targets", "代缴或资助对象", pa.int64()),
    listing.Column("gov_paid", "政府承担合计", pa.decimal128(18, 2)),
    listing.Column("self_due", "个人应缴合计", pa.decimal128(18, 2)),
    listing.Column("created_by", "生成人"),
    listing.Column("current", "是否当前版本"),
)


def _exported(row: dict[str, Any]) -> dict[str, Any]:
    v = row["v"]
    replaced = row["replaced_by"]
    return {
        "pk": v.pk,
        "number": v.number,
        "programme": row["programme"],
        "year": v.year,
        "jurisdiction": v.jurisdiction,
        "region": v.region,
        "people": v.people,
        "targets": v.targets,
        "gov_paid": yuan(v.gov_paid),
        "self_due": yuan(v.self_due),
        "created_by": v.created_by,
        "current": f"已被第 {replaced} 版取代" if replaced else "当前版本",
    }


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The versions the filters show, every page of them, as an Excel sheet."""
    scope = scope_of(request.user)
    if not scope.may_see_plans():
        raise PermissionDenied("角色无权查看缴费计划 / not permitted")
    try:
        found, shown = _filtered(request, scope)
    except listing.BadFilter as exc:
        return listing.refused(request, "无法导出", str(exc))
    return listing.export(
        request,
        what="缴费计划版本",
        count=len(found),
        make=lambda: listing.sheet("缴费计划版本", COLUMNS, map(_exported, found)),
        table="registry_plan_version",
        shown=shown,
    )


def _totals(version: PlanVersion) -> list[dict[str, object]]:
    """Each payer's total of the version, to the fen (SQLite's sum drops the scale: 660)."""
    rows = (
        Contribution.objects.filter(plan_version=version)
        .values("payer")
        .annotate(amount=Sum("amount"), people=Count("person", distinct=True))
        .order_by("payer")
    )
    return [
        {
            "payer": r["payer"],
            "label": vocab.PAYER.label(r["payer"]),
            "amount": yuan(r["amount"]),
            "people": r["people"],
        }
        for r in rows
    ]


def withholdable(v: PlanVersion) -> bool:
    """Whether the bank-withholding cycle applies: Chongqing's documents have one, for
    the pension's own part only (collection.targets refuses a medical version)."""
    return v.jurisdiction == "500000" and v.programme == WITHHELD_PROGRAMME


def _page(
    request: HttpRequest,
    v: PlanVersion,
    job: Job | None,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """A version's page, also when a request about it is refused: the refusal is read
    beside the totals it concerns."""
    totals = _totals(v)
    chart = {
        "labels": [t["label"] for t in totals if t["payer"] != "self"],
        "values": [str(t["amount"]) for t in totals if t["payer"] != "self"],
    }
    context = {
        "v": v,
        "words": programmes.get(v.programme),
        "withholdable": withholdable(v),
        "totals": totals,
        "chart": chart,
        "job": job,
        "error": error,
    }
    if job is not None and job.kind == "withhold" and job.state == "done":
        # the people the bank file leaves out, every one of them a page at a time
        left_out = job_rows.rows(scope_of(request.user), job, "left_out")
        export = reverse("job_rows_export", args=[job.pk, "left_out"])
        context["left_out"] = listing.paginate(request, left_out, export=export)
    return render(request, "web/plan.html", context, status=status)


@login_required
def detail(request: HttpRequest, version: int) -> HttpResponse:
    """A version's totals; the ledger and (Chongqing) the bank file are made by jobs."""
    scope = scope_of(request.user)
    v = scoped_version(scope, version)
    job: Job | None = None
    if request.GET.get("job", "").isdigit():
        job = scoped_job(scope, int(request.GET["job"]))
        if job.kind not in ("ledger", "withhold") or job.params.get("version") != v.pk:
            raise Http404("没有该任务")
    return _page(request, v, job)


@login_required
@require_POST
def ledger(request: HttpRequest, version: int) -> HttpResponse:
    scope = scope_of(request.user)
    scope.require("plan")
    v = scoped_version(scope, version)
    params = {
        "version": v.pk,
        "region": v.region,
        "year": v.year,
        "number": v.number,
        "programme": v.programme,
    }
    job = worker.submit("ledger", params, request.user, scope.region)
    return redirect(f"/plans/{v.pk}/?job={job.pk}")


@login_required
@require_POST
def withhold(request: HttpRequest, version: int) -> HttpResponse:
    scope = scope_of(request.user)
    scope.require("plan")
    v = scoped_version(scope, version)
    if v.programme != WITHHELD_PROGRAMME:
        refusal = (
            f"计划版本 #{v.pk} 是{vocab.PROGRAMME.label(v.programme)}计划，银行代扣文件只适用于"
            f"{vocab.PROGRAMME.label(WITHHELD_PROGRAMME)}计划，未生成代扣文件。"
            " / the withholding file is for resident-pension plans only"
        )
        return _page(request, v, None, error=refusal, status=400)
    region = scope.region if len(scope.prefix) == 6 else v.region
    job = worker.submit("withhold", {"version": v.pk, "region": region}, request.user, scope.region)
    audit.record(
        request, "withhold", "registry_plan_version", v.pk, f"生成代扣文件（任务 {job.pk}）"
    )
    return redirect(f"/plans/{v.pk}/?job={job.pk}")


def by_programme(found: list[PlanVersion]) -> list[dict[str, object]]:
    """Per year and programme, each payer's total over ``found`` (the current versions),
    the newest year first and the programmes in the order a run reports them: the
    pension's government part and the medical subsidy are handed to finance apart
    (decision 0012), and a year's plan apart from the next, so none is added to another."""
    rows = list(
        Contribution.objects.filter(plan_version__in=[v.pk for v in found])
        .values("plan_version__year", "plan_version__programme", "payer")
        .annotate(amount=Sum("amount"), people=Count("person", distinct=True))
        .order_by("-plan_version__year", "payer")
    )
    out: list[dict[str, object]] = []
    for year in sorted({r["plan_version__year"] for r in rows}, reverse=True):
        for code, words in programmes.ALL.items():
            mine = [
                r
                for r in rows
                if r["plan_version__year"] == year and r["plan_version__programme"] == code
            ]
            if not mine:
                continue
            payers = [
                {
                    "payer": r["payer"],
                    "label": vocab.PAYER.label(r["payer"]),
                    "amount": yuan(r["amount"]),
                    "people": r["people"],
                }
                for r in mine
            ]
            gov = sum((yuan(r["amount"]) for r in mine if r["payer"] != "self"), ZERO)
            out.append(
                {"year": year, "programme": code, "words": words, "payers": payers, "gov_paid": gov}
            )
    return out


@login_required
def finance(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    scope.require("finance")
    found = current(scope)
    rows = [{"v": v, "words": programmes.get(v.programme), "totals": _totals(v)} for v in found]
    return render(request, "web/finance.html", {"rows": rows, "programmes": by_programme(found)})
