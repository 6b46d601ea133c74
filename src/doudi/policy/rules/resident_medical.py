"""Resident medical insurance (城乡居民基本医疗保险): contribution subsidy (资助参保).

RULES.md §3.1. The share of the personal contribution that finance pays:
- Jiangxi (JX-2017-58/2.1.2): 100% for tekun, dibao, severely disabled
  students and children, severely disabled adults unable to work, minors and
  people 60+ of urban low-income families, the 14 categories of demobilised
  soldiers, and registered poor;
- Hebei (HE-2018-3/2.2.1): 100% for registered poor (including those who
  exited after 2016-08-01) and tekun; 60% for other assistance targets;
- elsewhere: poor persons (registered poor not exit-marked, dibao, tekun) at
  a share the documents leave to local configuration.
The subsidy is split between its payers (``rm_fund_<payer>``) by
``resident_medical.payer_weights``: "finance" where a document names finance
without its levels (Hebei, Shandong), the levels' shares where it defers them to
another document (Jiangxi: 赣财社〔2017〕29号, which we do not have) — local config
wherever the document does not give the split.
Several statuses give one subsidy: the highest share (no double subsidy).
Ages are read on 1 January of the year the contribution is for.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import ibis
import ibis.expr.types as ir

from doudi.policy.expr import (
    RATIO,
    age_on,
    join_codes,
    money,
    none_hold,
    ratio,
    split_columns,
    to_money,
)
from doudi.policy.params import Params
from doudi.policy.rules.resident_pension import dead_before, unborn
from doudi.policy.rules.shared import DEATH_CLAUSE, Window

MAIN_CLAUSE = {
    "NAT-2017-59": "NAT-2017-59/2.1",
    "JX-2017-58": "JX-2017-58/2.1.2",
    "HE-2018-3": "HE-2018-3/2.2.1",
    "SD-2017-37": "SD-2017-37/2.2",
    "PZH-2018-195": "PZH-2018-195/2.1",
    "CQ-2018-82": "CQ-2018-82/2.2.1",
}


def windows(p: Params) -> list[Window]:
    y = p.year
    year = (date(y, 1, 1), date(y, 12, 31))
    exited_after = p.get("resident_medical.registered_poor_exited_after", None)
    if exited_after is not None:
        mode: str | date = exited_after
    elif p.get("resident_medical.registered_poor_includes_exited"):
        mode = "ignore"
    else:
        mode = "respect"
    return [Window("rm", *year, mode), Window("rmx", *year, "ignore")]


Category = tuple[ir.BooleanValue, str, Decimal]


def _poor_persons(t: ir.Table, p: Params) -> list[Category]:
    """Poor persons (NAT-2017-59/2.1): tekun, dibao, registered poor, one share."""
    full = p.get("resident_medical.subsidy_share")
    return [
        (t.rm_tekun, "tekun", full),
        (t.rm_dibao, "dibao", full),
        (t.rm_registered_poor, "registered_poor", full),
    ]


def _jx_categories(t: ir.Table, p: Params) -> list[Category]:
    """JX-2017-58/2.1.2: the listed groups, all in full; ages on 1 January."""
    full = p.get("resident_medical.subsidy_share")
    age = age_on(t.birth_date, date(p.year, 1, 1))
    return [
        (t.rm_tekun, "tekun", full),
        (t.rm_dibao, "dibao", full),
        (t.rm_severe_disability & (t.student | (age < 18)), "severe_disability_child", full),
        (
            t.rm_severe_disability & (age >= 18) & t.unable_to_work,
            "severe_disability_unable_to_work",
            full,
        ),
        (t.rm_low_income_family & (age < 18), "low_income_family_minor", full),
        (t.rm_low_income_family & (age >= 60), "low_income_family_elderly", full),
        (t.rm_demobilized_14, "demobilized_14", full),
        (t.rm_registered_poor, "registered_poor", full),
    ]


def _he_categories(t: ir.Table, p: Params) -> list[Category]:
    """HE-2018-3/2.2.1: registered poor and tekun in full, other assistance
    targets at their own share."""
    full = p.get("resident_medical.subsidy_share")
    other = p.get("resident_medical.other_assistance_share")
    return [
        (t.rm_registered_poor, "registered_poor", full),
        (t.rm_tekun, "tekun", full),
        (t.rm_dibao, "dibao", other),
        (t.rm_low_income_family, "low_income_family", other),
        (t.rm_severe_disability, "severe_disability", other),
        (t.rm_demobilized_14, "demobilized_14", other),
        (t.rm_other_assistance, "other_assistance", other),
    ]


#: Who a document subsidises, as (condition, category, share) in order of
#: precedence (highest share first); the poor persons where it lists no others.
CATEGORIES: dict[str, Callable[[ir.Table, Params], list[Category]]] = {
    "JX-2017-58": _jx_categories,
    "HE-2018-3": _he_categories,
}


def categories(t: ir.Table, p: Params) -> list[Category]:
    """Whom ``p``'s document subsidises (:data:`CATEGORIES`): the one reading the
    subsidy and the comparison's medical line (policy.counted) share."""
    return CATEGORIES.get(p.jurisdiction.document, _poor_persons)(t, p)


def contribution_subsidy(t: ir.Table, p: Params) -> ir.Table:
    """Subsidy = share × personal contribution standard, for the best category."""
    doc = p.jurisdiction.document
    main = MAIN_CLAUSE[doc]
    with p.section("resident_medical"):
        standard = p.get("resident_medical.personal_contribution")
        cats = categories(t, p)
        weights = {k: int(v) for k, v in p.get("resident_medical.payer_weights").items()}
    t = t.mutate(
        rm_category=ibis.cases(*[(c, name) for c, name, _ in cats], else_=ibis.null("string"))
    )
    shares = {name: share for _, name, share in cats}
    share = ibis.cases(
        *[(t.rm_category == name, ratio(v)) for name, v in shares.items()], else_=ratio(0)
    )
    exit_marked = t.rm_category.isnull() & t.rmx_registered_poor
    # no contribution is paid for a person who died before the year (HE-2018-3/3.2.1,
    # docs/readings.md 24), as for the pension
    dead = dead_before(t, p.year)
    # nor for one born after the year, whatever their statuses say: the one reason
    # not_born (docs/readings.md 25)
    not_born = unborn(t, p.year)
    checks = [
        (dead, "deceased"),
        (exit_marked, "exit_marked"),
        (t.rm_category.isnull() & ~exit_marked, "no_status"),
        (t.employee_medical, "employee_medical"),
    ]
    t = t.mutate(
        rm_reasons=ibis.ifelse(not_born, "not_born;", join_codes(checks)),
        rm_eligible=none_hold([not_born, *(condition for condition, _ in checks)]),
        rm_share=share,
    )
    t = t.mutate(rm_share=ibis.ifelse(t.rm_eligible, t.rm_share, ratio(0)))
    t = t.mutate(rm_subsidy=to_money(money(standard).cast(RATIO) * t.rm_share))
    # the dead and the unborn contribute nothing: nothing is due from them either
    due = ibis.ifelse(dead | not_born, money(Decimal(0)), money(standard))
    t = split_columns(t, "rm_subsidy", weights, "rm_fund_")
    return t.mutate(
        rm_contribution=due,
        rm_self_due=to_money(due - t.rm_subsidy),
        rm_basis=ibis.ifelse(dead & ~not_born, ibis.literal(f"{main};{DEATH_CLAUSE};"), main + ";"),
    )
