"""Resident pension (城乡居民基本养老保险): government-paid contribution (代缴).

RULES.md §2. :func:`gov_paid_contribution` runs named steps, each taking the
table of people and returning it with new columns: its amounts, its reasons
(``rp_reasons``: why not, as codes) and the clause ids that decided it
(``rp_basis``). The steps read their parameters from :class:`Terms`, read once
through :class:`~doudi.policy.params.Params` (which records every value used);
what differs between documents is one table (rules/resident_pension_documents.py).
The rules one document adds follow it: Panzhihua's contribution subsidy, Hebei's
late enrollment, Shandong's early pension.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

import ibis
import ibis.expr.types as ir

from doudi.policy.expr import RATIO, age_on, join_codes, money, none_hold, ratio, to_money
from doudi.policy.params import Params
from doudi.policy.rules import insured_region
from doudi.policy.rules.resident_pension_documents import GovPaidRules, rules_for
from doudi.policy.rules.shared import (
    DEATH_CLAUSE,
    SCOPE_CLAUSE,
    Window,
    born_after,
    required_hukou_province,
)

#: Most favourable first: which row wins when one ID number appears twice.
CATEGORY_ORDER = ("tekun", "severe_disability", "dibao", "registered_poor")
#: Statuses that may have a share of their own beside ``gov_paid_share`` (Chongqing).
OWN_SHARE = ("tekun", "severe_disability")
#: The steps' working columns, dropped once the rule is done.
WORKING = (
    "rp_why_not_basis",
    "_age_jan1",
    "_age_dec31",
    "_dead",
    "_died_in_year",
    "_unborn",
    "_eligible_before",
    "_duplicate",
    "_outside",
    "_insured_outside",
)


def windows(p: Params) -> list[Window]:
    """The status windows the pension rules read (see rules/status.py), as the
    document reads who is a target (rules/resident_pension_documents.py)."""
    includes_exited = p.get("resident_pension.registered_poor_includes_exited")
    mode = "ignore" if includes_exited else "respect"
    return rules_for(p).targets.windows(p.year, mode)


@dataclass(frozen=True)
class Terms:
    """What the government-paid contribution reads: the document's rules and the
    parameters in force, read once and in a fixed order (the order in which
    results list the local-config values they used)."""

    rules: GovPaidRules
    year: int
    in_force: bool
    minimum_tier: Decimal
    age_from: int
    pension_age: int
    hukou_province: str | None
    region_prefix: str  # the jurisdiction's hukou prefix: where its plan insures people
    fixed: Decimal | None  # a fixed amount (Jiangxi's and Panzhihua's 100 yuan)
    retained: Decimal | None  # an old minimum tier a poor person may keep
    requires_enrollment: bool
    share: Decimal = Decimal(0)  # of the minimum tier (read only without a fixed amount)
    own_shares: dict[str, Decimal] = field(default_factory=dict)  # by category (OWN_SHARE)


def read_terms(p: Params) -> Terms:
    """The parameters of :class:`Terms`, each recorded as used by ``p``."""
    g = p.get
    terms = Terms(
        rules=rules_for(p),
        year=p.year,
        in_force=g("resident_pension.gov_paid_in_force", None) is True,
        minimum_tier=g("resident_pension.minimum_tier"),
        age_from=int(g("resident_pension.contribution_age_from")),
        pension_age=int(g("resident_pension.pension_age")),
        hukou_province=required_hukou_province(p),
        region_prefix=p.territory.hukou_prefix,
        fixed=g("resident_pension.gov_paid_amount", None),
        retained=g("resident_pension.retained_tier", None),
        requires_enrollment=bool(g("resident_pension.requires_enrollment")),
    )
    if terms.fixed is not None:
        return terms
    share = g("resident_pension.gov_paid_share")
    own = {c: g(f"resident_pension.{c}_share", None) for c in OWN_SHARE}
    return replace(terms, share=share, own_shares={c: v for c, v in own.items() if v is not None})


def gov_paid_contribution(t: ir.Table, p: Params, distinct_ids: bool = False) -> ir.Table:
    """RULES.md §2: who the government pays for, how much, who pays it.

    Eligibility: a target status in the year's window; enrolled; age 16 to
    under 60 at some day of the year (read as: 16 on 31 Dec, under 60 on
    1 Jan); not an in-school student; not in the employee pension; Jiangxi
    also requires a Jiangxi hukou (JX-2017-58/2.1.1). Amount: the fixed
    amount where a document gives one (Jiangxi and Panzhihua 100 yuan), else
    the minimum tier times the share (Chongqing 70%, tekun 100%), never more
    than the person's own contribution. Once per person per year
    (``distinct_ids``: the table has one row per ID number, as the registry has).
    """
    with p.section("resident_pension"):
        terms = read_terms(p)
        t = targets(t, terms)
        t = conditions(t, terms)
        t = once_per_year(t, terms, distinct_ids)
        t = contribution(t, terms)
        t = gov_paid_amount(t, terms)
        t = terms.rules.funding(t, p)
        t = basis(t, terms)
    return t.drop(*WORKING)


def targets(t: ir.Table, terms: Terms) -> ir.Table:
    """``rp_category``: the status that decides the amount and the payer, one
    subsidy only (CQ-2018-82/2.1.1 多重身份; the document's reading of who is a
    target, rules/resident_pension_documents.py); the ages the conditions read;
    ``_dead``: died before 1 January (the death roster's date), ``_died_in_year``:
    died during the year (HE-2018-3/3.2.1, docs/readings.md 24); ``_unborn``: born
    after 31 December (docs/readings.md 25); ``_insured_outside``: enrolled in a county
    outside the jurisdiction, not the hukou county (docs/readings.md 38).
    """
    y = terms.year
    first, last = date(y, 1, 1), date(y, 12, 31)
    # Each derived value becomes a column before it is used again, so the
    # compiled SQL refers to it instead of repeating its expression.
    return t.mutate(
        rp_category=terms.rules.targets.category(t),
        _age_jan1=age_on(t.birth_date, first),
        _age_dec31=age_on(t.birth_date, last),
        _dead=dead_before(t, y),
        _died_in_year=t.death_date.between(first, last).fill_null(False),
        _unborn=unborn(t, y),
        _insured_outside=insured_region.outside(t, terms.region_prefix),
    )


def conditions(t: ir.Table, terms: Terms) -> ir.Table:
    """``rp_reasons`` why a person is not paid for, and ``rp_why_not_basis`` the
    clause of each reason: not a target; a hukou elsewhere (JX-2017-58/2.1.1);
    insured in a county outside the jurisdiction (GF-2014-8/4: 在户籍地参加; its
    agency, not this jurisdiction's, holds the account: docs/readings.md 38);
    an in-school student, in the employee pension, under 16 on 31 December
    (GF-2014-8/4); 60 or over on 1 January (GF-2014-8/8, CQ-2018-82/2.1.1); not
    enrolled where the document requires it (its main clause); died before
    1 January (HE-2018-3/3.2.1: 死亡冒领; docs/readings.md 24); a year outside
    the policy's period. A person born after the year has the one reason
    ``not_born``, before all others (their age in it would be negative: -2周岁), and
    GF-2014-8/4 (the scheme covers residents) is cited (docs/readings.md 25).
    ``_eligible_before``: no reason at all, which the plan reads without the strings.
    """
    rules = terms.rules
    main = rules.clause
    is_target = t.rp_category.notnull()
    # Why a person is not a target: one reason, and the other conditions are
    # not listed for them (most people of a batch are not targets at all).
    not_target = rules.targets.not_target(t)
    checks: list[tuple[ir.BooleanValue, str, str]] = [(t._dead, "deceased", DEATH_CLAUSE)]
    if terms.hukou_province:
        elsewhere = t.hukou_region.substr(0, 2) != terms.hukou_province[:2]
        checks.append((t.hukou_region.isnull() | elsewhere, "hukou", rules.conditions))
    checks.append((t._insured_outside, "insured_elsewhere", insured_region.INSURED_CLAUSE))
    checks += [
        (t.student, "student", rules.conditions),
        (t.employee_pension, "employee_pension", rules.conditions),
        (t._age_dec31 < terms.age_from, "under_age", rules.conditions),
        (t._age_jan1 >= terms.pension_age, "over_age", rules.over_age),
        (~t.rp_enrolled & terms.requires_enrollment, "not_enrolled", main),
    ]
    if not terms.in_force:  # the whole year is outside the policy's period
        reasons: ir.StringValue = ibis.literal("not_in_force;")
        why_not: ir.StringValue = ibis.literal(main + ";")
        ok: ir.BooleanValue = ibis.literal(False)
    else:
        # no reason at all (a non-target always has one), tested without the strings
        ok = is_target & none_hold([t._unborn, *(c for c, _, _ in checks)])
        reasons = ibis.ifelse(
            is_target, join_codes([(c, code) for c, code, _ in checks]), not_target
        )
        why_not = ibis.ifelse(
            is_target, join_codes([(c, clause) for c, _, clause in checks]), main + ";"
        )
    reasons = ibis.ifelse(t._unborn, "not_born;", reasons)
    why_not = ibis.ifelse(t._unborn, SCOPE_CLAUSE + ";", why_not)
    return t.mutate(rp_reasons=reasons, rp_why_not_basis=why_not, _eligible_before=ok)


def once_per_year(t: ir.Table, terms: Terms, distinct_ids: bool = False) -> ir.Table:
    """Once per person per year (HE-2018-3/2.1.1; CQ 多重身份不重复享受): among the
    otherwise eligible rows of one ID number, the row with the most favourable
    status wins, then the first row; the others get ``duplicate``. Adds
    ``rp_eligible``.
    """
    # The window runs over the otherwise eligible rows only and finds the few rows
    # that lose; the rows are matched back by row number (a join of every row by ID
    # number took a fifth of the rules' time at ten million people, a window over
    # them all longer).
    if distinct_ids:
        # the registry's ID numbers are unique (registry_person.id_number): no row
        # can lose, and the window's pass over the rows (a fifth of the plan's rules
        # at 10^7 people, docs/scale.md) finds nothing
        return t.mutate(_duplicate=ibis.literal(False), rp_eligible=t._eligible_before)
    priority = ibis.cases(*[(t.rp_category == c, i) for i, c in enumerate(CATEGORY_ORDER)], else_=9)
    t = t.mutate(_key=priority.cast("int64") * 10**12 + t.row_no)
    eligible = t.filter(t._eligible_before).select("row_no", "id_number", "_key")
    eligible = eligible.mutate(_first=eligible._key.min().over(group_by=eligible.id_number))
    seconds = eligible.filter(eligible._key != eligible._first).select(_second="row_no")
    t = t.left_join(seconds, t.row_no == seconds._second)
    t = t.mutate(_duplicate=t._second.notnull()).drop("_second")
    clause = terms.rules.once_per_year or terms.rules.clause
    t = t.mutate(
        rp_reasons=t.rp_reasons + ibis.ifelse(t._duplicate, "duplicate;", ""),
        rp_why_not_basis=t.rp_why_not_basis + ibis.ifelse(t._duplicate, clause + ";", ""),
    )
    return t.mutate(rp_eligible=t._eligible_before & ~t._duplicate)


def contribution(t: ir.Table, terms: Terms) -> ir.Table:
    """``rp_contribution``: what a person contributes this year, at their tier;
    ``rp_collects``: whose own part a plan states;
    ``rp_retained_tier``: they keep an old minimum tier (NAT-2017-59/2.1,
    HE-2018-3/2.1.1, CQ-2018-82/2.1.2); ``rp_out_of_scope``: recorded as enrolled
    although the scheme does not cover them (GF-2014-8/4).

    Who contributes at all: an enrolled person the scheme covers, 16 by 31
    December and not an in-school student (GF-2014-8/4: whatever a record says,
    a child or a student is no contributor, so nothing is due from them), and
    under the pension age (from 60 the resident pension is drawn, not paid:
    GF-2014-8/8). Where the document covers those who meet the conditions to
    enroll (SD-2017-37/2.1, PZH-2018-195/1.1: 符合参加…条件的), a target not yet
    enrolled is enrolled at the minimum tier with the government's contribution.
    A poor person who stays on the old minimum after a raise contributes at that
    tier, and it is the minimum tier for them: the share applies to it. A person
    who died before the year contributes nothing (HE-2018-3/3.2.1), nor, to this
    jurisdiction, one insured outside it: their insured place's agency collects
    (docs/readings.md 38).
    """
    minimum_tier, retained = terms.minimum_tier, terms.retained
    t = t.mutate(_outside=t.student | (t._age_dec31 < terms.age_from))
    # one not yet born is outside as well, but for that reason alone (not_born)
    t = t.mutate(rp_out_of_scope=t.rp_enrolled & t._outside & ~t._unborn)
    joins = t.rp_enrolled | (ibis.literal(not terms.requires_enrollment) & t.rp_eligible)
    contributes = joins & ~t._outside & (t._age_jan1 < terms.pension_age) & ~t._dead
    contributes = contributes & ~t._insured_outside
    return t.mutate(
        # whose own part the plan states (a ``self`` row, plan.programmes): the enrolled,
        # not those dead before the year (nothing is due from or booked for the dead:
        # docs/readings.md 24) nor the unborn, nor one insured outside the jurisdiction
        rp_collects=t.rp_enrolled & ~t._dead & ~t._unborn & ~t._insured_outside,
        # one joining now (not enrolled) joins at the minimum tier
        rp_contribution=to_money(
            ibis.cases(
                (contributes & t.rp_enrolled, t.rp_tier.fill_null(money(minimum_tier))),
                (contributes, money(minimum_tier)),
                else_=money(0),
            )
        ),
        rp_retained_tier=(
            t.rp_tier.notnull() & (t.rp_tier == money(retained)) & (money(retained) < minimum_tier)
            if retained is not None
            else ibis.literal(False)
        ),
    )


def gov_paid_amount(t: ir.Table, terms: Terms) -> ir.Table:
    """``rp_gov_paid``: the fixed amount where the document gives one
    (JX-2017-58/2.1.1, PZH-2018-195/1.1), else the minimum tier (or the kept old
    one) times the share (CQ-2018-82/2.1.1: 70%, tekun and the severely disabled
    100%), never more than the person's contribution; ``rp_self_due`` the rest.
    """
    if terms.fixed is not None:
        amount: ir.DecimalValue = money(terms.fixed)
    else:
        base = ibis.ifelse(
            t.rp_retained_tier, money(terms.retained or 0), money(terms.minimum_tier)
        )
        share = ratio(terms.share)
        if terms.own_shares:
            share = ibis.cases(
                *[(t.rp_category == c, ratio(v)) for c, v in terms.own_shares.items()],
                else_=share,
            )
        amount = to_money(base.cast(RATIO) * share)
    t = t.mutate(
        rp_gov_paid=to_money(ibis.ifelse(t.rp_eligible, ibis.least(amount, t.rp_contribution), 0))
    )
    return t.mutate(rp_self_due=to_money(t.rp_contribution - t.rp_gov_paid))


def basis(t: ir.Table, terms: Terms) -> ir.Table:
    """``rp_basis``: for a person paid for, the document's main clause, the
    clauses it also cites (HE-2018-3/2.1.2), the one counting exited registered
    poor (HE-2018-3/1), the keep-the-minimum-tier clause where it applied and
    HE-2018-3/3.2.1 for a person who dies during the year (nothing is withheld or
    booked from the death on: docs/readings.md 24); for anyone else the clause of
    each reason."""
    rules = terms.rules
    parts: list[tuple[ir.BooleanValue, str]] = [(ibis.literal(True), rules.clause)]
    parts += [(ibis.literal(True), clause) for clause in rules.also_cites]
    if rules.exited_included is not None:
        exited = (t.rp_category == "registered_poor") & t.rp_exited_registered_poor
        parts.append((exited, rules.exited_included))
    parts.append((t.rp_retained_tier, rules.keep_tier))
    parts.append((t._died_in_year, DEATH_CLAUSE))
    t = t.mutate(rp_basis=ibis.ifelse(t.rp_eligible, join_codes(parts), t.rp_why_not_basis))
    # one recorded as enrolled whom the scheme does not cover (a child, a student) owes
    # nothing because of GF-2014-8/4: cited in the rules' own list, so the plan's rows
    # cite it as the explanation does (docs/readings.md 8)
    scope = t.rp_out_of_scope & ~t.rp_basis.contains(SCOPE_CLAUSE)
    return t.mutate(rp_basis=ibis.ifelse(scope, t.rp_basis + (SCOPE_CLAUSE + ";"), t.rp_basis))


def dead_before(t: ir.Table, year: int) -> ir.BooleanValue:
    """Died before 1 January of ``year``: no pension is drawn for the dead
    (HE-2018-3/3.2.1 死亡冒领)."""
    return (t.death_date < date(year, 1, 1)).fill_null(False)


def unborn(t: ir.Table, year: int) -> ir.BooleanValue:
    """The rows of people born after ``year`` (:func:`born_after`; no birth date: not)."""
    return born_after(t.birth_date, year).fill_null(False)


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
    t = t.mutate(
        rp_contribution_subsidy=to_money(ibis.ifelse(t.rp_eligible, subsidy, 0)),
        rp_third_party_paid=to_money(paid_by_third),
        rp_self_due=to_money(t.rp_self_due - paid_by_third),
        rp_may_choose_employee_pension=funded > money(highest),
    )
    return t.mutate(
        **_paid_as_programme("cs_", "finance", t.rp_contribution_subsidy, "PZH-2018-195/1.3"),
        **_paid_as_programme("tp_", "third_party", t.rp_third_party_paid, "PZH-2018-195/1.2"),
    )


def _paid_as_programme(
    prefix: str, payer: str, paid: ir.DecimalValue, clause: str
) -> dict[str, ir.Value]:
    """The yearly plan's reading of a payment as its own programme (plan.programmes):
    who is paid for, the payer's part, nothing owed by the person, the clause.

    Panzhihua's contribution subsidy (政府缴费补贴, paid by the government: 财政) and the
    third parties' funding are handed to others than the pension's government-paid
    part (decision 0013), so each is a programme of its own, not a payer of the pension.
    """
    eligible = (paid > money(0)).fill_null(False)
    return {
        f"{prefix}eligible": eligible,
        f"{prefix}fund_{payer}": to_money(ibis.ifelse(eligible, paid, money(0))),
        f"{prefix}self_due": ibis.null("decimal(18, 2)"),
        f"{prefix}basis": ibis.ifelse(eligible, ibis.literal(clause + ";"), ibis.literal("")),
    }


def he_late_enrollment(t: ir.Table, p: Params) -> ir.Table:
    """HE-2018-3/2.1.1: registered poor aged 60+ who never enrolled pay no back
    contributions; on application they draw the pension from the month after.

    ``rp_late_enrollment_reasons``: why one who applied does not qualify (not
    registered poor, enrolled now or before, under 60 on the application date, dead
    before the year: HE-2018-3/3.2.1), so that the pension-start list can tell the
    applicant why (plan/pension_starts.py); empty for everyone else.
    """
    pension_age = int(p.get("resident_pension.pension_age"))
    last = ibis.literal(date(p.year, 12, 31))
    # the year's application is one made by its end (docs/readings.md 41), as the
    # registry's reading (plan/records.py) and Shandong's rule take it: one made later
    # neither starts a pension in the year nor has its age read for the year
    applied = (t.rp_application_date <= last).fill_null(False)
    at = ibis.ifelse(applied, t.rp_application_date, last)
    age_at = (
        at.year()
        - t.birth_date.year()
        - ((t.birth_date.month() * 100 + t.birth_date.day()) > (at.month() * 100 + at.day())).cast(
            "int64"
        )
    )
    dead = dead_before(t, p.year)
    checks: list[tuple[ir.BooleanValue, str]] = [
        (dead, "deceased"),
        (~t.rpx_registered_poor, "not_registered_poor"),
        (t.rp_enrolled | t.rp_ever_enrolled, "enrolled"),
        (age_at < pension_age, "under_age"),
    ]
    qualifies = ~ibis.or_(*[c for c, _ in checks])
    month_start = at.truncate("M")
    pension_from = (month_start + ibis.interval(months=1)).cast("date")
    return t.mutate(
        rp_late_enrollment=qualifies,
        rp_pension_from=ibis.ifelse(qualifies & applied, pension_from, ibis.null("date")),
        rp_late_enrollment_reasons=ibis.ifelse(applied, join_codes(checks), ""),
    )


#: The review results that hold an early pension back, and their reason codes.
EARLY_REVIEW = {"pending": "review_pending", "rejected": "review_rejected"}


def sd_early_pension(t: ir.Table, p: Params) -> ir.Table:
    """SD-2017-37/2.1: severely disabled participants may, on application and
    review, draw the pension 5 years early (at 55 instead of 60).

    "提出申请，经审核后": only an approved application counts — the person's latest
    made by the year's end (``rp_early_application_date``, its
    ``rp_early_review_result``; plan/records.py reads it from the registry's list).
    ``rp_early_pension_reasons``: why a severely disabled person, or one who applied,
    does not draw it early (no application, a pending or rejected review, not
    severely disabled in the year, not enrolled, dead before the year:
    HE-2018-3/3.2.1); empty for everyone else, so results show the section only for
    those concerned (not for one who died before the year without applying).
    """
    years = int(p.get("resident_pension.early_pension_years"))
    pension_age = int(p.get("resident_pension.pension_age"))
    applied = (t.rp_early_application_date <= date(p.year, 12, 31)).fill_null(False)
    review = ibis.ifelse(applied, t.rp_early_review_result, ibis.null("string"))
    dead = dead_before(t, p.year)
    checks: list[tuple[ir.BooleanValue, str]] = [
        (dead, "deceased"),
        (~t.rpx_severe_disability, "not_severe_disability"),
        (~t.rp_enrolled, "not_enrolled"),
        (~applied, "no_application"),
    ]
    checks += [((review == r).fill_null(False), code) for r, code in EARLY_REVIEW.items()]
    # the severely disabled living, and anyone who applied (the dead too: told why)
    concerned = ((t.rpx_severe_disability & ~dead) | applied) & ~unborn(t, p.year)
    approved = (review == "approved").fill_null(False)
    qualifies = concerned & approved & ~ibis.or_(*[c for c, _ in checks])
    return t.mutate(
        rp_early_pension=qualifies,
        rp_early_pension_age=ibis.ifelse(qualifies, pension_age - years, ibis.null("int64")),
        rp_early_pension_reasons=ibis.ifelse(concerned, join_codes(checks), ""),
    )
