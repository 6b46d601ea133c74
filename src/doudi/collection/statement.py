"""The 31 August statement of the cycle (CQ-2018-82/2.1.1): 每年9月20日前……将截止8月31日的
实际代缴和事后应补助人员及费用汇总分别交区县民政局、扶贫办……当年8月31日以后……纳入次年清算.

Per payer (department) and kind, the bookings a settlement year takes, what the year's
plan carries into the next, and the workbook the bureau hands over. It names the plan
version it reconciles with, the current version of the region's year (decision 0010);
each booking is read once, as a part is booked once per person, year and payer
whatever the version, so a second version of the plan doubles nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from doudi.collection.cycle import POST_HOC, SCHEME, BankError, Calendar
from doudi.core import regions, vocab
from doudi.plan import lineage
from doudi.policy import jurisdictions
from doudi.store import db, workbook

#: The bookings of the region's people (``$prefix``) that ``{where}`` picks, a row per
#: booked part.
_BOOKINGS = """
    SELECT p.hukou_region, p.id_number, p.name, b.year AS plan_year, b.payer, b.kind,
           b.amount, b.booked_on, b.settlement_year, b.basis
    FROM booking b JOIN person p ON p.id = b.person_id
    WHERE starts_with(p.hukou_region, $prefix) AND {where}
    ORDER BY p.hukou_region, p.id_number, b.payer
"""


@dataclass
class Statement:
    """The cut-off statement of a settlement year for a region."""

    region: str
    year: int
    calendar: Calendar
    totals: pa.Table  # payer, kind, people, amount
    details: pa.Table  # a row per booked part
    carried: pa.Table  # parts of this year's plan booked after the cut-off → next year
    #: the current plan versions of the year whose people are the region's (one, unless
    #: the region holds several counties planned apart)
    versions: list[lineage.Version]

    def basis_zh(self) -> str:
        """Which plan the statement reconciles with."""
        if not self.versions:
            return f"{self.year} 年尚无缴费计划"
        if len(self.versions) == 1:
            v = self.versions[0]
            name = regions.region_name(v.region) or ""
            return f"依据 {self.year} 年第 {v.number} 版缴费计划（{v.region} {name}）"
        return f"依据 {self.year} 年缴费计划：" + "、".join(v.label_zh() for v in self.versions)

    def summary_zh(self) -> list[str]:
        c = self.calendar
        lines = [
            f"{self.region} {self.year}年代缴和事后补助清算（截至 {c.cutoff}，"
            f"应于 {c.report_due} 前分别交区县民政局、扶贫办）：",
            f"  {self.basis_zh()}",
        ]
        for r in self.totals.to_pylist():
            label = f"{vocab.PAYER.label(r['payer'])} {vocab.BOOKING_KIND[r['kind']]}"
            lines.append(f"  {label}：{r['people']} 人，{r['amount']} 元")
        if not self.totals.num_rows:
            lines.append("  （无）")
        carried = sum((r["amount"] for r in self.carried.to_pylist()), Decimal("0.00"))
        lines.append(
            f"  {c.cutoff} 以后入账、纳入 {self.year + 1} 年清算：{self.carried.num_rows} 项，"
            f"{carried} 元"
        )
        return lines


def cutoff_statement(
    database: db.Database, jurisdiction: str, year: int, region: str | None = None
) -> Statement:
    """Bookings the settlement of ``year`` takes (its own plan's up to the cut-off and
    the previous year's carried ones), per payer and kind; and what this year's plan
    carries into the next. Bookings of every version of the year are read: there is at
    most one per person, year and payer (``one_booking_per_person_year``), and one made
    under an earlier version stays booked."""
    jurisdictions.get(jurisdiction)  # a Chinese error for an unknown one
    region = region or jurisdiction
    if not region.isascii() or not region.isdigit():
        raise BankError(f"区划代码应为数字：{region!r} / invalid region code")
    calendar = Calendar.of(jurisdiction, year)
    prefix = regions.hukou_prefix(region)
    with database.reading() as con:
        of_year = lineage.of_year(con, database, year)
    # the pension's versions: the cycle collects and books the pension (decision 0012)
    versions = lineage.covering(
        (v for v in of_year if v.jurisdiction == jurisdiction), region, SCHEME
    )
    lake = duckdb.connect()
    lake.register(
        "booking",
        database.read(
            "registry_booking",
            "WHERE plan_version_id IN "
            "(SELECT id FROM registry_plan_version WHERE jurisdiction = ?)",
            (jurisdiction,),
        ),
    )
    lake.register("person", database.read("registry_person"))
    params = {"prefix": prefix, "year": year}
    details = lake.sql(_BOOKINGS.format(where="b.settlement_year = $year"), params=params)
    details_t = details.to_arrow_table()
    lake.register("details", details_t)
    totals = lake.sql(
        "SELECT payer, kind, count(DISTINCT id_number) AS people, sum(amount) AS amount "
        "FROM details GROUP BY payer, kind ORDER BY payer, kind"
    ).to_arrow_table()
    carried = lake.sql(
        _BOOKINGS.format(where="b.year = $year AND b.settlement_year > $year"), params=params
    ).to_arrow_table()
    return Statement(region, year, calendar, totals, details_t, carried, versions)


def statement_workbook(statement: Statement, path: Path) -> None:
    """The statement as Excel: totals, the parts booked, the post-hoc list, carried."""
    s = statement
    post_hoc = s.details.filter(pc.equal(s.details.column("kind"), POST_HOC))
    title = f"{s.region} {s.year}年代缴和事后补助清算（截至 {s.calendar.cutoff}，{s.basis_zh()}）"
    workbook.write_workbook(
        path,
        [
            _sheet("汇总", s.totals),
            _sheet("代缴及补助明细", s.details),
            _sheet("事后补助名单", post_hoc),
            _sheet(f"纳入{s.year + 1}年清算", s.carried),
        ],
        title=title,
    )


def _sheet(title: str, t: pa.Table) -> workbook.Sheet:
    return workbook.Sheet(title, _labelled(t), vocab.headers(t.column_names))


def _labelled(t: pa.Table) -> pa.Table:
    if "payer" in t.column_names:
        i = t.schema.get_field_index("payer")
        t = t.set_column(
            i, "payer", pa.array([vocab.PAYER.label(p) for p in t.column(i).to_pylist()])
        )
    if "kind" in t.column_names:
        i = t.schema.get_field_index("kind")
        t = t.set_column(
            i, "kind", pa.array([vocab.BOOKING_KIND[k] for k in t.column(i).to_pylist()])
        )
    return t
