"""``db.new_ids``: the ids an import writes its new people with (issue #25 §3) are those
the database would have given, and it gives none of them again — on SQLite and on
PostgreSQL, after rows were deleted too."""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow as pa
import pytest

from doudi.store import db


def people(numbers: list[str], ids: pa.Array | None = None) -> pa.Table:
    n = len(numbers)
    table = pa.table(
        {
            "id_number": numbers,
            "name": ["张三"] * n,
            "sex": ["M"] * n,
            "birth_date": pa.array([date(1980, 1, 1)] * n, pa.date32()),
            "hukou_region": ["360102"] * n,
            "township": [""] * n,
            "village": [""] * n,
        }
    )
    return table if ids is None else table.add_column(0, "id", ids)


def stored(registry: Any) -> list[tuple[int, str]]:
    rows = registry.read("registry_person").to_pylist()
    return sorted((r["id"], r["id_number"]) for r in rows)


def test_new_ids_follow_the_largest_ever_given_and_the_next_insert_follows_them(
    registry: Any,
) -> None:
    with registry.transaction() as con:
        db.ingest(con, registry, "registry_person", people(["a1", "a2", "a3"]))
        db.execute(con, "DELETE FROM registry_person WHERE id_number = ?", ("a3",))
    with registry.transaction() as con:
        ids = db.new_ids(con, registry, "registry_person", 2)
        # 3 was given to a row since deleted: never given again, as an insert would not
        assert ids.to_pylist() == [4, 5]
        db.ingest(con, registry, "registry_person", people(["b4", "b5"], ids))
        # an insert without ids afterwards (any other writer's) takes the id after them
        db.ingest(con, registry, "registry_person", people(["c6"]))
        assert db.new_ids(con, registry, "registry_person", 0).to_pylist() == []
    assert stored(registry) == [(1, "a1"), (2, "a2"), (4, "b4"), (5, "b5"), (6, "c6")]


def test_ids_taken_in_a_transaction_rolled_back_leave_no_row(registry: Any) -> None:
    with pytest.raises(RuntimeError, match="fails after writing"), registry.transaction() as con:
        ids = db.new_ids(con, registry, "registry_person", 3)
        db.ingest(con, registry, "registry_person", people(["d1", "d2", "d3"], ids))
        raise RuntimeError("the import fails after writing")
    assert stored(registry) == []
    with registry.transaction() as con:
        db.ingest(con, registry, "registry_person", people(["e1"]))
    # SQLite's counter went back with the transaction; PostgreSQL's sequence does not
    # (nextval is never rolled back): either way the id is new
    assert stored(registry) == [(1 if registry.dialect == "sqlite" else 4, "e1")]
