"""The validation query as named stages, and the one way a Python value enters its SQL.

Every cell of a file is checked in one DuckDB query over the cells registered as the
table ``raw``. Each column adds expressions to fixed stages (normalize, split, parse,
…, code, reason), :class:`Sql`; :func:`with_stages` stacks the stages as CTEs
``s0`` … ``s{STAGES - 1}``, each able to use what the earlier ones computed.

Cell values never appear in the SQL text: they reach DuckDB as the registered Arrow
table. The SQL text holds column names and kinds from :mod:`doudi.rosters.sources`,
numbers, and Chinese labels and hints, and every such text goes in through
:func:`literal`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb

#: The validation query's stages: each may use the columns the earlier ones computed.
STAGES = 6
_MATERIALIZED = {2, 3, 4}


def connect() -> duckdb.DuckDBPyConnection:
    """A private in-memory database; no progress bar on the caseworker's terminal."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con


def literal(text: str) -> str:
    """``text`` as a SQL string literal: the one way a Python string enters the SQL.

    Safe for any text: a DuckDB string literal ends only at a single quote, which is
    doubled here, and a backslash or any other character stands for itself (standard
    SQL strings, no escape sequences), so the literal always holds ``text`` exactly.
    """
    return "'" + text.replace("'", "''") + "'"


def in_list(values: Sequence[str]) -> str:
    """``('a', 'b', …)`` for ``IN``: each value a :func:`literal`."""
    return "(" + ", ".join(literal(v) for v in values) + ")"


@dataclass
class Sql:
    """What one column adds to the validation query.

    ``stages[i]`` are expressions of stage i (normalize, split, parse, …, code, reason);
    an expression may use any column an earlier stage made. Every column ends with
    ``{c}__code`` and ``{c}__reason`` (null when the cell is valid) and ``value``, the
    SQL of its typed value.
    """

    value: str
    stages: list[list[str]] = field(default_factory=lambda: [[] for _ in range(STAGES)])

    def at(self, stage: int, *expressions: str) -> Sql:
        self.stages[stage].extend(expressions)
        return self


def with_stages(sqls: list[Sql]) -> str:
    """``WITH s0 AS (…), s1 AS (…) …`` over the registered table ``raw``; the last
    stage is ``s{STAGES - 1}``."""
    parts = []
    previous = "raw"
    for i in range(STAGES):
        columns = ", ".join(["*", *(e for sql in sqls for e in sql.stages[i])])
        # DuckDB inlines one stage into the next, and an expression used in several
        # CASE branches is then computed once per use: materializing the parsed
        # values (and the codes the reasons refer to) keeps each computed once.
        materialized = " MATERIALIZED" if i in _MATERIALIZED else ""
        parts.append(f"s{i} AS{materialized} (SELECT {columns} FROM {previous})")
        previous = f"s{i}"
    return "WITH " + ",\n".join(parts)
