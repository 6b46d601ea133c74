"""The settlement calculator: enter a bill, see the payer waterfall as a chart and table."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from doudi.core import money, vocab
from doudi.engine.settlement import BillProblem
from doudi.policy import jurisdictions
from doudi.policy.rules.shared import STATUSES
from doudi.web.calculator import BillRejected, settle_bill
from doudi.web.roles import Scope, scope_of

LEVELS = [(code, vocab.HOSPITAL_LEVEL[code]) for code in vocab.HOSPITAL_LEVEL]
CLAIMS = list(vocab.CLAIM_TYPE.items())


class MoneyField(forms.CharField):
    """An amount in yuan read as core.money.given reads every amount given to Doudi:
    at most two decimals and within DECIMAL(18, 2), never rounded, not negative. A
    DecimalField without digits would let a 20-digit amount through to the engine."""

    widget = forms.NumberInput(attrs={"step": "0.01", "min": "0"})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            amount = money.given(text)
        except money.MoneyError as exc:
            raise forms.ValidationError(str(exc)) from None
        if amount < 0:
            raise forms.ValidationError(f"金额不能为负数（{amount}）")
        return amount


class BillForm(forms.Form):
    jurisdiction = forms.ChoiceField(
        label="统筹地区",
        choices=[(j.code, f"{j.name}（{j.code}）") for j in jurisdictions.JURISDICTIONS.values()],
        help_text="按该统筹地区的文件和参数结算；打开时为您所在的统筹地区。",
    )
    statuses = forms.MultipleChoiceField(
        label="出院时身份",
        choices=[(s, vocab.STATUS[s]) for s in STATUSES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="病人在出院当日具有的身份，可多选；都不选即按普通参保人结算。",
    )
    admission_date = forms.DateField(
        label="入院日期", initial="2018-03-01", help_text="格式如 2018-03-01。"
    )
    discharge_date = forms.DateField(
        label="出院日期",
        initial="2018-03-10",
        help_text="按出院当年的政策参数结算；不能早于入院日期。",
    )
    hospital_level = forms.ChoiceField(
        label="医院等级",
        choices=LEVELS,
        initial="2",
        help_text="起付标准和报销比例按医院等级确定。",
    )
    in_county = forms.BooleanField(
        label="县域内就医",
        required=False,
        initial=True,
        help_text="建档立卡贫困人口在县域内住院另有规定（HE-2018-3/3.3、PZH-2018-195/2.2）。",
    )
    claim_type = forms.ChoiceField(
        label="类别",
        choices=CLAIMS,
        initial="inpatient",
        help_text="住院、门诊慢特病或住院分娩，各按其政策结算。",
    )
    disease = forms.CharField(
        label="病种（江西重大疾病）",
        required=False,
        help_text="江西省 15 种重大疾病之一（JX-2017-58/2.2.6）；其他地区和病种留空。",
    )
    total_cost = MoneyField(label="总费用（元）", help_text="本次住院的全部医疗费用。")
    in_policy_cost = MoneyField(
        label="政策范围内费用（元）",
        help_text="基本医保目录内的费用；与不合规费用之和不能超过总费用。",
    )
    non_compliant_cost = MoneyField(
        label="不合规费用（元）",
        required=False,
        initial=0,
        help_text="由医疗机构承担，不计入病人负担（PZH-2018-195/2.4）。",
    )
    special_drug_cost = MoneyField(
        label="山东谈判特药费用（元）",
        required=False,
        initial=0,
        help_text="山东省谈判特药的费用，含在政策范围内费用中（SD-2017-37/2.2）；其他地区填 0。",
    )

    def bill(self) -> dict[str, Any]:
        d = self.cleaned_data
        bill: dict[str, Any] = {
            "statuses": d["statuses"],
            "admission_date": d["admission_date"].isoformat(),
            "discharge_date": d["discharge_date"].isoformat(),
            "hospital_level": d["hospital_level"],
            "in_county": d["in_county"],
            "claim_type": d["claim_type"],
            "total_cost": str(d["total_cost"]),
            "in_policy_cost": str(d["in_policy_cost"]),
            "non_compliant_cost": str(d["non_compliant_cost"] or 0),
            "special_drug_cost": str(d["special_drug_cost"] or 0),
        }
        if d["disease"]:
            bill["disease"] = d["disease"]
        return bill


@login_required
def calculator(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    scope.require("settle")
    result, problems = None, []
    form = BillForm(request.POST or None, initial={"jurisdiction": own_jurisdiction(scope)})
    if request.method == "POST" and form.is_valid():
        try:
            result = settle_bill(form.cleaned_data["jurisdiction"], form.bill())
        except BillRejected as exc:
            problems = [_labelled(form, p) for p in exc.problems]
    chart = None
    if result:
        chart = {
            "labels": [layer["name_zh"] for layer in result["layers"]] + ["个人负担"],
            "values": [layer["amount"] for layer in result["layers"]] + [result["patient_pays"]],
        }
    context = {"form": form, "result": result, "problems": problems, "chart": chart}
    template = "web/_settlement.html" if request.htmx else "web/settle.html"
    return render(request, template, context)


def own_jurisdiction(scope: Scope) -> str | None:
    """The jurisdiction whose rules the user's region follows (涪陵区 → 重庆市), so that a
    caseworker's calculator opens on their own; None for a region no document covers
    (the form then opens on its first choice)."""
    try:
        return jurisdictions.resolve(scope.region).code
    except jurisdictions.UnknownJurisdiction:
        return None


def _labelled(form: BillForm, problem: str) -> str:
    """A settlement problem as the page names it: by the field's label (总费用（元）),
    not by the engine's field name on the calculator's placeholder bill."""
    if isinstance(problem, BillProblem) and problem.field in form.fields:
        return f"{form.fields[problem.field].label}：{problem.reason}"
    return problem
