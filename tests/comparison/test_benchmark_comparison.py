"""The registry benchmark's floor (benchmarks/comparison_hand.py): the hand-written
statements find every row of every finding the comparison finds on the benchmark's
synthetic Jiangxi, every column, so the ratio bench_registry reports compares the same
answers (issue #25 §1).

5·10^4 insured are enough for the generator to plant rows in all eight findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pyarrow as pa
import pytest

from doudi.comparison.compare import FINDINGS, compare
from support import benchmark

INSURED = 50_000


@pytest.fixture(scope="module")
def modules() -> Iterator[tuple[ModuleType, ModuleType]]:
    with benchmark("bench_registry", "comparison_hand") as (bench, hand):
        yield bench, hand


@pytest.fixture(scope="module")
def found(
    modules: tuple[ModuleType, ModuleType],
) -> tuple[dict[str, pa.Table], dict[str, pa.Table]]:
    bench, hand = modules
    tables = bench.province(INSURED, round(INSURED * bench.STATUS_ROWS_PER_INSURED))
    compared = compare(tables, bench.REGION, bench.AS_OF)
    return (
        {name: compared.finding(name) for name, _ in FINDINGS},
        hand.findings(tables, bench.AS_OF),
    )


def test_hand_statements_find_every_row_of_every_finding(
    modules: tuple[ModuleType, ModuleType],
    found: tuple[dict[str, pa.Table], dict[str, pa.Table]],
) -> None:
    compared, by_hand = found
    for name, _ in FINDINGS:
        assert compared[name].num_rows > 0, f"{name}: nothing planted at this size"
    assert modules[1].differing(compared, by_hand) == {name: 0 for name, _ in FINDINGS}


def test_a_row_changed_or_missing_is_counted(modules: tuple[ModuleType, ModuleType]) -> None:
    hand = modules[1]
    rows = pa.table({"id_number": ["360102198005120025", "360102199001010077"], "age": [38, 28]})
    changed = rows.set_column(1, "age", pa.array([38, 29]))
    assert hand.differing({"x": rows}, {"x": rows}) == {"x": 0}
    assert hand.differing({"x": rows}, {"x": changed}) == {"x": 2}  # one lacked each way
    assert hand.differing({"x": rows}, {"x": rows.slice(1)}) == {"x": 1}
