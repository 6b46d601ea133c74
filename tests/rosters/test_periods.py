"""Status periods from department snapshots (rosters/periods.py): dynamic management.

Each snapshot lists who is on a department's list as of a day; a person's period
runs from the first snapshot that lists them to the first later snapshot of the
same county that does not.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from doudi.rosters import periods

MARCH, JUNE, SEPT = date(2018, 3, 31), date(2018, 6, 30), date(2018, 9, 30)


def snapshots(lists: dict[int, tuple[date, list[int], str]], since=None):
    """batch id -> (as_of, person ids on it, county)."""
    batches = pa.table(
        {
            "batch_id": pa.array(list(lists), pa.int64()),
            "as_of": pa.array([v[0] for v in lists.values()], pa.date32()),
        }
    )
    scope = pa.table(
        {
            "batch_id": pa.array(list(lists), pa.int64()),
            "county": [v[2] for v in lists.values()],
        }
    )
    rows = [(b, p, v[2]) for b, v in lists.items() for p in v[1]]
    since = since or {}
    entries = pa.table(
        {
            "batch_id": pa.array([r[0] for r in rows], pa.int64()),
            "person_id": pa.array([r[1] for r in rows], pa.int64()),
            "county": [r[2] for r in rows],
            "since": pa.array([since.get((r[0], r[1])) for r in rows], pa.date32()),
            "exit_marked": pa.array([None] * len(rows), pa.bool_()),
            "exit_date": pa.array([None] * len(rows), pa.date32()),
            "region_code": pa.array([r[2] for r in rows], pa.string()),
            "contribution_tier": pa.array([None] * len(rows), pa.decimal128(18, 2)),
            "receiving": pa.array([None] * len(rows), pa.bool_()),
        }
    )
    return periods.derive(batches, scope, entries)


def spans(t: pa.Table) -> set[tuple[int, date, date | None]]:
    return {(r["person_id"], r["valid_from"], r["valid_to"]) for r in t.to_pylist()}


def test_a_person_missing_from_a_newer_list_is_closed_at_its_as_of_date():
    out = snapshots({1: (MARCH, [10, 11], "360102"), 2: (JUNE, [10], "360102")})
    assert spans(out) == {(10, MARCH, None), (11, MARCH, JUNE)}


def test_a_late_older_snapshot_takes_its_place_in_order():
    # June arrives first, then March: person 11 was on March's list only
    in_order = snapshots({1: (MARCH, [10, 11], "360102"), 2: (JUNE, [10], "360102")})
    late = snapshots({2: (JUNE, [10], "360102"), 1: (MARCH, [10, 11], "360102")})
    assert spans(late) == spans(in_order)


def test_another_countys_list_does_not_close_anyone():
    out = snapshots({1: (MARCH, [10], "360102"), 2: (JUNE, [20], "360103")})
    assert spans(out) == {(10, MARCH, None), (20, JUNE, None)}


def test_someone_who_returns_gets_a_second_period():
    out = snapshots(
        {1: (MARCH, [10], "360102"), 2: (JUNE, [], "360102"), 3: (SEPT, [10], "360102")}
    )
    assert spans(out) == {(10, MARCH, JUNE), (10, SEPT, None)}


def test_the_same_list_sent_again_for_a_later_date_is_a_snapshot_of_its_own():
    # the unchanged March list re-sent as of September (batch 3, the same people):
    # 11, whom June's list closed, is open again from September
    out = snapshots(
        {
            1: (MARCH, [10, 11], "360102"),
            2: (JUNE, [10], "360102"),
            3: (SEPT, [10, 11], "360102"),
        }
    )
    assert spans(out) == {(10, MARCH, None), (11, MARCH, JUNE), (11, SEPT, None)}


def test_the_date_on_the_list_starts_the_period_when_it_is_not_later():
    # 纳入时间 2015-07-01 on the first list: on dibao since then, not since March 2018
    out = snapshots({1: (MARCH, [10], "360102")}, since={(1, 10): date(2015, 7, 1)})
    assert spans(out) == {(10, date(2015, 7, 1), None)}


def test_a_stated_start_before_an_absence_does_not_reach_back_over_it():
    # back on the September list with the old 纳入时间: the period starts in September,
    # since June's list did not have the person
    out = snapshots(
        {1: (MARCH, [10], "360102"), 2: (JUNE, [], "360102"), 3: (SEPT, [10], "360102")},
        since={(3, 10): date(2015, 7, 1)},
    )
    assert spans(out) == {(10, MARCH, JUNE), (10, SEPT, None)}


def test_diff_opens_closes_and_leaves_the_unchanged_alone():
    old = pa.table(
        {
            "id": pa.array([1, 2], pa.int64()),
            "person_id": pa.array([10, 11], pa.int64()),
            "valid_from": pa.array([MARCH, MARCH], pa.date32()),
            "valid_to": pa.array([None, None], pa.date32()),
            "exit_marked": [False, False],
            "exit_date": pa.array([None, None], pa.date32()),
        }
    )
    new = snapshots(
        {1: (MARCH, [10, 11], "360102"), 2: (JUNE, [10, 12], "360102")},
    )
    changes = {(r["person_id"], r["change"]) for r in periods.diff(old, new).to_pylist()}
    assert changes == {(11, "close"), (12, "open")}


def test_a_later_list_without_the_stated_start_keeps_the_first_lists_date():
    out = snapshots(
        {1: (MARCH, [10], "360102"), 2: (JUNE, [10], "360102")},
        since={(1, 10): date(2015, 7, 1)},
    )
    assert spans(out) == {(10, date(2015, 7, 1), None)}
