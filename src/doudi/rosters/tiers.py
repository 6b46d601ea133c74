"""A resident-pension roster's tiers against the tier list (issue #19 §4).

The list's 缴费档次 is stored on the enrollment and the plan reads it as the person's
contribution: a tier nobody can contribute at (50, 150 yuan) would be planned as it
stands. So a row whose tier is not one a person may choose (``policy.tiers.allowed``,
GF-2014-8/5.1 and the local lists) where the row's person lives, in the year of the
list's as-of date, is refused naming the tiers that are allowed, as a scenario refuses
it (``engine.scenario_checks``).

It needs the as-of date, which reading a file does not know: the import runs it once
the file is read, before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from doudi.policy import jurisdictions, tiers
from doudi.policy.jurisdictions import Jurisdiction
from doudi.rosters import held
from doudi.rosters.reading import RosterRead
from doudi.rosters.rejections import REJECTED_SCHEMA, no_rejects
from doudi.rosters.sources import Source
from doudi.rosters.validation import masked_reasons

TIER = "contribution_tier"

#: The county a row belongs to, as the import places it (importing._entries): the region
#: code's, else the one the ID number's address code gives.
_COUNTY = "coalesce(nullif(substr(region_code, 1, 6), ''), substr(id_number, 1, 6))"

#: Per county: the tiers allowed there, where that is (江西省 2018 年) and the tiers shown.
_LISTS = pa.schema(
    [
        ("county", pa.string()),
        ("tiers", pa.list_(pa.decimal128(18, 2))),
        ("place", pa.string()),
        ("shown", pa.string()),
    ]
)


def checked(read: RosterRead, as_of: date) -> RosterRead:
    """``read`` with the rows of a tier not allowed moved from accepted to rejected
    (:func:`refuse_unlisted`). Such a row still names its person (the department listed
    them and mistyped the tier), so it holds their periods as other refused rows do
    (rosters.held): a snapshot does not close their enrollment. ``rows_read`` stays
    accepted plus rejected rows, each refused row counted once."""
    kept, refused = refuse_unlisted(read.accepted, read.source, as_of, read.header_map)
    if not refused.num_rows:
        return read
    rows = refused.column("row_number").combine_chunks()
    named = read.accepted.filter(pc.is_in(read.accepted.column("row_number"), value_set=rows))
    return replace(
        read,
        accepted=kept,
        rejected=pa.concat_tables([read.rejected, refused]).sort_by("row_number"),
        held=held.combined(read.held, named.select(["row_number", "id_number"])),
    )


def refuse_unlisted(
    accepted: pa.Table, source: Source, as_of: date, header_map: Mapping[str, str]
) -> tuple[pa.Table, pa.Table]:
    """``accepted`` without the rows whose tier is not allowed, and their rejected
    records (code ``tier``, under the header the file gives the tier: ``header_map`` is
    the file's header → canonical column).

    The tiers are those of the jurisdiction governing the row's county in the year of
    ``as_of``. A row is not refused on its tier where no jurisdiction with rules covers
    its county, or where that year has no tiers in force: there is no list to hold it
    against (and no plan can be made for that place or year either). Column-wise: the
    lists are made once per county and jurisdiction, the rows matched against them in
    one DuckDB query (a province's file has 10^6 rows).
    """
    if all(c.name != TIER for c in source.columns) or not accepted.num_rows:
        return accepted, no_rejects()
    lake = duckdb.connect()
    try:
        lake.register("accepted", accepted)
        lake.execute(
            f"CREATE TEMP TABLE placed AS SELECT row_number, {TIER} AS tier, {_COUNTY} AS county"
            f" FROM accepted WHERE {TIER} IS NOT NULL"
        )
        counties = [c for (c,) in lake.sql("SELECT DISTINCT county FROM placed").fetchall()]
        lake.register("lists", _lists(counties, as_of.year))
        lake.execute(
            """CREATE TEMP TABLE refused AS
            SELECT p.row_number, rtrim(rtrim(CAST(p.tier AS VARCHAR), '0'), '.') AS yuan,
                l.place, l.shown
            FROM placed p JOIN lists l USING (county)
            WHERE NOT list_contains(l.tiers, p.tier)"""
        )
        if not lake.sql("SELECT count(*) FROM refused").fetchall()[0][0]:
            return accepted, no_rejects()
        header = next(h for h, name in header_map.items() if name == TIER)
        rejected = lake.sql(
            """SELECT row_number, $header AS "column", 'tier' AS code, yuan AS value,
                '缴费档次 ' || yuan || ' 元不在' || place || '的档次表内（' || shown || '）'
                    AS reason
            FROM refused ORDER BY row_number""",
            params={"header": header},
        ).to_arrow_table()
    finally:
        lake.close()
    # a tier of 15 digits or more may be an ID number typed into the column: masked (in
    # Python, so only when there is one: 10^6 reasons take a second)
    reasons = rejected.column("reason")
    if pc.any(pc.match_substring_regex(reasons, "[0-9]{15}")).as_py():
        rejected = rejected.set_column(4, "reason", masked_reasons(reasons))
    rows = rejected.column("row_number").combine_chunks()
    refused = pc.is_in(accepted.column("row_number"), value_set=rows)
    return accepted.filter(pc.invert(refused)), rejected.cast(REJECTED_SCHEMA)


def _lists(counties: list[str], year: int) -> pa.Table:
    """The tier list of each county a jurisdiction with tiers in force governs."""
    found: dict[str, tuple[tuple[Decimal, ...], str, str] | None] = {}
    rows = []
    for county in counties:
        place = _governing(county)
        if place is None:
            continue
        if place.code not in found:
            found[place.code] = _list(place, year)
        listed = found[place.code]
        if listed is not None:
            allowed, where, shown = listed
            rows.append({"county": county, "tiers": allowed, "place": where, "shown": shown})
    return pa.Table.from_pylist(rows, schema=_LISTS)


def _list(place: Jurisdiction, year: int) -> tuple[tuple[Decimal, ...], str, str] | None:
    """The tiers allowed in ``place`` and ``year``, where that is, and the tiers as
    shown; None when the year has no tier list in force."""
    allowed = tiers.in_force(place, year)
    if allowed is None:
        return None
    return allowed, f"{place.name} {year} 年", tiers.shown(allowed)


def _governing(county: str) -> Jurisdiction | None:
    """The most specific jurisdiction with rules whose region holds ``county`` (a city's
    before its province's), or None (the national defaults govern no region of their
    own). By code prefix, as GB/T 2260 codes nest and as the plan finds a jurisdiction's
    people: a retired county code an ID number keeps is placed too, which
    ``jurisdictions.resolve`` (the current tree) would not place."""
    holding = [
        j
        for j in jurisdictions.JURISDICTIONS.values()
        if j.code != jurisdictions.NATIONAL and county.startswith(j.hukou_prefix)
    ]
    return max(holding, key=lambda j: len(j.hukou_prefix), default=None)
