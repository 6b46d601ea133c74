"""The four work-injury lists of a synthetic county (RULES.md §5, issue #21): projects
insured per project, workers on projects, work-injury cases and advance payments, with
planted violations and deliberate bad rows, both listed in the manifest.

Why apart: drawn from a stream of its own and written after every other file, so a
seed's earlier files keep every byte (tests/synth, the golden demo county). The lists
are for the region's first county; the people are that county's own.

Planted (``planted``, the answers the checks must find, nothing else):

- ``started_before_cover``: a project that started work before its work-injury cover
  began (先参保、再开工 violated);
- ``without_cover``: a project running with no cover at all (起保日期 empty);
- ``poor_worker_uncovered``: the one worker on that project, a poor person (建档立卡,
  also on the dibao or tekun list where such a person exists, so that one refused row
  of a status list does not make them not poor);
- ``advance_payment_due``: a case of a poor worker, recognised as a work injury, whose
  employer neither was insured nor paid, and no advance payment made;
- ``partly_recovered``: a case paid in advance (``advance_paid`` lists it and the due
  one's kind), of which the employer has repaid part;
- ``pneumoconiosis``: a recognised pneumoconiosis case (insured employer, paid).

Every other row keeps the rules: projects covered from their start and with no end
before the as-of date, workers entering after the cover began, cases whose insured
employer paid or whose recognition is pending. The bad rows (``error_rows``, by kind,
each refused by the import): a project written twice, an impossible date, a cover ending
before it began; a worker's wrong check character, an exit before the entry, a project
no list names; a case's unknown recognition, a recognised case without its date; a
payment recovering more than was paid, a payment of an unknown case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from doudi.core import regions
from doudi.synth.lists import Lists
from doudi.synth.people import People
from doudi.synth.places import Places
from doudi.synth.randomness import stream
from doudi.synth.writing import Style, write_csv
from doudi.work_injury.sources import LISTS

#: Each list's file and encoding (GBK with a title row, UTF-8 with and without a BOM).
FILES = {
    "projects": ("wi_projects.csv", "gb18030"),
    "project-workers": ("wi_project_workers.csv", "utf-8-sig"),
    "cases": ("wi_cases.csv", "gb18030"),
    "advance-payments": ("wi_advance_payments.csv", "utf-8"),
}
SECTORS = ("建筑", "交通运输", "铁路", "水利", "能源", "建筑业")
CONTRACTORS = ("中建三局第二建设工程有限责任公司", "江西省交通工程集团有限公司", "中铁二十四局")
EMPLOYERS = ("瑞兴建材有限公司", "红都石材厂", "绿源矿业有限公司", "宏达物流有限公司")
WORKERS_PER_PROJECT = 3
PROJECTS = 6


@dataclass
class WorkInjuryFiles:
    """What the four files hold: per list its file, rows written and accepted, and the
    rows of each deliberate mistake; the planted violations by kind."""

    county: str
    files: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    accepted: dict[str, int] = field(default_factory=dict)
    error_rows: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    planted: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "county": self.county,
            "files": self.files,
            "rows": self.rows,
            "accepted": self.accepted,
            "error_rows": self.error_rows,
            "planted": self.planted,
        }


def _poor(p: People, s: Lists, as_of: date) -> list[int]:
    """The county's alive registered poor of working age, those also on the dibao or
    tekun list first."""
    working = (p.age >= 18) & (p.age < 60) & p.base & ~s.dead & (p.county == 0)
    both = np.flatnonzero(working & s.poor & (s.dibao | s.tekun)).tolist()
    only = np.flatnonzero(working & s.poor & ~(s.dibao | s.tekun)).tolist()
    return both + only


def write_work_injury(
    out: Path, seed: int, p: People, s: Lists, places: Places, as_of: date
) -> WorkInjuryFiles:
    """The four lists of ``places.codes[0]`` as of ``as_of`` into ``out``."""
    g = stream(seed, "work_injury", places.codes[0])
    county = places.codes[0]
    result = WorkInjuryFiles(county)
    ids, names = p.ids.to_pylist(), p.names.to_pylist()
    poor = _poor(p, s, as_of)
    working = np.flatnonzero((p.age >= 18) & (p.age < 60) & p.base & ~s.dead & (p.county == 0))
    if len(poor) < 4 or len(working) < PROJECTS * WORKERS_PER_PROJECT + 4:
        return result  # a county too small for the lists: none written
    year = as_of.year - 1

    def day(text: str) -> date:
        return date.fromisoformat(f"{year}-{text}")

    # projects: P1 starts before its cover, P2 runs without; the others are covered
    projects: list[list[str]] = []
    covers: dict[str, date] = {}
    for k in range(PROJECTS):
        pid = f"{county}-{year}-{k + 1:03d}"
        start = day("03-01") + timedelta(days=int(g.integers(0, 120)))
        cover: date | None = start - timedelta(days=int(g.integers(1, 30)))
        if k == 0:
            cover = start + timedelta(days=30)
        if k == 1:
            cover = None
        covers[pid] = cover or start
        projects.append(
            [
                pid,
                f"{regions.region_name(county) or ''}第{k + 1}标段工程",
                SECTORS[k % len(SECTORS)],
                county,
                CONTRACTORS[k % len(CONTRACTORS)],
                start.isoformat(),
                cover.isoformat() if cover else "",
                "",
            ]
        )
    result.planted["started_before_cover"] = [projects[0][0]]
    result.planted["without_cover"] = [projects[1][0]]

    # workers: the planted poor worker alone on P2, three others on each covered project
    chosen = [int(i) for i in g.choice(working, PROJECTS * WORKERS_PER_PROJECT, replace=False)]
    chosen = [i for i in chosen if i not in poor[:4]]
    workers: list[list[str]] = []
    uncovered_poor = poor[0]
    workers.append([ids[uncovered_poor], names[uncovered_poor], projects[1][0], projects[1][5], ""])
    result.planted["poor_worker_uncovered"] = [ids[uncovered_poor]]
    for k, project in enumerate(projects):
        if k == 1:
            continue
        for i in chosen[k * WORKERS_PER_PROJECT : (k + 1) * WORKERS_PER_PROJECT]:
            entry = covers[project[0]] + timedelta(days=int(g.integers(0, 60)))
            workers.append([ids[i], names[i], project[0], entry.isoformat(), ""])
    # the injured poor workers work on the third project
    for i in poor[1:4]:
        workers.append([ids[i], names[i], projects[2][0], covers[projects[2][0]].isoformat(), ""])

    # cases: due (C1), paid in advance and partly recovered (C2), pneumoconiosis (C3),
    # an insured employer that paid (C4), a pending recognition (C5)
    injured = poor[1:4]
    case_ids = [f"GS{year}{k + 1:04d}" for k in range(5)]
    others = [i for i in chosen if i not in injured][:2]
    who = [injured[0], injured[1], injured[2], others[0], others[1]]
    facts = [
        ("认定为工伤", "否", "否", "30000", "否"),
        ("认定为工伤", "否", "否", "20000.00", "否"),
        ("认定为工伤", "是", "是", "15000", "是"),
        ("认定为工伤", "是", "是", "8000", "否"),
        ("认定中", "是", "否", "5000", "否"),
    ]
    cases: list[list[str]] = []
    for k, (i, (result_zh, insured, paid, claimed, dust)) in enumerate(
        zip(who, facts, strict=True)
    ):
        injury = day("09-01") + timedelta(days=int(g.integers(0, 60)))
        decided = injury + timedelta(days=45) if result_zh != "认定中" else None
        cases.append(
            [
                case_ids[k],
                ids[i],
                names[i],
                injury.isoformat(),
                EMPLOYERS[k % len(EMPLOYERS)],
                result_zh,
                decided.isoformat() if decided else "",
                insured,
                paid,
                claimed,
                dust,
            ]
        )
    result.planted["advance_payment_due"] = [case_ids[0]]
    result.planted["partly_recovered"] = [case_ids[1]]
    result.planted["advance_paid"] = [case_ids[1]]
    result.planted["pneumoconiosis"] = [case_ids[2]]
    paid_on = date.fromisoformat(cases[1][6]) + timedelta(days=20)
    payments = [
        [
            case_ids[1],
            "20000.00",
            paid_on.isoformat(),
            "5000.00",
            (paid_on + timedelta(days=40)).isoformat(),
        ]
    ]

    # the bad rows, appended after the good ones
    bad: dict[str, list[tuple[str, list[str]]]] = {
        "projects": [
            ("duplicate", list(projects[3])),
            (
                "bad_date",
                [
                    f"{county}-{year}-901",
                    "坏日期工程",
                    "建筑",
                    county,
                    CONTRACTORS[0],
                    f"{year}-02-30",
                    "",
                    "",
                ],
            ),
            (
                "cover_ends_before_start",
                [
                    f"{county}-{year}-902",
                    "倒签工程",
                    "水利",
                    county,
                    CONTRACTORS[1],
                    day("04-01").isoformat(),
                    day("04-01").isoformat(),
                    day("03-01").isoformat(),
                ],
            ),
        ],
        "project-workers": [
            (
                "bad_id",
                [
                    ids[chosen[0]][:17] + _wrong_check(ids[chosen[0]]),
                    names[chosen[0]],
                    projects[2][0],
                    day("06-01").isoformat(),
                    "",
                ],
            ),
            (
                "exit_before_entry",
                [
                    ids[chosen[1]],
                    names[chosen[1]],
                    projects[3][0],
                    day("08-01").isoformat(),
                    day("07-01").isoformat(),
                ],
            ),
            (
                "unknown_project",
                [
                    ids[chosen[2]],
                    names[chosen[2]],
                    f"{county}-{year}-999",
                    day("08-01").isoformat(),
                    "",
                ],
            ),
        ],
        "cases": [
            (
                "bad_recognition",
                [
                    f"GS{year}9001",
                    ids[others[0]],
                    names[others[0]],
                    day("10-01").isoformat(),
                    EMPLOYERS[0],
                    "其他",
                    "",
                    "是",
                    "是",
                    "100",
                    "否",
                ],
            ),
            (
                "missing_recognition_date",
                [
                    f"GS{year}9002",
                    ids[others[1]],
                    names[others[1]],
                    day("10-01").isoformat(),
                    EMPLOYERS[1],
                    "认定为工伤",
                    "",
                    "是",
                    "是",
                    "100",
                    "否",
                ],
            ),
        ],
        "advance-payments": [
            (
                "over_recovered",
                [case_ids[0], "1000.00", paid_on.isoformat(), "1500.00", paid_on.isoformat()],
            ),
            ("unknown_case", [f"GS{year}9999", "800", paid_on.isoformat(), "", ""]),
        ],
    }
    good = {
        "projects": projects,
        "project-workers": workers,
        "cases": cases,
        "advance-payments": payments,
    }
    place = regions.region_name(county) or ""
    for name, spec in LISTS.items():
        file_name, encoding = FILES[name]
        rows = list(good[name])
        title = f"{place}{spec.label}" if encoding == "gb18030" else None
        first = 3 if title else 2  # the first data row: the header (and a title) above
        errors: dict[str, list[int]] = {}
        for kind, row in bad[name]:
            errors[kind] = [first + len(rows)]
            rows.append(row)
        headers = [c.label for c in spec.source.columns]
        table = pa.table(
            {
                c.name: pa.array([r[j] for r in rows], pa.string())
                for j, c in enumerate(spec.source.columns)
            }
        )
        write_csv(out / file_name, table, Style(encoding, title, headers, "%Y-%m-%d"))
        result.files[name] = file_name
        result.rows[name] = len(rows)
        result.accepted[name] = len(good[name])
        result.error_rows[name] = errors
    return result


def _wrong_check(id_number: str) -> str:
    """A check character other than the right one."""
    return "0" if id_number[17] != "0" else "1"
