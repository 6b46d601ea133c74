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

import itertools
import json
import threading
import weakref
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

import duckdb

from doudi.engine import rule_cache
from doudi.policy import jurisdictions, tables
from doudi.policy.jurisdictions import Jurisdiction
from doudi.policy.params import Params

if TYPE_CHECKING:
    import pyarrow as pa


def _key(overrides: Mapping[str, Any]) -> str:
    return json.dumps(dict(overrides), sort_keys=True, default=str, ensure_ascii=False)


#: DuckDB's row-group size: the unit of parallel work when scanning Arrow.
ROWS_PER_BATCH = 122_880

#: The input tables each kind of plan reads by name, their columns (policy/tables.py);
#: what it computes of them is ``programs.PROGRAMS``, imported only to compile.
INPUTS: dict[str, dict[str, Mapping[str, str]]] = {
    "people": {"people": tables.PEOPLE, "statuses": tables.STATUSES},
    "registry": {"people": tables.PEOPLE, "statuses": tables.STATUSES},
    "bills": {"bills": tables.BILLS, "statuses": tables.BILL_STATUSES},
}

#: Up to this many rows in each input table, ``Plan.rows`` hands the rows to DuckDB as
#: Python values (one ``INSERT … VALUES``, about 1 ms a row) and runs the rules
#: without the optimiser; beyond, as Arrow (pyarrow's conversion imports pandas,
#: 0.25–0.45 s, then the smaller part).
FEW_ROWS = 100

#: DuckDB's name of each type name of policy/tables.py (a decimal's is its own).
SQL_TYPES = {"int64": "BIGINT", "string": "VARCHAR", "date": "DATE", "boolean": "BOOLEAN"}


class Plan:
    """Compiled rules of one program, jurisdiction, year and set of overrides.

    Holds the statement (``sql``) and the parameters (with the values each rule read,
    for the local-config flags). Once it first runs, the rules are a view named
    ``result`` over the program's input tables (``people`` and ``statuses``, or
    ``bills``) on a connection of its own to the process's DuckDB database: DuckDB
    parses the long statement once. A plan that is only read for its statement (the
    yearly plan's ``evaluation``) opens no connection.

    Two ways in, one statement. ``run``: Arrow tables in and out, registered under the
    input tables' names, for any number of rows. ``rows``: a scenario's few people or
    a few bills as Python rows, inserted into tables of those names in a schema of
    the plan's own, the rules' rows out as dictionaries: no pyarrow (and numpy)
    imported, and no Arrow made twice (decision 0019). Binding the 117 KB statement
    was most of a warm evaluation (15 of 30 ms), so ``rows`` prepares it once and
    only executes it (decision 0021), with DuckDB's optimiser off for its connection
    (``PRAGMA disable_optimizer``: for one person the optimiser costs more than it
    saves, and a statement prepared with it on is bound again at every ``EXECUTE``;
    ``disabled_optimizers`` would be the whole database's, the registry's plans
    included). The same rows come out either way (tests/engine/test_cold_start.py
    checks every example).
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
        self._inputs = INPUTS[kind]

        def compile_rules() -> rule_cache.Compiled:
            from doudi.engine.programs import compile_sql  # Ibis: only on a miss

            sql = compile_sql(kind, self.params)
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
        self._arrow: tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyRelation] | None = None
        self._few: duckdb.DuckDBPyConnection | None = None

    def _arrow_result(self) -> tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyRelation]:
        """The connection of ``run``, and its relation reading the view (kept: making
        it binds the statement, as each run does again). Opened on first use (the
        caller holds the lock)."""
        if self._arrow is None:
            from doudi.engine import arrow_tables

            con = _database().cursor()
            for name, columns in self._inputs.items():
                con.register(name, arrow_tables.empty_table(arrow_tables.schema(columns)))
            con.execute(f"CREATE TEMP VIEW result AS {self.sql}")
            self._arrow = (con, con.sql("SELECT * FROM result"))
        return self._arrow

    def _few_rows(self) -> duckdb.DuckDBPyConnection:
        """The connection of ``rows``: the input tables in a schema of the plan's own,
        the optimiser off, the rules prepared as ``result``. Opened on first use (the
        caller holds the lock).

        Why not temporary tables: DuckDB binds a prepared statement again when a
        database it reads has changed since, and a change of a temporary table's rows
        counts as one (the temporary catalog's version moves); a change of a table's
        rows in the database does not. So the rules are bound once per plan, and each
        ``rows`` only executes them (decision 0021)."""
        if self._few is None:
            con = _few_rows_database().cursor()
            con.execute("PRAGMA disable_optimizer")
            schema = f"few_rows_{next(_SCHEMAS)}"
            con.execute(f"CREATE SCHEMA {schema}")
            con.execute(f"SET schema = '{schema}'")
            for name, columns in self._inputs.items():
                typed = ", ".join(
                    f'"{c}" {SQL_TYPES.get(t, t.upper())}' for c, t in columns.items()
                )
                con.execute(f"CREATE TABLE {schema}.{name} ({typed})")
            con.execute(f"PREPARE result AS {self.sql}")
            self._few = con
            # a plan dropped from the cache (``_plan``'s 64) takes its schema with it:
            # a server evaluating many what-ifs would otherwise gather schemas for good
            weakref.finalize(self, _drop_schema, con, schema)
        return self._few

    def run(self, *args: pa.Table, **given: pa.Table) -> pa.Table:
        """Evaluate every rule over Arrow tables (no per-row Python); Arrow out.

        Tables by name, or positionally in the program's order (people, statuses).
        """
        from doudi.engine import arrow_tables

        given.update(zip(self._inputs, args, strict=False))
        with self._lock:
            con, result = self._arrow_result()
            for name, table in given.items():
                # DuckDB scans an Arrow table one record batch per task: a table built
                # in one piece would run on one core (measured: 3.8 s → 2.0 s for 10^6
                # people on 2 cores once split into row-group-sized batches).
                of = arrow_tables.schema(self._inputs[name])
                con.register(name, arrow_tables.in_batches(table, of, ROWS_PER_BATCH))
            return result.to_arrow_table()

    def rows(self, **given: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Evaluate every rule over rows of Python values by table name (a table not
        given has no rows; a missing key is a null, other keys are ignored); the
        rules' rows out, in no particular order."""
        if any(len(rows) > FEW_ROWS for rows in given.values()):
            from doudi.engine import arrow_tables

            arrow = {
                name: arrow_tables.of_rows(given.get(name, ()), arrow_tables.schema(of))
                for name, of in self._inputs.items()
            }
            out: list[dict[str, Any]] = self.run(**arrow).to_pylist()
            return out
        with self._lock:
            con = self._few_rows()
            try:
                for name, of in self._inputs.items():
                    rows, columns = given.get(name, ()), list(of)
                    if rows:
                        marks = "(" + ", ".join("?" * len(columns)) + ")"
                        values = [row.get(column) for row in rows for column in columns]
                        con.execute(
                            f"INSERT INTO {name} VALUES {', '.join([marks] * len(rows))}", values
                        )
                found = con.execute("EXECUTE result")
                names = [column[0] for column in found.description]
                return [dict(zip(names, row, strict=True)) for row in found.fetchall()]
            finally:
                # the tables outlive the call (and a plan dropped from the cache): a
                # scenario's people do not stay in them
                for name in self._inputs:
                    con.execute(f"DELETE FROM {name}")


#: Numbers the schemas of ``Plan.rows``'s input tables, one per plan, in the process's
#: database.
_SCHEMAS = itertools.count()


def _drop_schema(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    """Drop a collected plan's schema of ``Plan.rows`` and close its connection."""
    try:
        con.execute(f"DROP SCHEMA {schema} CASCADE")
    finally:
        con.close()


@cache
def _database() -> duckdb.DuckDBPyConnection:
    """The process's in-memory DuckDB database. Each plan's way in is a connection of
    its own to it (``cursor``: its registered tables, temporary views and tables are
    its own): opening a database takes 35–70 ms here, a connection to an open one
    30 µs (decision 0019)."""
    return duckdb.connect()


@cache
def _few_rows_database() -> duckdb.DuckDBPyConnection:
    """The process's in-memory DuckDB database of ``Plan.rows``, running each query on
    one thread. A query over one person's rows is some 35 small pipelines; with two
    threads some of them ran on DuckDB's worker thread, and on a busy machine the
    caller waited for that thread to be scheduled (a warm evaluation at a load of 8:
    19 ms of CPU, 65 ms of wall time). ``threads`` is a database's setting: the
    database of ``Plan.run`` (``_database``) keeps every core (decision 0021)."""
    return duckdb.connect(config={"threads": 1})


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
