"""What the rules share with the code that shows their results, without Ibis.

The statuses the rules read and the windows in which they count, the clauses every
jurisdiction cites, the months of benefit a year holds, and the readings of one person
a scenario check or an explanation makes in plain Python. The rules import them from
here, and so do the scenario, the results, the settlement and the explanations: a
process whose compiled rules come from the disk (decision 0019) runs those and not the
rules' expressions, and importing Ibis with sqlglot and rich for a few constants cost
a cold ``doudi evaluate`` 0.2–0.3 s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, overload

from doudi.policy.params import Params

if TYPE_CHECKING:
    import ibis.expr.types as ir

#: The statuses the rules read (RULES.md §1, GLOSSARY.md 身份).
STATUSES = (
    "registered_poor",
    "dibao",
    "tekun",
    "severe_disability",
    "low_income_family",
    "demobilized_14",
    "other_assistance",
)
#: The documents' one sentence on the dead (死亡冒领, fund safety), cited for a person
#: who died before the year and for one who dies during it, in every jurisdiction
#: (docs/readings.md 24).
DEATH_CLAUSE = "HE-2018-3/3.2.1"
#: Who the scheme covers at all (参保范围: 年满16周岁，不含在校学生), in every
#: jurisdiction: cited when a person recorded as enrolled is outside it.
SCOPE_CLAUSE = "GF-2014-8/4"
#: The months of benefit a list or a scenario may say were drawn in one year (HE-2018-3/2.4):
#: a year has twelve; more is a typing error, refused rather than paid.
BENEFIT_MONTHS_IN_A_YEAR = 12


@dataclass(frozen=True)
class Window:
    """Which statuses count for one program: a date window and the exit reading.

    ``exit_mode``: ``"respect"`` (an exit-marked person stops counting at the
    exit date), ``"ignore"`` (exited included), or a date: exits on or after
    it are ignored, earlier exits respected.
    """

    prefix: str
    start: date
    end: date
    exit_mode: str | date


@overload
def born_after(birth: date, year: int) -> bool: ...


@overload
def born_after(birth: ir.DateValue, year: int) -> ir.BooleanValue: ...


def born_after(birth: date | ir.DateValue, year: int) -> bool | ir.BooleanValue:
    """Born after 31 December of ``year``: the person did not exist in it, so nothing is
    due or paid for them in it, and no age of theirs is read for it (docs/readings.md
    25). One test for both paths: a scenario's person (a date) is refused as input
    (engine/scenario_checks.py); a registry person (a date column), asked about a year
    before their birth, gets nothing with reason ``not_born``."""
    return birth > date(year, 12, 31)


def required_hukou_province(p: Params) -> str | None:
    """The province whose hukou the document requires of a target (Jiangxi's:
    JX-2017-58/2.1.1 具有本省户籍), None where it requires none. Where the rules are
    applied to another jurisdiction's population (``Params.territory``: a costing,
    decision 0017), 本省 is read as that population's province: the sentence keeps the
    rules' own people, and the people costed stand in for them."""
    required: str | None = p.get("resident_pension.hukou_province", None)
    if required is None or p.territory == p.jurisdiction:
        return required
    return p.territory.code[:2] + "0000"
