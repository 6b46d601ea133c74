"""Who is on the lists issue #20 added: urban low-income families, the 14 categories of
veterans, other assistance targets, in-school students, adults unable to work, and the
employee pension and medical insurance — with the dates each list records.

Why apart from :mod:`doudi.synth.lists`: a seed's files of the first lists must stay byte
for byte what they were (the golden demo county), so these lists draw from streams of
their own, one per list, and only read the first lists to agree with them: nobody is in
the employee and the resident pension, or the employee and the resident medical
insurance, at once; the poor left uninsured on purpose stay uninsured and the employee
extracts list people where their hukou is, so the comparison's answers in the manifest
hold; a low-income family is never on the dibao or tekun list (its income is above the
dibao line); a veteran on the list is unemployed and outside the employee medical
insurance, except the few rows listed by mistake (error kind ``not_qualifying``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow.compute as pc

from doudi.rosters.sources import SOURCES
from doudi.synth.lists import PENSION_AGE, RECEIVING_AGE, Lists
from doudi.synth.mistakes import kinds_of
from doudi.synth.people import People
from doudi.synth.places import Places
from doudi.synth.randomness import Bools, Days, Ints, choose, random_dates, stream

# Shares of the population, chosen to resemble a poor county around 2018.
LOW_INCOME_IN_COMMUNITY, LOW_INCOME_IN_VILLAGE = 0.06, 0.015  # urban families → about 2–3 %
LOW_INCOME_IF_POOR = 0.3  # factor: the registered poor are rural, rarely "urban low income"
VETERANS_SHARE = 0.002  # of the roster population: well under 1 %
VETERAN_AGE, VETERANS_FEMALE = 20, 0.05  # served from 18; a few women
OTHER_ASSISTANCE_SHARE = 0.005
#: A list of a small county still has rows to import (a file of no accepted row is refused).
MIN_LISTED = 5
#: School stages: the age at which each starts (primary, junior and senior middle school,
#: college) and the share of the children of that stage who are in school; nobody is a
#: student after STUDENT_MAX_AGE.
STAGE_START = (6, 12, 15, 18)
IN_SCHOOL = (0.99, 0.97, 0.85, 0.45)
STUDENT_MAX_AGE = 22
ADULT_AGE = 18
UNABLE_IF_SEVERE, UNABLE_IF_NOT = 0.6, 0.003  # of adults: mostly the severely disabled
#: Of the people of working age (and of the retired) outside the resident pension:
#: employees and retired employees (15 % × 80 % = 12 %, less the students: about 10 %
#: of the people aged 16–59). The resident medical insurance covers 96 % (lists), so the
#: employee medical insurance can only hold about 2 % of them without double enrollment.
EMPLOYEE_PENSION_WORKING, EMPLOYEE_PENSION_RETIRED = 0.8, 0.6
#: Of the adults outside the resident medical insurance (few: it covers 96 %).
EMPLOYEE_MEDICAL_IF_PENSION, EMPLOYEE_MEDICAL_IF_NOT = 0.9, 0.5
#: The 14 categories (14类人员). The policy documents do not list them, so the values are
#: neutral ordinals rather than invented category names; the first ones more frequent.
VETERAN_CATEGORIES = (
    *(f"第{n}类" for n in "一二三四五六七八九十"),
    *(f"第十{n}类" for n in "一二三四"),
)
_CATEGORY_WEIGHTS = (
    np.arange(len(VETERAN_CATEGORIES), 0, -1) / np.arange(len(VETERAN_CATEGORIES) + 1).sum()
)


@dataclass
class MoreLists:
    """Membership and dates per person on the added lists."""

    low_income: Bools
    low_income_since: Days
    veteran: Bools  # on the veterans' list, the not-qualifying rows included
    not_qualifying: Bools  # listed by mistake: has a job or employee medical insurance
    veteran_category: Ints  # index into VETERAN_CATEGORIES
    veteran_since: Days
    other_assistance: Bools
    other_assistance_since: Days
    student: Bools
    school_since: Days  # the first day of the current school stage
    unable_to_work: Bools
    unable_since: Days
    employee_pension: Bools
    employee_pension_since: Days
    employee_medical: Bools
    employee_medical_since: Days


def draw_more_lists(
    seed: int, p: People, places: Places, s: Lists, error_rate: float, as_of: date
) -> MoreLists:
    region = ",".join(places.codes[: places.n_region])

    def rng(source: str) -> np.random.Generator:
        return stream(seed, "lists", source, region)

    n_base = int(p.base.sum())
    student, school_since = _students(rng("students"), p, s, as_of)
    pension, pension_since, medical, medical_since = _employees(
        rng("employee"), p, s, student, as_of
    )

    g = rng("low_income")
    community = pc.ends_with(places.village, "社区").to_numpy(zero_copy_only=False)[p.village]
    share = np.where(community, LOW_INCOME_IN_COMMUNITY, LOW_INCOME_IN_VILLAGE)
    share = share * np.where(s.poor, LOW_INCOME_IF_POOR, 1.0)
    low_income = p.base & ~s.dibao & ~s.tekun & (g.random(len(p)) < share)
    low_income_since = _since(g, p, date(2012, 1, 1), as_of)

    g = rng("veterans")
    male = _male(p)
    served = p.base & (p.age >= VETERAN_AGE) & (male | (g.random(len(p)) < VETERANS_FEMALE))
    employed = pension | medical
    veteran = _some(g, served & ~employed, max(MIN_LISTED, round(VETERANS_SHARE * n_base)))
    n_wrong = round(int(veteran.sum()) * error_rate / len(kinds_of(SOURCES["veterans"])))
    not_qualifying = _some(g, served & employed, max(n_wrong, 1) if error_rate > 0 else 0)
    category = g.choice(len(VETERAN_CATEGORIES), len(p), p=_CATEGORY_WEIGHTS).astype(np.int64)
    veteran_since = _since(g, p, date(2012, 1, 1), as_of)

    g = rng("other_assistance")
    others = p.base & ~s.poor & ~s.dibao & ~s.tekun & ~low_income
    n_others = max(MIN_LISTED, round(OTHER_ASSISTANCE_SHARE * n_base))
    other_assistance = _some(g, others, n_others)
    other_since = _since(g, p, date(2015, 1, 1), as_of)

    g = rng("unable_to_work")
    adult = p.base & (p.age >= ADULT_AGE)
    unable = adult & (g.random(len(p)) < np.where(s.disability, UNABLE_IF_SEVERE, UNABLE_IF_NOT))
    # recognised as an adult, and not before the severe disability was
    unable_since = _since(g, p, date(2010, 1, 1), as_of, from_age=ADULT_AGE)
    unable_since = np.where(
        s.disability, np.maximum(unable_since, s.disability_since), unable_since
    )

    return MoreLists(
        low_income, low_income_since, veteran | not_qualifying, not_qualifying, category,
        veteran_since, other_assistance, other_since, student, school_since, unable,
        unable_since, pension, pension_since, medical, medical_since,
    )  # fmt: skip


def _students(g: np.random.Generator, p: People, s: Lists, as_of: date) -> tuple[Bools, Days]:
    """Children in school on the as-of date and the day their current stage began: a
    stage starts on 1 September after the child reaches its age (born September to
    December: a year later), so a child who turned 6 in January is not at school yet."""
    born = p.birth.astype("datetime64[Y]").astype(np.int64) + 1970
    late = p.birth.astype("datetime64[M]").astype(np.int64) % 12 >= 8  # September on
    end = np.datetime64(as_of, "D")
    stage = np.full(len(p), -1, np.int64)
    since = np.full(len(p), end)
    for i, start in enumerate(STAGE_START):
        first_day = _first_of_september(born + start + late)
        begun = first_day <= end
        stage[begun] = i
        since = np.where(begun, first_day, since)
    share = np.array(IN_SCHOOL)[np.maximum(stage, 0)]
    living = p.base & ~s.dead & (stage >= 0) & (p.age <= STUDENT_MAX_AGE)
    return living & (g.random(len(p)) < share), since


def _employees(
    g: np.random.Generator, p: People, s: Lists, student: Bools, as_of: date
) -> tuple[Bools, Days, Bools, Days]:
    """The employee pension and medical insurance, each only of people outside its
    resident scheme (one cannot be in both pension schemes, nor in both medical
    schemes), never of the poor left uninsured on purpose, the dead or students."""
    n = len(p)
    can = p.base & ~s.dead & ~s.outreach & ~student & (p.age >= PENSION_AGE)
    share = np.where(p.age >= RECEIVING_AGE, EMPLOYEE_PENSION_RETIRED, EMPLOYEE_PENSION_WORKING)
    pension = can & ~s.pension & (g.random(n) < share)
    pension_since = _since(g, p, date(1995, 1, 1), as_of, from_age=PENSION_AGE)
    share = np.where(pension, EMPLOYEE_MEDICAL_IF_PENSION, EMPLOYEE_MEDICAL_IF_NOT)
    medical = can & ~s.medical & (g.random(n) < share)
    medical_since = _since(g, p, date(1999, 1, 1), as_of, from_age=PENSION_AGE)
    return pension, pension_since, medical, medical_since


def _since(g: np.random.Generator, p: People, first: date, as_of: date, from_age: int = 0) -> Days:
    """A list's dates: from ``first`` to the as-of date, not before the person reached
    ``from_age`` (nor was born), not after the as-of date."""
    earliest = p.birth + round(from_age * 365.2425)
    days = np.maximum(random_dates(g, first, as_of, len(p)), earliest)
    return np.minimum(days, np.datetime64(as_of, "D"))


def _some(g: np.random.Generator, candidates: Bools, k: int) -> Bools:
    chosen = np.zeros(len(candidates), bool)
    chosen[choose(g, np.flatnonzero(candidates), k)] = True
    return chosen


def _male(p: People) -> Bools:
    """GB 11643: the 17th character, the sequence code's last digit, is odd for men."""
    digit = pc.utf8_slice_codeunits(p.ids, 16, 17).cast("int64").to_numpy()
    return np.asarray(digit % 2 == 1)


def _first_of_september(year: Ints) -> Days:
    return ((year - 1970).astype("datetime64[Y]").astype("datetime64[M]") + 8).astype(
        "datetime64[D]"
    )
