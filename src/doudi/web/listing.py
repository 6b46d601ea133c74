"""Lists that page and export: the one helper every list of the pages uses (people, the
comparison's findings, imports, plans, the audit log, a job's rows).

A list keeps its filters in the query string, so that a page can be bookmarked and sent
to a colleague: the pager's links carry them with only the page number changed, and the
export link carries them too. A page number that is no number, below one or past the
end shows the first or the last page with a Chinese note — never an error page, since
a bookmarked page 7 may have become page 5 by the time it is opened. The export writes
the same filtered rows (all of them, not the page shown) to an Excel sheet through
``store.workbook`` and records the download in the audit log, as every other download
is: a workbook leaves the application, and the audit must see it leave.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.core.paginator import Page, Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from doudi.store.workbook import Sheet, write_workbook
from doudi.web import audit

#: Rows on a page: a screen and a half of a table, what a caseworker scans at once.
PER_PAGE = 50
#: Rows an Excel sheet holds below its header (1,048,576 in all).
EXCEL_ROWS = 1_048_575


class BadFilter(ValueError):
    """A filter of the query string that cannot be read; the message is Chinese."""


@dataclass(frozen=True)
class Listing:
    """A page of a list with what its pager shows: the counts, the links to the other
    pages (carrying the filters), the note on a page number that was off, and the
    address of the filtered rows' export."""

    page: Page[Any]
    param: str  # the query parameter of the page number ("page", or one per list)
    query: QueryDict  # the filters, without this list's page number
    notice: str
    export_url: str

    @property
    def total(self) -> int:
        return int(self.page.paginator.count)

    def url(self, number: int) -> str:
        query = self.query.copy()
        if number > 1:
            query[self.param] = str(number)
        return f"?{query.urlencode()}" if query else "?"

    @property
    def first_url(self) -> str:
        return self.url(1)

    @property
    def previous_url(self) -> str:
        return self.url(self.page.number - 1)

    @property
    def next_url(self) -> str:
        return self.url(self.page.number + 1)

    @property
    def last_url(self) -> str:
        return self.url(self.page.paginator.num_pages)


def filters(request: HttpRequest, *drop: str) -> QueryDict:
    """The request's query string without empty values and without ``drop`` (page
    numbers): what a link to the same list, filtered the same way, carries."""
    kept = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        given = [v for v in values if v]
        if key not in drop and given:
            kept.setlist(key, given)
    return kept


def page_number(text: str, pages: int) -> tuple[int, str]:
    """The page to show for the query's ``text`` of ``pages``, and the Chinese note when
    it is not the one asked for."""
    if not text:
        return 1, ""
    try:
        number = int(text)
    except ValueError:
        return 1, f"页码“{text[:20]}”无效，已显示第 1 页。"
    if number < 1:
        return 1, "页码从 1 开始，已显示第 1 页。"
    if number > pages:
        return pages, f"共 {pages} 页，已显示最后一页（第 {pages} 页）。"
    return number, ""


def paginate(
    request: HttpRequest,
    rows: Sequence[Any] | Any,
    *,
    export: str = "",
    param: str = "page",
) -> Listing:
    """A page of ``rows`` (a QuerySet, a list, or any sliceable object with ``count()``:
    Django's Paginator counts once and slices the page alone). ``export``: the export's
    path; its link gets the same filters."""
    paginator = Paginator(rows, PER_PAGE)
    number, notice = page_number(request.GET.get(param, ""), paginator.num_pages)
    # an export takes every row however the pages are cut: no page number at all
    query = filters(request, param)
    exported = filters(request, *[k for k in request.GET if k == "page" or k.endswith("_page")])
    export_url = f"{export}?{exported.urlencode()}" if export and exported else export
    return Listing(paginator.page(number), param, query, notice, export_url)


def day(request: HttpRequest, name: str, label: str) -> date | None:
    """The date of the query parameter ``name`` (``2018-03-10``), None when empty;
    :class:`BadFilter` naming ``label`` when it is no date."""
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadFilter(f"{label}“{text[:20]}”无效，请按 2018-03-10 的格式填写日期。") from None


def year(request: HttpRequest, name: str, label: str) -> int | None:
    """The year of the query parameter ``name``, None when empty; :class:`BadFilter`
    when it is not a year of four digits."""
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    if not (text.isdigit() and len(text) == 4):
        raise BadFilter(f"{label}“{text[:20]}”无效，应为四位数字的年份，如 2018。")
    return int(text)


@dataclass(frozen=True)
class Column:
    """A column of an export: the row's key, its Chinese header, its Arrow type (text,
    a count, a date, money as a Decimal: store.workbook writes each as its type)."""

    key: str
    header: str
    kind: pa.DataType = field(default_factory=pa.string)


def _typed(value: Any, kind: pa.DataType) -> Any:
    """A value a page keeps as text ("130.00", "2018-03-10") as its column's type: an
    amount Excel can add, a date it can sort."""
    if not isinstance(value, str) or pa.types.is_string(kind):
        return value
    if not value:
        return None
    if pa.types.is_decimal(kind):
        return Decimal(value)
    if pa.types.is_date(kind):
        return date.fromisoformat(value)
    return value


def sheet(title: str, columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> Sheet:
    """The rows (dicts) as a sheet of ``columns``."""
    schema = pa.schema([(c.key, c.kind) for c in columns])
    typed = [{c.key: _typed(r.get(c.key), c.kind) for c in columns} for r in rows]
    return Sheet(title, pa.Table.from_pylist(typed, schema), [c.header for c in columns])


def export(
    request: HttpRequest,
    *,
    what: str,
    count: int,
    make: Callable[[], Sheet],
    table: str,
    row: int | None = None,
    shown: Sequence[tuple[str, str]] = (),
) -> HttpResponse:
    """The filtered rows of a list as ``what``.xlsx, audited (a download, its filters
    and rows); refused in Chinese (400) past what one sheet holds. ``make`` builds the
    sheet only once the count is known to fit; ``shown``: the filters as (label, value)
    for the audit row; ``table`` and ``row``: what the audit row is about."""
    if count > EXCEL_ROWS:
        message = (
            f"筛选出的{what}共 {count} 行，超过 Excel 一个工作表的上限 {EXCEL_ROWS} 行，"
            "请缩小筛选范围后再导出。"
        )
        return refused(request, "无法导出", message)
    with tempfile.TemporaryDirectory(prefix="doudi-export-") as directory:
        path = Path(directory) / "export.xlsx"
        write_workbook(path, [make()], title=what)
        content = path.read_bytes()
    described = "，".join(f"{label}：{value}" for label, value in shown if value) or "全部"
    audit.record(request, "download", table, row, f"导出{what}（{described}）共 {count} 行")
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=f"{what}.xlsx")


def refused(request: HttpRequest, title: str, message: str) -> HttpResponse:
    """A Chinese page that says why a list or its export cannot be given, with a link
    back to the page the user came from (of this site only)."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    context = {"title": title, "message": message, "back": back}
    return render(request, "web/refused.html", context, status=400)
