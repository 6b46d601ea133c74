"""Checks of a scenario's people that no single field can make: against the year and
its parameters, and against each other (issue #19 §4).

The field reader (engine/scenario.py) reads each person on their own; these run once
every person is read, so that one refusal lists every problem. Each is an input error,
not a result of 0.00: the rules would otherwise evaluate a person-year that cannot be
(a person not yet born, one person counted twice, a tier nobody can contribute at)
and show amounts for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from doudi.core.idnumber import mask
from doudi.policy import tiers
from doudi.policy.parameters import ParameterError
from doudi.policy.params import Params
from doudi.policy.rules.shared import born_after


def person_label(index: int, name: str) -> str:
    """How every problem names a person: 第3个人（王秀英）, by position from 1."""
    return f"第{index + 1}个人（{name or '未填姓名'}）"


def problems(rows: Sequence[dict[str, Any]], p: Params) -> list[str]:
    """Every problem of the scenario's people against the year, its tiers and each other."""
    found = [born_after_the_year(row, p.year) for row in rows]
    found += tier_not_offered(rows, p)
    found += same_person_twice(rows)
    return [f for f in found if f]


def born_after_the_year(row: dict[str, Any], year: int) -> str | None:
    """A person born after 31 December of the year did not exist in it: nothing can be
    paid or due for them (their ID number, or the year, is wrong). The rules' own test
    (``born_after``), which gives a registry person the reason ``not_born`` instead:
    a scenario is typed for the year, and a 0.00 would look like a valid evaluation
    (docs/readings.md 25)."""
    birth: date | None = row.get("birth_date")
    if birth is None or not born_after(birth, year):
        return None
    return (
        f"{person_label(row['row_no'], row['name'])}，字段 id_number：身份证号 "
        f"{mask(row['id_number'])} 的出生日期为 {birth}，{year}年尚未出生，不能测算该年待遇"
    )


def tier_not_offered(rows: Sequence[dict[str, Any]], p: Params) -> list[str]:
    """A tier that is not one of the jurisdiction's (or below its minimum) would be
    read as the person's contribution and paid as it stands (GF-2014-8/5.1)."""
    given = [row for row in rows if row.get("rp_tier") is not None]
    if not given:
        return []
    try:
        offered = tiers.allowed(p)
        minimum = p.get("resident_pension.minimum_tier")
    except ParameterError as exc:  # a year without the tiers in force
        return [f"字段 year：{exc}"]
    where = f"{p.jurisdiction.name}{p.year}年"
    return [
        f"{person_label(row['row_no'], row['name'])}，字段 resident_pension.tier："
        f"缴费档次 {tiers.yuan_text(row['rp_tier'])} 元不是{where}可选的缴费档次（最低缴费档次 "
        f"{tiers.yuan_text(minimum)} 元）；可选：{tiers.shown(offered)}"
        "（参数 resident_pension.tiers，可在 parameters 中覆盖）"
        for row in given
        if row["rp_tier"] not in offered
    ]


def same_person_twice(rows: Sequence[dict[str, Any]]) -> list[str]:
    """One person-year is evaluated once: a second row of an ID number would be given a
    second medical subsidy (the pension's once-per-year rule alone caught it). Several
    statuses of one person belong in that person's ``statuses``."""
    first: dict[str, int] = {}
    found = []
    for row in rows:
        number = row.get("id_number")
        if number is None:
            continue
        if number in first:
            found.append(
                f"字段 people：第 {first[number] + 1} 人与第 {row['row_no'] + 1} 人身份证号相同"
                f"（{mask(number)}）：同一人同一年只测算一次，多重身份请写在同一人的 statuses 中"
            )
        else:
            first[number] = row["row_no"]
    return found
