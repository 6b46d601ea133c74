"""The settlement of a year of bills on Spark reading a lake, against DuckDB doing the
same work (issue #24 §5): ``bench_spark.py``'s programme ``settlement``.

What: the settlement benchmark's synthetic year of Jiangxi bills (``bench_settlement
.synthetic``: N bills of 2018, their patients' status periods) written to a lake by
county as ``doudi lake export`` writes them (``lakehouse.writing``), then settled by
``plan.lake_settlement.settle`` — reading the county files, the payer waterfall, writing
every settled bill back by county — on DuckDB in the process (``doudi lake settle
--engine duckdb``), on Spark ``local[2]`` and on the two-worker cluster. Each
measurement is a fresh process (``bench_spark.py --one settlement:ENGINE N``;
``spark_runs.timed``). Each Spark run's rows are checked equal, bill by bill to the
fen, to DuckDB's settlement of the same tables in the same process.

Why: the issue's target is the settlement of 5·10^6 bills on Spark within 5× DuckDB,
and the cluster giving DuckDB's rows, its times beside local mode's.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

import spark_runs

JURISDICTION, YEAR = "360000", 2018
#: Where the parent's lake reaches the measuring processes.
LAKE_ENV = "DOUDI_BENCH_SETTLEMENT_LAKE"


def write_lake(folder: Path, n: int) -> dict[str, Any]:
    """The synthetic bills and statuses in a lake at ``folder``, by the patient's county."""
    from bench_settlement import synthetic
    from doudi.lakehouse import layout, writing
    from doudi.lakehouse.location import locate

    start = time.perf_counter()
    bills, statuses = synthetic(JURISDICTION, n)
    built = time.perf_counter() - start
    start = time.perf_counter()

    def county_of(table: pa.Table) -> pa.Array:
        return pc.utf8_slice_codeunits(table.column("id_number"), 0, 6).combine_chunks()

    b_county, s_county = county_of(bills), county_of(statuses)
    partitions = []
    for county in sorted(set(b_county.to_pylist())):
        partitions.append(
            (
                layout.partition(county),
                {
                    "bills": bills.filter(pc.equal(b_county, county)),
                    "bill_statuses": statuses.filter(pc.equal(s_county, county)),
                },
            )
        )
    header = writing.Header(JURISDICTION, JURISDICTION, YEAR, registry_batch=0)
    writing.write(locate(str(folder)), header, partitions)
    return {
        "build_seconds": built,
        "export_seconds": time.perf_counter() - start,
        "partitions": len(partitions),
        "bills": bills.num_rows,
    }


def duckdb_rows(read: Any) -> pa.Table:
    """DuckDB's settlement of the lake's tables, in this process, not written."""
    from doudi.engine import backend

    def table(name: str) -> pa.Table:
        return pa.concat_tables(pq.read_table(read.location.path(f)) for f in read.files(name))

    plan = backend.plan(JURISDICTION, YEAR, kind="bills")
    out = plan.run(bills=table("bills"), statuses=table("bill_statuses"))
    return out.sort_by("bill_no")


def measure(engine: str, master: str) -> dict[str, Any]:
    """One process: the settlement on ``engine`` ("duckdb", or "spark" on ``master``), a
    cold and a warm run (``spark_runs.timed``), its rows checked against DuckDB's."""
    from doudi.plan import lake_settlement

    read = spark_runs.read_lake(LAKE_ENV, JURISDICTION)
    figures, settled = spark_runs.timed(
        engine, master, lambda: lake_settlement.settle(read, engine, master)
    )
    figures["rows"] = figures["bills"] = settled.bills
    if engine == "spark":
        found = lake_settlement.settled_rows(read).sort_by("bill_no")
        expected = duckdb_rows(read)
        figures["differ"] = 0
        if not found.equals(expected):  # which rows: slow, but only when some differ
            a, b = found.to_pylist(), expected.to_pylist()
            figures["differ"] = abs(len(a) - len(b)) + sum(
                x != y for x, y in zip(a, b, strict=False)
            )
    return figures


def report(
    lake: dict[str, Any], results: dict[str, dict[str, Any]], cores: int, cluster: str
) -> None:
    """The settlement's table: one row per engine, each against DuckDB's median."""
    print(
        f"# settlement of {lake['bills']:,} bills of {JURISDICTION} {YEAR}: built in "
        f"{lake['build_seconds']:.1f} s, lake written in {lake['export_seconds']:.1f} s, "
        f"{lake['partitions']} counties"
    )
    spark_runs.table(results, lake["bills"], "bills", cores, cluster)
