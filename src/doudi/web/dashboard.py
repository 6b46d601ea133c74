"""The officers' dashboard: coverage of poor people per county, government amounts by
programme, payer and year, from the registry (the same readings as the comparison and
the plan: a status or an enrollment holding today, of the people alive today: no death
date, or one after today, as the plan and the withholding read the death roster,
docs/readings.md 24). Amounts: the current version of each plan lineage (``plan.lineage``,
decisions 0010 and 0012: the highest number of a jurisdiction, region, year and
programme), each programme apart: the medical subsidy is not the pension's government
part, and a province's payer paying both is shown twice; a person planned both in a
county's version and in their jurisdiction's (made before decision 0010 refused nested
plans) counts once per programme, by the county's (the most specific)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection

from doudi.comparison.findings import MEDICAL_SCHEMES, PENSION_SCHEMES
from doudi.comparison.staging import POOR_STATUSES
from doudi.core import regions, vocab
from doudi.plan import lineage, programmes
from doudi.web.roles import Scope


def _codes(codes: tuple[str, ...]) -> str:
    """Codes of the comparison (constants of the code) as an SQL list."""
    return ", ".join(f"'{c}'" for c in codes)


# Poor and insured as the comparison reads them: its four statuses (not the in-school
# or unable-to-work lists kept beside them, nor the statuses it does not count), and
# the pension or medical insurance, resident or employee.
_COVERAGE = f"""
WITH poor AS (
    SELECT DISTINCT s.person_id, substr(p.hukou_region, 1, 6) AS county
    FROM registry_status_period s JOIN registry_person p ON p.id = s.person_id
    WHERE p.hukou_region LIKE %s AND (p.death_date IS NULL OR p.death_date > %s)
      AND s.valid_from <= %s AND (s.valid_to IS NULL OR s.valid_to > %s)
      AND s.status IN ({_codes(POOR_STATUSES)})
),
insured AS (
    SELECT person_id,
           max(CASE WHEN scheme IN ({_codes(PENSION_SCHEMES)}) THEN 1 ELSE 0 END) AS pension,
           max(CASE WHEN scheme IN ({_codes(MEDICAL_SCHEMES)}) THEN 1 ELSE 0 END) AS medical
    FROM registry_enrollment
    WHERE valid_from <= %s AND (valid_to IS NULL OR valid_to > %s)
      AND person_id IN (SELECT person_id FROM poor)
    GROUP BY person_id
)
SELECT poor.county, count(*), coalesce(sum(i.pension), 0), coalesce(sum(i.medical), 0)
FROM poor LEFT JOIN insured i ON i.person_id = poor.person_id
GROUP BY poor.county ORDER BY poor.county
"""

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


def board(scope: Scope, today: date | None = None) -> dict[str, Any]:
    """The dashboard's figures and chart data for a scope (cached for five minutes)."""
    today = today or date.today()
    key = f"doudi-board:{scope.prefix}:{today.isoformat()}"
    found = cache.get(key)
    if found is not None:
        return dict(found)
    like = scope.prefix + "%"
    with connection.cursor() as cur:
        cur.execute(_COVERAGE, [like, today, today, today, today, today])
        counties = [
            {
                "code": code,
                "name": regions.region_name(code) or code,
                "poor": int(poor),
                "pension": int(pension),
                "medical": int(medical),
                "pension_rate": _rate(int(pension), int(poor)),
                "medical_rate": _rate(int(medical), int(poor)),
            }
            for code, poor, pension, medical in cur.fetchall()
        ]
        cur.execute(_AMOUNTS, [like])
        cent = Decimal("0.01")
        amounts = [
            (int(y), str(g), str(p), Decimal(str(a)).quantize(cent))
            for y, g, p, a in cur.fetchall()
        ]
    poor = sum(c["poor"] for c in counties)
    years = sorted({y for y, _, _, _ in amounts})
    by = {(y, g, p): a for y, g, p, a in amounts}
    shown = [
        (g, sorted({p for _, h, p, _ in amounts if h == g}))
        for g in programmes.ALL
        if any(h == g for _, h, _, _ in amounts)
    ]
    result = {
        "poor": poor,
        "pension_rate": _rate(sum(c["pension"] for c in counties), poor),
        "medical_rate": _rate(sum(c["medical"] for c in counties), poor),
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
