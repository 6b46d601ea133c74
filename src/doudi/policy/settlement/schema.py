"""The bills table the settlement rules read, as Ibis schemas made of
``policy/tables.py``."""

from __future__ import annotations

import ibis

from doudi.policy import tables

BILLS = ibis.schema(tables.BILLS)

#: The patients' status periods, keyed by ID number (``tables.BILL_STATUSES``).
BILL_STATUSES = ibis.schema(tables.BILL_STATUSES)
