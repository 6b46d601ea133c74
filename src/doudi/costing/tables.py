"""A costing's tables, each summed from the rows (``costing.rows``): per programme and
payer, per region (the region, its counties, their townships), per status group, and
the distribution of the people's change.

Every amount is a sum of the rows' DECIMAL(18, 2) amounts in DuckDB (the distribution's
in integer fen), exact, and every total a sum of the lines above it in ``Decimal``: a
total is, fen for fen, the sum of the rows it stands for (tests/costing). The baseline
and reform columns of a region or a group are what payers other than the person pay
(``paid``) and what the person owes (``owed``), each side, and their differences.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

import duckdb
import numpy as np
import pyarrow as pa

from doudi.core import regions, vocab
from doudi.costing.positions import NO_GROUP, fen, group_names
from doudi.costing.rows import Found
from doudi.plan.contributions import SELF
from doudi.plan.ledger_terms import UNNAMED
from doudi.plan.programmes import Programme

MONEY = pa.decimal128(18, 2)
ZERO = Decimal("0.00")
#: The programme column's value of a line over every programme reported.
EVERY = "*"
EVERY_ZH = "全部项目"
TOTAL_ZH = "合计（不含个人应缴）"
#: The edges of the distribution's bins, in yuan: a change is counted in the bin of its
#: size, decreases and increases alike, 0.00 apart.
EDGES = (Decimal(50), Decimal(100), Decimal(200), Decimal(500), Decimal(1000))

_PAYER_SCHEMA = pa.schema(
    [
        ("programme_code", pa.string()),
        ("programme", pa.string()),
        ("payer_code", pa.string()),
        ("payer", pa.string()),
        ("baseline", MONEY),
        ("reform", MONEY),
        ("difference", MONEY),
    ]
)


def by_payer(rows: pa.Table, reported: Sequence[Programme]) -> pa.Table:
    """Per programme (plan.programmes' order) each payer's sums (vocab.PAYER's order,
    ``self`` last), then the programme's total of the payers other than ``self``; last
    the total of every programme, and of what people owe."""
    lake = duckdb.connect()
    lake.register("rows", rows.select(["programme", "payer", "baseline", "reform"]))
    sums = {
        (programme, payer): (Decimal(b), Decimal(r))
        for programme, payer, b, r in lake.sql(
            "SELECT programme, payer, sum(baseline), sum(reform) FROM rows GROUP BY ALL"
        ).fetchall()
    }
    lake.close()
    order = {code: i for i, code in enumerate(vocab.PAYER)}
    lines: list[dict[str, Any]] = []
    every, owed = (ZERO, ZERO), (ZERO, ZERO)
    for programme in reported:
        payers = sorted(
            (payer for code, payer in sums if code == programme.code),
            key=lambda p: (order.get(p, len(order) - 1), p),
        )
        total = (ZERO, ZERO)
        for payer in payers:
            amounts = sums[(programme.code, payer)]
            lines.append(_line(programme.code, programme.label_zh(), payer, amounts))
            if payer == SELF:
                owed = _plus(owed, amounts)
            else:
                total = _plus(total, amounts)
        lines.append(_line(programme.code, programme.label_zh(), EVERY, total, TOTAL_ZH))
        every = _plus(every, total)
    lines.append(_line(EVERY, EVERY_ZH, EVERY, every, TOTAL_ZH))
    lines.append(_line(EVERY, EVERY_ZH, SELF, owed))
    return pa.Table.from_pylist(lines, schema=_PAYER_SCHEMA)


def _plus(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal]:
    return a[0] + b[0], a[1] + b[1]


def _line(
    code: str,
    label: str,
    payer: str,
    amounts: tuple[Decimal, Decimal],
    payer_zh: str | None = None,
) -> dict[str, Any]:
    """A line of the programme ``code``: the baseline's and the reform's amounts."""
    base, reform = amounts
    return {
        "programme_code": code,
        "programme": label,
        "payer_code": payer,
        "payer": payer_zh or vocab.PAYER.label(payer),
        "baseline": base,
        "reform": reform,
        "difference": reform - base,
    }


def _sums(money: Callable[[str], str]) -> str:
    """SQL: the sums of a region's or group's line, ``money`` making money of a sum."""
    return f"""
count(*)::BIGINT AS people,
count(*) FILTER (WHERE change > 0)::BIGINT AS gain,
count(*) FILTER (WHERE change < 0)::BIGINT AS lose,
{money("sum(base_paid)")} AS baseline,
{money("sum(reform_paid)")} AS reform,
{money("sum(reform_paid) - sum(base_paid)")} AS difference,
{money("sum(base_owed)")} AS self_baseline,
{money("sum(reform_owed)")} AS self_reform,
{money("sum(reform_owed) - sum(base_owed)")} AS self_difference
"""


#: Over the facts, whose amounts are integer fen (costing.positions): the sums made
#: money exactly (DuckDB multiplies decimals exactly: DECIMAL(38, 0) × 0.01 is
#: DECIMAL(38, 2)).
_FACT_SUMS = _sums(lambda fen: f"CAST(CAST({fen} AS DECIMAL(38, 0)) * 0.01 AS DECIMAL(18, 2))")
#: Over the persons, whose amounts are money.
_PERSON_SUMS = _sums(lambda yuan: f"CAST({yuan} AS DECIMAL(18, 2))")

#: The facts (placed already: costing.positions) with each person-programme's change
#: (what others pay for them, reform less baseline: costing.rows); and every person
#: read with their sums over the programmes (0.00 without a row). Views, not tables:
#: each query reads them once, and a copy of them per table made was a tenth of a
#: costing's time at 10^6 people; no join to the persons, which was another tenth.
_PLACED = """
CREATE TEMP VIEW placed AS
SELECT f.* EXCLUDE (programme, county_code, township, status_group),
       CAST(f.programme AS VARCHAR) AS programme,
       CAST(f.county_code AS VARCHAR) AS county_code,
       CAST(f.township AS VARCHAR) AS township,
       CAST(f.status_group AS VARCHAR) AS status_group,
       f.reform_paid - f.base_paid AS change
FROM facts AS f;
CREATE TEMP VIEW everyone AS
SELECT person_id, county_code, township, status_group, change,
       base_paid, reform_paid, base_owed, reform_owed
FROM persons;
"""


def _lake(found: Found) -> duckdb.DuckDBPyConnection:
    lake = duckdb.connect()
    lake.register("facts", found.facts)
    lake.register("persons", found.persons)
    lake.execute(_PLACED)
    return lake


_REGION_SCHEMA = pa.schema(
    [
        ("level", pa.string()),
        ("region_code", pa.string()),
        ("county", pa.string()),
        ("township", pa.string()),
        ("programme_code", pa.string()),
        ("programme", pa.string()),
        ("people", pa.int64()),
        ("gain", pa.int64()),
        ("lose", pa.int64()),
        ("baseline", MONEY),
        ("reform", MONEY),
        ("difference", MONEY),
        ("self_baseline", MONEY),
        ("self_reform", MONEY),
        ("self_difference", MONEY),
    ]
)


def by_region(found: Found, region: str, reported: Sequence[Programme]) -> pa.Table:
    """The region's line, then each county's (unless the region is a county), then each
    township's (its name as the lists gave it, （未填写） for none); in each, one line over
    every programme (``people``: everyone registered there, ``gain``/``lose`` by their
    change over the programmes) and one per programme (the people with a row of it)."""
    grouping = "GROUPING SETS ((), (county_code), (county_code, township))"
    sql = f"""
    SELECT grouping(county_code) AS gc, grouping(township) AS gt, county_code, township,
           programme, {_FACT_SUMS}
    FROM placed GROUP BY programme, {grouping}
    UNION ALL
    SELECT grouping(county_code), grouping(township), county_code, township, '{EVERY}',
           {_PERSON_SUMS}
    FROM everyone GROUP BY {grouping}
    """
    lake = _lake(found)
    try:
        lines = lake.sql(sql).to_arrow_table().to_pylist()
    finally:
        lake.close()
    place = regions.get(region)
    county_level = place is not None and place.level == "county"
    labels = {p.code: p.label_zh() for p in reported} | {EVERY: EVERY_ZH}
    order = {code: i for i, code in enumerate(labels)}
    out = []
    for line in lines:
        depth = 2 - line.pop("gc") - line.pop("gt")  # 0 the region, 1 a county, 2 a township
        if depth == 1 and county_level:
            continue
        code = line.pop("county_code")
        township = line.pop("township")
        if depth == 0:
            level, shown_code, county = place.level if place else "county", region, None
        else:
            level, shown_code = ("county", "township")[depth - 1], code
            county = regions.region_name(code) or code
        programme = line.pop("programme")
        out.append(
            {
                "level": vocab.REGION_LEVEL.label(level),
                "region_code": shown_code,
                "county": county if depth else (regions.region_name(region) or region),
                "township": (township or UNNAMED) if depth == 2 else None,
                "programme_code": programme,
                "programme": labels.get(programme, programme),
                **line,
                "_key": (depth, code or "", township or "", order.get(programme, 99)),
            }
        )
    out.sort(key=lambda line: line["_key"])
    for line in out:
        del line["_key"]
    return pa.Table.from_pylist(out, schema=_REGION_SCHEMA)


_GROUP_SCHEMA = pa.schema(
    [
        ("status_group_code", pa.string()),
        ("status_group", pa.string()),
        ("programme_code", pa.string()),
        ("programme", pa.string()),
        *(f for f in _REGION_SCHEMA if f.name in ("people", "gain", "lose")),
        *(f for f in _REGION_SCHEMA if f.type == MONEY),
    ]
)


def by_group(found: Found, reported: Sequence[Programme]) -> pa.Table:
    """Per status group (vocab.STATUS's order, those with none last): a line over every
    programme (everyone of the group) and one per programme."""
    sql = f"""
    SELECT status_group, programme, {_FACT_SUMS} FROM placed GROUP BY status_group, programme
    UNION ALL
    SELECT status_group, '{EVERY}', {_PERSON_SUMS} FROM everyone GROUP BY status_group
    """
    lake = _lake(found)
    try:
        lines = lake.sql(sql).to_arrow_table().to_pylist()
    finally:
        lake.close()
    groups = {code: i for i, code in enumerate([*vocab.STATUS, NO_GROUP])}
    labels = {p.code: p.label_zh() for p in reported} | {EVERY: EVERY_ZH}
    order = {code: i for i, code in enumerate(labels)}
    # the names ``persons`` carries (costing.rows; none for a group without one), not
    # read off its rows in Python (0.6 s of a profile at 10^6 people)
    named = group_names()
    names = dict(zip(*(named.column(c).to_pylist() for c in named.column_names), strict=True))
    lines.sort(key=lambda x: (groups.get(x["status_group"], 99), order.get(x["programme"], 99)))
    out = [
        {
            "status_group_code": line.pop("status_group"),
            "programme_code": line["programme"],
            "programme": labels.get(line.pop("programme"), ""),
            **line,
        }
        for line in lines
    ]
    for line in out:
        line["status_group"] = names.get(line["status_group_code"])
    return pa.Table.from_pylist(out, schema=_GROUP_SCHEMA)


class Bin(NamedTuple):
    """A bin of the distribution: its label and the changes it holds, ``sign`` × change
    above ``low`` and at most ``high`` (None: no bound); 0.00 alone has ``sign`` 0."""

    label: str
    sign: int
    low: Decimal
    high: Decimal | None


def bins() -> list[Bin]:
    """The distribution's bins, from the largest decrease to the largest increase."""
    lows = (ZERO, *EDGES)
    spans = list(zip(lows, (*EDGES, None), strict=True))

    def label(verb: str, low: Decimal, high: Decimal | None) -> str:
        if high is None:
            return f"{verb}{low}元以上"
        return f"{verb}{low + Decimal('0.01')}–{high}元"

    decreases = [Bin(label("减少", lo, hi), -1, lo, hi) for lo, hi in reversed(spans)]
    increases = [Bin(label("增加", lo, hi), 1, lo, hi) for lo, hi in spans]
    return [*decreases, Bin("不变", 0, ZERO, ZERO), *increases]


_DISTRIBUTION_SCHEMA = pa.schema(
    [("bin", pa.string()), ("people", pa.int64()), ("total_change", MONEY)]
)


def distribution(persons: pa.Table) -> pa.Table:
    """How many people's change (over every programme) falls in each bin, and the sum
    of their changes; every bin, an empty one with 0 people.

    In integer fen with NumPy (exact: ``positions.fen``): each person's bin found once
    by the size of their change among the edges, where DuckDB's two filtered
    aggregates per bin over ten million people took a second (docs/scale.md)."""
    change = fen(persons.column("change"))
    size = np.abs(change)
    edges = np.array([int(edge * 100) for edge in EDGES], np.int64)
    # a span's place among the edges: at most the first edge 0, above the last len(EDGES)
    span = np.searchsorted(edges, size, side="left")
    # bins() order: the decreases from the largest, 不变, the increases from the smallest
    spans = len(EDGES) + 1
    which = np.where(change < 0, spans - 1 - span, np.where(change > 0, spans + 1 + span, spans))
    count = np.bincount(which, minlength=2 * spans + 1)
    lines = []
    for i, b in enumerate(bins()):
        total = int(change[which == i].sum()) if count[i] else 0
        lines.append(
            {"bin": b.label, "people": int(count[i]), "total_change": Decimal(total).scaleb(-2)}
        )
    return pa.Table.from_pylist(lines, schema=_DISTRIBUTION_SCHEMA)
