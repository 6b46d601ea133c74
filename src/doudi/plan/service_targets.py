"""Jiangxi's service targets (JX-2017-58/2.4.10) computed from the registry.

The clause asks that by 2020 financial institutions withhold resident-pension
contributions in 100% of townships (金融机构代扣代缴乡镇（街道）覆盖率), that 90% of
the contributions be withheld (养老保险费代扣代缴率), and that 100% of administrative
villages have a village financial service point (村级金融便民服务点在行政村覆盖率).

Readings (docs/readings.md), all on the as-of date D, for the people and places of a
region R (Jiangxi only: the targets are that document's), a person being of R by their
hukou region, as their township and village are:

- The townships and villages of R are those the registry knows: the township and
  village names its people lists gave (``Person.township``/``village``, by the county of
  the hukou region); a name is one place per county (township) or per county and
  township (village). A service point in a village no list named is listed apart and
  counted in neither part of the share: a misspelt village must not count as covered.
- A township has bank withholding when a living person of it holds a withholding
  mandate (代扣协议) signed on or before D: the bank then withholds there. A mandate is
  the latest row of a person on the mandate lists (a record list).
- The withholding rate is a share of people, not of money: of the living people of R
  enrolled in the resident pension on D who contribute (not drawing it), those holding
  a mandate signed on or before D. The withholding cycle (collection/) withholds only
  the self-paid remainder of Chongqing's poverty targets, so it cannot say how
  Jiangxi's contributors pay; the enrollment extract's bank account is where a bank
  would withhold, not an agreement that it does.
- A village has a service point when the points of its county on D (the latest
  snapshot of the list up to D and the addenda after it, rosters.service_points)
  include one opened on or before D in that township and village.
- A share is met when numerator / denominator ≥ the target exactly (compared in whole
  numbers, no rounding); the percentage shown is rounded half up to two decimals. A
  share of no place or person is not met and shown as 无数据. Before 2020 the share is
  compared with the 2020 target all the same: it says how far there is to go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from doudi.core import regions
from doudi.core.textfile import FileError
from doudi.policy.explain import quote
from doudi.rosters.service_points import points_as_of
from doudi.rosters.service_sources import WITHHOLDING_MANDATES
from doudi.store import db
from doudi.store.workbook import Sheet, write_workbook

CLAUSE = "JX-2017-58/2.4.10"
#: The province whose document sets the targets (江西省).
PROVINCE = "360000"
TARGET_YEAR = 2020


@dataclass(frozen=True)
class Indicator:
    """One share against its 2020 target."""

    code: str
    label: str  # the clause's own words
    numerator: int
    denominator: int
    target: Decimal  # percent

    @property
    def percent(self) -> Decimal | None:
        """The share in percent, two decimals rounded half up; None without a base."""
        if not self.denominator:
            return None
        exact = Decimal(self.numerator * 100) / Decimal(self.denominator)
        return exact.quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def met(self) -> bool:
        """Compared exactly: numerator × 100 ≥ target × denominator."""
        return bool(self.denominator) and self.numerator * 100 >= self.target * self.denominator

    def line_zh(self) -> str:
        share = "无数据" if self.percent is None else f"{self.percent}%"
        verdict = "已达标" if self.met else "未达标"
        return (
            f"{self.label}：{self.numerator}/{self.denominator} = {share}，"
            f"{TARGET_YEAR}年目标 {self.target}%，{verdict}（{CLAUSE}）"
        )


@dataclass(frozen=True)
class ServiceTargets:
    """The three indicators of a region on a day, and the places short of them."""

    region: str
    as_of: date
    indicators: tuple[Indicator, ...]
    townships_missing: pa.Table  # county, township
    villages_missing: pa.Table  # county, township, village
    unknown_villages: pa.Table  # county, township, village, point_name: no list names it

    def lines_zh(self) -> list[str]:
        name = regions.region_name(self.region) or ""
        lines = [
            f"{name}（{self.region}）社会保险扶贫便民服务目标，截至 {self.as_of}",
            *(i.line_zh() for i in self.indicators),
        ]
        lines += _listed("未实现金融机构代扣代缴的乡镇（街道）", self.townships_missing)
        lines += _listed("未设村级金融便民服务点的行政村", self.villages_missing)
        if self.unknown_villages.num_rows:
            lines += _listed("服务点所在村不在已导入名单中（未计入）", self.unknown_villages)
        lines.append(f"依据 {quote(CLAUSE)}")
        return lines

    def write_workbook(self, path: Path) -> None:
        """The indicators and the lists short of them, one sheet each."""
        rows = pa.table(
            {
                "indicator": [i.label for i in self.indicators],
                "numerator": pa.array([i.numerator for i in self.indicators], pa.int64()),
                "denominator": pa.array([i.denominator for i in self.indicators], pa.int64()),
                "percent": pa.array([i.percent for i in self.indicators], pa.decimal128(7, 2)),
                "target": pa.array([i.target for i in self.indicators], pa.decimal128(7, 2)),
                "met": ["已达标" if i.met else "未达标" for i in self.indicators],
                "basis": [CLAUSE] * len(self.indicators),
            }
        )
        place = ["区县代码", "乡镇（街道）"]
        write_workbook(
            path,
            [
                Sheet(
                    "服务目标",
                    rows,
                    ["指标", "分子", "分母", "实际", f"{TARGET_YEAR}年目标", "是否达标", "依据"],
                    percent=frozenset({"percent", "target"}),
                ),
                Sheet("未覆盖代扣代缴的乡镇", self.townships_missing, place),
                Sheet("未设服务点的行政村", self.villages_missing, [*place, "村（社区）"]),
                Sheet(
                    "未计入的服务点",
                    self.unknown_villages,
                    [*place, "村（社区）", "服务点名称"],
                ),
            ],
            title=f"便民服务目标 {self.region} {self.as_of}",
        )


def _listed(title: str, places: pa.Table) -> list[str]:
    if not places.num_rows:
        return [f"{title}：无"]
    rows = [_place(list(r.values())) for r in places.slice(0, 50).to_pylist()]
    more = f" 等 {places.num_rows} 处" if places.num_rows > 50 else ""
    return [f"{title}（{places.num_rows}）：{'、'.join(rows)}{more}"]


def _place(values: list[str]) -> str:
    """A place as a caseworker reads it (360102 龙潭镇西村), a point's name after it."""
    county, *names = values
    return f"{county} {''.join(names[:2])}" + "".join(f" {n}" for n in names[2:])


def check_region(region: str) -> None:
    """A Jiangxi region (province, city or county): the targets are Jiangxi's."""
    if regions.get(region) is None:
        raise FileError(f"未知的行政区划代码「{region}」", f"unknown region {region!r}")
    if not regions.is_within(region, PROVINCE):
        raise FileError(
            f"便民服务目标是江西省的规定（{CLAUSE}），{regions.region_name(region)}（{region}）"
            "不在江西省内",
            f"{region} is not in Jiangxi; the service targets are Jiangxi's",
        )


def service_targets(database: db.Database, region: str, as_of: date) -> ServiceTargets:
    """The three shares of ``region`` on ``as_of`` (the module's readings)."""
    check_region(region)
    prefix = regions.hukou_prefix(region)
    like = (f"{prefix}%",)
    people = database.read(
        "registry_person",
        "WHERE hukou_region LIKE ?",
        like,
        columns=["id", "hukou_region", "township", "village", "death_date"],
    )
    batches = database.read(
        "registry_import_batch",
        "WHERE source = ?",
        (WITHHOLDING_MANDATES.name,),
        columns=["id"],
    ).column("id")
    mandates = _mandates(database, batches.to_pylist())
    enrolled = database.read(
        "registry_enrollment",
        "WHERE scheme = ?",
        ("resident_pension",),
        columns=["person_id", "region_code", "valid_from", "valid_to", "receiving"],
    )
    points = points_as_of(database, region, as_of)
    lake = duckdb.connect()
    try:
        for name, table in (
            ("people", people),
            ("mandates", mandates),
            ("enrolled", enrolled),
            ("points", points),
        ):
            lake.register(name, table)
        return _computed(lake, region, as_of)
    finally:
        lake.close()


def _mandates(database: db.Database, batch_ids: list[int]) -> pa.Table:
    """Each person's latest mandate row (person_id, since)."""
    if not batch_ids:
        return pa.table({"person_id": pa.array([], pa.int64()), "since": pa.array([], pa.date32())})
    marks = ", ".join("?" for _ in batch_ids)
    return database.read(
        "registry_roster_entry",
        f"WHERE batch_id IN ({marks})",
        batch_ids,
        columns=["person_id", "since"],
    )


def _computed(lake: duckdb.DuckDBPyConnection, region: str, day: date) -> ServiceTargets:
    params = {"day": day}
    lake.execute(
        """CREATE TEMP TABLE alive AS SELECT id, substr(hukou_region, 1, 6) AS county,
            township, village FROM people WHERE death_date IS NULL OR death_date > $day""",
        params,
    )
    lake.execute(
        """CREATE TEMP TABLE signed AS SELECT DISTINCT person_id FROM mandates
           WHERE since <= $day""",
        params,
    )
    lake.execute(
        """CREATE TEMP TABLE townships AS SELECT DISTINCT substr(hukou_region, 1, 6) AS county,
            township FROM people WHERE township <> ''""",
    )
    lake.execute(
        """CREATE TEMP TABLE villages AS SELECT DISTINCT substr(hukou_region, 1, 6) AS county,
            township, village FROM people WHERE township <> '' AND village <> ''""",
    )

    def table(sql: str) -> pa.Table:
        return lake.sql(sql).to_arrow_table()

    withholding = table(
        """SELECT DISTINCT a.county, a.township FROM alive a JOIN signed s ON s.person_id = a.id
           WHERE a.township <> ''"""
    )
    lake.register("withholding", withholding)
    townships_missing = table(
        """SELECT county, township FROM townships ANTI JOIN withholding USING (county, township)
           ORDER BY county, township"""
    )
    n_townships = _count(lake, "townships")
    [contributors] = lake.execute(
        """SELECT count(*) AS base, count(s.person_id) AS signed
           FROM (SELECT DISTINCT e.person_id FROM enrolled e JOIN people p ON p.id = e.person_id
                 WHERE e.valid_from <= $day AND (e.valid_to IS NULL OR e.valid_to > $day)
                   AND NOT e.receiving AND (p.death_date IS NULL OR p.death_date > $day)) c
           LEFT JOIN signed s ON s.person_id = c.person_id""",
        params,
    ).fetchall()
    villages_missing = table(
        """SELECT county, township, village FROM villages
           ANTI JOIN points USING (county, township, village)
           ORDER BY county, township, village"""
    )
    unknown_villages = table(
        """SELECT county, township, village, point_name FROM points
           ANTI JOIN villages USING (county, township, village)
           ORDER BY county, township, village, point_name"""
    )
    n_villages = _count(lake, "villages")
    indicators = (
        Indicator(
            "township_withholding",
            "金融机构代扣代缴乡镇（街道）覆盖率",
            n_townships - townships_missing.num_rows,
            n_townships,
            Decimal(100),
        ),
        Indicator(
            "withholding_rate",
            "养老保险费代扣代缴率",
            int(contributors[1]),
            int(contributors[0]),
            Decimal(90),
        ),
        Indicator(
            "village_service_points",
            "村级金融便民服务点在行政村覆盖率",
            n_villages - villages_missing.num_rows,
            n_villages,
            Decimal(100),
        ),
    )
    return ServiceTargets(
        region, day, indicators, townships_missing, villages_missing, unknown_villages
    )


def _count(lake: duckdb.DuckDBPyConnection, table: str) -> int:
    [(n,)] = lake.execute(f"SELECT count(*) FROM {table}").fetchall()  # table: a name above
    return int(n)
