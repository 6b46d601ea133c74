"""The rules over a lake export's files (``doudi plan --lake``, issue #24), on Spark or
on DuckDB, once for the programmes of a run.

Both engines do the same work: read the export's county files of people and status
periods, run the rules compiled for the registry (``kind="registry"``, as the plan on
the registry does), keep what the programmes read — the rows and columns
``evaluation.rules_on_duckdb`` keeps — and write it to the lake by province and county
(``<lake>/results/plan-<region>/``), from where it is read back for the versions. On
Spark the executors read and write (the driver holds the query only); on DuckDB this
process does, which is the operator's check of a Spark run (``doudi plan --engine
duckdb --lake``): the same files, the same rows.

The rows read back are typed as DuckDB's evaluation types them (Spark's Parquet may
widen a decimal), so either engine's run gives the very table the other does.

A costing over the lake (``costing.lake``) evaluates the same way, each side with its
rules: a reform's parameter ``overrides``, another jurisdiction's rules applied to this
``territory``'s people, and the ``extra`` columns it groups people by (as
``evaluation.evaluate`` takes them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from doudi.engine import arrow_tables
from doudi.lakehouse import layout, partitioned
from doudi.lakehouse.location import Location
from doudi.plan import evaluation
from doudi.plan.programmes import Programme
from doudi.policy.schema import PEOPLE, STATUSES


def on_lake(
    jurisdiction: str,
    year: int,
    location: Location,
    files: Mapping[str, Sequence[str]],
    results: str,
    programmes: Sequence[Programme],
    engine: str,
    spark_master: str = "local[2]",
    **rules: Any,
) -> evaluation.Evaluation:
    """The rules on ``engine`` ("spark" or "duckdb") over a lake export's Parquet
    ``files`` (by input table, paths inside ``location``; ``plan.lake_inputs``), once for
    ``programmes``, written to ``results`` in the lake by county and read back.
    ``rules``: a costing's ``overrides``, ``territory`` and ``extra`` columns."""
    if engine == "spark":
        kept = _on_spark(
            jurisdiction, year, location, files, results, programmes, spark_master, **rules
        )
    elif engine == "duckdb":
        kept = _on_duckdb(jurisdiction, year, location, files, results, programmes, **rules)
    else:
        raise ValueError(f"未知的计算引擎 {engine!r}（可用 duckdb、spark） / unknown engine")
    return evaluation.Evaluation(partitioned.read_back(location, results, kept), year)


def _on_spark(
    jurisdiction: str,
    year: int,
    location: Location,
    files: Mapping[str, Sequence[str]],
    results: str,
    programmes: Sequence[Programme],
    master: str,
    overrides: Mapping[str, Any] | None = None,
    territory: str | None = None,
    extra: Sequence[str] = (),
) -> pa.Schema:
    """The executors read the files and write the kept rows by county; the columns
    kept and their types are those of DuckDB's evaluation of no one (the compiled
    statement from the rule cache: no Ibis in this process when it answers)."""
    from doudi.engine.spark import FILES_DRIVER_MEMORY, SparkPlan

    people, statuses = (arrow_tables.empty_table(s.to_pyarrow()) for s in (PEOPLE, STATUSES))
    kept = evaluation.rules_on_duckdb(
        jurisdiction, year, people, statuses, programmes, overrides, territory, extra
    ).schema
    plan = SparkPlan(
        "registry",
        jurisdiction,
        year,
        overrides,
        master=master,
        territory=territory,
        driver_memory=FILES_DRIVER_MEMORY,
    )
    plan.write_parquet(
        {name: [location.spark_uri(f) for f in paths] for name, paths in files.items()},
        location.spark_uri(),
        location.spark_uri(results),
        layout.PARTITION_COLUMNS,
        columns=kept.names,
        where=evaluation.kept_where(programmes),
    )
    return kept


def _on_duckdb(
    jurisdiction: str,
    year: int,
    location: Location,
    files: Mapping[str, Sequence[str]],
    results: str,
    programmes: Sequence[Programme],
    overrides: Mapping[str, Any] | None = None,
    territory: str | None = None,
    extra: Sequence[str] = (),
) -> pa.Schema:
    """This process reads the files, evaluates them with DuckDB and writes the kept
    rows by county, each in its person's partition, as Spark does."""
    people = partitioned.read(location, "people", files["people"])
    statuses = partitioned.read(location, "statuses", files["statuses"])
    out = evaluation.rules_on_duckdb(
        jurisdiction,
        year,
        people.select(PEOPLE.names),
        statuses.select(STATUSES.names),
        programmes,
        overrides,
        territory,
        extra,
    )
    del statuses
    where = people.select(["row_no", *layout.PARTITION_COLUMNS])
    del people
    partitioned.write(location, results, out.join(where, "row_no"))
    return out.schema
