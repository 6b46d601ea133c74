"""The lake export benchmark (benchmarks/bench_lake_export.py) measures what it claims:
its synthetic Jiangxi loaded into a migrated SQLite registry, one ``doudi lake export``
of it, and the manifest's rows are the registry's — counted here by reading the
registry's tables, apart from the benchmark's own SQL counts, which must agree too.

2,000 insured: a few seconds, every county of the province still has people.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from doudi.plan.inputs import RULE_STATUSES
from doudi.store import db
from support import benchmark

INSURED = 2_000


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    with benchmark("bench_lake_export") as found:
        yield found[0]


def test_the_benchmarks_export_holds_the_registrys_rows(
    bench: ModuleType, _django: None, tmp_path: Path
) -> None:
    database = db.register(f"lake_bench_{tmp_path.name}", f"sqlite:///{tmp_path}/registry.sqlite3")
    database.migrate()
    tables = bench.tables_of(INSURED, INSURED // 5, sources=True)
    loaded = bench.load(database, tables)
    assert loaded["registry_person"]["rows"] == INSURED
    assert not tables  # each table let go once loaded

    lake_dir = tmp_path / "lake"
    run = bench.timed_export(database, lake_dir)
    counts = bench.registry_counts(database)
    assert bench.differences(run, counts) == []

    manifest = json.loads((lake_dir / "manifest.json").read_text("utf-8"))
    rows = {name: table["rows"] for name, table in manifest["tables"].items()}
    people = database.read("registry_person", columns=["id", "hukou_region"])
    periods = database.read("registry_status_period", columns=["status"])
    ruled = pc.sum(pc.is_in(periods.column("status"), value_set=pa.array(RULE_STATUSES)))
    assert rows["people"] == rows["registry_person"] == people.num_rows == INSURED
    assert rows["statuses"] == ruled.as_py() > 0
    assert rows["registry_status_period"] == periods.num_rows
    assert (
        rows["registry_enrollment"] == database.read("registry_enrollment", columns=["id"]).num_rows
    )
    batches = database.read("registry_import_batch", columns=["id"]).column("id")
    assert manifest["registry_batch"] == pc.max(batches).as_py() == run["registry_batch"]
    # every stage was timed, and the reads add up to no more than the reading transaction
    assert 0 < run["read_seconds"] <= run["transaction_seconds"] < run["seconds"]
    assert {read[0] for read in run["reads"]} == set(bench.READ_GROUPS)
    assert run["made_seconds"] > 0 and run["write_seconds"] > 0
    # the takes and the encoding run on the writer's threads: their sums may exceed it
    assert 0 < run["split_seconds"] + run["files_seconds"] < run["write_seconds"]
    assert run["take_seconds"] > 0 and run["encode_seconds"] > 0
    assert run["counties"] == len(manifest["partitions"]) > 1
