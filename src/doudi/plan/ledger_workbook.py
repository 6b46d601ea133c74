"""A plan version's ledger as an Excel workbook (管理台账): the sheets, their charts and
the 说明 sheet's readings. The tables themselves are :mod:`doudi.plan.ledger`'s; this
module only lays them out, so the ledger's queries and checks read on their own.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import xlsxwriter

from doudi.core import vocab
from doudi.plan.ledger import PAID_BY, UNNAMED, Ledger, headers, ledger
from doudi.store import db
from doudi.store import workbook as export

BEIJING = timezone(timedelta(hours=8))

#: Columns holding percentages (Decimal hundredths), shown as Excel percentages.
PERCENT = frozenset({"share"})

PEOPLE_TITLE = "台账"
REGIONS_TITLE = "分区统计"
PAYERS_TITLE = "付款方"
NOTES_TITLE = "说明"

#: The readings, as the workbook's 说明 sheet states them.
READINGS_ZH = (
    "人员范围：户籍在统筹地区内、本年度任一日持有建档立卡贫困人口、低保对象、特困人员、"
    "重度残疾人身份之一的人员，以及本版本有缴费记录的人员（未持有身份的参保人员仅有个人应缴）。",
    "身份、参保、缴费档次、死亡日期、所在地取自当前登记信息（参保为本年度任一日在保，"
    "档次为本计划所依据的最近一次参保记录的档次，不在本年度档次表内的不计）；金额为本版本计划金额。",
    "代缴对象：有政府代缴金额的人员；分区统计中的有身份人数为持有上述身份之一的人员。",
    "县(区)按户籍区划代码前6位；乡镇(街道)、村(社区)按名单所填名称在所属县(区)内汇总，"
    f"未填写的记为{UNNAMED}。",
    "各付款方金额之和等于政府代缴合计（每一行均已核对）；占比为占政府代缴合计的百分比，"
    "四舍五入保留两位小数。金额单位：元。",
    "人员标识：本年度任一日持有的各类身份（含在校学生、丧失劳动能力）；建档立卡贫困人口"
    "在本年度的记录均于12月31日前标注脱贫的，标识为标注脱贫，本版本仍有政府代缴金额的"
    "标识为“标注脱贫，仍享受政策”（攀人社发〔2018〕195号 六、（二））；1月1日已满60周岁的"
    "标识60周岁以上；本年度参保地不在户籍县(区)的标识异地参保；12月31日前死亡的标识已死亡"
    "并注明死亡日期。",
    "个人已缴为本年度已到账的个人缴费（银行代扣回盘及征缴系统缴费明细）；政府代缴入账为"
    "视同实收（个人部分足额到账后）或事后补助（本人已自行全额缴纳），见渝人社发〔2018〕82号。",
)


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
            sheet = export.Sheet(title, table, headers(table), percent)
            export.write_sheet(wb, fmt, names[title], sheet)
        _bar_chart(wb, names[REGIONS_TITLE], book)
        _pie_chart(wb, names[PAYERS_TITLE], book)
    finally:
        wb.close()


def _title(book: Ledger) -> str:
    v = book.version
    return f"{book.jurisdiction_name}{v['year']}年城乡居民养老保险缴费计划第{v['number']}版管理台账"


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
        ("缴费计划版本", f"第{v['number']}版"),
        ("统筹地区", f"{book.jurisdiction_name}（{v['jurisdiction']}）"),
        ("年度", f"{v['year']}年"),
        ("操作人", str(v["created_by"])),
        ("生成时间", created_text),
        ("输入校验和(SHA-256)", str(v["inputs_checksum"])),
        ("输入与当前登记信息一致", current),
        *((f"口径{i}", text) for i, text in enumerate(READINGS_ZH, start=1)),
    ]
    return pa.table(
        {
            "item": pa.array([k for k, _ in items], pa.string()),
            "content": pa.array([t for _, t in items], pa.string()),
        }
    )


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
    chart.set_title({"name": f"各{level}政府代缴金额（按付款方）"})
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
            "name": "政府代缴金额",
            "categories": [sheet, 1, name, n, name],
            "values": [sheet, 1, amount, n, amount],
            "data_labels": {"percentage": True, "leader_lines": True},
        }
    )
    chart.set_title({"name": "政府代缴资金付款方构成"})
    chart.set_legend({"position": "right"})
    chart.set_size({"width": 640, "height": 400})
    wb.get_worksheet_by_name(sheet).insert_chart(1, len(columns) + 1, chart)
