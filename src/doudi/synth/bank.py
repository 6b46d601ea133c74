"""The bank, simulated: an edge we do not own. It answers a withholding request
(collection.bankfile) as a bank would, for the demo (`make run`) and the tests; a real
return comes from the bank.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from doudi.collection import bankfile


def simulate_return(request: Path, out: Path, *, seed: int = 0, processed_on: date) -> Path:
    """A return file as a bank would answer ``request``: most lines paid, some partly
    (balance short), some failed (no balance, closed or frozen accounts). For the demo
    and the tests; a real return comes from the bank."""
    text = bankfile.decode(request.read_bytes())
    records = [r.split("|") for r in text.split(bankfile.EOL) if r]
    batch_no = records[0][3]
    rng = random.Random(f"{seed}:{batch_no}")
    lines: list[bankfile.RequestLine] = []
    results: list[tuple[Decimal, date | None, str]] = []
    for f in records[1:-1]:
        line = bankfile.RequestLine(int(f[1]), f[2], f[3], f[4], Decimal(f[5]))
        draw = rng.random()
        if draw < 0.85:
            results.append((line.amount, processed_on, bankfile.PAID))
        elif draw < 0.90 and line.amount > Decimal("0.01"):
            part = (line.amount * Decimal(rng.randint(10, 90)) / 100).quantize(Decimal("0.01"))
            results.append((part, processed_on, bankfile.PARTLY_PAID))
        else:
            results.append((Decimal("0.00"), None, rng.choice(["1001", "1001", "1002", "1003"])))
        lines.append(line)
    out.write_bytes(bankfile.write_return(batch_no, processed_on, lines, results))
    return out
