"""A costing as an Excel workbook: 汇总 (per programme and payer, with a chart of the
baseline against the reform), 地区, 人群, 增减分布 (with a chart), 人员明细 and 说明.

The tables are ``costing.tables``'s and the rows ``costing.rows``'s; this module only
lays them out, through store/workbook.py (typed cells, formula-safe text, money to two
decimals). A sheet holds at most Excel's 1,048,575 rows below its header: a province's
人员明细 beyond that keeps the rows whose amount changed, then the first of them, and
说明 says so.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import xlsxwriter

from doudi.core import idnumber, vocab
from doudi.costing import tables
from doudi.costing.printout import counted
from doudi.costing.rows import detail
from doudi.costing.run import Costing
from doudi.store import workbook as export

SUMMARY = "汇总"
REGIONS = "地区"
GROUPS = "人群"
DISTRIBUTION = "增减分布"
ROWS = "人员明细"
NOTES = "说明"
#: Data rows a sheet can hold below its header row.
SHEET_ROWS = 1_048_575

MONEY_HEADERS = {
    "baseline": "基准金额（元）",
    "reform": "测算金额（元）",
    "difference": "差额（元）",
    "self_baseline": "个人应缴·基准（元）",
    "self_reform": "个人应缴·测算（元）",
    "self_difference": "个人应缴·差额（元）",
}
HEADERS = {
    **MONEY_HEADERS,
    "programme": "项目",
    "payer": "付款方",
    "level": "层级",
    "region_code": "区划代码",
    "county": "县(区)",
    "township": "乡镇(街道)",
    "village": "村(社区)",
    "status_group": "身份",
    "people": "人数",
    "gain": "增加人数",
    "lose": "减少人数",
    "bin": "变化区间（为其支付的金额）",
    "total_change": "变化合计（元）",
    "id_number": "公民身份号码",
    "name": "姓名",
    "baseline_basis": "基准依据条款",
    "reform_basis": "测算依据",
    "item": "事项",
    "text": "内容",
}


def title(found: Costing) -> str:
    return f"政策测算：{found.reform.name}（{found.region_name}{found.reform.year}年）"


def costing_workbook(found: Costing, path: Path, masked: bool = False) -> None:
    """The costing's workbook at ``path`` (xlsxwriter's error if it cannot be written:
    the command says it in Chinese, console.write_file); ``masked``: its ID numbers as
    every page shows them (3601**********1234), for a role that may not see them."""
    wb = export.new_workbook(path, title(found))
    try:
        fmt = export.Formats(wb)
        used: set[str] = set()

        def sheet(name: str, table: pa.Table) -> str:
            written = export.sheet_name(name, used)
            headers = [HEADERS.get(c, c) for c in table.column_names]
            export.write_sheet(wb, fmt, written, export.Sheet(name, table, headers))
            return written

        summary = found.by_payer.drop_columns(["programme_code", "payer_code"])
        _summary_chart(wb, fmt, sheet(SUMMARY, summary), found)
        sheet(REGIONS, found.by_region.drop_columns(["programme_code"]))
        groups = found.by_group.drop_columns(["status_group_code", "programme_code"])
        sheet(GROUPS, groups)
        _distribution_chart(wb, sheet(DISTRIBUTION, found.distribution), found)
        rows, cut = person_rows(found, masked)
        sheet(ROWS, rows)
        sheet(NOTES, notes(found, cut))
    finally:
        wb.close()


def person_rows(found: Costing, masked: bool = False) -> tuple[pa.Table, str | None]:
    """The 人员明细 sheet's rows, labelled (their ID numbers ``masked`` if asked), and
    what was left out to fit a sheet."""
    amounts = found.amounts
    cut = None
    if amounts.num_rows > SHEET_ROWS:
        # the changed rows are picked before the person columns are put beside them
        changed = amounts.filter(pc.not_equal(amounts.column("difference"), pa.scalar(0, MONEY)))
        cut = (
            f"人员明细共 {amounts.num_rows} 行，超过 Excel 工作表的 {SHEET_ROWS} 行："
            f"只列出金额有变化的 {changed.num_rows} 行"
        )
        rows = detail(changed, found.persons, found.programmes)
        if rows.num_rows > SHEET_ROWS:
            cut += f"中的前 {SHEET_ROWS} 行"
            rows = rows.slice(0, SHEET_ROWS)
    else:
        rows = found.rows
    programmes = {p.code: p.label_zh() for p in found.programmes}
    table = pa.table(
        {
            "id_number": _masked(rows.column("id_number")) if masked else rows.column("id_number"),
            "name": rows.column("name"),
            "county": rows.column("county"),
            "township": rows.column("township"),
            "village": rows.column("village"),
            "status_group": rows.column("status_group_name"),
            "programme": _labelled(rows.column("programme"), programmes),
            "payer": _labelled(rows.column("payer"), dict(vocab.PAYER)),
            "baseline": rows.column("baseline"),
            "reform": rows.column("reform"),
            "difference": rows.column("difference"),
            "baseline_basis": rows.column("baseline_basis"),
            "reform_basis": rows.column("reform_basis"),
        }
    )
    return table, cut


MONEY = pa.decimal128(18, 2)


def _labelled(codes: pa.ChunkedArray, labels: dict[str, str]) -> pa.Array:
    """Each code's label (the code itself where it has none), without a loop per row."""
    known = list(labels)
    at = pc.index_in(codes, value_set=pa.array(known, pa.string()))
    shown = pa.array([labels[c] for c in known], pa.string()).take(at)
    return pc.coalesce(shown, codes.cast(pa.string()))


def notes(found: Costing, cut: str | None) -> pa.Table:
    """说明: the reform, the people costed, the readings, the warnings."""
    reform = found.reform
    lines = [
        ("测算方案", reform.name),
        *((("说明", reform.description),) if reform.description else ()),
        ("基准", f"{reform.jurisdiction.name}（{reform.jurisdiction.code}）{reform.year}年规则"),
        *(("测算", line) for line in reform.changes_zh()),
        ("人群", f"{found.region} {found.region_name} 户籍登记人员 {found.people} 人"),
        ("增减", counted(found)),
        ("个人应缴", counted(found, "owed_change")),
        (
            "读法",
            "金额是登记库按计划的读法（plan.inputs）与计划的规则（plan.evaluation）算出的，"
            "未写入任何计划版本；付款方为个人应缴的是本人仍须缴纳的部分。增减按财政、基金、"
            "第三方为其支付的金额，各项目合计，测算减去基准；本人应缴的增减另计"
            "（docs/costing.md）。",
        ),
        *(("注意", note) for note in found.notes),
    ]
    if reform.other_rules:
        lines.append(
            (
                "读法",
                f"按{reform.rules.name}的规则测算{reform.jurisdiction.name}的人员：户籍、"
                f"参保地在{reform.jurisdiction.name}内的，视同{reform.rules.name}本地人员；"
                "名单中的身份、档次按登记库所载读取。",
            )
        )
    if cut:
        lines.append(("注意", cut))
    return pa.table(
        {"item": [k for k, _ in lines], "text": [v for _, v in lines]},
        schema=pa.schema([("item", pa.string()), ("text", pa.string())]),
    )


def _summary_chart(
    wb: xlsxwriter.Workbook, fmt: export.Formats, sheet: str, found: Costing
) -> None:
    """Clustered bars of each programme's payers (not the person's own part, not the
    totals), baseline against reform, from a block of chart data below the table."""
    lines = [
        line
        for line in found.by_payer.to_pylist()
        if line["payer_code"] not in (tables.EVERY, "self")
    ]
    if not lines:
        return
    ws = wb.get_worksheet_by_name(sheet)
    top = found.by_payer.num_rows + 2  # a blank row below the table
    ws.write_string(top, 0, "图表数据：各项目各付款方金额（不含个人应缴）", fmt.header)
    for c, head in enumerate(("项目·付款方", "基准金额（元）", "测算金额（元）"), start=1):
        ws.write_string(top + 1, c - 1, head, fmt.header)
    money = fmt.decimal(2)
    for i, line in enumerate(lines, start=top + 2):
        ws.write_string(i, 0, f"{line['programme']}·{line['payer']}", fmt.text)
        ws.write_number(i, 1, float(line["baseline"]), money)
        ws.write_number(i, 2, float(line["reform"]), money)
    first, last = top + 2, top + 1 + len(lines)
    chart = wb.add_chart({"type": "bar"})
    for c, name in ((1, "基准"), (2, "测算")):
        chart.add_series(
            {
                "name": name,
                "categories": [sheet, first, 0, last, 0],
                "values": [sheet, first, c, last, c],
            }
        )
    chart.set_title({"name": "各项目各付款方金额：基准与测算"})
    chart.set_x_axis({"name": "金额（元）", "num_format": "0.00"})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": min(max(320, 80 + 40 * len(lines)), 2000)})
    ws.insert_chart(1, found.by_payer.num_columns, chart)


def _distribution_chart(wb: xlsxwriter.Workbook, sheet: str, found: Costing) -> None:
    """Columns of how many people each bin of the change holds."""
    n = found.distribution.num_rows
    chart = wb.add_chart({"type": "column"})
    chart.add_series(
        {
            "name": "人数",
            "categories": [sheet, 1, 0, n, 0],
            "values": [sheet, 1, 1, n, 1],
            "data_labels": {"value": True},
        }
    )
    chart.set_title({"name": "测算前后个人增减分布（人数）"})
    chart.set_x_axis({"name": "变化区间（元）"})
    chart.set_y_axis({"name": "人数"})
    chart.set_legend({"none": True})
    chart.set_size({"width": 760, "height": 400})
    wb.get_worksheet_by_name(sheet).insert_chart(1, found.distribution.num_columns + 1, chart)


def _masked(numbers: pa.ChunkedArray) -> pa.Array:
    """ID numbers as the pages show them (core.idnumber.mask)."""
    return pa.array([idnumber.mask(n) for n in numbers.to_pylist()], pa.string())
