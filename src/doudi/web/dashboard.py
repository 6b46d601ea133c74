"""The officers' dashboard: coverage of poor people per county, government amounts by
programme, payer and year, from the registry. Coverage: the statistics' own table
(:mod:`doudi.statistics.coverage`, the comparison's reading: each line counts the
people its government payment targets, decision 0015; alive today, docs/readings.md
24), so that the dashboard, the statistics and the comparison show one count.
Amounts: the current version of each plan lineage (``plan.lineage``, decisions 0010
and 0012: the highest number of a jurisdiction, region, year and programme), each
programme apart: the medical subsidy is not the pension's government part, and a
province's payer paying both is shown twice; a person planned both in a county's
version and in their jurisdiction's (made before decision 0010 refused nested plans)
counts once per programme, by the county's (the most specific)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection

from doudi.comparison.counting import NoTargets
from doudi.core import regions, vocab
from doudi.plan import lineage, programmes
from doudi.statistics import coverage as coverage_of
from doudi.statistics.report import coverage_tables
from doudi.statistics.tree import Region
from doudi.store import db
from doudi.store.db import DjangoReader
from doudi.web.roles import Scope

_AMOUNTS = f"""
WITH latest AS ({lineage.CURRENT_VERSION_IDS}),
parts AS (
    SELECT v.year, v.programme, c.payer, c.amount,
           row_number() OVER (
               PARTITION BY c.person_id, v.year, v.programme, c.payer
               ORDER BY length(v.region) DESC, v.id DESC
           ) AS pick
    FROM registry_contribution c
    JOIN registry_plan_version v ON v.id = c.plan_version_id
    JOIN registry_person p ON p.id = c.person_id
    WHERE p.hukou_region LIKE %s AND v.id IN (SELECT id FROM latest) AND c.payer <> 'self'
)
SELECT year, programme, payer, sum(amount) FROM parts WHERE pick = 1
GROUP BY year, programme, payer ORDER BY year, programme, payer
"""


def _rate(part: int, whole: int) -> str:
    return f"{Decimal(100 * part) / Decimal(whole):.2f}" if whole else "0.00"


def _programme(
    code: str, payers: list[str], years: list[int], by: dict[tuple[int, str, str], Decimal]
) -> dict[str, Any]:
    """A programme's government amounts over the years, by payer, and their total
    (named in the programme's words: 政府代缴合计, 财政资助合计)."""
    totals = {p: sum((by.get((y, code, p), Decimal(0)) for y in years), Decimal(0)) for p in payers}
    return {
        "programme": code,
        "label": vocab.PROGRAMME.label(code),
        "total_label": programmes.get(code).gov_zh,
        "total": str(sum(totals.values(), Decimal("0.00"))),
        "payers": [
            {"payer": p, "label": vocab.PAYER.label(p), "amount": str(totals[p])} for p in payers
        ],
    }


def county_coverage(reader: db.Reader, scope: Scope, today: date) -> list[dict[str, Any]]:
    """The county rows of the statistics' coverage of the scope's region on ``today``
    (a county's scope: its own row), counties without a counted person left out."""
    found = regions.get(scope.region)
    level = found.level if found is not None and found.level in ("city", "county") else "province"
    place = Region(code=scope.region, name=scope.region_name, level=level, prefix=scope.prefix)
    try:
        table = coverage_of.coverage(coverage_tables(reader, place), today, place)
    except NoTargets:  # before the documents: nobody is a target, no county to show
        return []
    county = vocab.REGION_LEVEL["county"]
    return [
        r for r in table.to_pylist() if r["level"] == county and r["township"] is None and r["poor"]
    ]


def board(scope: Scope, today: date | None = None) -> dict[str, Any]:
    """The dashboard's figures and chart data for a scope (cached for five minutes)."""
    today = today or date.today()
    key = f"doudi-board:{scope.prefix}:{today.isoformat()}"
    found = cache.get(key)
    if found is not None:
        return dict(found)
    like = scope.prefix + "%"
    counties = [
        {
            "code": r["region_code"],
            "name": regions.region_name(r["region_code"]) or r["region_code"],
            "poor": r["poor"],
            "pension_poor": r["pension_poor"],
            "pension": r["pension_enrolled"],
            "medical_poor": r["medical_poor"],
            "medical": r["medical_enrolled"],
            "pension_rate": _rate(r["pension_enrolled"], r["pension_poor"]),
            "medical_rate": _rate(r["medical_enrolled"], r["medical_poor"]),
        }
        for r in county_coverage(DjangoReader(), scope, today)
    ]
    with connection.cursor() as cur:
        cur.execute(_AMOUNTS, [like])
        cent = Decimal("0.01")
        amounts = [
            (int(y), str(g), str(p), Decimal(str(a)).quantize(cent))
            for y, g, p, a in cur.fetchall()
        ]
    poor = sum(c["poor"] for c in counties)
    pension_poor = sum(c["pension_poor"] for c in counties)
    medical_poor = sum(c["medical_poor"] for c in counties)
    years = sorted({y for y, _, _, _ in amounts})
    by = {(y, g, p): a for y, g, p, a in amounts}
    shown = [
        (g, sorted({p for _, h, p, _ in amounts if h == g}))
        for g in programmes.ALL
        if any(h == g for _, h, _, _ in amounts)
    ]
    result = {
        "poor": poor,
        "pension_poor": pension_poor,
        "medical_poor": medical_poor,
        "pension_rate": _rate(sum(c["pension"] for c in counties), pension_poor),
        "medical_rate": _rate(sum(c["medical"] for c in counties), medical_poor),
        "counties": counties,
        "programmes": [_programme(g, payers, years, by) for g, payers in shown],
        "chart": {
            "counties": [c["name"] for c in counties],
            "pension_rate": [float(c["pension_rate"]) for c in counties],
            "medical_rate": [float(c["medical_rate"]) for c in counties],
            "years": [str(y) for y in years],
            # a stack per programme: a payer paying both is two bars, never one sum
            "series": [
                {
                    "name": f"{vocab.PROGRAMME.label(g)}·{vocab.PAYER.label(p)}",
                    "stack": g,
                    "data": [str(by.get((y, g, p), Decimal("0.00"))) for y in years],
                }
                for g, payers in shown
                for p in payers
            ],
        },
    }
    cache.set(key, result, 300)
    return result
