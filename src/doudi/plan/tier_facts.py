"""The tier facts of a person: the resident-pension tier the plan reads, and whether an
off-list tier was ignored (docs/readings.md 31).

Apart from the rest of the reading (``plan.inputs``) because they are the part of a
person's inputs a tier list decides: a costing's reform that only changes the tier list
makes these again over the baseline's inputs (``inputs.tiers_held``) rather than
reading the registry a second time.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.plan import contributions
from doudi.store import db


def held(
    n: int,
    at: np.ndarray,
    start: np.ndarray,
    tier: pa.Array,
    holding: np.ndarray,
    allowed: tuple[Decimal, ...] | None,
) -> dict[str, pa.Array]:
    """Per person of ``n``, from their enrollments (``at``: each enrollment's person's
    place; ``start``: its first day; ``tier``: its tier, money or null; ``holding``: a
    resident-pension enrollment of the person holding on some day of the year): the
    tier of the latest-starting holding enrollment that names one of ``allowed`` (of
    two starting the same day, the higher: ``rp_tier``), and whether a holding one
    named a tier not ``allowed`` that would otherwise have been read
    (``rp_tier_ignored``). ``allowed`` None: the year has no tier list, any is read."""
    named = holding & np.asarray(pc.is_valid(tier).to_numpy(zero_copy_only=False), bool)
    unlisted = np.zeros(len(named), bool)
    if allowed is not None:
        listed = pc.fill_null(pc.is_in(tier, value_set=pa.array(allowed, db.MONEY)), True)
        unlisted = named & ~np.asarray(listed.to_numpy(zero_copy_only=False), bool)
        named &= ~unlisted
    return {
        "rp_tier_ignored": pa.array(_ignored(n, at, start, named, unlisted)),
        "rp_tier": _latest_tier(
            n, at[named], start[named], contributions.decimal_values(tier)[named]
        ),
    }


def _ignored(
    n: int, at: np.ndarray, start: np.ndarray, named: np.ndarray, unlisted: np.ndarray
) -> np.ndarray:
    """Per person, whether an off-list tier was the one the plan would otherwise have
    read: an unlisted enrollment starting after every allowed one (or with no allowed
    one). An off-list tier the person has since replaced by an allowed one changed
    nothing and is not counted. Only the few people with an unlisted row are looked at."""
    ignored = np.zeros(n, bool)
    if not unlisted.any():
        return ignored
    concerned = np.zeros(n, bool)
    concerned[at[unlisted]] = True
    lowest = np.iinfo(np.int32).min
    last_unlisted = np.full(n, lowest, np.int32)
    np.maximum.at(last_unlisted, at[unlisted], start[unlisted])
    allowed_rows = named & concerned[at]
    last_allowed = np.full(n, lowest, np.int32)
    np.maximum.at(last_allowed, at[allowed_rows], start[allowed_rows])
    return concerned & (last_unlisted > last_allowed)


def _latest_tier(n: int, person: np.ndarray, start: np.ndarray, tier: np.ndarray) -> pa.Array:
    """Each of ``n`` persons' tier (``contributions.decimal_values``) of their latest
    ``start``; null for a person without one. Most persons have one row, set directly;
    the rest are put in order (person, start, tier: the last of a person's rows is
    theirs)."""
    count = np.bincount(person, minlength=n)
    values = np.zeros(n, contributions.DECIMAL)
    single = count[person] == 1
    values[person[single]] = tier[single]
    several = np.flatnonzero(~single)
    if len(several):
        # a tier below 2^63 fen: its low (first, little-endian) word is its value
        low = tier[several].view(np.int64)[::2]
        order = several[np.lexsort((low, start[several], person[several]))]
        last = np.append(person[order][1:] != person[order][:-1], True)
        values[person[order][last]] = tier[order][last]
    valid = pa.py_buffer(np.packbits(count > 0, bitorder="little"))
    return contributions.decimal_array(values, valid)
