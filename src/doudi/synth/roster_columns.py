"""The seven department lists as columns, before any file is written: which persons are
rows of which list, in which county and village, and the values of each source's own
columns (dates, 是否脱贫, 残疾等级, 缴费档次, bank account …).

Why apart from the lists: :mod:`doudi.synth.lists` decides who is on a list; this module
says what each department's list records about them, in the order of
:data:`doudi.rosters.sources.SOURCES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.rosters.sources import SOURCES, Source
from doudi.synth.lists import TIERS, Lists
from doudi.synth.people import People
from doudi.synth.randomness import Bools, Ints
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


def build_rosters(p: People, s: Lists) -> list[Roster]:
    """The seven lists, in the order of rosters.SOURCES."""

    def roster(
        name: str,
        member: Bools,
        protected: Bools,
        values: dict[str, Callable[[Ints], pa.Array]],
        enrolled: bool = False,
    ) -> Roster:
        rows = np.flatnonzero(member)
        county = (s.enrolled_county if enrolled else p.county)[rows]
        village = (s.enrolled_village if enrolled else p.village)[rows]
        taken = {k: v(rows) for k, v in values.items()}
        return Roster(SOURCES[name], rows, county, village, taken, protected[rows])

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
