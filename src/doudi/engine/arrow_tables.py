"""The engine's input tables as Arrow: their schemas, empty and given tables, batches.

Apart from ``backend`` so that a process that evaluates a scenario's few people, whose
rows go to DuckDB as Python values (``Plan.rows``), does not import pyarrow, and
numpy with it (decision 0019). The schemas are made of ``policy/tables.py``'s type
names, as Ibis's ``to_pyarrow`` makes them of the rules' schemas (a test checks).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

#: The Arrow type of each type name of policy/tables.py (a decimal's by its digits).
TYPES = {"int64": pa.int64(), "string": pa.string(), "date": pa.date32(), "boolean": pa.bool_()}
DECIMAL = re.compile(r"decimal\((\d+), *(\d+)\)")


def schema(columns: Mapping[str, str]) -> pa.Schema:
    """The Arrow schema of an input table (policy/tables.py)."""
    fields = []
    for name, type_name in columns.items():
        decimal = DECIMAL.fullmatch(type_name)
        arrow = pa.decimal128(int(decimal[1]), int(decimal[2])) if decimal else TYPES[type_name]
        fields.append(pa.field(name, arrow))
    return pa.schema(fields)


def empty_table(of: pa.Schema) -> pa.Table:
    """A table of no rows: ``Schema.empty_table`` would import pandas (0.25–0.45 s)."""
    return pa.Table.from_arrays([pa.nulls(0, field.type) for field in of], schema=of)


def of_rows(rows: Sequence[Mapping[str, Any]], of: pa.Schema) -> pa.Table:
    """Rows of Python values as a table of ``of``, a missing key a null (pyarrow's
    conversion imports pandas: for many rows the smaller part)."""
    return pa.Table.from_pylist(list(rows), schema=of)


def in_batches(table: pa.Table, of: pa.Schema, rows_per_batch: int) -> pa.Table:
    """``table`` as ``of`` (cast only where it is not already: a cast imports
    ``pyarrow.compute``, 50–80 ms of a cold process, even with nothing to do), in
    record batches of at most ``rows_per_batch`` rows."""
    table = table if table.schema == of else table.cast(of)
    batches = table.to_batches(max_chunksize=rows_per_batch)
    return pa.Table.from_batches(batches, schema=table.schema)
