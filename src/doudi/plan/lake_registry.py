"""What the information comparison (信息比对) reads, for the lake export (issue #24).

The comparison (``comparison.compare``) reads seven registry tables, not the engine's
inputs: the people with their township and village, every status period (the lists of
each department), the enrollments, the roster entries and the import batches with
their scope and rejected rows (the latest list of each source, its rejected rows). The
export writes exactly those, only the columns the comparison reads, under their
registry names, in the same reading transaction and partitions as the plan's inputs,
so that the comparison runs over the lake on Spark or DuckDB as it runs over the
registry (``lakejobs.comparison``).

Where a row goes: a person's rows (status periods, enrollments, roster entries) with
the person, in their hukou county. An import batch has no person: the batch, all of
its scope (the counties of another region too: a batch covering counties outside the
region is the region's only in part, and the comparison must see that) and its
rejected rows go to the first county of the region its import covered, so that each
is written once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import regions
from doudi.store import db

#: The registry tables the comparison reads and the columns it reads of each
#: (``comparison.staging``, ``comparison.findings``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "registry_person": (
        "id",
        "id_number",
        "name",
        "hukou_region",
        "township",
        "village",
        "birth_date",
        "death_date",
    ),
    "registry_status_period": (
        "person_id",
        "status",
        "department",
        "valid_from",
        "valid_to",
        "exit_marked",
        "exit_date",
    ),
    "registry_enrollment": (
        "person_id",
        "scheme",
        "region_code",
        "valid_from",
        "valid_to",
        "receiving",
    ),
    "registry_roster_entry": ("person_id", "batch_id", "name"),
    "registry_import_batch": ("id", "source", "file_name", "as_of", "mode"),
    "registry_import_scope": ("batch_id", "county"),
    "registry_rejected_row": ("batch_id", "row_number", "column", "code", "value", "reason"),
}
TABLES = tuple(COLUMNS)

_PEOPLE = "SELECT id FROM registry_person WHERE hukou_region LIKE ?"
_BATCHES = "SELECT batch_id FROM registry_import_scope WHERE county LIKE ?"
_WHERE = {
    "registry_person": "WHERE hukou_region LIKE ?",
    "registry_status_period": f"WHERE person_id IN ({_PEOPLE})",
    "registry_enrollment": f"WHERE person_id IN ({_PEOPLE})",
    "registry_roster_entry": f"WHERE person_id IN ({_PEOPLE})",
    "registry_import_batch": f"WHERE id IN ({_BATCHES})",
    "registry_import_scope": f"WHERE batch_id IN ({_BATCHES})",
    "registry_rejected_row": f"WHERE batch_id IN ({_BATCHES})",
}


#: The tables whose rows are the region's people's, read by the person's id.
_BY_PERSON = ("registry_status_period", "registry_enrollment", "registry_roster_entry")


def read(
    reader: db.Reader,
    region: str,
    also: Mapping[str, Sequence[str]] | None = None,
    everyone: bool = False,
) -> dict[str, pa.Table]:
    """Each table of :data:`TABLES` of ``region``: its :data:`COLUMNS` and the columns
    ``also`` names (a table's columns another reading of the same rows needs: the
    export reads the people, their status periods and enrollments once for the plan's
    inputs and the comparison). ``everyone``: the registry holds nobody outside the
    region, so a person's rows are read without asking whose they are (a province's
    registry exported whole: at 10^6 people the question was half of reading them,
    docs/scale.md)."""
    prefix = (regions.hukou_prefix(region) + "%",)
    found = {}
    for name, columns in COLUMNS.items():
        wanted = [*columns, *(c for c in (also or {}).get(name, ()) if c not in columns)]
        if everyone and name in _BY_PERSON:
            found[name] = reader.read(name, columns=wanted)
        else:
            found[name] = reader.read(name, _WHERE[name], prefix, columns=wanted)
    return found


def by_county(read: dict[str, pa.Table], region: str) -> dict[str, tuple[pa.Table, pa.Array]]:
    """Each of the region's tables ``read`` (:data:`COLUMNS`, the region's rows only),
    with the county each of its rows is exported in (the module docstring). Apart from
    the reading so that a synthetic registry goes to a lake the same way
    (``benchmarks/spark_comparison.py``)."""
    read = {name: table.select(list(COLUMNS[name])) for name, table in read.items()}
    prefix = regions.hukou_prefix(region)
    people = read["registry_person"].sort_by("id")
    home = pc.utf8_slice_codeunits(people.column("hukou_region"), 0, 6).combine_chunks()
    ids = np.asarray(people.column("id").to_numpy(), np.int64)

    def of_person(table: pa.Table) -> pa.Array:
        """The hukou county of each row's person (by a binary search of the ids)."""
        wanted = np.asarray(table.column("person_id").to_numpy(), np.int64)
        return home.take(pa.array(np.searchsorted(ids, wanted)))

    scope = read["registry_import_scope"]
    first: dict[int, str] = {}
    for batch, county in zip(
        scope.column("batch_id").to_pylist(), scope.column("county").to_pylist(), strict=True
    ):
        if county.startswith(prefix) and county < first.get(batch, "999999"):
            first[batch] = county

    def of_batch(table: pa.Table, column: str) -> pa.Array:
        return pa.array([first[k] for k in table.column(column).to_pylist()], pa.string())

    return {
        "registry_person": (people, home),
        **{
            name: (read[name], of_person(read[name]))
            for name in ("registry_status_period", "registry_enrollment", "registry_roster_entry")
        },
        "registry_import_batch": (
            read["registry_import_batch"],
            of_batch(read["registry_import_batch"], "id"),
        ),
        **{
            name: (read[name], of_batch(read[name], "batch_id"))
            for name in ("registry_import_scope", "registry_rejected_row")
        },
    }
