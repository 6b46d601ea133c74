"""A rejected record (one problem in one row of a department file): its codes and shape.

Rejected records come from three places: the file reading (a CSV record with more
cells than the header, :mod:`doudi.rosters.files`; a line whose quotes do not pair up,
:mod:`doudi.rosters.csvlines`), the cell checks (:mod:`doudi.rosters.checks`) and, once
the as-of date is known, the tier list (code ``tier``, :mod:`doudi.rosters.tiers`). All
build tables of :data:`REJECTED_SCHEMA`, which become ``RejectedRow`` rows and are
handed back to the department.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import textfile

#: Rejection codes (``RejectedRow.code``).
CODES = (
    "missing",  # a required cell is empty
    "control",  # a cell holds an invisible control character (NUL, BEL, zero-width space …)
    "too_long",  # a text is longer than the registry field it is stored in
    "id_length",  # ID number not 15 or 18 characters
    "id_chars",  # ID number has a character other than digits (and a final X)
    "id_region",  # the province in the ID number's address code does not exist
    "id_date",  # the birth date inside the ID number does not exist / is out of range
    "id_check",  # the check character is wrong
    "date",  # a date cell is not a date
    "before_birth",  # a date before the birth date in the row's ID number
    "before_entry",  # an exit date before the entry date it ends
    "yes_no",  # a yes/no cell is neither
    "grade",  # a disability grade is not 一级 … 四级
    "not_severe",  # disability list: grade 三级/四级 is not severe disability
    # veterans' list: employed (是否失业 = 否) or in the employee medical insurance
    # (是否参加职工医保 = 是): not of the 14 categories' group the documents cover
    "not_qualifying",
    "decimal",  # an amount is not a number of yuan with at most two decimals
    "account",  # a bank account number is not 8 to 32 digits
    "region",  # a region code is not a current county's code (and township, village digits)
    "count",  # a count (months, a year) is not a whole number of at least 0
    "out_of_range",  # a count outside its column's bounds (a year before 2000 …)
    "choice",  # a cell is none of its column's written forms (期满终止, 五级, 通过 …)
    "duplicate",  # the ID number of another valid row: an earlier copy, or different data
    "columns",  # CSV record with more cells than the header (e.g. an unquoted comma)
    "quotes",  # CSV line whose quotes do not pair up, or a line break inside a cell
    # a resident-pension tier not on the tier list of the as-of date's year where the
    # row's person lives (GF-2014-8/5.1; rosters.tiers, checked by the import)
    "tier",
)

REJECTED_SCHEMA = pa.schema(
    [
        pa.field("row_number", pa.int32(), nullable=False),
        pa.field("column", pa.string(), nullable=False),
        pa.field("code", pa.string(), nullable=False),
        pa.field("value", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
    ]
)


def no_rejects() -> pa.Table:
    """An empty table of rejected records."""
    return REJECTED_SCHEMA.empty_table()


def stored(batch_id: int, rejected: pa.Table, id_numbers: pa.Array | None = None) -> pa.Table:
    """The rejected records of a batch as ``registry_rejected_row`` stores them, for every
    importer (rosters, service points, work-injury lists): a control character in a cell
    (a reason to reject it) written as its code point, [U+0000] for a NUL
    (core.textfile.storable: PostgreSQL refuses a NUL in text, and the import ended in a
    traceback); the header as written cut to the 64 characters its field holds; beside
    each, the ID number its row still names (``id_numbers``, rosters.held: it keeps a
    snapshot from closing that person), none for lists of places or cases."""
    n = rejected.num_rows

    def storable(texts: pa.ChunkedArray) -> pa.Array:
        return pa.array(
            [textfile.storable(t) for t in pc.fill_null(texts, "").to_pylist()], pa.string()
        )

    return pa.table(
        {
            "batch_id": pa.array([batch_id] * n, pa.int64()),
            "row_number": rejected.column("row_number").cast(pa.int32()),
            "column": pc.utf8_slice_codeunits(storable(rejected.column("column")), 0, 64),
            "code": rejected.column("code"),
            "value": storable(rejected.column("value")),
            "reason": storable(rejected.column("reason")),
            "id_number": pa.array([""] * n, pa.string()) if id_numbers is None else id_numbers,
        }
    )
