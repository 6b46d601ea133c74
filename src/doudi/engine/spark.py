"""The Spark backend: the same rule expressions, run by Apache Spark.

For a batch bigger than one machine (a ministry's 10^9 insured) the rules run
unchanged on a Spark cluster: Ibis compiles the very expressions the DuckDB
backend runs to Spark SQL. Local mode (``local[2]``) by default; a cluster with
``master="spark://host:7077"`` (docs/scale.md). Inputs arrive as Arrow and are
registered as temporary views named like the program's input tables; results
come back as Arrow. A test checks a synthetic county gives identical plans on
both engines, row by row and to the fen.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from typing import Any

import ibis
import pyarrow as pa

from doudi.engine.backend import PROGRAMS
from doudi.policy.params import Params


@cache
def session(master: str = "local[2]") -> Any:
    """One Spark session per process (starting one costs about ten seconds)."""
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(master)
        .appName("doudi")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        # local mode runs in the driver's JVM: its default 1 GiB heap fails at 10^5 people
        .config("spark.driver.memory", os.environ.get("DOUDI_SPARK_DRIVER_MEMORY", "6g"))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
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
    ):
        self.params = Params(jurisdiction, year, overrides or {}, territory)
        self._schemas, self._program = PROGRAMS[kind]
        self._spark = session(master)
        self._con = ibis.pyspark.connect(self._spark)

    def run(self, *args: pa.Table, **tables: pa.Table) -> pa.Table:
        """Evaluate every rule over Arrow tables on Spark; Arrow out (unordered)."""
        tables.update(zip(self._schemas, args, strict=False))
        for name, table in tables.items():
            arrow = table.cast(self._schemas[name].to_pyarrow())
            self._spark.createDataFrame(arrow).createOrReplaceTempView(name)
        bound = {name: self._con.table(name) for name in self._schemas}
        return self._con.to_pyarrow(self._program(bound, self.params))
