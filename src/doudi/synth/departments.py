"""Synthetic department files (花名册) for the registry import (``doudi synth``).

Why: the import and the comparison (信息比对) have to be tested and benchmarked on
files that look like what a county office really receives — Chinese names, valid
GB 11643 ID numbers, GBK-encoded CSV next to UTF-8 and Excel, title rows above the
header, header variants — and that contain the mistakes real files contain. Real
rosters hold personal data and may never leave the agency, so we make them up.

:func:`synthesize` writes one file per source ``doudi import`` takes
(:data:`doudi.rosters.sources.IMPORTED`: the lists, then the record lists, then the
withholding mandates) for a made-up population living in the counties under a region,
the village service points (synth.service_lists), plus ``manifest.json``
(:class:`Manifest`). The manifest lists every deliberate error by kind and row, and the
people the comparison must find (poor but not enrolled, dead but still receiving a
pension, enrolled in another county), so a test can check that the importer and the
comparison catch exactly these and nothing else.

This module is the entry point and composes the others of the package: places,
people, lists, more_lists and record_lists, roster_columns, rendering (with mistakes),
writing, payments_and_bills, service_lists. The lists issue #20 added, then its record
lists, then the service targets' lists, are drawn from streams of their own and rendered
after the first seven, so a seed's files of those stay byte for byte the same.
Everything is vectorised with numpy and pyarrow (names come from pools built once
from Faker's ``zh_CN`` data, ID numbers and their check characters are computed on
whole arrays); per-row Python runs only for the few rows that get an error and for
the rows of XLSX files. The output depends only on the arguments: the same seed
gives byte-identical files.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.compute as pc

from doudi.rosters.sources import IMPORTED, SERVICE_RECORDS
from doudi.synth.lists import draw_lists
from doudi.synth.mistakes import kinds_of
from doudi.synth.more_lists import draw_more_lists
from doudi.synth.payments_and_bills import BILLS_FILE, PAYMENTS_FILE, write_bills, write_payments
from doudi.synth.people import draw_people
from doudi.synth.places import Places, counties_under, neighbours, place_name
from doudi.synth.randomness import Bools, Ints
from doudi.synth.record_lists import draw_record_lists
from doudi.synth.rendering import Context, render
from doudi.synth.roster_columns import Roster, build_more_rosters, build_rosters
from doudi.synth.service_lists import POINTS_FILE, draw_mandates, write_service_points
from doudi.synth.work_injury_lists import write_work_injury
from doudi.synth.writing import (
    FILE_FORMATS,
    XLSX_MAX_ROWS,
    Style,
    choose_encodings,
    choose_style,
    write_csv,
    write_xlsx,
)


@dataclass
class FileInfo:
    """One written file. Row numbers are the file's own (Excel row / CSV line, from 1);
    data starts at ``header_row + 1``."""

    path: str  # relative to the manifest
    source: str
    encoding: str  # one of writing.ENCODINGS
    rows: int  # data rows, duplicates and error rows included
    title_row: bool
    header_row: int
    headers: list[str]  # as written, in column order (label or an alias)
    columns: list[str]  # the canonical names of those headers
    date_format: str
    errors: dict[str, int]  # deliberate errors by kind (mistakes.ERROR_KINDS), zeros included
    error_rows: dict[str, list[int]]  # the rows of each kind


@dataclass
class Manifest:
    """What :func:`synthesize` wrote and the answers a correct import must reproduce."""

    region: str
    people: int  # the roster population
    as_of: date
    seed: int
    error_rate: float
    file_format: str
    enrolled_extra: int  # insured people who appear only in the enrollment extracts
    counties: list[str]  # hukou counties of the population
    files: list[FileInfo]
    poor_not_enrolled: int  # alive registered poor in neither enrollment extract
    dead_but_receiving: int  # on the death list and 是否领取待遇=是 in the pension extract
    moved_county: int  # people enrolled in a county other than their hukou county
    overlaps: dict[str, int]  # people on two status lists, e.g. "poverty+dibao"
    poor_not_enrolled_ids: list[str] = field(default_factory=list)
    dead_but_receiving_ids: list[str] = field(default_factory=list)
    moved_county_ids: list[str] = field(default_factory=list)
    #: the collection system's payments (征缴明细, GBK CSV) and the people on one of the
    #: four status lists among those who paid their whole contribution themselves
    payments_file: str = ""
    bills_file: str = ""
    self_paid_poor_ids: list[str] = field(default_factory=list)
    #: the village service points (JX-2017-58/2.4.10, synth.service_lists): the file,
    #: the rows of each deliberate mistake, and the rows a correct import accepts
    service_points_file: str = ""
    service_points_error_rows: dict[str, list[int]] = field(default_factory=dict)
    service_points_accepted: int = 0
    #: the work-injury lists of the first county (synth.work_injury_lists): files,
    #: accepted rows and bad rows per list, and the planted violations by kind
    work_injury: dict[str, Any] = field(default_factory=dict)

    def file(self, source: str) -> FileInfo:
        return next(f for f in self.files if f.source == source)

    def to_json(self) -> str:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Read a ``manifest.json`` (or the directory holding one)."""
        path = path / "manifest.json" if path.is_dir() else path
        data = json.loads(path.read_text("utf-8"))
        data["as_of"] = date.fromisoformat(data["as_of"])
        data["files"] = [FileInfo(**f) for f in data["files"]]
        return cls(**data)


def synthesize(
    region: str,
    people: int,
    out: Path,
    *,
    as_of: date = date(2018, 3, 31),
    seed: int = 0,
    error_rate: float = 0.02,
    file_format: str = "mixed",
    enrolled: int | None = None,
) -> Manifest:
    """Write the department files of a made-up population of ``people`` persons living
    in the counties under ``region`` into ``out``, and ``out/manifest.json``.

    ``enrolled`` adds that many insured people (not poor, alive, living where they are
    insured) who appear only in the two enrollment extracts, so a benchmark can have
    far more insured than roster rows; by default the extracts hold only ``people``.
    ``error_rate`` is the share of rows per file that carry a deliberate error
    (:data:`~doudi.synth.mistakes.ERROR_KINDS`). The files depend only on the arguments.
    """
    if people < 1:
        raise ValueError(f"人数应为正整数：{people}")
    extra = 0 if enrolled is None else enrolled
    if extra < 0 or people + extra > 100_000_000:
        raise ValueError(f"参保人数不合理：{enrolled}")
    if not 0 <= error_rate <= 0.5:
        raise ValueError(f"错误比例应在0到0.5之间：{error_rate}")
    if file_format not in FILE_FORMATS:
        raise ValueError(f"文件格式应为 {'、'.join(FILE_FORMATS)} 之一：{file_format}")
    if seed < 0:
        raise ValueError(f"随机种子应为非负整数：{seed}")
    if as_of > date.today():
        raise ValueError(f"名单截止日期不能晚于今天：{as_of}")
    counties = counties_under(region)
    if not counties:
        raise ValueError(f"行政区划{region}下没有县级区划")
    outside = neighbours(counties[0]) if len(counties) == 1 else []
    places = Places.build(counties, outside, seed)
    p = draw_people(seed, places, people, extra, as_of)
    s = draw_lists(seed, p, places, error_rate, as_of)
    first = build_rosters(p, s)
    m = draw_more_lists(seed, p, places, s, error_rate, as_of)
    more = build_more_rosters(p, s, m)
    records = draw_record_lists(seed, p, places, s, m, error_rate, as_of)
    service = [draw_mandates(seed, p, s, places, as_of)]

    born = p.birth.astype("datetime64[Y]").astype(np.int64) + 1970
    ctx = Context(
        people=p,
        places=places,
        error_rate=error_rate,
        seed=seed,
        ends_x=pc.ends_with(p.ids, "X").to_numpy(zero_copy_only=False),
        born_19xx=(born >= 1900) & (born <= 1999),
        files_per_person=_files_per_person(len(p), first),
        name_touched=np.zeros(len(p), bool),
    )
    out.mkdir(parents=True, exist_ok=True)
    place = place_name(region)
    encodings = choose_encodings(seed, file_format)
    encodings |= dict.fromkeys(SERVICE_RECORDS, "xlsx" if file_format == "xlsx" else "gb18030")
    written: dict[str, FileInfo] = {}
    # Each group is rendered as before the next one existed: which names may get a
    # variant depends on the files a person is in (counted up to the next group), and on
    # the names already touched.
    groups = (first, more, records, service)
    for i, rosters in enumerate(groups):
        for r in rosters:
            style = choose_style(seed, r.source, encodings[r.source.name], place)
            written[r.source.name] = _write_roster(r, ctx, style, out, as_of)
        ctx.files_per_person = _files_per_person(len(p), [r for g in groups[: i + 2] for r in g])
    files = [written[name] for name in IMPORTED]

    paid = write_payments(out / PAYMENTS_FILE, seed, p, s, as_of)
    write_bills(out / BILLS_FILE, region, seed, p, s, as_of)
    points = write_service_points(out, seed, places, as_of)
    work_injury = write_work_injury(out, seed, p, s, places, as_of)

    def ids(flag: Bools) -> list[str]:
        return sorted(p.ids.take(np.flatnonzero(flag)).to_pylist())

    statuses = {"poverty": s.poor, "dibao": s.dibao, "tekun": s.tekun, "disability": s.disability}
    names = list(statuses)
    overlaps = {
        f"{a}+{b}": int((statuses[a] & statuses[b]).sum())
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    }
    manifest = Manifest(
        region=region,
        people=people,
        as_of=as_of,
        seed=seed,
        error_rate=error_rate,
        file_format=file_format,
        enrolled_extra=extra,
        counties=counties,
        files=files,
        poor_not_enrolled=int(s.outreach.sum()),
        dead_but_receiving=int((s.dead & s.receiving).sum()),
        moved_county=int(s.moved.sum()),
        overlaps=overlaps,
        poor_not_enrolled_ids=ids(s.outreach),
        dead_but_receiving_ids=ids(s.dead & s.receiving),
        moved_county_ids=ids(s.moved),
        payments_file=PAYMENTS_FILE,
        bills_file=BILLS_FILE,
        self_paid_poor_ids=ids(paid & (s.poor | s.dibao | s.tekun | s.disability)),
        service_points_file=POINTS_FILE,
        service_points_error_rows=points.error_rows,
        service_points_accepted=points.accepted,
        work_injury=work_injury.as_dict(),
    )
    (out / "manifest.json").write_text(manifest.to_json() + "\n", encoding="utf-8")
    return manifest


def _files_per_person(n: int, rosters: list[Roster]) -> Ints:
    count = np.zeros(n, np.int64)
    for r in rosters:
        count[r.person] += 1
    return count


def _write_roster(r: Roster, ctx: Context, style: Style, out: Path, as_of: date) -> FileInfo:
    """Render one list with its mistakes and write it in its department's style."""
    rendered = render(r, ctx, style)
    header_rows = 2 if style.title else 1
    if style.encoding == "xlsx" and rendered.table.num_rows + header_rows > XLSX_MAX_ROWS:
        style.encoding = "utf-8-sig"  # too big for one sheet: the system exports CSV
    suffix = "xlsx" if style.encoding == "xlsx" else "csv"
    path = out / f"{r.source.name}.{suffix}"
    if style.encoding == "xlsx":
        write_xlsx(path, rendered.table, style, r.source.label, as_of)
    else:
        write_csv(path, rendered.table, style)
    return FileInfo(
        path=path.name,
        source=r.source.name,
        encoding=style.encoding,
        rows=rendered.table.num_rows,
        title_row=style.title is not None,
        header_row=header_rows,
        headers=style.headers,
        columns=[c.name for c in r.source.columns],
        date_format=style.date_format,
        errors={k: len(rendered.errors.get(k, [])) for k in kinds_of(r.source)},
        error_rows={k: [header_rows + 1 + i for i in v] for k, v in rendered.errors.items()},
    )
