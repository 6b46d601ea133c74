"""Unemployment insurance for rural workers (RULES.md §4).

Jiangxi (JX-2017-58/2.3.9): the one-off living allowance for a rural
contract worker whose contract ended, and the skill-upgrade subsidy. Hebei
(HE-2018-3/2.4): rural workers draw unemployment benefit at the urban
workers' standard, and while drawing it their medical premium is covered.
Nothing is paid to a person who died before the year (HE-2018-3/3.2.1, as for
the contributions: docs/readings.md 24).

``ue_eligible``, ``ue_fund_unemployment_fund``, ``ue_self_due`` and ``ue_basis``
are the yearly plan's reading of the programme (plan.programmes): what the fund
pays a person in the year, in money — Jiangxi's allowance and subsidy; in Hebei
the benefit of the months drawn in the year, the employee-medical premium the fund
pays and the resident-medical premium refunded.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from doudi.policy.expr import join_codes, money, none_hold, to_money
from doudi.policy.params import Params
from doudi.policy.rules.resident_pension import dead_before

CONTRACT_ENDINGS = ("expired_not_renewed", "terminated_early")


def _unless_worker(
    t: ir.Table, checks: list[tuple[ir.BooleanValue, str]]
) -> tuple[ir.StringValue, ir.BooleanValue]:
    """Reasons as codes; for anyone not a rural contract worker only that one. And
    whether there is none (``none_hold``: the plan reads that without the strings).

    A fact the registry's lists leave empty is null, and a null condition would drop
    its reason silently (``ifelse`` of null takes neither code): every yes/no fact a
    benefit requires is read as "no" when not stated, as a scenario reads it.

    Most people of a batch are not rural workers: one short literal for them
    instead of five concatenations keeps the batch fast.
    """
    worker = t.ue_rural_contract_worker.fill_null(False)
    reasons = ibis.ifelse(worker, join_codes(checks), ibis.literal("not_rural_contract_worker;"))
    return reasons, worker & none_hold([condition for condition, _ in checks])


def jx_one_off_living_allowance(t: ir.Table, p: Params) -> ir.Table:
    """JX-2017-58/2.3.9: 60% × monthly benefit base × months.

    Conditions: rural contract worker, ≥ 1 continuous year at the unit, the
    unit paid unemployment insurance, contract expired without renewal or
    terminated early. Months: one per year of contribution, a started year
    counting as a whole year, at most 24.
    """
    with p.section("unemployment"):
        base = p.get("unemployment.monthly_benefit_base")
        rate = p.get("unemployment.one_off_allowance_rate")
        max_months = int(p.get("unemployment.one_off_allowance_max_months"))
        min_at_unit = int(p.get("unemployment.one_off_allowance_min_months_at_unit"))
    months_paid = t.ue_contribution_months.fill_null(0)
    reasons, eligible = _unless_worker(
        t,
        [
            (t.ue_months_at_unit.fill_null(0) < min_at_unit, "short_at_unit"),
            # a list that does not say the unit paid does not show the condition met
            (~t.ue_unit_paid.fill_null(False), "unit_not_paid"),
            (~t.ue_contract_end.fill_null("").isin(list(CONTRACT_ENDINGS)), "contract_not_ended"),
            (months_paid <= 0, "no_contribution"),
            (dead_before(t, p.year), "deceased"),
        ],
    )
    years_started = (months_paid + 11) // 12
    months = ibis.least(years_started, max_months)
    amount = to_money(money(base) * money(rate) * months)
    return t.mutate(
        ue_allowance_eligible=eligible,
        ue_allowance_reasons=reasons,
        ue_allowance_months=ibis.ifelse(eligible, months, 0),
        ue_allowance=ibis.ifelse(eligible, amount, money(0)),
    )


def jx_skill_upgrade_subsidy(t: ir.Table, p: Params) -> ir.Table:
    """JX-2017-58/2.3.9: 1,000 / 1,500 / 2,000 yuan for a level-5/4/3 certificate.

    Conditions: rural contract enterprise worker, insured ≥ 3 years and ≥ 36
    months of contributions ("以上" and "含36个月" include the bound), the
    certificate obtained on or after 2017-01-01.
    """
    with p.section("unemployment"):
        amounts = p.get("unemployment.skill_upgrade_amounts")
        min_months = int(p.get("unemployment.skill_upgrade_min_months"))
        cert_from = p.get("unemployment.skill_upgrade_certificate_from")
    level = t.ue_certificate_level
    reasons, eligible = _unless_worker(
        t,
        [
            (t.ue_insured_months.fill_null(0) < min_months, "short_insured"),
            (t.ue_contribution_months.fill_null(0) < min_months, "short_contribution"),
            (
                level.isnull()
                | ~level.isin([int(k) for k in amounts])
                | t.ue_certificate_date.isnull(),
                "no_certificate",
            ),
            (
                t.ue_certificate_date.notnull() & (t.ue_certificate_date < cert_from),
                "cert_too_early",
            ),
            (dead_before(t, p.year), "deceased"),
        ],
    )
    amount = ibis.cases(*[(level == int(k), money(v)) for k, v in amounts.items()], else_=money(0))
    before = t.ue_same_level_certificate_date
    return t.mutate(
        ue_skill_eligible=eligible,
        ue_skill_reasons=reasons,
        ue_skill_subsidy=ibis.ifelse(eligible, amount, money(0)),
        # the same level obtained in an earlier year within the subsidy: paid then? The
        # plan cannot tell, so the explanation asks (docs/readings.md 43)
        ue_skill_same_level_before=eligible
        & (before >= cert_from).fill_null(False)
        & (before < date(p.year, 1, 1)).fill_null(False),
    )


def he_rural_worker_benefit(t: ir.Table, p: Params) -> ir.Table:
    """HE-2018-3/2.4: a qualifying rural worker draws benefit at the urban standard.

    The benefit of the year is the urban workers' monthly benefit (local config) times
    the months the list says were drawn in the year: the document gives the standard,
    not the entitlement period, so the months are the agency's, never computed here
    (docs/readings.md 42). While drawing it: an employee-medical premium is paid by the
    unemployment fund, at the premium the list states; a resident-medical premium is
    refunded as a subsidy at the amount actually paid. A fact not stated is none.
    """
    with p.section("unemployment"):
        urban = p.get("unemployment.urban_monthly_benefit")
    qualifies = (
        t.ue_rural_contract_worker.fill_null(False)
        & t.ue_benefit_qualified.fill_null(False)
        & ~dead_before(t, p.year)
    )
    scheme = t.ue_medical_scheme.fill_null("")
    employee = qualifies & (scheme == "employee")
    months = t.ue_benefit_months.fill_null(0)
    return t.mutate(
        ue_benefit_eligible=qualifies,
        ue_monthly_benefit=ibis.ifelse(qualifies, money(urban), money(0)),
        ue_benefit=to_money(ibis.ifelse(qualifies, money(urban) * months, money(0))),
        ue_employee_medical_paid_by_fund=employee,
        ue_employee_medical_by_fund=to_money(
            ibis.ifelse(employee, t.ue_employee_medical_premium.fill_null(money(0)), money(0))
        ),
        ue_resident_medical_subsidy=to_money(
            ibis.ifelse(
                qualifies & (scheme == "resident"),
                t.ue_resident_medical_paid.fill_null(money(0)),
                money(0),
            )
        ),
    )


def jx_paid_by_fund(t: ir.Table, p: Params) -> ir.Table:
    """JX-2017-58/2.3.9: the fund pays the allowance and the subsidy (one row a year)."""
    return _paid_by_fund(t, t.ue_allowance + t.ue_skill_subsidy, "JX-2017-58/2.3.9")


def he_paid_by_fund(t: ir.Table, p: Params) -> ir.Table:
    """HE-2018-3/2.4: the fund pays the benefit of the year, the employee-medical premium
    and the refund of the resident-medical premium (one row a year)."""
    paid = t.ue_benefit + t.ue_employee_medical_by_fund + t.ue_resident_medical_subsidy
    return _paid_by_fund(t, paid, "HE-2018-3/2.4")


def _paid_by_fund(t: ir.Table, paid: ir.DecimalValue, clause: str) -> ir.Table:
    eligible = paid > money(0)
    return t.mutate(
        ue_eligible=eligible,
        ue_fund_unemployment_fund=to_money(ibis.ifelse(eligible, paid, money(0))),
        ue_self_due=ibis.null("decimal(18, 2)"),
        ue_basis=ibis.ifelse(eligible, ibis.literal(clause + ";"), ibis.literal("")),
    )
