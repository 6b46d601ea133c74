"""Rows a job keeps beside it as Parquet (the comparison's findings, an import's changes
and refused rows), read a page at a time.

A province's findings or a snapshot's changes run to hundreds of thousands of rows; a
page asks for fifty. DuckDB reads the file where it lies and answers the count and one
page (LIMIT and OFFSET) without loading the rest, which is what Django's Paginator asks
of a list (``count()`` and a slice). The filters are equalities on named columns, their
values bound, never spliced into the SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

Shown = Callable[[pa.Table], pa.Table]
Linked = Callable[[pa.Table], Sequence[Any]]


class ParquetRows:
    """The rows of ``path`` where each column of ``where`` equals its value (an empty
    value, or a column the file lacks: no filter), in the file's order.

    ``shown`` turns stored rows into what users may see (ID numbers masked, codes in
    words), for a page and for an export alike; ``link``, given the stored rows of a
    page, names what each row links to (its ``person``): the file keeps the values a
    link needs, which the page must not show."""

    def __init__(
        self,
        path: Path,
        where: Mapping[str, str] | None = None,
        shown: Shown | None = None,
        link: Linked | None = None,
    ):
        self.path = path
        self.shown: Shown = shown or (lambda table: table)
        self.link = link
        self.where = {k: v for k, v in (where or {}).items() if v and k in self.columns}

    @cached_property
    def columns(self) -> list[str]:
        return [row[0] for row in self._sql("DESCRIBE SELECT * FROM f").fetchall()]

    def _sql(self, query: str, params: dict[str, Any] | None = None) -> Any:
        lake = duckdb.connect()
        lake.read_parquet(str(self.path)).create_view("f")
        return lake.sql(query, params=params or {})

    def _filtered(self, select: str) -> tuple[str, dict[str, Any]]:
        conditions = [f'"{column}" = $v{i}' for i, column in enumerate(self.where)]
        params = {f"v{i}": value for i, value in enumerate(self.where.values())}
        clause = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        return f"SELECT {select} FROM f{clause}", params

    def count(self) -> int:
        query, params = self._filtered("count(*)")
        return int(self._sql(query, params).fetchall()[0][0])

    def counts(self, column: str) -> dict[str, int]:
        """How many rows of each value of ``column``, whatever the filters: the summary
        beside a list filtered by that column."""
        query = f'SELECT "{column}", count(*) FROM f GROUP BY 1 ORDER BY 1'
        return {str(k): int(n) for k, n in self._sql(query).fetchall()}

    def _stored(self, offset: int = 0, limit: int | None = None) -> pa.Table:
        query, params = self._filtered("*")
        if limit is not None:
            query += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return self._sql(query, params).to_arrow_table()

    def table(self) -> pa.Table:
        """Every filtered row as users may see them (the export)."""
        return self.shown(self._stored())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        """A page's rows as dicts, each with its ``person`` when the rows link."""
        if not isinstance(index, slice):
            raise TypeError("ParquetRows 只能按页切片")
        start = index.start or 0
        stop = self.count() if index.stop is None else index.stop
        stored = self._stored(start, max(stop - start, 0))
        rows: list[dict[str, Any]] = self.shown(stored).to_pylist()
        if self.link is not None:
            for row, target in zip(rows, self.link(stored), strict=True):
                row["person"] = target
        return rows
