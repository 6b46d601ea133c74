"""The work-injury benchmark's hand-written statements (benchmarks/bench_work_injury.py)
find the rows the checks find, list by list, on a small county set of its own generator:
the floor the checks are timed against stays the same findings as the checks change.

10^5 project workers (10^3 projects, 500 cases) are the fewest at which the generator's
seed plants a row in every list Jiangxi and Chongqing order.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

import pyarrow as pa
import pytest

from conftest import REPO

WORKERS = 100_000


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(REPO / "benchmarks"))
        yield importlib.import_module("bench_work_injury")


@pytest.mark.parametrize(
    ("region", "not_ordered"),
    [("360000", "priority_queue"), ("500000", "pneumoconiosis")],
)
def test_hand_statements_find_the_same_rows_as_the_checks(
    bench: ModuleType, region: str, not_ordered: str
) -> None:
    tables = bench.county_set(WORKERS, region)
    found = bench.checks_findings(tables, region)
    hand = bench.hand_findings(tables, region)
    assert not_ordered not in hand
    assert found.finding(not_ordered).num_rows == 0
    for name in bench.ordered(region):
        assert found.finding(name).num_rows > 0, f"{name}: nothing planted at this size"
        assert bench.differing(found.finding(name), hand[name], name) == 0, name


def test_a_row_changed_or_missing_is_counted(bench: ModuleType) -> None:
    checks = pa.table(
        {
            "county_code": ["360102", "360102"],
            "project_id": ["GC00001", "GC00002"],
            "contractor": ["甲公司", "乙公司"],
            "start_date": pa.array([None, None], pa.date32()),
            "insured_from": pa.array([None, None], pa.date32()),
        }
    )
    other = checks.set_column(2, "contractor", pa.array(["甲公司", "丙公司"]))
    assert bench.differing(checks, checks, "started_before_cover") == 0
    assert bench.differing(checks, other, "started_before_cover") == 2  # one lacked each way
    assert bench.differing(checks, checks.slice(1), "started_before_cover") == 1
