"""What a costing skips changes none of its results: the programmes the reform provably
leaves as they are (costing.lineage) are not evaluated again, and a programme whose two
sides' rows are equal is not joined — a costing forced to evaluate and join every
programme gives the same rows, persons and tables, to the fen and the clause.

On bench_plan's synthetic Jiangxi of 10^4 insured (as tests/costing/
test_benchmark_costing.py), under the shipped reforms and one that changes no amount.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pyarrow as pa
import pytest
import synthetic_province
from costing_people import reform
from hypothesis import given, settings
from hypothesis import strategies as st
from synthetic_province import REFORMS, results

from doudi.costing import reform as reforms
from doudi.costing import rows, run


@pytest.fixture(scope="module")
def province() -> Iterator[tuple[dict[str, pa.Table], pa.Table]]:
    yield from synthetic_province.made()


@pytest.mark.parametrize(
    "change",
    [
        *(reforms.load(path) for path in REFORMS.values()),
        # Jiangxi never reads the share (JX-2017-58/2.1.1): every programme the baseline's
        reform({"resident_pension.gov_paid_share": 0.5}),
    ],
    ids=[*REFORMS, "a share no rule reads"],
)
def test_skipping_what_the_reform_leaves_changes_no_result(province, change, monkeypatch):
    tables, places = province
    skipped = run.cost_tables(dict(tables), places, change, "360000")
    monkeypatch.setattr(run, "_unchanged", lambda *args: [])
    monkeypatch.setattr(rows, "_equal", lambda mine, theirs: False)
    whole = run.cost_tables(dict(tables), places, change, "360000")
    assert results(skipped) == results(whole)
    assert skipped.amounts.num_rows == whole.amounts.num_rows > 0


def test_NAT_2017_59_2_1_a_higher_minimum_tier_evaluates_only_the_pension_again(
    province, monkeypatch
):
    tables, places = province
    evaluated = []
    original = run._evaluate

    def spy(engine, side, programmes, **rules):
        evaluated.append([p.code for p in programmes])
        return original(engine, side, programmes, **rules)

    monkeypatch.setattr(run, "_evaluate", spy)
    run.cost_tables(dict(tables), places, reforms.load(REFORMS["minimum tier 200"]), "360000")
    assert evaluated == [
        ["resident_pension", "resident_medical", "unemployment"],
        ["resident_pension"],
    ]


MONEY = pa.decimal128(18, 2)
fen = st.integers(0, 100_000).map(lambda f: Decimal(f) / 100)


@st.composite
def contribution_rows(draw) -> pa.Table:
    """A programme's contribution rows: distinct persons and payers, any amounts and
    clause lists (empty ones too)."""
    keys = draw(
        st.lists(
            st.tuples(st.integers(1, 20), st.sampled_from(("county", "province", "self"))),
            unique=True,
            max_size=12,
        )
    )
    n = len(keys)
    return pa.table(
        {
            "person_id": pa.array([k[0] for k in keys], pa.int64()),
            "scheme": ["resident_pension"] * n,
            "payer": [k[1] for k in keys],
            "amount": pa.array(draw(st.lists(fen, min_size=n, max_size=n)), MONEY),
            "basis": draw(st.lists(st.sampled_from(("", "A", "A;B")), min_size=n, max_size=n)),
        }
    )


@settings(max_examples=40, deadline=None)
@given(contribution_rows(), st.sampled_from((None, "测算：参数调整（resident_pension.x=1）")))
def test_rows_equal_on_both_sides_are_what_their_join_gives(found, note):
    same = rows._same_rows(found, note)
    join = rows._joined("resident_pension", found, found, note)
    kept, joined = same.table.to_pylist(), join.table.to_pylist()

    def order(r):
        return (r["person_id"], r["payer"])

    assert sorted(kept, key=order) == sorted(joined, key=order)
    # what the persons' sums are added from, row for row: ids, own parts, fen
    for part, table in ((same, same.table), (join, join.table)):
        assert part.person.tolist() == table.column("person_id").to_pylist()
        assert part.own.tolist() == [p == "self" for p in table.column("payer").to_pylist()]
        for side, column in ((part.before, "baseline"), (part.after, "reform")):
            assert side.tolist() == [int(a * 100) for a in table.column(column).to_pylist()]


def test_reading_31_a_reforms_tiers_made_over_the_baseline_are_what_a_second_reading_gives(
    province,
):
    """A reform of the tier list alone has its tier facts made again over the baseline's
    inputs (``inputs.tiers_held``), not the registry read again: the same people,
    status rows and ignored tiers as reading it again under the reform's tier list
    (docs/readings.md 31). A minimum tier of 300 with the 100 tier retained for the
    poor (JX 2018's) takes 200 off the list: the 200-yuan enrollments name no tier."""
    from doudi.plan import inputs

    tables, _ = province
    params = reform({"resident_pension.minimum_tier": 300}).reform_params()
    base = inputs.inputs_from_tables(tables, "360000", 2018)
    again = inputs.inputs_from_tables(tables, "360000", 2018, None, params)
    held = inputs.tiers_held(base, tables["registry_enrollment"], 2018, params)
    assert held.people.equals(again.people)
    assert held.statuses.equals(again.statuses)
    assert held.tiers_ignored.to_pylist() == again.tiers_ignored.to_pylist()
    # the reform's list did change what is read: some tier ignored, the tiers not the same
    assert len(held.tiers_ignored) > len(base.tiers_ignored)
    assert not held.people.column("rp_tier").equals(base.people.column("rp_tier"))
