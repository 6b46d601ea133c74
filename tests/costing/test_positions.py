"""The costing's arithmetic by position (costing/positions.py): money to integer fen and
back to the fen, and each id's position whether the ids are dense or not."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from doudi.costing.positions import Positions, fen, money

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
