"""Refused rows that hold their person's periods: on the list, though the row is not taken.

A department's snapshot that leaves a person out closes their period (rosters.periods).
A row refused for one of its cells (an empty name, a date that does not exist, two rows
of one ID number that differ) does not leave the person out: the department listed them
and made a mistake in the row. Closing their status or enrollment on such a row would
stop a poor person's contribution for a typing error, so a refused row that names a
person for certain keeps their periods as they were: the snapshot neither confirms nor
closes them (docs/readings.md 30).

"For certain" means a valid ID number (check character, birth date and province all
right): read from the ID-number cell when it is valid, also for a line that could not
be taken as cells (codes ``columns`` and ``quotes``): split again by the delimiter, its
cell at the ID column. A row refused because the person does not qualify
(``not_severe``: a disability of grade 三级 or 四级; ``not_qualifying``: a veteran
employed or in the employee medical insurance) names nobody here: the department says
the person is not in the group, and the snapshot closes them as before.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

#: Refusal codes that say the person does not belong on the list (not a mistake in it).
NOT_QUALIFYING = ("not_severe", "not_qualifying")

#: Who refused rows name: one row per refused row that names a person.
HELD_SCHEMA = pa.schema(
    [
        pa.field("row_number", pa.int32(), nullable=False),
        pa.field("id_number", pa.string(), nullable=False),
    ]
)


def none() -> pa.Table:
    """No refused row names anyone."""
    return HELD_SCHEMA.empty_table()


def from_cells(con: Any, validated: str, found: pa.Table) -> pa.Table:
    """The refused rows of the cell checks (``found``: row_number, code) whose ID-number
    cell is valid, with that number as stored (18 characters), from the DuckDB table
    ``validated`` of :func:`doudi.rosters.validation.validate`."""
    con.register("held_found", found.select(["row_number", "code"]))
    try:
        return (
            con.sql(
                f"""SELECT v.row_number::INTEGER AS row_number, v.id_number__typed AS id_number
            FROM {validated} v
            WHERE v.id_number__code IS NULL
              AND v.row_number IN (SELECT row_number FROM held_found)
              AND v.row_number NOT IN (
                  SELECT row_number FROM held_found
                  WHERE code IN ({", ".join(f"'{c}'" for c in NOT_QUALIFYING)}))
            ORDER BY v.row_number"""
            )
            .to_arrow_table()
            .cast(HELD_SCHEMA)
        )
    finally:
        con.unregister("held_found")


def from_lines(extra: pa.Table, delimiter: str, id_position: int) -> pa.Table:
    """The lines refused before they could be taken as cells (``extra``: the reading's
    rejected records, their ``value`` the line's text) whose ID-number cell — the line
    split by ``delimiter``, the cell at the ID column's ``id_position`` — holds a valid
    ID number. Only that cell: a line may carry other people's numbers (a household
    head's, a guardian's) in columns the import does not read, and holding one of them
    would keep a period open that the list ended. Where an unquoted delimiter shifted
    the cells, the cell is not an ID number and nobody is held. Runs in Python per
    refused line, which a well-formed file does not have."""
    from doudi.rosters.validation import check_id_numbers  # validation imports this module

    if not delimiter or extra.num_rows == 0:
        return none()
    rows: list[int] = []
    cells: list[str] = []
    for record in extra.select(["row_number", "value"]).to_pylist():
        split = (record["value"] or "").split(delimiter)
        if id_position < len(split):
            rows.append(record["row_number"])
            cells.append(split[id_position].strip().strip('"').strip())
    if not rows:
        return none()
    checked = check_id_numbers(cells)
    valid = pc.is_null(checked.column("code"))
    return pa.table(
        {
            "row_number": pa.array(rows, pa.int32()).filter(valid),
            "id_number": checked.column("id_number").filter(valid),
        },
        schema=HELD_SCHEMA,
    )


def combined(*tables: pa.Table) -> pa.Table:
    """Several ``HELD_SCHEMA`` tables as one, in row order."""
    return pa.concat_tables([t.cast(HELD_SCHEMA) for t in tables]).sort_by("row_number")


def of_rejected(rejected: pa.Table, names: pa.Table) -> pa.Array:
    """The ID number each rejected record's row names ("" when it names nobody), to be
    stored beside the record (``RejectedRow.id_number``)."""
    if names.num_rows == 0:
        return pa.array([""] * rejected.num_rows, pa.string())
    at = pc.index_in(rejected.column("row_number"), value_set=names.column("row_number"))
    return pc.fill_null(pc.take(names.column("id_number"), at), "")
