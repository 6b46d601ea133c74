"""What a plan run tells the caseworker: the version of each programme it wrote or kept,
the people another region's plan pays for, and its summary in Chinese.

Kept apart from ``plan.versions`` (which computes and writes the versions): the CLI, the
web job and the tests read these; only the run makes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from doudi.core import vocab
from doudi.core.money import fmt
from doudi.plan.programmes import get as programme_of


class PlanError(ValueError):
    """The plan cannot be computed (str() is Chinese first); nothing was written."""


@dataclass(frozen=True)
class LeftOut:
    """A person of the region whom another lineage's current version already pays for
    (their hukou moved between two plans' regions): not planned again."""

    person_id: int
    id_number: str
    name: str
    plan: str  # the other version, as lineage.Version.label_zh names it


@dataclass(frozen=True)
class PlanResult:
    version_id: int
    number: int
    created: bool  # False: the same inputs had already been planned
    people: int
    targets: int
    gov_paid: Decimal
    self_due: Decimal
    by_payer: dict[str, Decimal]
    left_out: tuple[LeftOut, ...] = ()
    #: people whose enrollment named a tier not allowed in the year: planned as naming
    #: none (plan.inputs; docs/readings.md 31)
    tiers_ignored: int = 0
    #: target lists of the year before missing or received after their deadline
    #: (CQ-2018-82/2.1.1; plan.deadlines), one Chinese line each: the plan is computed all
    #: the same, but its targets may be incomplete
    late_lists: tuple[str, ...] = ()
    programme: str = "resident_pension"
    #: not created although the inputs changed: the rows are those of the lineage's
    #: current version, which stands (decision 0012)
    same_rows: bool = False

    def summary_zh(self, region: str, year: int) -> list[str]:
        words = programme_of(self.programme)
        head = (
            "已生成" if self.created else "金额未变，沿用" if self.same_rows else "输入未变，沿用"
        )
        lines = [
            f"{head}{words.plan_zh}第 {self.number} 版"
            f"（{region}，{year}年，编号 {self.version_id}）：{self.people} 人，"
            f"{words.targets_zh} {self.targets} 人",
            f"{words.gov_zh} {fmt(self.gov_paid)} 元，个人应缴合计 {fmt(self.self_due)} 元",
        ]
        lines += [
            f"  {vocab.PAYER.label(payer)}：{fmt(amount)} 元"
            for payer, amount in sorted(self.by_payer.items(), key=_payer_order)
        ]
        lines += self.tiers_ignored_zh()
        lines += self.late_lists
        for head, people in self._left_out_by_plan():
            lines.append(head)
            lines += [f"  {p.id_number} {p.name}" for p in people[:20]]
        return lines

    def tiers_ignored_zh(self) -> list[str]:
        """How many people's tier was ignored, so that the caseworker has the pension
        list corrected: the plan took their other allowed tier, or the minimum tier."""
        if not self.tiers_ignored:
            return []
        return [
            f"缴费档次不在本年度档次表内、已忽略该档次：{self.tiers_ignored} 人"
            "（按其他有效档次计划，无有效档次的按最低缴费档次；请核对城乡居民养老保险参保名单）"
        ]

    def left_out_zh(self) -> list[str]:
        """Per other plan, how many of the region's people it already pays for."""
        return [head for head, _ in self._left_out_by_plan()]

    def _left_out_by_plan(self) -> list[tuple[str, list[LeftOut]]]:
        by_plan: dict[str, list[LeftOut]] = {}
        for p in self.left_out:
            by_plan.setdefault(p.plan, []).append(p)
        pays = programme_of(self.programme).pays_zh
        return [
            (f"已由 {plan}计划{pays}，本计划不再{pays}：{len(people)} 人", people)
            for plan, people in sorted(by_plan.items())
        ]


@dataclass(frozen=True)
class PlanRun:
    """What one ``doudi plan`` computed: a version per programme (decision 0012)."""

    results: tuple[PlanResult, ...]
    #: programmes not planned in a run of every programme, each with why (another
    #: lineage of the programme overlaps the region, or pays for all its people)
    refused: tuple[str, ...] = ()

    def summary_zh(self, region: str, year: int) -> list[str]:
        lines = []
        for result in self.results:
            lines += result.summary_zh(region, year)
        return lines + list(self.refused)


def _payer_order(item: tuple[str, Decimal]) -> int:
    """Payers in the order the ledger lists them (core.vocab.PAYER)."""
    codes = list(vocab.PAYER)
    return codes.index(item[0]) if item[0] in codes else len(codes)
