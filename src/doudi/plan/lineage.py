"""Plan lineages: a person-year of a programme belongs to one plan (decisions 0010, 0012).

A lineage is the versions of one jurisdiction, region, year and programme (the
pension's government part, the medical subsidy: ``plan.programmes``), numbered 1, 2, …
in the order they were made; its current version is the highest number. Two lineages
of a year and programme may not cover nested regions (a province's plan and a county's
of it would pay the same people twice), and a person whom another lineage's current
version of the programme already pays for (their hukou moved between two counties'
plans) is left out of a new plan. The programmes are independent: a county's medical
plan does not replace, nor clash with, its pension plan.
The plan, the 31 August statement, the finance page and the dashboard all take
"current" from here, so they count the same versions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import pyarrow as pa

from doudi.core import regions
from doudi.store import db

#: The ids of the current versions: no version of the same lineage has a higher number
#: (plain SQL, the same on SQLite and PostgreSQL; no bound values).
CURRENT_VERSION_IDS = """
    SELECT v.id FROM registry_plan_version v
    WHERE NOT EXISTS (
        SELECT 1 FROM registry_plan_version w
        WHERE w.jurisdiction = v.jurisdiction AND w.region = v.region
          AND w.year = v.year AND w.programme = v.programme AND w.number > v.number
    )
"""


class Versioned(Protocol):
    """What the lineage rules read of a version (a registry row or a Django model)."""

    @property
    def jurisdiction(self) -> str: ...

    @property
    def region(self) -> str: ...

    @property
    def year(self) -> int: ...

    @property
    def number(self) -> int: ...

    @property
    def programme(self) -> str: ...


@dataclass(frozen=True)
class Version:
    """A plan version as the lineage rules see it."""

    id: int
    jurisdiction: str
    region: str
    year: int
    number: int
    programme: str

    def label_zh(self) -> str:
        """How a caseworker names it: region, its name and the number."""
        return f"{self.region} {regions.region_name(self.region) or ''} 第 {self.number} 版"


Key = tuple[str, str, int, str]


def key(v: Versioned) -> Key:
    """The lineage a version belongs to."""
    return (str(v.jurisdiction), str(v.region), int(v.year), str(v.programme))


def current_numbers(versions: Iterable[Versioned]) -> dict[Key, int]:
    """Per lineage, the number of its current version."""
    out: dict[Key, int] = {}
    for v in versions:
        out[key(v)] = max(out.get(key(v), 0), int(v.number))
    return out


def nested(a: str, b: str) -> bool:
    """Whether the people of region ``a`` and of region ``b`` overlap: one lies under
    the other (or they are the same), by their hukou prefixes."""
    first, second = regions.hukou_prefix(a), regions.hukou_prefix(b)
    return first.startswith(second) or second.startswith(first)


def of_year(con: Any, database: db.Database, year: int) -> list[Version]:
    """Every version of the year (a handful of rows: one per plan run)."""
    rows = db.read(
        con,
        database,
        "registry_plan_version",
        "WHERE year = ?",
        (year,),
        columns=("id", "jurisdiction", "region", "year", "number", "programme"),
    )
    return [Version(**r) for r in rows.to_pylist()]


def current(versions: Iterable[Version]) -> list[Version]:
    """The current version of each lineage among ``versions``, in region order."""
    versions = list(versions)
    top = current_numbers(versions)
    found = [v for v in versions if v.number == top[key(v)]]
    return sorted(found, key=lambda v: (v.region, v.jurisdiction, v.programme))


def overlapping(
    versions: Iterable[Version], jurisdiction: str, region: str, programme: str
) -> list[Version]:
    """The current versions of the programme's other lineages whose people overlap
    ``region``'s: a region nested in it or around it, or the same region under another
    jurisdiction. A plan of ``region`` and the programme is refused while there is one."""
    return [
        v
        for v in current(versions)
        if v.programme == programme
        and nested(v.region, region)
        and (v.region, v.jurisdiction) != (region, jurisdiction)
    ]


def covering(versions: Iterable[Version], region: str, programme: str) -> list[Version]:
    """The current versions of the programme whose people overlap ``region``'s (what
    a statement of the region reconciles with)."""
    return [v for v in current(versions) if v.programme == programme and nested(v.region, region)]


def planned_elsewhere(
    con: Any, database: db.Database, others: list[Version], region: str
) -> pa.Table:
    """The people of ``region`` whom one of ``others`` (current versions of the
    programme's other lineages) pays a government part for: ``person_id``,
    ``plan_version_id``, a row per part.

    Nothing is read when there are no other lineages, the usual case: a province
    of ten million people then pays nothing for this check."""
    if not others:
        return pa.table(
            {"person_id": pa.array([], pa.int64()), "plan_version_id": pa.array([], pa.int64())}
        )
    marks = ", ".join("?" for _ in others)
    return db.read(
        con,
        database,
        "registry_contribution",
        f"WHERE plan_version_id IN ({marks}) AND payer <> 'self' AND person_id IN "
        "(SELECT id FROM registry_person WHERE hukou_region LIKE ?)",
        (*(v.id for v in others), regions.hukou_prefix(region) + "%"),
        columns=("person_id", "plan_version_id"),
    )


def paid_by(elsewhere: pa.Table, others: list[Version]) -> dict[int, str]:
    """Per person of ``elsewhere`` (``planned_elsewhere``), the label of the other
    lineage's version that pays for them (the first found, where several parts do)."""
    label = {v.id: v.label_zh() for v in others}
    plan_of: dict[int, str] = {}
    for person, version in zip(
        elsewhere.column("person_id").to_pylist(),
        elsewhere.column("plan_version_id").to_pylist(),
        strict=True,
    ):
        plan_of.setdefault(int(person), label[int(version)])
    return plan_of
