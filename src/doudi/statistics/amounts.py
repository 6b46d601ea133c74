"""What the current plan versions of a year pay, per programme, payer and region.

A plan version is what an office handed to finance (decision 0012), so the statistics
take each programme's **current** version (``plan.lineage``: the highest number of its
jurisdiction, region, year and programme) of every lineage whose region overlaps the
region asked about (``lineage.covering``), and name each one (id and number) so an
auditor can trace a sum to it. A version of a region inside the one asked about counts
whole — its people placed by their hukou now, as its ledger places them, so the
statistics' total is the version's; a version of a wider region (the jurisdiction's,
asked about one county) counts the rows of the people whose hukou is in the region.
Amounts are the rows' own, summed as DECIMAL(18, 2) in DuckDB: exact, no float.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb
import pyarrow as pa

from doudi.core import regions, vocab
from doudi.plan import lineage, programmes
from doudi.plan.ledger_terms import PAID_BY
from doudi.policy import jurisdictions
from doudi.statistics.tree import Region, tree
from doudi.store import db

SELF = "self"


@dataclass(frozen=True)
class Counted:
    """A current version the statistics count, with its own totals and what of it
    falls in the region (the same when the version's region is inside it)."""

    version: lineage.Version
    whole: bool  # the version's region lies inside the region asked about
    gov_paid: Decimal  # the version's totals, as stored with it
    self_due: Decimal
    gov_in_region: Decimal
    self_in_region: Decimal


@dataclass(frozen=True)
class Programme:
    """One programme's amounts: its current versions and the table per region
    (:data:`tree.PLACE`, ``targets``, one ``paid_by_<payer>`` column per government
    payer in vocab.PAYER's order, ``gov_paid``, ``self_due``); no table without a
    version."""

    code: str
    versions: tuple[Counted, ...]
    payers: tuple[str, ...]
    by_region: pa.Table | None


def _column(payer: str) -> str:
    return '"' + f"{PAID_BY}{payer}".replace('"', '""') + '"'


def _aggregates(payers: tuple[str, ...]) -> str:
    parts = [
        f"count(DISTINCT person_id) FILTER (WHERE payer <> '{SELF}' AND amount <> 0)::BIGINT"
        " AS targets",
        *(
            f"CAST(coalesce(sum(amount) FILTER (WHERE payer = '{p}'), 0) AS DECIMAL(18, 2))"
            f" AS {_column(p)}"
            for p in payers
        ),
        f"CAST(coalesce(sum(amount) FILTER (WHERE payer <> '{SELF}'), 0) AS DECIMAL(18, 2))"
        " AS gov_paid",
        f"CAST(coalesce(sum(amount) FILTER (WHERE payer = '{SELF}'), 0) AS DECIMAL(18, 2))"
        " AS self_due",
    ]
    return ", ".join(parts)


def amounts(reader: db.Reader, year: int, region: Region) -> list[Programme]:
    """Each programme of ``plan.programmes`` (in its order) for ``region`` and ``year``."""
    prefix = region.prefix
    found = reader.read(
        "registry_plan_version",
        "WHERE year = ?",
        (year,),
        columns=(*_VERSION_FIELDS, "gov_paid", "self_due"),
    ).to_pylist()
    totals = {int(r["id"]): (r["gov_paid"], r["self_due"]) for r in found}
    every = [lineage.Version(**{k: r[k] for k in _VERSION_FIELDS}) for r in found]
    document = _document(region.code)
    out = []
    for programme, words in programmes.ALL.items():
        covering = lineage.covering(every, region.code, programme)
        if not covering:
            if document is None or words.applies(document):
                out.append(Programme(programme, (), (), None))
            continue
        rows = [_rows(reader, v, prefix) for v in covering]
        con = duckdb.connect()
        con.register("facts", pa.concat_tables(rows))
        present = {r[0] for r in con.sql("SELECT DISTINCT payer FROM facts").fetchall()}
        payers = tuple(p for p in vocab.GOVERNMENT_PAYERS if p in present) + tuple(
            sorted(present - set(vocab.GOVERNMENT_PAYERS) - {SELF})
        )
        by_region = tree(con, "facts", _aggregates(payers), region)
        counted = tuple(
            _counted(v, t, prefix, totals[v.id]) for v, t in zip(covering, rows, strict=True)
        )
        out.append(Programme(programme, counted, payers, by_region))
        con.close()
    return out


_VERSION_FIELDS = ("id", "jurisdiction", "region", "year", "number", "programme")


def _document(code: str) -> str | None:
    """The document of the region's jurisdiction (None outside every jurisdiction):
    a programme its document does not have is not listed as missing."""
    try:
        return jurisdictions.resolve(code).document
    except jurisdictions.UnknownJurisdiction:
        return None


def _inside(version: lineage.Version, prefix: str) -> bool:
    return regions.hukou_prefix(version.region).startswith(prefix)


def _rows(reader: db.Reader, version: lineage.Version, prefix: str) -> pa.Table:
    """The version's contribution rows the region counts, each with its person's place:
    ``person_id, payer, amount, county_code, county, township, village``."""
    of_version = "SELECT person_id FROM registry_contribution WHERE plan_version_id = ?"
    where, who = "WHERE plan_version_id = ?", f"WHERE id IN ({of_version})"
    values: list[Any] = [version.id]
    whose: list[Any] = [version.id]
    if not _inside(version, prefix):
        where += " AND person_id IN (SELECT id FROM registry_person WHERE hukou_region LIKE ?)"
        values.append(prefix + "%")
        who += " AND hukou_region LIKE ?"
        whose.append(prefix + "%")
    con = duckdb.connect()
    con.register("c", reader.read("registry_contribution", where, values, columns=_ROW))
    con.register("p", reader.read("registry_person", who, whose, columns=_PLACE))
    placed = con.sql(
        """
        SELECT CAST(c.person_id AS BIGINT) AS person_id, CAST(c.payer AS VARCHAR) AS payer,
               CAST(c.amount AS DECIMAL(18, 2)) AS amount,
               substr(coalesce(p.hukou_region, ''), 1, 6) AS county_code,
               coalesce(p.township, '') AS township, coalesce(p.village, '') AS village
        FROM c LEFT JOIN p ON p.id = c.person_id
        """
    ).to_arrow_table()
    con.close()
    codes = placed.column("county_code").to_pylist()
    names = {c: regions.region_name(c) or c for c in set(codes)}
    return placed.add_column(4, "county", pa.array([names[c] for c in codes], pa.string()))


_ROW = ("person_id", "payer", "amount")
_PLACE = ("id", "hukou_region", "township", "village")


def _sum(rows: pa.Table, own: bool) -> Decimal:
    """The rows' government (``own`` False) or own (True) amounts, exactly."""
    pairs = zip(rows.column("payer").to_pylist(), rows.column("amount").to_pylist(), strict=True)
    return sum((a for p, a in pairs if (p == SELF) == own), Decimal("0.00"))


def _counted(
    version: lineage.Version, rows: pa.Table, prefix: str, totals: tuple[Any, Any]
) -> Counted:
    return Counted(
        version=version,
        whole=_inside(version, prefix),
        gov_paid=Decimal(totals[0]),
        self_due=Decimal(totals[1]),
        gov_in_region=_sum(rows, own=False),
        self_in_region=_sum(rows, own=True),
    )


MONEY = pa.decimal128(18, 2)


def everywhere(region: str) -> bool:
    """Every version's own totals may be shown (the command line has no user scope)."""
    return True


def trace(
    found: list[Programme] | tuple[Programme, ...],
    year: int,
    totals_of: Callable[[str], bool] = everywhere,
) -> pa.Table:
    """Which versions the amounts are of, for an auditor: per programme each current
    version counted (id, number, its region, its own totals and what of them the region
    counts), or a row saying the programme has no version of the year.

    ``totals_of`` says of a version's region whether its own totals may be shown: a version
    of a wider region than the user's (the jurisdiction's, seen by a county) sums other
    counties' people, so the web leaves those totals blank and shows the region's part
    only (web.roles.Scope.covers)."""
    rows: list[dict[str, Any]] = []
    for p in found:
        label = vocab.PROGRAMME.label(p.code)
        if not p.versions:
            rows.append(
                {"programme": label, "note": f"尚无{year}年{label}计划版本，本项目金额未统计"}
            )
        for c in p.versions:
            v = c.version
            rows.append(
                {
                    "programme": label,
                    "version_id": v.id,
                    "number": v.number,
                    "jurisdiction": v.jurisdiction,
                    "plan_region": f"{v.region} {regions.region_name(v.region) or ''}".strip(),
                    "gov_paid": c.gov_in_region,
                    "self_due": c.self_in_region,
                    "version_gov_paid": c.gov_paid if totals_of(v.region) else None,
                    "version_self_due": c.self_due if totals_of(v.region) else None,
                    "note": (
                        "计划范围在统计地区内，全部计入"
                        if c.whole
                        else "计划范围大于统计地区，只计户籍在统计地区内人员的金额"
                    ),
                }
            )
    schema = pa.schema(
        [
            ("programme", pa.string()),
            ("version_id", pa.int64()),
            ("number", pa.int64()),
            ("jurisdiction", pa.string()),
            ("plan_region", pa.string()),
            ("gov_paid", MONEY),
            ("self_due", MONEY),
            ("version_gov_paid", MONEY),
            ("version_self_due", MONEY),
            ("note", pa.string()),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)
