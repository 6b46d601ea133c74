"""A plan version's ledger as an Excel workbook (管理台账): the sheets, their charts and
the 说明 sheet's readings. The tables themselves are :mod:`doudi.plan.ledger`'s; this
module only lays them out, so the ledger's queries and checks read on their own. The
words are the version's programme's (:mod:`doudi.plan.ledger_terms`): a resident-medical
ledger is a 城乡居民医保缴费资助 ledger of 财政资助, and its 说明 names the programme, the
clauses its rows cite and the example values (local config) its amounts rest on.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import xlsxwriter

from doudi.core import vocab
from doudi.engine import backend
from doudi.plan.ledger import Ledger, ledger
from doudi.plan.ledger_terms import PAID_BY, headers
from doudi.policy import clauses, parameters, shown
from doudi.store import db
from doudi.store import workbook as export

BEIJING = timezone(timedelta(hours=8))

#: Columns holding percentages (Decimal hundredths), shown as Excel percentages.
PERCENT = frozenset({"share", "subsidy_share"})

PEOPLE_TITLE = "台账"
REGIONS_TITLE = "分区统计"
PAYERS_TITLE = "付款方"
NOTES_TITLE = "说明"


def ledger_workbook(database: db.Database, version_id: int, path: Path) -> None:
    """The ledger as an .xlsx: 台账, 分区统计 (with a clustered bar chart of the
    government amounts per county, or per township when there is one county), 付款方
    (with a pie chart) and 说明. Cells are written by store/workbook.py (typed cells,
    formula-injection escaping, 2-decimal money, shares as percentages)."""
    book = ledger(database, version_id)
    wb = export.new_workbook(path, _title(book))
    try:
        fmt = export.Formats(wb)
        used: set[str] = set()
        names: dict[str, str] = {}
        for title, table in (
            (PEOPLE_TITLE, book.people),
            (REGIONS_TITLE, book.by_region),
            (PAYERS_TITLE, book.by_payer),
            (NOTES_TITLE, _notes(book)),
        ):
            names[title] = export.sheet_name(title, used)
            percent = PERCENT & set(table.column_names)
            sheet = export.Sheet(title, table, headers(table, book.terms), percent)
            export.write_sheet(wb, fmt, names[title], sheet)
        _bar_chart(wb, names[REGIONS_TITLE], book)
        _pie_chart(wb, names[PAYERS_TITLE], book)
    finally:
        wb.close()


def _title(book: Ledger) -> str:
    v = book.version
    return f"{book.jurisdiction_name}{v['year']}年{book.terms.title_zh}第{v['number']}版管理台账"


def _notes(book: Ledger) -> pa.Table:
    """说明: what the workbook is, where it came from, and how it reads the registry."""
    v = book.version
    created = v["created_at"]
    if isinstance(created, datetime):
        created_text = created.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S") + "（北京时间）"
    else:
        created_text = str(created)
    current = (
        "是"
        if book.inputs_current
        else "否：登记信息在本版本生成后有变动，身份、参保等信息取自当前登记信息，"
        "金额仍为本版本计划金额；如需按新信息计算请重新生成缴费计划"
    )
    items = [
        ("台账", _title(book)),
        *(_programme_notes(book) if book.terms.describes_programme else []),
        (book.terms.version_zh, f"第{v['number']}版"),
        ("统筹地区", f"{book.jurisdiction_name}（{v['jurisdiction']}）"),
        ("年度", f"{v['year']}年"),
        ("操作人", str(v["created_by"])),
        ("生成时间", created_text),
        ("输入校验和(SHA-256)", str(v["inputs_checksum"])),
        ("输入与当前登记信息一致", current),
        *((f"口径{i}", text) for i, text in enumerate(book.terms.readings, start=1)),
    ]
    return pa.table(
        {
            "item": pa.array([k for k, _ in items], pa.string()),
            "content": pa.array([t for _, t in items], pa.string()),
        }
    )


def _programme_notes(book: Ledger) -> list[tuple[str, str]]:
    """计划项目, 依据条款 (the clauses the version's rows cite, with their document and
    section) and 示例参数: the values the programme's rules read that no document gives
    (local config, e.g. Jiangxi's split of the medical subsidy between the levels of
    finance: 赣财社〔2017〕29号 is not available) — an auditor must know which amounts
    rest on an example."""
    cited = sorted(
        {c for basis in book.people.column("basis").to_pylist() for c in (basis or "").split(";")}
        - {""}
    )
    return [
        ("计划项目", book.terms.label_zh()),
        ("依据条款", "；".join(_clause_zh(c) for c in cited) or "无"),
        ("示例参数", _local_config_zh(book)),
    ]


def _clause_zh(clause_id: str) -> str:
    """E.g. JX-2017-58/2.1.2（赣人社发〔2017〕58号 二、（一）2 资助贫困人员参加…）."""
    try:
        clause = clauses.get(clause_id)
    except clauses.UnknownClause:
        return clause_id
    heading = f" {clause.heading}" if clause.heading else ""
    return f"{clause_id}（{clause.citation()}{heading}）"


def _local_config_zh(book: Ledger) -> str:
    """The local-config values the programme's rules read for the version's jurisdiction
    and year (the compiled rules record them, as ``doudi evaluate`` flags them), as the
    policy gives them now: a version keeps its amounts, not the parameters' files."""
    v = book.version
    try:
        rules = backend.plan(str(v["jurisdiction"]), int(v["year"]))
    except parameters.ParameterError as exc:
        return f"无法列出（{exc}）"
    values = rules.params.local_config_used(book.terms.code)
    if not values:
        return "无：本版本所用参数均有文件依据"
    return "；".join(
        f"{parameters.name_zh(x.path, str(v['jurisdiction']))}：{_shown(x)}"
        f"（{x.path}，示例参数，需按本地政策配置）"
        for x in values
    )


def _shown(value: parameters.Value) -> str:
    """A value as a caseworker reads it (policy.shown: a payer split with the payers'
    names, amounts in 元, shares in %)."""
    described = parameters.describe(value.path, value.jurisdiction)
    return shown.text(value.path, value.value, described.unit if described else None)


def _bar_chart(wb: xlsxwriter.Workbook, sheet: str, book: Ledger) -> None:
    """Clustered bars, one series per payer, of the counties' (or, with a single
    county, the townships') government amounts, beside the 分区统计 table."""
    levels = book.by_region.column("level").to_pylist()
    counties = [i for i, lv in enumerate(levels) if lv == vocab.REGION_LEVEL["county"]]
    rows = (
        counties
        if len(counties) > 1
        else [i for i, lv in enumerate(levels) if lv == vocab.REGION_LEVEL["township"]]
    )
    if not rows or not book.payers:
        return
    level = vocab.REGION_LEVEL["county"] if rows is counties else vocab.REGION_LEVEL["township"]
    first, last = rows[0] + 1, rows[-1] + 1  # + 1: the header row
    columns = book.by_region.column_names
    name = columns.index("region_name")
    chart = wb.add_chart({"type": "bar"})
    for payer in book.payers:
        c = columns.index(PAID_BY + payer)
        chart.add_series(
            {
                "name": [sheet, 0, c],
                "categories": [sheet, first, name, last, name],
                "values": [sheet, first, c, last, c],
            }
        )
    chart.set_title({"name": f"各{level}{book.terms.amount_zh}金额（按付款方）"})
    chart.set_x_axis({"name": "金额（元）", "num_format": "0.00"})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    height = min(max(320, 60 + 18 * len(rows) * len(book.payers)), 2000)
    chart.set_size({"width": 720, "height": height})
    wb.get_worksheet_by_name(sheet).insert_chart(1, len(columns) + 1, chart)


def _pie_chart(wb: xlsxwriter.Workbook, sheet: str, book: Ledger) -> None:
    """The payers' shares of the government total, beside the 付款方 table."""
    n = book.by_payer.num_rows
    if not n:
        return
    columns = book.by_payer.column_names
    name, amount = columns.index("payer_name"), columns.index("amount")
    chart = wb.add_chart({"type": "pie"})
    chart.add_series(
        {
            "name": f"{book.terms.amount_zh}金额",
            "categories": [sheet, 1, name, n, name],
            "values": [sheet, 1, amount, n, amount],
            "data_labels": {"percentage": True, "leader_lines": True},
        }
    )
    chart.set_title({"name": f"{book.terms.amount_zh}资金付款方构成"})
    chart.set_legend({"position": "right"})
    chart.set_size({"width": 640, "height": 400})
    wb.get_worksheet_by_name(sheet).insert_chart(1, len(columns) + 1, chart)
