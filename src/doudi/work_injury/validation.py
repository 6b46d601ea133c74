"""Read and validate one work-injury list: its accepted rows typed, its refused rows
with row number, column and Chinese reason — before anything is written.

The file is read as a department file is (:mod:`doudi.rosters.files`: CSV in UTF-8 or
GBK through :mod:`doudi.core.textfile`, or XLSX, title rows above the header, which is
found by the list's first column; :mod:`doudi.rosters.headers`: the header variants),
and every cell is checked by the rosters' checks of its kind
(:mod:`doudi.rosters.checks`) in one DuckDB query. Then the list's own rules between a
row's cells (:class:`~doudi.work_injury.sources.RowRule`: an exit before the entry, a
recovery above the payment …) and, among the rows that pass, the same row written twice
(the list's key): the first is kept, the others are refused naming it. Whether a worker's
project or a payment's case exists is the import's question
(:mod:`doudi.work_injury.importing`): it needs the registry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import textfile
from doudi.core.textfile import FileError
from doudi.rosters.checks import column_sql, normalized
from doudi.rosters.files import drop_blank_rows, read_file
from doudi.rosters.headers import map_headers
from doudi.rosters.rejections import REJECTED_SCHEMA
from doudi.rosters.stages import STAGES, connect, literal, with_stages
from doudi.rosters.validation import rejected_rows
from doudi.store.db import MONEY
from doudi.work_injury.sources import WorkInjuryList

#: Each column kind's SQL type and Arrow type.
_TYPES: dict[str, tuple[str, pa.DataType]] = {
    "id_number": ("VARCHAR", pa.string()),
    "text": ("VARCHAR", pa.string()),
    "region_code": ("VARCHAR", pa.string()),
    "choice": ("VARCHAR", pa.string()),
    "date": ("DATE", pa.date32()),
    "yes_no": ("BOOLEAN", pa.bool_()),
    "decimal": ("DECIMAL(18,2)", MONEY),
}


@dataclass(frozen=True)
class ListRead:
    """One list's file, read and validated (nothing written yet)."""

    spec: WorkInjuryList
    path: Path
    checksum: str
    encoding: str
    rows_read: int
    accepted: pa.Table  # row_number and the stored columns (accepted_schema)
    rejected: pa.Table  # rejections.REJECTED_SCHEMA

    def rows_rejected(self) -> int:
        return len(set(self.rejected.column("row_number").to_pylist()))


def accepted_schema(spec: WorkInjuryList) -> pa.Schema:
    """The accepted rows' columns: the row number, then each column by its stored name
    (a project's county as its six digits)."""
    fields = [pa.field("row_number", pa.int32())]
    for c in spec.source.columns:
        fields.append(pa.field(spec.stored_name(c.name), _TYPES[c.kind][1]))
    return pa.schema(fields)


def read_list(spec: WorkInjuryList, path: Path) -> ListRead:
    """Read and validate ``path`` as ``spec``'s list."""
    data = textfile.read_bytes(path)
    key = spec.source.columns[0]
    raw = read_file(path, data, key)
    _, positions = map_headers(raw.headers, spec.source, raw.header_row)
    cells, row_numbers = drop_blank_rows(raw, positions[key.name])
    rows_read = cells.num_rows + raw.extra.num_rows
    if rows_read == 0:
        raise FileError(
            f"表头（第 {raw.header_row} 行）之后没有数据行",
            f"no data rows after the header in row {raw.header_row}",
        )
    accepted, rejected = _validate(spec, cells, row_numbers, raw.headers, positions, raw.encoding)
    if raw.extra.num_rows:
        rejected = pa.concat_tables([rejected, raw.extra.cast(REJECTED_SCHEMA)])
        rejected = rejected.sort_by([("row_number", "ascending")])
    return ListRead(
        spec=spec,
        path=path,
        checksum=hashlib.sha256(data).hexdigest(),
        encoding=raw.encoding,
        rows_read=rows_read,
        accepted=accepted,
        rejected=rejected,
    )


def _validate(
    spec: WorkInjuryList,
    cells: pa.Table,
    row_numbers: pa.Array,
    headers: list[str],
    positions: dict[str, int],
    encoding: str,
) -> tuple[pa.Table, pa.Table]:
    columns = spec.source.columns
    present = [c for c in columns if c.name in positions]
    absent = [c for c in columns if c.name not in positions]
    # an absent optional column is reported (by a rule) under its own label
    where = positions | {c.name: len(headers) + i for i, c in enumerate(absent)}
    headers = [*headers, *(c.label for c in absent)]
    arrays: dict[str, Any] = {"row_number": row_numbers}
    if not any(c.kind == "id_number" for c in present):
        # a date check compares with the birth in the row's ID number: this list has none
        arrays["id_number__birth"] = pa.nulls(len(row_numbers), pa.date32())
    for c in present:
        cell = pc.fill_null(cells.column(f"c{positions[c.name]}"), "")
        arrays[c.name] = cell
        if c.kind != "id_number":
            arrays[f"{c.name}__n"] = normalized(c, cell)
    sqls = {c.name: column_sql(c, c.name, spec.name, encoding == "xlsx") for c in present}
    keep = ["row_number"]
    for c in present:
        keep += [
            c.name,
            f"{c.name}__code",
            f"{c.name}__reason",
            f"CAST({sqls[c.name].value} AS {_TYPES[c.kind][0]}) AS {c.name}__typed",
        ]
    for c in absent:
        keep += ["'' AS " + c.name, f"CAST(NULL AS {_TYPES[c.kind][0]}) AS {c.name}__typed"]
    cells_ok = " AND ".join(f"{c.name}__code IS NULL" for c in present)
    broken = " OR ".join(f"coalesce({r.when}, false)" for r in spec.rules) or "false"
    key = ", ".join(f"{k}__typed" for k in spec.key)
    empty = dict(spec.empty_means)
    typed = []
    for c in columns:
        value = f"{c.name}__typed"
        if c.name in empty:
            value = f"coalesce({value}, {empty[c.name]})"
        if c.kind == "region_code":
            value = f"substr({value}, 1, 6)"
        typed.append(f"{value} AS {spec.stored_name(c.name)}")
    con = connect()
    try:
        con.register("raw", pa.table(arrays))
        con.execute(
            f"CREATE TEMP TABLE v AS {with_stages(list(sqls.values()))}\n"
            f"SELECT {', '.join(keep)} FROM s{STAGES - 1}"
        )
        con.execute(
            f"""CREATE TEMP TABLE ok AS SELECT *,
                min(row_number) OVER (PARTITION BY {key}) AS first_row
            FROM v WHERE {cells_ok} AND NOT ({broken})"""
        )
        accepted = con.sql(
            f"SELECT row_number, {', '.join(typed)} FROM ok "
            "WHERE first_row = row_number ORDER BY row_number"
        ).to_arrow_table()
        problems = [
            f"SELECT row_number, {where[c.name]} AS position, {c.name}__code AS code, "
            f"{c.name} AS value, {c.name}__reason AS reason FROM v "
            f"WHERE {c.name}__code IS NOT NULL"
            for c in present
        ]
        problems += [
            f"SELECT row_number, {where[r.column]} AS position, {literal(r.code)} AS code, "
            f"{r.column} AS value, {r.reason} AS reason FROM v "
            f"WHERE {cells_ok} AND coalesce({r.when}, false)"
            for r in spec.rules
        ]
        what = "、".join(spec.source.column(k).label for k in spec.key)
        first = spec.key[0]
        problems.append(
            f"SELECT row_number, {where[first]} AS position, 'duplicate' AS code, "
            f"{first} AS value, '与第 ' || first_row || {literal(f' 行的{what}相同，未重复导入')} "
            "AS reason FROM ok WHERE first_row < row_number"
        )
        found = con.sql(
            f"SELECT * FROM ({' UNION ALL '.join(problems)}) ORDER BY row_number, position"
        ).to_arrow_table()
    finally:
        con.close()
    return accepted.cast(accepted_schema(spec)), rejected_rows(found, headers)
