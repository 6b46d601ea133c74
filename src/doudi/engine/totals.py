"""A scenario's amounts summed by programme and payer (``doudi evaluate --totals``).

Why: a policy officer costing a scenario wants what each payer pays for each programme,
not a column of people's amounts to add by hand. The sums are taken from the result
contract itself (docs/scenario.md), exactly in ``Decimal``, so that a total is, fen for
fen, the sum of what the people's sections show; the dead and the not-born contribute the
0.00 their sections already hold. A total keeps the keys of the person's section it sums,
so a reader of the JSON needs no second vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from doudi.core import vocab
from doudi.core.money import ZERO, fmt

#: The money fields of each programme's section, in display order, with their Chinese
#: labels: (key in the totals, path in the person's section, label). A field that no
#: person's section has (Panzhihua's subsidy elsewhere, Hebei's benefit in Jiangxi) is
#: left out of the totals. ``funding`` (per payer) is summed apart, after the item it pays.
ITEMS: dict[str, tuple[tuple[str, tuple[str, ...], str], ...]] = {
    "resident_pension": (
        ("contribution", ("contribution",), "缴费金额"),
        ("gov_paid", ("gov_paid",), "政府代缴"),
        ("third_party_paid", ("third_party_paid",), "第三方资助"),
        ("self_due", ("self_due",), "个人应缴"),
        ("contribution_subsidy", ("contribution_subsidy",), "政府缴费补贴"),
    ),
    "resident_medical": (
        ("contribution", ("contribution",), "缴费金额"),
        ("subsidy", ("subsidy",), "参保资助"),
        ("self_due", ("self_due",), "个人缴纳"),
    ),
    "unemployment": (
        ("one_off_living_allowance", ("one_off_living_allowance", "amount"), "一次性生活补助"),
        ("skill_upgrade_subsidy", ("skill_upgrade_subsidy", "amount"), "技能提升补贴"),
        ("monthly_benefit", ("monthly_benefit",), "失业保险金（月标准）"),
        ("benefit", ("benefit",), "失业保险金"),
        ("employee_medical_premium", ("employee_medical_premium",), "基金负担职工医保费"),
        ("resident_medical_subsidy", ("resident_medical_subsidy",), "城乡居民医保缴费补助"),
    ),
}

#: The item each programme's ``funding`` splits between payers; elsewhere (the
#: unemployment fund pays Jiangxi's allowance and subsidy, Hebei's benefit and medical
#: premiums) the payers follow the last item.
FUNDED_ITEM = {"resident_pension": "gov_paid", "resident_medical": "subsidy"}


def _field(section: Mapping[str, Any], path: tuple[str, ...]) -> str | None:
    value: Any = section
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return value if isinstance(value, str) else None


def _payer_order(payers: Iterable[str]) -> list[str]:
    """The known payers in vocab.PAYER's order (the ledgers' order), then any other."""
    present = set(payers)
    return [p for p in vocab.PAYER if p in present] + sorted(present - set(vocab.PAYER))


def _programme(sections: list[Mapping[str, Any]], programme: str) -> dict[str, Any] | None:
    total: dict[str, Any] = {"people": len(sections)}
    for key, path, _ in ITEMS[programme]:
        amounts = [a for s in sections if (a := _field(s, path)) is not None]
        if amounts:
            total[key] = fmt(sum((Decimal(a) for a in amounts), ZERO))
    if len(total) == 1:  # a section without amounts (no rule of this document): no total
        return None
    funding: dict[str, Decimal] = {}
    for s in sections:
        for payer, amount in (s.get("funding") or {}).items():
            funding[payer] = funding.get(payer, ZERO) + Decimal(amount)
    total["funding"] = {p: fmt(funding[p]) for p in _payer_order(funding)}
    # Every person's result is a part of the total, a 0.00 too: the clauses that decided
    # each part, in the order they first appear.
    basis = (c for s in sections for c in s.get("basis") or [])
    total["basis"] = list(dict.fromkeys(basis))
    return total


def of(result: Mapping[str, Any]) -> dict[str, Any]:
    """The totals of an evaluated scenario (the mapping :func:`doudi.evaluate` returns):
    ``people``, then per programme the sum of each money field, ``funding`` per payer and
    ``basis``."""
    people = result["results"]
    totals: dict[str, Any] = {"people": len(people)}
    for programme in ITEMS:
        sections = [p[programme] for p in people if programme in p]
        total = _programme(sections, programme) if sections else None
        if total is not None:
            totals[programme] = total
    return totals


def rows(totals: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """The totals as table rows (programme, item, payer, amount), Chinese labels: each
    programme's items in order, its payers after the item they pay."""
    out: list[tuple[str, str, str, str]] = []
    for programme, items in ITEMS.items():
        total = totals.get(programme)
        if total is None:
            continue
        name = vocab.SCHEME.label(programme)
        present = [(key, label) for key, _, label in items if key in total]
        funded = FUNDED_ITEM.get(programme, present[-1][0])
        for key, label in present:
            out.append((name, label, "", total[key]))
            name = ""
            if key == funded:
                out.extend(
                    ("", "", vocab.PAYER.label(payer), amount)
                    for payer, amount in total["funding"].items()
                )
    return out
