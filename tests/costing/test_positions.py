"""The costing's arithmetic by position (costing/positions.py): money to integer fen and
back to the fen, each id's position whether the ids are dense or not, the sums per
position, the merge of two sides' keys (costing/rows.py) and the distribution's bins
(costing/tables.py), each against the plain arithmetic it replaces."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from doudi.costing.positions import Part, Positions, _part_sums, fen, money
from doudi.costing.rows import _merged
from doudi.costing.tables import ZERO, bins, distribution

#: DECIMAL(18, 2): 16 digits of yuan.
AMOUNTS = st.decimals(
    min_value=Decimal("-9999999999999999.99"),
    max_value=Decimal("9999999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@settings(deadline=None)
@given(st.lists(AMOUNTS, max_size=50))
def test_money_to_fen_and_back_is_the_same_to_the_fen(amounts):
    column = pa.chunked_array([pa.array(amounts, pa.decimal128(18, 2))])
    cents = fen(column)
    assert cents.tolist() == [int(a * 100) for a in amounts]
    assert money(cents).to_pylist() == amounts


def test_a_null_amount_is_no_money():
    assert fen(
        pa.chunked_array([pa.array([None, Decimal("1.25")], pa.decimal128(18, 2))])
    ).tolist() == [0, 125]


@settings(deadline=None)
@given(
    st.sets(st.integers(min_value=-(10**12), max_value=10**12), max_size=40),
    st.lists(st.integers(-(10**12), 10**12), max_size=40),
)
def test_each_id_is_found_at_its_position_dense_or_not(ids, keys):
    ordered = np.array(sorted(ids), np.int64)
    asked = np.array([*keys, *ids], np.int64)
    expected = [sorted(ids).index(k) if k in ids else -1 for k in asked.tolist()]
    assert Positions(ordered).of(asked).tolist() == expected
    dense = np.arange(100, 100 + len(ids), dtype=np.int64)
    assert Positions(dense).of(dense[::-1]).tolist() == list(range(len(ids)))[::-1]


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 12), st.booleans(), *[st.integers(-(10**15), 10**15)] * 2),
        max_size=40,
    ),
    st.booleans(),
)
def test_the_sums_per_person_are_the_rows_sums_in_any_order(rows, ordered):
    """Each person's four sums (paid and owed, each side) are the sums of their rows,
    in person order or not; ids 10–12 are no one read, their rows left out."""
    if ordered:
        rows = sorted(rows, key=lambda row: row[0])
    person, own, before, after = (
        np.array([row[i] for row in rows], kind)
        for i, kind in enumerate((np.int64, bool, np.int64, np.int64))
    )
    part = Part(pa.table({"x": pa.nulls(len(rows))}), person, own, before, after)
    at, sums = _part_sums(part, Positions(np.arange(10, dtype=np.int64)))
    held = sorted({p for p, *_ in rows if p < 10})
    assert at.tolist() == held
    for name, side, mine in (
        ("base_paid", 2, False),
        ("base_owed", 2, True),
        ("reform_paid", 3, False),
        ("reform_owed", 3, True),
    ):
        expected = [sum(r[side] for r in rows if r[0] == p and r[1] == mine) for p in held]
        assert sums[name].tolist() == expected, name


@settings(deadline=None)
@given(st.sets(st.integers(0, 10**6), max_size=30), st.sets(st.integers(0, 10**6), max_size=30))
def test_two_runs_of_keys_merge_into_their_distinct_keys_each_at_its_place(mine, theirs):
    a, b = np.array(sorted(mine), np.int64), np.array(sorted(theirs), np.int64)
    key, mine_at, their_at = _merged(a, b)
    assert key.tolist() == sorted(mine | theirs)
    assert key[mine_at].tolist() == a.tolist() and key[their_at].tolist() == b.tolist()


#: Changes at and beside the distribution's edges (0, 50, 100, 200, 500, 1000 yuan), up
#: and down, and any others.
CHANGES = st.one_of(
    st.sampled_from([Decimal(edge) for edge in (0, 50, 100, 200, 500, 1000)]),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("5000"), places=2),
).flatmap(lambda d: st.sampled_from([d, -d, d + Decimal("0.01"), -d - Decimal("0.01")]))


@settings(deadline=None)
@given(st.lists(CHANGES, max_size=40))
def test_each_change_is_counted_in_the_bin_its_size_falls_in(changes):
    persons = pa.table({"change": pa.array(changes, pa.decimal128(18, 2))})
    expected = []
    for b in bins():
        held = [
            c
            for c in changes
            if (c == 0 if b.sign == 0 else b.sign * c > b.low)
            and (b.high is None or b.sign * c <= b.high)
        ]
        expected.append({"bin": b.label, "people": len(held), "total_change": sum(held, ZERO)})
    assert distribution(persons).to_pylist() == expected
