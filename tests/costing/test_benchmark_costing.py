"""The costing benchmark's check (benchmarks/bench_costing.py): a costing of the example
reform on bench_plan's synthetic province gives, per programme and payer, the totals of
the plan run twice — the baseline's, and the plan with the reform's parameters — so
the comparison the benchmark times cannot drift from what it claims to compare.

10^4 insured is the fewest at which the province's generator gives rows of all three of
Jiangxi's programmes and people whose pension contribution the reform raises.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from decimal import Decimal
from types import ModuleType

import pyarrow as pa
import pytest

from conftest import REPO

INSURED = 10_000


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(REPO / "benchmarks"))
        yield importlib.import_module("bench_costing")


@pytest.fixture(scope="module")
def province(bench: ModuleType) -> tuple[dict[str, pa.Table], pa.Table]:
    from bench_registry import STATUS_ROWS_PER_INSURED, province
    from doudi.plan import inputs
    from province_sources import add_sources

    made = province(INSURED, round(INSURED * STATUS_ROWS_PER_INSURED))
    add_sources(made)
    tables = {name: made[name] for name in inputs.INPUT_TABLES}
    return tables, bench.places_of(made["registry_person"])


def test_costing_totals_equal_the_plan_run_twice(
    bench: ModuleType, province: tuple[dict[str, pa.Table], pa.Table]
) -> None:
    tables, places = province
    planned = bench.plans(tables)
    costed = bench.costing(dict(tables), places)
    assert bench.differing(costed, planned) == []
    programmes = {key.split("/")[0] for key in costed}
    assert programmes == {"resident_pension", "resident_medical", "unemployment"}
    # the reform raises the minimum tier (100 → 200 yuan): people owe more
    owed = costed["resident_pension/self"]
    assert Decimal(owed["reform"]) > Decimal(owed["baseline"]) > 0


def test_a_differing_total_is_named(bench: ModuleType) -> None:
    costed = {"resident_pension/county": {"baseline": "100.00", "reform": "100.00"}}
    planned = {"resident_pension/county": {"baseline": "100.00", "reform": "100.01"}}
    assert bench.differing(costed, costed) == []
    assert bench.differing(costed, planned) == [
        "resident_pension/county reform: costing 100.00, plan 100.01"
    ]
    # a line only one side has counts as 0.00 on the other
    assert bench.differing(costed, {}) == [
        "resident_pension/county baseline: costing 100.00, plan 0.00",
        "resident_pension/county reform: costing 100.00, plan 0.00",
    ]
