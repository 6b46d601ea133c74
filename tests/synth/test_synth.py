"""The synthetic department files: valid where they claim to be, wrong exactly where the
manifest says, and the manifest's answers (outreach, dead still receiving, movers)
reproducible from the files alone."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import fastexcel
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from doudi.core.idnumber import IdNumberError, check_character, parse
from doudi.rosters.reading import read_roster
from doudi.rosters.sources import IMPORTED, RECORDS, ROSTERS, SERVICE_RECORDS, SOURCES, Column
from doudi.synth.departments import FileInfo, Manifest, synthesize
from doudi.synth.lists import FIRST_SOURCES, TIERS
from doudi.synth.mistakes import (
    ERROR_KINDS,
    ONLY_ON,
    RECORD_KINDS,
    VARIANTS,
    cells_of,
    date_column,
    kinds_of,
)
from doudi.synth.more_lists import MIN_LISTED, VETERAN_CATEGORIES
from doudi.synth.places import counties_under

Rows = dict[str, list[str]]

ID_KINDS = ("check_digit", "birth_date", "old_15_digit", "lowercase_x", "full_width", "stray_space")
FULL_WIDTH = re.compile("[０-９Ｘ]")
#: A count as the importer reads it: digits, a workbook's ".0", a unit (rosters.checks).
COUNT = re.compile(r"([0-9]{1,9})(?:\.0+)?(?:个月|月|年)?")


def is_date(value: str, fmt: str) -> bool:
    """A real calendar date written in the file's format."""
    try:
        datetime.strptime(value, fmt)
    except ValueError:
        return False
    return len(value) == len(date(2000, 1, 1).strftime(fmt))


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    out = tmp_path_factory.mktemp("synth")
    # 10 % errors so that every kind occurs even in the small lists.
    manifest = synthesize("130200", 6_000, out, seed=3, error_rate=0.1)
    return out, manifest


def read(out: Path, info: FileInfo) -> Rows:
    """A file's cells as text by canonical column name ("" for an empty cell)."""
    if info.encoding == "xlsx":
        sheet = fastexcel.read_excel(out / info.path).load_sheet(
            0, header_row=info.header_row - 1, dtypes="string"
        )
        batch = sheet.to_arrow()
        assert batch.schema.names == info.headers
        table = pa.Table.from_batches([batch]).rename_columns(info.columns)
    else:
        encoding = "gb18030" if info.encoding == "gb18030" else "utf8"
        table = pacsv.read_csv(
            out / info.path,
            read_options=pacsv.ReadOptions(
                encoding=encoding, skip_rows=info.header_row, column_names=info.columns
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(info.columns, pa.string()),
                strings_can_be_null=False,
            ),
        )
    return {c: ["" if v is None else v for v in table[c].to_pylist()] for c in info.columns}


def first_row(info: FileInfo) -> int:
    return info.header_row + 1


def rows_where(info: FileInfo, cells: list[str], test: object) -> list[int]:
    assert callable(test)
    return [first_row(info) + i for i, v in enumerate(cells) if test(v)]


def parse_reason(raw: str) -> str | None:
    try:
        parse(raw)
    except IdNumberError as exc:
        return str(exc)
    return None


def test_every_file_and_the_manifest_are_written(synth: tuple[Path, Manifest]) -> None:
    out, manifest = synth
    assert [f.source for f in manifest.files] == list(IMPORTED)  # the lists, then the records
    assert Manifest.load(out) == manifest
    assert {f.encoding for f in manifest.files} >= {"gb18030", "utf-8-sig", "xlsx"}
    text = (out / "manifest.json").read_text("utf-8")
    assert "\\u" not in text  # ensure_ascii=False: Chinese stays readable
    for info in manifest.files:
        assert info.path.endswith(".xlsx" if info.encoding == "xlsx" else ".csv")
        assert len(next(iter(read(out, info).values()))) == info.rows
        assert list(info.errors) == kinds_of(SOURCES[info.source])
        assert set(info.errors) >= set(ERROR_KINDS) - set(ONLY_ON) - set(RECORD_KINDS) - {
            "bad_date"  # not on a list without dates (third-party funding)
        }
        assert all(info.errors[k] == len(info.error_rows.get(k, [])) for k in info.errors)
        for header, name in zip(info.headers, info.columns, strict=True):
            column = SOURCES[info.source].column(name)
            assert header in (column.label, *column.aliases)


def test_ids_called_valid_pass_validation_and_wrong_ones_fail_for_their_reason(
    synth: tuple[Path, Manifest],
) -> None:
    out, manifest = synth
    for info in manifest.files:
        ids = read(out, info)["id_number"]
        kind_of = {row: kind for kind, rows in info.error_rows.items() for row in rows}
        for row, raw in enumerate(ids, start=first_row(info)):
            reason = parse_reason(raw)
            kind = kind_of.get(row)
            if kind == "check_digit":
                assert reason is not None and "校验码错误" in reason, raw
            elif kind == "birth_date":
                assert reason is not None and "出生日期" in reason, raw
                assert check_character(raw[:17]) == raw[17]  # only the date is wrong
            else:
                assert reason is None, (info.source, row, raw, reason)
            if kind not in ID_KINDS:
                assert re.fullmatch(r"\d{17}[\dX]", raw), raw
                assert check_character(raw[:17]) == raw[17]


def test_manifest_counts_are_what_is_in_the_files(synth: tuple[Path, Manifest]) -> None:
    out, manifest = synth
    for info in manifest.files:
        cells = read(out, info)
        ids, names = cells["id_number"], cells["name"]
        source = SOURCES[info.source]
        dates = date_column(source)
        fmt = info.date_format
        seen: set[str] = set()

        def again(value: str, seen: set[str] = seen) -> bool:
            repeated = value in seen
            seen.add(value)
            return repeated

        found = {
            "check_digit": rows_where(info, ids, lambda v: "校验码错误" in (parse_reason(v) or "")),
            "birth_date": rows_where(info, ids, lambda v: "出生日期" in (parse_reason(v) or "")),
            "old_15_digit": rows_where(info, ids, lambda v: len(v) == 15),
            "lowercase_x": rows_where(info, ids, lambda v: v.endswith("x")),
            "full_width": rows_where(info, ids, lambda v: bool(FULL_WIDTH.search(v))),
            "stray_space": rows_where(info, ids, lambda v: bool(re.search(r"\s", v))),
            "empty_name": rows_where(info, names, lambda v: v == ""),
            # a list names a person once; certificates: a row written twice
            "duplicate": rows_where(info, ids, again)
            if source.unique == "id_number"
            else copies(info, cells),
            "name_variant": rows_where(
                info,
                names,
                lambda v: bool(re.search(r"\s", v)) or any(c in v for c in VARIANTS.values()),
            ),
            "bad_date": rows_where(
                info, cells[dates], lambda v, fmt=fmt: v != "" and not is_date(v, fmt)
            )
            if dates
            else [],
        }
        if source.kind == "record":
            found |= record_mistakes(info, cells)
        if info.source == "disability":
            found["not_severe"] = rows_where(info, cells["disability_grade"], lambda v: v == "三级")
            assert set(cells["disability_grade"]) == {"一级", "二级", "三级"}
        if info.source == "veterans":
            found["not_qualifying"] = [
                first_row(info) + i
                for i, (unemployed, medical) in enumerate(
                    zip(cells["unemployed"], cells["in_employee_medical"], strict=True)
                )
                if unemployed == "否" or medical == "是"
            ]
        for kind, rows in found.items():
            assert rows == info.error_rows.get(kind, []), (info.source, kind)
            assert len(rows) == info.errors.get(kind, 0)
        total = sum(info.errors.values())
        if total >= len(info.errors):
            assert all(found.values()), f"{info.source}: an error kind is missing"
        data_rows = info.rows - info.errors["duplicate"]
        assert total == pytest.approx(data_rows * manifest.error_rate, abs=1)


def record_mistakes(info: FileInfo, cells: Rows) -> dict[str, list[int]]:
    """The rows of a record list whose own cells are wrong, by kind: a count the importer
    cannot read or outside its column's range, a choice off the column's list, a required
    cell left empty, a certificate number on two different rows."""
    source = SOURCES[info.source]

    def where(kind: str, wrong: object) -> list[int]:
        assert callable(wrong)
        return sorted(
            first_row(info) + i
            for column in cells_of(kind, source)
            for i, value in enumerate(cells[column.name])
            if wrong(column, value)
        )

    def out_of_range(column: Column, value: str) -> bool:
        count = COUNT.fullmatch(value)
        assert column.between is not None
        low, high = column.between
        return count is not None and not low <= int(count[1]) <= high

    found = {
        "bad_count": where("bad_count", lambda c, v: v != "" and not COUNT.fullmatch(v)),
        "out_of_range": where("out_of_range", out_of_range),
        "off_list": where("off_list", lambda c, v: v != "" and v not in dict(c.choices)),
        "missing_cell": where("missing_cell", lambda c, v: v == ""),
    }
    # only the kinds a list's columns can carry (the mandates have no count or choice)
    found = {kind: rows for kind, rows in found.items() if cells_of(kind, source)}
    if source.unique != "id_number":  # certificates: one number, two different rows
        rows = list(zip(*cells.values(), strict=True))
        numbers = cells[source.unique]
        versions: dict[str, set[tuple[str, ...]]] = {}
        for number, row in zip(numbers, rows, strict=True):
            versions.setdefault(number, set()).add(row)
        found["duplicate_number"] = [
            first_row(info) + i for i, number in enumerate(numbers) if len(versions[number]) > 1
        ]
    return found


def copies(info: FileInfo, cells: Rows) -> list[int]:
    """The rows the same in every cell as an earlier row."""
    seen: set[tuple[str, ...]] = set()
    found = []
    for i, row in enumerate(zip(*cells.values(), strict=True)):
        if row in seen:
            found.append(first_row(info) + i)
        seen.add(row)
    return found


def clean_rows(out: Path, info: FileInfo) -> list[dict[str, str]]:
    """The rows a strict importer keeps: valid ID (normalised, 15 → 18), a name, no
    unreadable date, an ID (a certificate number) that is not repeated in the file, and
    a record's own cells as they should be."""
    cells = read(out, info)
    source = SOURCES[info.source]
    rows = [dict(zip(cells, values, strict=True)) for values in zip(*cells.values(), strict=True)]
    dates = [c for c in source.columns if c.kind == "date"]
    wrong = set()
    if source.kind == "record":
        wrong = {row for rows_ in record_mistakes(info, cells).values() for row in rows_}
    for number, row in enumerate(rows, start=first_row(info)):
        row["row"] = str(number)
        row["id"] = parse(row["id_number"]).value if parse_reason(row["id_number"]) is None else ""
    key = "id" if source.unique == "id_number" else source.unique
    counts = Counter(r[key] for r in rows)
    return [
        r
        for r in rows
        if r["id"]
        and counts[r[key]] == 1
        and r["name"]
        and all(
            is_date(r[c.name], info.date_format) or (r[c.name] == "" and not c.required)
            for c in dates
        )
        and int(r["row"]) not in wrong
        and r.get("disability_grade") != "三级"
        and r.get("unemployed") != "否"
        and r.get("in_employee_medical") != "是"
    ]


def test_the_comparison_answers_come_back_from_the_files(synth: tuple[Path, Manifest]) -> None:
    out, manifest = synth
    rows = {info.source: clean_rows(out, info) for info in manifest.files}
    poor = {r["id"] for r in rows["poverty"]}
    dead = {r["id"] for r in rows["death"]}
    enrolled = {r["id"] for r in rows["resident_pension"] + rows["resident_medical"]}
    outreach = sorted(poor - dead - enrolled)
    assert outreach == manifest.poor_not_enrolled_ids
    assert len(outreach) == manifest.poor_not_enrolled > 0

    receiving = {r["id"] for r in rows["resident_pension"] if r["receiving"] == "是"}
    assert sorted(dead & receiving) == manifest.dead_but_receiving_ids
    assert manifest.dead_but_receiving == len(manifest.dead_but_receiving_ids) > 0

    moved = {
        r["id"]
        for r in rows["resident_pension"] + rows["resident_medical"]
        if r["region_code"] != r["id"][:6]
    }
    assert sorted(moved) == manifest.moved_county_ids
    assert manifest.moved_county == len(moved) > 0
    # every list but the resident extracts names the hukou county
    for source in set(rows) - {"resident_pension", "resident_medical"}:
        assert all(r["region_code"] == r["id"][:6] for r in rows[source]), source


def test_departments_overlap_like_real_life(synth: tuple[Path, Manifest]) -> None:
    out, manifest = synth
    rows = {info.source: clean_rows(out, info) for info in manifest.files}
    poor = {r["id"] for r in rows["poverty"]}
    dibao = {r["id"] for r in rows["dibao"]}
    assert len(poor & dibao) > 0.3 * len(dibao)  # many dibao recipients are also poor
    assert manifest.overlaps["poverty+dibao"] > 0
    people = manifest.people
    assert 0.06 * people < manifest.file("poverty").rows < 0.10 * people
    assert 0.03 * people < manifest.file("dibao").rows < 0.05 * people
    assert manifest.file("resident_medical").rows > 0.85 * people
    exited = [r for r in rows["poverty"] if r["exit_marked"] == "是"]
    assert exited and all(r["exit_date"] for r in exited)
    assert all(not r["exit_date"] for r in rows["poverty"] if r["exit_marked"] == "否")


def test_people_are_consistent_with_their_ids(synth: tuple[Path, Manifest]) -> None:
    out, manifest = synth
    as_of = manifest.as_of
    fmt = manifest.file("resident_pension").date_format
    for r in clean_rows(out, manifest.file("resident_pension")):
        born = parse(r["id"]).birth_date
        age = as_of.year - born.year - ((born.month, born.day) > (as_of.month, as_of.day))
        assert age >= 16
        assert (r["receiving"] == "是") == (age >= 60)
        if r["receiving"] == "否":
            assert re.fullmatch(r"\d+\.00", r["contribution_tier"])
        else:
            assert r["contribution_tier"] == ""
        since = date(*map(int, re.findall(r"\d+", r["since"]))) if fmt != "%Y%m%d" else None
        assert since is None or born <= since <= as_of
    counties = set(manifest.counties)
    info = manifest.file("poverty")
    variants = set(info.error_rows["name_variant"])
    names = [r["name"] for r in clean_rows(out, info) if int(r["row"]) not in variants]
    assert all(2 <= len(n) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", n) for n in names)
    assert {r["region_code"] for r in clean_rows(out, manifest.file("poverty"))} <= counties
    villages = {(r["township"], r["village"]) for r in clean_rows(out, manifest.file("dibao"))}
    assert all(re.search("(镇|乡|街道)$", t) and re.search("(村|社区)$", v) for t, v in villages)


def test_gbk_files_decode_as_gb18030_and_not_as_utf8(synth: tuple[Path, Manifest]) -> None:
    out, manifest = synth
    for info in manifest.files:
        data = (out / info.path).read_bytes()
        if info.encoding == "gb18030":
            data.decode("gbk")  # only characters GBK can encode
            assert data.decode("gb18030")
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        elif info.encoding == "utf-8-sig":
            assert data.startswith(b"\xef\xbb\xbf")
            data.decode("utf-8")
        elif info.encoding == "xlsx":
            assert data.startswith(b"PK")


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    def files(out: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(out.iterdir())}

    first = synthesize("510400", 1_500, tmp_path / "a", seed=7)
    again = synthesize("510400", 1_500, tmp_path / "b", seed=7)
    synthesize("510400", 1_500, tmp_path / "c", seed=8)
    assert first == again
    assert any(f.encoding == "xlsx" for f in first.files)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a")["resident_medical.csv"] != files(tmp_path / "c").get(
        "resident_medical.csv"
    )


def test_file_format_choices(tmp_path: Path) -> None:
    csv = synthesize("510411", 800, tmp_path / "csv", file_format="csv")
    assert all(f.encoding in ("gb18030", "utf-8-sig", "utf-8") for f in csv.files)
    xlsx = synthesize("510411", 800, tmp_path / "xlsx", file_format="xlsx")
    assert all(f.encoding == "xlsx" for f in xlsx.files)
    for info in xlsx.files:
        assert len(read(tmp_path / "xlsx", info)["id_number"]) == info.rows
    with pytest.raises(ValueError, match="文件格式"):
        synthesize("510411", 10, tmp_path / "bad", file_format="ods")
    with pytest.raises(ValueError, match="行政区划"):
        synthesize("990000", 10, tmp_path / "bad")


def test_titles_and_header_aliases_vary_by_seed(tmp_path: Path) -> None:
    titles, aliases = set(), set()
    for seed in range(4):
        m = synthesize("510411", 300, tmp_path / str(seed), seed=seed, error_rate=0)
        assert all(not any(f.errors.values()) for f in m.files)
        for info in m.files:
            titles.add(info.title_row)
            labels = [SOURCES[info.source].column(c).label for c in info.columns]
            aliases.add(info.headers != labels)
            if info.title_row and info.encoding != "xlsx":
                first_line = (tmp_path / str(seed) / info.path).read_bytes().splitlines()[0]
                codec = "gb18030" if info.encoding == "gb18030" else "utf-8-sig"
                assert first_line.decode(codec).startswith("仁和区")
    assert titles == {True, False}
    assert aliases == {True, False}


def test_one_county_region_and_extra_insured(tmp_path: Path) -> None:
    m = synthesize("510411", 2_000, tmp_path, enrolled=3_000, error_rate=0)
    assert m.counties == ["510411"] == counties_under("510411")
    assert m.enrolled_extra == 3_000
    assert m.file("resident_medical").rows > 4_500
    assert m.file("poverty").rows < 250
    rows = {info.source: clean_rows(tmp_path, info) for info in m.files}
    moved = {r["region_code"] for r in rows["resident_medical"] if r["id"] in m.moved_county_ids}
    assert moved and "510411" not in moved  # people of a one-county region moved next door
    assert all(c.startswith("5104") for c in moved)
    assert len(counties_under("510400")) == 5


def test_the_payments_file_reads_cleanly_and_holds_the_self_paid_poor(
    synth: tuple[Path, Manifest],
) -> None:
    """The collection system's payments: GBK, every row valid, one serial number each;
    the poor who paid their whole contribution themselves are in it."""
    out, manifest = synth
    read = read_roster(out / manifest.payments_file, "pension_payment")
    assert read.encoding == "gb18030" and read.rejected.num_rows == 0
    ids = set(read.accepted.column("id_number").to_pylist())
    assert manifest.self_paid_poor_ids and set(manifest.self_paid_poor_ids) <= ids
    amounts = set(read.accepted.column("amount").to_pylist())
    assert amounts <= set(TIERS)


def test_two_regions_bills_can_share_a_registry(tmp_path: Path) -> None:
    """make run imports a Jiangxi and a Chongqing county's bills into one registry: their
    bill numbers must not collide (a repeated number is refused, 同一单据只结算一次)."""
    from doudi.bills.reading import read_file

    numbers = []
    for region in ("360102", "500102"):
        synthesize(region, 2_000, tmp_path / region, seed=1)
        read = read_file((tmp_path / region / "bills.csv").read_bytes())
        assert read.encoding == "gb18030" and read.rows
        numbers.append({row["bill_id"] for _, row in read.rows})
    assert numbers[0] and numbers[1] and not numbers[0] & numbers[1]


# --- the lists issue #20 added ------------------------------------------------------------

#: sha256 of the files of `doudi synth --region 360102 --people 800 --seed 1` (the golden
#: demo county's) written by commit 07f4d34, before the lists issue #20 added
FIRST_FILES_SHA256 = {
    "poverty.csv": "32f26003151117053449ab487f3c2226a00001c686356257f8edbd56713e3c6e",
    "dibao.csv": "20024f3235dc0db87a53116a084804b092555055ef5d7b14144a52fe84473b00",
    "tekun.xlsx": "8d5e8d16583e14ce1b65d55ec2372db16a95196235620e4f5f709c18154941a4",
    "disability.csv": "488237fb1c4db5e41ebd70f8c2fbe1e047a44e0e5c1f4e2008ba611533ed5877",
    "resident_pension.csv": "a4ed97362408194852052dc383bc519f5aa241e60cd15d184a143808975e1ec8",
    "resident_medical.csv": "3d9f5e23576d6f75e8ea470b971917931ffe61d8626f71f1a51c56074bdd34be",
    "death.xlsx": "34a82bac229e9c72b56d2b6707710fd4db267a9f01688ce4000acecee4e6f287",
    "pension_payment.csv": "d86cea47e7bd8b147de66904d1bb38258290e6dee96645597048c78257075706",
    "bills.csv": "1da59688adce97369297efdd8b8168f5540edaca261204386a1892f10c76f099",
}
#: sha256 of the lists issue #20 added in the same files, written by commit e2b7b62,
#: before its record lists
ADDED_FILES_SHA256 = {
    "low_income.csv": "331eb3ef3e2f255b736b7b72df5844629cc0713abb281def471d969b603c5092",
    "veterans.csv": "0a7f7cb3a28bec4ebad64762d1079d4db66843633dbc6ec0b2b9ee939da0c898",
    "other_assistance.xlsx": "2524538aa5d218bbe55dfb2c43e53498dce3b3012604f86936df982ed8b6ef7c",
    "students.csv": "8c13cfd04b0d236a8f46c8f2b3ba418474850d981412e10c650cd2ece4a255c9",
    "unable_to_work.xlsx": "96099db423cd3d28f955ed3f06192286881e7cff49b86eee759a06f3e696327c",
    "employee_pension.csv": "11a070795c3632f25a12e5eeb7e033df87995e00516c2572ee9f41f03b06c144",
    "employee_medical.csv": "4e83a59ce476c6d22edaebad20f04ccb9cd57446dc74b226c5ab33375381e3d7",
}
ADDED = [name for name in ROSTERS if name not in FIRST_SOURCES]
#: the rejection code (rosters.rejections) each kind that must be refused gets
REJECTED_AS = {
    "check_digit": "id_check",
    "birth_date": "id_date",
    "empty_name": "missing",
    "duplicate": "duplicate",
    "bad_date": "date",
    "not_severe": "not_severe",
    "not_qualifying": "not_qualifying",
    "bad_count": "count",
    "out_of_range": "out_of_range",
    "off_list": "choice",
    "missing_cell": "missing",
    "duplicate_number": "duplicate",
}


def test_the_earlier_files_keep_every_byte_when_lists_are_added(tmp_path: Path) -> None:
    """Issue #20 §1: the added lists, and then the record lists, draw from streams of
    their own and are rendered after the others, so a seed's first files (and payments
    and bills) and the added lists' files are byte for byte those of before, and the
    golden demo county's pension and medical rows (tests/test_golden.py) stay the same."""
    manifest = synthesize("360102", 800, tmp_path, seed=1)
    paths = [f.path for f in manifest.files if f.source in ROSTERS]
    paths += [manifest.payments_file, manifest.bills_file]
    digests = {p: hashlib.sha256((tmp_path / p).read_bytes()).hexdigest() for p in paths}
    assert digests == FIRST_FILES_SHA256 | ADDED_FILES_SHA256
    assert {f.source for f in manifest.files} - set(ROSTERS) == {*RECORDS, *SERVICE_RECORDS}


@pytest.mark.parametrize("source", IMPORTED)
def test_each_file_reads_and_exactly_its_manifest_rows_are_refused_for_their_kind(
    synth: tuple[Path, Manifest], source: str
) -> None:
    """read_roster refuses the rows of the manifest's refused kinds, each with the kind's
    code (a veteran with a job or in the employee medical insurance: not_qualifying,
    RULES.md §1 已失业又未纳入职工医保的14类退役士兵; a record's count in words: count, a
    choice off its list: choice, two certificates of one number: duplicate, both rows),
    and accepts every other row."""
    assert set(REJECTED_AS) == {k for k, kind in ERROR_KINDS.items() if kind.rejected}
    out, manifest = synth
    info = manifest.file(source)
    read = read_roster(out / info.path, source)
    refused = read.rejected.select(["row_number", "code"]).to_pylist()
    got = {(r["row_number"], r["code"]) for r in refused}
    expected = {
        (row, REJECTED_AS[kind])
        for kind, rows in info.error_rows.items()
        if ERROR_KINDS[kind].rejected
        for row in rows
    }
    assert got == expected
    assert read.accepted.num_rows + len({row for row, _ in got}) == info.rows


def age_on(as_of: date, id_number: str) -> int:
    born = parse(id_number).birth_date
    return as_of.year - born.year - ((born.month, born.day) > (as_of.month, as_of.day))


def test_the_added_lists_hold_realistic_shares_of_the_county(synth: tuple[Path, Manifest]) -> None:
    out, manifest = synth
    rows = {info.source: clean_rows(out, info) for info in manifest.files}
    ids = {source: {r["id"] for r in listed} for source, listed in rows.items()}
    people, as_of = manifest.people, manifest.as_of  # 6,000 people
    assert {f.source for f in manifest.files} >= set(ADDED)
    # urban low-income families: 6 % in communities, 1.5 % in villages; above the dibao line
    assert 0.01 * people < len(ids["low_income"]) < 0.06 * people
    assert not ids["low_income"] & (ids["dibao"] | ids["tekun"])
    # veterans: 0.2 % = 12, well under 1 %; other assistance: 0.5 % = 30
    assert MIN_LISTED <= manifest.file("veterans").rows < 0.01 * people
    assert MIN_LISTED <= manifest.file("other_assistance").rows < 0.01 * people
    # students: 6–15 year-olds, 17 % / 16 years × 10 years × 98 % ≈ 10 %, and 16–22
    # year-olds, 60 % / 44 years × 7 years × about 60 % ≈ 6 %: about 16 % of people
    assert 0.10 * people < len(ids["students"]) < 0.22 * people
    assert all(6 <= age_on(as_of, i) <= 22 for i in ids["students"])
    # unable to work: adults; the severely disabled 2 % × 80 % adults × 60 % ≈ 1 % of
    # people, the others 0.3 % × 80 % ≈ 0.25 %: most are on the severe-disability list
    assert all(age_on(as_of, i) >= 18 for i in ids["unable_to_work"])
    assert len(ids["unable_to_work"] & ids["disability"]) > 0.6 * len(ids["unable_to_work"])
    # employee pension: 15 % of the working age are outside the resident pension, 80 %
    # of them employees: 12 %, less the students, about 10 % of the 60 % aged 16–59
    working = [i for i in ids["employee_pension"] if 16 <= age_on(as_of, i) < 60]
    assert 0.08 * 0.60 * people < len(working) < 0.16 * 0.60 * people
    assert 0 < len(ids["employee_medical"]) < len(ids["employee_pension"])


def test_nobody_is_in_an_employee_and_a_resident_scheme_at_once(
    synth: tuple[Path, Manifest],
) -> None:
    """One person, one pension scheme and one medical scheme; the poor left uninsured on
    purpose (the manifest's outreach list) are in no extract at all."""
    out, manifest = synth
    every = {
        info.source: {parse(v).value for v in read(out, info)["id_number"] if not parse_reason(v)}
        for info in manifest.files
    }
    assert every["employee_pension"] and every["employee_medical"]
    assert not every["employee_pension"] & every["resident_pension"]
    assert not every["employee_medical"] & every["resident_medical"]
    outreach = set(manifest.poor_not_enrolled_ids)
    assert not outreach & (every["employee_pension"] | every["employee_medical"])


def test_veterans_listed_are_unemployed_outside_employee_medical_but_the_listed_mistakes(
    synth: tuple[Path, Manifest],
) -> None:
    """RULES.md §1: 已失业又未纳入职工医保的14类退役士兵. A row saying 是否失业=否 or
    是否参加职工医保=是 is a mistake of the manifest's kind not_qualifying, and agrees
    with the employee extracts: that veteran has a job or employee medical insurance."""
    out, manifest = synth
    info = manifest.file("veterans")
    cells = read(out, info)
    assert set(cells["veteran_category"]) <= set(VETERAN_CATEGORIES)
    employee = {
        source: {
            parse(v).value
            for v in read(out, manifest.file(source))["id_number"]
            if parse_reason(v) is None
        }
        for source in ("employee_pension", "employee_medical")
    }
    wrong = set(info.error_rows["not_qualifying"])
    assert wrong  # 10 % errors: at least one
    for row, raw in enumerate(cells["id_number"], start=first_row(info)):
        i = row - first_row(info)
        unemployed, medical = cells["unemployed"][i], cells["in_employee_medical"][i]
        if row not in wrong:
            assert (unemployed, medical) == ("是", "否"), row
        if parse_reason(raw) is None:
            assert (unemployed == "否") == (parse(raw).value in employee["employee_pension"])
            assert (medical == "是") == (parse(raw).value in employee["employee_medical"])


def test_the_added_files_come_in_the_departments_mixed_formats(
    synth: tuple[Path, Manifest],
) -> None:
    """GBK CSV, UTF-8 CSV with a byte-order mark and Excel among the added lists too; the
    big employee extracts are CSV, as the systems export them; students start a school
    stage on 1 September."""
    out, manifest = synth
    added = [manifest.file(source) for source in ADDED]
    assert {f.encoding for f in added} >= {"gb18030", "utf-8-sig", "xlsx"}
    assert all(
        manifest.file(s).encoding != "xlsx" for s in ("employee_pension", "employee_medical")
    )
    info = manifest.file("students")
    starts = [r["since"] for r in clean_rows(out, info)]
    assert starts and all(
        datetime.strptime(d, info.date_format).strftime("%m%d") == "0901" for d in starts
    )


# --- the record lists issue #20 §1 added ------------------------------------------------


def day(value: str, info: FileInfo) -> date:
    return datetime.strptime(value, info.date_format).date()


def turned(id_number: str, age: int) -> date:
    """The day a person turned ``age`` (born 29 February: 1 March)."""
    born = parse(id_number).birth_date
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return date(born.year + age, 3, 1)


def test_the_record_files_carry_every_record_mistake_in_the_mixed_formats(
    synth: tuple[Path, Manifest],
) -> None:
    """Issue #20 §1: the record lists come as the other lists do (GBK and UTF-8 CSV,
    Excel) and, between them, carry every kind of mistake of a record's own cells."""
    _, manifest = synth
    records = [manifest.file(source) for source in RECORDS]
    assert {f.encoding for f in records} >= {"gb18030", "utf-8-sig", "xlsx"}
    made = {kind for f in records for kind, n in f.errors.items() if n}
    assert made >= set(RECORD_KINDS)
    others = [f for f in manifest.files if f.source not in (*RECORDS, *SERVICE_RECORDS)]
    assert not set(RECORD_KINDS) & {kind for f in others for kind in f.errors}


def test_record_mistakes_are_refused_with_their_chinese_reasons(
    synth: tuple[Path, Manifest],
) -> None:
    """A count in words (十二), a count out of its bounds (months 0–1200, funding year
    2000–2100), a choice off the column's list (再议), an empty required cell and two
    certificates of one number each come back with the reason a caseworker reads."""
    out, manifest = synth
    expected = {
        "bad_count": r"应为不小于 0 的整数（如 .+），实为「.+」",
        "out_of_range": r"应在 (0 至 1200|2000 至 2100) 之间，实为「\d+」",
        "off_list": r"应为(“[^”]+”)+之一，实为「.+」",
        "missing_cell": r"必填项「.+」为空",
        "duplicate_number": r"与第 \d+ 行证书编号相同但内容不同，两行均未导入",
    }
    seen = set()
    for source in RECORDS:
        info = manifest.file(source)
        read = read_roster(out / info.path, source)
        reasons = {r["row_number"]: r["reason"] for r in read.rejected.to_pylist()}
        for kind, pattern in expected.items():
            for row in info.error_rows.get(kind, []):
                assert re.fullmatch(pattern, reasons[row]), (source, kind, reasons[row])
                seen.add(kind)
    assert seen == set(expected)


def test_unemployment_records_are_rural_workers_some_of_whom_the_rules_refuse(
    synth: tuple[Path, Manifest],
) -> None:
    """2.5 % of the 3,600 or so people aged 18–59 (about 90), nine in ten rural contract
    workers; a third with a contract ended in the as-of year; months plausible, some
    under the 12 at the unit of the living allowance and some under the 36 insured of the
    skill-upgrade subsidy (JX-2017-58/2.3.9), so that the rules refuse some."""
    out, manifest = synth
    info = manifest.file("unemployment_records")
    rows = clean_rows(out, info)
    as_of, people = manifest.as_of, manifest.people
    assert 0.015 * 0.6 * people < info.rows < 0.035 * 0.6 * people
    assert all(18 <= age_on(as_of, r["id"]) <= 59 for r in rows)
    rural = [r for r in rows if r["rural_contract_worker"] == "是"]
    assert 0.75 * len(rows) < len(rural) < len(rows)
    months = [
        (int(r["months_at_unit"]), int(r["insured_months"]), int(r["contribution_months"]))
        for r in rows
    ]
    assert all(
        1 <= unit <= insured and 1 <= paid <= insured <= 180 for unit, insured, paid in months
    )
    assert any(unit < 12 for unit, _, _ in months)
    assert any(insured < 36 for _, insured, _ in months)
    ending = SOURCES["unemployment_records"].column("contract_ending")
    code = {form: c for form, c in ending.choices}
    ended = [r for r in rows if code[r["contract_ending"]] != "not_ended"]
    assert all(bool(r["contract_end_date"]) == (r in ended) for r in rows)
    this_year = [r for r in ended if day(r["contract_end_date"], info).year == as_of.year]
    assert 0.15 * len(rows) < len(this_year) < 0.5 * len(rows)
    assert all(day(r["contract_end_date"], info) <= as_of for r in ended)
    # the benefit only after a contract ended in the year with 12 months paid; its
    # medical insurance, and the resident premium paid, only then (HE-2018-3/2.4)
    qualified = [r for r in rows if r["benefit_qualified"] == "是"]
    assert qualified and all(
        r in this_year and int(r["contribution_months"]) >= 12 for r in qualified
    )
    assert all(bool(r["medical_scheme"]) == (r in qualified) for r in rows)
    assert all(
        (r["resident_medical_paid"] == "220.00")
        == (r["medical_scheme"] in ("居民医保", "城乡居民医保"))
        for r in rows
    )
    # the months drawn by the as-of date (at most 12), and the employee premium the fund
    # pays meanwhile at 150 a month: 6 months → 900.00 (HE-2018-3/2.4)
    assert all(bool(r["benefit_months"]) == (r in qualified) for r in rows)
    assert all(0 <= int(r["benefit_months"]) <= 12 for r in qualified)
    employee = [r for r in qualified if r["medical_scheme"] in ("职工医保", "职工基本医疗保险")]
    assert all(
        r["employee_medical_premium"] == f"{150 * int(r['benefit_months'])}.00" for r in employee
    )
    assert not [r for r in rows if r["employee_medical_premium"] and r not in employee]


def test_certificates_belong_to_rural_workers_some_obtained_before_2017(
    synth: tuple[Path, Manifest],
) -> None:
    """A quarter of the rural contract workers with a record hold one (a few two),
    mostly 五级/四级/三级, dated 2016 to the as-of date: those of 2016 are before the
    subsidy's 2017-01-01 (JX-2017-58/2.3.9) and refused by the rule."""
    out, manifest = synth
    info = manifest.file("certificates")
    rows = clean_rows(out, info)
    workers = {
        r["id"]
        for r in clean_rows(out, manifest.file("unemployment_records"))
        if r["rural_contract_worker"] == "是"
    }
    holders = {r["id"] for r in rows}
    assert holders and holders <= workers | {
        parse(v).value
        for v in read(out, manifest.file("unemployment_records"))["id_number"]
        if parse_reason(v) is None
    }
    assert len(holders) < 0.5 * manifest.file("unemployment_records").rows
    level = SOURCES["certificates"].column("certificate_level")
    codes = [dict(level.choices)[r["certificate_level"]] for r in rows]
    assert sum(c in ("5", "4", "3") for c in codes) > 0.8 * len(codes)
    obtained = [day(r["certificate_date"], info) for r in rows]
    assert all(date(2016, 1, 1) <= d <= manifest.as_of for d in obtained)
    assert any(d.year == 2016 for d in obtained) and any(d.year >= 2017 for d in obtained)
    numbers = [r["certificate_number"] for r in rows]
    assert len(set(numbers)) == len(numbers)


def test_third_party_funding_pays_for_poor_contributors_in_the_as_of_year(
    synth: tuple[Path, Manifest],
) -> None:
    """3 % of the registered poor (about 14 of 480), among those contributing to the
    resident pension (PZH-2018-195/1.2), 100 to 2,000 yuan each, for the as-of year."""
    out, manifest = synth
    rows = clean_rows(out, manifest.file("third_party_funding"))
    poor = {r["id"] for r in clean_rows(out, manifest.file("poverty"))}
    contributing = {
        r["id"]
        for r in clean_rows(out, manifest.file("resident_pension"))
        if r["receiving"] == "否"
    }
    assert MIN_LISTED <= len(rows) < 0.06 * len(poor)
    funded = {r["id"] for r in rows}
    assert funded <= poor & contributing
    assert all(100 <= int(r["funding_amount"]) <= 2000 for r in rows)
    assert {r["funding_year"].removesuffix("年") for r in rows} == {str(manifest.as_of.year)}
    assert all(r["funder"] for r in rows)


def test_pension_applications_come_from_the_people_the_documents_name(
    synth: tuple[Path, Manifest],
) -> None:
    """Hebei's 60+ applications (HE-2018-3/2.1.1): registered poor aged 60+, made after
    their 60th birthday — the never insured (the manifest's outreach), and in a small
    county some already insured, whom the rule refuses. Shandong's early-pension
    applications (SD-2017-37/2.1): severely disabled in the resident pension, aged 55–59
    (85 % 通过, the others 审核中 or 不通过), or 50–54 and 不通过."""
    out, manifest = synth
    as_of = manifest.as_of
    info = manifest.file("late_pension_applications")
    late = clean_rows(out, info)
    poor = {r["id"] for r in clean_rows(out, manifest.file("poverty"))}
    insured = {r["id"] for r in clean_rows(out, manifest.file("resident_pension"))}
    never = set(manifest.poor_not_enrolled_ids)
    assert len(late) >= MIN_LISTED
    assert all(r["id"] in poor and age_on(as_of, r["id"]) >= 60 for r in late)
    assert all(r["id"] in never | insured for r in late)
    assert all(turned(r["id"], 60) <= day(r["application_date"], info) <= as_of for r in late)

    info = manifest.file("early_pension_applications")
    early = clean_rows(out, info)
    disabled = {r["id"] for r in clean_rows(out, manifest.file("disability"))}
    assert len(early) >= MIN_LISTED
    assert all(r["id"] in disabled & insured for r in early)
    result = dict(SOURCES["early_pension_applications"].column("review_result").choices)
    for r in early:
        age = age_on(as_of, r["id"])
        assert 50 <= age <= 59
        if age < 55:
            assert result[r["review_result"]] == "rejected"
        else:
            assert turned(r["id"], 55) <= day(r["application_date"], info) <= as_of
    assert "approved" in {result[r["review_result"]] for r in early}
