"""The comparison's summary (概况): coverage rates and finding counts per region level.

One row for the region compared and one per city, county, township and village below
it, in tree order: how many living poor people either line counts, how many each line
counts (decision 0015: the pension its targets of 16 and over, the medical insurance its
subsidy's groups), how many of them are insured and at what rate, and how many rows of each finding
fall there. Every measure is a sum over one ``facts`` table, so the rows add up
(``pension_insured + uninsured_pension = pension_poor`` and
``medical_insured + uninsured_medical = medical_poor`` on every row).

The region's code and name are bound parameters (``$region``, ``$region_name``);
levels, labels and column names inlined in the SQL are constants of the code.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa
import pyarrow.compute as pc

from doudi.comparison import staging
from doudi.comparison.findings import COUNTED
from doudi.core import regions, vocab
from doudi.store.lake import Lake

#: Summary counts of each finding, by the table registered as ``f_<name>``.
_COUNTED = (
    "uninsured_pension",
    "uninsured_medical",
    "insured_elsewhere",
    "paid_after_death",
    "name_conflicts",
    "name_variants",
    "multiple_lists",
)


def _rate(insured: str, total: str) -> str:
    """Percentage to 2 decimals, half up, exact: integer hundredths, then DECIMAL."""
    return (
        f"CASE WHEN {total} = 0 THEN NULL ELSE CAST(CAST(({insured} * 20000 + {total}) "
        f"// (2 * {total}) AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(6, 2)) END"
    )


#: The summary's measures, each a sum over ``facts``.
_MEASURES = (
    "poor",
    "pension_poor",
    "pension_insured",
    "medical_poor",
    "medical_insured",
    *_COUNTED,
)


def summary_sql(level: str) -> str:
    """One row for ``region`` and one per city, county, township and village below it.

    Every measure is a sum over ``facts`` (:func:`facts_sql`). Rows sort in tree order
    (a region, then what lies below it). The region's own code and name are bound
    (``$region``, ``$region_name``): they come from the caller and never enter the SQL
    text."""
    return f"WITH facts AS ({facts_sql()}), {_rollup(level)}"


def rollup_sql(level: str) -> str:
    """:func:`summary_sql` over a table or view named ``facts`` made beforehand
    (:func:`rolled_up`: the villages' sums of several comparisons)."""
    return f"WITH {_rollup(level)}"


def facts_sql() -> str:
    """One row per living poor person (with flags) and one row per finding row, each
    carrying its county, township and village.

    Insured is "no row of the line's uninsured finding": ``NOT EXISTS`` on the ID
    number (never null, unique in the registry), not ``NOT IN``, whose answer for a
    null Spark can only find by comparing every person with every row (a nested-loop
    join: minutes at 10^6 people, docs/scale.md)."""
    person = f"""SELECT p.county_code, p.township, p.village, 1 AS poor,
        CAST({COUNTED["pension"]} AS INTEGER) AS pension_poor,
        CAST({COUNTED["pension"]} AND NOT EXISTS
             (SELECT 1 FROM f_uninsured_pension u WHERE u.id_number = p.id_number)
             AS INTEGER) AS pension_insured,
        CAST({COUNTED["medical"]} AS INTEGER) AS medical_poor,
        CAST({COUNTED["medical"]} AND NOT EXISTS
             (SELECT 1 FROM f_uninsured_medical u WHERE u.id_number = p.id_number)
             AS INTEGER) AS medical_insured,
        {", ".join(f"0 AS {name}" for name in _COUNTED)}
        FROM poor p"""
    # every column named in every part (Spark has no UNION ALL BY NAME)
    counted = [
        "SELECT county_code, township, village, "
        + ", ".join(f"{int(m == name)} AS {m}" for m in _MEASURES)
        + f" FROM f_{name}"
        for name in _COUNTED
    ]
    return " UNION ALL ".join([person, *counted])


def _rollup(level: str) -> str:
    """The ``rows`` query and the final SELECT over ``facts`` (WITH's tail)."""
    sums = ", ".join(f"CAST(coalesce(sum(f.{m}), 0) AS BIGINT) AS {m}" for m in _MEASURES)
    levels = list(vocab.REGION_LEVEL)
    below = levels[levels.index(level) + 1 :]
    city_key = "coalesce(any_value(m.city_code), f.county_code)"
    unnamed = "'（未填写）'"
    groups = {
        # level: (sort keys k_city, k_county, k_township, k_village;
        #         region_code, region_name, county, township, village; grouping)
        "city": (
            "m.city_code, NULL, NULL, NULL",
            "m.city_code, any_value(m.city), NULL, NULL, NULL",
            "WHERE m.city_code IS NOT NULL GROUP BY m.city_code",
        ),
        "county": (
            f"{city_key}, f.county_code, NULL, NULL",
            "f.county_code, any_value(m.county), any_value(m.county), NULL, NULL",
            "GROUP BY f.county_code",
        ),
        "township": (
            f"{city_key}, f.county_code, f.township, NULL",
            f"f.county_code, CASE WHEN f.township = '' THEN {unnamed} ELSE f.township END,"
            " any_value(m.county), f.township, NULL",
            "GROUP BY f.county_code, f.township",
        ),
        "village": (
            f"{city_key}, f.county_code, f.township, f.village",
            f"f.county_code, CASE WHEN f.village = '' THEN {unnamed} ELSE f.village END,"
            " any_value(m.county), f.township, f.village",
            "GROUP BY f.county_code, f.township, f.village",
        ),
    }
    columns = (
        "k_level, k_city, k_county, k_township, k_village,"
        " region_code, region_name, county, township, village"
    )
    parts = [
        f"SELECT {levels.index(level)}, NULL, NULL, NULL, NULL, $region, $region_name,"
        f" {'$region_name' if level == 'county' else 'NULL'}, NULL, NULL, {sums} FROM facts f",
        *(
            f"SELECT {levels.index(lvl)}, {groups[lvl][0]}, {groups[lvl][1]}, {sums}"
            " FROM facts f LEFT JOIN county_map m ON m.county_code = f.county_code"
            f" {groups[lvl][2]}"
            for lvl in below
        ),
    ]
    level_label = " ".join(
        f"WHEN {i} THEN '{vocab.REGION_LEVEL[lvl]}'" for i, lvl in enumerate(levels)
    )
    top = "k_city IS NULL AND k_county IS NULL"
    return f"""
         rows ({columns}, {", ".join(_MEASURES)}) AS ({" UNION ALL ".join(parts)})
    SELECT CASE k_level {level_label} END AS level,
           CAST(region_code AS VARCHAR) AS region_code,
           CAST(region_name AS VARCHAR) AS region_name,
           CAST(county AS VARCHAR) AS county,
           CAST(township AS VARCHAR) AS township,
           CAST(village AS VARCHAR) AS village,
           poor, pension_poor,
           pension_insured, {_rate("pension_insured", "pension_poor")} AS pension_rate,
           medical_poor,
           medical_insured, {_rate("medical_insured", "medical_poor")} AS medical_rate,
           uninsured_pension, uninsured_medical, insured_elsewhere, paid_after_death,
           name_conflicts, name_variants,
           CASE WHEN {top} THEN (SELECT count(*) FROM f_invalid_ids) END AS invalid_ids,
           CASE WHEN {top} THEN (SELECT count(*) FROM f_duplicates) END AS duplicates,
           multiple_lists
    FROM rows
    ORDER BY k_city NULLS FIRST, k_county NULLS FIRST, k_township NULLS FIRST,
             k_village NULLS FIRST
    """


def summarize(db: Lake, level: str, found: dict[str, pa.Table], variants: pa.Table) -> pa.Table:
    """The summary of ``found`` (every finding by name) and the name ``variants``, for
    the region of ``level`` bound in ``db`` as ``$region`` and ``$region_name``."""
    for name, table in found.items():
        db.con.register(f"f_{name}", table)
    db.con.register("f_name_variants", variants)
    return db.arrow(summary_sql(level))


def finest(overview: pa.Table) -> pa.Table:
    """The village rows of a summary as ``facts`` rows (``county_code``, ``township``,
    ``village`` and every measure): a village lies in one county, and every measure is
    a sum, so the summaries of disjoint sets of counties are added up by
    :func:`rolled_up` into theirs together."""
    village = overview.filter(pc.equal(overview["level"], vocab.REGION_LEVEL["village"]))
    return pa.table(
        {
            "county_code": village["region_code"],
            "township": village["township"],
            "village": village["village"],
            **{m: village[m] for m in _MEASURES},
        }
    )


def rolled_up(
    facts: pa.Table,
    level: str,
    counties: list[str],
    rejected: Mapping[str, int],
    region: str,
) -> pa.Table:
    """The summary of ``region`` (of ``level``) from :func:`finest`'s rows of its
    counties (``counties``: those with people) and the counts of its rejected rows
    (``rejected``: ``invalid_ids`` and ``duplicates``, counted once for the region):
    the same rows :func:`summarize` gives over the findings of all of them at once."""
    db = Lake({"region": region, "region_name": regions.region_name(region) or region})
    db.con.register("facts", facts)
    db.con.register("county_map", staging.county_map(counties))
    for name, rows in rejected.items():
        # only the finding's row count is read (``SELECT count(*)``)
        db.con.register(f"f_{name}", pa.table({"row": pa.nulls(rows, pa.int8())}))
    overview = db.arrow(rollup_sql(level))
    db.con.close()
    return overview
