"""The execution backend: DuckDB in-process by default.

Kept in one place (the Splink pattern) so that a Spark backend for the
yearly batch can be added beside it without touching the rules.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import ibis
import pyarrow as pa

from doudi.policy import schema


@cache
def duckdb() -> Any:
    """One in-process DuckDB connection per process (tables are memtables)."""
    return ibis.duckdb.connect()


def tables(people: pa.Table, statuses: pa.Table) -> tuple[ibis.Table, ibis.Table]:
    """Arrow tables as Ibis tables with the rules' schemas (no per-row Python)."""
    people = people.cast(schema.PEOPLE.to_pyarrow())
    statuses = statuses.cast(schema.STATUSES.to_pyarrow())
    return ibis.memtable(people), ibis.memtable(statuses)


def execute(expr: ibis.Table) -> pa.Table:
    return duckdb().to_pyarrow(expr)
