"""URLs of the web application and its REST API (/api/, OpenAPI at /api/docs)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from doudi.web.api import api
from doudi.web.views import (
    audit,
    compare,
    costing,
    errors,
    home,
    imports,
    jobs,
    people,
    plans,
    policy,
    settle,
    statistics,
    work_injury,
)

#: Django's own 500 page knows no language; ours shows English only to who chose it.
handler500 = errors.server_error

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("people/", people.search, name="search"),
    path("people/export/", people.export, name="search_export"),
    path("people/<int:pk>/", people.detail, name="person"),
    path("people/<int:pk>/unmask/", people.unmask, name="unmask"),
    path("people/<int:pk>/explanation/", people.explanation, name="explanation"),
    path("imports/", imports.upload, name="imports"),
    path("imports/export/", imports.export, name="imports_export"),
    path("imports/<int:job>/", imports.preview, name="import_preview"),
    path("compare/", compare.index, name="compare"),
    path("compare/<int:job>/", compare.result, name="compare_result"),
    path("compare/<int:job>/download/", compare.download, name="compare_download"),
    path("compare/<int:job>/export/", compare.export, name="compare_export"),
    path("plans/", plans.index, name="plans"),
    path("plans/export/", plans.export, name="plans_export"),
    path("plans/<int:version>/", plans.detail, name="plan"),
    path("plans/<int:version>/ledger/", plans.ledger, name="plan_ledger"),
    path("plans/<int:version>/withhold/", plans.withhold, name="plan_withhold"),
    path("jobs/<int:job>/", jobs.status, name="job"),
    path("jobs/<int:job>/download/", jobs.download, name="job_download"),
    path("jobs/<int:job>/rows/<str:name>/export/", jobs.rows_export, name="job_rows_export"),
    path("settle/", settle.calculator, name="settle"),
    path("policy/", policy.index, name="policy"),
    path("policy/clause/<path:clause_id>", policy.clause, name="clause"),
    path("policy/<str:code>/", policy.jurisdiction, name="jurisdiction"),
    path("finance/", plans.finance, name="finance"),
    path("statistics/", statistics.index, name="statistics"),
    path("statistics/download/", statistics.download, name="statistics_download"),
    path("work-injury/", work_injury.index, name="work_injury"),
    path("work-injury/download/", work_injury.download, name="work_injury_download"),
    path(
        "work-injury/projects/<str:county>/<path:project_id>",
        work_injury.project,
        name="work_injury_project",
    ),
    path("people/<int:pk>/work-injury/", work_injury.person, name="person_work_injury"),
    path("costing/", costing.index, name="costing"),
    path("costing/<int:job>/", costing.result, name="costing_result"),
    path("costing/<int:job>/people/<int:person_id>/", costing.person, name="costing_person"),
    path("audit/", audit.log, name="audit"),
    path("audit/export/", audit.export, name="audit_export"),
    path("api/", api.urls),
]
