"""The waterfall's yearly accumulation (policy/settlement/waterfall.py), on its own.

A fixed cap is settled as min(U_k, C) − min(U_k − u_k, C) in one window; a cap
that may change within a person's year with the general running-maximum formula
in two. The shortcut must agree with the general formula whenever the cap is in
fact the same all year, or declaring a cap fixed would change amounts.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import ibis
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from doudi.policy.expr import MONEY, ratio
from doudi.policy.settlement.waterfall import Segment, layer

CON = ibis.duckdb.connect()
FEN = st.integers(0, 5_000_000).map(lambda f: Decimal(f) / 100)


def bills_table(rows: list[tuple[int, Decimal, Decimal]]) -> ibis.Table:
    """(person-year, amount, cap) per bill, numbered in order."""
    return ibis.memtable(
        pa.table(
            {
                "bill_no": pa.array(range(len(rows)), pa.int64()),
                "_person_year": pa.array([r[0] for r in rows], pa.int64()),
                "_seq": pa.array(range(len(rows)), pa.int64()),
                "amount": pa.array([r[1] for r in rows], pa.decimal128(18, 2)),
                "cap": pa.array([r[2] for r in rows], pa.decimal128(18, 2)),
            }
        )
    )


def settle_layer(t: ibis.Table, cap_varies: bool) -> list[Decimal]:
    out = layer(
        t,
        "basic",
        "amount",
        yearly_deductible=None,
        segments=[Segment(ibis.literal(Decimal(0), type=MONEY), ratio("0.9"))],
        cap=t.cap,
        cap_varies=cap_varies,
    )
    result = CON.to_pyarrow(out.order_by("bill_no").select("basic_paid"))
    return result.column("basic_paid").to_pylist()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 2), FEN), min_size=1, max_size=12),
    st.dictionaries(st.integers(0, 2), FEN, min_size=3),
)
def test_a_fixed_cap_settles_as_the_general_formula(bills, caps):
    """Each person-year has one cap: both formulas pay the same to the fen."""
    t = bills_table([(who, amount, caps[who]) for who, amount in bills])
    assert settle_layer(t, cap_varies=False) == settle_layer(t, cap_varies=True)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(FEN, st.sampled_from(["80000", "100000"])), min_size=1, max_size=12))
def test_a_varying_cap_is_never_exceeded_and_never_negative(bills):
    """A cap that rises (or falls back) within the year: the running total paid never
    exceeds the highest cap granted so far, and no bill is paid a negative amount."""
    t = bills_table([(0, amount, Decimal(cap)) for amount, cap in bills])
    paid = settle_layer(t, cap_varies=True)
    total = Decimal(0)
    highest = Decimal(0)
    for (amount, cap), p in zip(bills, paid, strict=True):
        highest = max(highest, Decimal(cap))
        total += p
        assert Decimal(0) <= p <= (amount * Decimal("0.9")).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert total <= highest
