"""The resident-pension contribution tiers a person may contribute at (缴费档次).

A tier is chosen from a fixed list (GF-2014-8/5.1: 100 … 2000 yuan, a province may add
more), and the rules pay a share of the minimum tier and read the person's tier as
their contribution: a tier that is not one of the list (50 yuan, 150 yuan) would be
paid and planned as if it were. What a person may choose is therefore read from the
parameters in one place, for every input that names a tier (a scenario, a roster's
tier column, an enrollment the plan reads).
"""

from __future__ import annotations

from decimal import Decimal

from doudi.policy.jurisdictions import Jurisdiction
from doudi.policy.parameters import ParameterError
from doudi.policy.params import Params


def allowed(p: Params) -> tuple[Decimal, ...]:
    """The tiers a person may choose in ``p``'s jurisdiction and year, lowest first.

    The listed tiers (``resident_pension.tiers``) from the minimum tier up; the minimum
    tier itself, should an override set one that is not listed; and the old minimum
    kept for the poor after a raise (``resident_pension.retained_tier``:
    NAT-2017-59/2.1, HE-2018-3/2.1.1), which the rules read as their minimum tier.
    """
    minimum = p.get("resident_pension.minimum_tier")
    listed = p.get("resident_pension.tiers")
    retained = p.get("resident_pension.retained_tier", None)
    tiers = {t for t in listed if t >= minimum} | {minimum}
    if retained is not None:
        tiers.add(retained)
    return tuple(sorted(tiers))


def in_force(jurisdiction: str | Jurisdiction, year: int) -> tuple[Decimal, ...] | None:
    """:func:`allowed` in ``jurisdiction`` and ``year``; None where the year has no tier
    list (or minimum tier) in force, as before GF-2014-8: a tier the registry holds (a
    roster's, an enrollment's) is then held against nothing, and the rules, which need
    the minimum tier, say themselves that the year has no parameters."""
    return offered(Params(jurisdiction, year))


def offered(p: Params) -> tuple[Decimal, ...] | None:
    """:func:`allowed` in ``p`` (a jurisdiction and year, perhaps with a costing's
    overrides), None where no tier list (or minimum tier) is in force (:func:`in_force`)."""
    try:
        return allowed(p)
    except ParameterError:
        return None


def yuan_text(amount: Decimal) -> str:
    """An amount as written on a tier list: 100, not 100.00 or 1E+2."""
    return format(amount.normalize(), "f")


def shown(tiers: tuple[Decimal, ...]) -> str:
    """Tiers as a caseworker reads them: 100、200、300 元."""
    return "、".join(yuan_text(t) for t in tiers) + " 元"
