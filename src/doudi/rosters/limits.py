"""How long a cell's text may be: no longer than the registry fields it is stored in.

PostgreSQL refuses a value longer than its ``VARCHAR(n)`` ("value too long", the whole
import ending in a traceback) while SQLite stores it whole, so the limit is checked on
the cells, before anything is written, and both databases behave the same. The limits
are read from the registry's models (``max_length``), the one place they are set: a
field made longer or shorter there moves the check with it.
"""

from __future__ import annotations

from functools import cache

from doudi.rosters.sources import Column
from doudi.store import db


@cache
def max_length(field: str) -> int:
    """The ``max_length`` of a registry field named ``"Model.field"``."""
    db.setup()
    from django.apps import apps

    model, name = field.split(".")
    return int(apps.get_model("registry", model)._meta.get_field(name).max_length)


def text_limit(column: Column) -> int | None:
    """The most characters ``column``'s text may have (None: not stored as text)."""
    return min((max_length(f) for f in column.stored), default=None)
