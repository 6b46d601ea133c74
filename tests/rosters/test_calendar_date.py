"""``checks.calendar_date``, the dates of ID numbers and date cells without DuckDB's
``try`` (issue #25 §3): the same day as ``datetime.date`` for every year, month and day
there is, and null for each the calendar has not (month 13, 31 April, 29 February of a
year not leap, 1900 and 2100 included)."""

from __future__ import annotations

from datetime import date

import duckdb

from doudi.rosters.checks import calendar_date

YEARS = (1, 4, 1900, 1996, 2000, 2019, 2020, 2100, 2400, 9999)


def expected(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def test_calendar_date_is_the_day_datetime_gives_or_null():
    con = duckdb.connect()
    got = con.sql(
        "SELECT y, m, d, " + calendar_date("y", "m", "d") + " FROM "
        f"(SELECT unnest({list(YEARS)}) AS y), range(0, 15) AS ms(m), range(0, 34) AS ds(d)"
    ).fetchall()
    assert len(got) == len(YEARS) * 15 * 34
    assert [(y, m, d, day) for y, m, d, day in got] == [
        (y, m, d, expected(y, m, d)) for y, m, d, _ in got
    ]
    assert sum(day is None for *_, day in got) > 0


def test_calendar_date_is_null_where_a_part_is():
    con = duckdb.connect()
    assert con.execute("SELECT " + calendar_date("NULL", "2", "1")).fetchone() == (None,)
    assert con.execute("SELECT " + calendar_date("2018", "NULL", "1")).fetchone() == (None,)
