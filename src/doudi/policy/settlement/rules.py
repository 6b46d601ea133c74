"""Settlement rules per jurisdiction: every layer's payment on each bill.

Each bill's own terms come from policy/settlement/terms.py; here they are carried
through the person's year, layer by layer, and the clauses each document cites
are in one table (:data:`BASIS`). The supplementary, tilt and assistance layers
are local config; Panzhihua's 10% personal share (PZH-2018-195/2.2) is for
registered poor.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.types as ir

from doudi.policy.expr import join_codes, money, ratio, to_money
from doudi.policy.params import Params
from doudi.policy.rules import resident_medical
from doudi.policy.rules.status import effective_end
from doudi.policy.settlement.terms import LayerTerms, basic_terms, ci_terms
from doudi.policy.settlement.waterfall import Segment, layer, year_order

POOR = ("registered_poor", "dibao", "tekun")
#: The layers after critical illness, in order, with the path of their yearly cap.
POOR_LAYERS = (
    ("supplementary", None),
    ("tilt", None),
    ("assistance", "medical_settlement.assistance_annual_cap"),
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
    "deductible",
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
    t = with_discharge_statuses(bills, statuses, p).join(year_order(bills), "bill_no")
    with p.section("medical_settlement"):
        t = t.mutate(_poor=t.tekun | t.dibao | t.registered_poor)
        t, basic = basic_terms(t, p)
        t, ci = ci_terms(t, p)
        # joined to the bills themselves, so that statuses and terms are computed once
        t = bills.join(_accumulate(t, p, basic, ci), "bill_no")
        t = t.mutate(out_of_policy=to_money(t.total_cost - t.in_policy_cost - t.non_compliant_cost))
        t = personal_share_bound(t, p)
    t = t.mutate(
        hospital_bears=t.non_compliant_cost,
        patient_pays=to_money(t.patient_in_policy + t.out_of_policy),
        settlement_basis=join_codes(BASIS.get(p.jurisdiction.document, _none)(t)),
    )
    return t.select(*bills.columns, *OUTPUTS)


def personal_share_bound(t: ir.Table, p: Params) -> ir.Table:
    """PZH-2018-195/2.2: registered poor in the county pay at most 10% of the
    in-policy cost; the tilt payment tops up what the layers left above it
    (``topped_up``). Nothing where no bound is configured."""
    share_max = p.get("medical_settlement.poor_personal_share_max", None)
    if share_max is None:
        return t.mutate(topped_up=ibis.literal(False))
    bound = to_money(t.in_policy_cost.cast("decimal(18, 4)") * ratio(share_max))
    applies = t.registered_poor & t.in_county
    gap = ibis.ifelse(applies, ibis.greatest(t.patient_in_policy - bound, 0), 0)
    t = t.mutate(_gap=to_money(gap))
    return t.mutate(
        tilt_paid=to_money(t.tilt_paid + t._gap),
        patient_in_policy=to_money(t.patient_in_policy - t._gap),
        topped_up=t._gap > 0,
    )


#: The columns the yearly accumulation carries besides the per-bill terms (``_*``).
ACCUMULATION_INPUTS = (
    "bill_no",
    *POOR,
    "in_policy_cost",
    "ci_standard_paid",
    "deductible",
    "deductible_paid",
)


def _resolve(t: ir.Table, term: str | ir.Value) -> ir.Value:
    return t[term] if isinstance(term, str) else term


def _accumulate(t: ir.Table, p: Params, basic: LayerTerms, ci: LayerTerms) -> ir.Table:
    """Every layer's payment per bill, with deductibles and caps carried through
    the person's year: basic → critical illness → the poor persons' layers.

    Runs on the bill number, the keys of the year's order and the amounts only.
    """
    n = t.select(*ACCUMULATION_INPUTS, *(c for c in t.columns if c.startswith("_")))
    n = basic_layer(n, basic)
    n = critical_illness_layer(n, p, ci)
    n = poor_layers(n, p)
    left = ibis.ifelse(n._poor, n.assistance_left, n.critical_illness_left)
    return n.select(
        "bill_no",
        *POOR,
        "_poor",
        "_major",
        "ci_standard_paid",
        "deductible",
        "deductible_paid",
        *PAYMENTS,
        patient_in_policy=to_money(left),
    )


def basic_layer(n: ir.Table, basic: LayerTerms) -> ir.Table:
    """``basic_paid``: the basic fund's rate on the bill's base, under its yearly
    cap (chronic outpatient classes each under their own)."""
    return layer(
        n,
        "basic",
        "_basic_base",
        yearly_deductible=None,
        segments=[Segment(money(0), _resolve(n, basic.rates[0]))],
        cap=_resolve(n, basic.cap),
        cap_group="_cap_group",
        cap_varies=basic.cap_varies,
    )


def critical_illness_layer(n: ir.Table, p: Params, ci: LayerTerms) -> ir.Table:
    """``critical_illness_paid`` on what the patient still carries after the basic
    layer, above the yearly deductible, by segment, under the yearly cap; with
    the special drugs' payment (SD-2017-37/2.2) and Jiangxi's standard
    (JX-2017-58/2.2.4) inside it. Adds ``critical_illness_left``."""
    starts = [money(start) for start in p.get("medical_settlement.ci_segments")]
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
    return n.mutate(
        critical_illness_left=to_money(n._burden - n.critical_illness_paid - n._special_topup),
        critical_illness_paid=to_money(n.critical_illness_paid + n.ci_standard_paid),
        basic_paid=to_money(n.basic_paid + n._special_topup),
    )


def poor_layers(n: ir.Table, p: Params) -> ir.Table:
    """The poor persons' layers (supplementary, tilt, assistance), each on what the
    one before it left; nothing for anyone else, so their layers pay nothing."""
    n = n.mutate(_after=ibis.ifelse(n._poor, n.critical_illness_left, money(0)))
    for name, cap_path in POOR_LAYERS:
        n = layer(
            n,
            name,
            "_after",
            yearly_deductible=None,
            segments=[Segment(money(0), ratio(p.get(f"medical_settlement.{name}_rate")))],
            cap=money(p.get(cap_path)) if cap_path else None,
        )
        n = n.mutate(_after=n[f"{name}_left"])
    return n


Basis = list[tuple[ir.BooleanValue, str]]


def _none(t: ir.Table) -> Basis:
    return []


#: The clauses a document's settlement cites on a bill, each where it applied.
BASIS: dict[str, Callable[[ir.Table], Basis]] = {
    "JX-2017-58": lambda t: [
        (t._poor, "JX-2017-58/2.2.4"),
        (t._poor, "JX-2017-58/2.2.5"),
        (t._major, "JX-2017-58/2.2.6"),
    ],
    "HE-2018-3": lambda t: [
        (t.claim_type == "childbirth", "HE-2018-3/2.2.3"),
        (t.registered_poor & t.in_county, "HE-2018-3/3.3"),
    ],
    "SD-2017-37": lambda t: [(t.registered_poor, "SD-2017-37/2.2")],
    "PZH-2018-195": lambda t: [
        (ibis.literal(True), "PZH-2018-195/2.2"),
        (t.non_compliant_cost > 0, "PZH-2018-195/2.4"),
    ],
}
