"""Where an imported list may close periods: its mode and its region (导入方式, 导入区划).

A department's list is read one of two ways, and the caseworker says which: a full
snapshot (全量快照, ``snapshot``) lists everyone of its region, so whoever of the
counties it covers is missing from it has left; an addendum (增量名单, ``addendum``)
lists people to add ("this month's new people") and closes nobody. Guessing was how a
20-person addendum imported as a snapshot closed 410 people of a county (issue #19).

A snapshot closes only within the region it is imported for. The file does not say
which region that is: the web and the API take the user's region (or one they pick
within it), the command line ``--region``, and without it the smallest region —
county, else city, else province — holding at least 80% of the accepted rows (else the
whole country, 全国, as every import was before: rare, and stated). A row
outside that region is read as an addendum row: it opens or keeps its person's period
and closes nobody of its county. One row of another district in a county's file had
closed three enrollments of that district, and a 70.00 payment vanished from the next
plan; such rows are now named in a warning instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import regions, vocab
from doudi.core.textfile import FileError

MODES = tuple(vocab.IMPORT_MODE)
#: The share of the accepted rows a region must hold to be taken for the file's region.
MAJORITY = Decimal("0.8")
#: How many rows outside the region a warning names.
NAMED_ROWS = 20
#: The whole country: a list no province holds 80% of, or a national account's.
NATIONAL = "000000"


@dataclass(frozen=True)
class Closing:
    """What one import may close."""

    mode: str  # "snapshot" or "addendum"
    region: str  # the region the list is imported for (six digits)
    inferred: bool  # the region was taken from the rows (80%), not given
    covered: list[str]  # the counties the list covers (import scope)
    #: the counties a snapshot closes in: those it covers within its region (none for an
    #: addendum)
    counties: list[str]
    outside: pa.Table  # row_number, county: accepted rows outside the region
    closes: bool  # the list has periods to close (not a death or record list)

    @property
    def place(self) -> str:
        """The region by name and code."""
        name = "全国" if self.region == NATIONAL else regions.region_name(self.region)
        return f"{name}（{self.region}）" if name else self.region

    def lines_zh(self) -> list[str]:
        """The summary's lines: the mode, the region and how it was chosen, the rows
        outside it (none for a death or record list)."""
        if not self.closes:
            return []
        if self.mode == "addendum":
            return [f"导入方式：{vocab.IMPORT_MODE[self.mode]}（只新增或保持，不关闭任何人）"]
        if not self.inferred:
            how = "指定"
        elif self.region == NATIONAL:
            how = f"没有一个省份占接受行的 {MAJORITY:.0%} 以上，不限区划"
        else:
            how = f"按 {MAJORITY:.0%} 以上接受行所在地推定"
        lines = [
            f"导入方式：{vocab.IMPORT_MODE[self.mode]}（名单未列出的本区划人员将被关闭）",
            f"导入区划：{self.place}，{how}",
        ]
        if self.outside.num_rows:
            rows = self.outside.slice(0, NAMED_ROWS).to_pylist()
            named = "、".join(f"第 {r['row_number']} 行（{r['county']}）" for r in rows)
            more = f"等 {self.outside.num_rows} 行" if self.outside.num_rows > NAMED_ROWS else ""
            lines.append(
                f"注意：{named}{more}不在导入区划 {self.region} 内，按增量导入"
                "（只新增或保持，不关闭所在区县的任何人）"
            )
        return lines


def check_mode(mode: str) -> str:
    """``mode`` if it is one; a Chinese error naming both otherwise."""
    if mode not in MODES:
        choices = "、".join(f"{m}（{vocab.IMPORT_MODE[m]}）" for m in MODES)
        raise FileError(
            f"导入方式应为 {choices}，实为「{mode}」",
            f"mode must be one of {', '.join(MODES)}, not {mode!r}",
        )
    return mode


def closing(
    mode: str, region: str | None, rows: pa.Table, scope: list[str] | None, kind: str
) -> Closing:
    """Where an import of ``rows`` (the accepted rows: row_number, county) of a list of
    ``kind`` (sources.Source.kind) closes.

    ``region`` None: inferred from the rows. ``scope``: the counties the list covers as
    the caseworker names them (``--scope``), all within the region; by default the
    counties of its rows. An addendum closes nowhere, and a death list or a record list
    (certificates, applications: sources.Source.kind "record") has no periods to
    close: their region is the one given, if any, and none is inferred."""
    given = None if region is None else _valid(region)
    covered = scope or sorted(set(rows.column("county").to_pylist()))
    periodless = kind in ("death", "record")
    if periodless or mode == "addendum":
        return Closing(
            mode=mode,
            region=given or "",
            inferred=False,
            covered=covered,
            counties=[],
            outside=rows.slice(0, 0),
            closes=not periodless,
        )
    chosen = given or infer_region(rows.column("county"))
    prefix = regions.hukou_prefix(chosen)
    beyond = [c for c in scope or () if not c.startswith(prefix)]
    if beyond:
        raise FileError(
            f"覆盖区县 {'、'.join(beyond)} 不在导入区划 {chosen} 内；"
            "请用 --region 指定包含它们的区划",
            f"scope counties {', '.join(beyond)} are outside the region {chosen}",
        )
    outside = rows.filter(pc.invert(pc.starts_with(rows.column("county"), prefix)))
    return Closing(
        mode=mode,
        region=chosen,
        inferred=given is None,
        covered=covered,
        counties=[c for c in covered if c.startswith(prefix)],
        outside=outside.select(["row_number", "county"]),
        closes=True,
    )


def _valid(region: str) -> str:
    if region != NATIONAL and regions.get(region) is None:
        raise FileError(
            f"导入区划「{region}」不是有效的六位行政区划代码",
            f"region {region!r} is not a six-digit administrative division code",
        )
    return region


def infer_region(counties: pa.ChunkedArray | pa.Array) -> str:
    """The smallest region — county, else city, else province — holding at least 80% of
    the rows (each row's county); the whole country when not even a province does."""
    total = len(counties)
    for digits in (6, 4, 2):
        prefixes = pc.utf8_slice_codeunits(counties, 0, digits)
        counted = sorted(
            pc.value_counts(prefixes).to_pylist(), key=lambda c: (-c["counts"], c["values"])
        )
        if counted and Decimal(counted[0]["counts"]) >= MAJORITY * total:
            return str(counted[0]["values"]).ljust(6, "0")
    return NATIONAL
