"""The rules are evaluated once per plan run, not once per programme (issue #20 §5,
plan.evaluation): each programme's rows are its part of that one result.

Tangshan (130200) 2018, 路北区 (130203), whose document has three programmes: the
pension's government part (HE-2018-3/2.1.1), the medical subsidy (HE-2018-3/2.2.1) and
the unemployment fund's (HE-2018-3/2.4).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pyarrow as pa

from conftest import make_id
from doudi.engine import backend
from doudi.plan import contributions
from doudi.plan import versions as plan
from doudi.plan.evaluation import Evaluation
from doudi.plan.programmes import RESIDENT_MEDICAL, RESIDENT_PENSION
from doudi.rosters.importing import import_roster
from support import roster

MARCH = date(2018, 3, 31)
POOR = (make_id("130203", "19800101", "012"), "王军")
OTHER = (make_id("130203", "19750101", "024"), "李梅")


def test_a_run_of_every_programme_evaluates_the_rules_once(registry, tmp_path, monkeypatch):
    since = {"纳入时间": ["2016-06-01"]}
    import_roster(registry, roster(tmp_path / "poor.csv", [POOR], since), "poverty", MARCH)
    path = roster(tmp_path / "other.csv", [OTHER], since)
    import_roster(registry, path, "other_assistance", MARCH)
    pension = {"缴费档次": ["100"] * 2, "参保时间": ["2017-01-01"] * 2}
    path = roster(tmp_path / "pension.csv", [POOR, OTHER], pension)
    import_roster(registry, path, "resident_pension", MARCH)

    statements = []  # each time the compiled rules' statement is taken to be run
    compiled_for = backend.plan

    class Counted:
        def __init__(self, compiled: backend.Plan):
            self.compiled = compiled

        @property
        def sql(self) -> str:
            statements.append(self.compiled.sql)
            return self.compiled.sql

    monkeypatch.setattr(backend, "plan", lambda *a, **kw: Counted(compiled_for(*a, **kw)))

    run = plan.run_plans(registry, "130200", 2018, snapshots=tmp_path / "plans")
    assert [r.programme for r in run.results] == [
        "resident_pension",
        "resident_medical",
        "unemployment",
    ]
    assert all(r.created for r in run.results)
    assert len(statements) == 1  # not 3, one per programme
    # every programme's rows still come out of it: HE-2018-3/2.2.1 pays POOR's 220.00
    # in full and 60% × 220 = 132.00 of OTHER's, 220 + 132 = 352.00
    assert run.results[1].gov_paid == Decimal("352.00")
    # the same inputs again: every programme keeps its version, nothing is evaluated
    again = plan.run_plans(registry, "130200", 2018, snapshots=tmp_path / "plans")
    assert not any(r.created for r in again.results) and len(statements) == 1


def test_a_programmes_part_is_its_rows_without_the_people_its_lineage_leaves_out():
    """Person 2 is left out by the pension's lineage only; person 3 has no pension row
    (neither eligible nor collected from) and person 4 a null condition (no row, as in
    SQL); the medical part has only person 1 and 2, the subsidised."""
    money = pa.decimal128(18, 2)
    out = pa.table(
        {
            "row_no": pa.array([1, 2, 3, 4], pa.int64()),
            "rp_eligible": [True, True, False, None],
            "rp_collects": [True, True, False, None],
            "rp_self_due": pa.array([Decimal("0"), Decimal("0"), None, None], money),
            "rp_basis": ["A", "A", "B", None],
            "rp_fund_county": pa.array([Decimal("100")] * 2 + [Decimal("0")] * 2, money),
            "rm_eligible": [True, True, False, False],
            "rm_self_due": pa.array([Decimal("0")] * 4, money),
            "rm_basis": ["M"] * 4,
            "rm_fund_finance": pa.array([Decimal("220")] * 4, money),
        }
    )
    evaluated = Evaluation(out, 2018)
    pension = evaluated.part(RESIDENT_PENSION, left_out={2})
    assert pension.column("row_no").to_pylist() == [1]
    assert pension.column_names == [
        "row_no",
        "rp_eligible",
        "rp_collects",
        "rp_self_due",
        "rp_basis",
        "rp_fund_county",
    ]
    medical = evaluated.part(RESIDENT_MEDICAL)
    assert medical.column("row_no").to_pylist() == [1, 2]
    assert "rp_basis" not in medical.column_names


def test_when_nearly_everyone_has_a_row_the_part_is_not_copied_and_the_rows_are_the_same():
    """9 of 10 people have a pension row (≥ MOSTLY): the part is the whole result, not a
    filtered copy, and the contribution rows are those of the filtered one — person 10
    (neither eligible nor collected from) gives no row either way."""
    money = pa.decimal128(18, 2)
    n = 10
    out = pa.table(
        {
            "row_no": pa.array(range(1, n + 1), pa.int64()),
            "rp_eligible": [True] * 9 + [False],
            "rp_collects": [True] * 9 + [False],
            "rp_self_due": pa.array([Decimal("100")] * 9 + [None], money),
            "rp_basis": ["JX-2017-58/2.1.1"] * 9 + ["JX-2017-58/2.1.1"],
            "rp_fund_county": pa.array([Decimal("100")] * 9 + [Decimal("0")], money),
        }
    )
    evaluated = Evaluation(out, 2018)
    whole = evaluated.part(RESIDENT_PENSION)
    assert whole.num_rows == n  # not copied
    filtered = out.filter(pa.array([True] * 9 + [False]))
    expected = contributions.rows(filtered, 2018, RESIDENT_PENSION)
    assert evaluated.rows(RESIDENT_PENSION).equals(expected)
    # 9 county rows of 100.00 and 9 self rows of 100.00
    assert len(expected) == 18
