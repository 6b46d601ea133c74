"""Resident pension (城乡居民基本养老保险): government-paid contribution (代缴).

RULES.md §2. One function per rule; each reads its parameters through
:class:`~doudi.policy.params.Params` and writes its amounts, its reasons
(``rp_reasons``: why not, as codes) and the clause ids that decided it
(``rp_basis``) as columns.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from doudi.policy.expr import RATIO, age_on, join_codes, money, ratio, split_columns, to_money
from doudi.policy.params import Params
from doudi.policy.rules.status import Window

#: The clause that grants the government-paid contribution, per document.
MAIN_CLAUSE = {
    "NAT-2017-59": "NAT-2017-59/2.1",
    "JX-2017-58": "JX-2017-58/2.1.1",
    "HE-2018-3": "HE-2018-3/2.1.1",
    "SD-2017-37": "SD-2017-37/2.1",
    "PZH-2018-195": "PZH-2018-195/1.1",
    "CQ-2018-82": "CQ-2018-82/2.1.1",
}
#: Keep-the-minimum-tier clause per document (the national one by default).
KEEP_TIER_CLAUSE = {
    "HE-2018-3": "HE-2018-3/2.1.1",
    "SD-2017-37": "SD-2017-37/2.1",
    "CQ-2018-82": "CQ-2018-82/2.1.2",
}
#: Most favourable first: which row wins when one ID number appears twice.
CATEGORY_ORDER = ("tekun", "severe_disability", "dibao", "registered_poor")
#: Civil-affairs statuses: a Chongqing target holding one is a civil-affairs target.
CIVIL_AFFAIRS = ("tekun", "dibao")


def document(p: Params) -> str:
    return p.jurisdiction.document


def windows(p: Params) -> list[Window]:
    """The status windows the pension rules read (see rules/status.py).

    ``rp``: who counts as a target this year; ``rpx``: the same ignoring exit
    marks (to say "exit-marked" when that is why not); ``rpy``: year Y itself
    (to say "recognised this year, a target next year" in Chongqing).
    """
    y = p.year
    includes_exited = p.get("resident_pension.registered_poor_includes_exited")
    mode = "ignore" if includes_exited else "respect"
    if document(p) == "CQ-2018-82":
        # CQ-2018-82/2.1.1: 上年经认定 … 动态管理: on the list at the end of Y-1.
        last = date(y - 1, 12, 31)
        return [
            Window("rp", last, last, mode),
            Window("rpx", last, last, "ignore"),
            Window("rpy", date(y, 1, 1), date(y, 12, 31), mode),
        ]
    # HE-2018-3/2.1.2: any status held at any time in the natural year.
    year = (date(y, 1, 1), date(y, 12, 31))
    return [Window("rp", *year, mode), Window("rpx", *year, "ignore")]


def _category(t: ir.Table, doc: str) -> ir.StringValue:
    """The status that decides the amount and the payer; one subsidy only.

    Chongqing: tekun (100%) before the severely-disabled policy (100%) before
    dibao and registered poor (70%); a person recognised by both civil
    affairs and the poverty office is a civil-affairs target
    (CQ-2018-82/2.1.1 多重身份). Elsewhere the order only names the status.
    """
    cases = [(t.rp_tekun, "tekun")]
    if doc == "CQ-2018-82":
        # The continued severely-disabled policy is not tied to last year's
        # recognition: the status held in the year itself counts.
        cases.append((t.rpy_severe_disability, "severe_disability"))
    cases += [(t.rp_dibao, "dibao"), (t.rp_registered_poor, "registered_poor")]
    return ibis.cases(*cases, else_=ibis.null("string"))


def gov_paid_contribution(t: ir.Table, p: Params) -> ir.Table:
    """RULES.md §2: who the government pays for, how much, who pays it.

    Eligibility: a target status in the year's window; enrolled; age 16 to
    under 60 at some day of the year (read as: 16 on 31 Dec, under 60 on
    1 Jan); not an in-school student; not in the employee pension; Jiangxi
    also requires a Jiangxi hukou (JX-2017-58/2.1.1). Amount: the fixed
    amount where a document gives one (Jiangxi and Panzhihua 100 yuan), else
    the minimum tier times the share (Chongqing 70%, tekun 100%), never more
    than the person's own contribution. Once per person per year.
    """
    doc = document(p)
    main = MAIN_CLAUSE[doc]
    y = p.year
    with p.section("resident_pension"):
        in_force = p.get("resident_pension.gov_paid_in_force", None) is True
        minimum_tier = p.get("resident_pension.minimum_tier")
        age_from = int(p.get("resident_pension.contribution_age_from"))
        pension_age = int(p.get("resident_pension.pension_age"))
        hukou_province = p.get("resident_pension.hukou_province", None)
        fixed = p.get("resident_pension.gov_paid_amount", None)
        retained = p.get("resident_pension.retained_tier", None)
        requires_enrollment = bool(p.get("resident_pension.requires_enrollment"))

        # Each derived value becomes a column before it is used again, so the
        # compiled SQL refers to it instead of repeating its expression.
        t = t.mutate(
            rp_category=_category(t, doc),
            _age_jan1=age_on(t.birth_date, date(y, 1, 1)),
            _age_dec31=age_on(t.birth_date, date(y, 12, 31)),
        )
        is_target = t.rp_category.notnull()
        conditions_clause = "JX-2017-58/2.1.1" if doc == "JX-2017-58" else "GF-2014-8/4"
        over_age_clause = "CQ-2018-82/2.1.1" if doc == "CQ-2018-82" else "GF-2014-8/8"
        # Why a person is not a target: one reason, and the other conditions are
        # not listed for them (most people of a batch are not targets at all).
        status_cases = [(t.rpx_registered_poor, "exit_marked;")]
        if doc == "CQ-2018-82":
            recognised_now = t.rpy_tekun | t.rpy_dibao | t.rpy_registered_poor
            status_cases.append((recognised_now, "not_recognised_last_year;"))
        not_target = ibis.cases(*status_cases, else_="no_status;")
        checks: list[tuple[ir.BooleanValue, str, str]] = []
        if hukou_province:
            checks.append(
                (
                    t.hukou_region.isnull() | (t.hukou_region.substr(0, 2) != hukou_province[:2]),
                    "hukou",
                    conditions_clause,
                )
            )
        checks += [
            (t.student, "student", conditions_clause),
            (t.employee_pension, "employee_pension", conditions_clause),
            (t._age_dec31 < age_from, "under_age", conditions_clause),
            (t._age_jan1 >= pension_age, "over_age", over_age_clause),
            (~t.rp_enrolled & requires_enrollment, "not_enrolled", main),
        ]
        if not in_force:  # the whole year is outside the policy's period
            reasons: ir.StringValue = ibis.literal("not_in_force;")
            why_not: ir.StringValue = ibis.literal(main + ";")
        else:
            reasons = ibis.ifelse(
                is_target, join_codes([(c, code) for c, code, _ in checks]), not_target
            )
            why_not = ibis.ifelse(
                is_target, join_codes([(c, clause) for c, _, clause in checks]), main + ";"
            )
        t = t.mutate(rp_reasons=reasons, rp_why_not_basis=why_not)

        # Once per person per year (HE-2018-3/2.1.1; CQ 多重身份不重复享受): among
        # the otherwise eligible rows of one ID number, the row with the most
        # favourable status wins, then the first row. The window runs over the
        # otherwise eligible rows only and finds the few rows that lose; the rows are
        # matched back by row number (a join of every row by ID number took a fifth
        # of the rules' time at ten million people, a window over them all longer).
        priority = ibis.cases(
            *[(t.rp_category == c, i) for i, c in enumerate(CATEGORY_ORDER)], else_=9
        )
        t = t.mutate(
            _eligible_before=t.rp_reasons == "",
            _key=priority.cast("int64") * 10**12 + t.row_no,
        )
        eligible = t.filter(t._eligible_before).select("row_no", "id_number", "_key")
        eligible = eligible.mutate(_first=eligible._key.min().over(group_by=eligible.id_number))
        seconds = eligible.filter(eligible._key != eligible._first).select(_second="row_no")
        t = t.left_join(seconds, t.row_no == seconds._second)
        t = t.mutate(_duplicate=t._second.notnull()).drop("_second")
        dup_clause = "HE-2018-3/2.1.1" if doc in ("HE-2018-3", "CQ-2018-82") else main
        t = t.mutate(
            rp_reasons=t.rp_reasons + ibis.ifelse(t._duplicate, "duplicate;", ""),
            rp_why_not_basis=t.rp_why_not_basis + ibis.ifelse(t._duplicate, dup_clause + ";", ""),
        )
        t = t.mutate(rp_eligible=t.rp_reasons == "")

        # Who contributes at all: an enrolled person under the pension age (from 60
        # the resident pension is drawn, not paid: GF-2014-8/8). Where the document
        # covers those who meet the conditions to enroll (SD-2017-37/2.1,
        # PZH-2018-195/1.1: 符合参加…条件的), a target not yet enrolled is enrolled at
        # the minimum tier with the government's contribution.
        # Keep the minimum tier (NAT-2017-59/2.1, HE-2018-3/2.1.1, CQ-2018-82/2.1.2): a
        # poor person who stays on the old minimum after a raise contributes at that
        # tier, and it is the minimum tier for them: the share applies to it.
        joins = t.rp_enrolled | (ibis.literal(not requires_enrollment) & t.rp_eligible)
        contributes = joins & (t._age_jan1 < pension_age)
        t = t.mutate(
            # one joining now (not enrolled) joins at the minimum tier
            rp_contribution=to_money(
                ibis.cases(
                    (contributes & t.rp_enrolled, t.rp_tier.fill_null(money(minimum_tier))),
                    (contributes, money(minimum_tier)),
                    else_=money(0),
                )
            ),
            rp_retained_tier=(
                t.rp_tier.notnull()
                & (t.rp_tier == money(retained))
                & (money(retained) < minimum_tier)
                if retained is not None
                else ibis.literal(False)
            ),
        )
        if fixed is not None:
            amount: ir.DecimalValue = money(fixed)
        else:
            base = ibis.ifelse(t.rp_retained_tier, money(retained or 0), money(minimum_tier))
            share = ratio(p.get("resident_pension.gov_paid_share"))
            if doc == "CQ-2018-82":
                share = ibis.cases(
                    (t.rp_category == "tekun", ratio(p.get("resident_pension.tekun_share"))),
                    (
                        t.rp_category == "severe_disability",
                        ratio(p.get("resident_pension.severe_disability_share")),
                    ),
                    else_=share,
                )
            amount = to_money(base.cast(RATIO) * share)
        t = t.mutate(
            rp_gov_paid=to_money(
                ibis.ifelse(t.rp_eligible, ibis.least(amount, t.rp_contribution), 0)
            )
        )
        t = t.mutate(rp_self_due=to_money(t.rp_contribution - t.rp_gov_paid))
        t = _funding(t, p, doc)

        keep = KEEP_TIER_CLAUSE.get(doc, "NAT-2017-59/2.1")
        basis_parts: list[tuple[ir.BooleanValue, str]] = [(ibis.literal(True), main)]
        if doc == "HE-2018-3":
            basis_parts.append((ibis.literal(True), "HE-2018-3/2.1.2"))
            exited = (t.rp_category == "registered_poor") & t.rp_exited_registered_poor
            basis_parts.append((exited, "HE-2018-3/1"))
        basis_parts.append((t.rp_retained_tier, keep))
        t = t.mutate(
            rp_basis=ibis.ifelse(t.rp_eligible, join_codes(basis_parts), t.rp_why_not_basis)
        )
        t = t.drop(
            "rp_why_not_basis",
            "_age_jan1",
            "_age_dec31",
            "_eligible_before",
            "_duplicate",
        )
    return t


def _funding(t: ir.Table, p: Params, doc: str) -> ir.Table:
    """Split ``rp_gov_paid`` between payers, exactly (largest remainder).

    Hebei: province : city : county = 1 : 1 : 1; in a province-direct county
    the province also pays the city's third (HE-2018-3/2.1.1). Chongqing: the
    recognising department (CQ-2018-82/2.1.1). Elsewhere: the single payer the
    document names.
    """
    weights: dict[str, ir.IntegerValue | int]
    if doc == "CQ-2018-82":
        disabled_payer = str(p.get("resident_pension.severe_disability_payer"))
        civil = t.rp_category.isin(list(CIVIL_AFFAIRS))
        weights = {
            "civil_affairs": ibis.ifelse(civil, 1, 0),
            "poverty_office": ibis.ifelse(t.rp_category == "registered_poor", 1, 0),
            disabled_payer: ibis.ifelse(t.rp_category == "severe_disability", 1, 0),
        }
    else:
        normal = p.get("resident_pension.payer_weights")
        direct_w = p.get("resident_pension.province_direct_payer_weights", None)
        if direct_w is None:
            weights = {k: int(v) for k, v in normal.items()}
        else:
            direct_list = list(p.get("resident_pension.province_direct_counties"))
            direct = t.hukou_region.isin(direct_list)
            weights = {
                k: ibis.ifelse(direct, int(direct_w.get(k, 0)), int(normal[k])) for k in normal
            }
            t = t.mutate(rp_province_direct=direct)
    return split_columns(t, "rp_gov_paid", weights, "rp_fund_")


def pzh_contribution_subsidy(t: ir.Table, p: Params) -> ir.Table:
    """PZH-2018-195/1.2 and 1.3: third-party funding and the contribution subsidy.

    The government-paid 100 yuan still earns the government contribution
    subsidy; if the person adds a voluntary payment, the subsidy tier is the
    one for the summed amount (``rp_contribution`` = the tier paid in total).
    Third parties may fund up to the highest tier; above it the person may
    choose the employee pension instead.
    """
    with p.section("resident_pension"):
        table = p.get("resident_pension.subsidy_table")
        highest = p.get("resident_pension.highest_tier")
    steps = sorted(table.items(), reverse=True)
    subsidy = ibis.cases(
        *[(t.rp_contribution >= money(k), money(v)) for k, v in steps],
        else_=money(0),
    )
    funded = t.third_party_funding.fill_null(money(0))
    paid_by_third = ibis.least(funded, t.rp_self_due)
    return t.mutate(
        rp_contribution_subsidy=to_money(ibis.ifelse(t.rp_eligible, subsidy, 0)),
        rp_third_party_paid=to_money(paid_by_third),
        rp_self_due=to_money(t.rp_self_due - paid_by_third),
        rp_may_choose_employee_pension=funded > money(highest),
    )


def he_late_enrollment(t: ir.Table, p: Params) -> ir.Table:
    """HE-2018-3/2.1.1: registered poor aged 60+ who never enrolled pay no back
    contributions; on application they draw the pension from the month after.
    """
    pension_age = int(p.get("resident_pension.pension_age"))
    at = t.rp_application_date.fill_null(date(p.year, 12, 31))
    age_at = (
        at.year()
        - t.birth_date.year()
        - ((t.birth_date.month() * 100 + t.birth_date.day()) > (at.month() * 100 + at.day())).cast(
            "int64"
        )
    )
    qualifies = t.rpx_registered_poor & ~t.rp_enrolled & ~t.rp_ever_enrolled
    qualifies = qualifies & (age_at >= pension_age)
    month_start = at.truncate("M")
    pension_from = (month_start + ibis.interval(months=1)).cast("date")
    return t.mutate(
        rp_late_enrollment=qualifies,
        rp_pension_from=ibis.ifelse(
            qualifies & t.rp_application_date.notnull(), pension_from, ibis.null("date")
        ),
    )


def sd_early_pension(t: ir.Table, p: Params) -> ir.Table:
    """SD-2017-37/2.1: severely disabled participants may, on application and
    review, draw the pension 5 years early (at 55 instead of 60)."""
    years = int(p.get("resident_pension.early_pension_years"))
    pension_age = int(p.get("resident_pension.pension_age"))
    qualifies = t.rpx_severe_disability & t.rp_enrolled
    return t.mutate(
        rp_early_pension=qualifies,
        rp_early_pension_age=ibis.ifelse(qualifies, pension_age - years, ibis.null("int64")),
    )
