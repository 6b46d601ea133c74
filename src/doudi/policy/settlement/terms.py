"""Each bill's own terms: which deductible, rate and cap each layer applies to it.

Numbers the documents give carry their clause (Jiangxi's waived deductible and
100/400-yuan standard, 90/80/60% basic rates, 100,000 cap, critical-illness
rates and halved deductible; Shandong's halved deductible, +5 points and
500,000 cap). Base deductibles, rates and segments are local config. Poor
persons for Jiangxi's improvements are tekun, dibao and registered poor
(JX-2017-58/2.2.4, /2.2.5); the halved deductibles are for registered poor.

Terms are built as expressions and only the ones that differ between bills
become columns (:func:`as_terms`): a value the same for every bill stays out of
the table, so that the yearly accumulation's window sorts do not carry it
(docs/decisions/0005). The steps here therefore take and return terms, not tables.
Parameters are read in a fixed order: the order results list local-config
values in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

import ibis
import ibis.expr.types as ir

from doudi.policy.expr import money, ratio, to_money
from doudi.policy.params import Params


def by_level(t: ir.Table, table: Mapping[str, Decimal], kind: str) -> ir.DecimalValue:
    """A per-hospital-level value as a column (null where the level is not listed)."""
    make = money if kind == "money" else ratio
    return ibis.cases(
        *[(t.hospital_level == level, make(v)) for level, v in table.items()],
        else_=ibis.null("decimal(18, 2)" if kind == "money" else "decimal(18, 4)"),
    )


@dataclass(frozen=True)
class LayerTerms:
    """What the accumulation needs of a layer besides the amounts: each term a
    column of the bills (by name) or one value for every bill, which stays out of
    the table so that the window sorts do not carry it. ``cap_varies``: the cap
    can change within a person's year (it depends on a status at discharge).
    """

    rates: tuple[str | ir.Value, ...]
    cap: str | ir.Value
    cap_varies: bool
    deductible: str | ir.Value | None = None
    cap_values: tuple[Decimal, ...] = ()  # every value a varying cap can take


def as_terms(t: ir.Table, **terms: ir.Value) -> tuple[ir.Table, dict[str, str | ir.Value]]:
    """Add the terms that differ between bills as columns ``_<name>``; keep the rest."""
    columns = {f"_{k}": v for k, v in terms.items() if not isinstance(v, ir.Scalar)}
    refs = {k: f"_{k}" if f"_{k}" in columns else v for k, v in terms.items()}
    return t.mutate(**columns), refs


def claim_of(t: ir.Table) -> ir.StringValue:
    """The bill's claim type; a bill that names none is an inpatient stay."""
    return t.claim_type.fill_null("inpatient")


@dataclass(frozen=True)
class BasicTerms:
    """A bill's basic-layer terms as expressions, before any becomes a column.

    ``base``: the amount the rate applies to; ``standard``: what the
    critical-illness fund pays first (Jiangxi's 100/400 yuan); ``major``: a
    major-disease quota bill; ``chronic_caps``: the yearly cap per chronic
    outpatient class; ``cap_varies``: the cap depends on a status at discharge.
    """

    base: ir.DecimalValue
    deductible: ir.DecimalValue
    rate: ir.DecimalValue
    cap: ir.DecimalValue
    chronic_rate: ir.DecimalValue
    chronic_caps: Mapping[str, ir.DecimalValue]
    standard: ir.DecimalValue
    major: ir.BooleanValue
    cap_varies: bool = False


def national_basic(t: ir.Table, p: Params) -> BasicTerms:
    """Basic medical insurance as configured: a per-admission deductible and a rate
    by hospital level, a yearly cap; chronic outpatient rates and a yearly cap per
    class."""
    g = p.get
    return BasicTerms(
        base=t.in_policy_cost,
        deductible=by_level(t, g("medical_settlement.basic_deductible"), "money").fill_null(0),
        rate=by_level(t, g("medical_settlement.basic_rate"), "ratio").fill_null(0),
        cap=money(g("medical_settlement.basic_annual_cap")),
        chronic_rate=by_level(t, g("medical_settlement.chronic_rate"), "ratio").fill_null(0),
        chronic_caps={k: money(v) for k, v in g("medical_settlement.chronic_annual_cap").items()},
        standard=money(0),
        major=ibis.literal(False),
    )


def jx_poor_basic(t: ir.Table, p: Params, b: BasicTerms) -> BasicTerms:
    """JX-2017-58/2.2.4: tekun, dibao and registered poor at level-1/2 hospitals
    bear no deductible; the critical-illness fund pays the 100/400-yuan standard
    itself (or the whole in-policy cost if lower), and the basic layer pays its
    rate on the rest (docs/settlement.md). JX-2017-58/2.2.5: their own rates and
    yearly cap, for chronic outpatient claims per class too; the cap depends on
    the statuses at discharge, so it can change within a person's year.
    """
    g = p.get
    chronic = claim_of(t).isin(["chronic_1", "chronic_2"])
    waived = by_level(t, g("medical_settlement.poor_ci_standard"), "money")
    is_waived = t._poor & waived.notnull() & ~chronic
    poor_rate = by_level(t, g("medical_settlement.poor_basic_rate"), "ratio")
    rate = ibis.ifelse(t._poor & poor_rate.notnull(), poor_rate, b.rate)
    cap = ibis.ifelse(t._poor, money(g("medical_settlement.poor_basic_annual_cap")), b.cap)
    poor_chronic = by_level(t, g("medical_settlement.poor_chronic_rate"), "ratio")
    poor_caps = g("medical_settlement.poor_chronic_annual_cap")
    return replace(
        b,
        standard=ibis.ifelse(is_waived, waived, money(0)),
        deductible=ibis.ifelse(is_waived, money(0), b.deductible),
        rate=rate,
        cap=cap,
        chronic_rate=ibis.ifelse(t._poor & poor_chronic.notnull(), poor_chronic, b.chronic_rate),
        chronic_caps={
            k: ibis.ifelse(t._poor, money(v), b.chronic_caps[k]) for k, v in poor_caps.items()
        },
        cap_varies=True,
    )


def jx_major_diseases(t: ir.Table, p: Params, b: BasicTerms) -> BasicTerms:
    """JX-2017-58/2.2.6: the 15 major diseases of poor persons' inpatient stays are
    paid at 80%/70% of the per-disease quota, critical illness included: no
    deductible, no standard, the quota (or the lower cost) as the base."""
    g = p.get
    quota = ibis.cases(
        *[
            (t.disease == d, money(q))
            for d, q in g("medical_settlement.major_disease_quota").items()
        ],
        else_=ibis.null("decimal(18, 2)"),
    )
    major_rate = by_level(t, g("medical_settlement.major_disease_rate"), "ratio")
    major = t._poor & quota.notnull() & major_rate.notnull() & (claim_of(t) == "inpatient")
    return replace(
        b,
        rate=ibis.ifelse(major, major_rate, b.rate),
        base=ibis.ifelse(major, ibis.least(t.in_policy_cost, quota), b.base),
        deductible=ibis.ifelse(major, money(0), b.deductible),
        standard=ibis.ifelse(major, money(0), b.standard),
        major=major,
    )


#: A document's own basic-layer terms for poor persons, applied in order.
POOR_BASIC: dict[str, tuple[Callable[[ir.Table, Params, BasicTerms], BasicTerms], ...]] = {
    "JX-2017-58": (jx_poor_basic, jx_major_diseases),
}


def by_claim_type(t: ir.Table, p: Params, b: BasicTerms) -> BasicTerms:
    """Chronic outpatient claims have their own rate and a yearly cap per class
    and no deductible; where a fixed childbirth amount is configured (HE-2018-3/2.2.3),
    a normal childbirth is paid that amount in full."""
    claim = claim_of(t)
    chronic = claim.isin(["chronic_1", "chronic_2"])
    cap = ibis.cases(*[(claim == k, v) for k, v in b.chronic_caps.items()], else_=b.cap)
    rate = ibis.ifelse(chronic, b.chronic_rate, b.rate)
    deductible = ibis.ifelse(chronic, money(0), b.deductible)
    base = b.base
    fixed_birth = p.get("medical_settlement.childbirth_fixed_amount", None)
    if fixed_birth is not None:
        birth = claim == "childbirth"
        base = ibis.ifelse(birth, ibis.least(t.in_policy_cost, money(fixed_birth)), base)
        rate = ibis.ifelse(birth, ratio(1), rate)
        deductible = ibis.ifelse(birth, money(0), deductible)
    return replace(b, base=base, rate=rate, deductible=deductible, cap=cap)


def basic_terms(t: ir.Table, p: Params) -> tuple[ir.Table, LayerTerms]:
    """Basic medical insurance: per-admission deductible, rate by level, yearly cap
    (:func:`national_basic`), the document's own terms for poor persons
    (:data:`POOR_BASIC`), then by claim type (:func:`by_claim_type`).

    Adds ``ci_standard_paid``, ``deductible`` (the per-admission deductible the bill is
    settled with, 起付标准: none where waived), ``deductible_paid`` (what the patient
    bore of it: less on a bill below it) and the layer's base; chronic outpatient
    class I and class II keep yearly caps of their own (``_cap_group``).
    """
    b = national_basic(t, p)
    for step in POOR_BASIC.get(p.jurisdiction.document, ()):
        b = step(t, p, b)
    b = by_claim_type(t, p, b)
    claim = claim_of(t)
    t = t.mutate(
        _major=b.major,
        # chronic outpatient class I and class II keep yearly caps of their own
        _cap_group=ibis.cases((claim == "chronic_1", 1), (claim == "chronic_2", 2), else_=0),
        ci_standard_paid=to_money(ibis.least(b.standard, t.in_policy_cost)),
        deductible=to_money(b.deductible),
        _deductible=to_money(ibis.least(b.deductible, t.in_policy_cost)),
        # special drugs are in the critical-illness catalogue, not the basic one
        _basic_raw=to_money(ibis.greatest(b.base - t.special_drug_cost.fill_null(0), 0)),
    )
    t = t.mutate(
        deductible_paid=ibis.least(t._deductible, t._basic_raw),
        _basic_base=ibis.greatest(t._basic_raw - t.ci_standard_paid - t._deductible, 0),
    )
    t, refs = as_terms(t.drop("_deductible", "_basic_raw"), basic_rate=b.rate, basic_cap=b.cap)
    return t, LayerTerms(
        rates=(refs["basic_rate"],), cap=refs["basic_cap"], cap_varies=b.cap_varies
    )


def ci_deductible(t: ir.Table, p: Params) -> ir.DecimalValue:
    """The yearly critical-illness deductible; lowered by a factor for registered
    poor where the document says so (JX-2017-58/2.2.4, SD-2017-37/2.2: halved)."""
    g = p.get
    deductible = money(g("medical_settlement.ci_deductible"))
    factor = g("medical_settlement.registered_poor_ci_deductible_factor", None)
    if factor is None:
        return deductible
    halved = to_money(deductible.cast("decimal(18, 4)") * ratio(factor))
    return ibis.ifelse(t.registered_poor, halved, deductible)


def ci_rates(t: ir.Table, p: Params) -> list[ir.DecimalValue]:
    """The rate of each critical-illness segment: at least a minimum rate
    (JX-2017-58/2.2.5: 不低于50%), poor persons' own rates by hospital level
    (JX-2017-58/2.2.5), registered poor 5 points more (SD-2017-37/2.2)."""
    g = p.get
    bonus = g("medical_settlement.registered_poor_ci_rate_bonus", None)
    minimum = g("medical_settlement.ci_minimum_rate", None)
    poor_rates = g("medical_settlement.poor_ci_rate", None)
    poor_rate = by_level(t, poor_rates, "ratio") if poor_rates is not None else None
    rates = []
    for rate_value in g("medical_settlement.ci_segments").values():
        rate: ir.DecimalValue = ratio(rate_value)
        if minimum is not None:
            rate = ibis.greatest(rate, ratio(minimum))
        if poor_rate is not None:
            rate = ibis.ifelse(t._poor & poor_rate.notnull(), poor_rate, rate)
        if bonus is not None:
            rate = ibis.ifelse(t.registered_poor, rate + ratio(bonus), rate)
        rates.append(rate)
    return rates


def special_drugs(t: ir.Table, p: Params, first_rate: ir.DecimalValue) -> ir.Table:
    """SD-2017-37/2.2: the province's negotiated special drugs have no
    critical-illness deductible for registered poor; what they still pay for them
    afterwards is subsidised again by the basic fund (class-B rules). Adds
    ``_special_cost``, its critical-illness payment ``_special_ci`` and the
    basic fund's ``_special_topup``."""
    class_b = p.get("medical_settlement.special_drug_class_b_rate", None)
    special = ibis.literal(False)
    if class_b is not None:
        special = t.registered_poor & (t.special_drug_cost.fill_null(0) > 0)
    special_cost = ibis.ifelse(special, t.special_drug_cost, money(0))
    special_ci = to_money(special_cost.cast("decimal(18, 4)") * first_rate)
    topup_rate = ratio(class_b if class_b is not None else 0)
    return t.mutate(
        _special_cost=special_cost,
        _special_ci=special_ci,
        _special_topup=to_money((special_cost - special_ci).cast("decimal(18, 4)") * topup_rate),
    )


def ci_terms(t: ir.Table, p: Params) -> tuple[ir.Table, LayerTerms]:
    """Critical-illness insurance on the year's in-policy personal burden above its
    yearly deductible, by segment; Jiangxi's and Shandong's improvements for the poor.
    A major-disease bill's quota payment already includes critical illness.
    Shandong's cap depends on being registered poor at discharge (SD-2017-37/2.2:
    500,000), so it can change within a person's year.
    """
    g = p.get
    deductible = ci_deductible(t, p)
    cap = money(g("medical_settlement.ci_annual_cap"))
    rates = ci_rates(t, p)
    poor_cap = g("medical_settlement.registered_poor_ci_annual_cap", None)
    if poor_cap is not None:
        cap = ibis.ifelse(t.registered_poor, money(poor_cap), cap)
    t = special_drugs(t, p, rates[0])
    t, refs = as_terms(
        t,
        ci_deductible=deductible,
        ci_cap=cap,
        **{f"ci_rate_{i}": rate for i, rate in enumerate(rates)},
    )
    return t, LayerTerms(
        rates=tuple(refs[f"ci_rate_{i}"] for i in range(len(rates))),
        cap=refs["ci_cap"],
        cap_varies=poor_cap is not None,
        cap_values=tuple(
            Decimal(str(v))
            for v in (g("medical_settlement.ci_annual_cap"), poor_cap)
            if v is not None
        ),
        deductible=refs["ci_deductible"],
    )
