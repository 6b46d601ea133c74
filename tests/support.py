"""Small registries the tests load, shared between the packages' tests: four Chongqing
people for the plan, and the Jiangxi patients of the bills' tests.

Each builds its department files as CSV and imports them with the real import, so the
registry holds what a caseworker's files would give.
"""

from __future__ import annotations

import importlib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import ModuleType

import fastexcel
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from conftest import make_id
from doudi.bills import importing as bills
from doudi.rosters.importing import import_roster
from doudi.store import db

# --- the plan's four Chongqing people -------------------------------------------------

MARCH = date(2018, 3, 31)

PEOPLE = [
    ("500102198005120028", "李梅", "poverty"),
    ("500102199001010059", "王强", "dibao"),
    ("500102196503030021", "赵兰", "tekun"),
    ("500102195001010075", "张伯", "poverty"),
]


def id17(value: str) -> str:
    from doudi.core.idnumber import check_character

    return value[:17] + check_character(value[:17])


def roster(path: Path, rows: list[tuple[str, str]], extra: dict[str, list[str]]) -> Path:
    table = {"公民身份号码": [r[0] for r in rows], "姓名": [r[1] for r in rows]}
    table.update(extra)
    pacsv.write_csv(pa.table(table), path)
    return path


def load_plan_people(registry: db.Database, tmp_path: Path) -> None:
    people = [(id17(i), n, s) for i, n, s in PEOPLE]
    for source in ("poverty", "dibao", "tekun"):
        rows = [(i, n) for i, n, s in people if s == source]
        since = {"纳入时间": ["2017-06-01"] * len(rows)}
        import_roster(registry, roster(tmp_path / f"{source}.csv", rows, since), source, MARCH)
    tiers = {"缴费档次": ["100", "200", "100", "100"], "参保时间": ["2015-01-01"] * 4}
    pension = roster(tmp_path / "pension.csv", [(i, n) for i, n, _ in people], tiers)
    import_roster(registry, pension, "resident_pension", MARCH)


# --- the bills' Jiangxi patients --------------------------------------------------------

POOR = make_id("360102", "19800512", "002")  # registered poor since 2016, Jiangxi

OTHER = make_id("360102", "19700101", "005")  # insured, no status

OUTSIDE = make_id("500102", "19750101", "001")  # registered poor in Chongqing

HEADER = "单据号,公民身份号码,入院日期,出院日期,医院等级,县域内,总费用,政策范围内费用\n"


def write(path: Path, lines: list[str], encoding: str = "gb18030") -> Path:
    path.write_bytes((HEADER + "".join(line + "\n" for line in lines)).encode(encoding))
    return path


def load_bills_people(registry: db.Database, tmp_path: Path) -> None:
    poverty = tmp_path / "poverty.csv"
    ids = [POOR, OUTSIDE]
    pacsv.write_csv(
        pa.table({"公民身份号码": ids, "姓名": ["李梅", "赵兰"], "纳入时间": ["2016-06-01"] * 2}),
        poverty,
    )
    import_roster(registry, poverty, "poverty", MARCH)
    medical = tmp_path / "medical.csv"
    pacsv.write_csv(
        pa.table({"公民身份号码": [OTHER], "姓名": ["王强"], "参保时间": ["2015-01-01"]}), medical
    )
    import_roster(registry, medical, "resident_medical", MARCH)


def stored(registry: db.Database) -> list[dict]:
    return registry.read("registry_bill").to_pylist()


def settled(registry: db.Database, id_number: str) -> list[dict]:
    person = registry.read("registry_person", f"WHERE id_number = '{id_number}'").to_pylist()[0]
    periods = registry.read("registry_status_period", f"WHERE person_id = {person['id']}")
    rows = [
        {**b, "id_number": id_number} for b in stored(registry) if b["person_id"] == person["id"]
    ]
    return bills.settle_person(rows, bills.status_rows(id_number, periods.to_pylist()))


def paid(result: dict) -> dict[str, str]:
    return {x["payer"]: x["amount"] for x in result["layers"] if x["amount"] != "0.00"}


# --- workbooks as a caseworker opens them -----------------------------------------------


def read(path: Path, sheet: str | int = 0) -> pa.Table:
    """A saved sheet as Arrow, header row as column names, every cell as text."""
    return fastexcel.read_excel(path).load_sheet(sheet, dtypes="string", eager=True)


def read_typed(path: Path, sheet: str | int = 0) -> pa.Table:
    return fastexcel.read_excel(path).load_sheet(sheet, eager=True)


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")
        )


#: Excel's built-in number formats a workbook refers to by id (ECMA-376 18.8.30).
BUILTIN_FORMATS = {"0": "General", "1": "0", "2": "0.00", "9": "0%", "10": "0.00%"}


def cells(path: Path, sheet: int = 1) -> dict[str, tuple[str, str]]:
    """Every cell of worksheet ``sheet`` (1-based) as stored: reference → (the value's
    text in the file, its number format), to see what a cell holds, not how a reader
    converts it (a rate stored as 0.9301 shown as 0.00%, not a text or 93.01)."""
    import xml.etree.ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        styles = ET.fromstring(z.read("xl/styles.xml"))
        shared = "xl/sharedStrings.xml" in names and ET.fromstring(z.read("xl/sharedStrings.xml"))
        rows = ET.fromstring(z.read(f"xl/worksheets/sheet{sheet}.xml"))
    custom = {f.get("numFmtId"): f.get("formatCode") for f in styles.iterfind(".//m:numFmt", ns)}
    xfs = [xf.get("numFmtId", "0") for xf in styles.iterfind("m:cellXfs/m:xf", ns)]
    strings = ["".join(si.itertext()) for si in shared] if shared is not False else []
    out = {}
    for c in rows.iterfind(".//m:c", ns):
        v = c.find("m:v", ns)
        text = "" if v is None or v.text is None else v.text
        if c.get("t") == "s":
            text = strings[int(text)]
        number = xfs[int(c.get("s", "0"))]
        out[c.get("r", "")] = (text, custom.get(number) or BUILTIN_FORMATS.get(number, number))
    return out


# --- a synthetic region for the lake's tests --------------------------------------------


def load_synthetic(
    registry: db.Database,
    region: str,
    people: int,
    folder: Path,
    seed: int = 3,
    hold_back: tuple[str, ...] = (),
) -> dict[str, Path]:
    """``doudi synth``'s department files of ``people`` persons in the counties under
    ``region``, imported but the sources ``hold_back``; returns those files by source."""
    from doudi.synth.departments import synthesize

    manifest = synthesize(region, people, folder, as_of=MARCH, seed=seed)
    held = {}
    for f in manifest.files:
        if f.source in hold_back:
            held[f.source] = folder / f.path
        else:
            import_roster(registry, folder / f.path, f.source, MARCH)
    return held


def emptied(database: db.Database, home: Path, name: str) -> db.Database:
    """An empty registry like ``database``, its ids from 1 again: a new SQLite file
    ``name`` in ``home``, or the PostgreSQL test database truncated (as the
    ``registry`` fixture does)."""
    if database.dialect == "sqlite":
        fresh = db.register(f"{database.alias}_{name}", f"sqlite:///{home}/{name}.sqlite3")
        fresh.migrate()
        return fresh
    with database.transaction() as con:
        db.execute(con, f"TRUNCATE {', '.join(db.registry_tables())} RESTART IDENTITY CASCADE")
    return database


# --- the benchmarks' own modules ------------------------------------------------------


@contextmanager
def benchmark(*names: str) -> Iterator[list[ModuleType]]:
    """Modules of benchmarks/, imported as its scripts import each other (their folder
    first on sys.path while the caller keeps them): a test holds a benchmark's baseline
    to what it claims to compute."""
    from conftest import REPO

    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(REPO / "benchmarks"))
        yield [importlib.import_module(name) for name in names]
