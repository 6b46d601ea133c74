"""The input tables the rules read, as Ibis schemas, made of ``policy/tables.py``
(one definition of the columns; the engine reads that one when it need not compile)."""

from __future__ import annotations

import ibis

from doudi.policy import tables

PEOPLE = ibis.schema(tables.PEOPLE)

STATUSES = ibis.schema(tables.STATUSES)
