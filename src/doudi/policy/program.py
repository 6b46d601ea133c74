"""Every rule of one jurisdiction and year, applied to a table of people.

This is the single definition the scenario interface (one person) and the
batch (a province) both run: there is no second, scalar copy of any rule.
Which rules run is decided by the document the jurisdiction implements.
"""

from __future__ import annotations

import ibis.expr.types as ir

from doudi.policy.params import Params
from doudi.policy.rules import income, resident_medical, resident_pension, unemployment
from doudi.policy.rules.status import with_status_flags


def evaluate_table(people: ir.Table, statuses: ir.Table, p: Params) -> ir.Table:
    """Return ``people`` with every rule's output columns (in no particular order:
    sorting ten million wide rows costs a fifth of the batch; callers that show
    rows sort them by ``row_no``)."""
    doc = p.jurisdiction.document
    windows = resident_pension.windows(p) + resident_medical.windows(p)
    t = with_status_flags(people, statuses, windows)
    t = resident_pension.gov_paid_contribution(t, p)
    if doc == "PZH-2018-195":
        t = resident_pension.pzh_contribution_subsidy(t, p)
    if doc == "HE-2018-3":
        t = resident_pension.he_late_enrollment(t, p)
        t = unemployment.he_rural_worker_benefit(t, p)
    if doc == "SD-2017-37":
        t = resident_pension.sd_early_pension(t, p)
    if doc == "JX-2017-58":
        t = unemployment.jx_one_off_living_allowance(t, p)
        t = unemployment.jx_skill_upgrade_subsidy(t, p)
    t = resident_medical.contribution_subsidy(t, p)
    t = income.countable_income(t, p)
    return t
