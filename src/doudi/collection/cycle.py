"""Chongqing's withholding cycle for the targets' self-paid remainders (CQ-2018-82/2.1.1):
what every step of it shares — its codes, its error, its calendar and its audit line.

The sentences the cycle carries out (渝人社发〔2018〕82号 二、（一）1):

- 各区县社保局……对代缴对象生成剩余自付参保费用的缴费计划，通过委托银行在参保人员开设的
  银行账户中代扣代缴，参保人员应于当年11月30日前在银行账户中足额存入剩余自付参保费用。
  → :func:`doudi.collection.withholding.export_withholding` writes the request file of a
  plan version's targets who still owe a remainder (collection.bankfile).
- 各区县社保局在足额收到个人缴费后，从到款的当月……应享受的政府代缴……作视同实收处理。
  → :func:`doudi.collection.returns.import_return` books the bank's return (paid, partly
  paid, failed), and :func:`doudi.collection.booking.book` books each government part as
  ``deemed_received`` on the day the personal part was complete.
- 对已自行全额缴纳完清……的代缴对象，采取事后补助的方式给予补助 → a target whose own
  payments (the collection system's records,
  :func:`doudi.collection.payments.import_payments`) cover the whole contribution gets
  each government part as ``post_hoc_subsidy``.
- 每年9月20日前……将截止8月31日的实际代缴和事后应补助人员及费用汇总分别交区县民政局、
  扶贫办……当年8月31日以后……纳入次年清算 →
  :func:`doudi.collection.statement.cutoff_statement`.

Readings (docs/bank.md): a target whose remainder is 0.00 (特困人员 at the minimum
tier) has nothing to wait for and is booked on the day the cycle first books them
(the export's day); a booking is made once per plan version, person and payer and
never moved; a return line is booked once (its reference is unique), so importing
the same return, or another return repeating a line, books nothing twice. Every
step is one transaction: a bad file books nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa

from doudi.policy.params import MissingParameter, Params
from doudi.store import db

SCHEME = "resident_pension"
BASIS = "CQ-2018-82/2.1.1"
DEEMED, POST_HOC = "deemed_received", "post_hoc_subsidy"


class BankError(ValueError):
    """The step cannot be done (str() is Chinese first); nothing was written."""


@dataclass(frozen=True)
class Calendar:
    """The cycle's dates of a jurisdiction and year, from its parameters."""

    deposit_deadline: date
    cutoff: date
    report_due: date

    @classmethod
    def of(cls, jurisdiction: str, year: int) -> Calendar:
        p = Params(jurisdiction, year)
        try:
            days = [
                date.fromisoformat(f"{year}-{p.get(f'resident_pension.{name}')}")
                for name in ("deposit_deadline", "settlement_cutoff", "settlement_report_due")
            ]
        except MissingParameter as exc:
            raise BankError(
                f"{exc}：该统筹地区的文件未规定银行代扣和年度清算流程 / "
                "no withholding cycle in this jurisdiction's documents"
            ) from None
        return cls(*days)

    def settlement_year(self, booked_on: date) -> int:
        """The year whose cut-off takes a booking made on ``booked_on``."""
        cutoff = self.cutoff.replace(year=booked_on.year)
        return booked_on.year if booked_on <= cutoff else booked_on.year + 1


def audit(
    con: Any, database: db.Database, actor: str, action: str, table: str, row: int, detail: str
) -> None:
    """One line of the audit log for a step of the cycle (inside its transaction)."""
    db.ingest(
        con,
        database,
        "registry_audit_log",
        db.text_times(
            pa.table(
                {
                    "at": pa.array([datetime.now(UTC)], pa.timestamp("us", tz="UTC")),
                    "actor": [actor],
                    "action": [action],
                    "table_name": [table],
                    "row_id": pa.array([row], pa.int64()),
                    "batch_id": pa.nulls(1, pa.int64()),
                    "detail": [detail],
                }
            ),
            database,
        ),
    )
