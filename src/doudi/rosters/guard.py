"""The large-close guard: a snapshot that closes many periods must be acknowledged.

A 20-person list of "this month's new people", imported as a snapshot into a county of
430, closed the status of 410 people; the dry run said only "关闭期间 410" beside the
same confirm button (issue #19). Now a snapshot that would close more than a share of
the source's open periods in the counties it closes in — 快照关闭比例上限, setting
``DOUDI_SNAPSHOT_CLOSE_SHARE``, default 10% — or any period outside them, is shown
with a prominent warning and the counts, and is refused unless the caseworker
acknowledges it (the page's checkbox, ``--confirm-closing``, the API's
``confirm_closing``). The share is a safeguard of this system, not policy: no document
names it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyarrow as pa
import pyarrow.compute as pc

from doudi.core.textfile import FileError

SETTING = "DOUDI_SNAPSHOT_CLOSE_SHARE"
LABEL = "快照关闭比例上限"
DEFAULT_SHARE = Decimal("0.10")


def close_share() -> Decimal:
    """The share of open periods a snapshot may close unacknowledged (0 to 1; "15%"
    is read as 0.15)."""
    text = os.environ.get(SETTING, "").strip()
    if not text:
        return DEFAULT_SHARE
    try:
        share = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    except InvalidOperation:
        share = Decimal(-1)
    if not share.is_finite() or not 0 <= share <= 1:
        raise FileError(
            f"设置 {SETTING}（{LABEL}）应为 0 至 1 之间的小数或百分数（如 0.1 或 10%），"
            f"实为「{text}」",
            f"{SETTING} must be a share between 0 and 1 (0.1 or 10%), not {text!r}",
        )
    return share


@dataclass(frozen=True)
class ClosingCheck:
    """How many people an import closes, against how many it could."""

    closing: int  # people whose period it closes in the counties it closes in
    open_before: int  # people with an open period of the source there before it
    outside: int  # people whose period it closes anywhere else
    limit: Decimal  # the 快照关闭比例上限

    @property
    def needs_confirmation(self) -> bool:
        return self.outside > 0 or self.closing > self.limit * self.open_before

    @property
    def people(self) -> int:
        return self.closing + self.outside

    def warning_zh(self, label: str, place: str) -> str:
        """The prominent warning of a dry run: the counts, and what to check."""
        share = Decimal(self.closing * 100) / self.open_before if self.open_before else 0
        text = (
            f"警告：本次全量快照将关闭 {self.closing} 人的「{label}」期间，"
            f"占导入区划 {place}内现有 {self.open_before} 人的 {share:.1f}%"
            f"（{LABEL} {_percent(self.limit)}%）"
        )
        if self.outside:
            text += f"；另将关闭导入区划之外 {self.outside} 人的期间"
        return text + "。如果这是一份只列新增人员的名单，请选择“增量名单”重新导入。"

    def confirmation_zh(self, label: str) -> str:
        """What the caseworker ticks to go ahead."""
        return f"我已确认：本次导入将关闭 {self.people} 人的「{label}」期间"


def check(changes: pa.Table, open_before: pa.Table, counties: list[str]) -> ClosingCheck:
    """The closings among ``changes`` (rosters.periods.diff's rows) within ``counties``
    and outside them, and ``open_before``'s people (person_id, county) within them."""
    inside = pa.array(counties, pa.string())
    closed = changes.filter(pc.field("change") == "close")
    within = pc.fill_null(pc.is_in(closed.column("county"), value_set=inside), False)
    return ClosingCheck(
        closing=_people(closed.filter(within)),
        open_before=_people(open_before.filter(pc.is_in(open_before["county"], value_set=inside))),
        outside=_people(closed.filter(pc.invert(within))),
        limit=close_share(),
    )


def _percent(share: Decimal) -> str:
    """0.10 as "10", 0.125 as "12.5": the setting as the caseworker would write it."""
    text = format(share * 100, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _people(rows: pa.Table) -> int:
    return len(pc.unique(rows.column("person_id")))


class ClosingNotConfirmed(FileError):
    """A snapshot that closes more than the share, or outside its region, was not
    acknowledged: nothing is written."""

    def __init__(self, warning: str) -> None:
        super().__init__(
            f"{warning}未确认关闭，未写入任何数据。核对无误后再确认导入"
            "（网页勾选确认框；命令行加 --confirm-closing；接口传 confirm_closing: true）",
            "the import would close more periods than the snapshot close share allows "
            "(or outside its region) and was not confirmed; nothing was written",
        )
