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


def snapshots(lists: dict[int, tuple[date, list[int], str]], since=None, addenda=()):
    """batch id -> (as_of, person ids on it, county); ``addenda``: the batch ids that are
    addenda (closing nowhere), the others snapshots closing in their county."""
    batches = pa.table(
        {
            "batch_id": pa.array(list(lists), pa.int64()),
            "as_of": pa.array([v[0] for v in lists.values()], pa.date32()),
            "closes": pa.array([None if b in addenda else v[2] for b, v in lists.items()]),
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


def test_an_addendum_opens_and_keeps_but_never_closes():
    # issue #19 §2: a list of this month's new people (batch 2, an addendum) closes
    # nobody the March snapshot listed; 12 joins from June
    out = snapshots({1: (MARCH, [10, 11], "360102"), 2: (JUNE, [12], "360102")}, addenda={2})
    assert spans(out) == {(10, MARCH, None), (11, MARCH, None), (12, JUNE, None)}


def test_a_snapshot_after_an_addendum_still_closes_those_it_no_longer_lists():
    out = snapshots(
        {
            1: (MARCH, [10, 11], "360102"),
            2: (JUNE, [12], "360102"),
            3: (SEPT, [10], "360102"),
        },
        addenda={2},
    )
    assert spans(out) == {(10, MARCH, None), (11, MARCH, SEPT), (12, JUNE, SEPT)}


def test_a_snapshots_row_outside_its_region_opens_but_closes_no_one_of_that_county():
    # a county file (360102) with one row of another district (person 21 of 360103):
    # it covers 360103, but its region is 360102, so 20 of 360103 stays open
    batches = pa.table(
        {
            "batch_id": pa.array([1, 2], pa.int64()),
            "as_of": pa.array([MARCH, JUNE], pa.date32()),
            "closes": ["360103", "360102"],
        }
    )
    scope = pa.table(
        {"batch_id": pa.array([1, 2, 2], pa.int64()), "county": ["360103", "360102", "360103"]}
    )
    rows = [(1, 20, "360103"), (2, 10, "360102"), (2, 21, "360103")]
    entries = pa.table(
        {
            "batch_id": pa.array([r[0] for r in rows], pa.int64()),
            "person_id": pa.array([r[1] for r in rows], pa.int64()),
            "county": [r[2] for r in rows],
            "since": pa.nulls(3, pa.date32()),
            "exit_marked": pa.nulls(3, pa.bool_()),
            "exit_date": pa.nulls(3, pa.date32()),
            "region_code": [r[2] for r in rows],
            "contribution_tier": pa.nulls(3, pa.decimal128(18, 2)),
            "receiving": pa.nulls(3, pa.bool_()),
        }
    )
    out = periods.derive(batches, scope, entries)
    assert spans(out) == {(20, MARCH, None), (10, JUNE, None), (21, JUNE, None)}
