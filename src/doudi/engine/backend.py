"""The execution backend: DuckDB in-process by default.

Rules are compiled once per (jurisdiction, year, what-if overrides) to one SQL
statement over two tables named ``people`` and ``statuses``, and the compiled
plan is cached: Ibis spends about a second turning the rule expressions into
SQL, DuckDB a tenth of a second running them for a few people. Reading the
input tables by name is also how the batch reads the registry's tables.

Kept in one place (the Splink pattern) so that a Spark backend for the
yearly batch can be added beside it without touching the rules.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import duckdb
import ibis
import pyarrow as pa

from doudi.policy import schema
from doudi.policy.params import Params
from doudi.policy.program import evaluate_table


def _key(overrides: Mapping[str, Any]) -> str:
    return json.dumps(dict(overrides), sort_keys=True, default=str, ensure_ascii=False)


class Plan:
    """Compiled rules of one jurisdiction, year and set of overrides.

    Holds the parameters (with the values each rule read, for the local-config
    flags) and an in-memory DuckDB connection in which the rules are a view
    named ``result`` over the tables ``people`` and ``statuses``: DuckDB then
    parses the long statement once, and each evaluation only rebinds the view
    (about 0.1 s for a handful of people instead of 0.3 s).
    """

    def __init__(self, jurisdiction: str, year: int, overrides: Mapping[str, Any]):
        self.params = Params(jurisdiction, year, overrides)
        people = ibis.table(schema.PEOPLE, name="people")
        statuses = ibis.table(schema.STATUSES, name="statuses")
        expr = evaluate_table(people, statuses, self.params)
        self.sql = str(ibis.to_sql(expr, dialect="duckdb"))
        self._lock = threading.Lock()
        self._con = duckdb.connect()
        self._register(schema.PEOPLE.to_pyarrow().empty_table(), _empty_statuses())
        self._con.execute(f"CREATE VIEW result AS {self.sql}")

    def _register(self, people: pa.Table, statuses: pa.Table) -> None:
        self._con.register("people", people.cast(schema.PEOPLE.to_pyarrow()))
        self._con.register("statuses", statuses.cast(schema.STATUSES.to_pyarrow()))

    def run(self, people: pa.Table, statuses: pa.Table) -> pa.Table:
        """Evaluate every rule over Arrow tables (no per-row Python); Arrow out."""
        with self._lock:
            self._register(people, statuses)
            return self._con.sql("SELECT * FROM result").to_arrow_table()


def _empty_statuses() -> pa.Table:
    return schema.STATUSES.to_pyarrow().empty_table()


@lru_cache(maxsize=64)
def _plan(jurisdiction: str, year: int, overrides: str) -> Plan:
    return Plan(jurisdiction, year, json.loads(overrides))


def plan(jurisdiction: str, year: int, overrides: Mapping[str, Any] | None = None) -> Plan:
    """The compiled rules for a jurisdiction and year, cached per process."""
    return _plan(jurisdiction, year, _key(overrides or {}))
