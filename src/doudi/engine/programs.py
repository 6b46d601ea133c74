"""What each kind of plan compiles: its input tables as Ibis schemas, and the program.

Imported only where the rules are compiled (a miss of the rule cache, ``rule_cache``),
built on as expressions (the costing's lineage, the lake's settlement) or run on Spark:
Ibis, sqlglot and rich cost a cold process 0.2–0.3 s, which a ``doudi evaluate`` whose
compiled statement comes from the disk does not pay (decision 0019). The input tables
are ``backend.INPUTS``'s, so the Arrow tables the engine registers and the tables the
program reads have one definition.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis

from doudi.engine.backend import INPUTS
from doudi.policy.params import Params
from doudi.policy.program import evaluate_table
from doudi.policy.settlement.rules import settle


def _schemas(kind: str) -> dict[str, ibis.Schema]:
    return {name: ibis.schema(columns) for name, columns in INPUTS[kind].items()}


#: What a plan computes: the input tables it reads by name, and the program.
PROGRAMS: dict[str, tuple[dict[str, ibis.Schema], Callable[..., ibis.Table]]] = {
    "people": (
        _schemas("people"),
        lambda tables, params: evaluate_table(tables["people"], tables["statuses"], params),
    ),
    # the registry's people: one row per ID number (registry_person.id_number is
    # unique), which the rules' once-per-person step need not look for
    "registry": (
        _schemas("registry"),
        lambda tables, params: evaluate_table(
            tables["people"], tables["statuses"], params, distinct_ids=True
        ),
    ),
    "bills": (
        _schemas("bills"),
        lambda tables, params: settle(tables["bills"], tables["statuses"], params),
    ),
}


def compile_sql(kind: str, params: Params) -> str:
    """The one DuckDB statement of ``kind``'s program over its input tables, by name."""
    schemas, program = PROGRAMS[kind]
    tables = {name: ibis.table(schema, name=name) for name, schema in schemas.items()}
    return str(ibis.to_sql(program(tables, params), dialect="duckdb"))
