"""Which output columns a reform leaves as they are (costing.lineage): proved from the
rules' expression, column by column, with the input columns each reads.

Jiangxi 2018 (JX-2017-58): the minimum tier is read by the pension's government-paid
contribution and own part (NAT-2017-59/2.1) and by nothing of the medical subsidy
(JX-2017-58/2.1.2) or the rural workers' unemployment benefits (JX-2017-58/2.3.9).
"""

from __future__ import annotations

import pyarrow as pa

from doudi.costing import lineage
from doudi.plan.programmes import RESIDENT_MEDICAL, RESIDENT_PENSION, UNEMPLOYMENT, Programme

YEAR = 2018
TIER_200 = {"resident_pension.minimum_tier": 200}


def made_of(programme: Programme, columns: dict[str, lineage.Column]) -> list[str]:
    return [c for c in columns if c in programme.columns or c.startswith(programme.fund_prefix)]


def changed(a: dict[str, lineage.Column], b: dict[str, lineage.Column], names) -> set[str]:
    return {c for c in names if a[c].digest != b[c].digest}


def test_NAT_2017_59_2_1_a_higher_minimum_tier_changes_the_pensions_columns_only():
    base = lineage.columns("360000", YEAR)
    reform = lineage.columns("360000", YEAR, TIER_200)
    pension = made_of(RESIDENT_PENSION, base)
    assert changed(base, reform, pension) == {"rp_self_due", "rp_fund_county", "rp_basis"}
    for programme in (RESIDENT_MEDICAL, UNEMPLOYMENT):
        names = made_of(programme, base)
        assert names and not changed(base, reform, names), programme.code
    # the status groups a costing reports people by do not read the tier either
    assert not changed(base, reform, ["rp_category", "rm_category"])
    assert ("people", "rp_tier") in reform["rp_self_due"].reads
    assert ("people", "rp_tier") not in reform["rm_self_due"].reads


def test_a_value_no_rule_reads_changes_no_column():
    """Jiangxi pays a fixed 100 (JX-2017-58/2.1.1) and never reads the share."""
    base = lineage.columns("360000", YEAR)
    share = lineage.columns("360000", YEAR, {"resident_pension.gov_paid_share": 0.5})
    assert not changed(base, share, base)


def test_the_digests_are_the_same_from_one_build_of_the_rules_to_the_next():
    first = lineage.columns("360000", YEAR)
    lineage._columns.cache_clear()
    again = lineage.columns("360000", YEAR)
    assert first is not again
    assert first == again


def test_CQ_2018_82_chongqings_rules_change_the_pension_and_the_medical_subsidy():
    base = lineage.columns("360000", YEAR)
    chongqing = lineage.columns("500000", YEAR, territory="360000")
    for programme in (RESIDENT_PENSION, RESIDENT_MEDICAL):
        names = [c for c in made_of(programme, base) if c in chongqing]
        assert changed(base, chongqing, names), programme.code


def test_a_column_is_the_same_only_where_the_inputs_it_reads_hold_the_same_values():
    columns = lineage.columns("360000", YEAR)

    def table(name: str) -> pa.Table:
        read = sorted({c for col in columns.values() for t, c in col.reads if t == name})
        return pa.table({c: pa.array([1, 2]) for c in read})  # only equality matters

    people, statuses = table("people"), table("statuses")
    at = people.column_names.index("rp_tier")
    raised = people.set_column(at, "rp_tier", pa.array([1, 3]))
    mine = {"people": people, "statuses": statuses}
    theirs = {"people": raised, "statuses": statuses}
    # the medical subsidy's columns read no tier: the same on both readings …
    assert lineage.same(made_of(RESIDENT_MEDICAL, columns), columns, columns, mine, theirs)
    # … the pension's own part reads it: not the same, though the rules are
    assert not lineage.same(["rp_self_due"], columns, columns, mine, theirs)
    assert lineage.same(["rp_self_due"], columns, columns, mine, mine)
    # a column the rules do not have is not the same
    assert not lineage.same(["no_such_column"], columns, columns, mine, mine)
