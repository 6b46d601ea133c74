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
from decimal import Decimal

import ibis
import ibis.expr.types as ir

from doudi.policy.expr import join_codes, money, ratio, to_money
from doudi.policy.params import Params
from doudi.policy.rules import resident_medical
from doudi.policy.rules.status import effective_end
from doudi.policy.settlement.waterfall import Segment, layer

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


def settle(bills: ir.Table, statuses: ir.Table, p: Params) -> ir.Table:
    """Add every layer's payment, the patient's part and the hospital's part."""
    doc = p.jurisdiction.document
    t = with_discharge_statuses(bills, statuses, p)
    with p.section("medical_settlement"):
        g = p.get
        poor = t.tekun | t.dibao | t.registered_poor
        t = t.mutate(
            _poor=poor,
            out_of_policy=to_money(t.total_cost - t.in_policy_cost - t.non_compliant_cost),
        )
        t = _basic(t, p, doc)
        t = _critical_illness(t, p, doc)
        # The poor persons' layers, each on what the one before it left.
        t = t.mutate(_after=ibis.ifelse(t._poor, t.critical_illness_left, money(0)))
        for name, cap_path in POOR_LAYERS:
            t = layer(
                t,
                name,
                "_after",
                yearly_deductible=None,
                segments=[Segment(money(0), ratio(g(f"medical_settlement.{name}_rate")))],
                cap=money(g(cap_path)) if cap_path else None,
            )
            t = t.mutate(_after=t[f"{name}_left"])
        left = ibis.ifelse(t._poor, t.assistance_left, t.critical_illness_left)
        t = t.mutate(patient_in_policy=to_money(left))
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
            ).drop("_gap")
        else:
            t = t.mutate(topped_up=ibis.literal(False))
    t = t.mutate(
        supplementary_paid=ibis.ifelse(t._poor, t.supplementary_paid, money(0)),
        tilt_paid=ibis.ifelse(t._poor, t.tilt_paid, money(0)),
        assistance_paid=ibis.ifelse(t._poor, t.assistance_paid, money(0)),
        hospital_bears=t.non_compliant_cost,
    )
    t = t.mutate(patient_pays=to_money(t.patient_in_policy + t.out_of_policy))
    t = t.mutate(settlement_basis=_basis(t, doc))
    temp = [c for c in t.columns if c.startswith("_") or c.endswith("_left")]
    return t.drop(*temp)


def _basic(t: ir.Table, p: Params, doc: str) -> ir.Table:
    """Basic medical insurance: per-admission deductible, rate by level, yearly cap.

    Jiangxi (JX-2017-58/2.2.4): tekun, dibao and registered poor at level-1/2
    hospitals bear no deductible; the critical-illness fund pays the 100/400-yuan
    standard itself (or the whole in-policy cost if lower), and the basic layer
    pays its rate on the rest (docs/settlement.md). Chronic outpatient claims
    have their own rates and a yearly cap per class (JX-2017-58/2.2.5); the
    15 major diseases are paid at 80%/70% of the per-disease quota, critical
    illness included (JX-2017-58/2.2.6); Hebei pays childbirth a fixed amount
    (HE-2018-3/2.2.3).
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
        _cap_group=ibis.ifelse(chronic, claim, "inpatient"),
        ci_standard_paid=to_money(ibis.least(standard, t.in_policy_cost)),
        _deductible=to_money(ibis.least(deductible, t.in_policy_cost)),
        _basic_rate=rate,
        _basic_cap=chronic_cap,
        # special drugs are in the critical-illness catalogue, not the basic one
        _basic_raw=to_money(ibis.greatest(base - t.special_drug_cost.fill_null(0), 0)),
    )
    t = t.mutate(
        deductible_paid=ibis.least(t._deductible, t._basic_raw),
        _basic_base=ibis.greatest(t._basic_raw - t.ci_standard_paid - t._deductible, 0),
    )
    t = layer(
        t,
        "basic",
        "_basic_base",
        yearly_deductible=None,
        segments=[Segment(money(0), t._basic_rate)],
        cap=t._basic_cap,
        cap_group="_cap_group",
    )
    # What the patient still carries of the in-policy cost after the basic layer
    # (deductible included; the standard amount Jiangxi's fund pays is not theirs).
    return t.mutate(_burden=to_money(t.in_policy_cost - t.ci_standard_paid - t.basic_paid))


def _critical_illness(t: ir.Table, p: Params, doc: str) -> ir.Table:
    """Critical-illness insurance on the year's in-policy personal burden above its
    yearly deductible, by segment; Jiangxi's and Shandong's improvements for the poor.
    A major-disease bill's quota payment already includes critical illness.
    """
    g = p.get
    deductible = money(g("medical_settlement.ci_deductible"))
    factor = g("medical_settlement.registered_poor_ci_deductible_factor", None)
    if factor is not None:
        halved = to_money(deductible.cast("decimal(18, 4)") * ratio(factor))
        deductible = ibis.ifelse(t.registered_poor, halved, deductible)
    segments_table = g("medical_settlement.ci_segments")
    cap = money(g("medical_settlement.ci_annual_cap"))
    bonus = g("medical_settlement.registered_poor_ci_rate_bonus", None)
    minimum = g("medical_settlement.ci_minimum_rate", None)
    poor_rate = (
        by_level(t, g("medical_settlement.poor_ci_rate"), "ratio") if doc == "JX-2017-58" else None
    )
    segments = []
    for start, rate_value in segments_table.items():
        rate: ir.DecimalValue = ratio(rate_value)
        if minimum is not None:
            rate = ibis.greatest(rate, ratio(minimum))
        if poor_rate is not None:
            rate = ibis.ifelse(t._poor & poor_rate.notnull(), poor_rate, rate)
        if bonus is not None:
            rate = ibis.ifelse(t.registered_poor, rate + ratio(bonus), rate)
        segments.append(Segment(money(start), rate))
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
    t = t.mutate(
        _special=special,
        _special_cost=ibis.ifelse(special, t.special_drug_cost, money(0)),
    )
    t = t.mutate(
        _ci_base=ibis.ifelse(t._major, money(0), t._burden - t._special_cost),
        _special_ci=to_money(t._special_cost.cast("decimal(18, 4)") * segments[0].rate),
    )
    t = layer(
        t,
        "critical_illness",
        "_ci_base",
        yearly_deductible=deductible,
        segments=segments,
        cap=cap,
        extra="_special_ci",
    )
    topup_rate = ratio(class_b if class_b is not None else 0)
    t = t.mutate(
        _special_topup=to_money(
            (t._special_cost - t._special_ci).cast("decimal(18, 4)") * topup_rate
        )
    )
    # The special drugs' critical-illness payment is inside the layer, under its
    # cap; the class-B top-up is a subsidy of the basic fund apart from its
    # inpatient cap (docs/settlement.md).
    return t.mutate(
        critical_illness_left=to_money(t._burden - t.critical_illness_paid - t._special_topup),
        critical_illness_paid=to_money(t.critical_illness_paid + t.ci_standard_paid),
        basic_paid=to_money(t.basic_paid + t._special_topup),
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
