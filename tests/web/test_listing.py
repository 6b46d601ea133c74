"""The pieces every list is made of (issue #23 §2–3), without a registry: the page a
query's page number shows (web/listing.py), the links that carry the filters, the
export's typed cells, a job's Parquet read a page at a time (web/stored_rows.py) and
an audit row's detail as a sentence (web/audit_log.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest


@pytest.mark.parametrize(
    ("text", "shown", "note"),
    [
        ("", 1, ""),
        ("2", 2, ""),
        ("3", 3, ""),
        ("abc", 1, "页码“abc”无效，已显示第 1 页。"),
        ("0", 1, "页码从 1 开始，已显示第 1 页。"),
        ("-2", 1, "页码从 1 开始，已显示第 1 页。"),
        ("4", 3, "共 3 页，已显示最后一页（第 3 页）。"),
        ("99999", 3, "共 3 页，已显示最后一页（第 3 页）。"),
    ],
)
def test_a_page_number_off_the_list_shows_the_nearest_page_with_a_note(_django, text, shown, note):
    from doudi.web.listing import page_number

    assert page_number(text, 3) == (shown, note)


def test_the_pager_links_carry_the_filters_and_change_only_the_page(_django):
    from django.test import RequestFactory

    from doudi.web.listing import paginate

    request = RequestFactory().get("/x/", {"q": "张", "empty": "", "other_page": "2", "page": "2"})
    # 120 rows of 50 a page: page 2 of 3
    shown = paginate(request, list(range(120)), export="/x/export/", param="page")
    assert (shown.total, shown.page.number, shown.page.paginator.num_pages) == (120, 2, 3)
    assert list(shown.page) == list(range(50, 100))
    assert shown.first_url == "?q=%E5%BC%A0&other_page=2"  # page 1: no page number
    assert shown.next_url == "?q=%E5%BC%A0&other_page=2&page=3"
    assert shown.last_url == shown.next_url
    # the export takes every row: no page number of any list on the page
    assert shown.export_url == "/x/export/?q=%E5%BC%A0"


def test_a_filter_that_is_no_date_or_year_is_refused_in_chinese(_django):
    from django.test import RequestFactory

    from doudi.web.listing import BadFilter, day, year

    request = RequestFactory().get("/x/", {"since": "2018-02-30", "y": "18", "ok": "2018-03-10"})
    assert day(request, "ok", "起始日期") == date(2018, 3, 10)
    assert day(request, "missing", "起始日期") is None
    with pytest.raises(BadFilter, match="起始日期“2018-02-30”无效"):
        day(request, "since", "起始日期")
    with pytest.raises(BadFilter, match="年度“18”无效，应为四位数字的年份"):
        year(request, "y", "年度")


def test_an_exports_cells_keep_their_types(_django):
    """Money the pages keep as text is a number in Excel, a date a date, an empty cell
    of a date column empty."""
    from doudi.web.listing import Column, sheet

    columns = (
        Column("name", "姓名"),
        Column("owed", "应缴（元）", pa.decimal128(18, 2)),
        Column("on", "日期", pa.date32()),
    )
    rows = [
        {"name": "甲", "owed": "130.50", "on": "2018-03-10"},
        {"name": "", "owed": None, "on": ""},
    ]
    made = sheet("清单", columns, rows)
    assert made.headers == ["姓名", "应缴（元）", "日期"]
    assert made.table.to_pylist() == [
        {"name": "甲", "owed": Decimal("130.50"), "on": date(2018, 3, 10)},
        {"name": "", "owed": None, "on": None},
    ]


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    """120 rows: towns A and B alternate, numbers 0 … 119."""
    path = tmp_path / "rows.parquet"
    pq.write_table(
        pa.table({"n": list(range(120)), "town": ["A", "B"] * 60, "id_number": ["x"] * 120}), path
    )
    return path


def test_stored_rows_are_counted_filtered_and_read_a_page_at_a_time(stored):
    from doudi.web.stored_rows import ParquetRows

    rows = ParquetRows(stored, {"town": "B", "no_such_column": "x"})
    assert rows.count() == 60 and rows.counts("town") == {"A": 60, "B": 60}
    assert [r["n"] for r in rows[0:3]] == [1, 3, 5]  # the file's order
    assert [r["n"] for r in rows[58:100]] == [117, 119]
    assert ParquetRows(stored, {"town": ""}).count() == 120  # an empty filter: all


def test_stored_rows_show_what_users_may_see_and_link_from_what_is_stored(stored):
    from doudi.web.stored_rows import ParquetRows

    def shown(table: pa.Table) -> pa.Table:
        return table.drop_columns(["id_number"])

    rows = ParquetRows(
        stored, {"town": "A"}, shown, lambda t: [f"#{n}" for n in t["n"].to_pylist()]
    )
    assert rows[0:2] == [
        {"n": 0, "town": "A", "person": "#0"},
        {"n": 2, "town": "A", "person": "#2"},
    ]
    assert rows.table().column_names == ["n", "town"] and rows.table().num_rows == 60


@pytest.mark.parametrize(
    ("action", "detail", "sentence"),
    [
        (
            "open",
            '{"person_id":12,"what":"dibao","from":"2016-06-01","to":null,"was_to":null}',
            "低保对象身份开始：自 2016-06-01 起",
        ),
        (
            "open",
            '{"person_id":12,"what":"resident_pension","from":"2015-01-01","to":"2017-12-31"}',
            "城乡居民基本养老保险参保开始：自 2015-01-01 起，至 2017-12-31 止",
        ),
        (
            "close",
            '{"person_id":12,"what":"registered_poor","from":"2016-06-01","to":"2018-06-30"}',
            "建档立卡贫困人口身份结束：2016-06-01 起的期间止于 2018-06-30",
        ),
        (
            "change",
            '{"person_id":1,"what":"tekun","from":"2016-01-01","to":null,"was_to":"2017-01-01"}',
            "特困人员身份期间变更：2016-01-01 起的期间止于 （未结束）（原为 2017-01-01）",
        ),
        (
            "remove",
            '{"person_id":1,"what":"dibao","from":"2016-01-01","to":null,"was_to":null}',
            "低保对象身份期间撤销：原为 2016-01-01 至 今",
        ),
        (
            "add_person",
            '{"id_number":"360102199001011234","detail":"新增人员 张三"}',
            "新增人员 张三",
        ),
        (
            "death",
            '{"id_number":"360102199001011234","detail":"死亡日期 2018-02-01"}',
            "死亡日期 2018-02-01",
        ),
        ("unmask", "查看完整身份证号", "查看完整身份证号"),
        ("download", "下载 台账-360102199001011234.xlsx", "下载 台账-3601**********1234.xlsx"),
        ("insert", "{not json", "{not json"),
    ],
)
def test_an_audit_rows_detail_reads_as_a_sentence_with_numbers_masked(
    _django, action, detail, sentence
):
    from doudi.web.audit_log import sentence as read

    assert read(action, detail) == sentence
