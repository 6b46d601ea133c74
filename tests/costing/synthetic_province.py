"""bench_plan's synthetic Jiangxi of 10^4 insured as Arrow tables (as
tests/costing/test_benchmark_costing.py), for the costing's tests that compare two ways
of costing it, and what a costing found, as plain values to compare."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

import pyarrow as pa
import pytest

from conftest import REPO
from doudi.costing import run

INSURED = 10_000
REFORMS = {
    "minimum tier 200": REPO / "examples/reforms/jiangxi-minimum-tier-200.yaml",
    "Chongqing's rules": REPO / "examples/reforms/chongqing-rules-on-jiangxi.yaml",
}


def made() -> Iterator[tuple[dict[str, pa.Table], pa.Table]]:
    """The province's input tables and its people's places (a module fixture's body)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(REPO / "benchmarks"))
        bench: ModuleType = importlib.import_module("bench_costing")
        from bench_registry import STATUS_ROWS_PER_INSURED, province
        from doudi.plan import inputs
        from province_sources import add_sources

        tables = province(INSURED, round(INSURED * STATUS_ROWS_PER_INSURED))
        add_sources(tables)
        yield (
            {name: tables[name] for name in inputs.INPUT_TABLES},
            bench.places_of(tables["registry_person"]),
        )


def results(found: run.Costing) -> dict[str, list[dict]]:
    """Everything a costing found, as plain values."""
    return {
        "rows": found.rows.to_pylist(),
        "persons": found.persons.to_pylist(),
        "by_payer": found.by_payer.to_pylist(),
        "by_region": found.by_region.to_pylist(),
        "by_group": found.by_group.to_pylist(),
        "distribution": found.distribution.to_pylist(),
        "notes": list(found.notes),
    }
