"""The settlement benchmark's floor (benchmarks/settlement_hand.py): the hand-written
window query settles the benchmark's bills as Doudi does, every amount of every bill,
so the ratio bench_settlement reports compares the same work (issue #25 §1).

10^4 bills of the benchmark's Jiangxi year (2,000 people) hold poor and non-poor
patients, the 15 major diseases, both chronic classes, and people whose yearly
basic and critical-illness deductibles and caps take effect.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from doudi.engine import backend
from support import benchmark

BILLS = 10_000


@pytest.fixture(scope="module")
def hand() -> Iterator[ModuleType]:
    with benchmark("settlement_hand") as (module,):
        yield module


@pytest.fixture(scope="module")
def settled(hand: ModuleType) -> Iterator[tuple[pa.Table, pa.Table]]:
    with benchmark("bench_settlement") as (bench,):
        bills, statuses = bench.synthetic(hand.JURISDICTION, BILLS)
        plan = backend.plan(hand.JURISDICTION, bench.YEAR, {}, kind="bills")
        yield plan.run(bills=bills, statuses=statuses), hand.settle(bills, statuses)


def test_jx_2017_58_2_2_hand_query_settles_every_amount_as_doudi(
    hand: ModuleType, settled: tuple[pa.Table, pa.Table]
) -> None:
    doudi, by_hand = settled
    assert by_hand.num_rows == doudi.num_rows == BILLS
    assert hand.differing(doudi, by_hand) == 0


def test_the_bills_reach_the_rules_the_query_writes_in(
    settled: tuple[pa.Table, pa.Table],
) -> None:
    doudi, _ = settled

    def some(mask: pa.ChunkedArray) -> bool:
        return bool(pc.any(mask).as_py())

    assert some(doudi["dibao"]) and some(doudi["registered_poor"])
    assert some(pc.greater(doudi["ci_standard_paid"], 0))  # JX-2017-58/2.2.4
    assert some(pc.greater(doudi["critical_illness_paid"], doudi["ci_standard_paid"]))
    assert some(pc.greater(doudi["assistance_paid"], 0))
    assert some(pc.equal(doudi["claim_type"], "chronic_2"))
    assert some(pc.is_valid(doudi["disease"]))  # JX-2017-58/2.2.6


def test_a_changed_or_missing_bill_is_counted(hand: ModuleType) -> None:
    one = pa.table({"bill_no": [1, 2], **{c: pa.array([1, 2], pa.int64()) for c in hand.COMPARED}})
    at = one.schema.get_field_index("basic_paid")
    changed = one.set_column(at, "basic_paid", pa.array([1, 3], pa.int64()))
    assert hand.differing(one, one) == 0
    assert hand.differing(one, changed) == 1
    assert hand.differing(one, one.slice(1)) == 1
