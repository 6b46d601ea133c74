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
from doudi.rosters.sources import ROSTERS, SOURCES
from doudi.synth.departments import FileInfo, Manifest, synthesize
from doudi.synth.lists import FIRST_SOURCES, TIERS
from doudi.synth.mistakes import ERROR_KINDS, ONLY_ON, VARIANTS
from doudi.synth.more_lists import MIN_LISTED, VETERAN_CATEGORIES
from doudi.synth.places import counties_under

Rows = dict[str, list[str]]

ID_KINDS = ("check_digit", "birth_date", "old_15_digit", "lowercase_x", "full_width", "stray_space")
FULL_WIDTH = re.compile("[０-９Ｘ]")


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
    assert [f.source for f in manifest.files] == list(ROSTERS)
    assert Manifest.load(out) == manifest
    assert {f.encoding for f in manifest.files} >= {"gb18030", "utf-8-sig", "xlsx"}
    text = (out / "manifest.json").read_text("utf-8")
    assert "\\u" not in text  # ensure_ascii=False: Chinese stays readable
    for info in manifest.files:
        assert info.path.endswith(".xlsx" if info.encoding == "xlsx" else ".csv")
        assert len(next(iter(read(out, info).values()))) == info.rows
        assert set(info.errors) >= set(ERROR_KINDS) - set(ONLY_ON)
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
        date_column = "death_date" if info.source == "death" else "since"
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
            "duplicate": rows_where(info, ids, again),
            "name_variant": rows_where(
                info,
                names,
                lambda v: bool(re.search(r"\s", v)) or any(c in v for c in VARIANTS.values()),
            ),
            "bad_date": rows_where(
                info, cells[date_column], lambda v, fmt=fmt: v != "" and not is_date(v, fmt)
            ),
        }
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
            assert len(rows) == info.errors[kind]
        total = sum(info.errors.values())
        if total >= len(info.errors):
            assert all(found.values()), f"{info.source}: an error kind is missing"
        data_rows = info.rows - info.errors["duplicate"]
        assert total == pytest.approx(data_rows * manifest.error_rate, abs=1)


def clean_rows(out: Path, info: FileInfo) -> list[dict[str, str]]:
    """The rows a strict importer keeps: valid ID (normalised, 15 → 18), a name, no
    unreadable date, an ID that is not repeated in the file."""
    cells = read(out, info)
    rows = [dict(zip(cells, values, strict=True)) for values in zip(*cells.values(), strict=True)]
    date_column = "death_date" if info.source == "death" else "since"
    for number, row in enumerate(rows, start=first_row(info)):
        row["row"] = str(number)
        row["id"] = parse(row["id_number"]).value if parse_reason(row["id_number"]) is None else ""
    counts = Counter(r["id"] for r in rows)
    return [
        r
        for r in rows
        if r["id"]
        and counts[r["id"]] == 1
        and r["name"]
        and is_date(r[date_column], info.date_format)
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
}


def test_the_first_lists_files_keep_every_byte_when_lists_are_added(tmp_path: Path) -> None:
    """Issue #20 §1: the added lists draw from streams of their own, after the first
    seven, so a seed's first files (and payments and bills) are byte for byte those of
    before, and the golden demo county's plan (tests/test_golden.py) stays the same."""
    manifest = synthesize("360102", 800, tmp_path, seed=1)
    paths = [f.path for f in manifest.files if f.source in FIRST_SOURCES]
    paths += [manifest.payments_file, manifest.bills_file]
    digests = {p: hashlib.sha256((tmp_path / p).read_bytes()).hexdigest() for p in paths}
    assert digests == FIRST_FILES_SHA256


@pytest.mark.parametrize("source", ROSTERS)
def test_each_file_reads_and_exactly_its_manifest_rows_are_refused_for_their_kind(
    synth: tuple[Path, Manifest], source: str
) -> None:
    """read_roster refuses the rows of the manifest's refused kinds, each with the kind's
    code (a veteran with a job or in the employee medical insurance: not_qualifying,
    RULES.md §1 已失业又未纳入职工医保的14类退役士兵), and accepts every other row."""
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
