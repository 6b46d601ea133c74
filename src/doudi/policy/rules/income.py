"""Basic pension excluded from countable household income (RULES.md §2).

NAT-2017-59, JX-2017-58/2.3.7, HE-2018-3/2.1.4, SD-2017-37/2.1,
PZH-2018-195/4, CQ-2018-82/2.1.3: during the 13th five-year plan (to the end
of 2020) the resident pension's basic pension is not counted as household
income when dibao, tekun or poverty status is assessed.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from doudi.policy.expr import money, to_money
from doudi.policy.params import Params


def countable_income(t: ir.Table, p: Params) -> ir.Table:
    """``in_countable`` = household income less the basic pension while excluded."""
    with p.section("income"):
        until = p.get("resident_pension.basic_pension_income_exclusion_until", None)
    excluded_now = until is not None and date(p.year, 1, 1) <= until
    basic = t.in_basic_pension.fill_null(money(0))
    excluded = basic if excluded_now else money(0)
    return t.mutate(
        in_excluded=to_money(ibis.ifelse(t.in_total.notnull(), excluded, money(0))),
        in_countable=to_money(t.in_total - excluded),
    )
