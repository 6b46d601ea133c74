"""An in-process DuckDB whose statements take their values by name, bound.

The comparison, the statistics and the work-injury checks stage Arrow tables in DuckDB and
run fixed statements over them. Every ``$name`` a statement uses is bound from the
parameters given once; values from callers never enter the SQL text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import duckdb
import pyarrow as pa


class Lake:
    """The DuckDB connection with a job's parameters bound by name."""

    def __init__(self, params: Mapping[str, Any]):
        self.con = duckdb.connect()
        self.params = dict(params)

    def _bound(self, sql: str) -> dict[str, Any]:
        # only the parameters the statement names: DuckDB rejects unused ones
        used = set(re.findall(r"\$(\w+)", sql))
        return {k: v for k, v in self.params.items() if k in used}

    def run(self, sql: str) -> None:
        self.con.execute(sql, self._bound(sql))

    def arrow(self, sql: str) -> pa.Table:
        table: pa.Table = self.con.sql(sql, params=self._bound(sql)).to_arrow_table()
        return table

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, self._bound(sql)).fetchall()
