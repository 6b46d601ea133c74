"""The year's contribution plan from the registry (plan/versions.py), on SQLite and
PostgreSQL: the engine's rules unchanged over registry tables, frozen versions,
payer totals that add up, the same inputs giving the same version.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

import doudi
from conftest import kill_during
from doudi.plan import contributions, inputs, version_diff
from doudi.plan import versions as plan
from doudi.rosters.importing import import_roster
from support import PEOPLE, id17, roster
from support import load_plan_people as load

# Chongqing: a registered-poor woman born 1980 on the minimum tier, a dibao man born
# 1990 at tier 200, a tekun woman of 1965, and a 1950-born registered-poor man (over 60)


def test_the_plan_uses_the_engines_rules_and_payer_totals_add_up(registry, tmp_path):
    load(registry, tmp_path)
    result = plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans")
    assert result.created and result.number == 1 and result.people == 4
    # the same people through the scenario interface give the same government parts
    people, statuses = inputs.engine_inputs(registry, "500000", 2018)
    assert people.num_rows == 4 and statuses.num_rows == 4
    rows = registry.read("registry_contribution").to_pylist()
    gov = sum((r["amount"] for r in rows if r["payer"] != "self"), Decimal(0))
    assert gov == result.gov_paid == sum(result.by_payer.values(), Decimal(0))
    own = sum((r["amount"] for r in rows if r["payer"] == "self"), Decimal(0))
    assert own == result.self_due
    scenario = {
        "jurisdiction": "500000",
        "year": 2018,
        "parameters": {},
        "people": [
            {
                "id_number": r["id_number"],
                "name": r["name"],
                "statuses": [
                    {"status": s["status"], "from": s["valid_from"], "to": s["valid_to"]}
                    for s in statuses.to_pylist()
                    if s["row_no"] == r["row_no"]
                ],
                "resident_pension": {"enrolled": True, "tier": int(r["rp_tier"])},
            }
            for r in people.to_pylist()
        ],
    }
    expected = sum(
        Decimal(x["resident_pension"]["gov_paid"]) for x in doudi.evaluate(scenario)["results"]
    )
    assert gov == expected
    # CQ-2018-82/2.1.1: tekun fully paid at the minimum tier; the over-60 gets nothing
    by_person = {(r["person_id"], r["payer"]): r for r in rows}
    assert all("CQ-2018-82/2.1.1" in r["basis"] for r in rows if r["payer"] != "self")
    assert len({p for p, payer in by_person if payer != "self"}) == result.targets == 3


def test_the_same_inputs_give_the_same_version_and_a_change_a_new_one(registry, tmp_path):
    load(registry, tmp_path)
    first = plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans")
    again = plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans")
    assert not again.created and again.version_id == first.version_id
    assert registry.read("registry_plan_version").num_rows == 1
    # the June pension extract: 王强 moved up to tier 300 (a status held on any day of
    # the year still counts, so a change of list alone would not change 2018's plan)
    people = [(id17(i), n) for i, n, _ in PEOPLE]
    tiers = {"缴费档次": ["100", "300", "100", "100"], "参保时间": ["2015-01-01"] * 4}
    june = roster(tmp_path / "pension-june.csv", people, tiers)
    import_roster(registry, june, "resident_pension", date(2018, 6, 30))
    second = plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans")
    assert second.created and second.number == 2
    changes = version_diff.diff(registry, first.version_id, second.version_id).to_pylist()
    assert changes and all(c["id_number"] == id17(PEOPLE[1][0]) for c in changes)


def test_no_people_or_no_parameters_is_a_chinese_error_and_writes_nothing(registry, tmp_path):
    import pytest

    with pytest.raises(plan.PlanError, match="登记库中没有户籍在 500000 的人员"):
        plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans")
    load(registry, tmp_path)
    with pytest.raises(plan.PlanError, match="2012年无法生成缴费计划"):
        plan.run_plan(registry, "500000", 2012, snapshots=tmp_path / "plans")
    assert registry.read("registry_plan_version").num_rows == 0
    assert registry.read("registry_contribution").num_rows == 0


@pytest.mark.kill
def test_a_killed_plan_run_leaves_the_previous_state(registry, tmp_path):
    load(registry, tmp_path)
    kill_during(
        registry,
        "plan",
        "from pathlib import Path\nfrom doudi.plan import versions as plan",
        f"plan.run_plan(database, '500000', 2018, snapshots=Path({str(tmp_path)!r}))",
    )
    assert registry.read("registry_plan_version").num_rows == 0
    assert registry.read("registry_contribution").num_rows == 0


@given(
    st.sets(st.integers(1, 400), max_size=60),
    st.lists(st.integers(-5, 450), max_size=80),
)
def test_positions_agree_with_binary_search(ids: set[int], wanted: list[int]) -> None:
    """Enrollment facts go beside the person of the same id, dense ids or not: the
    id-to-position table and the binary search find the same rows."""
    people = np.array(sorted(ids), np.int64)
    asked = np.array(wanted, np.int64)
    at, found = inputs._positions(people, asked)
    expected = [people.tolist().index(w) if w in ids else None for w in wanted]
    assert [int(a) if f else None for a, f in zip(at, found, strict=True)] == expected


def test_contribution_rows_come_in_person_and_payer_order_with_sorted_clauses():
    """One row per person and payer (no row for a zero government part), persons in id
    order and payers by name, each row's clause list sorted and distinct."""
    money = pa.decimal128(18, 2)
    out = pa.table(
        {
            "row_no": pa.array([3, 1, 2], pa.int64()),
            "rp_eligible": [True, True, False],
            "rp_collects": [True, True, True],
            "rp_self_due": pa.array([Decimal("30.00"), Decimal("0.00"), None], money),
            "rp_basis": ["B;A;B;", None, "X;"],
            "rp_fund_poverty_office": pa.array([Decimal(70), Decimal(100), Decimal(0)], money),
            "rp_fund_city": pa.array([Decimal(5), Decimal(0), Decimal(0)], money),
        }
    )
    rows = contributions.rows(out, 2018).to_pylist()
    assert [(r["person_id"], r["payer"], str(r["amount"]), r["basis"]) for r in rows] == [
        (1, "poverty_office", "100.00", ""),
        (1, "self", "0.00", ""),
        (3, "city", "5.00", "A;B"),
        (3, "poverty_office", "70.00", "A;B"),
        (3, "self", "30.00", "A;B"),
    ]
    assert contributions.rows(out.slice(0, 0), 2018).num_rows == 0


def _expected_rows(people: list[dict], payers: list[str]) -> list[tuple]:
    """The contribution rows written out plainly, person by person and payer by payer."""
    rows = []
    for p in sorted(people, key=lambda p: p["row_no"]):
        clauses = ";".join(sorted({c for c in (p["rp_basis"] or "").split(";") if c}))
        for payer in sorted([*payers, "self"]):
            if payer == "self":
                if p["rp_collects"] and p["rp_self_due"] is not None:
                    rows.append((p["row_no"], payer, p["rp_self_due"], clauses))
            elif p["rp_eligible"] and (p[f"rp_fund_{payer}"] or 0) > 0:
                rows.append((p["row_no"], payer, p[f"rp_fund_{payer}"], clauses))
    return rows


_money = st.one_of(st.none(), st.integers(0, 30000).map(lambda fen: Decimal(fen) / 100))


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "rp_eligible": st.one_of(st.none(), st.booleans()),
                "rp_collects": st.one_of(st.none(), st.booleans()),
                "rp_self_due": _money,
                "rp_basis": st.one_of(
                    st.none(), st.lists(st.sampled_from(["A", "B/1", "C", ""])).map(";".join)
                ),
                "rp_fund_county": _money,
                "rp_fund_city": _money,
            }
        ),
        max_size=40,
    ),
    st.sets(st.integers(1, 10**6), min_size=40, max_size=40),
    st.booleans(),
)
def test_contribution_rows_are_each_persons_parts_in_order(people, ids, dense) -> None:
    """Whatever the rules' output holds, and whether the person ids are dense (the
    id-to-row table) or spread out (the sort): the rows are exactly each person's
    non-zero government parts and self-paid part, persons in id order and payers by name."""
    ids = sorted(ids, reverse=True) if not dense else list(range(len(people), 0, -1))
    people = [{"row_no": i, **p} for i, p in zip(ids, people, strict=False)]
    money = pa.decimal128(18, 2)
    out = pa.table(
        {
            "row_no": pa.array([p["row_no"] for p in people], pa.int64()),
            "rp_eligible": pa.array([p["rp_eligible"] for p in people], pa.bool_()),
            "rp_collects": pa.array([p["rp_collects"] for p in people], pa.bool_()),
            "rp_self_due": pa.array([p["rp_self_due"] for p in people], money),
            "rp_basis": pa.array([p["rp_basis"] for p in people], pa.string()),
            "rp_fund_county": pa.array([p["rp_fund_county"] for p in people], money),
            "rp_fund_city": pa.array([p["rp_fund_city"] for p in people], money),
        }
    )
    got = contributions.rows(out, 2018)
    assert [(r["person_id"], r["payer"], r["amount"], r["basis"]) for r in got.to_pylist()] == (
        _expected_rows(people, ["county", "city"])
    )
    assert set(got.column("scheme").to_pylist()) <= {"resident_pension"}
    assert set(got.column("state").to_pylist()) <= {"planned"}
    assert set(got.column("year").to_pylist()) <= {2018}


_day = st.dates(date(2016, 1, 1), date(2020, 12, 31))


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "person_id": st.integers(1, 12),
                "scheme": st.sampled_from(
                    ["resident_pension", "employee_pension", "resident_medical", "employee_medical"]
                ),
                "valid_from": _day,
                "valid_to": st.one_of(st.none(), _day),
                "contribution_tier": st.one_of(
                    st.none(),
                    st.sampled_from([Decimal(50), Decimal(100), Decimal(150), Decimal(200)]),
                ),
            }
        ),
        max_size=30,
    )
)
def test_enrollment_facts_follow_the_reading_of_an_enrollment_in_the_year(enrollments) -> None:
    """Per person (ids 2..10; 1, 11 and 12 live elsewhere): resident pension holding on
    a day of 2018, ever begun by its end, the tier of the latest-starting holding one
    that names an allowed tier (the higher of two starting the same day; 50 and 150 are
    off the list, GF-2014-8/5.1, and name none), whether a holding one named a tier off
    the list that the plan would otherwise have read, employee pension and employee
    medical insurance holding in 2018."""
    first, last = date(2018, 1, 1), date(2018, 12, 31)
    ids = np.arange(2, 11, dtype=np.int64)
    table = pa.Table.from_pylist(
        enrollments,
        schema=pa.schema(
            [
                ("person_id", pa.int64()),
                ("scheme", pa.string()),
                ("region_code", pa.string()),  # where insured: not a fact of these
                ("valid_from", pa.date32()),
                ("valid_to", pa.date32()),
                ("contribution_tier", pa.decimal128(18, 2)),
            ]
        ),
    )
    allowed = (Decimal(100), Decimal(200))
    hukou = pa.chunked_array([pa.array(["360102"] * len(ids))])
    facts = inputs._enrollment_facts(table, ids, 2018, allowed, hukou)
    for i, person in enumerate(ids.tolist()):
        mine = [e for e in enrollments if e["person_id"] == person and e["valid_from"] <= last]
        holding = [e for e in mine if e["valid_to"] is None or e["valid_to"] > first]
        resident = [e for e in holding if e["scheme"] == "resident_pension"]
        named = [e for e in resident if e["contribution_tier"] is not None]
        tiers = [e for e in named if e["contribution_tier"] in allowed]
        latest = max(tiers, key=lambda e: (e["valid_from"], e["contribution_tier"]), default=None)
        assert facts["rp_enrolled"][i].as_py() == bool(resident)
        assert facts["rp_ever_enrolled"][i].as_py() == any(
            e["scheme"] == "resident_pension" for e in mine
        )
        for scheme in ("employee_pension", "employee_medical"):
            assert facts[scheme][i].as_py() == any(e["scheme"] == scheme for e in holding)
        assert facts["rp_tier"][i].as_py() == (latest and latest["contribution_tier"])
        # an off-list tier counts as ignored only where the plan would otherwise have read
        # it: it starts after every allowed one (one starting the same day as an allowed
        # one loses to it anyway; reading 31)
        last_allowed = max((e["valid_from"] for e in tiers), default=date.min)
        assert facts["rp_tier_ignored"][i].as_py() == any(
            e["valid_from"] > last_allowed for e in named if e not in tiers
        )


def test_status_rows_keep_the_jurisdictions_people_in_order_with_exit_dates():
    """An exit mark without a date counts from the period's start; a mark's date is
    kept; unmarked periods have none; people outside the jurisdiction are dropped;
    rows come by person, status and start; the in-school and unable-to-work periods
    are not the rules' statuses but facts, true where held on a day of the year (3's
    school ended on 1 January 2018, exclusive: in school until 31 December 2017)."""
    periods = pa.table(
        {
            "person_id": pa.array([5, 3, 3, 9, 3, 3, 5, 9], pa.int64()),
            "status": [
                "dibao",
                "tekun",
                "dibao",
                "dibao",
                "dibao",
                "student",
                "unable_to_work",
                "student",
            ],
            "valid_from": pa.array(
                [
                    date(2018, 1, 1),
                    date(2017, 5, 1),
                    date(2018, 3, 1),
                    date(2018, 1, 1),
                    date(2016, 1, 1),
                    date(2015, 9, 1),
                    date(2018, 12, 31),
                    date(2018, 1, 1),
                ],
                pa.date32(),
            ),
            "valid_to": pa.array([None] * 5 + [date(2018, 1, 1), None, None], pa.date32()),
            "exit_marked": [True, True, None, False, False, False, False, False],
            "exit_date": pa.array([None, date(2018, 6, 1)] + [None] * 6, pa.date32()),
        }
    )
    table, facts = inputs._statuses(periods, np.array([3, 5], np.int64), 2018)
    rows = table.to_pylist()
    assert [(r["row_no"], r["status"], r["valid_from"], r["exit_date"]) for r in rows] == [
        (3, "dibao", date(2016, 1, 1), None),
        (3, "dibao", date(2018, 3, 1), None),
        (3, "tekun", date(2017, 5, 1), date(2018, 6, 1)),
        (5, "dibao", date(2018, 1, 1), date(2018, 1, 1)),
    ]
    assert facts["student"].to_pylist() == [False, False]  # 3: school ended in 2017
    assert facts["unable_to_work"].to_pylist() == [False, True]  # 5: from 31 December
    _, in_2017 = inputs._statuses(periods, np.array([3, 5], np.int64), 2017)
    assert in_2017["student"].to_pylist() == [True, False]


def test_the_columns_the_registry_does_not_hold_are_valid_nulls_of_the_engines_types():
    """The people table's null columns share one zeroed buffer: each is what
    ``pa.nulls`` would give, and passes Arrow's full validation."""
    from doudi.policy.schema import PEOPLE as ENGINE_PEOPLE

    held = pa.table({"row_no": pa.array([1, 2, 3], pa.int64())})
    people = inputs._conform(held, ENGINE_PEOPLE.to_pyarrow())
    people.validate(full=True)
    assert people.schema == ENGINE_PEOPLE.to_pyarrow()
    for field in people.schema:
        if field.name != "row_no":
            assert people.column(field.name).equals(pa.chunked_array([pa.nulls(3, field.type)])), (
                field.name
            )


def test_plan_memory_puts_the_processs_settings_back_even_after_an_error():
    """Inside: NumPy asks for no huge pages, Arrow allocates from jemalloc; after,
    both are as they were."""
    from numpy._core import multiarray

    from doudi.plan import memory

    set_huge = multiarray._set_madvise_hugepage
    huge_before, pool_before = set_huge(True), pa.default_memory_pool()
    try:
        with pytest.raises(KeyError), memory.plan_memory():
            assert set_huge(False) is False  # off inside
            assert pa.default_memory_pool().backend_name == "jemalloc"
            raise KeyError("boom")
        assert set_huge(True) is True  # back on after
        assert pa.default_memory_pool().backend_name == pool_before.backend_name
    finally:
        set_huge(huge_before)
