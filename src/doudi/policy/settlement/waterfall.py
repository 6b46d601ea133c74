"""The payer layers as column expressions with per-person yearly accumulation.

Each layer takes what is left of the in-policy cost after the layers before
it. A layer has an optional per-admission deductible, an optional yearly
deductible, rates by segment of the cumulative eligible amount (and by hospital
level), and a yearly cap. Cumulative quantities are window sums over the
person's bills of the calendar year ordered by discharge date: for a bill k,
``S_k`` = the running total including k and ``S_k - x_k`` the total before it,
so each bill gets exactly the increment its own amount causes. Settling bills
one at a time in date order therefore gives the same result as settling the
year at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import ibis
import ibis.expr.types as ir

from doudi.policy.expr import MONEY, RATIO, money, to_money


def year_order(bills: ir.Table) -> ir.Table:
    """``bill_no`` with ``_person_year`` and ``_seq``: the person's bills of one
    calendar year, numbered in order of discharge date (then bill number).

    Every later window partitions by these two integers instead of the ID
    number, the year and the dates, over a table of amounts only: DuckDB sorts
    each window's rows with their payload, and integer keys over a narrow table
    sort several times faster than string keys over the whole bill
    (docs/decisions/0005).
    """
    order = ibis.window(
        group_by=[bills.id_number, bills.discharge_date.year()],
        order_by=[bills.discharge_date, bills.bill_no],
    )
    # bill numbers are unique, so the first one names the person's year
    return bills.select(
        "bill_no",
        _person_year=bills.bill_no.first().over(order),
        _seq=ibis.row_number().over(order),
    )


def _window(
    groups: tuple[str, ...], rows: tuple[int | None, int]
) -> ibis.expr.builders.LegacyWindowBuilder:
    return ibis.window(
        group_by=[ibis._._person_year, *(ibis._[g] for g in groups)],
        order_by=[ibis._._seq],
        rows=rows,
    )


def year_window(*groups: str) -> ibis.expr.builders.LegacyWindowBuilder:
    """The person's bills of one calendar year (and ``groups``) up to this one."""
    return _window(groups, (None, 0))


def running(t: ir.Table, column: str, *groups: str) -> ir.DecimalValue:
    """Running total of ``column`` over the person's year, including this bill."""
    return t[column].sum().over(year_window(*groups)).cast(MONEY)


@dataclass(frozen=True)
class Segment:
    """Rate ``rate`` on the part of the yearly eligible total from ``start`` up."""

    start: ir.DecimalValue  # amount above the yearly deductible where the segment begins
    rate: ir.DecimalValue


def _clamp(x: ir.DecimalValue, width: ir.DecimalValue | None) -> ir.DecimalValue:
    low = ibis.greatest(x, 0)
    return low if width is None else ibis.least(low, width)


def layer(
    t: ir.Table,
    name: str,
    base: str,
    *,
    yearly_deductible: ir.DecimalValue | None,
    segments: Sequence[Segment],
    cap: ir.DecimalValue | None,
    cap_group: str | None = None,
    cap_varies: bool = False,
    cap_values: Sequence[Decimal] = (),
    extra: str | None = None,
) -> ir.Table:
    """Add ``<name>_paid`` for the amount in column ``base`` (already net of any
    per-admission deductible), and ``<name>_left`` = ``base`` − paid.

    ``yearly_deductible`` None with one segment from 0 is a plain rate on the
    bill (no running total needed: half the windows of a year's settlement).
    ``extra`` names a column of further amounts this layer pays under the same
    yearly cap. ``cap_group`` names a column whose values keep separate yearly
    caps (chronic outpatient class I and class II beside inpatient care).
    ``cap_varies`` says the cap can change within a person's year (it depends
    on a status at discharge); a cap that cannot needs one window less, and so
    does a varying cap whose possible ``cap_values`` are known, in a layer with a
    yearly deductible (its running maximum joins the running total's window).
    """
    stepwise = cap_varies and bool(cap_values) and cap_group is None
    if yearly_deductible is None and len(segments) == 1:
        uncapped = to_money(t[base].cast(RATIO) * segments[0].rate)
        drop = [f"_{name}_uncapped"]
    else:
        deductible = yearly_deductible if yearly_deductible is not None else 0
        if stepwise:
            t = t.mutate(**{f"_{name}_cap0": cap})
        windows = {f"_{name}_cum": running(t, base)}
        if stepwise:
            # the highest cap granted so far, in the same window as the running total
            windows[f"_{name}_cap"] = t[f"_{name}_cap0"].max().over(year_window())
        t = t.mutate(**windows)
        now = t[f"_{name}_cum"] - deductible
        before = now - t[base]
        starts = [s.start for s in segments]
        parts = []
        for i, seg in enumerate(segments):
            width = (starts[i + 1] - seg.start) if i + 1 < len(segments) else None
            inc = _clamp(now - seg.start, width) - _clamp(before - seg.start, width)
            parts.append(inc.cast(RATIO) * seg.rate)
        uncapped = to_money(sum(parts[1:], parts[0]))
        drop = [f"_{name}_cum", f"_{name}_uncapped"]
    if extra is not None:
        uncapped = to_money(uncapped + t[extra])
    t = t.mutate(**{f"_{name}_uncapped": uncapped})
    if cap is None:
        t = t.mutate(**{f"{name}_paid": t[f"_{name}_uncapped"]})
    elif stepwise and f"_{name}_cap" in t.columns:
        t = _capped_stepwise(t, name, cap_values)
        drop += [f"_{name}_{x}" for x in ("cap0", "cap")]
    elif cap_varies:
        t = _capped(t, name, cap, cap_group)
        drop += [f"_{name}_{x}" for x in ("ucum", "cap0", "cap", "excess", "excess_before")]
    else:
        t = _capped_fixed(t, name, cap, cap_group)
        drop.append(f"_{name}_ucum")
    t = t.mutate(**{f"{name}_left": to_money(t[base] - t[f"{name}_paid"])})
    return t.drop(*drop)


def _capped_fixed(t: ir.Table, name: str, cap: ir.DecimalValue, cap_group: str | None) -> ir.Table:
    """``<name>_paid`` under a cap that is the same for all of a person's year:
    the running total paid is min(U_k, C), and each bill gets its increment.
    """
    groups = (cap_group,) if cap_group else ()
    t = t.mutate(**{f"_{name}_ucum": running(t, f"_{name}_uncapped", *groups)})
    ucum = t[f"_{name}_ucum"]
    paid = ibis.least(ucum, cap) - ibis.least(ucum - t[f"_{name}_uncapped"], cap)
    return t.mutate(**{f"{name}_paid": to_money(paid)})


def _capped_stepwise(t: ir.Table, name: str, cap_values: Sequence[Decimal]) -> ir.Table:
    """``<name>_paid`` under a cap C_k (the highest granted so far) that takes one of
    ``cap_values``, with C_k already computed: one window instead of two.

    For a non-decreasing C, max_{j≤k}(U_j − C_j) = max over the values c of
    (A^c_k − c), where A^c_k = Σ_{j≤k, C_j ≤ c} u_j: within the bills capped at c the
    excess is largest at the last of them, whose running total is A^c_k, and a value
    not yet reached gives a smaller excess than the cap in force. A^c_{k−1} is A^c_k
    without the bill's own amount.
    """
    u, cap = t[f"_{name}_uncapped"], t[f"_{name}_cap"]
    own = {c: ibis.ifelse(cap <= money(c), u, money(0)) for c in sorted(set(cap_values))}
    sums = {f"_{name}_a{i}": x.sum().over(year_window()) for i, x in enumerate(own.values())}
    t = t.mutate(**sums)
    now = [t[f"_{name}_a{i}"] - money(c) for i, c in enumerate(own)]
    before = [t[f"_{name}_a{i}"] - x - money(c) for i, (c, x) in enumerate(own.items())]
    excess = ibis.greatest(money(0), *now) - ibis.greatest(money(0), *before)
    t = t.mutate(**{f"{name}_paid": to_money(u - excess)})
    return t.drop(*sums)


def _capped(t: ir.Table, name: str, cap: ir.DecimalValue, cap_group: str | None) -> ir.Table:
    """``<name>_paid``: the uncapped amounts limited by a yearly cap.

    With U_k the running total of uncapped amounts and C_k the cap in force on
    bill k, the running total paid is P_k = U_k − max(0, max_{j≤k}(U_j − C_j)):
    exact for a cap that stays or rises during the year (a patient who becomes
    poor in August gets Jiangxi's higher cap from then on, with the room it
    leaves). C_k is the highest cap granted so far in the year: a cap once
    granted is not taken back by a later status change (docs/settlement.md),
    which also keeps every payment non-negative.
    """
    groups = (cap_group,) if cap_group else ()
    window = year_window(*groups)
    t = t.mutate(**{f"_{name}_cap0": cap})  # a column of this table, as a window requires
    t = t.mutate(
        **{
            f"_{name}_ucum": running(t, f"_{name}_uncapped", *groups),
            # the highest cap granted so far this year stays granted
            f"_{name}_cap": t[f"_{name}_cap0"].max().over(window),
        }
    )
    excess = t[f"_{name}_ucum"] - t[f"_{name}_cap"]
    # the same partition and order with the frame ending one row earlier: DuckDB sorts once
    earlier = _window(groups, (None, -1))
    t = t.mutate(
        **{
            f"_{name}_excess": ibis.greatest(excess.max().over(window), 0).cast(MONEY),
            f"_{name}_excess_before": ibis.greatest(excess.max().over(earlier), 0)
            .fill_null(0)
            .cast(MONEY),
        }
    )
    paid = t[f"_{name}_uncapped"] - (t[f"_{name}_excess"] - t[f"_{name}_excess_before"])
    return t.mutate(**{f"{name}_paid": to_money(ibis.greatest(paid, 0))})
