"""The information comparison on Spark reading a lake, against DuckDB (issue #24 §5):
``bench_spark.py``'s programme ``comparison``.

What: the registry benchmark's synthetic Jiangxi of N insured (``bench_registry.province``:
the seven registry tables the comparison reads, built as Arrow, no registry database)
written to a lake as ``doudi lake export`` writes them (``plan.lake_registry.by_county``:
a person's rows in their hukou county, a batch with its scope and rejected rows in its
first county; ``lakehouse.writing``), then ``lakejobs.comparison.compare`` on
2018-03-31 — read the county files, every finding, write them by county — on DuckDB
in the process (``--engine duckdb``: the lake's files read into the process, the
comparison and its summary), on Spark ``local[2]`` and on the two-worker cluster.
Each measurement is a fresh process (``bench_spark.py --one comparison:ENGINE N``),
timed as every programme is (``spark_runs``). Every Spark run's findings are checked
equal, row by row, to DuckDB's comparison of the same files in the same process.

Why: the issue's target is the comparison of 10^7 insured on Spark within 5× DuckDB
(the same work: read the lake, every finding, write by county), the cluster giving
DuckDB's rows.
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import spark_runs

REGION = JURISDICTION = "360000"
YEAR = 2018
AS_OF = date(2018, 3, 31)
#: Where the parent's lake reaches the measuring processes.
LAKE_ENV = "DOUDI_BENCH_COMPARISON_LAKE"


def write_lake(folder: Path, n: int) -> dict[str, Any]:
    """The synthetic registry of ``n`` insured in a lake at ``folder``, as the export
    writes the comparison's tables; the seconds to build it and to write it apart."""
    from bench_registry import STATUS_ROWS_PER_INSURED, province
    from doudi.lakehouse import layout, writing
    from doudi.lakehouse.location import locate
    from doudi.plan import lake, lake_registry

    start = time.perf_counter()
    tables = province(n, round(n * STATUS_ROWS_PER_INSURED))
    read = {name: tables.pop(name).select(list(c)) for name, c in lake_registry.COLUMNS.items()}
    # the export reads the batches whose import covered a county of the region (with
    # their rejected rows); the generator's enrollment extracts have no entries, so no
    # scope: not exported
    scoped = pc.unique(read["registry_import_scope"].column("batch_id"))
    for name, column in (("registry_import_batch", "id"), ("registry_rejected_row", "batch_id")):
        read[name] = read[name].filter(pc.is_in(read[name].column(column), value_set=scoped))
    built = time.perf_counter() - start
    start = time.perf_counter()
    compared = lake_registry.by_county(read, REGION)
    del read
    names = sorted(set().union(*(pc.unique(c).to_pylist() for _, c in compared.values())))
    index = pa.array(names, pa.string())
    split = {}
    for name, (table, county) in compared.items():
        codes = pc.index_in(county, value_set=index).to_numpy(zero_copy_only=False)
        split[name] = lake.split_rows(table, np.asarray(codes, np.int64), len(names))
    partitions = (
        (layout.partition(code), {name: split[name].part(i) for name in split})
        for i, code in enumerate(names)
    )
    header = writing.Header(REGION, JURISDICTION, YEAR, registry_batch=0)
    writing.write(locate(str(folder)), header, partitions)
    return {
        "build_seconds": built,
        "export_seconds": time.perf_counter() - start,
        "partitions": len(names),
        "rows": {name: t.num_rows for name, (t, _) in compared.items()},
    }


def read_lake() -> Any:
    """The lake's export as the comparison's input (the registry's position is not
    checked: there is no registry behind a synthetic lake)."""
    from doudi.lakehouse.location import locate
    from doudi.lakehouse.manifest import load
    from doudi.plan.lake_inputs import FromLake

    location = locate(os.environ[LAKE_ENV])
    found = load(location)
    assert found is not None
    return FromLake(location, found, REGION, tuple(sorted(found.parts)))


def measure(engine: str, master: str) -> dict[str, Any]:
    """One process: the comparison on ``engine`` ("duckdb", or "spark" on ``master``), a
    cold and a warm run (``spark_runs.timed``), the Spark run's findings checked against
    DuckDB's of the same files."""
    from doudi.lakejobs import comparison

    read = read_lake()
    figures, done = spark_runs.timed(
        engine, master, lambda: comparison.compare(read, AS_OF, engine, master)
    )
    figures["rows"] = done.rows
    figures["people"] = read.manifest.rows("registry_person", list(read.keys))
    if engine == "spark":
        figures["differ"] = differing(read, comparison.found_rows(read.location, REGION))
    return figures


def differing(read: Any, found: dict[str, pa.Table]) -> int:
    """The rows, over every finding, in which ``found`` (a Spark run's, read back) and
    DuckDB's comparison of the same files in this process differ."""
    from doudi.comparison import compare as comparing
    from doudi.lakejobs import comparison

    expected = comparing.compare(comparison.read_tables(read), REGION, AS_OF)
    differ = 0
    for name, _ in comparing.FINDINGS:
        a = found[name].to_pylist()
        b = comparison.in_order(expected.finding(name)).to_pylist()
        differ += abs(len(a) - len(b)) + sum(x != y for x, y in zip(a, b, strict=False))
    return differ


def report(
    lake: dict[str, Any], results: dict[str, dict[str, Any]], cores: int, cluster: str
) -> None:
    """The comparison's table: one row per engine, each against DuckDB's median."""
    people = results["duckdb"]["people"]
    print(
        f"# comparison of {people:,} insured of {REGION} on {AS_OF}: registry built in "
        f"{lake['build_seconds']:.1f} s, lake written in {lake['export_seconds']:.1f} s, "
        f"{lake['partitions']} counties; rows {lake['rows']}"
    )
    print(f"# findings (DuckDB): {results['duckdb']['rows']}")
    spark_runs.table(results, people, "insured", cores, cluster)
