"""What the settlement of a year of bills reads, for the lake export (issue #24).

The settlement rules (``policy/settlement``, run by ``engine.settlement`` and
``plan.lake_settlement``) read two tables: the bills (``schema.BILLS``) and the
patients' status periods keyed by ID number (``schema.BILL_STATUSES``). The export
writes exactly those beside the plan's inputs, in the same reading transaction and the
same partitions, so Spark's executors settle the files as DuckDB settles the tables.

Which bills: those the export's jurisdiction settles (``registry_bill.jurisdiction``)
discharged in the export's year, of the people of the exported region — a person's
deductible and caps run over their bills of one year and one settling jurisdiction
(``bills.importing.settle_person``). Their status periods are the ones the plan reads
(``plan.inputs``: an exit mark dated as the plan dates it), for the people with a
bill only: the settlement looks up a patient's statuses on the discharge day.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.plan import inputs
from doudi.policy.settlement import schema
from doudi.store import db

#: The bill's columns the settlement reads, as stored (``registry_bill``): its id (the
#: settlement's ``bill_no``), its patient (whose ID number it is settled by), the rest.
STORED = (
    "id",
    "person_id",
    *(name for name in schema.BILLS.names if name not in ("bill_no", "id_number")),
)


def registry_bills(reader: db.Reader, jurisdiction: str, year: int) -> pa.Table:
    """The bills ``jurisdiction`` settles that were discharged in ``year`` (all regions:
    :func:`settlement_tables` keeps the exported people's)."""
    return reader.read(
        "registry_bill",
        "WHERE jurisdiction = ? AND discharge_date >= ? AND discharge_date <= ?",
        (jurisdiction, date(year, 1, 1), date(year, 12, 31)),
        columns=STORED,
    )


def no_bills() -> pa.Table:
    """Stored bills, none: the settlement's tables of an export of people only (the
    plan's benchmark writes its synthetic people so)."""
    ids = [pa.field("id", pa.int64()), pa.field("person_id", pa.int64())]
    fields = [f for f in schema.BILLS.to_pyarrow() if f.name in STORED]
    return pa.schema([*ids, *fields]).empty_table()


def settlement_tables(stored: pa.Table, read: inputs.Inputs) -> tuple[pa.Table, pa.Table]:
    """The bills of the people ``read`` (the export's people, in id order) in the
    settlement's shape, and those patients' status periods by ID number; each with the
    patient's ``row_no`` first, by which the export puts it in the patient's county.

    A bill's ``bill_no`` is its registry id: the settlement's order of a person's bills
    on one day, and the key its results are read back by."""
    people, statuses = read.people, read.statuses
    ids = np.asarray(people.column("row_no").to_numpy(), np.int64)
    mine = pc.is_in(stored.column("person_id"), value_set=people.column("row_no"))
    bills = stored.filter(mine)
    patient = np.asarray(bills.column("person_id").to_numpy(), np.int64)
    id_numbers = people.column("id_number").take(pa.array(np.searchsorted(ids, patient)))
    columns = {
        "row_no": bills.column("person_id"),
        "bill_no": bills.column("id"),
        "id_number": id_numbers,
        **{name: bills.column(name) for name in STORED[2:]},
    }
    shaped = pa.table(columns).select(["row_no", *schema.BILLS.names])
    bills_table = shaped.cast(
        pa.schema([pa.field("row_no", pa.int64()), *schema.BILLS.to_pyarrow()])
    )
    held = statuses.filter(pc.is_in(statuses.column("row_no"), value_set=pa.array(patient)))
    person = np.asarray(held.column("row_no").to_numpy(), np.int64)
    numbers = people.column("id_number").take(pa.array(np.searchsorted(ids, person)))
    periods = pa.table(
        {
            "row_no": held.column("row_no"),
            "id_number": numbers,
            **{name: held.column(name) for name in schema.BILL_STATUSES.names[1:]},
        }
    ).cast(pa.schema([pa.field("row_no", pa.int64()), *schema.BILL_STATUSES.to_pyarrow()]))
    return bills_table, periods
