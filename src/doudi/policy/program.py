"""Every rule of one jurisdiction and year, applied to a table of people.

This is the single definition the scenario interface (one person) and the
batch (a province) both run: there is no second, scalar copy of any rule.
Which rules run is decided by the document the jurisdiction implements: the
national rules for everyone, and :data:`LOCAL_RULES` for the document's own.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis.expr.types as ir

from doudi.policy.params import Params
from doudi.policy.rules import income, resident_medical, resident_pension, unemployment
from doudi.policy.rules.status import with_status_flags

Rule = Callable[[ir.Table, Params], ir.Table]

#: The rules a document adds, in the order they run (after the government-paid
#: contribution, before the medical subsidy). Results show a rule's section
#: where its columns are present (engine/results.py).
LOCAL_RULES: dict[str, tuple[Rule, ...]] = {
    "PZH-2018-195": (resident_pension.pzh_contribution_subsidy,),
    "HE-2018-3": (
        resident_pension.he_late_enrollment,
        unemployment.he_rural_worker_benefit,
        unemployment.he_paid_by_fund,
    ),
    "SD-2017-37": (resident_pension.sd_early_pension,),
    "JX-2017-58": (
        unemployment.jx_one_off_living_allowance,
        unemployment.jx_skill_upgrade_subsidy,
        unemployment.jx_paid_by_fund,
    ),
}


def evaluate_table(
    people: ir.Table, statuses: ir.Table, p: Params, distinct_ids: bool = False
) -> ir.Table:
    """Return ``people`` with every rule's output columns (in no particular order:
    sorting ten million wide rows costs a fifth of the batch; callers that show
    rows sort them by ``row_no``). ``distinct_ids``: ``people`` has one row per ID
    number (the registry's people), so the once-per-person step has nothing to do."""
    windows = resident_pension.windows(p) + resident_medical.windows(p)
    t = with_status_flags(people, statuses, windows)
    t = resident_pension.gov_paid_contribution(t, p, distinct_ids)
    for rule in LOCAL_RULES.get(p.jurisdiction.document, ()):
        t = rule(t, p)
    t = resident_medical.contribution_subsidy(t, p)
    t = income.countable_income(t, p)
    return t
