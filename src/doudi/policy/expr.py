"""Column-expression helpers the rules share: money, ages, periods, splits.

Everything here builds Ibis expressions, so one definition serves one person
(a table of one row) and a province (ten million rows) on DuckDB or Spark.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

MONEY = dt.Decimal(18, 2)
RATIO = dt.Decimal(18, 4)


def money(value: Decimal | int | str) -> ir.DecimalScalar:
    """A money literal, exact to the fen."""
    exact = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return ibis.literal(exact, type=MONEY)


def ratio(value: Decimal | int | str) -> ir.DecimalScalar:
    """A share or rate literal (four decimals: 0.7, 0.6, 1)."""
    return ibis.literal(Decimal(str(value)), type=RATIO)


def to_money(value: ir.NumericValue) -> ir.DecimalValue:
    """Round half-up to the fen (DuckDB and Spark both round DECIMAL half-up)."""
    return value.round(2).cast(MONEY)


def age_on(birth: ir.DateValue, on: date) -> ir.IntegerValue:
    """Completed years of age on ``on`` (a birthday counts on the day itself)."""
    not_yet = (birth.month() * 100 + birth.day()) > (on.month * 100 + on.day)
    return (on.year - birth.year() - not_yet.cast("int64")).cast("int64")


def overlaps(
    start: ir.DateValue, end: ir.DateValue, window_from: date, window_to: date
) -> ir.BooleanValue:
    """Whether the period [start, end) holds on some day of [window_from, window_to].

    ``end`` is exclusive and null means open, as in the scenario contract.
    """
    return (start <= window_to) & (end.isnull() | (end > window_from))


def least_date(a: ir.DateValue, b: ir.DateValue) -> ir.DateValue:
    """The earlier of two dates, where null means "never"."""
    return ibis.cases((a.isnull(), b), (b.isnull(), a), (a <= b, a), else_=b)


def join_codes(parts: list[tuple[ir.BooleanValue, str]]) -> ir.StringValue:
    """Concatenate ``code;`` for each true condition (a reasons or basis list).

    Kept as a plain string so every engine can carry it; the engine splits it.
    """
    out: ir.StringValue = ibis.literal("")
    for condition, code in parts:
        out = out + ibis.ifelse(condition, ibis.literal(code + ";"), ibis.literal(""))
    return out


def none_hold(conditions: list[ir.BooleanValue]) -> ir.BooleanValue:
    """Whether none of ``conditions`` holds, a null one counting as not holding: what
    ``join_codes(...) == ""`` tests, without building the string.

    Why apart from the reasons: a plan reads who is eligible, not why the others are
    not, and DuckDB leaves out a column nobody selects. Tested through the reasons
    string, every person's reasons were built to be compared with "" (at 10^7 people
    about 3 s of CPU in the plan's rules, docs/scale.md).
    """
    held: ir.BooleanValue = ibis.literal(False)
    for condition in conditions:
        held = held | condition.fill_null(False)
    return ~held


def split_columns(
    t: ir.Table, total: str, weights: Mapping[str, ir.IntegerValue | int], prefix: str
) -> ir.Table:
    """Add ``<prefix><payer>`` columns: a largest-remainder split of ``t[total]``.

    The same method as :func:`doudi.core.money.split`: floors of the exact
    shares in fen, then one fen each to the largest remainders, ties to the
    payer listed first; the parts always add up to the total exactly. Weights
    are integers (literals or per-row columns). Intermediate values are staged
    as columns so the compiled SQL does not repeat them.
    """
    names = list(weights)
    w = {n: f"_w_{i}" for i, n in enumerate(names)}
    t = t.mutate(
        _fen=(t[total] * 100).cast("int64"),
        **{w[n]: ibis.literal(v) if isinstance(v, int) else v for n, v in weights.items()},
    )
    w_sum = sum((t[w[n]] for n in names[1:]), t[w[names[0]]])
    t = t.mutate(_wsum=ibis.ifelse(w_sum == 0, 1, w_sum), _wzero=w_sum == 0)
    t = t.mutate(
        **{f"_floor_{i}": (t._fen * t[w[n]]) // t._wsum for i, n in enumerate(names)},
        **{f"_rem_{i}": (t._fen * t[w[n]]) % t._wsum for i, n in enumerate(names)},
    )
    floors = [t[f"_floor_{i}"] for i in range(len(names))]
    t = t.mutate(_leftover=t._fen - sum(floors[1:], floors[0]))
    parts = {}
    for i, n in enumerate(names):
        rem_i = t[f"_rem_{i}"]
        ahead = [
            ((t[f"_rem_{j}"] > rem_i) | ((t[f"_rem_{j}"] == rem_i) & ibis.literal(j < i))).cast(
                "int64"
            )
            for j in range(len(names))
            if j != i
        ]
        rank = sum(ahead[1:], ahead[0]) if ahead else ibis.literal(0)
        share_fen = ibis.ifelse(t._wzero, 0, t[f"_floor_{i}"] + (rank < t._leftover).cast("int64"))
        parts[prefix + n] = (share_fen.cast(MONEY) / 100).cast(MONEY)
    temp = ["_fen", "_wsum", "_wzero", "_leftover", *w.values()]
    temp += [f"_{kind}_{i}" for kind in ("floor", "rem") for i in range(len(names))]
    return t.mutate(**parts).drop(*temp)
