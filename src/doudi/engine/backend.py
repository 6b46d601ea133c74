"""The execution backend: DuckDB in-process by default.

Rules are compiled once per (jurisdiction, year, what-if overrides) to one SQL
statement over two tables named ``people`` and ``statuses``, and the compiled
plan is cached: in the process, and on disk (``rule_cache``, decision 0019), for
Ibis spends 1.5 s turning the rule expressions into SQL where DuckDB takes a tenth
of a second running them for a few people. Reading the input tables by name is
also how the batch reads the registry's tables.

Kept in one place (the Splink pattern) so that a Spark backend for the
yearly batch can be added beside it without touching the rules.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from functools import cache, lru_cache
from typing import Any

import duckdb
import ibis
import pyarrow as pa

from doudi.engine import rule_cache
from doudi.policy import jurisdictions, schema
from doudi.policy.jurisdictions import Jurisdiction
from doudi.policy.params import Params
from doudi.policy.program import evaluate_table
from doudi.policy.settlement import schema as settlement_schema
from doudi.policy.settlement.rules import settle


def _key(overrides: Mapping[str, Any]) -> str:
    return json.dumps(dict(overrides), sort_keys=True, default=str, ensure_ascii=False)


#: DuckDB's row-group size: the unit of parallel work when scanning Arrow.
ROWS_PER_BATCH = 122_880

#: What a plan computes: the input tables it reads by name, and the program.
PROGRAMS: dict[str, tuple[dict[str, ibis.Schema], Callable[..., ibis.Table]]] = {
    "people": (
        {"people": schema.PEOPLE, "statuses": schema.STATUSES},
        lambda tables, params: evaluate_table(tables["people"], tables["statuses"], params),
    ),
    # the registry's people: one row per ID number (registry_person.id_number is
    # unique), which the rules' once-per-person step need not look for
    "registry": (
        {"people": schema.PEOPLE, "statuses": schema.STATUSES},
        lambda tables, params: evaluate_table(
            tables["people"], tables["statuses"], params, distinct_ids=True
        ),
    ),
    "bills": (
        {"bills": settlement_schema.BILLS, "statuses": settlement_schema.BILL_STATUSES},
        lambda tables, params: settle(tables["bills"], tables["statuses"], params),
    ),
}


class Plan:
    """Compiled rules of one program, jurisdiction, year and set of overrides.

    Holds the statement (``sql``), the parameters (with the values each rule read,
    for the local-config flags) and, once it first runs, an in-memory DuckDB
    connection in which the rules are a view named ``result`` over the program's
    input tables (``people`` and ``statuses``, or ``bills``): DuckDB parses the
    long statement once, and each evaluation only rebinds the view (about 0.1 s
    for a handful of rows instead of 0.3 s). A plan that is only read for its
    statement (the yearly plan's ``evaluation``) opens no connection.
    """

    def __init__(
        self,
        kind: str,
        jurisdiction: Jurisdiction,
        year: int,
        overrides: Mapping[str, Any],
        territory: Jurisdiction | None = None,
    ):
        self.params = Params(jurisdiction, year, overrides, territory)
        self._schemas, program = PROGRAMS[kind]

        def compile_rules() -> rule_cache.Compiled:
            tables = {name: ibis.table(s, name=name) for name, s in self._schemas.items()}
            sql = str(ibis.to_sql(program(tables, self.params), dialect="duckdb"))
            return rule_cache.Compiled(sql, self.params.used_paths())

        name = rule_cache.key(
            kind,
            self.params.jurisdiction.code,
            year,
            _key(overrides),
            None if territory is None else self.params.territory.code,
        )
        found = rule_cache.compiled(name, compile_rules)
        self.sql = found.sql
        # from the disk the parameters were not read: read them as the rules did
        self.params.record(found.used)
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None

    def _connection(self) -> duckdb.DuckDBPyConnection:
        """The connection with the rules as the view ``result``, opened on first use
        (the caller holds the lock)."""
        if self._con is None:
            con = _database().cursor()
            empty = {name: empty_table(s.to_pyarrow()) for name, s in self._schemas.items()}
            self._register(con, empty)
            con.execute(f"CREATE TEMP VIEW result AS {self.sql}")
            self._con = con
        return self._con

    def _register(self, con: duckdb.DuckDBPyConnection, tables: Mapping[str, pa.Table]) -> None:
        for name, table in tables.items():
            table = _as(table, self._schemas[name].to_pyarrow())
            # DuckDB scans an Arrow table one record batch per task: a table built
            # in one piece would run on one core (measured: 3.8 s → 2.0 s for 10^6
            # people on 2 cores once split into row-group-sized batches).
            batches = table.to_batches(max_chunksize=ROWS_PER_BATCH)
            con.register(name, pa.Table.from_batches(batches, schema=table.schema))

    def run(self, *args: pa.Table, **tables: pa.Table) -> pa.Table:
        """Evaluate every rule over Arrow tables (no per-row Python); Arrow out.

        Tables by name, or positionally in the program's order (people, statuses).
        """
        tables.update(zip(self._schemas, args, strict=False))
        with self._lock:
            con = self._connection()
            self._register(con, tables)
            return con.sql("SELECT * FROM result").to_arrow_table()


def _as(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` cast to ``schema`` where it is not of it already: a cast imports
    ``pyarrow.compute`` (50–80 ms of a cold process) even when it has nothing to do."""
    return table if table.schema == schema else table.cast(schema)


@cache
def _database() -> duckdb.DuckDBPyConnection:
    """The process's in-memory DuckDB database. Each plan, and each table made of
    given rows, is a connection of its own to it (``cursor``: its registered tables,
    temporary views and tables are its own): opening a database takes 35–70 ms here,
    a connection to an open one 30 µs (decision 0019)."""
    return duckdb.connect()


def empty_table(schema: pa.Schema) -> pa.Table:
    """A table of no rows: ``Schema.empty_table`` would import pandas (below)."""
    return pa.Table.from_arrays([pa.nulls(0, field.type) for field in schema], schema=schema)


#: Up to this many rows ``rows_table`` may have DuckDB make the table (about 1 ms a
#: row); beyond, pyarrow, whose pandas import is then the smaller part.
FEW_ROWS = 100


def rows_table(rows: Sequence[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    """Rows of Python values (a scenario's people) as an Arrow table of ``schema``, a
    missing key a null. pyarrow's conversion (``Table.from_pylist``) imports pandas to
    ask whether each list is one of its arrays, 0.25–0.45 s of a cold ``doudi
    evaluate`` of one person (decision 0019): until pandas is imported, a few rows are
    made by DuckDB instead (``rows_by_duckdb``, the same table)."""
    if len(rows) > FEW_ROWS or "pandas" in sys.modules:
        return pa.Table.from_pylist(list(rows), schema=schema)
    return rows_by_duckdb(rows, schema)


def rows_by_duckdb(rows: Sequence[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    """``rows_table`` made by DuckDB: one ``INSERT … VALUES`` of every row, fetched as
    Arrow, in a connection of its own (its temporary table is its own)."""
    con = _database().cursor()
    try:
        con.register("shape", empty_table(schema))
        con.execute("CREATE TEMP TABLE given AS SELECT * FROM shape")
        if rows:
            marks = "(" + ", ".join("?" * len(schema.names)) + ")"
            values = [row.get(name) for row in rows for name in schema.names]
            con.execute(f"INSERT INTO given VALUES {', '.join([marks] * len(rows))}", values)
        return _as(con.sql("SELECT * FROM given").to_arrow_table(), schema)
    finally:
        con.close()


@lru_cache(maxsize=64)
def _plan(
    kind: str,
    jurisdiction: Jurisdiction,
    year: int,
    overrides: str,
    territory: Jurisdiction | None,
) -> Plan:
    return Plan(kind, jurisdiction, year, json.loads(overrides), territory)


def plan(
    jurisdiction: str | Jurisdiction,
    year: int,
    overrides: Mapping[str, Any] | None = None,
    kind: str = "people",
    territory: str | Jurisdiction | None = None,
) -> Plan:
    """The compiled rules for a program, jurisdiction (a code, or one already
    resolved) and year, cached per process; ``territory``: the jurisdiction whose
    people they are applied to, where not their own (``Params``: a costing)."""
    place = jurisdictions.get(jurisdiction)
    own = None if territory is None else jurisdictions.get(territory)
    return _plan(kind, place, year, _key(overrides or {}), None if own == place else own)
