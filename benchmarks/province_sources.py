"""The sources issue #20 added, for the synthetic province of ``bench_registry.province``.

``add_sources`` gives the province's registry tables what the all-programme plan of
Jiangxi reads beside the first lists: the status lists the medical subsidy reads
(JX-2017-58/2.1.2), the employee pension and medical insurance, and the record lists
of the unemployment programme (JX-2017-58/2.3.9). Who is on a status list and the
employee schemes follow ``doudi.synth.more_lists`` (its shares, which resemble a poor
county around 2018); the record lists, which ``doudi synth`` does not write, have the
shares below. The persons, the first lists and their random stream are left as they
were, so the comparison benchmark's province is unchanged; these draw from a stream
of their own.

Status lists (as of 2018-03-31, one batch each, periods open): urban low-income
families (6% of the people of a 社区, 1.5% of a village's; the registered poor at 0.3
of that; never dibao or tekun), the 14 categories of veterans (0.2%, men mostly,
20 and over, not employed), other assistance targets (0.5%, none of the poor), in-school
students (by school stage from 6 to 22: 99/97/85/45% of primary, junior, senior middle
school and college ages, as of the list's date; and 30% of those of 19–23 not at
school have a period the autumn 2017 list closed on 1 September 2017, so they are no
students in 2018), adults unable to work (60% of the severely disabled adults, 0.3% of
the other adults). No roster entries are written for these lists: the plan reads their
periods, not their rows.

Employee schemes: the employee pension for 80% of the working-age (60% of the retired)
people of 16 and over outside the resident pension, the employee medical insurance
for 90% of them (50% of the others) outside the resident medical insurance — and 1% of
the working-age people in the resident scheme in the employee scheme as well (double
enrollment, which the comparison reports and the plan must not pay for).

Record lists: unemployment-insurance records (the unemployment agency) for 2% of the
people aged 18–59, nearly all rural contract workers (95%), with 1–120 months at the
unit (a tenth under the 12 the allowance asks), 95% of units paying, 1–180 months of
contributions and up to 24 more insured; a quarter with a contract that ended in 2018
(60% expired without renewal, 40% terminated early), a tenth with one that ended in
2017, the rest not ended. They come in two lists: the 2017 year-end list (everyone,
as of 2017-12-31) and the 2018 year-end list (as of 2018-12-31) of the quarter whose
contract ended in 2018 and a fifth of the others, whose older row in the 2017 list
says the contract had not ended and counts 12 months fewer — so the plan must read
each person's latest record. Vocational certificates (the skill appraisal body, one
list as of 2018-12-31): 0.5% of the people aged 18–59 obtained one in 2018, 40% of them
people with an unemployment record; levels 5/4/3/2/1 at 50/30/15/4/1%; 5% of them a
second one of 2018; and 0.3% have one from 2015–2017 only. No third-party funding or
late pension applications: Jiangxi's plan does not read them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bench_registry import AS_OF, SEED, conform, take
from doudi.synth import more_lists as shares

YEAR = 2018
#: The first day of the school year (students), and the day the autumn list closed the
#: periods of those who had left school.
LEFT_SCHOOL = date(2017, 9, 1)
LEFT_SCHOOL_SHARE, LEFT_SCHOOL_AGES = 0.3, (19, 23)
DOUBLE_ENROLLED = 0.01  # of the working-age people of a resident scheme
WORKING_AGE = (18, 60)
UNEMPLOYMENT_SHARE, RURAL_CONTRACT = 0.02, 0.95
MONTHS_AT_UNIT, CONTRIBUTION_MONTHS, MORE_INSURED = 120, 180, 24
UNIT_PAID = 0.95
ENDED_THIS_YEAR, ENDED_LAST_YEAR = 0.25, 0.10
EXPIRED_SHARE = 0.6  # of the contracts ended: expired without renewal (else terminated)
UPDATED_SHARE = 0.2  # of the others: in the year-end list as well
CERTIFICATE_SHARE, CERTIFIED_WORKERS, SECOND_CERTIFICATE = 0.005, 0.4, 0.05
OLD_CERTIFICATE_SHARE = 0.003
LEVELS, LEVEL_WEIGHTS = (5, 4, 3, 2, 1), (0.5, 0.3, 0.15, 0.04, 0.01)
UNITS = ("建筑工程有限公司", "服装厂", "电子科技有限公司", "食品有限公司", "物业管理有限公司")
RESIDENT_MEDICAL_PAID = Decimal("220.00")

#: Status, department, source of the added status lists.
STATUS_LISTS = {
    "low_income_family": ("civil_affairs", "low_income"),
    "demobilized_14": ("veterans_affairs", "veterans"),
    "other_assistance": ("civil_affairs", "other_assistance"),
    "student": ("education", "students"),
    "unable_to_work": ("disabled_federation", "unable_to_work"),
}


def add_sources(tables: dict[str, pa.Table], seed: int = SEED + 20) -> None:
    """Add the lists of the module docstring to ``province``'s tables, in place."""
    rng = np.random.default_rng(seed)
    p = _People(tables)
    batches = _Batches(tables["registry_import_batch"])
    student, school_since = _students(rng, p)
    enrollments, employed = _employee_schemes(rng, p, student, batches)
    periods = _status_lists(rng, p, student, school_since, employed, batches)
    entries = _record_lists(rng, p, batches)
    for name, added in (
        ("registry_status_period", periods),
        ("registry_enrollment", enrollments),
        ("registry_roster_entry", entries),
    ):
        old = tables[name]
        first = int(pc.max(old.column("id")).as_py() or 0) + 1
        added = added.append_column("id", pa.array(np.arange(first, first + added.num_rows)))
        tables[name] = pa.concat_tables([old, conform(added, old.schema)])
    old = tables["registry_import_batch"]
    tables["registry_import_batch"] = pa.concat_tables([old, conform(batches.table(), old.schema)])


class _People:
    """The province's persons as NumPy arrays (person i has id i + 1)."""

    def __init__(self, tables: dict[str, pa.Table]):
        persons = tables["registry_person"]
        self.table = persons
        self.n = persons.num_rows
        self.birth = _days(persons.column("birth_date"))
        self.dead = _numpy(pc.is_valid(persons.column("death_date")))
        self.age = _years_on(self.birth, AS_OF)  # on the lists' date
        community = pc.fill_null(pc.ends_with(persons.column("village"), "社区"), False)
        self.community = _numpy(community)
        periods = tables["registry_status_period"]
        status = periods.column("status")
        holder = _numpy(periods.column("person_id")) - 1
        self.poor = self._having(holder[_numpy(pc.equal(status, "registered_poor"))])
        self.dibao = self._having(holder[_numpy(pc.equal(status, "dibao"))])
        self.tekun = self._having(holder[_numpy(pc.equal(status, "tekun"))])
        self.disabled = self._having(holder[_numpy(pc.equal(status, "severe_disability"))])
        enrollments = tables["registry_enrollment"]
        scheme = enrollments.column("scheme")
        enrolled = _numpy(enrollments.column("person_id")) - 1
        self.pension = self._having(enrolled[_numpy(pc.equal(scheme, "resident_pension"))])
        self.medical = self._having(enrolled[_numpy(pc.equal(scheme, "resident_medical"))])
        self.male = _numpy(pc.equal(persons.column("sex"), "M"))

    def _having(self, who: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.n, bool)
        mask[who] = True
        return mask


class _Batches:
    """The province's import batches and the ones added, numbered after them."""

    def __init__(self, existing: pa.Table):
        self.next = int(pc.max(existing.column("id")).as_py()) + 1
        self.rows: list[dict[str, object]] = []

    def add(self, source: str, as_of: date, rows: int) -> int:
        batch = self.next
        self.next += 1
        self.rows.append(
            {
                "id": batch,
                "source": source,
                "file_name": f"{source}-{as_of.isoformat()}.csv",
                "checksum": f"{batch:064x}",
                "as_of": as_of,
                "encoding": "gb18030",
                "rows_read": rows,
                "rows_accepted": rows,
                "rows_rejected": 0,
                "people_added": 0,
                "periods_opened": rows,
                "periods_closed": 0,
                "imported_by": "bench",
                "imported_at": datetime(as_of.year, as_of.month, as_of.day, 9, tzinfo=UTC),
                "mode": "snapshot",
                "region": "",
            }
        )
        return batch

    def table(self) -> pa.Table:
        return pa.Table.from_pylist(self.rows)


def _status_lists(
    rng: np.random.Generator,
    p: _People,
    student: np.ndarray,
    school_since: np.ndarray,
    employed: np.ndarray,
    batches: _Batches,
) -> pa.Table:
    """The added status lists' periods (module docstring), one list after another."""
    n, end = p.n, np.datetime64(AS_OF, "D")
    left = (
        ~student
        & ~p.dead
        & (p.age >= LEFT_SCHOOL_AGES[0])
        & (p.age <= LEFT_SCHOOL_AGES[1])
        & (rng.random(n) < LEFT_SCHOOL_SHARE)
    )
    share = np.where(p.community, shares.LOW_INCOME_IN_COMMUNITY, shares.LOW_INCOME_IN_VILLAGE)
    share = share * np.where(p.poor, shares.LOW_INCOME_IF_POOR, 1.0)
    low_income = ~p.dibao & ~p.tekun & (rng.random(n) < share)
    served = (p.age >= shares.VETERAN_AGE) & (p.male | (rng.random(n) < shares.VETERANS_FEMALE))
    veteran = _some(rng, served & ~employed, round(shares.VETERANS_SHARE * n))
    others = ~p.poor & ~p.dibao & ~p.tekun & ~low_income
    other_assistance = _some(rng, others, round(shares.OTHER_ASSISTANCE_SHARE * n))
    unable_share = np.where(p.disabled, shares.UNABLE_IF_SEVERE, shares.UNABLE_IF_NOT)
    unable = (p.age >= shares.ADULT_AGE) & (rng.random(n) < unable_share)

    lists = {
        "low_income_family": (low_income, _since(rng, p, date(2012, 1, 1))),
        "demobilized_14": (veteran, _since(rng, p, date(2012, 1, 1))),
        "other_assistance": (other_assistance, _since(rng, p, date(2015, 1, 1))),
        "student": (student | left, school_since),
        "unable_to_work": (unable, _since(rng, p, date(2010, 1, 1), shares.ADULT_AGE)),
    }
    parts = []
    for status, (held, since) in lists.items():
        department, source = STATUS_LISTS[status]
        who = np.flatnonzero(held)
        k = len(who)
        start = np.minimum(since[who], end)
        ended = left[who] if status == "student" else np.zeros(k, bool)
        if status == "student":  # the left ones: their last stage, closed by the autumn list
            start = np.where(ended, np.minimum(start, np.datetime64(LEFT_SCHOOL) - 365), start)
        parts.append(
            pa.table(
                {
                    "person_id": pa.array(who + 1),
                    "status": take([status], np.zeros(k, np.int64)),
                    "department": take([department], np.zeros(k, np.int64)),
                    "valid_from": _day_array(start),
                    "valid_to": _day_array(np.full(k, np.datetime64(LEFT_SCHOOL)), ~ended),
                    "exit_marked": pa.array(np.zeros(k, bool)),
                    "exit_date": pa.nulls(k, pa.date32()),
                    "batch_id": pa.array(np.full(k, batches.add(source, AS_OF, k))),
                }
            )
        )
    return pa.concat_tables(parts)


def _students(rng: np.random.Generator, p: _People) -> tuple[np.ndarray, np.ndarray]:
    """In school on the list's date by school stage, and the day the stage began
    (``doudi.synth.more_lists._students``' reading)."""
    born = p.birth.astype("datetime64[Y]").astype(np.int64) + 1970
    late = p.birth.astype("datetime64[M]").astype(np.int64) % 12 >= 8
    end = np.datetime64(AS_OF, "D")
    stage = np.full(p.n, -1, np.int64)
    since = np.full(p.n, end)
    for i, start in enumerate(shares.STAGE_START):
        year = born + start + late
        first_day = ((year - 1970).astype("datetime64[Y]").astype("datetime64[M]") + 8).astype(
            "datetime64[D]"
        )
        begun = first_day <= end
        stage[begun] = i
        since = np.where(begun, first_day, since)
    share = np.array(shares.IN_SCHOOL)[np.maximum(stage, 0)]
    living = ~p.dead & (stage >= 0) & (p.age <= shares.STUDENT_MAX_AGE)
    return living & (rng.random(p.n) < share), since


def _employee_schemes(
    rng: np.random.Generator, p: _People, student: np.ndarray, batches: _Batches
) -> tuple[pa.Table, np.ndarray]:
    """The employee pension and medical extracts' enrollments (module docstring), and
    who is in either scheme."""
    n = p.n
    working = (p.age >= WORKING_AGE[0]) & (p.age < WORKING_AGE[1])
    can = ~p.dead & ~student & (p.age >= 16)
    share = np.where(p.age >= 60, shares.EMPLOYEE_PENSION_RETIRED, shares.EMPLOYEE_PENSION_WORKING)
    pension = can & ~p.pension & (rng.random(n) < share)
    pension |= can & working & p.pension & (rng.random(n) < DOUBLE_ENROLLED)
    share = np.where(pension, shares.EMPLOYEE_MEDICAL_IF_PENSION, shares.EMPLOYEE_MEDICAL_IF_NOT)
    medical = can & ~p.medical & (rng.random(n) < share)
    medical |= can & working & p.medical & (rng.random(n) < DOUBLE_ENROLLED)
    parts = []
    region = p.table.column("hukou_region")
    for scheme, member, first in (
        ("employee_pension", pension, date(1995, 1, 1)),
        ("employee_medical", medical, date(1999, 1, 1)),
    ):
        who = np.flatnonzero(member)
        k = len(who)
        since = _since(rng, p, first, 16)[who]
        parts.append(
            pa.table(
                {
                    "person_id": pa.array(who + 1),
                    "scheme": take([scheme], np.zeros(k, np.int64)),
                    "region_code": region.take(pa.array(who)),
                    "valid_from": _day_array(since),
                    "valid_to": pa.nulls(k, pa.date32()),
                    "contribution_tier": pa.nulls(k, pa.decimal128(18, 2)),
                    "receiving": pa.array(np.zeros(k, bool)),
                    "batch_id": pa.array(np.full(k, batches.add(scheme, AS_OF, k))),
                }
            )
        )
    return pa.concat_tables(parts), pension | medical


def _record_lists(rng: np.random.Generator, p: _People, batches: _Batches) -> pa.Table:
    """The unemployment-insurance records and the certificates (module docstring)."""
    n = p.n
    working = (p.age >= WORKING_AGE[0]) & (p.age < WORKING_AGE[1])
    workers = np.flatnonzero(_some(rng, working, round(UNEMPLOYMENT_SHARE * n)))
    k = len(workers)
    rural = rng.random(k) < RURAL_CONTRACT
    at_unit = rng.integers(1, MONTHS_AT_UNIT + 1, k)
    unit_paid = rng.random(k) < UNIT_PAID
    paid_months = rng.integers(1, CONTRIBUTION_MONTHS + 1, k)
    insured = paid_months + rng.integers(0, MORE_INSURED + 1, k)
    u = rng.random(k)
    this_year, last_year = (
        u < ENDED_THIS_YEAR,
        (u >= ENDED_THIS_YEAR) & (u < ENDED_THIS_YEAR + ENDED_LAST_YEAR),
    )
    ended = this_year | last_year
    ending = np.where(
        ended, np.where(rng.random(k) < EXPIRED_SHARE, 0, 1), 2
    )  # CONTRACT_ENDINGS index
    end_date = np.where(
        this_year,
        _uniform_days(rng, date(YEAR, 1, 1), date(YEAR, 12, 31), k),
        _uniform_days(rng, date(YEAR - 1, 1, 1), date(YEAR - 1, 12, 31), k),
    )
    resident = rng.random(k) < 0.7
    unit = rng.integers(0, len(UNITS), k)
    updated = this_year | (~this_year & (rng.random(k) < UPDATED_SHARE))

    def records(rows: np.ndarray, older: bool, as_of: date) -> pa.Table:
        """The list's rows: ``older``, the 2017 list's row of a person updated in 2018."""
        back = np.where(older & updated, 12, 0)[rows]
        not_ended = (older & updated)[rows] | ~ended[rows]
        months = np.maximum(paid_months[rows] - back, 1)
        return _entries(
            p,
            workers[rows],
            batches.add("unemployment_records", as_of, len(rows)),
            unit_name=take(UNITS, unit[rows]),
            rural_contract_worker=pa.array(rural[rows]),
            months_at_unit=pa.array(np.maximum(at_unit[rows] - back, 1)),
            unit_paid=pa.array(unit_paid[rows]),
            contract_ending=take(
                ("expired_not_renewed", "terminated_early", "not_ended"),
                np.where(not_ended, 2, ending[rows]),
            ),
            contract_end_date=_day_array(end_date[rows], not_ended),
            insured_months=pa.array(np.maximum(insured[rows] - back, months)),
            contribution_months=pa.array(months),
            benefit_qualified=pa.array(~not_ended & (months >= 12)),
            medical_scheme=take(("employee", "resident"), resident[rows].astype(np.int64)),
            resident_medical_paid=pa.array(
                [RESIDENT_MEDICAL_PAID if r else None for r in resident[rows]],
                pa.decimal128(18, 2),
            ),
        )

    everyone = np.arange(k)
    parts = [
        records(everyone, True, date(YEAR - 1, 12, 31)),
        records(np.flatnonzero(updated), False, date(YEAR, 12, 31)),
    ]

    # certificates of the year: some of the workers, the others of working age
    count = round(CERTIFICATE_SHARE * n)
    of_workers = rng.choice(workers, min(round(count * CERTIFIED_WORKERS), k), replace=False)
    others = _some(rng, working, count - len(of_workers))
    others[of_workers] = False
    certified = np.concatenate([of_workers, np.flatnonzero(others)])
    second = rng.choice(certified, round(len(certified) * SECOND_CERTIFICATE), replace=False)
    old = np.flatnonzero(_some(rng, working, round(OLD_CERTIFICATE_SHARE * n)))
    holder = np.concatenate([certified, second, old])
    c = len(holder)
    this = np.arange(c) < len(certified) + len(second)
    issued = np.where(
        this,
        _uniform_days(rng, date(YEAR, 1, 1), date(YEAR, 12, 31), c),
        _uniform_days(rng, date(2015, 1, 1), date(YEAR - 1, 12, 31), c),
    )
    order = np.argsort(holder, kind="stable")
    holder, issued = holder[order], issued[order]
    level = rng.choice(LEVELS, c, p=LEVEL_WEIGHTS).astype(np.int16)
    parts.append(
        _entries(
            p,
            holder,
            batches.add("certificates", date(YEAR, 12, 31), c),
            certificate_level=pa.array(level),
            certificate_date=_day_array(issued),
            certificate_number=pa.array([f"{YEAR}36{i:010d}" for i in range(c)]),
        )
    )
    return pa.concat_tables(parts, promote_options="default")


def _entries(p: _People, who: np.ndarray, batch: int, **columns: pa.Array) -> pa.Table:
    """A record list's roster entries: the person's ID number, name and places as the
    list writes them, then the list's own columns."""
    persons, at = p.table, pa.array(who)
    k = len(who)
    return pa.table(
        {
            "batch_id": pa.array(np.full(k, batch)),
            "row_number": pa.array(np.arange(2, k + 2, dtype=np.int32)),
            "person_id": pa.array(who + 1),
            "id_number": persons.column("id_number").take(at),
            "name": persons.column("name").take(at),
            "region_code": persons.column("hukou_region").take(at),
            "county": persons.column("hukou_region").take(at),
            "township": persons.column("township").take(at),
            "village": persons.column("village").take(at),
            **columns,
        }
    )


def _since(rng: np.random.Generator, p: _People, first: date, from_age: int = 0) -> np.ndarray:
    """A list's dates from ``first`` to its date, not before the person reached
    ``from_age`` (``doudi.synth.more_lists._since``)."""
    earliest = p.birth + round(from_age * 365.2425)
    days = np.maximum(_uniform_days(rng, first, AS_OF, p.n), earliest)
    return np.minimum(days, np.datetime64(AS_OF, "D"))


def _uniform_days(rng: np.random.Generator, first: date, last: date, n: int) -> np.ndarray:
    lo = np.datetime64(first, "D")
    return lo + rng.integers(0, int((np.datetime64(last, "D") - lo).astype(np.int64)) + 1, n)


def _some(rng: np.random.Generator, candidates: np.ndarray, k: int) -> np.ndarray:
    chosen = np.zeros(len(candidates), bool)
    pool = np.flatnonzero(candidates)
    chosen[rng.choice(pool, min(k, len(pool)), replace=False)] = True
    return chosen


def _years_on(birth: np.ndarray, on: date) -> np.ndarray:
    """Completed years of age on ``on``."""
    month_start = birth.astype("datetime64[M]")
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    month = month_start.astype(np.int64) % 12 + 1
    day = (birth - month_start).astype(np.int64) + 1
    age: np.ndarray = on.year - year - (month * 100 + day > on.month * 100 + on.day)
    return age


def _days(column: pa.ChunkedArray) -> np.ndarray:
    return _numpy(column.cast(pa.int32()).fill_null(0)).astype("datetime64[D]")


def _numpy(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return np.asarray(values.to_numpy(zero_copy_only=False))


def _day_array(days: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype("datetime64[D]"), pa.date32(), mask=missing)
