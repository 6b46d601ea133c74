"""The Spark backend: the same rule expressions, run by Apache Spark.

For a batch bigger than one machine (a ministry's 10^9 insured) the rules run
unchanged on a Spark cluster: Ibis compiles the very expressions the DuckDB
backend runs to Spark SQL. Local mode (``local[2]``) by default; a cluster with
``master="spark://host:7077"``, ``yarn`` or ``k8s://…`` (docs/scale.md).

Two ways in. ``run``: Arrow tables handed over by the driver (``createDataFrame``),
registered as temporary views named like the program's input tables, results back as
Arrow — for a county's plan or a test; every row passes through the driver, which
is why it needs a large driver heap. ``write_parquet``: the executors read the input
tables' Parquet files themselves (a lake export, issue #24) and write what the caller
keeps of the results as Parquet by partition; the driver holds only the plan of the
query, so a heap of 2 GiB does (decision 0018). Tests check both give the DuckDB
plan's rows, to the fen.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import ibis
import pyarrow as pa

from doudi.engine import rule_cache
from doudi.engine.programs import PROGRAMS
from doudi.policy.params import Params

#: The driver's heap when every row passes through it (``run``): in local mode the
#: driver's JVM is the executor too, and the 1 GiB default fails at 10^5 people.
ARROW_DRIVER_MEMORY = "6g"
#: The driver's heap when the executors read and write the files (``write_parquet``).
FILES_DRIVER_MEMORY = "2g"

#: The JVM options of the driver and the executors: the rules compile to generated
#: methods larger than the 8,000 bytes HotSpot will compile at all, which it otherwise
#: interprets (measured at 10^6 people, local[2]: 9.4 s → 4.2 s once warm). An
#: operator's own options go in ``spark.{driver,executor}.defaultJavaOptions``.
JAVA_OPTIONS = "-XX:-DontCompileHugeMethods"

#: The longest text of a query's plan Spark makes (characters; Spark's own default has
#: no limit).
PLAN_TEXT_LIMIT = "100000"

#: Settings a session is given unless the operator's configuration (``spark-defaults.conf``)
#: has its own.
OPERATOR_DEFAULTS = {
    # Spark's 200 are tasks of nothing on two cores; a cluster's operator sets theirs
    "spark.sql.shuffle.partitions": "8",
    # how many paths the driver lists itself (above, a job lists them): a lake table is
    # one file per county, and a job per table cost a second or so (the comparison
    # reads seven tables); a country has about 3,000 counties. An operator whose object
    # store lists slowly sets their own
    "spark.sql.sources.parallelPartitionDiscovery.threshold": "10000",
}

_SESSION: dict[str, Any] = {}


def session(master: str = "local[2]", driver_memory: str = ARROW_DRIVER_MEMORY) -> Any:
    """The process's Spark session on ``master`` (starting one costs about ten seconds).

    One per process at a time: a JVM runs one SparkContext, so a session on another
    master stops the one before. The driver's heap is fixed when the process's JVM
    starts (its first session): ``DOUDI_SPARK_DRIVER_MEMORY`` overrides
    ``driver_memory``. Other settings (executors, their memory and cores, the shuffle's
    partitions) are the cluster's: ``spark-defaults.conf`` in ``SPARK_CONF_DIR``
    (docs/scale.md); only the shuffle's partitions have a default here."""
    from pyspark.sql import SparkSession

    if _SESSION.get("master") == master:
        return _SESSION["session"]
    if "session" in _SESSION:
        _SESSION.pop("session").stop()
        _SESSION.pop("master")
    # the executors' Python, where a job runs Doudi's own code on them (the
    # comparison's counties, ``lakejobs.comparison``): this one, unless the operator
    # names the cluster's
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(master)
        .appName("doudi")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # the command shows its own
        .config("spark.driver.memory", os.environ.get("DOUDI_SPARK_DRIVER_MEMORY", driver_memory))
        .config("spark.driver.extraJavaOptions", JAVA_OPTIONS)
        .config("spark.executor.extraJavaOptions", JAVA_OPTIONS)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        # a partition's value is a region code: "360102" stays text, "36" is no number
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        # a query's plan text (made at every adaptive re-plan, for the listeners)
        # prints each cached view it reads in full, so a view over views prints its
        # parents again and again: the comparison's summary made strings that filled a
        # 2 GiB heap (docs/scale.md). Cut short: nobody reads past the first lines
        .config("spark.sql.maxPlanStringLength", PLAN_TEXT_LIMIT)
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    given = spark.sparkContext.getConf()
    for key, value in OPERATOR_DEFAULTS.items():
        if not given.contains(key):
            spark.conf.set(key, value)
    _SESSION.update(session=spark, master=master)
    return spark


class SparkPlan:
    """The rules of one program, jurisdiction and year on a Spark session."""

    def __init__(
        self,
        kind: str,
        jurisdiction: str,
        year: int,
        overrides: Mapping[str, Any] | None = None,
        master: str = "local[2]",
        territory: str | None = None,
        driver_memory: str = ARROW_DRIVER_MEMORY,
    ):
        self.params = Params(jurisdiction, year, overrides or {}, territory)
        self._kind, self._overrides, self._territory = kind, dict(overrides or {}), territory
        self._schemas, self._program = PROGRAMS[kind]
        self._spark = session(master, driver_memory)
        self._con = ibis.pyspark.connect(self._spark)

    def run(self, *args: pa.Table, **tables: pa.Table) -> pa.Table:
        """Evaluate every rule over Arrow tables on Spark; Arrow out (unordered)."""
        tables.update(zip(self._schemas, args, strict=False))
        for name, table in tables.items():
            arrow = table.cast(self._schemas[name].to_pyarrow())
            self._spark.createDataFrame(arrow).createOrReplaceTempView(name)
        bound = {name: self._con.table(name) for name in self._schemas}
        return self._con.to_pyarrow(self._program(bound, self.params))

    def write_parquet(
        self,
        files: Mapping[str, Sequence[str]],
        base: str,
        out: str,
        partition_by: Sequence[str],
        columns: Sequence[str] | None = None,
        where: str | None = None,
    ) -> None:
        """Evaluate every rule over the input tables' Parquet ``files`` (by table name;
        partitioned Hive-style by ``partition_by`` under ``base``: the rows keep those
        columns), and write the rows ``where`` selects (SQL; all when ``None``) and their
        ``columns`` (all when ``None``) to ``out`` as Parquet partitioned by the same,
        replacing what was there. The executors read and write; nothing but the query
        passes through the driver."""
        from ibis.backends.pyspark.datatypes import PySparkSchema
        from pyspark.sql.types import StringType, StructField, StructType

        partitions = [StructField(column, StringType()) for column in partition_by]
        for name, schema in self._schemas.items():
            # the tables' schema given, not read from every file's footer on the driver
            given = StructType([*PySparkSchema.from_ibis(schema).fields, *partitions])
            frame = self._spark.read.schema(given).option("basePath", base).parquet(*files[name])
            frame.createOrReplaceTempView(name)
        frame = self._spark.sql(self._statement(partition_by))
        if where is not None:
            frame = frame.where(where)
        if columns is not None:
            frame = frame.select(*columns, *partition_by)
        # each partition's rows to one task first: a task writing every county sorts all
        # its rows by county before it writes (at 10^6 people 12.4 s, against 6.0 s with
        # this shuffle, 4.3 s unpartitioned), and each county is one file
        frame = frame.repartition(*partition_by)
        frame.write.mode("overwrite").partitionBy(*partition_by).parquet(out)

    def _statement(self, passed: Sequence[str]) -> str:
        """The rules as one Spark SQL statement over the input tables, their text
        columns ``passed`` (the partitions) carried through to the output: from the
        rule cache when a process compiled them before (decision 0019), as DuckDB's
        statement is, for Ibis spends a second or more printing it."""

        def compile_rules() -> rule_cache.Compiled:
            extra = {column: "string" for column in passed}
            tables = {
                name: ibis.table({**dict(schema.items()), **extra}, name=name)
                for name, schema in self._schemas.items()
            }
            # the text the PySpark backend's own compile gives (one line)
            sql = ibis.to_sql(self._program(tables, self.params), dialect="pyspark", pretty=False)
            return rule_cache.Compiled(str(sql), self.params.used_paths())

        params = self.params
        territory = None if self._territory is None else params.territory.code
        name = rule_cache.key(
            f"spark-{self._kind}:{','.join(passed)}",
            params.jurisdiction.code,
            params.year,
            json.dumps(self._overrides, sort_keys=True, default=str, ensure_ascii=False),
            territory,
        )
        found = rule_cache.compiled(name, compile_rules)
        params.record(found.used)
        return found.sql
