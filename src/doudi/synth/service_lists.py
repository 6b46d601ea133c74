"""The lists of Jiangxi's service targets (JX-2017-58/2.4.10) for a synthetic county:
bank withholding mandates (a record list of people) and village service points (a
list of places, without ID numbers).

Why apart: both draw from streams of their own and are written after every other file,
so a seed's earlier files keep every byte (tests/synth, the golden demo county).

Shares, chosen so that the demo county falls short of the 2020 targets in a way a
caseworker can see:

- banks withhold in 85 % of the townships of the region's counties, never in the last
  township of a county (so the list of townships short of the target is never empty); in
  those, 60 % of
  the living resident-pension contributors signed a mandate, from 2015 to the as-of date
  (so about half the contributors: short of the 90 % target, and a few townships with
  none: short of 100 %);
- 85 % of the villages have a service point, opened from 2014 to the as-of date.

The mandates get the deliberate mistakes of every record list (:mod:`doudi.synth.rendering`).
The service-point list gets its own, listed in the manifest by kind and row: an
impossible date (``bad_date``), a point without its village (``missing_village``), a
point written twice (``duplicate``) — each refused by the import — and a point in a
village no list names (``unknown_village``), accepted but counted in no share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

from doudi.core import regions
from doudi.rosters.service_sources import SERVICE_POINTS, WITHHOLDING_MANDATES
from doudi.synth.lists import Lists
from doudi.synth.more_lists import MIN_LISTED
from doudi.synth.people import People
from doudi.synth.places import Places
from doudi.synth.randomness import choose, random_dates, stream
from doudi.synth.roster_columns import Roster
from doudi.synth.writing import Style, day_array, format_dates, write_csv

BANKED_TOWNSHIPS, MANDATE_SHARE, POINT_SHARE = 0.85, 0.6, 0.85
BANKS = ("中国农业银行", "中国邮政储蓄银行", "江西农商银行", "中国建设银行")
#: The service-point list's file, and the kinds of its deliberate mistakes.
POINTS_FILE = "service_points.csv"
POINT_KINDS = ("bad_date", "missing_village", "duplicate", "unknown_village")
#: The kinds the import refuses (unknown_village is accepted, and counted nowhere).
REFUSED_POINT_KINDS = POINT_KINDS[:3]


def _banked(seed: int, places: Places) -> np.ndarray:
    """Whether banks withhold in each village's township (one draw per township)."""
    county = np.repeat(np.arange(len(places.codes)), places.count)
    keys = [f"{c}/{t}" for c, t in zip(county.tolist(), places.township.to_pylist(), strict=True)]
    towns = sorted(set(keys))
    g = stream(seed, "service", "townships")
    flag = dict(zip(towns, (g.random(len(towns)) < BANKED_TOWNSHIPS).tolist(), strict=True))
    for c in range(len(places.codes)):  # each county's last township has no bank yet
        flag[max(k for k in towns if k.startswith(f"{c}/"))] = False
    return np.array([flag[k] for k in keys], bool)


def draw_mandates(seed: int, p: People, s: Lists, places: Places, as_of: date) -> Roster:
    """The bank withholding mandates of the region's contributors, at their hukou."""
    g = stream(seed, "service", WITHHOLDING_MANDATES.name)
    banked = _banked(seed, places)
    can = (
        p.base
        & s.pension
        & ~s.receiving
        & ~s.dead
        & (p.county < places.n_region)
        & banked[p.village]
    )
    person = choose(g, np.flatnonzero(can), max(MIN_LISTED, round(MANDATE_SHARE * can.sum())))
    k = len(person)
    digits = g.integers(10**12, 10**13, k)
    values = {
        "bank_name": pa.array(np.array(BANKS)[g.integers(0, len(BANKS), k)], pa.string()),
        "bank_account": pa.array([f"622848{d}" for d in digits.tolist()], pa.string()),
        "since": day_array(random_dates(g, date(2015, 1, 1), as_of, k)),
    }
    none = np.zeros(k, bool)
    return Roster(WITHHOLDING_MANDATES, person, p.county[person], p.village[person], values, none)


@dataclass(frozen=True)
class PointsFile:
    """What the service-point file holds: its rows, and the rows of each mistake."""

    rows: int
    error_rows: dict[str, list[int]]
    accepted: int  # the rows a correct import accepts


def write_service_points(out: Path, seed: int, places: Places, as_of: date) -> PointsFile:
    """A GB18030 CSV with a title row: the points of the region's villages."""
    g = stream(seed, "service", SERVICE_POINTS.name)
    region = range(int(places.first[places.n_region - 1] + places.count[places.n_region - 1]))
    county = np.repeat(np.arange(len(places.codes)), places.count)
    chosen = [v for v in region if g.random() < POINT_SHARE]
    opened = format_dates(
        day_array(random_dates(g, date(2014, 1, 1), as_of, len(chosen))), "%Y-%m-%d"
    )
    towns, villages = places.township.to_pylist(), places.village.to_pylist()
    rows = [
        [places.codes[county[v]], towns[v], villages[v], f"{villages[v]}金融便民服务点", day]
        for v, day in zip(chosen, opened.to_pylist(), strict=True)
    ]
    header_row = 2  # a title row above
    errors: dict[str, list[int]] = {}
    if len(rows) >= 4:
        bad, blank, twice, elsewhere = (int(i) for i in g.choice(len(rows), 4, replace=False))
        unknown = list(rows[elsewhere])
        unknown[2], unknown[3] = f"新{unknown[2]}", f"新{unknown[3]}"
        rows[bad][4] = f"{as_of.year}-02-30"
        rows[blank][2] = ""
        rows += [list(rows[twice]), unknown]
        n = len(rows)
        errors = {
            "bad_date": [header_row + 1 + bad],
            "missing_village": [header_row + 1 + blank],
            "duplicate": [header_row + n - 1],
            "unknown_village": [header_row + n],
        }
    table = pa.table(
        {
            c.name: pa.array([r[i] for r in rows], pa.string())
            for i, c in enumerate(SERVICE_POINTS.columns)
        }
    )
    place = regions.region_name(places.codes[0]) or ""
    title = f"{place}{SERVICE_POINTS.label}"
    headers = [c.label for c in SERVICE_POINTS.columns]
    write_csv(out / POINTS_FILE, table, Style("gb18030", title, headers, "%Y-%m-%d"))
    return PointsFile(len(rows), errors, len(rows) - len(REFUSED_POINT_KINDS) * bool(errors))
