"""``db.text_times`` formats each distinct time once (issue #25 §3): the text SQLite
keeps must be what formatting every row gives, nulls and chunks included."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from doudi.store import db

TIMES = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda t: t.replace(tzinfo=UTC)
)


class _Sqlite(db.Database):
    @property
    def dialect(self) -> str:
        return "sqlite"


@settings(deadline=None)  # the first call loads pyarrow's time zone data
@given(st.lists(st.lists(st.one_of(st.none(), TIMES), max_size=6), min_size=1, max_size=4))
def test_each_time_is_the_text_of_formatting_it_alone(chunks):
    kind = pa.timestamp("us", tz="UTC")
    column = pa.chunked_array([pa.array(c, kind) for c in chunks], kind)
    table = pa.table({"at": column, "n": pa.array(range(len(column)), pa.int64())})
    out = db.text_times(table, _Sqlite())
    expected = pc.strftime(column, format="%Y-%m-%d %H:%M:%S")
    assert out.column("at").to_pylist() == expected.to_pylist()
    assert out.column("n").to_pylist() == list(range(len(column)))


def test_the_text_is_django_s_with_microseconds():
    at = pa.array([datetime(2018, 3, 31, 8, 0, 0, 5, tzinfo=UTC)] * 3, pa.timestamp("us", "UTC"))
    out = db.text_times(pa.table({"at": at}), _Sqlite())
    assert out.column("at").to_pylist() == ["2018-03-31 08:00:00.000005"] * 3
