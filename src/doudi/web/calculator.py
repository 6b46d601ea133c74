"""One hospital bill through the payer waterfall, for the calculator page and the API
(engine.settlement, the same code as ``doudi settle``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from doudi.core.idnumber import check_character
from doudi.engine import settlement
from doudi.policy import jurisdictions

#: A placeholder patient: the calculator settles a bill, not a registered person's year.
#: Born on the earliest day a bill may name, so that no stay is before their birth.
_FIRST17 = f"110101{settlement.EARLIEST:%Y%m%d}001"
CALCULATOR_ID = _FIRST17 + check_character(_FIRST17)


class BillRejected(ValueError):
    """The bill is invalid; ``problems`` are the Chinese reasons by field."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("；".join(problems))


def settle_bill(jurisdiction: str, bill: dict[str, Any]) -> dict[str, Any]:
    """Settle one bill (the ``doudi settle`` fields) in ``jurisdiction``; a bill the
    settlement cannot take (amounts, dates, a year without parameters) is BillRejected
    before the engine sees it."""
    code = jurisdictions.get(jurisdiction).code
    bill = {"bill_id": "CALC-1", "id_number": CALCULATOR_ID, **bill}
    rows, problems = settlement.screen_bills([bill], code)
    if problems or not rows:
        raise BillRejected(problems or ["单据无效"])
    return settlement.settle(code, rows)[0]
