"""The Chinese sentence of each work-injury finding, and the clauses that decide it.

A caseworker reads one row and must know why it is there without opening the policy:
the dates and amounts that make the finding, the words of the document it breaks (the
clause's own, :mod:`doudi.work_injury.basis`) and the clause ids; a finding that rests
on an example parameter says so (示例参数，需按本地政策配置). The statuses are shown by
their Chinese labels.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa

from doudi.core import vocab
from doudi.work_injury.basis import LAW, Basis, advance_payment_clauses

Row = dict[str, Any]
Ids = tuple[str, ...]

#: What a finding resting on the example list of poor-worker statuses adds: in words,
#: not the parameter's path (the policy page gives the path to whoever configures it).
LOCAL_NOTE = "（“贫困劳动力”包括的身份为示例参数，需按本地政策配置）"


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _yuan(value: Decimal | None) -> str:
    return f"{value or Decimal(0):.2f}"


def _clauses(ids: tuple[str, ...]) -> str:
    return "（" + "、".join(ids) + "）"


def _who(row: Row) -> str:
    """李强（建档立卡贫困人口、低保对象）, or the name alone for someone not poor."""
    statuses = row.get("statuses") or ""
    return f"{row['name']}（{statuses}）" if statuses else row["name"]


def _cover(row: Row, as_of: date) -> str:
    """Why a project has no cover on the day."""
    if row["insured_from"] is None:
        return "未参加工伤保险"
    if row["insured_from"] > as_of:
        return f"工伤保险 {_day(row['insured_from'])} 才起保"
    return f"工伤保险保至 {_day(row['insured_to'])}"


def started_before_cover(row: Row, basis: Basis, ids: Ids, as_of: date) -> str:
    start = f"项目 {_day(row['start_date'])} 开工，"
    if row["insured_from"] is None:
        fact = f"截至 {_day(as_of)} 未参加工伤保险"
    else:
        fact = f"工伤保险 {_day(row['insured_from'])} 起保"
    return f"{start}{fact}，{basis.breach}{_clauses(ids)}"


def running_uncovered(row: Row, basis: Basis, ids: Ids, as_of: date) -> str:
    crew = f"，名册在岗 {row['workers_on_day']} 人" if row["workers_on_day"] else ""
    return (
        f"项目 {_day(row['start_date'])} 开工，{_cover(row, as_of)}{crew}，"
        f"{_day(as_of)} 在建无工伤保险{_clauses(ids)}"
    )


def poor_workers_uncovered(row: Row, basis: Basis, ids: Ids, as_of: date) -> str:
    return (
        f"{_who(row)} {_day(row['from_date'])} 起在项目“{row['project_name']}”"
        f"（{row['project_id']}）务工，该项目{_cover(row, as_of)}，"
        f"{_day(as_of)} 无工伤保险{_clauses(ids)}"
    )


def poor_off_roster(row: Row, basis: Basis, ids: Ids, as_of: date) -> str:
    return (
        f"{_who(row)} {_day(row['injury_date'])} 在“{row['employer']}”受伤，该单位承建名单中"
        f" {row['projects']} 个项目，但受伤当日不在其任何项目的实名制名册上，"
        f"应核实其务工项目并按项目参保{_clauses(ids)}"
    )


def _advance(row: Row, basis: Basis, ids: Ids, as_of: date) -> str:
    return (
        f"{_who(row)} {_day(row['injury_date'])} 受伤，{_day(row['recognition_date'])} "
        f"认定为工伤；用人单位“{row['employer']}”未参加工伤保险，也未支付工伤保险待遇，"
        f"属于工伤保险待遇先行支付情形，应由工伤保险基金先行支付"
        f"{_clauses(ids)}。"
        f"申请待遇 {_yuan(row['claimed'])} 元，截至 {_day(as_of)} 已先行支付 "
        f"{_yuan(row['paid'])} 元"
    )


def advance_payment_qualifying(row: Row, basis: Basis, ids: Ids, as_of: date) -> str:
    return _advance(row, basis, ids, as_of) + "。"


def advance_payment_due(row: Row, basis: Basis, ids: Ids, as_of: date) -> str:
    if not row["claimed"]:
        return _advance(row, basis, ids, as_of) + "，未填写申请待遇金额，尚未先行支付。"
    return _advance(row, basis, ids, as_of) + f"，尚有 {_yuan(row['shortfall'])} 元应先行支付。"


def recovery_outstanding(row: Row, basis: Basis, ids: Ids, as_of: date) -> str:
    employer = f"“{row['employer']}”" if row["employer"] else ""
    return (
        f"截至 {_day(as_of)} 工伤保险基金已先行支付 {_yuan(row['paid'])} 元"
        f"（最近一次 {_day(row['last_paid_on'])}），已追回 {_yuan(row['recovered'])} 元，"
        f"尚待用人单位{employer}偿还 {_yuan(row['outstanding'])} 元{_clauses(ids)}"
    )


def priority_queue(row: Row, basis: Basis, ids: Ids, as_of: date) -> str:
    recognised = f"{_day(row['recognition_date'])} 认定为工伤"
    if row["poor_worker"]:
        reason = f"{_who(row)}为贫困劳动力，{recognised}，优先支付工伤保险待遇"
    else:
        reason = f"{row['name']} {recognised}，非贫困劳动力，排在贫困劳动力之后"
    return f"第 {row['position']} 位：{reason}{_clauses(ids)}"


def pneumoconiosis(row: Row, basis: Basis, ids: Ids, as_of: date) -> str:
    return (
        f"{_who(row)} {_day(row['recognition_date'])} 认定为工伤尘肺病患者：疗效可靠的尘肺病"
        f"治疗药物、符合医疗诊疗规范的治疗技术和手段按规定纳入工伤保险基金支付范围，"
        f"请跟进其用药和治疗的支付{_clauses(ids)}"
    )


Explainer = Callable[[Row, Basis, Ids, date], str]

#: Per finding: its sentence, the clauses it cites, and whether it rests on the example
#: list of poor-worker statuses.
EXPLAINERS: dict[str, tuple[Explainer, Callable[[Basis], Ids], bool]] = {
    "started_before_cover": (started_before_cover, lambda b: (b.projects,), False),
    "running_uncovered": (running_uncovered, lambda b: (b.projects,), False),
    "poor_workers_uncovered": (poor_workers_uncovered, lambda b: (b.projects,), False),
    "poor_off_roster": (poor_off_roster, lambda b: (b.projects,), False),
    "advance_payment_qualifying": (advance_payment_qualifying, advance_payment_clauses, True),
    "advance_payment_due": (advance_payment_due, advance_payment_clauses, True),
    "recovery_outstanding": (recovery_outstanding, lambda b: (LAW,), False),
    "priority_queue": (priority_queue, lambda b: (b.priority,) if b.priority else (), True),
    "pneumoconiosis": (
        pneumoconiosis,
        lambda b: (b.pneumoconiosis,) if b.pneumoconiosis else (),
        False,
    ),
}


def _labels(statuses: list[str] | None) -> str:
    return "、".join(vocab.STATUS.get(s, s) for s in statuses or ())


def explained(
    name: str, table: pa.Table, basis: Basis, as_of: date, local: tuple[str, ...]
) -> pa.Table:
    """``table`` with its statuses in Chinese and two columns more: ``basis`` (the
    clause ids) and ``explanation``. ``local``: the example parameters the findings rest
    on (checks.py: only the poor-worker statuses can be), noted on the rows that use it."""
    if "statuses" in table.column_names:
        labels = pa.array([_labels(s) for s in table.column("statuses").to_pylist()], pa.string())
        table = table.set_column(table.column_names.index("statuses"), "statuses", labels)
    sentence, clauses, on_statuses = EXPLAINERS[name]
    note = LOCAL_NOTE if on_statuses and local else ""
    ids = clauses(basis)
    texts = [sentence(row, basis, ids, as_of) + note for row in table.to_pylist()]
    table = table.append_column(
        "basis", pa.array([list(ids)] * table.num_rows, pa.list_(pa.string()))
    )
    return table.append_column("explanation", pa.array(texts, pa.string()))
