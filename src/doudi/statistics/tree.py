"""The region tree of a statistics table: one row for the region asked about, then one
per county, township and village below it, each level's rows together.

Counties are the first six digits of the hukou region; townships and villages are the
names the department lists gave (as the ledger and the comparison read them), grouped
within their county, a blank name shown as （未填写）. Every level is an aggregate over
the same facts (one row per person, or per contribution row), so a county's row is its
townships' sum and the region's row is the counties' sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from doudi.core import vocab
from doudi.plan.ledger_terms import UNNAMED

#: The columns every statistics table starts with, in order.
PLACE = ("level", "region_code", "region_name", "county", "township", "village")
#: The levels below the region's own row, in order.
PLACE_LEVELS = ("county", "township", "village")


@dataclass(frozen=True)
class Region:
    """The region asked about: its code and name, its level (vocab.REGION_LEVEL), the
    prefix of its people's hukou codes, and whether county rows come below it (not
    when it is a county)."""

    code: str
    name: str
    level: str
    prefix: str

    @property
    def with_counties(self) -> bool:
        return self.level != "county"


def _text(value: str) -> str:
    """A constant of the code as an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def tree(con: duckdb.DuckDBPyConnection, facts: str, aggregates: str, region: Region) -> pa.Table:
    """``aggregates`` (SQL select items over ``facts``, which has ``county_code``,
    ``county``, ``township``, ``village``) per level of the tree under ``region``. Its
    code and name are bound; ``facts`` and ``aggregates`` are SQL of the calling
    module."""
    with_counties = region.with_counties
    township = f"CASE WHEN township = '' THEN {_text(UNNAMED)} ELSE township END"
    village = f"CASE WHEN village = '' THEN {_text(UNNAMED)} ELSE village END"
    parts = [
        f"SELECT 0 AS k, $code AS region_code, $name AS region_name,"
        f" {'$name' if not with_counties else 'NULL'} AS county, NULL AS township,"
        f" NULL AS village, {aggregates} FROM {facts}"
    ]
    if with_counties:
        parts.append(
            f"SELECT 1, county_code, any_value(county), any_value(county), NULL, NULL,"
            f" {aggregates} FROM {facts} GROUP BY county_code"
        )
    parts.append(
        f"SELECT 2, county_code, {township}, any_value(county), township, NULL, {aggregates}"
        f" FROM {facts} GROUP BY county_code, township"
    )
    parts.append(
        f"SELECT 3, county_code, {village}, any_value(county), township, village, {aggregates}"
        f" FROM {facts} GROUP BY county_code, township, village"
    )
    labels = (vocab.REGION_LEVEL[region.level], *(vocab.REGION_LEVEL[x] for x in PLACE_LEVELS))
    label = " ".join(f"WHEN {i} THEN {_text(t)}" for i, t in enumerate(labels))
    sql = f"""
    SELECT CASE k {label} END AS level, CAST(region_code AS VARCHAR) AS region_code,
           CAST(region_name AS VARCHAR) AS region_name, CAST(county AS VARCHAR) AS county,
           CAST(township AS VARCHAR) AS township, CAST(village AS VARCHAR) AS village,
           * EXCLUDE (k, region_code, region_name, county, township, village)
    FROM ({" UNION ALL ".join(parts)})
    ORDER BY k, region_code, township NULLS FIRST, village NULLS FIRST
    """
    table: pa.Table = con.sql(
        sql, params={"code": region.code, "name": region.name}
    ).to_arrow_table()
    return table
