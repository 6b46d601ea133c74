"""The department lists as columns, before any file is written: which persons are rows
of which list, in which county and village, and the values of each source's own columns
(dates, 是否脱贫, 残疾等级, 缴费档次, bank account, 退役士兵类别 …).

Why apart from the lists: :mod:`doudi.synth.lists` and :mod:`doudi.synth.more_lists`
decide who is on a list; this module says what each department's list records about
them, in the order of :data:`doudi.rosters.sources.SOURCES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.rosters.sources import SOURCES, Source
from doudi.synth.lists import TIERS, Lists
from doudi.synth.more_lists import VETERAN_CATEGORIES, MoreLists
from doudi.synth.people import People
from doudi.synth.randomness import Bools, Days, Ints
from doudi.synth.writing import day_array, yes_no


@dataclass
class Roster:
    """One department's list before it is written: a row per listed person."""

    source: Source
    person: Ints
    county: Ints  # region_code of the row
    village: Ints  # township and village of the row
    values: dict[str, pa.Array]  # the source's own columns: date32 for dates, else strings
    # Rows whose rejection would change the answers the manifest promises (the outreach
    # list, the dead still receiving, the movers): they get no error that rejects them.
    protected: Bools
    fixed: dict[str, Bools] = field(default_factory=dict)  # rows wrong by construction


def _accounts(person: Ints) -> pa.Array:
    """Bank-card numbers of 19 digits, one per person; every 50th person has none
    on file (the withholding file cannot include them)."""
    digits = pc.utf8_lpad(pa.array((person * 7_919 + 104_729) % 10**14).cast(pa.string()), 14, "0")
    accounts = pc.binary_join_element_wise("62170", digits, "")
    return pc.if_else(pa.array(person % 50 == 7), pa.nulls(len(person), pa.string()), accounts)


Values = dict[str, Callable[[Ints], pa.Array]]


def _roster(
    p: People,
    s: Lists,
    name: str,
    member: Bools,
    protected: Bools,
    values: Values,
    enrolled: bool = False,
) -> Roster:
    """The rows of ``member``; ``enrolled`` lists them where they are insured (the resident
    extracts: movers elsewhere), else where their hukou is."""
    rows = np.flatnonzero(member)
    county = (s.enrolled_county if enrolled else p.county)[rows]
    village = (s.enrolled_village if enrolled else p.village)[rows]
    taken = {k: v(rows) for k, v in values.items()}
    return Roster(SOURCES[name], rows, county, village, taken, protected[rows])


def build_rosters(p: People, s: Lists) -> list[Roster]:
    """The first seven lists (lists.FIRST_SOURCES), in the order of rosters.SOURCES."""

    def roster(
        name: str, member: Bools, protected: Bools, values: Values, enrolled: bool = False
    ) -> Roster:
        return _roster(p, s, name, member, protected, values, enrolled)

    alive_poor = s.poor & ~s.dead
    listed_disabled = s.disability | s.not_severe
    grades = pa.array(["一级", "二级", "三级"], pa.string())
    tiers = pa.array([str(t) for t in TIERS], pa.string())
    none = np.zeros(len(p), bool)
    out = [
        roster(
            "poverty",
            s.poor,
            s.outreach,
            {
                "since": lambda r: day_array(s.poor_since[r]),
                "exit_marked": lambda r: yes_no(s.exit_marked[r]),
                "exit_date": lambda r: day_array(s.exit_date[r], s.exit_marked[r]),
            },
        ),
        roster("dibao", s.dibao, none, {"since": lambda r: day_array(s.dibao_since[r])}),
        roster("tekun", s.tekun, none, {"since": lambda r: day_array(s.tekun_since[r])}),
        roster(
            "disability",
            listed_disabled,
            none,
            {
                "since": lambda r: day_array(s.disability_since[r]),
                "disability_grade": lambda r: grades.take(
                    np.where(s.not_severe[r], 3, s.severe_grade[r]) - 1
                ),
            },
        ),
        roster(
            "resident_pension",
            s.pension,
            alive_poor | s.moved | (s.dead & s.receiving),
            {
                "since": lambda r: day_array(s.pension_since[r]),
                "contribution_tier": lambda r: tiers.take(pa.array(s.tier[r], mask=s.receiving[r])),
                "receiving": lambda r: yes_no(s.receiving[r]),
                "bank_account": lambda r: _accounts(r),
            },
            enrolled=True,
        ),
        roster(
            "resident_medical",
            s.medical,
            alive_poor | s.moved,
            {"since": lambda r: day_array(s.medical_since[r])},
            enrolled=True,
        ),
        roster(
            "death",
            s.dead,
            s.poor | s.receiving,
            {"death_date": lambda r: day_array(s.death_date[r])},
        ),
    ]
    out[3].fixed["not_severe"] = s.not_severe[out[3].person]
    return out


def build_more_rosters(p: People, s: Lists, m: MoreLists) -> list[Roster]:
    """The lists issue #20 added, in the order of rosters.SOURCES. No row is protected:
    the manifest's answers (outreach, dead still receiving, movers) come from the first
    lists, and these lists leave those people as they are."""
    none = np.zeros(len(p), bool)
    categories = pa.array(VETERAN_CATEGORIES, pa.string())

    def since(days: Days) -> Values:
        return {"since": lambda r: day_array(days[r])}

    out = [
        _roster(p, s, "low_income", m.low_income, none, since(m.low_income_since)),
        _roster(
            p,
            s,
            "veterans",
            m.veteran,
            none,
            {
                **since(m.veteran_since),
                "veteran_category": lambda r: categories.take(m.veteran_category[r]),
                "unemployed": lambda r: yes_no(~m.employee_pension[r]),
                "in_employee_medical": lambda r: yes_no(m.employee_medical[r]),
            },
        ),
        _roster(
            p, s, "other_assistance", m.other_assistance, none, since(m.other_assistance_since)
        ),
        _roster(p, s, "students", m.student, none, since(m.school_since)),
        _roster(p, s, "unable_to_work", m.unable_to_work, none, since(m.unable_since)),
        _roster(
            p, s, "employee_pension", m.employee_pension, none, since(m.employee_pension_since)
        ),
        _roster(
            p, s, "employee_medical", m.employee_medical, none, since(m.employee_medical_since)
        ),
    ]
    out[1].fixed["not_qualifying"] = m.not_qualifying[out[1].person]
    return out
