"""Validate every cell of a department file: accepted rows typed, rejected ones with reasons.

Files run to a million rows (a province's resident-medical extract), so every cell is
parsed and validated column-wise: pyarrow for Unicode normalization, one DuckDB query
for parsing, ID-number arithmetic (check character, birth date, province) and
duplicates. The checks of each column kind are :mod:`doudi.rosters.checks`; this
module runs them over the cells of :mod:`doudi.rosters.files` and splits the result
into accepted rows and rejected records (:mod:`doudi.rosters.rejections`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import idnumber
from doudi.rosters import held
from doudi.rosters.checks import column_sql, id_sql, normalized
from doudi.rosters.files import arange
from doudi.rosters.rejections import REJECTED_SCHEMA
from doudi.rosters.sources import SOURCES, Source
from doudi.rosters.stages import STAGES, connect, literal, with_stages

#: How many other rows a conflicting duplicate's reason names.
_NAMED_ROWS = 10

#: The SQL type of each column kind's typed value.
_SQL_TYPES = {
    "id_number": "VARCHAR",
    "text": "VARCHAR",
    "region_code": "VARCHAR",
    "date": "DATE",
    "yes_no": "BOOLEAN",
    "grade": "TINYINT",
    "decimal": "DECIMAL(18,2)",
    "account": "VARCHAR",
    "count": "INTEGER",
    "choice": "VARCHAR",
}


def check_id_numbers(values: pa.Array | Sequence[str | None]) -> pa.Table:
    """Validate ID numbers column-wise, as :func:`doudi.rosters.reading.read_roster` does.

    Returns one row per value: ``id_number`` (the normalized 18 characters, or null),
    ``code`` and ``reason`` (null when valid), ``sex``, ``birth_date`` and
    ``upgraded_from_15``. Agrees with :func:`doudi.core.idnumber.parse` (tested), which
    stays the reference for single numbers.
    """
    array = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    array = pc.fill_null(array.cast(pa.string()), "")
    sql = id_sql(SOURCES["poverty"].column("id_number"), "c0")
    con = connect()
    try:
        con.register("raw", pa.table({"row_number": arange(1, len(array)), "c0": array}))
        result = con.sql(
            f"""{with_stages([sql])}
            SELECT c0__value AS id_number, c0__code AS code, c0__reason AS reason,
                c0__sex AS sex, CASE WHEN c0__code IS NULL THEN c0__birth END AS birth_date,
                CASE WHEN c0__code IS NULL THEN c0__len = 15 END AS upgraded_from_15
            FROM s{STAGES - 1} ORDER BY row_number"""
        ).to_arrow_table()
    finally:
        con.close()
    return result


def validate(
    spec: Source,
    cells: pa.Table,
    row_numbers: pa.Array,
    headers: list[str],
    positions: dict[str, int],
    *,
    excel: bool,
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Accepted and rejected tables from the cells: one DuckDB pass over all columns,
    then the duplicates among the valid ID numbers. ``accepted`` has the columns of
    :func:`doudi.rosters.reading.accepted_schema` as DuckDB types them; the caller
    casts it to that schema. The third table is who the rejected rows still name
    (:func:`doudi.rosters.held.from_cells`)."""
    present = [c for c in spec.columns if c.name in positions]
    arrays: dict[str, pa.ChunkedArray | pa.Array] = {"row_number": row_numbers}
    for column in present:
        raw = pc.fill_null(cells.column(f"c{positions[column.name]}"), "")
        arrays[column.name] = raw
        if column.kind != "id_number":
            arrays[f"{column.name}__n"] = normalized(column, raw)
    sqls = {c.name: column_sql(c, c.name, spec.name, excel) for c in present}

    con = connect()
    try:
        con.register("raw", pa.table(arrays))
        # Keep only what the two results need: the intermediate columns are many.
        keep = ["row_number", "id_number__sex", "id_number__birth", "id_number__len"]
        for column in present:
            sql_type = _SQL_TYPES[column.kind]
            keep += [
                column.name,
                f"{column.name}__code",
                f"{column.name}__reason",
                f"CAST({sqls[column.name].value} AS {sql_type}) AS {column.name}__typed",
            ]
        last = f"s{STAGES - 1}"
        con.execute(
            f"CREATE TEMP TABLE v AS {with_stages(list(sqls.values()))}\n"
            f"SELECT {', '.join(keep)} FROM {last}"
        )
        key = spec.unique
        valid = " AND ".join(f"{c.name}__code IS NULL" for c in present)
        content = ", ".join(f"{c.name}__typed" for c in present)
        # Duplicates among the valid rows (a row rejected for its own reason takes no
        # number from a valid one): a copy, the same in every imported column, leaves the
        # first row; rows of one number that differ are all held back (``conflict``).
        # The numbers given twice are found first, by count alone: comparing the rows'
        # contents and listing their row numbers for every group of a 10^6-row file took
        # 1.3 CPU s, for the few numbers that need it.
        con.execute(
            f"CREATE TEMP TABLE dup AS WITH twice AS (SELECT {key}__typed AS id FROM v"
            f" WHERE {valid} GROUP BY 1 HAVING count(*) > 1)"
            f" SELECT {key}__typed AS id, min(row_number) AS first_row,"
            f" count(DISTINCT row({content})) > 1 AS conflict,"
            f" list(row_number ORDER BY row_number) AS rows"
            f" FROM v SEMI JOIN twice ON v.{key}__typed = twice.id WHERE {valid} GROUP BY 1"
        )
        typed = ", ".join(
            f"{c.name}__typed AS {c.name}"
            if c.name in positions
            else f"CAST(NULL AS {_SQL_TYPES[c.kind]}) AS {c.name}"
            for c in spec.columns
        )
        accepted = con.sql(
            f"""SELECT row_number, {typed}, id_number__sex AS sex,
                id_number__birth AS birth_date, id_number__len = 15 AS upgraded_from_15
            FROM v LEFT JOIN dup ON v.{key}__typed = dup.id
            WHERE {valid}
              AND (dup.id IS NULL OR (NOT dup.conflict AND dup.first_row = v.row_number))
            ORDER BY row_number"""
        ).to_arrow_table()

        problems = [
            f"SELECT row_number, {positions[c.name]} AS position, {c.name}__code AS code, "
            f"{c.name} AS value, {c.name}__reason AS reason "
            f"FROM v WHERE {c.name}__code IS NOT NULL"
            for c in present
        ]
        what = "身份证号" if key == "id_number" else spec.column(key).label
        others = (
            "array_to_string(list_slice(list_filter(dup.rows, lambda r: r <> v.row_number), 1, "
            f"{_NAMED_ROWS}), '、') || CASE WHEN len(dup.rows) > {_NAMED_ROWS + 1} THEN ' 等' "
            "ELSE '' END"
        )
        rows_held = (
            "CASE WHEN len(dup.rows) = 2 THEN '两行' ELSE '这 ' || len(dup.rows) || ' 行' END"
        )
        duplicate = (
            f"SELECT row_number, {positions[key]} AS position, 'duplicate' AS code, {key} AS value"
        )
        problems += [
            f"{duplicate}, '与第 ' || first_row || {literal(f' 行{what}重复')} AS reason "
            f"FROM v JOIN dup ON v.{key}__typed = dup.id "
            f"WHERE {valid} AND NOT dup.conflict AND dup.first_row < v.row_number",
            f"{duplicate}, '与第 ' || {others} || {literal(f' 行{what}相同但内容不同，')} "
            f"|| {rows_held} || '均未导入' AS reason "
            f"FROM v JOIN dup ON v.{key}__typed = dup.id WHERE {valid} AND dup.conflict",
        ]
        found = con.sql(
            f"SELECT * FROM ({' UNION ALL '.join(problems)}) ORDER BY row_number, position, code"
        ).to_arrow_table()
        names = held.from_cells(con, "v", found)
    finally:
        con.close()
    return accepted, rejected_rows(found, headers), names


def rejected_rows(found: pa.Table, headers: Sequence[str]) -> pa.Table:
    """The refused rows a check found (``row_number, position, code, value, reason``),
    as the report gives them: the column by its header, ID numbers masked in the reason."""
    return pa.table(
        {
            "row_number": found.column("row_number"),
            "column": pc.take(pa.array(headers, pa.string()), found.column("position")),
            "code": found.column("code"),
            "value": found.column("value"),
            "reason": masked_reasons(found.column("reason")),
        }
    ).cast(REJECTED_SCHEMA)


def masked_reasons(reasons: pa.ChunkedArray | pa.Array) -> pa.Array:
    """The reasons with every ID number they quote masked (:func:`idnumber.mask`).

    A reason quotes the cell it refuses (「…」): an ID number typed into the date, amount
    or yes/no column would reach the report, the import page and the comparison in
    full. The cell itself stays in ``value`` (the department corrects its file by it).
    Python only on the few reasons holding a run of 15 digits.
    """
    texts = reasons.to_pylist()
    suspect = pc.match_substring_regex(reasons, "[0-9]{15}").to_pylist()
    return pa.array(
        [
            idnumber.mask_in_text(t) if t is not None and hit else t
            for t, hit in zip(texts, suspect, strict=True)
        ],
        pa.string(),
    )
