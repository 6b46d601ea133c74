"""The agency's pension-start list: who applied to draw the resident pension under a
document's own rule, and from when they draw it or why they do not.

Two documents let a person draw the resident pension on application outside the
usual course, and the bureau needs the list of the year's applications over its
registered population (issue #20 §2):

- HE-2018-3/2.1.1: the registered poor aged 60+ who never enrolled pay no back
  contributions; on application they draw the pension from the month after it;
- SD-2017-37/2.1: an enrolled severely disabled person draws the pension 5 years early
  on an approved application (提出申请，经审核后).

The applications come from the registry's application lists (plan/records.py reads
the one that concerns the year), and every row is decided by the same compiled rules
as ``doudi evaluate`` and the plan (``engine.backend`` over ``plan.inputs``), so the
list cannot disagree with a person's explanation. Applicants who do not qualify are
listed with the reasons in Chinese and their clauses. The list names people, dates
and clauses, not amounts: the pension's amount is not in the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import regions, vocab
from doudi.engine import backend
from doudi.plan import inputs
from doudi.plan.explanation import YEARS
from doudi.policy import explain, jurisdictions
from doudi.policy.parameters import ParameterError
from doudi.policy.params import Params
from doudi.policy.rules.shared import DEATH_CLAUSE
from doudi.store import db, workbook


class PensionStartsError(ValueError):
    """No list can be made (str() is Chinese first); nothing was written."""


@dataclass(frozen=True)
class Rule:
    """One document's pension-start rule: the rules' columns the list reads of it."""

    clause: str
    title: str  # the list's Chinese name
    application: str  # the input column of the application's date
    qualifies: str  # the rule's flag
    reasons: str  # the rule's reason codes (only for applicants who do not qualify)
    granted: str  # what "qualifies" means, in Chinese
    why: dict[str, Callable[[dict[str, Any], Params], str]]
    start: str  # what the day in ``pension_from`` is, in Chinese (its header)
    columns: tuple[str, ...]  # the list's columns (``COLUMNS``) for this rule


#: Who a line is about: the list's first columns.
PERSON = ("id_number", "name", "county", "township", "village", "birth_date")

RULES = {
    "HE-2018-3": Rule(
        "HE-2018-3/2.1.1",
        "60周岁以上未参保建档立卡贫困人员待遇领取名单",
        "rp_application_date",
        "rp_late_enrollment",
        "rp_late_enrollment_reasons",
        "不再补缴，自申请次月起按月计发待遇",
        explain.LATE_REASONS,
        "待遇起始日期（申请次月1日）",
        (*PERSON, "application_date", "qualifies", "pension_from", "reason", "basis"),
    ),
    "SD-2017-37": Rule(
        "SD-2017-37/2.1",
        "重度残疾人提前领取养老金名单",
        "rp_early_application_date",
        "rp_early_pension",
        "rp_early_pension_reasons",
        "审核通过，提前5年领取养老金",
        explain.EARLY_REASONS,
        # the document gives the age, not the month the bureau starts paying: the day
        # the person reaches it (docs/readings.md, "which application counts")
        "年满提前领取年龄之日",
        (
            *PERSON,
            *("application_date", "review_result", "qualifies", "pension_age"),
            *("pension_from", "reason", "basis"),
        ),
    ),
}

#: The list's columns and their Chinese headers.
COLUMNS = {
    "id_number": ("公民身份号码", pa.string()),
    "name": ("姓名", pa.string()),
    "county": ("县(区)", pa.string()),
    "township": ("乡镇(街道)", pa.string()),
    "village": ("村(社区)", pa.string()),
    "birth_date": ("出生日期", pa.date32()),
    "application_date": ("申请日期", pa.date32()),
    "review_result": ("审核结果", pa.string()),
    "qualifies": ("是否符合", pa.string()),
    "pension_age": ("领取年龄（周岁）", pa.int64()),
    "pension_from": ("", pa.date32()),  # the rule's ``start``
    "reason": ("结果或原因", pa.string()),
    "basis": ("依据条款", pa.string()),
}


@dataclass(frozen=True)
class PensionStarts:
    region: str
    year: int
    jurisdiction: jurisdictions.Jurisdiction
    rule: Rule
    people: pa.Table  # COLUMNS, in county, township, village, ID number order

    def summary_zh(self) -> list[str]:
        name = regions.region_name(self.region) or ""
        total = self.people.num_rows
        qualifies = self.people.column("qualifies").to_pylist().count("是")
        return [
            f"{self.year}年 {self.region} {name} {self.rule.title}：申请 {total} 人，"
            f"符合 {qualifies} 人，不符合 {total - qualifies} 人"
            f"（{self.rule.clause}）"
        ]


def pension_starts(database: db.Database, region: str, year: int) -> PensionStarts:
    """The year's applicants of ``region`` (a county, city or province code) under its
    jurisdiction's pension-start rule, each decided by the compiled rules.

    Raises ``PensionStartsError`` (a malformed region or year, a jurisdiction whose
    document has no such rule, a year without parameters) or
    ``jurisdictions.UnknownJurisdiction`` (a region outside every jurisdiction)."""
    if not (region.isdigit() and len(region) == 6):
        raise PensionStartsError(f"区划代码应为6位数字，实为 {region!r} / malformed region")
    if year not in YEARS:
        raise PensionStartsError(f"年度应为 {YEARS[0]}–{YEARS[-1]} 之间的四位年份，实为 {year}")
    place = jurisdictions.resolve(region)
    rule = RULES.get(place.document)
    if rule is None:
        known = "、".join(f"{r.clause}（{r.title}）" for r in RULES.values())
        raise PensionStartsError(
            f"{place.name}执行的文件（{place.document}）没有申请领取养老金的规定，无需生成名单；"
            f"有此规定的：{known} / no pension-start rule in this jurisdiction"
        )
    try:
        compiled = backend.plan(place, year)
    except ParameterError as exc:  # a year before the document's parameters
        raise PensionStartsError(f"{place.name}{year}年：{exc}") from None
    people, statuses = inputs.engine_inputs(database, place.code, year, region)
    # only the applicants are evaluated: each person's rules read that person's rows
    applied = pc.fill_null(
        pc.less_equal(people.column(rule.application), date(year, 12, 31)), False
    )
    people = people.filter(applied)
    statuses = statuses.filter(pc.is_in(statuses.column("row_no"), people.column("row_no")))
    out = compiled.run(people, statuses).to_pylist()
    places = _places(database, [r["row_no"] for r in out])
    rows = [_row(r, rule, compiled.params, places.get(r["row_no"], (None, None))) for r in out]
    rows.sort(
        key=lambda r: (r["county"] or "", r["township"] or "", r["village"] or "", r["id_number"])
    )
    schema = pa.schema([(k, t) for k, (_, t) in COLUMNS.items()])
    return PensionStarts(region, year, place, rule, pa.Table.from_pylist(rows, schema=schema))


def _places(database: db.Database, ids: list[int]) -> dict[int, tuple[str | None, str | None]]:
    """The township and village the registry holds for each person of ``ids``."""
    if not ids:
        return {}
    found: dict[int, tuple[str | None, str | None]] = {}
    for at in range(0, len(ids), 500):  # bound values per statement
        part = ids[at : at + 500]
        read = database.read(
            "registry_person",
            f"WHERE id IN ({', '.join('?' * len(part))})",
            tuple(part),
            columns=("id", "township", "village"),
        )
        for r in read.to_pylist():
            found[r["id"]] = (r["township"], r["village"])
    return found


def _row(
    r: dict[str, Any], rule: Rule, p: Params, place: tuple[str | None, str | None]
) -> dict[str, Any]:
    """One applicant's line: the rules' decision, its date or age, the reasons in
    Chinese and the clauses."""
    qualifies = bool(r[rule.qualifies])
    codes = [c for c in (r[rule.reasons] or "").split(";") if c]
    age = r.get("rp_early_pension_age")
    start = r.get("rp_pension_from")
    if age is not None:
        start = explain.early_pension_from(r)
    if isinstance(start, datetime):  # DuckDB's month arithmetic may give a timestamp
        start = start.date()
    review = r.get("rp_early_review_result")  # Shandong's (Hebei's list has no column)
    clauses = ([DEATH_CLAUSE] if "deceased" in codes else []) + [rule.clause]
    return {
        "id_number": r["id_number"],
        "name": r["name"],
        "county": (r["hukou_region"] or "")[:6] or None,
        "township": place[0],
        "village": place[1],
        "birth_date": r["birth_date"],
        "application_date": r[rule.application],
        "review_result": vocab.REVIEW_RESULT.label(review) if review else None,
        "qualifies": "是" if qualifies else "否",
        "pension_age": age,
        "pension_from": start if qualifies else None,
        "reason": rule.granted if qualifies else "；".join(rule.why[c](r, p) for c in codes),
        "basis": "；".join(clauses),
    }


#: What each list says, for its note sheet.
NOTES = {
    "HE-2018-3/2.1.1": (
        "截至年底提出领取待遇申请的人员（每人取截至年底最早的一次申请）。60周岁及以上、从未参加"
        "城乡居民基本养老保险的建档立卡贫困人员不再补缴养老保险费，自申请次月1日起按月计发"
        "待遇；不符合条件的列明原因。名单不含金额：养老金标准不在登记库中。"
    ),
    "SD-2017-37/2.1": (
        "截至年底提出提前领取养老金申请的人员（每人取截至年底最后的一次申请及其最新审核结果）。"
        "参保的重度残疾人申请经审核通过的，可提前5年即55周岁起领取，最早日期为55周岁生日，"
        "但不早于申请日期；"
        "文件未规定自哪个月起发放，由经办机构审核后办理。审核中、未通过或不符合条件的列明原因。"
    ),
}


def write(found: PensionStarts, path: Path) -> None:
    """The list as a workbook: the applicants, and a note on what it says."""
    rule = found.rule
    note = pa.table(
        {
            "item": ["统筹地区", "年度", "依据条款", "说明"],
            "content": [
                f"{found.jurisdiction.code} {found.jurisdiction.name}",
                str(found.year),
                rule.clause,
                NOTES[rule.clause],
            ],
        }
    )
    people = found.people.select(list(rule.columns))
    headers = [rule.start if c == "pension_from" else COLUMNS[c][0] for c in rule.columns]
    workbook.write_workbook(
        path,
        [
            workbook.Sheet("名单", people, headers),
            workbook.Sheet("说明", note, ["项目", "内容"]),
        ],
        title=f"{found.year}年{rule.title}（{found.region}）",
    )
