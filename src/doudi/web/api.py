"""The REST API (django-ninja; OpenAPI at /api/docs): scenario evaluation, settlement,
person lookup, import (dry run and commit), plans, statistics. Token authentication
(``Authorization: Bearer dd_…``); the same region scope as the pages applies to
every endpoint that reads the registry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Body, File, Form, NinjaAPI, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.security import HttpBearer
from pydantic import Field

import doudi
from doudi.core import vocab
from doudi.engine.scenario import ScenarioError
from doudi.policy import jurisdictions
from doudi.registry.models import PlanVersion
from doudi.rosters.sources import IMPORTED
from doudi.web import (
    api_errors,
    audit,
    costing_jobs,
    dashboard,
    listing,
    people,
    reforms,
    tokens,
    work_injury,
    worker,
)
from doudi.web.calculator import BillRejected, settle_bill
from doudi.web.importing import UploadRejected, job_params
from doudi.web.models import Job
from doudi.web.roles import scope_of
from doudi.web.views import statistics as regional
from doudi.web.views.jobs import scoped_job
from doudi.web.views.people import scoped_person
from doudi.web.views.plans import _totals, scoped_version, versions


class Bearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = tokens.authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="兜底 Doudi API",
    version="1",
    description="社会保险扶贫经办系统接口：情景测算、医疗费用结算、人员查询、名单导入、缴费计划、统计。",
    auth=Bearer(),
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> Any:
    return api.create_response(request, api_errors.error(str(exc)), status=403)


@api.exception_handler(Http404)
def _missing(request: HttpRequest, exc: Http404) -> Any:
    return api.create_response(request, api_errors.error(str(exc)), status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> Any:
    """A field of the wrong kind: a Chinese 400, not pydantic's English 422."""
    return api.create_response(request, api_errors.invalid(exc.errors), status=400)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> Any:
    """ninja's own refusals (a body that is no JSON, a missing token) in Chinese."""
    body = api_errors.http_error(exc.status_code, str(exc))
    return api.create_response(request, body, status=exc.status_code)


class Problem(Schema):
    """Every error of the API (api_errors.error): the Chinese-first message, and the
    fields refused, if any."""

    error: str
    problems: list[str] = Field(default_factory=list)


@api.post("/evaluate", response={200: dict[str, Any], 400: Problem}, summary="情景测算")
def evaluate(request: HttpRequest, scenario: Body[dict[str, Any]]) -> Any:
    """Evaluate a scenario (docs/scenario.md): amounts, payers, clauses, explanations."""
    try:
        return doudi.evaluate(scenario)
    except (ScenarioError, jurisdictions.UnknownJurisdiction) as exc:
        return Status(400, api_errors.error(str(exc), problems=getattr(exc, "problems", [])))


class BillIn(Schema):
    jurisdiction: str
    bill: dict[str, Any]


@api.post("/settle", response={200: dict[str, Any], 400: Problem}, summary="医疗费用一站式结算")
def settle(request: HttpRequest, payload: BillIn) -> Any:
    scope_of(request.user).require("settle")
    try:
        return settle_bill(payload.jurisdiction, payload.bill)
    except BillRejected as exc:
        return Status(400, api_errors.error(str(exc), problems=exc.problems))
    except jurisdictions.UnknownJurisdiction as exc:
        return Status(400, api_errors.error(str(exc)))


@api.get(
    "/people",
    response={200: dict[str, Any], 400: Problem},
    summary="按身份证号或姓名查找人员（分页，每页50人）",
)
def search(request: HttpRequest, q: str, page: int = 1) -> Any:
    """Every person matching ``q`` in the user's region, a page at a time (the search
    page's order): the count says how many there are, not only the first page's."""
    from django.core.paginator import Paginator

    scope = scope_of(request.user)
    pages = Paginator(people.matching(scope, q), listing.PER_PAGE)
    if not 1 <= page <= pages.num_pages:
        return Status(400, api_errors.error(f"页码应为 1–{pages.num_pages}，实为 {page}"))
    found = [people.summary(p, unmasked=False) for p in pages.page(page)]
    return {"count": pages.count, "page": page, "pages": pages.num_pages, "people": found}


@api.get("/people/{pk}", summary="人员详情：身份、参保、缴费计划")
def person(request: HttpRequest, pk: int, unmask: bool = False) -> dict[str, Any]:
    scope = scope_of(request.user)
    found = scoped_person(scope, pk)
    if unmask:
        scope.require("unmask")
        audit.record(request, "unmask", "registry_person", found.pk, "接口查看完整身份证号")
    return {
        **people.summary(found, unmasked=unmask),
        **people.record(found),
    }


@api.get(
    "/people/{pk}/explanation",
    response={200: dict[str, Any], 400: Problem},
    summary="人员某年度的政策测算与解释",
)
def explanation(request: HttpRequest, pk: int, year: int) -> Any:
    scope = scope_of(request.user)
    person = scoped_person(scope, pk)
    try:
        return people.explain(person, year)
    except (ValueError, ScenarioError, jurisdictions.UnknownJurisdiction) as exc:
        return Status(400, api_errors.error(f"{year}年无法测算：{exc}"))


def _job(job: Job) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "state": job.state,
        "stage": job.stage_zh,
        "stage_en": job.stage_en,
        "progress": job.progress,
        "result": job.result,
        "error": job.error,
    }


@api.post(
    "/imports", response={200: dict[str, Any], 400: Problem}, summary="导入名单（试导入或确认导入）"
)
def import_roster(
    request: HttpRequest,
    source: Form[str],
    as_of: Form[date],
    file: File[UploadedFile],
    dry_run: Form[bool] = True,
    wait: Form[bool] = True,
    mode: Form[str] = "snapshot",
    region: Form[str | None] = None,
    confirm_closing: Form[bool] = False,
) -> Any:
    """Scan the file, then run the import as a job; ``wait`` answers when it ends.

    ``mode``: snapshot (全量快照) or addendum (增量名单); ``region``: the region a
    snapshot closes in, within the user's (default: the user's). A snapshot that closes
    more than the 快照关闭比例上限 or outside its region: the dry run's result says so
    (``needs_confirmation``, ``closing_warning``, ``closing``), and the import fails
    with that reason unless ``confirm_closing`` is true (nothing written)."""
    scope = scope_of(request.user)
    scope.require("import")
    try:
        params = job_params(
            file, source, as_of.isoformat(), scope.region, mode=mode, closing_region=region
        )
    except UploadRejected as exc:
        return Status(400, api_errors.error(str(exc)))
    if source in IMPORTED:
        params["confirm_closing"] = confirm_closing
    job = worker.submit("import", {**params, "dry_run": dry_run}, request.user, scope.region)
    if not dry_run:
        audit.record(request, "import", "registry_import_batch", None, f"接口导入 {file.name}")
    return _job(worker.wait(job) if wait else job)


@api.get("/jobs/{pk}", summary="任务状态")
def job(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _job(scoped_job(scope_of(request.user), pk))


class PlanIn(Schema):
    year: int
    wait: bool = True


@api.post(
    "/plans", response={200: dict[str, Any], 400: Problem}, summary="生成年度计划（各项目各一版本）"
)
def run_plan(request: HttpRequest, payload: PlanIn) -> Any:
    scope = scope_of(request.user)
    scope.require("plan")
    try:
        j = jurisdictions.resolve(scope.region)
    except jurisdictions.UnknownJurisdiction as exc:
        return Status(400, api_errors.error(str(exc)))
    params = {"jurisdiction": j.code, "year": payload.year, "region": scope.region}
    job = worker.submit("plan", params, request.user, scope.region)
    return _job(worker.wait(job, 600) if payload.wait else job)


class CostIn(Schema):
    reform: dict[str, Any]
    region: str | None = None
    year: int | None = None
    wait: bool = True


@api.post(
    "/costing",
    response={200: dict[str, Any], 400: Problem, 403: Problem},
    summary="政策测算（只读，不生成计划版本）",
)
def costing(request: HttpRequest, payload: CostIn) -> Any:
    """A reform (docs/costing.md: ``name``, ``baseline``, ``changes``) costed on the
    registered people of ``region`` (default the user's) as a job; ``wait`` answers
    when it ends. The reform is checked first (web/reforms.py, as the 政策测算 page
    checks it): a Chinese 400 listing its problems; a region outside the user's scope
    403. The job's result: the tables by payer, region, status group, the distribution,
    the warnings and the workbook's name (the page's download, /jobs/{id}/download/)."""
    scope = scope_of(request.user)
    try:
        params = reforms.job_params(scope, payload.reform, payload.region, payload.year)
    except reforms.Refused as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc)) from None
        return Status(400, api_errors.error(str(exc), problems=exc.problems))
    job = worker.submit("cost", params, request.user, scope.region)
    return _job(worker.wait(job, 600) if payload.wait else job)


@api.get(
    "/costing/{pk}/people",
    response={200: dict[str, Any], 400: Problem, 404: Problem},
    summary="政策测算的增减人员（分页）",
)
def costing_people(request: HttpRequest, pk: int, direction: str = "gain", page: int = 1) -> Any:
    """The people of a costing who gain (``gain``), lose (``lose``) or only owe
    differently (``owed``), largest change first, 50 a page, ID numbers masked."""
    from django.core.paginator import Paginator

    from doudi.web.stored_rows import ParquetRows

    scope = scope_of(request.user)
    scope.require("cost")
    found = scoped_job(scope, pk, "cost")
    if found.state != "done":
        raise Http404("测算结果尚未生成")
    if direction not in dict(costing_jobs.DIRECTIONS):
        choices = "、".join(dict(costing_jobs.DIRECTIONS))
        return Status(400, api_errors.error(f"direction 应为 {choices} 之一，实为 {direction!r}"))
    rows = ParquetRows(worker.work_dir(found) / costing_jobs.PEOPLE_FILE, {"direction": direction})
    pages = Paginator(rows, listing.PER_PAGE)
    if not 1 <= page <= pages.num_pages:
        return Status(400, api_errors.error(f"页码应为 1–{pages.num_pages}，实为 {page}"))
    people = [
        {k: str(v) if isinstance(v, Decimal) else v for k, v in row.items()}
        for row in pages.page(page)
    ]
    return {"count": pages.count, "page": page, "pages": pages.num_pages, "people": people}


@api.post(
    "/costing/{pk}/people/{person}",
    response={200: dict[str, Any], 404: Problem},
    summary="政策测算中某人的基准与测算对比（含解释）",
)
def costing_person(request: HttpRequest, pk: int, person: int, wait: bool = True) -> Any:
    """One listed person's baseline and reform side by side, with both explanations,
    as a job (the one asked for already, if any); ``wait`` answers when it ends."""
    scope = scope_of(request.user)
    scope.require("cost")
    job = costing_jobs.person_job(scoped_job(scope, pk, "cost"), person, request.user)
    return _job(worker.wait(job, 120) if wait else job)


def _version(v: PlanVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "jurisdiction": v.jurisdiction,
        "region": v.region,
        "year": v.year,
        "programme": v.programme,
        "programme_label": vocab.PROGRAMME.label(v.programme),
        "number": v.number,
        "people": v.people,
        "targets": v.targets,
        "gov_paid": str(v.gov_paid),
        "self_due": str(v.self_due),
        "created_by": v.created_by,
        "created_at": v.created_at.isoformat(),
    }


@api.get("/plans", summary="缴费计划版本")
def plans(request: HttpRequest) -> list[dict[str, Any]]:
    scope = scope_of(request.user)
    if not scope.may_see_plans():
        raise PermissionDenied("角色无权查看缴费计划 / not permitted")
    return [_version(v) for v in versions(scope)]


@api.get("/plans/{pk}", summary="缴费计划版本及付款方合计")
def plan(request: HttpRequest, pk: int) -> dict[str, Any]:
    v = scoped_version(scope_of(request.user), pk)
    totals = [{**t, "amount": str(t["amount"])} for t in _totals(v)]
    return {**_version(v), "totals": totals}


@api.get("/statistics", summary="参保覆盖率与各项目付款方金额统计")
def statistics(request: HttpRequest) -> dict[str, Any]:
    scope = scope_of(request.user)
    scope.require("dashboard")
    return dashboard.board(scope)


@api.get(
    "/statistics/regions",
    response={200: dict[str, Any], 400: Problem, 403: Problem},
    summary="分地区统计：贫困人员参保情况、各项目金额、工伤保险、定期统计",
)
def region_statistics(request: HttpRequest, year: int, region: str = "", as_of: str = "") -> Any:
    scope = scope_of(request.user)
    try:
        found = regional.run(scope, region, str(year), as_of)
    except regional.Refused as exc:
        return Status(exc.status, api_errors.error(str(exc)))
    return regional.as_json(found, scope)


@api.get(
    "/work-injury/findings",
    response={200: dict[str, Any], 400: Problem, 403: Problem},
    summary="工伤保险扶贫核查：先开工后参保、无工伤保险的贫困劳动力、先行支付等名单",
)
def work_injury_findings(request: HttpRequest, region: str = "", as_of: str = "") -> Any:
    """Every list of the work-injury checks of ``region`` (default: the user's) on
    ``as_of`` (default: today), ID numbers masked (docs/work_injury.md)."""
    scope = scope_of(request.user)
    try:
        found = work_injury.run(scope, region, as_of)
    except work_injury.Refused as exc:
        return Status(exc.status, api_errors.error(str(exc)))
    return work_injury.as_json(found, region or scope.region)
