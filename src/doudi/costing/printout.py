"""A costing as the terminal shows it: the reform, the people costed, each programme's
payers (baseline, reform, difference), who gains and loses, the warnings, and the
person asked about with both explanations. Chinese, amounts to the fen."""

from __future__ import annotations

from decimal import Decimal

from doudi.core import vocab
from doudi.costing import tables
from doudi.costing.run import Costing


def signed(amount: Decimal) -> str:
    """A difference with its sign: +100.00, -22100.00, 0.00."""
    return f"+{amount:.2f}" if amount > 0 else f"{amount:.2f}"


def counted(found: Costing, column: str = "change") -> str:
    """增加 n 人，减少 m 人，不变 k 人 (``Costing.counts``)."""
    more, less, same = found.counts(column)
    return f"增加 {more} 人，减少 {less} 人，不变 {same} 人"


def lines(found: Costing) -> list[str]:
    reform = found.reform
    out = [f"政策测算：{reform.name}"]
    if reform.description:
        out.append(f"  {reform.description}")
    out.append(
        f"  基准：{reform.jurisdiction.name}（{reform.jurisdiction.code}）{reform.year}年规则"
    )
    out += [f"  测算：{line}" for line in reform.changes_zh()]
    if reform.other_rules:
        out.append(
            f"  （按{reform.rules.name}的规则对待{reform.jurisdiction.name}的人员：户籍、参保地在"
            f"{reform.jurisdiction.name}内的，视同{reform.rules.name}本地人员，docs/costing.md）"
        )
    out.append(
        f"  人群：{found.region} {found.region_name} 户籍登记人员 {found.people} 人"
        "（只读测算，未写入任何计划版本）"
    )
    current = None
    for line in found.by_payer.to_pylist():
        if line["programme_code"] != current and line["programme_code"] != tables.EVERY:
            current = line["programme_code"]
            out.append(line["programme"])
        indent = "  " if line["programme_code"] != tables.EVERY else ""
        head = line["payer"] if indent else f"{line['programme']}{line['payer']}"
        out.append(
            f"{indent}{head}：基准 {line['baseline']:.2f} 元，测算 {line['reform']:.2f} 元，"
            f"差额 {signed(line['difference'])} 元"
        )
    out.append(f"增减（财政、基金、第三方为其支付的金额，各项目合计）：{counted(found)}")
    out.append(f"个人应缴：{counted(found, 'owed_change')}")
    if found.notes:
        out.append("注意：")
        out += [f"  - {note}" for note in found.notes]
    if found.person is not None:
        out += person_lines(found)
    return out


def person_lines(found: Costing) -> list[str]:
    """The person asked about: each row's two amounts, then both explanations."""
    person = found.person
    if person is None:
        return []
    out = [f"■ {person.name}（{person.id_number}）"]
    mine = found.person_rows(person.person_id).to_pylist()
    labels = {p.code: p.label_zh() for p in found.programmes}
    for r in mine:
        out.append(
            f"  {labels.get(r['programme'], r['programme'])} {vocab.PAYER.label(r['payer'])}："
            f"基准 {r['baseline']:.2f} 元，测算 {r['reform']:.2f} 元，"
            f"差额 {signed(r['difference'])} 元"
        )
        out.append(
            f"    基准依据 {r['baseline_basis'] or '（无）'}；"
            f"测算依据 {r['reform_basis'] or '（无）'}"
        )
    if not mine:
        out.append("  基准与测算均无缴费、代缴或资助记录")
    for heading, before, after in person.explanations():
        out.append(f"【{heading}·基准】{before}")
        out.append(f"【{heading}·测算】{after}")
    return out
