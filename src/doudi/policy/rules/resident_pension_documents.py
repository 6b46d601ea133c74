"""What differs between documents in the government-paid contribution (代缴).

One table, :data:`GOV_PAID`, says per document which clause each part of the rule
cites, whom it counts as a target and who pays; the rule itself
(rules/resident_pension.py) runs the same steps for every document and asks this
table instead of comparing document names. A difference that is a value of the
jurisdiction (a share, a fixed amount, the province-direct counties, whether exited
registered poor count) is a dated parameter instead (policy/parameters/).

The results and explanations read the table too (which clause, whether the payers'
parts are a structure), in processes whose compiled rules come from the disk (decision
0019): the steps import Ibis when they build an expression, the module does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from doudi.policy.params import Params
from doudi.policy.rules import insured_region
from doudi.policy.rules.shared import Window

if TYPE_CHECKING:
    import ibis.expr.types as ir

#: Civil-affairs statuses: a Chongqing target holding one is a civil-affairs target.
CIVIL_AFFAIRS = ("tekun", "dibao")


@dataclass(frozen=True)
class Targets:
    """Who is a target in year Y, as a reading of the status periods (RULES.md §1).

    ``windows``: the status windows the pension rules read (rules/status.py), for
    the year and the exit reading; ``category``: the status that decides the amount
    and the payer, most favourable first (one subsidy only); ``not_target``: the one
    reason code of a person who holds none; ``last_year``: the targets are those
    recognised in Y-1 (explanations say so).
    """

    windows: Callable[[int, str], list[Window]]
    category: Callable[[ir.Table], ir.StringValue]
    not_target: Callable[[ir.Table], ir.StringValue]
    last_year: bool = False


def _windows_in_year(y: int, mode: str) -> list[Window]:
    """HE-2018-3/2.1.2: any status held at any time in the natural year (Doudi's
    reading for the documents that do not say, docs/readings.md).

    ``rp``: who counts as a target this year; ``rpx``: the same ignoring exit marks
    (to say "exit-marked" when that is why not).
    """
    year = (date(y, 1, 1), date(y, 12, 31))
    return [Window("rp", *year, mode), Window("rpx", *year, "ignore")]


def _category_in_year(t: ir.Table) -> ir.StringValue:
    """Tekun, dibao, registered poor: one share for all, so the order only names
    the status."""
    import ibis

    return ibis.cases(
        (t.rp_tekun, "tekun"),
        (t.rp_dibao, "dibao"),
        (t.rp_registered_poor, "registered_poor"),
        else_=ibis.null("string"),
    )


def _not_target_in_year(t: ir.Table) -> ir.StringValue:
    import ibis

    return ibis.cases((t.rpx_registered_poor, "exit_marked;"), else_="no_status;")


def _windows_last_year(y: int, mode: str) -> list[Window]:
    """CQ-2018-82/2.1.1: 上年经认定 … 动态管理: on the list at the end of Y-1.

    ``rpy``: year Y itself (to say "recognised this year, a target next year", and
    for the severely-disabled policy, which is not tied to last year).
    """
    last = date(y - 1, 12, 31)
    return [
        Window("rp", last, last, mode),
        Window("rpx", last, last, "ignore"),
        Window("rpy", date(y, 1, 1), date(y, 12, 31), mode),
    ]


def _category_last_year(t: ir.Table) -> ir.StringValue:
    """CQ-2018-82/2.1.1: tekun (100%) before the severely-disabled policy (100%)
    before dibao and registered poor (70%); a person recognised by both civil
    affairs and the poverty office is a civil-affairs target (多重身份).
    """
    import ibis

    return ibis.cases(
        (t.rp_tekun, "tekun"),
        # The continued severely-disabled policy is not tied to last year's
        # recognition: the status held in the year itself counts.
        (t.rpy_severe_disability, "severe_disability"),
        (t.rp_dibao, "dibao"),
        (t.rp_registered_poor, "registered_poor"),
        else_=ibis.null("string"),
    )


def _not_target_last_year(t: ir.Table) -> ir.StringValue:
    """CQ-2018-82/2.1.1: one recognised only this year is a target from next year."""
    import ibis

    recognised_now = t.rpy_tekun | t.rpy_dibao | t.rpy_registered_poor
    return ibis.cases(
        (t.rpx_registered_poor, "exit_marked;"),
        (recognised_now, "not_recognised_last_year;"),
        else_="no_status;",
    )


HELD_IN_YEAR = Targets(_windows_in_year, _category_in_year, _not_target_in_year)
RECOGNISED_LAST_YEAR = Targets(
    _windows_last_year, _category_last_year, _not_target_last_year, last_year=True
)


def funding_by_weights(t: ir.Table, p: Params) -> ir.Table:
    """Split ``rp_gov_paid`` between the payers the document names, exactly
    (largest remainder), in its fixed weights.

    Hebei: province : city : county = 1 : 1 : 1; in a province-direct county the
    province also pays the city's third (HE-2018-3/2.1.1): the county where the person
    is insured, whose finance pays the county's part (the hukou county unless insured
    elsewhere: docs/readings.md 38). Elsewhere: the single payer the document names.
    """
    import ibis

    from doudi.policy.expr import split_columns

    weights: dict[str, ir.IntegerValue | int]
    normal = p.get("resident_pension.payer_weights")
    direct_w = p.get("resident_pension.province_direct_payer_weights", None)
    if direct_w is None:
        weights = {k: int(v) for k, v in normal.items()}
    else:
        direct_list = list(p.get("resident_pension.province_direct_counties"))
        direct = insured_region.county(t).isin(direct_list)
        weights = {k: ibis.ifelse(direct, int(direct_w.get(k, 0)), int(normal[k])) for k in normal}
        t = t.mutate(rp_province_direct=direct)
    return split_columns(t, "rp_gov_paid", weights, "rp_fund_")


def funding_by_recognising_department(t: ir.Table, p: Params) -> ir.Table:
    """Chongqing: the department that recognised the target pays (CQ-2018-82/2.1.1):
    civil affairs for tekun and dibao, the poverty office for registered poor, and
    the payer configured for the severely disabled (the document does not say)."""
    import ibis

    from doudi.policy.expr import split_columns

    disabled_payer = str(p.get("resident_pension.severe_disability_payer"))
    civil = t.rp_category.isin(list(CIVIL_AFFAIRS))
    weights: dict[str, ir.IntegerValue | int] = {
        "civil_affairs": ibis.ifelse(civil, 1, 0),
        "poverty_office": ibis.ifelse(t.rp_category == "registered_poor", 1, 0),
        disabled_payer: ibis.ifelse(t.rp_category == "severe_disability", 1, 0),
    }
    return split_columns(t, "rp_gov_paid", weights, "rp_fund_")


@dataclass(frozen=True)
class GovPaidRules:
    """How one document's government-paid contribution reads.

    The clause each part cites: ``clause`` grants the contribution (and is cited
    for not being enrolled and outside the policy's years); ``keep_tier``: a poor
    person keeps the old minimum tier; ``conditions``: student, employee pension,
    age 16 (and Jiangxi's hukou); ``over_age``: from 60 the pension is drawn, not
    paid; ``once_per_year``: a second row of one ID number (``None``: ``clause``);
    ``also_cites``: cited beside ``clause`` for everyone paid for;
    ``exited_included``: cited for a registered poor who counts although exited.
    Its steps: ``targets`` (who counts, by which status) and ``funding`` (who
    pays). ``funding_is_structure``: the payers share every amount in fixed parts,
    so results show each of them, a 0.00 part included; elsewhere the payers are
    alternatives and only the one that pays is shown.
    """

    clause: str
    keep_tier: str = "NAT-2017-59/2.1"
    conditions: str = "GF-2014-8/4"
    over_age: str = "GF-2014-8/8"
    once_per_year: str | None = None
    also_cites: tuple[str, ...] = ()
    exited_included: str | None = None
    targets: Targets = HELD_IN_YEAR
    funding: Callable[[ir.Table, Params], ir.Table] = funding_by_weights
    funding_is_structure: bool = False


#: Every document's government-paid contribution, by document (Jurisdiction.document).
GOV_PAID: dict[str, GovPaidRules] = {
    "NAT-2017-59": GovPaidRules("NAT-2017-59/2.1"),
    "JX-2017-58": GovPaidRules("JX-2017-58/2.1.1", conditions="JX-2017-58/2.1.1"),
    "HE-2018-3": GovPaidRules(
        "HE-2018-3/2.1.1",
        keep_tier="HE-2018-3/2.1.1",
        also_cites=("HE-2018-3/2.1.2",),
        exited_included="HE-2018-3/1",
        funding_is_structure=True,
    ),
    "SD-2017-37": GovPaidRules("SD-2017-37/2.1", keep_tier="SD-2017-37/2.1"),
    "PZH-2018-195": GovPaidRules("PZH-2018-195/1.1"),
    "CQ-2018-82": GovPaidRules(
        "CQ-2018-82/2.1.1",
        keep_tier="CQ-2018-82/2.1.2",
        over_age="CQ-2018-82/2.1.1",
        targets=RECOGNISED_LAST_YEAR,
        funding=funding_by_recognising_department,
    ),
}


def rules_for(p: Params) -> GovPaidRules:
    """The government-paid contribution of the document ``p``'s jurisdiction implements."""
    return GOV_PAID[p.jurisdiction.document]
