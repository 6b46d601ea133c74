"""The waterfall's yearly accumulation (policy/settlement/waterfall.py), on its own.

A fixed cap is settled as min(U_k, C) − min(U_k − u_k, C) in one window; a cap
that may change within a person's year with the general running-maximum formula
in two, or in one when its possible values are known. The shortcuts must agree
with the general formula, or declaring a cap fixed would change amounts.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import ibis
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from doudi.policy.expr import MONEY, ratio
from doudi.policy.settlement.waterfall import Segment, layer

CON = ibis.duckdb.connect()
FEN = st.integers(0, 5_000_000).map(lambda f: Decimal(f) / 100)
#: amounts of hospital bills that reach a 300,000-yuan cap in two or three bills
BIG = st.integers(0, 25_000_000).map(lambda f: Decimal(f) / 100)


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


def settle_layer(
    t: ibis.Table,
    cap_varies: bool,
    deductible: Decimal | None = None,
    cap_values: tuple[Decimal, ...] = (),
) -> list[Decimal]:
    out = layer(
        t,
        "basic",
        "amount",
        yearly_deductible=None if deductible is None else ibis.literal(deductible, type=MONEY),
        segments=[Segment(ibis.literal(Decimal(0), type=MONEY), ratio("0.9"))],
        cap=t.cap,
        cap_varies=cap_varies,
        cap_values=cap_values,
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


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 1), BIG, st.sampled_from(["300000", "500000"])),
        min_size=1,
        max_size=12,
    )
)
# (400,000 − 10,000) × 0.9 = 351,000 is held at 300,000; then the cap rises to 500,000
@example([(0, Decimal(400000), "300000"), (0, Decimal(100000), "500000")])
def test_a_cap_with_known_values_settles_in_one_window_as_the_general_formula(bills):
    """Shandong's critical-illness cap (300,000, or 500,000 for registered poor) can
    change within the year; knowing its values, one window gives the same amounts."""
    t = bills_table([(who, amount, Decimal(cap)) for who, amount, cap in bills])
    values = (Decimal(300000), Decimal(500000))
    general = settle_layer(t, cap_varies=True, deductible=Decimal(10000))
    stepwise = settle_layer(t, cap_varies=True, deductible=Decimal(10000), cap_values=values)
    assert stepwise == general
