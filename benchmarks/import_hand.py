"""The roster import benchmark's floor: a hand-written import of the resident-medical
extract into an empty registry (issue #25 §1: "the roster import (validation + write)").

Why: the import's targets (10^6 rows into SQLite in 20 s, into PostgreSQL in 15 s) say
nothing of how far Doudi is from what the databases allow on the machine at hand. This
is the shortest import a hand-writer would write for this one file, writing the same
rows: pyarrow reads the file; one DuckDB statement checks every cell (the ID number's
length, characters, province, birth date and check character; the name given and not
too long; the region code a current county's; the enrollment date a real day, not
before the birth) and a second decides the duplicates among the valid rows by window
functions; then one transaction writes the batch, the people (their ids taken before
they are written: above the largest on SQLite, from the sequence on PostgreSQL; nothing
is read back), their roster entries, the scope, the rejected rows, the enrollments and
one audit row per person added and per period opened — the two audit kinds as one
``INSERT … SELECT`` each on SQLite, built in DuckDB and copied on PostgreSQL, as Doudi
writes them on each. On PostgreSQL the transaction runs in replica mode, as Doudi's
import does where the role may (decision 0020; the floor assumes the role may), and
checks before the commit what its rows reference: the batch, and the people of its
entries and enrollments (one anti-join each).

What it leaves out, and Doudi does not: every other column kind and file format,
Unicode normalization, control characters, dates as people write them (only
``YYYY-MM-DD`` is read), the reasons' Chinese text (a rejected row keeps its code), a
registry that already holds people or lists (snapshots, addenda, closings, the guard).
``differing`` compares what the two imports wrote table by table, and ``bench_import``
exits with an error when a row differs.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as csv

from doudi.core import regions
from doudi.store import db

SOURCE, SCHEME = "resident_medical", "resident_medical"
#: The file's headers, as the synthesizer writes them, by what they hold.
HEADERS = {
    "id_number": "公民身份号码",
    "name": "参保人姓名",
    "region_code": "区划代码",
    "township": "乡镇(街道)",
    "village": "村",
    "since": "参保日期",
}
NAME_LIMIT = 64
#: Whitespace of any script (the ideographic space too), removed from ID numbers and
#: names; full-width digits and X written as ASCII.
SPACE = r"[\s\p{Z}]+"
WIDE, NARROW = "０１２３４５６７８９Ｘｘ", "0123456789XX"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

#: Every cell checked, one row per file row: each column's rejection code (null: valid)
#: and the typed values.
_CHECKED = """
WITH r AS (
    SELECT row_number,
           CASE WHEN regexp_full_match(id, '[0-9Xx]*') THEN upper(id)
                ELSE upper(translate(regexp_replace(id, $space, '', 'g'), $wide, $narrow))
           END AS v,
           regexp_replace(name, $space, '', 'g') AS name, trim(region) AS region,
           trim(township) AS township, trim(village) AS village, trim(since) AS since_text,
           id AS id_raw, name AS name_raw, region AS region_raw, since AS since_raw
    FROM raw
), c AS (
    SELECT *, CASE WHEN length(v) = 15 AND regexp_full_match(v, '[0-9]{15}')
                   THEN CAST(substr(v, 1, 6) || '19' || substr(v, 7) AS BIGINT)
                   WHEN length(v) = 18 AND regexp_full_match(v, '[0-9]{17}[0-9X]')
                   THEN CAST(substr(v, 1, 17) AS BIGINT) END AS n17
    FROM r
), d AS (
    SELECT *,
           try_strptime(since_text, '%Y-%m-%d')::DATE AS since_date
    FROM c
), e AS (
    SELECT *, CAST(n17 // 10000000 % 10000 AS INTEGER) AS yy,
           CAST(n17 // 100000 % 100 AS INTEGER) AS mm, CAST(n17 // 1000 % 100 AS INTEGER) AS dd,
           substr('10X98765432', CAST((CHECK_SUM) % 11 AS INTEGER) + 1, 1) AS expected
    FROM d
), f AS (
    SELECT *, CASE WHEN mm BETWEEN 1 AND 12 AND dd BETWEEN 1 AND CASE
                  WHEN mm = 2 THEN CASE WHEN yy % 4 = 0 AND yy % 100 <> 0 OR yy % 400 = 0
                                        THEN 29 ELSE 28 END
                  WHEN mm IN (4, 6, 9, 11) THEN 30 ELSE 31 END
              THEN make_date(yy, mm, dd) END AS birth
    FROM e
)
SELECT row_number, CASE WHEN length(v) = 15 THEN n17::VARCHAR || expected ELSE v END
       AS id_number, name, region, township, village, since_date AS since,
       birth, CASE WHEN n17 % 2 = 1 THEN 'M' ELSE 'F' END AS sex,
       id_raw, name_raw, region_raw, since_raw,
       CASE WHEN v = '' THEN 'missing'
            WHEN length(v) NOT IN (15, 18) THEN 'id_length'
            WHEN n17 IS NULL THEN 'id_chars'
            WHEN substr(v, 1, 2) NOT IN (SELECT code FROM provinces) THEN 'id_region'
            WHEN birth IS NULL OR year(birth) < 1900 OR birth > current_date THEN 'id_date'
            WHEN length(v) = 18 AND substr(v, 18, 1) <> expected THEN 'id_check'
            END AS id_code,
       CASE WHEN name = '' THEN 'missing' WHEN length(name) > $name_limit THEN 'too_long'
            END AS name_code,
       CASE WHEN region <> '' AND NOT (regexp_full_match(region, '[0-9]{6}([0-9]{3}){0,2}')
            AND substr(region, 1, 6) IN (SELECT code FROM counties)) THEN 'region'
            END AS region_code_code,
       CASE WHEN since_text = '' THEN NULL
            WHEN since_date IS NULL OR year(since_date) NOT BETWEEN 1900 AND 2099 THEN 'date'
            WHEN since_date < birth AND birth <= current_date THEN 'before_birth'
            END AS since_code
FROM f
"""

#: The valid rows with their duplicates decided: a copy leaves the first row, rows of
#: one number that differ are all refused.
_DUPLICATES = """
SELECT *, count(*) OVER w AS copies, min(row_number) OVER w AS first_row,
       min(row(name, region, township, village, since)) OVER w
         <> max(row(name, region, township, village, since)) OVER w AS conflict
FROM checked
WHERE id_code IS NULL AND name_code IS NULL AND region_code_code IS NULL AND since_code IS NULL
WINDOW w AS (PARTITION BY id_number)
"""


def checked(path: Path) -> tuple[duckdb.DuckDBPyConnection, int]:
    """The file's cells checked, in a DuckDB connection: ``checked`` (every row) and
    ``valid`` (the rows without a rejection of their own, duplicates decided)."""
    table = csv.read_csv(
        path,
        convert_options=csv.ConvertOptions(
            column_types=dict.fromkeys(HEADERS.values(), pa.string()),
            strings_can_be_null=False,
        ),
    )
    table = table.rename_columns(["id", "name", "region", "township", "village", "since"])
    n = table.num_rows
    raw = table.append_column("row_number", pa.array(range(2, n + 2), pa.int32()))
    lake = duckdb.connect()
    lake.register("raw", raw)
    lake.register("counties", pa.table({"code": pa.array(regions.county_codes(), pa.string())}))
    lake.register("provinces", pa.table({"code": pa.array(_provinces(), pa.string())}))
    weighted = " + ".join(f"((n17 // {10 ** (16 - i)}) % 10) * {w}" for i, w in enumerate(_WEIGHTS))
    lake.execute(
        "CREATE TEMP TABLE checked AS " + _CHECKED.replace("CHECK_SUM", weighted),
        {"name_limit": NAME_LIMIT, "space": SPACE, "wide": WIDE, "narrow": NARROW},
    )
    lake.execute(f"CREATE TEMP TABLE valid AS {_DUPLICATES}")
    return lake, n


def _provinces() -> list[str]:
    return [f"{p:02d}" for p in range(100) if regions.get(f"{p:02d}0000") is not None]


def import_file(database: db.Database, path: Path, as_of: date, actor: str) -> dict[str, Any]:
    """The file into ``database`` (an empty registry) in one transaction; the counts
    written."""
    data = path.read_bytes()
    checksum = hashlib.sha256(data).hexdigest()
    lake, rows_read = checked(path)
    now = datetime.now(UTC)
    sqlite = database.dialect == "sqlite"
    with database.transaction() as con:
        if not sqlite:
            # the foreign keys checked once each below, not queued per row (as Doudi's
            # import does where the role may: decision 0020)
            db.execute(con, "SET LOCAL session_replication_role = replica")
        period_base = int(db.scalar(con, "SELECT coalesce(max(id), 0) FROM registry_enrollment"))
        rejected = lake.sql(_REJECTED).to_arrow_table()
        accepted = lake.sql(
            """SELECT * FROM valid WHERE copies = 1 OR (NOT conflict AND first_row = row_number)
            ORDER BY row_number"""
        ).to_arrow_table()
        people = accepted.num_rows
        accepted = accepted.append_column("person_id", _person_ids(con, sqlite, people))
        batch = pa.table(
            {
                "source": [SOURCE],
                "file_name": [path.name],
                "checksum": [checksum],
                "as_of": pa.array([as_of], pa.date32()),
                "encoding": ["utf-8"],
                "rows_read": pa.array([rows_read], pa.int32()),
                "rows_accepted": pa.array([people], pa.int32()),
                "rows_rejected": pa.array(
                    [len(set(rejected.column("row_number").to_pylist()))], pa.int32()
                ),
                "people_added": pa.array([people], pa.int32()),
                "periods_opened": pa.array([people], pa.int32()),
                "periods_closed": pa.array([0], pa.int32()),
                "imported_by": [actor],
                "imported_at": pa.array([now], pa.timestamp("us", tz="UTC")),
                "mode": ["snapshot"],
                "region": ["360000"],
            }
        )
        db.ingest(con, database, "registry_import_batch", db.text_times(batch, database))
        batch_id = int(db.scalar(con, "SELECT max(id) FROM registry_import_batch"))
        lake.register("accepted", accepted)
        params = {"batch": batch_id, "at": now, "actor": actor}

        def write(table: str, sql: str) -> None:
            rows = lake.sql(sql, params={k: v for k, v in params.items() if f"${k}" in sql})
            db.ingest(con, database, table, db.text_times(rows.to_arrow_table(), database))

        write("registry_person", _PEOPLE)
        at = str(db.text_times(batch.select(["imported_at"]), database).column(0)[0].as_py())
        if sqlite:
            db.execute(con, _PEOPLE_AUDIT_SQLITE, (at, actor, batch_id, batch_id))
        else:
            write("registry_audit_log", _PEOPLE_AUDIT)
        write("registry_roster_entry", _ENTRIES)
        counties = lake.sql(
            "SELECT DISTINCT county FROM (" + _COUNTIES + ") ORDER BY 1"
        ).to_arrow_table()
        db.ingest(con, database, "registry_import_scope", _of_batch(counties, batch_id))
        db.ingest(con, database, "registry_rejected_row", _of_batch(rejected, batch_id))
        write("registry_enrollment", _ENROLLMENTS)
        if sqlite:
            db.execute(con, _OPENED_AUDIT_SQLITE, (at, actor, batch_id, SCHEME, period_base))
        else:
            write("registry_audit_log", _OPENED_AUDIT)
            _check_keys(con, batch_id)
    lake.close()
    return {"rows": rows_read, "accepted": people, "batch_id": batch_id}


def _person_ids(con: Any, sqlite: bool, n: int) -> pa.Array:
    """The new people's ids, in the order of their rows: above the largest id SQLite
    has given (AUTOINCREMENT never gives one twice), or PostgreSQL's sequence's next."""
    if sqlite:
        base = int(
            db.scalar(
                con,
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence "
                "WHERE name = 'registry_person'), 0), "
                "coalesce((SELECT max(id) FROM registry_person), 0))",
            )
        )
        return pa.array(np.arange(base + 1, base + n + 1, dtype=np.int64))
    with con.cursor() as cur:
        cur.execute(
            "SELECT nextval('registry_person_id_seq'::regclass) AS id "
            f"FROM generate_series(1, {int(n)}) ORDER BY 1"
        )
        return cur.fetch_arrow_table().column("id").combine_chunks()


def _of_batch(rows: pa.Table, batch_id: int) -> pa.Table:
    return rows.append_column("batch_id", pa.repeat(pa.scalar(batch_id, pa.int64()), rows.num_rows))


def _check_keys(con: Any, batch_id: int) -> None:
    """Every row the batch wrote names its batch, and the entries and enrollments name
    people: the batch is there, and an anti-join each finds no one missing."""
    found = db.scalar(con, "SELECT count(*) FROM registry_import_batch WHERE id = ?", (batch_id,))
    orphans = sum(
        int(
            db.scalar(
                con,
                f"SELECT count(*) FROM {table} c WHERE c.batch_id = ? AND NOT EXISTS "
                "(SELECT 1 FROM registry_person p WHERE p.id = c.person_id)",
                (batch_id,),
            )
        )
        for table in ("registry_roster_entry", "registry_enrollment")
    )
    if found != 1 or orphans:
        raise RuntimeError(f"foreign keys: batch found {found}, orphans {orphans}")


#: Each refused cell: the row, the column's header, the code, the cell as written, and the
#: ID number the row still names (its own cell valid) — then the duplicates.
_REJECTED = (
    "SELECT row_number, \"column\", code, value, '' AS reason, id_number FROM ("
    + " UNION ALL ".join(
        f"SELECT row_number, '{HEADERS[column]}' AS \"column\", {code} AS code, "
        f"{raw} AS value, {position} AS position, "
        "CASE WHEN id_code IS NULL THEN id_number ELSE '' END AS id_number "
        f"FROM checked WHERE {code} IS NOT NULL"
        for column, code, raw, position in (
            ("id_number", "id_code", "id_raw", 0),
            ("name", "name_code", "name_raw", 1),
            ("region_code", "region_code_code", "region_raw", 2),
            ("since", "since_code", "since_raw", 5),
        )
    )
    + " UNION ALL SELECT row_number, '公民身份号码', 'duplicate', id_raw, 0, id_number "
    "FROM valid WHERE copies > 1 AND (conflict OR first_row < row_number)"
    ") ORDER BY row_number, position, code"
)
#: The county each row belongs to: its region code's six digits, else its ID number's.
_COUNTIES = (
    "SELECT CASE WHEN length(region) >= 6 THEN substr(region, 1, 6) "
    "ELSE substr(id_number, 1, 6) END AS county FROM accepted"
)
_PEOPLE = """
SELECT person_id AS id, id_number, name, sex,
       birth AS birth_date,
       CASE WHEN region = '' THEN substr(id_number, 1, 6) ELSE region END AS hukou_region,
       township, village, NULL::DATE AS death_date, $batch::BIGINT AS created_batch_id
FROM accepted ORDER BY row_number
"""
_ENTRIES = """
SELECT $batch::BIGINT AS batch_id, row_number, person_id, id_number, name,
       CASE WHEN length(region) >= 6 THEN substr(region, 1, 6)
            ELSE substr(id_number, 1, 6) END AS county,
       region AS region_code, township, village, since
FROM accepted ORDER BY row_number
"""
_ENROLLMENTS = """
SELECT person_id, 'resident_medical' AS scheme,
       region AS region_code, since AS valid_from, NULL::DATE AS valid_to,
       false AS receiving, $batch::BIGINT AS batch_id
FROM accepted ORDER BY row_number
"""
#: One audit row per person added and per period opened, the detail as Doudi spells it
#: (compact JSON): on SQLite one statement each over the rows just written, on
#: PostgreSQL built here and copied (as Doudi does on each).
_PEOPLE_AUDIT_SQLITE = (
    "INSERT INTO registry_audit_log (at, actor, action, table_name, row_id, batch_id, detail) "
    "SELECT ?, ?, 'add_person', 'registry_person', NULL, ?, json_object('id_number', "
    "id_number, 'detail', '新增人员 ' || name) FROM registry_person WHERE created_batch_id = ? "
    "ORDER BY id"
)
_OPENED_AUDIT_SQLITE = (
    "INSERT INTO registry_audit_log (at, actor, action, table_name, row_id, batch_id, detail) "
    "SELECT ?, ?, 'open', 'registry_enrollment', NULL, ?, json_object('person_id', person_id, "
    "'what', ?, 'from', valid_from, 'to', valid_to, 'was_to', NULL) FROM registry_enrollment "
    "WHERE id > ? ORDER BY id"
)
_AUDIT = (
    "$at::TIMESTAMPTZ AS at, $actor AS actor, {action} AS action, {table} AS table_name, "
    "NULL::BIGINT AS row_id, $batch::BIGINT AS batch_id"
)
_PEOPLE_AUDIT = f"""
SELECT {_AUDIT.format(action="'add_person'", table="'registry_person'")},
       json_object('id_number', id_number, 'detail', '新增人员 ' || name)::VARCHAR AS detail
FROM accepted ORDER BY row_number
"""
_OPENED_AUDIT = f"""
SELECT {_AUDIT.format(action="'open'", table="'registry_enrollment'")},
       json_object('person_id', person_id, 'what', 'resident_medical', 'from', since,
                   'to', NULL::DATE, 'was_to', NULL::DATE)::VARCHAR AS detail
FROM accepted ORDER BY row_number
"""

#: The columns compared between the two registries, all where None: the batch's but its
#: id, time and actor (the runs' own), the rejected rows' but the reasons' text (the
#: floor writes codes), the audit rows' but their time.
COMPARED: dict[str, list[str] | None] = {
    "registry_import_batch": [
        "source",
        "file_name",
        "checksum",
        "as_of",
        "encoding",
        "rows_read",
        "rows_accepted",
        "rows_rejected",
        "people_added",
        "periods_opened",
        "periods_closed",
        "mode",
        "region",
    ],
    "registry_person": None,
    "registry_roster_entry": None,
    "registry_import_scope": None,
    "registry_rejected_row": [
        "id",
        "row_number",
        "column",
        "code",
        "value",
        "batch_id",
        "id_number",
    ],
    "registry_enrollment": None,
    "registry_audit_log": ["id", "actor", "action", "table_name", "row_id", "detail", "batch_id"],
}


def written(database: db.Database) -> dict[str, pa.Table]:
    """The registry's tables as the two imports are compared (:data:`COMPARED`)."""
    with database.reading() as con:
        return {table: db.read(con, database, table, columns=c) for table, c in COMPARED.items()}


def differing(doudi: dict[str, pa.Table], hand: dict[str, pa.Table]) -> dict[str, int]:
    """Per table, the rows one import wrote and the other did not (``written``; 0
    everywhere: the two imports wrote the same)."""
    out = {}
    lake = duckdb.connect()
    for table in COMPARED:
        lake.register("a", doudi[table])
        lake.register("b", hand[table])
        out[table] = int(
            lake.sql(
                "SELECT count(*) FROM ((SELECT * FROM a EXCEPT ALL SELECT * FROM b) "
                "UNION ALL (SELECT * FROM b EXCEPT ALL SELECT * FROM a))"
            ).fetchall()[0][0]
        )
    lake.close()
    return out
