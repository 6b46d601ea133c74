"""The programmes a yearly plan computes, each its own lineage of versions (decision 0012).

A programme names the columns of the rules' output its contribution rows are made of:
who the government pays for (``<prefix>eligible``), each payer's part
(``<prefix>fund_<payer>``), what the person still owes (``<prefix>self_due``, a ``self``
row for everyone ``self_when`` holds) and the clauses (``<prefix>basis``). The rows keep
the programme's code in ``registry_contribution.scheme``, as they always have for the
pension. The Chinese words are those of the summary a caseworker reads after a run.
"""

from __future__ import annotations

from dataclasses import dataclass

from doudi.core import vocab


@dataclass(frozen=True)
class Programme:
    code: str  # core.vocab.PROGRAMME, also the rows' scheme
    prefix: str  # of the rules' output columns: "rp_", "rm_"
    #: whose ``self`` row is written: the pension's enrolled alive at the year's start
    #: (a government part or not, the withholding cycle collects their own part), the
    #: medical subsidy's subsidised (a 60% subsidy leaves 40% owed)
    self_when: str
    plan_zh: str  # "缴费计划"
    targets_zh: str  # the people with a government part
    gov_zh: str  # the government's total
    pays_zh: str  # what a plan does for a person: 代缴, 资助, 支付
    #: the documents whose rules compute it (None: every jurisdiction's)
    documents: tuple[str, ...] | None = None

    @property
    def eligible(self) -> str:
        return self.prefix + "eligible"

    @property
    def fund_prefix(self) -> str:
        return self.prefix + "fund_"

    @property
    def self_due(self) -> str:
        return self.prefix + "self_due"

    @property
    def basis(self) -> str:
        return self.prefix + "basis"

    @property
    def columns(self) -> tuple[str, ...]:
        """The output columns read besides the payers' parts (``row_no`` first)."""
        return tuple(
            dict.fromkeys(("row_no", self.eligible, self.self_when, self.self_due, self.basis))
        )

    def label_zh(self) -> str:
        return vocab.PROGRAMME.label(self.code)

    def applies(self, document: str) -> bool:
        return self.documents is None or document in self.documents


RESIDENT_PENSION = Programme(
    "resident_pension",
    "rp_",
    self_when="rp_collects",
    plan_zh="缴费计划",
    targets_zh="代缴对象",
    gov_zh="政府代缴合计",
    pays_zh="代缴",
)
RESIDENT_MEDICAL = Programme(
    "resident_medical",
    "rm_",
    self_when="rm_eligible",
    plan_zh="医保缴费资助计划",
    targets_zh="资助对象",
    gov_zh="财政资助合计",
    pays_zh="资助",
)

#: What the unemployment fund pays rural workers in the year: Jiangxi's one-off living
#: allowance and skill-upgrade subsidy, Hebei's benefit of the months drawn with the
#: employee-medical premium paid or the resident-medical one refunded
#: (policy.rules.unemployment). No ``self`` rows: the fund pays, the worker owes nothing.
UNEMPLOYMENT = Programme(
    "unemployment",
    "ue_",
    self_when="ue_eligible",
    plan_zh="失业保险待遇计划",
    targets_zh="享受对象",
    gov_zh="失业保险基金支付合计",
    pays_zh="支付",
    documents=("JX-2017-58", "HE-2018-3"),
)

#: Panzhihua's government contribution subsidy (政府缴费补贴, PZH-2018-195/1.3): still
#: granted on the government-paid contribution, at the tier of the summed amount; paid
#: by the government (财政) into the person's account, not towards the contribution, so
#: it is handed to finance apart from the government-paid part (decision 0013).
RESIDENT_PENSION_SUBSIDY = Programme(
    "resident_pension_subsidy",
    "cs_",
    self_when="cs_eligible",
    plan_zh="政府缴费补贴计划",
    targets_zh="补贴对象",
    gov_zh="政府缴费补贴合计",
    pays_zh="补贴",
    documents=("PZH-2018-195",),
)

#: Third parties' funding of a poor person's contribution (PZH-2018-195/1.2): what the
#: funders pay of what the person would owe; the pension's ``self`` row is the rest.
THIRD_PARTY_FUNDING = Programme(
    "third_party_funding",
    "tp_",
    self_when="tp_eligible",
    plan_zh="第三方资助缴费计划",
    targets_zh="受资助对象",
    gov_zh="第三方资助合计",
    pays_zh="资助",
    documents=("PZH-2018-195",),
)

#: In the order a run computes and reports them.
ALL: dict[str, Programme] = {
    p.code: p
    for p in (
        RESIDENT_PENSION,
        RESIDENT_MEDICAL,
        UNEMPLOYMENT,
        RESIDENT_PENSION_SUBSIDY,
        THIRD_PARTY_FUNDING,
    )
}


class UnknownProgramme(ValueError):
    """str() is Chinese first."""


def get(code: str) -> Programme:
    try:
        return ALL[code]
    except KeyError:
        known = "、".join(f"{c}（{p.label_zh()}）" for c, p in ALL.items())
        raise UnknownProgramme(
            f"未知的计划项目 {code!r}，可用：{known} / unknown programme"
        ) from None
