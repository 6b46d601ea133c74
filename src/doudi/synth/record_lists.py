"""The record lists issue #20 §1 added (``rosters.sources`` of kind "record"): the
unemployment agency's records of workers, their vocational certificates, third-party
funding of the poor's pension contributions, and the pension applications of the poor
aged 60+ never insured (Hebei) and of the severely disabled aged 55–59 (Shandong).

Why apart from the other lists: a seed's files of those stay byte for byte what they
were (the golden demo county), so each record list draws from a stream of its own and
only reads the lists to agree with them; and a record is a fact with values of its own
(months, levels, amounts, dates), so who is on a record list and what the row says are
drawn together here, as :class:`~doudi.synth.roster_columns.Roster` rows. Every record
list names a person where their hukou is. All five lists are written for every region,
whichever jurisdiction's rules read them: they are cheap, and one shape of synthetic
county serves every test.

Shares, chosen to resemble a county around 2018 and to give the rules people to refuse:

- unemployment records: 2.5 % of the living people aged 18–59 not at school, 90 % of
  them rural contract workers (so about 2.25 % of the working age). Months insured 3–180
  (never more than since the age of 16; about a fifth under the 36 of the skill-upgrade
  subsidy), months at the unit 1–120 but not more than insured (about a tenth under the
  12 of the living allowance), contributions up to 6 months fewer than insured; 95 % of
  the units paid. A third have a contract that ended in the as-of year, by the as-of
  date (60 % expired, 40 % ended early), a tenth one that ended the year before, the rest
  a contract still running; 80 % of those whose contract ended in the year with 12
  months paid qualify for the benefit, and while drawing it are in the resident medical
  insurance (its premium of the year paid) if its extract lists them, else the employee
  one (JX-2017-58/2.3.9, HE-2018-3/2.4). Those qualifying drew the benefit for each whole
  month from the contract's end to the as-of date (at most 12, so some drew none yet),
  and the employee one's premium is 150 yuan a month drawn.
- certificates: a quarter of the rural contract workers with a record, a tenth of those
  with a second one; levels 五级/四级/三级/二级/一级 at 50/30/15/4/1 %; a quarter dated in
  2016 (before 2017: the subsidy refuses them), the others from 2017 to the as-of date.
- third-party funding: 3 % of the registered poor, among the living who contribute to the
  resident pension; a county organisation, the village committee or a local company;
  100 to 2,000 yuan; for the as-of year (PZH-2018-195/1.2).
- 60+ applications: half the living registered poor aged 60+ in no pension extract
  (HE-2018-3/2.1.1), dated from the 60th birthday or 1 January of the year before.
- early-pension applications: half the living severely disabled aged 55–59 in the
  resident pension, dated from the 55th birthday or 1 January of the year before;
  85 % 通过, 10 % 审核中, 5 % 不通过 (SD-2017-37/2.1).

A list of a small county still has :data:`MIN_LISTED` rows where it can (a file of no
accepted row is refused): at least that many workers' records, certificates and funded
poor, and the applications topped up with people the rules or the review refuse — poor
aged 60+ already insured (2.1.1 is for the never insured), severely disabled aged 50–54
(不通过: under 55). A county of a few hundred people may still have no early-pension
application at all: its file then holds the header alone, which the import refuses.
A written choice is mostly its column's first form (期满终止, 五级, 通过), sometimes
another (期满未续订, 初级工, 同意).

The deliberate mistakes are those of :mod:`doudi.synth.rendering` and of the records' own
cells (:data:`doudi.synth.mistakes.RECORD_KINDS`); two certificates of one number (kind
``duplicate_number``, both rows refused) are made here, as they take two rows.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import regions
from doudi.rosters.columns import BENEFIT_MONTHS
from doudi.rosters.sources import SOURCES, Column
from doudi.synth.lists import Lists
from doudi.synth.mistakes import kinds_of
from doudi.synth.more_lists import MIN_LISTED, MoreLists
from doudi.synth.people import People
from doudi.synth.places import Places
from doudi.synth.randomness import Bools, Days, Ints, choose, stream
from doudi.synth.roster_columns import Roster
from doudi.synth.writing import day_array, yes_no

WORKING_AGES = (18, 60)  # unemployment records: 18 to 59
RECORD_SHARE, RURAL_SHARE, UNIT_PAID_SHARE = 0.025, 0.9, 0.95
INSURED_MONTHS, MONTHS_AT_UNIT, UNPAID_MONTHS = (3, 180), (1, 120), 6
ENDED_IN_YEAR, ENDED_YEAR_BEFORE, EXPIRED = 1 / 3, 0.1, 0.6
QUALIFIED_SHARE, QUALIFYING_MONTHS = 0.8, 12
CERTIFICATE_SHARE, SECOND_CERTIFICATE, CERTIFICATES_2016 = 0.25, 0.1, 0.25
#: Levels 五级 … 一级 (codes 5 … 1) and how often each is obtained.
LEVEL_WEIGHTS = {5: 0.5, 4: 0.3, 3: 0.15, 2: 0.04, 1: 0.01}
FUNDING_SHARE = 0.03
FUNDING_AMOUNTS = (100, 200, 300, 500, 1000, 1500, 2000)
FUNDING_WEIGHTS = (0.3, 0.25, 0.15, 0.15, 0.1, 0.03, 0.02)
APPLYING_SHARE = 0.5
PENSION_AGE, EARLY_YEARS = 60, 5
REVIEW_WEIGHTS = {"approved": 0.85, "pending": 0.1, "rejected": 0.05}
#: The resident-medical premium of a year (yuan), as the national default of
#: ``resident_medical.personal_contribution`` states it (local config).
MEDICAL_PREMIUM = {2017: 180, 2018: 220, 2019: 250, 2020: 280}
#: The employee-medical premium the unemployment fund pays per month of benefit drawn
#: (yuan; a plausible figure, no document states it).
EMPLOYEE_MEDICAL_MONTHLY = 150
#: A written choice other than its column's first form, this often.
OTHER_FORM = 0.2
_COMPANIES = ("宏达", "鑫源", "华丰", "恒信", "金桥", "永盛", "天成", "瑞丰", "顺达", "兴旺")
_TRADES = (
    "建筑工程有限公司",
    "建材有限公司",
    "纺织服装有限公司",
    "食品有限公司",
    "物流有限公司",
    "机械制造有限公司",
    "物业服务有限公司",
    "劳务派遣有限公司",
)
_ORGANISATIONS = ("慈善总会", "红十字会", "总工会", "工商业联合会")


def draw_record_lists(
    seed: int, p: People, places: Places, s: Lists, m: MoreLists, error_rate: float, as_of: date
) -> list[Roster]:
    """The five record lists, in the order of ``rosters.sources.RECORDS``."""
    region = ",".join(places.codes[: places.n_region])

    def rng(source: str) -> np.random.Generator:
        return stream(seed, "records", source, region)

    workers, unemployment = _unemployment(rng("unemployment_records"), p, s, m, places, as_of)
    return [
        unemployment,
        _certificates(rng("certificates"), p, places, workers, error_rate, as_of),
        _funding(rng("third_party_funding"), p, s, places, as_of),
        _late_applications(rng("late_pension_applications"), p, s, as_of),
        _early_applications(rng("early_pension_applications"), p, s, as_of),
    ]


def _unemployment(
    g: np.random.Generator, p: People, s: Lists, m: MoreLists, places: Places, as_of: date
) -> tuple[Ints, Roster]:
    """The unemployment agency's records; also returns its rural contract workers."""
    low, high = WORKING_AGES
    can = p.base & ~s.dead & ~m.student & (p.age >= low) & (p.age < high)
    person = choose(g, np.flatnonzero(can), max(MIN_LISTED, round(RECORD_SHARE * can.sum())))
    k = len(person)
    rural = g.random(k) < RURAL_SHARE
    since_16 = np.maximum((p.age[person] - 16) * 12, 1)
    insured = np.minimum(g.integers(INSURED_MONTHS[0], INSURED_MONTHS[1] + 1, k), since_16)
    at_unit = np.minimum(g.integers(MONTHS_AT_UNIT[0], MONTHS_AT_UNIT[1] + 1, k), insured)
    paid = np.maximum(insured - g.integers(0, UNPAID_MONTHS + 1, k), 1)
    unit_paid = g.random(k) < UNIT_PAID_SHARE
    u = g.random(k)
    in_year = u < ENDED_IN_YEAR
    year_before = (u >= ENDED_IN_YEAR) & (u < ENDED_IN_YEAR + ENDED_YEAR_BEFORE)
    ending = np.where(g.random(k) < EXPIRED, "expired_not_renewed", "terminated_early")
    ending = np.where(in_year | year_before, ending, "not_ended")
    ended = np.where(
        in_year,
        _days_from(g, np.full(k, np.datetime64(date(as_of.year, 1, 1), "D")), as_of),
        _days_from(
            g,
            np.full(k, np.datetime64(date(as_of.year - 1, 1, 1), "D")),
            date(as_of.year - 1, 12, 31),
        ),
    )
    qualified = in_year & (paid >= QUALIFYING_MONTHS) & (g.random(k) < QUALIFIED_SHARE)
    resident = s.medical[person]
    scheme = np.where(resident, "resident", "employee")
    premium = MEDICAL_PREMIUM.get(as_of.year, MEDICAL_PREMIUM[max(MEDICAL_PREMIUM)])
    # no draw of its own: the other columns keep the values a seed gave them
    since_end = (np.datetime64(as_of, "D") - ended).astype(np.int64)
    drawn = np.clip(since_end // 30, 0, BENEFIT_MONTHS[1])
    columns = SOURCES["unemployment_records"]
    values = {
        "unit_name": _companies(g, p.county[person], places),
        "rural_contract_worker": yes_no(rural),
        "months_at_unit": _text(at_unit),
        "unit_paid": yes_no(unit_paid),
        "contract_ending": _written(g, columns.column("contract_ending"), ending),
        "contract_end_date": day_array(ended, in_year | year_before),
        "insured_months": _text(insured),
        "contribution_months": _text(paid),
        "benefit_qualified": yes_no(qualified),
        "medical_scheme": pc.if_else(
            pa.array(qualified),
            _written(g, columns.column("medical_scheme"), scheme),
            pa.scalar(None, pa.string()),
        ),
        "resident_medical_paid": pa.array(
            np.full(k, f"{premium}.00"), pa.string(), mask=~(qualified & resident)
        ),
        "benefit_months": pa.array(drawn.astype(str), pa.string(), mask=~qualified),
        "employee_medical_premium": pa.array(
            [f"{m * EMPLOYEE_MEDICAL_MONTHLY}.00" for m in drawn.tolist()],
            pa.string(),
            mask=~(qualified & ~resident),
        ),
    }
    return person[rural], _at_hukou(p, "unemployment_records", person, values)


def _certificates(
    g: np.random.Generator,
    p: People,
    places: Places,
    workers: Ints,
    error_rate: float,
    as_of: date,
) -> Roster:
    """A quarter of the rural contract workers' certificates (a tenth hold two), and a
    few certificates that share one number by mistake."""
    holders = choose(g, workers, max(MIN_LISTED, round(CERTIFICATE_SHARE * len(workers))))
    person = np.concatenate([holders, holders[g.random(len(holders)) < SECOND_CERTIFICATE]])
    k = len(person)
    levels = np.array(list(LEVEL_WEIGHTS), np.int64)
    weights = np.array(list(LEVEL_WEIGHTS.values()))
    level = levels[g.choice(len(levels), k, p=weights / weights.sum())]
    early = g.random(k) < CERTIFICATES_2016
    obtained = np.where(
        early,
        _days_from(g, np.full(k, np.datetime64("2016-01-01")), min(date(2016, 12, 31), as_of)),
        _days_from(g, np.full(k, np.datetime64("2017-01-01")), as_of),
    )
    year = obtained.astype("datetime64[Y]").astype(np.int64) + 1970
    county = [places.codes[c] for c in p.county[person].tolist()]
    numbers = [
        f"{y % 100:02d}{c}{v:02d}{i:06d}"
        for i, (y, c, v) in enumerate(zip(year.tolist(), county, level.tolist(), strict=True), 1)
    ]
    # Two certificates of one number, one row taking another's: a pair (two
    # rows refused) once the list's share of mistakes reaches two rows.
    n_kinds = len(kinds_of(SOURCES["certificates"]))
    pairs = max(round(k * error_rate / n_kinds / 2), 1) if round(k * error_rate) >= 2 else 0
    twice = g.permutation(choose(g, np.arange(k, dtype=np.int64), 2 * pairs)).reshape(-1, 2)
    for first, second in twice.tolist():
        numbers[second] = numbers[first]
    wrong = np.zeros(k, bool)
    wrong[twice.ravel()] = True
    column = SOURCES["certificates"].column("certificate_level")
    values = {
        "certificate_level": _written(g, column, level.astype(str)),
        "certificate_date": day_array(obtained),
        "certificate_number": pa.array(numbers, pa.string()),
    }
    roster = _at_hukou(p, "certificates", person, values)
    roster.fixed["duplicate_number"] = wrong
    return roster


def _funding(g: np.random.Generator, p: People, s: Lists, places: Places, as_of: date) -> Roster:
    contributing = p.base & s.poor & ~s.dead & s.pension & ~s.receiving
    wanted = max(MIN_LISTED, round(FUNDING_SHARE * int((p.base & s.poor).sum())))
    person = choose(g, np.flatnonzero(contributing), wanted)
    k = len(person)
    county_name = _county_names(places).take(pa.array(p.county[person]))
    organisation = pc.binary_join_element_wise(
        county_name, pa.array(_ORGANISATIONS, pa.string()).take(_pick(g, _ORGANISATIONS, k)), ""
    )
    village = places.village.take(pa.array(p.village[person]))
    committee = pc.binary_join_element_wise(
        village,
        pc.if_else(pc.ends_with(village, "社区"), "居民委员会", "村民委员会"),
        "",
    )
    funder = g.choice(3, k, p=(0.4, 0.3, 0.3))
    funders = pc.if_else(
        pa.array(funder == 0),
        organisation,
        pc.if_else(pa.array(funder == 1), committee, _companies(g, p.county[person], places)),
    )
    amounts = np.array(FUNDING_AMOUNTS)[g.choice(len(FUNDING_AMOUNTS), k, p=FUNDING_WEIGHTS)]
    year = np.where(g.random(k) < 0.1, f"{as_of.year}年", str(as_of.year))
    values = {
        "funder": funders,
        "funding_amount": _text(amounts),
        "funding_year": pa.array(year, pa.string()),
    }
    return _at_hukou(p, "third_party_funding", person, values)


def _late_applications(g: np.random.Generator, p: People, s: Lists, as_of: date) -> Roster:
    poor_60 = p.base & s.poor & ~s.dead & (p.age >= PENSION_AGE)
    never = poor_60 & ~s.pension
    applied = never & (g.random(len(p)) < APPLYING_SHARE)
    person = _topped_up(g, applied, poor_60 & s.pension)
    day = _days_from(g, _since_birthday(p, person, PENSION_AGE, as_of), as_of)
    return _at_hukou(p, "late_pension_applications", person, {"application_date": day_array(day)})


def _early_applications(g: np.random.Generator, p: People, s: Lists, as_of: date) -> Roster:
    early_age = PENSION_AGE - EARLY_YEARS
    insured = p.base & s.disability & ~s.dead & s.pension
    near = insured & (p.age >= early_age) & (p.age < PENSION_AGE)
    applied = near & (g.random(len(p)) < APPLYING_SHARE)
    younger = insured & (p.age >= early_age - EARLY_YEARS) & (p.age < early_age)
    person = _topped_up(g, applied, younger)
    of_age = near[person]
    first = np.where(
        of_age,
        _since_birthday(p, person, early_age, as_of),
        np.datetime64(date(as_of.year - 1, 1, 1), "D"),
    )
    day = _days_from(g, first, as_of)
    codes = np.array(list(REVIEW_WEIGHTS))
    weights = np.array(list(REVIEW_WEIGHTS.values()))
    result = np.where(
        of_age, codes[g.choice(len(codes), len(person), p=weights / weights.sum())], "rejected"
    )
    column = SOURCES["early_pension_applications"].column("review_result")
    values = {"application_date": day_array(day), "review_result": _written(g, column, result)}
    return _at_hukou(p, "early_pension_applications", person, values)


def _topped_up(g: np.random.Generator, chosen: Bools, others: Bools) -> Ints:
    """The rows of ``chosen``, with some of ``others`` up to :data:`MIN_LISTED` rows."""
    short = MIN_LISTED - int(chosen.sum())
    extra = choose(g, np.flatnonzero(others & ~chosen), max(short, 0))
    return np.sort(np.concatenate([np.flatnonzero(chosen), extra])).astype(np.int64)


def _at_hukou(p: People, name: str, person: Ints, values: dict[str, pa.Array]) -> Roster:
    """A record list's rows, each where the person's hukou is; none protected (the
    manifest's answers come from the status lists and the extracts)."""
    none = np.zeros(len(person), bool)
    return Roster(SOURCES[name], person, p.county[person], p.village[person], values, none)


def _since_birthday(p: People, person: Ints, age: int, as_of: date) -> Days:
    """The day each person turned ``age`` (29 February: 1 March), or 1 January of the
    year before the as-of date if later; never after the as-of date."""
    earliest = date(as_of.year - 1, 1, 1)
    days = []
    for born in p.birth[person].astype("datetime64[D]").tolist():
        try:
            birthday = born.replace(year=born.year + age)
        except ValueError:
            birthday = date(born.year + age, 3, 1)
        days.append(min(max(birthday, earliest), as_of))
    return np.array(days, "datetime64[D]")


def _days_from(g: np.random.Generator, first: Days, last: date) -> Days:
    """A uniform day from each ``first`` to ``last`` (both included; ``last`` itself
    when ``first`` is later: an as-of date before 2017 has no certificate of 2017)."""
    end = np.datetime64(last, "D")
    first = np.minimum(first, end)
    span = (end - first).astype(np.int64) + 1
    return first + (g.random(len(first)) * span).astype(np.int64)


def _written(g: np.random.Generator, column: Column, codes: np.ndarray) -> pa.Array:
    """Each code in one of its written forms: mostly the first, sometimes another."""
    words: dict[str, list[str]] = {}
    for form, code in column.choices:
        words.setdefault(code, []).append(form)
    other = g.random(len(codes)) < OTHER_FORM
    pick = g.integers(0, 1 << 30, len(codes))
    out = [
        forms[1 + int(i) % (len(forms) - 1)] if late and len(forms) > 1 else forms[0]
        for forms, late, i in zip(
            (words[str(c)] for c in codes), other.tolist(), pick.tolist(), strict=True
        )
    ]
    return pa.array(out, pa.string())


def _companies(g: np.random.Generator, county: Ints, places: Places) -> pa.Array:
    """A made-up local company per row: the county's name, a word, a trade."""
    names = _county_names(places).to_pylist()
    return pa.array(
        [
            f"{names[c]}{_COMPANIES[a]}{_TRADES[b]}"
            for c, a, b in zip(
                county.tolist(),
                _pick(g, _COMPANIES, len(county)).tolist(),
                _pick(g, _TRADES, len(county)).tolist(),
                strict=True,
            )
        ],
        pa.string(),
    )


def _county_names(places: Places) -> pa.Array:
    return pa.array([regions.region_name(c) or "" for c in places.codes], pa.string())


def _pick(g: np.random.Generator, pool: tuple[str, ...], k: int) -> Ints:
    return g.integers(0, len(pool), k).astype(np.int64)


def _text(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype(np.int64)).cast(pa.string())
