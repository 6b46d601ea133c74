"""The list for civil affairs: whose basic pension is not counted as household income.

NAT-2017-59, JX-2017-58/2.3.7, HE-2018-3/2.1.4, SD-2017-37/2.1, PZH-2018-195/4 and
CQ-2018-82/2.1.3: until the end of 2020 the resident pension's basic pension (基础养老金)
is not counted as household income when dibao, tekun or poverty status is assessed
(the rules' ``income.countable_income``). Civil affairs and the poverty office assess
those statuses; the social-insurance bureau knows who draws the pension. So the
bureau hands them the list of the people it pays a resident pension who hold one of
those statuses in the year — whose next assessment must leave the basic pension out.

Who is on it (docs/readings.md 37): a person of the region with a resident-pension
enrollment that holds on some day of the year and is marked as drawing the pension
(是否领取待遇), and a dibao, tekun or registered-poor period holding on some day of the
year (an exit-marked registered poor person is listed: the exit is re-assessed too),
not dead before the year. The amount of the basic pension is not in the registry
(nor in the documents: it is set nationally and locally), so the list names people and
the clause, not amounts. Years after the exclusion's end give no list (a Chinese
error), as do years without the parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from doudi.core import regions, vocab
from doudi.policy import jurisdictions
from doudi.policy.params import Params
from doudi.store import db, workbook

EXCLUSION = "resident_pension.basic_pension_income_exclusion_until"
#: The statuses whose assessment leaves the basic pension out (dibao, tekun, poverty).
ASSESSED = ("dibao", "tekun", "registered_poor")

_LIST = """
WITH drawing AS (
    SELECT DISTINCT person_id FROM enrollment
    WHERE scheme = 'resident_pension' AND coalesce(CAST(receiving AS BOOLEAN), false)
      AND CAST(valid_from AS DATE) <= $last
      AND (valid_to IS NULL OR CAST(valid_to AS DATE) > $first)
),
held AS (
    SELECT person_id, string_agg(DISTINCT status, ';' ORDER BY status) AS statuses
    FROM status
    WHERE status IN ('dibao', 'tekun', 'registered_poor')
      AND CAST(valid_from AS DATE) <= $last
      AND (valid_to IS NULL OR CAST(valid_to AS DATE) > $first)
    GROUP BY person_id
)
SELECT p.id_number, p.name, substr(p.hukou_region, 1, 6) AS county,
       p.township, p.village, h.statuses
FROM person p JOIN drawing d ON d.person_id = p.id JOIN held h ON h.person_id = p.id
WHERE p.hukou_region LIKE $prefix
  AND (p.death_date IS NULL OR CAST(p.death_date AS DATE) >= $first)
ORDER BY county, p.township, p.village, p.id_number
"""


class IncomeListError(ValueError):
    """No list can be made (str() is Chinese first); nothing was written."""


@dataclass(frozen=True)
class IncomeList:
    region: str
    year: int
    until: date
    clause: str
    people: pa.Table  # id_number, name, county, township, village, statuses

    def summary_zh(self) -> list[str]:
        name = regions.region_name(self.region) or ""
        return [
            f"{self.year}年 {self.region} {name} 领取城乡居民养老保险待遇的低保、特困、建档立卡"
            f"人员 {self.people.num_rows} 人：认定家庭收入时基础养老金不计入"
            f"（{self.clause}，至 {self.until}）"
        ]


def income_list(
    database: db.Database, jurisdiction: str, year: int, region: str | None = None
) -> IncomeList:
    place = jurisdictions.get(jurisdiction)
    region = region or jurisdiction
    if not region.isdigit() or not regions.hukou_prefix(region).startswith(place.hukou_prefix):
        raise IncomeListError(
            f"区划 {region} 不在统筹地区 {jurisdiction} 内 / region outside the jurisdiction"
        )
    found = Params(place, year).value(EXCLUSION)
    if found is None or date(year, 1, 1) > found.value:
        until = f"（政策执行至 {found.value}）" if found is not None else ""
        raise IncomeListError(
            f"{place.name}{year}年没有基础养老金不计入家庭收入的政策{until}，无需生成名单 / "
            "the exclusion is not in force in this year"
        )
    first, last = date(year, 1, 1), date(year, 12, 31)
    lake = duckdb.connect()
    prefix = regions.hukou_prefix(region)
    lake.register(
        "person",
        database.read(
            "registry_person",
            "WHERE hukou_region LIKE ?",
            (prefix + "%",),
            columns=(
                "id",
                "id_number",
                "name",
                "hukou_region",
                "township",
                "village",
                "death_date",
            ),
        ),
    )
    lake.register(
        "enrollment",
        database.read(
            "registry_enrollment",
            "WHERE scheme = ?",
            ("resident_pension",),
            columns=("person_id", "scheme", "valid_from", "valid_to", "receiving"),
        ),
    )
    marks = ", ".join("?" for _ in ASSESSED)
    lake.register(
        "status",
        database.read(
            "registry_status_period",
            f"WHERE status IN ({marks})",
            ASSESSED,
            columns=("person_id", "status", "valid_from", "valid_to"),
        ),
    )
    people = lake.sql(
        _LIST, params={"first": first, "last": last, "prefix": prefix + "%"}
    ).to_arrow_table()
    return IncomeList(region, year, found.value, found.citation, people)


def write(found: IncomeList, path: Path) -> None:
    """The list as a workbook: the people, with their statuses in Chinese, and a note."""
    people = found.people
    statuses = [
        "、".join(vocab.STATUS.label(s) for s in (text or "").split(";") if s)
        for text in people.column("statuses").to_pylist()
    ]
    people = people.set_column(people.schema.get_field_index("statuses"), "statuses", [statuses])
    note = pa.table(
        {
            "item": ["依据条款", "政策执行至", "说明"],
            "content": [
                found.clause,
                str(found.until),
                "领取城乡居民养老保险待遇、年度内具有低保、特困或建档立卡身份的人员；"
                "认定其家庭收入时，基础养老金不计入。名单不含金额：基础养老金标准不在登记库中。",
            ],
        }
    )
    headers = ["公民身份号码", "姓名", "县(区)", "乡镇(街道)", "村(社区)", "年度内身份"]
    workbook.write_workbook(
        path,
        [
            workbook.Sheet("名单", people, headers),
            workbook.Sheet("说明", note, ["项目", "内容"]),
        ],
        title=f"{found.year}年基础养老金不计入家庭收入人员名单（{found.region}）",
    )
