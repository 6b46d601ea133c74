"""The resident pension's insured region (参保地) against the hukou region (户籍地).

Residents enroll where their hukou is (GF-2014-8/4: 可以在户籍地参加城乡居民养老保险), so
``insured_region`` is the hukou region unless the person's enrollment says otherwise
(异地参保). Each of the five documents tells its own agencies and governments to pay
for the people they insure: a county of the jurisdiction other than the hukou county
changes nothing but which county's finance pays (Hebei's province-direct counties); an
insured county outside the jurisdiction is outside this jurisdiction's plan, because
the account and the collection belong to that other place's agency
(docs/readings.md 38).

The explanations and results read :func:`is_apart` of a result row, so the module
imports Ibis only where :func:`county` builds an expression: a process whose compiled
rules come from the disk does not import it (decision 0019).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ibis.expr.types as ir

#: The clause cited when the insured county lies outside the jurisdiction: the scheme
#: is joined at the hukou place (在户籍地参加), not wherever the person is insured.
INSURED_CLAUSE = "GF-2014-8/4"


def county(t: ir.Table) -> ir.StringValue:
    """The county whose agency holds the enrollment (its finance pays the county's
    part): the insured region, else the hukou region, to its first six digits (a list
    may give a village's 12-digit code, and the county lists are of counties)."""
    import ibis

    return ibis.coalesce(t.insured_region, t.hukou_region).substr(0, 6)


def apart(t: ir.Table) -> ir.BooleanValue:
    """Insured in another county than the hukou county (both known: nothing to
    compare otherwise, as the comparison reads 异地参保)."""
    insured, hukou = t.insured_region.substr(0, 6), t.hukou_region.substr(0, 6)
    return (insured != hukou).fill_null(False)


def outside(t: ir.Table, prefix: str) -> ir.BooleanValue:
    """Enrolled in the resident pension in a county apart from the hukou county and
    outside the jurisdiction (``prefix``: its hukou prefix; "" for the national
    defaults, which no county lies outside)."""
    beyond = ~t.insured_region.startswith(prefix).fill_null(True)
    return t.rp_enrolled & apart(t) & beyond


def is_apart(row: dict[str, Any]) -> bool:
    """:func:`apart` for one result row (explanations and results)."""
    insured, hukou = row.get("insured_region"), row.get("hukou_region")
    return bool(insured and hukou and insured[:6] != hukou[:6])
