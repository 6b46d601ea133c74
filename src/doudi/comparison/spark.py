"""The comparison's statements run by Spark over Parquet files (issue #24).

There is one definition of each step: the DuckDB SQL of :mod:`~doudi.comparison.staging`,
:mod:`~doudi.comparison.counting` and :mod:`~doudi.comparison.findings`. Here each
statement is translated to Spark SQL by SQLGlot (Ibis's own SQL compiler, installed
with it): ``string_agg(… ORDER BY …)`` becomes ``listagg(…) WITHIN GROUP``, a null's
place in an ``ORDER BY`` is written out (DuckDB puts nulls last, Spark first),
``$as_of`` becomes Spark's named parameter ``:as_of``, bound by ``spark.sql`` (values
from callers never enter the text, as on DuckDB). A staging table (``CREATE TEMP TABLE
x AS SELECT …``) becomes a temporary view of the SELECT, checkpointed locally: the
executors compute them all in one job once staged and keep them for the findings that
read them (:meth:`Staged.keep`).

Spark's cost on a comparison is mostly fixed per job (planning, scheduling, a file per
county committed), not per row (docs/scale.md): so the views are computed together, the
findings are written by several jobs at once (:data:`WRITERS`), and a written finding
loses its final ORDER BY (rows written by partition keep no order; they are read back
in the report's order).

The registry tables are the executors' reading of the lake's files; only the lookups
(labels, the counties' names and jurisdictions, the enrollment regions' names: a few
thousand rows at most) are made on the driver, and the distinct enrollment region
codes are the one thing it collects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pyarrow as pa
import sqlglot
from sqlglot import expressions as exp

from doudi.comparison import counting, findings, staging, summary

#: The findings Spark writes as they are; the name pairs are split in Python after
#: (``findings.name_pairs``).
PAIRS = "name_pairs"
#: Findings written at once (jobs submitted from as many driver threads): each is a few
#: small stages whose fixed cost (planning, scheduling, committing a file per county)
#: would otherwise be paid one after the other while the executors wait.
WRITERS = 4


def to_spark(sql: str, ordered: bool = True) -> tuple[str | None, str]:
    """A DuckDB statement as Spark SQL: the temporary table it creates (None for a
    query) and the SELECT; without its final ORDER BY when not ``ordered`` (rows
    written by partition keep no order: a global sort would be a job for nothing)."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    if isinstance(tree, exp.Create):
        name = tree.this.name
        query = tree.expression
        return name, query.sql(dialect="spark")
    if not ordered:
        tree.set("order", None)
    return None, tree.sql(dialect="spark")


class Staged:
    """The comparison's tables as views of a Spark session, parameters bound by name."""

    def __init__(self, spark: Any, params: Mapping[str, Any]):
        self.spark = spark
        self.params = dict(params)
        self.views: list[str] = []
        #: What the executors keep (staging views, written findings) until :meth:`release`.
        self.kept: list[Any] = []

    def frame(self, sql: str, ordered: bool = True) -> Any:
        """A DataFrame of a DuckDB statement's SELECT (registered as its view if it
        creates one; ``ordered``: :func:`to_spark`)."""
        name, query = to_spark(sql, ordered)
        used = {k: v for k, v in self.params.items() if f":{k}" in query}
        frame = self.spark.sql(query, args=used)
        if name is not None:
            # a staging table is read by several findings: kept by the executors once
            # computed (DuckDB's temporary table), not recomputed for each
            frame = self.keep(frame)
            frame.createOrReplaceTempView(name)
            self.views.append(name)
        return frame

    def keep(self, frame: Any) -> Any:
        """``frame`` kept by the executors once computed, until :meth:`release`.

        A local checkpoint, not ``cache()``: a cached view's plan stays inside every
        plan that reads it, and Spark prints and compares those nested plans at every
        step of planning — the views read views, so each query's plan grew with all of
        them (at 10^4 people the summary took 14 s of a 34 s run, 3 s so; docs/scale.md). A
        checkpoint's plan is a scan of its blocks. What it costs: a lost executor's
        blocks cannot be computed again, the comparison fails and is run again."""
        kept = frame.localCheckpoint(eager=False)
        self.kept.append(kept)
        return kept

    def release(self) -> None:
        """Let the executors drop what they keep: the session outlives the comparison."""
        for frame in self.kept:
            # a checkpoint's blocks belong to its RDD, which PySpark does not show
            frame._jdf.queryExecution().analyzed().rdd().unpersist(False)
        self.kept.clear()

    def materialize(self) -> None:
        """Compute every staging view not computed yet, in one job: the findings then
        run at once (:data:`WRITERS`) without each computing the same view anew."""
        counts = " UNION ALL ".join(f"SELECT count(*) FROM {v}" for v in self.views)
        self.spark.sql(counts).collect()

    def run(self, sql: str) -> None:
        self.frame(sql)

    def lookup(self, name: str, table: pa.Table) -> None:
        """A small lookup of the driver's (labels, names) as a view."""
        self.spark.createDataFrame(table.to_pandas()).createOrReplaceTempView(name)


def stage(
    spark: Any,
    files: Mapping[str, Sequence[str]],
    schemas: Mapping[str, pa.Schema],
    counties: Sequence[str],
    params: Mapping[str, Any],
) -> Staged:
    """The registry tables' ``files`` (by registry table name, each table's columns as
    ``schemas`` has them) as the views ``in_<name>``, then :data:`staging.STAGE` and
    ``counting``'s ``counted`` as views, as :func:`staging.stage` builds them on DuckDB;
    ``counties``: the counties of the region that have people (their jurisdictions are
    the ones counted)."""
    import ibis
    from ibis.backends.pyspark.datatypes import PySparkSchema

    on = Staged(spark, params)
    for name, paths in files.items():
        # the schema given, not read from a file's footer by a job of the driver's
        given = PySparkSchema.from_ibis(ibis.Schema.from_pyarrow(schemas[name]))
        spark.read.schema(given).parquet(*paths).createOrReplaceTempView(f"in_{name}")
    on.lookup("labels", staging.labels())
    on.lookup("county_map", staging.county_map(list(counties)))
    for statement in staging.STAGE[:2]:  # person, held
        on.run(statement)
    day: date = params["as_of"]
    codes = sorted({counting.jurisdiction_of(c) for c in counties})
    counting.count(on.run, day, codes)
    for statement in staging.STAGE[2:]:
        on.run(statement)
    # the names of the regions people are enrolled in: a few thousand codes at most
    enrolled = on.frame("SELECT DISTINCT substr(region_code, 1, 6) AS code FROM enrolled")
    codes = sorted(r.code for r in enrolled.collect())
    on.lookup("region_names", staging.region_names(codes))
    on.materialize()
    return on


def write_findings(on: Staged, out: str, partition_by: Sequence[str]) -> None:
    """Each finding of :data:`findings.STEPS` and the name pairs written by the
    executors under ``out/<name>``: a person's finding by the province and county codes
    of the person's hukou (``partition_by``: the province's column added, the county's
    is the finding's ``county_code``), a rejected row's (no person) as one folder.

    Each finding is also the view ``f_<name>``, kept by the executors as it is written:
    :func:`summarize` counts them without computing them again."""
    province, county = partition_by

    def write(name: str, sql: str) -> None:
        frame = on.keep(on.frame(sql, ordered=False))  # read back in the report's order
        frame.createOrReplaceTempView(f"f_{name}")
        if county in frame.columns:
            frame = frame.withColumn(province, frame[county].substr(1, 2))
            frame = frame.repartition(province, county)
            writer = frame.write.mode("overwrite").partitionBy(province, county)
        else:
            writer = frame.coalesce(1).write.mode("overwrite")
        writer.parquet(f"{out}/{name}")

    steps = (*findings.STEPS, (PAIRS, findings.NAME_PAIRS))
    with ThreadPoolExecutor(WRITERS) as pool:
        for done in [pool.submit(write, name, sql) for name, sql in steps]:
            done.result()  # a failure raised here, after the others have ended


def summarize(on: Staged, level: str, names: Mapping[str, pa.Table]) -> pa.Table:
    """The summary (概况) of the findings :func:`write_findings` wrote, by the
    comparison's own statements (``summary.facts_sql``, ``summary.rollup_sql``), with
    the conflicts and variants the driver split from the name pairs (``names``: by
    finding name, a few rows) as views; ``$region`` and ``$region_name`` bound from
    ``on``'s parameters. Collected to the driver: a row per region below the one
    compared."""
    for name, table in names.items():
        # handed over as Arrow (typed even when empty): no Python worker is started
        places = table.select(["county_code", "township", "village"])
        on.spark.createDataFrame(places).createOrReplaceTempView(f"f_{name}")
    # the per-person facts once, kept: Spark would compute them for each of the
    # rollup's five levels
    on.keep(on.frame(summary.facts_sql())).createOrReplaceTempView("facts")
    found: pa.Table = on.frame(summary.rollup_sql(level)).toArrow()
    return found
