"""Who is on which list: registered poor (and exit-marked), dibao, tekun, severely
disabled, dead, enrolled in the resident pension or medical insurance, moved to another
county — with the dates each list records.

Why one place: the overlaps between departments (poor and dibao, dead but still
receiving, poor but enrolled nowhere) are what the comparison must find, so they are
drawn together, with shares chosen to resemble a poor rural county around 2018.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np

from doudi.rosters.sources import SOURCES
from doudi.synth.mistakes import kinds_of
from doudi.synth.people import People
from doudi.synth.places import Places
from doudi.synth.randomness import Bools, Days, Ints, choose, random_dates, stream

#: The lists drawn here, in the order their files were first written. A seed's files of
#: these lists stay byte for byte what they were before issue #20 added more lists
#: (:mod:`doudi.synth.more_lists`), which draw from streams of their own.
FIRST_SOURCES = (
    "poverty",
    "dibao",
    "tekun",
    "disability",
    "resident_pension",
    "resident_medical",
    "death",
)

# Shares of the population, chosen to resemble a poor rural county around 2018.
POOR_SHARE = 0.08
POOR_EXIT_SHARE = 0.35  # registered poor already marked as out of poverty
DIBAO_IF_POOR, DIBAO_IF_NOT = 0.25, 0.0217  # → about 4 %, half of them also poor
TEKUN_IF_POOR, TEKUN_IF_NOT = 0.06, 0.0057  # → about 1 %
DISABILITY_IF_POOR, DISABILITY_IF_NOT = 0.05, 0.0174  # → about 2 %
DEATH_SHARE = 0.005
OUTREACH_SHARE = 0.05  # of poor, alive, not exit-marked people: deliberately not enrolled
MEDICAL_SHARE = 0.96  # of other people, in the resident-medical extract
PENSION_SHARE = 0.85  # of other adults, in the resident-pension extract
DEAD_KEEP_MEDICAL, DEAD_KEEP_PENSION = 0.3, 0.4  # dead people not yet removed
MOVED_IF_POOR, MOVED_IF_NOT = 0.03, 0.008  # enrolled in another county
PENSION_AGE, RECEIVING_AGE = 16, 60

#: Resident-pension yearly tiers (yuan) and how often each is chosen.
TIERS = tuple(
    Decimal(f"{yuan}.00")
    for yuan in (100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500, 2000)
)
TIER_WEIGHTS = (0.55, 0.15, 0.08, 0.04, 0.06, 0.02, 0.02, 0.02, 0.01, 0.03, 0.01, 0.01)
POOR_TIER_WEIGHTS = (0.9, 0.06, 0.02, 0.0, 0.02, 0, 0, 0, 0, 0, 0, 0)


@dataclass
class Lists:
    """Membership and dates per person: the overlaps between departments live here."""

    poor: Bools
    exit_marked: Bools
    poor_since: Days
    exit_date: Days
    dibao: Bools
    dibao_since: Days
    tekun: Bools
    tekun_since: Days
    disability: Bools
    not_severe: Bools  # listed with grade 三级 by mistake
    severe_grade: Ints  # 1 or 2
    disability_since: Days
    dead: Bools
    death_date: Days
    outreach: Bools  # poor, alive, deliberately in no enrollment extract
    medical: Bools
    medical_since: Days
    pension: Bools
    pension_since: Days
    receiving: Bools
    tier: Ints  # index into TIERS
    moved: Bools
    enrolled_county: Ints  # county of the enrollment rows (differs for movers)
    enrolled_village: Ints


def draw_lists(seed: int, p: People, places: Places, error_rate: float, as_of: date) -> Lists:
    rng = stream(seed, "lists", ",".join(places.codes[: places.n_region]))
    n, base, age = len(p), p.base, p.age
    end = np.datetime64(as_of, "D")

    def since(first: date) -> Days:
        return np.maximum(random_dates(rng, first, as_of, n), p.birth)

    poor = base & (rng.random(n) < POOR_SHARE)
    # Registered in the 2014 identification or its 2015 review, a fifth later on.
    poor_since = np.where(
        rng.random(n) < 0.8,
        random_dates(rng, date(2014, 4, 1), min(as_of, date(2015, 12, 31)), n),
        random_dates(rng, date(2016, 1, 1), min(as_of, date(2017, 12, 31)), n),
    )
    poor_since = np.minimum(np.maximum(poor_since, p.birth), end)
    exit_from = np.maximum(poor_since + 90, np.datetime64("2016-01-01"))
    exit_to = np.datetime64(min(as_of, date(2018, 12, 31)), "D")
    span = np.maximum((exit_to - exit_from).astype(np.int64) + 1, 1)
    exit_date = exit_from + (rng.random(n) * span).astype(np.int64)
    exit_marked = poor & (rng.random(n) < POOR_EXIT_SHARE) & (exit_from <= exit_to)

    def share(if_poor: float, if_not: float) -> Bools:
        return base & (rng.random(n) < np.where(poor, if_poor, if_not))

    dibao, dibao_since = share(DIBAO_IF_POOR, DIBAO_IF_NOT), since(date(2008, 1, 1))
    tekun, tekun_since = share(TEKUN_IF_POOR, TEKUN_IF_NOT), since(date(2006, 1, 1))
    disability = share(DISABILITY_IF_POOR, DISABILITY_IF_NOT)
    disability_since = since(date(2008, 1, 1))
    severe_grade = np.where(rng.random(n) < 0.4, 1, 2).astype(np.int64)
    # A few people with a mild (三级) disability listed by mistake: their own error kind.
    n_mild = round(int(disability.sum()) * error_rate / len(kinds_of(SOURCES["disability"])))
    not_severe = np.zeros(n, bool)
    mild = np.flatnonzero(base & ~disability)
    not_severe[choose(rng, mild, max(n_mild, 1) if error_rate > 0 else 0)] = True

    elderly = age >= RECEIVING_AGE
    weight = np.where(elderly, 5.0, 0.4)
    dead = base & (rng.random(n) < DEATH_SHARE * weight / weight[base].mean())
    death_date = np.maximum(
        random_dates(rng, date(as_of.year - 2, as_of.month, 1), as_of, n), p.birth
    )

    candidates = np.flatnonzero(poor & ~exit_marked & ~dead)
    outreach = np.zeros(n, bool)
    outreach[choose(rng, candidates, max(1, round(len(candidates) * OUTREACH_SHARE)))] = True

    # Every other living poor person is enrolled (应保尽保); dead people linger.
    alive_poor = poor & ~dead
    medical = (~base | (rng.random(n) < MEDICAL_SHARE) | alive_poor) & ~outreach
    medical &= ~dead | (rng.random(n) < DEAD_KEEP_MEDICAL)
    pension = (age >= PENSION_AGE) & ((rng.random(n) < PENSION_SHARE) | alive_poor) & ~outreach
    pension &= ~dead | (rng.random(n) < DEAD_KEEP_PENSION)
    receiving = pension & elderly
    tier = np.where(
        poor,
        rng.choice(len(TIERS), n, p=POOR_TIER_WEIGHTS),
        rng.choice(len(TIERS), n, p=TIER_WEIGHTS),
    ).astype(np.int64)
    medical_since = since(date(2008, 1, 1))
    adult_from = p.birth + round(PENSION_AGE * 365.2425)
    pension_since = np.minimum(np.maximum(since(date(2010, 7, 1)), adult_from), end)

    moved_p = np.where(poor, MOVED_IF_POOR, MOVED_IF_NOT)
    moved = base & ~dead & medical & (rng.random(n) < moved_p)
    enrolled_county, enrolled_village = p.county.copy(), p.village.copy()
    movers = np.flatnonzero(moved)
    if places.n_region > 1:  # to another county of the region
        step = rng.integers(1, places.n_region, len(movers))
        enrolled_county[movers] = (p.county[movers] + step) % places.n_region
    elif len(places.codes) > 1:  # a one-county region: to a neighbouring county
        outside = rng.integers(0, len(places.codes) - 1, len(movers))
        enrolled_county[movers] = 1 + outside
    else:
        moved[:] = False
        movers = movers[:0]
    enrolled_village[movers] = places.pick(rng, enrolled_county[movers])
    return Lists(
        poor, exit_marked, poor_since, exit_date, dibao, dibao_since, tekun, tekun_since,
        disability, not_severe, severe_grade, disability_since, dead, death_date, outreach,
        medical, medical_since, pension, pension_since, receiving, tier, moved,
        enrolled_county, enrolled_village,
    )  # fmt: skip
