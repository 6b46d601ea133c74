"""How statuses count in a year (RULES.md §1): one boolean column per status.

The documents differ, and the difference is itself a rule:
- registered poor count only while not exit-marked (NAT-2017-59/2.1,
  JX-2017-58/2.1.1, SD-2017-37/2.1, CQ-2018-82/2.1.1), or including those
  already exited (HE-2018-3/1), or for Hebei medical, those exited after
  2016-08-01 (HE-2018-3/2.2.1) — parameters ``*.registered_poor_includes_exited``
  and ``resident_medical.registered_poor_exited_after``;
- a status held on any day of the year counts (HE-2018-3/2.1.2; Doudi's reading
  for the documents that do not say, docs/readings.md);
- Chongqing's pension targets for year Y are those recognised in Y-1 and still
  qualifying at its end (CQ-2018-82/2.1.1, 上年经认定 + 动态管理).
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from doudi.policy.expr import least_date, overlaps
from doudi.policy.rules.shared import STATUSES, Window


def effective_end(statuses: ir.Table, exit_mode: str | date) -> ir.DateValue:
    """The end of a status period once the exit reading is applied (see Window)."""
    end = statuses.valid_to
    if exit_mode == "respect":
        return least_date(statuses.valid_to, statuses.exit_date)
    if isinstance(exit_mode, date):
        early_exit = statuses.exit_date.notnull() & (statuses.exit_date < exit_mode)
        return ibis.ifelse(early_exit, least_date(statuses.valid_to, statuses.exit_date), end)
    return end


def _held(statuses: ir.Table, w: Window) -> ir.BooleanValue:
    end = effective_end(statuses, w.exit_mode)
    return overlaps(statuses.valid_from, end, w.start, w.end)


def with_status_flags(people: ir.Table, statuses: ir.Table, windows: list[Window]) -> ir.Table:
    """Add ``<prefix>_<status>`` booleans, and ``<prefix>_exited_registered_poor``.

    The latter is true when a registered-poor period counted only because
    exited persons are included, so an explanation can say so.
    """
    aggs: dict[str, ir.BooleanScalar] = {}
    for w in windows:
        held = _held(statuses, w)
        for status in STATUSES:
            aggs[f"{w.prefix}_{status}"] = (held & (statuses.status == status)).any()
        exited = statuses.exit_date.notnull() & (statuses.exit_date <= w.end)
        aggs[f"{w.prefix}_exited_registered_poor"] = (
            held & (statuses.status == "registered_poor") & exited
        ).any()
    flags = statuses.group_by("row_no").aggregate(**aggs)
    joined = people.left_join(flags, people.row_no == flags.row_no).drop("row_no_right")
    return joined.mutate(**{name: joined[name].fill_null(False) for name in aggs})
