"""The synthetic population: hukou county and village, birth date, sex, a unique GB 11643
ID number and a Chinese name per person.

Why vectorised: a benchmark province has 10^7 people. Names come from pools built once
from Faker's ``zh_CN`` data and ID numbers with their check characters are computed on
whole arrays; calling Faker per row would take hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from faker.providers.person.zh_CN import Provider as ZhPersonProvider

from doudi.synth.mistakes import VARIANTS
from doudi.synth.places import Places
from doudi.synth.randomness import Bools, Days, Ints, stream


@dataclass
class _NamePools:
    """Surnames with Faker's frequencies and given names per sex. Built once: calling
    Faker per row would take hours for 10^7 people, sampling indices takes seconds."""

    surnames: pa.Array
    surname_p: npt.NDArray[np.float64]
    given_male: pa.Array
    given_female: pa.Array

    @classmethod
    def build(cls, seed: int) -> _NamePools:
        rng = stream(seed, "names")
        weights = ZhPersonProvider.last_names
        surnames = sorted(weights)
        p = np.array([weights[s] for s in surnames])

        def given(base: Sequence[str]) -> pa.Array:
            singles = [g for g in base if len(g) == 1]
            pairs = {
                str(a) + str(b)
                for a, b in zip(rng.choice(singles, 800), rng.choice(singles, 800), strict=True)
            }
            # No name is born with a variant character: in a file, one is always a mistake.
            pool = sorted(g for g in set(base) | pairs if not set(g) & set(VARIANTS.values()))
            return pa.array(pool, pa.string())

        return cls(
            pa.array(surnames, pa.string()),
            p / p.sum(),
            given(ZhPersonProvider.first_names_male),
            given(ZhPersonProvider.first_names_female),
        )

    def names(self, rng: np.random.Generator, male: Bools) -> pa.Array:
        n = len(male)
        surname = self.surnames.take(rng.choice(len(self.surnames), n, p=self.surname_p))
        g_male = self.given_male.take(rng.integers(0, len(self.given_male), n))
        g_female = self.given_female.take(rng.integers(0, len(self.given_female), n))
        given = pc.if_else(pa.array(male), g_male, g_female)
        return pc.binary_join_element_wise(surname, given, "")


_WEIGHTS = np.array((7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), np.int64)
_CHECK_BYTES = np.frombuffer(b"10X98765432", np.uint8)


def _ymd(days: Days) -> tuple[Ints, Ints, Ints]:
    month_start = days.astype("datetime64[M]")
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = month_start.astype(np.int64) % 12 + 1
    day = (days - month_start).astype(np.int64) + 1
    return year, month, day


def id_numbers(county: Ints, birth: Days, sequence: Ints) -> pa.Array:
    """18-character GB 11643 numbers: county code, birth date, 3-digit sequence and the
    ISO 7064 MOD 11-2 check character, computed on whole arrays into one byte buffer
    (no Python string per person), so ten million numbers take about a second."""
    year, month, day = _ymd(birth)
    rest = county * 10**11 + (year * 10_000 + month * 100 + day) * 1_000 + sequence
    n = len(rest)
    chars = np.empty((n, 18), np.uint8)
    total = np.zeros(n, np.int64)
    for pos in range(16, -1, -1):
        digit = rest % 10
        rest = rest // 10
        chars[:, pos] = digit + ord("0")
        total += digit * _WEIGHTS[pos]
    chars[:, 17] = _CHECK_BYTES[total % 11]
    offsets = np.arange(0, 18 * (n + 1), 18, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(chars.tobytes()))


@dataclass
class People:
    """The population: the roster population first, then the extra insured."""

    base: Bools  # in the roster population (False: an extra insured person)
    county: Ints  # hukou county, index into Places.codes
    village: Ints  # hukou village, index into Places villages
    birth: Days
    age: Ints  # whole years on the as-of date
    ids: pa.Array
    names: pa.Array

    def __len__(self) -> int:
        return len(self.base)


def draw_people(seed: int, places: Places, people: int, extra: int, as_of: date) -> People:
    rng = stream(seed, "people", ",".join(places.codes[: places.n_region]))
    n = people + extra
    weight = rng.uniform(0.5, 1.5, places.n_region)  # counties differ in size
    county = rng.choice(places.n_region, n, p=weight / weight.sum()).astype(np.int64)
    village = places.pick(rng, county)
    male = rng.random(n) < 0.5
    # Ages: children, working age, elderly; rural hukou populations are old.
    band = rng.choice(3, n, p=(0.17, 0.60, 0.23))
    low, high = np.array((0, 16, 60))[band], np.array((16, 60, 95))[band]
    age_days = ((low + rng.random(n) * (high - low)) * 365.2425).astype(np.int64)
    birth = np.datetime64(as_of, "D") - np.maximum(age_days, 1)
    birth = np.maximum(birth, np.datetime64("1900-01-01"))  # GB 11643 knows no earlier year
    year, month, day = _ymd(birth)
    age = as_of.year - year - ((month * 100 + day) > as_of.month * 100 + as_of.day)
    # Sequence: odd for men, even for women; redraw clashes until every number is unique.
    county_num = np.array([int(c) for c in places.codes], np.int64)[county]
    key = (county_num * 100_000_000 + year * 10_000 + month * 100 + day) * 1_000
    sequence = 2 * rng.integers(1, 500, n) + male
    for _ in range(100):
        _, first = np.unique(key + sequence, return_index=True)
        clash = np.ones(n, bool)
        clash[first] = False
        if not clash.any():
            break
        again = np.flatnonzero(clash)
        sequence[again] = 2 * rng.integers(1, 500, len(again)) + male[again]
    else:  # pragma: no cover - needs hundreds of people per county, birth date and sex
        raise ValueError("人数过多：同一县同一天出生的同性别人员超出了身份证顺序码的容量")
    names = _NamePools.build(seed).names(rng, male)
    ids = id_numbers(county_num, birth, sequence)
    return People(np.arange(n) < people, county, village, birth, age, ids, names)
