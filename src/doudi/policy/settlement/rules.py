"""Settlement rules per jurisdiction: which deductible, rate and cap each layer uses.

Numbers the documents give carry their clause (Jiangxi's waived deductible and
100/400-yuan standard, 90/80/60% basic rates, 100,000 cap, critical-illness
rates and halved deductible; Shandong's halved deductible, +5 points and
500,000 cap; Panzhihua's 10% personal share). Base deductibles, rates,
segments and the supplementary, tilt and assistance layers are local config.
Poor persons for Jiangxi's improvements are tekun, dibao and registered poor
(JX-2017-58/2.2.4, /2.2.5); the halved deductibles and Panzhihua's 10% are for
registered poor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import ibis
import ibis.expr.types as ir

from doudi.policy.expr import join_codes, money, ratio, to_money
from doudi.policy.params import Params
from doudi.policy.rules import resident_medical
from doudi.policy.rules.status import effective_end
from doudi.policy.settlement.waterfall import Segment, layer, year_order

POOR = ("registered_poor", "dibao", "tekun")
#: The layers after critical illness, in order, with the path of their yearly cap.
POOR_LAYERS = (
    ("supplementary", None),
    ("tilt", None),
    ("assistance", "medical_settlement.assistance_annual_cap"),
)


def by_level(t: ir.Table, table: Mapping[str, Decimal], kind: str) -> ir.DecimalValue:
    """A per-hospital-level value as a column (null where the level is not listed)."""
    make = money if kind == "money" else ratio
    return ibis.cases(
        *[(t.hospital_level == level, make(v)) for level, v in table.items()],
        else_=ibis.null("decimal(18, 2)" if kind == "money" else "decimal(18, 4)"),
    )


def with_discharge_statuses(bills: ir.Table, statuses: ir.Table, p: Params) -> ir.Table:
    """Flag the statuses each patient held on the bill's discharge date.

    The exit reading is the resident-medical one (rules/resident_medical.py):
    registered poor not exit-marked, Jiangxi including the exited, Hebei those
    exited after 2016-08-01.
    """
    mode = resident_medical.windows(p)[0].exit_mode
    j = bills.select("bill_no", "id_number", "discharge_date").inner_join(statuses, "id_number")
    end = effective_end(j, mode)
    held = (j.valid_from <= j.discharge_date) & (end.isnull() | (end > j.discharge_date))
    flags = j.group_by("bill_no").aggregate(**{s: (held & (j.status == s)).any() for s in POOR})
    out = bills.left_join(flags, bills.bill_no == flags.bill_no).drop("bill_no_right")
    return out.mutate(**{s: out[s].fill_null(False) for s in POOR})


#: Each payer layer's payment on a bill, in the order they pay.
PAYMENTS = (
    "basic_paid",
    "critical_illness_paid",
    "supplementary_paid",
    "tilt_paid",
    "assistance_paid",
)

#: What settlement adds to each bill, in the order results show it.
OUTPUTS = (
    *POOR,
    "out_of_policy",
    "ci_standard_paid",
    "deductible_paid",
    *PAYMENTS,
    "patient_in_policy",
    "topped_up",
    "hospital_bears",
    "patient_pays",
    "settlement_basis",
)


def settle(bills: ir.Table, statuses: ir.Table, p: Params) -> ir.Table:
    """Add every layer's payment, the patient's part and the hospital's part.

    Three steps: every bill's own terms (statuses, rates, caps, deductibles) from
    its descriptive columns; the yearly accumulation over a narrow table of
    keys and amounts (the window sorts are the cost of a year's settlement);
    then the per-bill results joined back to the bill.
    """
    doc = p.jurisdiction.document
    t = with_discharge_statuses(bills, statuses, p).join(year_order(bills), "bill_no")
    with p.section("medical_settlement"):
        g = p.get
        t = t.mutate(_poor=t.tekun | t.dibao | t.registered_poor)
        t, basic = _basic_terms(t, p, doc)
        t, ci = _ci_terms(t, p, doc)
        # joined to the bills themselves, so that statuses and terms are computed once
        t = bills.join(_accumulate(t, p, basic, ci), "bill_no")
        t = t.mutate(out_of_policy=to_money(t.total_cost - t.in_policy_cost - t.non_compliant_cost))
        share_max = g("medical_settlement.poor_personal_share_max", None)
        if share_max is not None:
            # PZH-2018-195/2.2: registered poor in the county pay at most 10% of the
            # in-policy cost; the tilt payment tops up what the layers left above it.
            bound = to_money(t.in_policy_cost.cast("decimal(18, 4)") * ratio(share_max))
            applies = t.registered_poor & t.in_county
            gap = ibis.ifelse(applies, ibis.greatest(t.patient_in_policy - bound, 0), 0)
            t = t.mutate(_gap=to_money(gap))
            t = t.mutate(
                tilt_paid=to_money(t.tilt_paid + t._gap),
                patient_in_policy=to_money(t.patient_in_policy - t._gap),
                topped_up=t._gap > 0,
            )
        else:
            t = t.mutate(topped_up=ibis.literal(False))
    t = t.mutate(
        hospital_bears=t.non_compliant_cost,
        patient_pays=to_money(t.patient_in_policy + t.out_of_policy),
        settlement_basis=_basis(t, doc),
    )
    return t.select(*bills.columns, *OUTPUTS)


#: The columns the yearly accumulation carries besides the per-bill terms (``_*``).
ACCUMULATION_INPUTS = (
    "bill_no",
    *POOR,
    "in_policy_cost",
    "ci_standard_paid",
    "deductible_paid",
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


def _as_terms(t: ir.Table, **terms: ir.Value) -> tuple[ir.Table, dict[str, str | ir.Value]]:
    """Add the terms that differ between bills as columns ``_<name>``; keep the rest."""
    columns = {f"_{k}": v for k, v in terms.items() if not isinstance(v, ir.Scalar)}
    refs = {k: f"_{k}" if f"_{k}" in columns else v for k, v in terms.items()}
    return t.mutate(**columns), refs


def _resolve(t: ir.Table, term: str | ir.Value) -> ir.Value:
    return t[term] if isinstance(term, str) else term


def _accumulate(t: ir.Table, p: Params, basic: LayerTerms, ci: LayerTerms) -> ir.Table:
    """Every layer's payment per bill, with deductibles and caps carried through
    the person's year: basic → critical illness → the poor persons' layers.

    Runs on the bill number, the keys of the year's order and the amounts only.
    """
    g = p.get
    starts = [money(start) for start in g("medical_settlement.ci_segments")]
    n = t.select(*ACCUMULATION_INPUTS, *(c for c in t.columns if c.startswith("_")))
    n = layer(
        n,
        "basic",
        "_basic_base",
        yearly_deductible=None,
        segments=[Segment(money(0), _resolve(n, basic.rates[0]))],
        cap=_resolve(n, basic.cap),
        cap_group="_cap_group",
        cap_varies=basic.cap_varies,
    )
    # What the patient still carries of the in-policy cost after the basic layer
    # (deductible included; the standard amount Jiangxi's fund pays is not theirs).
    n = n.mutate(_burden=to_money(n.in_policy_cost - n.ci_standard_paid - n.basic_paid))
    n = n.mutate(_ci_base=ibis.ifelse(n._major, money(0), n._burden - n._special_cost))
    n = layer(
        n,
        "critical_illness",
        "_ci_base",
        yearly_deductible=_resolve(n, ci.deductible),
        segments=[Segment(s, _resolve(n, r)) for s, r in zip(starts, ci.rates, strict=True)],
        cap=_resolve(n, ci.cap),
        cap_varies=ci.cap_varies,
        cap_values=ci.cap_values,
        extra="_special_ci",
    )
    # The special drugs' critical-illness payment is inside the layer, under its
    # cap; the class-B top-up is a subsidy of the basic fund apart from its
    # inpatient cap (docs/settlement.md).
    n = n.mutate(
        critical_illness_left=to_money(n._burden - n.critical_illness_paid - n._special_topup),
        critical_illness_paid=to_money(n.critical_illness_paid + n.ci_standard_paid),
        basic_paid=to_money(n.basic_paid + n._special_topup),
    )
    # The poor persons' layers, each on what the one before it left (nothing
    # for anyone else, so their layers pay nothing).
    n = n.mutate(_after=ibis.ifelse(n._poor, n.critical_illness_left, money(0)))
    for name, cap_path in POOR_LAYERS:
        n = layer(
            n,
            name,
            "_after",
            yearly_deductible=None,
            segments=[Segment(money(0), ratio(g(f"medical_settlement.{name}_rate")))],
            cap=money(g(cap_path)) if cap_path else None,
        )
        n = n.mutate(_after=n[f"{name}_left"])
    left = ibis.ifelse(n._poor, n.assistance_left, n.critical_illness_left)
    return n.select(
        "bill_no",
        *POOR,
        "_poor",
        "_major",
        "ci_standard_paid",
        "deductible_paid",
        *PAYMENTS,
        patient_in_policy=to_money(left),
    )


def _basic_terms(t: ir.Table, p: Params, doc: str) -> tuple[ir.Table, LayerTerms]:
    """Basic medical insurance: per-admission deductible, rate by level, yearly cap.

    Jiangxi (JX-2017-58/2.2.4): tekun, dibao and registered poor at level-1/2
    hospitals bear no deductible; the critical-illness fund pays the 100/400-yuan
    standard itself (or the whole in-policy cost if lower), and the basic layer
    pays its rate on the rest (docs/settlement.md). Chronic outpatient claims
    have their own rates and a yearly cap per class (JX-2017-58/2.2.5); the
    15 major diseases are paid at 80%/70% of the per-disease quota, critical
    illness included (JX-2017-58/2.2.6); Hebei pays childbirth a fixed amount
    (HE-2018-3/2.2.3). Jiangxi's cap depends on the statuses at discharge, so
    it can change within a person's year.
    """
    g = p.get
    claim = t.claim_type.fill_null("inpatient")
    chronic = claim.isin(["chronic_1", "chronic_2"])
    deductible = by_level(t, g("medical_settlement.basic_deductible"), "money").fill_null(0)
    rate = by_level(t, g("medical_settlement.basic_rate"), "ratio").fill_null(0)
    cap = money(g("medical_settlement.basic_annual_cap"))
    chronic_rate = by_level(t, g("medical_settlement.chronic_rate"), "ratio").fill_null(0)
    chronic_caps = g("medical_settlement.chronic_annual_cap")
    standard = money(0)
    major = ibis.literal(False)
    base = t.in_policy_cost
    if doc == "JX-2017-58":
        waived = by_level(t, g("medical_settlement.poor_ci_standard"), "money")
        is_waived = t._poor & waived.notnull() & ~chronic
        standard = ibis.ifelse(is_waived, waived, money(0))
        deductible = ibis.ifelse(is_waived, money(0), deductible)
        poor_rate = by_level(t, g("medical_settlement.poor_basic_rate"), "ratio")
        rate = ibis.ifelse(t._poor & poor_rate.notnull(), poor_rate, rate)
        cap = ibis.ifelse(t._poor, money(g("medical_settlement.poor_basic_annual_cap")), cap)
        poor_chronic = by_level(t, g("medical_settlement.poor_chronic_rate"), "ratio")
        chronic_rate = ibis.ifelse(t._poor & poor_chronic.notnull(), poor_chronic, chronic_rate)
        chronic_caps = {
            k: ibis.ifelse(t._poor, money(v), money(chronic_caps[k]))
            for k, v in g("medical_settlement.poor_chronic_annual_cap").items()
        }
        quota = ibis.cases(
            *[
                (t.disease == d, money(q))
                for d, q in g("medical_settlement.major_disease_quota").items()
            ],
            else_=ibis.null("decimal(18, 2)"),
        )
        major_rate = by_level(t, g("medical_settlement.major_disease_rate"), "ratio")
        major = t._poor & quota.notnull() & major_rate.notnull() & (claim == "inpatient")
        rate = ibis.ifelse(major, major_rate, rate)
        base = ibis.ifelse(major, ibis.least(t.in_policy_cost, quota), base)
        deductible = ibis.ifelse(major, money(0), deductible)
        standard = ibis.ifelse(major, money(0), standard)
    chronic_cap = ibis.cases(
        *[
            (claim == k, v if isinstance(v, ir.Value) else money(v))
            for k, v in chronic_caps.items()
        ],
        else_=cap,
    )
    rate = ibis.ifelse(chronic, chronic_rate, rate)
    deductible = ibis.ifelse(chronic, money(0), deductible)
    fixed_birth = g("medical_settlement.childbirth_fixed_amount", None)
    if fixed_birth is not None:
        birth = claim == "childbirth"
        base = ibis.ifelse(birth, ibis.least(t.in_policy_cost, money(fixed_birth)), base)
        rate = ibis.ifelse(birth, ratio(1), rate)
        deductible = ibis.ifelse(birth, money(0), deductible)
    t = t.mutate(
        _major=major,
        # chronic outpatient class I and class II keep yearly caps of their own
        _cap_group=ibis.cases((claim == "chronic_1", 1), (claim == "chronic_2", 2), else_=0),
        ci_standard_paid=to_money(ibis.least(standard, t.in_policy_cost)),
        _deductible=to_money(ibis.least(deductible, t.in_policy_cost)),
        # special drugs are in the critical-illness catalogue, not the basic one
        _basic_raw=to_money(ibis.greatest(base - t.special_drug_cost.fill_null(0), 0)),
    )
    t = t.mutate(
        deductible_paid=ibis.least(t._deductible, t._basic_raw),
        _basic_base=ibis.greatest(t._basic_raw - t.ci_standard_paid - t._deductible, 0),
    )
    t, refs = _as_terms(t.drop("_deductible", "_basic_raw"), basic_rate=rate, basic_cap=chronic_cap)
    return t, LayerTerms(
        rates=(refs["basic_rate"],), cap=refs["basic_cap"], cap_varies=doc == "JX-2017-58"
    )


def _ci_terms(t: ir.Table, p: Params, doc: str) -> tuple[ir.Table, LayerTerms]:
    """Critical-illness insurance on the year's in-policy personal burden above its
    yearly deductible, by segment; Jiangxi's and Shandong's improvements for the poor.
    A major-disease bill's quota payment already includes critical illness.
    Shandong's cap depends on being registered poor at discharge, so it can
    change within a person's year.
    """
    g = p.get
    deductible = money(g("medical_settlement.ci_deductible"))
    factor = g("medical_settlement.registered_poor_ci_deductible_factor", None)
    if factor is not None:
        halved = to_money(deductible.cast("decimal(18, 4)") * ratio(factor))
        deductible = ibis.ifelse(t.registered_poor, halved, deductible)
    cap = money(g("medical_settlement.ci_annual_cap"))
    bonus = g("medical_settlement.registered_poor_ci_rate_bonus", None)
    minimum = g("medical_settlement.ci_minimum_rate", None)
    poor_rate = (
        by_level(t, g("medical_settlement.poor_ci_rate"), "ratio") if doc == "JX-2017-58" else None
    )
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
    poor_cap = g("medical_settlement.registered_poor_ci_annual_cap", None)
    if poor_cap is not None:
        cap = ibis.ifelse(t.registered_poor, money(poor_cap), cap)
    class_b = g("medical_settlement.special_drug_class_b_rate", None)
    special = ibis.literal(False)
    if class_b is not None:
        # SD-2017-37/2.2: the province's negotiated special drugs have no
        # critical-illness deductible for registered poor; what they still pay for
        # them afterwards is subsidised again by the basic fund (class-B rules).
        special = t.registered_poor & (t.special_drug_cost.fill_null(0) > 0)
    special_cost = ibis.ifelse(special, t.special_drug_cost, money(0))
    special_ci = to_money(special_cost.cast("decimal(18, 4)") * rates[0])
    topup_rate = ratio(class_b if class_b is not None else 0)
    t = t.mutate(
        _special_cost=special_cost,
        _special_ci=special_ci,
        _special_topup=to_money((special_cost - special_ci).cast("decimal(18, 4)") * topup_rate),
    )
    t, refs = _as_terms(
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


def _basis(t: ir.Table, doc: str) -> ir.StringValue:
    parts: list[tuple[ir.BooleanValue, str]] = []
    if doc == "JX-2017-58":
        parts += [(t._poor, "JX-2017-58/2.2.4"), (t._poor, "JX-2017-58/2.2.5")]
        parts.append((t._major, "JX-2017-58/2.2.6"))
    if doc == "HE-2018-3":
        parts.append((t.claim_type == "childbirth", "HE-2018-3/2.2.3"))
    if doc == "SD-2017-37":
        parts.append((t.registered_poor, "SD-2017-37/2.2"))
    if doc == "PZH-2018-195":
        parts += [(ibis.literal(True), "PZH-2018-195/2.2")]
        parts.append((t.non_compliant_cost > 0, "PZH-2018-195/2.4"))
    if doc == "HE-2018-3":
        parts.append((t.registered_poor & t.in_county, "HE-2018-3/3.3"))
    return join_codes(parts)
