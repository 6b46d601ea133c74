"""The comparison's findings as users see them: no ID number in full.

A finding names a person by ID number (``id_number``), and an invalid-ID or duplicate
row by the cell as the department wrote it (``value``: the number, valid or not);
the caseworker's page and workbook show them masked as every page does (first four
and last four characters, :func:`doudi.core.idnumber.mask`). The full number is on
the person page only, where unmasking it is audited (issue #19 §5): a workbook is
mailed and copied, and a number in it is out of the audit's sight.
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa

from doudi.core import idnumber

#: The columns holding an ID number, whole or as written (masked whole: a malformed
#: number of 17 digits is still nearly all of a real one).
NUMBER_COLUMNS = ("id_number", "value")
#: A rejection reason may quote a cell (one recorded before reasons were masked).
TEXT_COLUMNS = ("reason",)


def masked(table: pa.Table) -> pa.Table:
    """``table`` with its ID numbers masked: the number columns whole, and any number
    quoted in a reason."""
    mask: Callable[[str], str]
    for name in table.column_names:
        if name in NUMBER_COLUMNS:
            mask = idnumber.mask
        elif name in TEXT_COLUMNS:
            mask = idnumber.mask_in_text
        else:
            continue
        values = table.column(name).to_pylist()
        column = pa.array([None if v is None else mask(str(v)) for v in values], pa.string())
        table = table.set_column(table.schema.get_field_index(name), name, column)
    return table
