"""One roster into the table that gets written: rows ordered by village as real lists
are, duplicate rows inserted, the deliberate errors of :mod:`doudi.synth.mistakes`
spread over the rows that may carry them, and dates in the department's format.

Why the rows are chosen with care: a row whose rejection would change the manifest's answers
(the outreach list, the dead still receiving, the movers) gets no error that rejects it,
and a person's name is wrong in at most one file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.synth.mistakes import (
    BAD_DATES,
    RECORD_KINDS,
    cells_of,
    date_column,
    edit_ids,
    edit_names,
    edit_record_cells,
    kinds_of,
)
from doudi.synth.people import People
from doudi.synth.places import Places
from doudi.synth.randomness import Bools, Ints, choose, stream
from doudi.synth.roster_columns import Roster
from doudi.synth.writing import Style, format_dates


def _split(rng: np.random.Generator, total: int, kinds: list[str]) -> dict[str, int]:
    """``total`` errors spread evenly over ``kinds``, the remainder at random."""
    if not kinds:
        return {}
    counts = dict.fromkeys(kinds, total // len(kinds))
    for i in rng.choice(len(kinds), total % len(kinds), replace=False):
        counts[kinds[int(i)]] += 1
    return counts


@dataclass
class Rendered:
    table: pa.Table  # string columns named by the canonical column names
    errors: dict[str, list[int]]  # kind -> 0-based data-row positions


@dataclass
class Context:
    """What every file needs to know about the population while it is rendered."""

    people: People
    places: Places
    error_rate: float
    seed: int
    ends_x: Bools  # ID number ends with X
    born_19xx: Bools  # a 15-digit number can only encode 19yy
    files_per_person: Ints
    name_touched: Bools  # already has a name error in some file: keep its other names
    codes: pa.Array = field(init=False)

    def __post_init__(self) -> None:
        self.codes = pa.array(self.places.codes, pa.string())


def render(r: Roster, ctx: Context, style: Style) -> Rendered:
    rng = stream(ctx.seed, "errors", r.source.name)
    order = np.lexsort((r.person, r.village)).astype(np.int64)  # by village, like real lists
    n = len(order)
    fixed = {k: v[order] for k, v in r.fixed.items()}
    n_fixed = sum(int(v.sum()) for v in fixed.values())
    free = [k for k in kinds_of(r.source) if k not in fixed]
    counts = _split(rng, max(round(n * ctx.error_rate) - n_fixed, 0), free)
    protected = r.protected[order]
    reserved = np.zeros(n, bool)
    for v in fixed.values():
        reserved |= v

    # The same row twice, the copy somewhere further down the file.
    src = choose(rng, np.flatnonzero(~protected & ~reserved), counts.get("duplicate", 0))
    after = src + (rng.random(len(src)) * (n - src)).astype(np.int64)
    origin = np.concatenate([np.arange(n, dtype=np.int64), src])
    final = np.argsort(np.concatenate([2 * np.arange(n), 2 * after + 1]), kind="stable")
    origin = origin[final]
    copy = final >= n
    rows = order[origin]
    person = r.person[rows]
    used = reserved[origin] | np.isin(origin, src)
    protected = protected[origin]

    chosen: dict[str, Ints] = {"duplicate": np.flatnonzero(copy).astype(np.int64)}
    chosen |= {k: np.flatnonzero(v[origin] & ~copy).astype(np.int64) for k, v in fixed.items()}
    dates = date_column(r.source)

    def filled(names: list[str]) -> Bools:
        """Rows with a value in one of the columns (every row, for a column no list
        leaves empty)."""
        some = np.zeros(len(rows), bool)
        for name in names:
            some |= pc.is_valid(r.values[name].take(rows)).to_numpy(zero_copy_only=False)
        return some

    eligible: dict[str, Callable[[], Bools]] = {
        "lowercase_x": lambda: ctx.ends_x[person],
        "old_15_digit": lambda: ctx.born_19xx[person],
        "name_variant": lambda: (ctx.files_per_person[person] >= 2) & ~ctx.name_touched[person],
        "check_digit": lambda: ~protected,
        "birth_date": lambda: ~protected,
        "empty_name": lambda: ~protected & ~ctx.name_touched[person],
        "bad_date": lambda: ~protected & filled([dates] if dates else []),
        "full_width": lambda: np.ones(len(person), bool),
        "stray_space": lambda: np.ones(len(person), bool),
    }
    for kind in RECORD_KINDS:
        eligible[kind] = partial(filled, [c.name for c in cells_of(kind, r.source)])
    for kind, ok in eligible.items():
        if kind in counts:
            chosen[kind] = choose(rng, np.flatnonzero(ok() & ~used), counts[kind])
            used[chosen[kind]] = True
            if kind in ("name_variant", "empty_name"):
                ctx.name_touched[person[chosen[kind]]] = True

    p = ctx.people
    columns: dict[str, pa.Array] = {
        "id_number": p.ids.take(person),
        "name": p.names.take(person),
        "region_code": ctx.codes.take(r.county[rows]),
        "township": ctx.places.township.take(r.village[rows]),
        "village": ctx.places.village.take(r.village[rows]),
    }
    for name, values in r.values.items():
        taken = values.take(rows)
        columns[name] = format_dates(taken, style.date_format) if _is_date(taken) else taken
    edits: dict[str, dict[int, str]] = {"id_number": {}, "name": {}}
    edit_ids(rng, chosen, columns["id_number"], edits["id_number"])
    edit_names(rng, chosen, columns["name"], edits["name"])
    if dates is not None:  # bad_date is only made on a list with dates (kinds_of)
        edits[dates] = {
            int(pos): BAD_DATES[i % len(BAD_DATES)]
            for i, pos in enumerate(chosen.get("bad_date", []))
        }
    edit_record_cells(chosen, r.source, columns, edits)
    for name, changes in edits.items():
        columns[name] = _patch(columns[name], changes)
    table = pa.table(
        [columns[c.name] for c in r.source.columns], [c.name for c in r.source.columns]
    )
    return Rendered(table, {k: sorted(int(i) for i in v) for k, v in chosen.items()})


def _is_date(values: pa.Array) -> bool:
    return bool(values.type == pa.date32())


def _patch(values: pa.Array, changes: dict[int, str]) -> pa.Array:
    if not changes:
        return values
    mask = np.zeros(len(values), bool)
    positions = sorted(changes)
    mask[positions] = True
    replacements = pa.array([changes[i] for i in positions], pa.string())
    return pc.replace_with_mask(values, pa.array(mask), replacements)
