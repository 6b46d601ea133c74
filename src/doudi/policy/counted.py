"""Who each insurance line counts as poor on a day (decision 0015).

The comparison (信息比对), the statistics and the dashboard look for the poor without
insurance. Which people a line looks for is the people its government payment
targets in the jurisdiction and year: the pension's government-paid contribution
(代缴, RULES.md §2) and the medical contribution subsidy (资助参保, RULES.md §3.1).
So this module reads them with the rules' own expressions, not a second list: the
status windows of each line (exit marks as the document reads them: Jiangxi's
未标注脱贫, Hebei's 包括已脱贫 and its medical 2016-08-01, Chongqing's Y-1 recognition)
and each document's categories (Jiangxi's minors and 60+ of low-income families, the
14 categories of demobilised soldiers; Hebei's other assistance targets …).

The day bounds what is known: a window of the year is read up to the day, so a status
that begins after the day counts from that day on, never before it.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from doudi.policy.params import Params
from doudi.policy.rules import resident_medical, resident_pension
from doudi.policy.rules.resident_pension_documents import rules_for
from doudi.policy.rules.shared import Window
from doudi.policy.rules.status import with_status_flags

#: The insurance lines, each with the column naming the group that counts a person
#: (null: not counted by that line).
LINES = ("pension", "medical")

#: The people columns the readings need (besides ``row_no``).
PEOPLE = ibis.schema(
    {
        "row_no": "int64",
        "birth_date": "date",
        "student": "boolean",
        "unable_to_work": "boolean",
    }
)


def _until(windows: list[Window], day: date) -> list[Window]:
    """The windows read up to ``day`` (a window ending later ends on the day)."""
    return [Window(w.prefix, w.start, min(w.end, day), w.exit_mode) for w in windows]


def groups(people: ir.Table, statuses: ir.Table, p: Params, day: date) -> ir.Table:
    """``row_no``, ``pension_group`` and ``medical_group``: the category by which each
    line's government payment targets the person in ``p``'s jurisdiction and year,
    read on ``day`` (null: not a target of that line).

    ``people`` has :data:`PEOPLE`'s columns, ``statuses`` those of
    ``policy.schema.STATUSES`` (an exit mark as ``exit_date``).
    """
    windows = _until(resident_pension.windows(p) + resident_medical.windows(p), day)
    t = with_status_flags(people, statuses, windows)
    medical = resident_medical.categories(t, p)
    return t.select(
        "row_no",
        pension_group=rules_for(p).targets.category(t),
        medical_group=ibis.cases(*[(c, name) for c, name, _ in medical], else_=None).cast("string"),
    )
