"""`doudi import` of hostile department files (issue #19 §7), every roster source and
every record source (issue #20 §1), on SQLite and PostgreSQL: exit 0 or 2, never a
traceback; a refusal in Chinese that changes no registry table; rejected rows with row,
column and a Chinese reason."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from tests.fuzz.budget import FUZZ
from tests.fuzz.hostile import AMOUNTS, CHINESE_NAMES, DATES, HostileFile, Table, files
from tests.fuzz.outcome import Outcome, doudi, judge, options  # noqa: F401 (fixture)

from conftest import make_id
from doudi.rosters.sources import RECORDS, ROSTERS, SOURCES, Source

#: every example imports a file: seconds a test, on each database (make test runs them)
pytestmark = pytest.mark.slow

#: A valid cell of each column kind (sources.KINDS); dates are the kinds' own mistakes.
VALID = {
    "text": "敦仁街道",
    "date": "2016-06-01",
    "yes_no": "否",
    "region_code": "500102",
    "decimal": "100",
    "grade": "一级",
    "account": "6217000000000000011",
    "count": "12",
}
POOLS = {
    "date": DATES,
    "decimal": AMOUNTS,
    "region_code": ["999999", "ABCDEF", "5001", "500102000", "000000", "１２３４５６"],
    "yes_no": ["是", "否", "Y", "N", "1", "0", "true", "已脱贫", "是否"],
    "grade": ["一级", "二级", "三级", "四级", "五级", "1", "Ⅰ级", "重度"],
    "account": ["123", "6217 0000 0000 0000 011", "621700000000000001１", "x" * 40],
    "count": ["-1", "1.5", "12个月", "１２ 月", "1201", "1999", "2101年", "9999999999", "十二"],
    "choice": ["其他", "五 级", "Ⅴ级", "approved", "期满终止、提前解除", "通过?"],
    "id_number": [
        make_id("500102", "20200101"),  # born after the list's date
        make_id("500102", "19000101"),
        "50010219750101001X",
        "500102197501010010",
        "500102750101001",
        "50010219750101001x",
        "5001021975010100111",
    ],
}
BIRTHS = ("19750101", "19800512", "19650303")


def base_table(source: Source) -> Table:
    """Three valid rows of ``source``'s columns, Chinese headers as ``doudi synth`` writes."""
    rows = []
    for n, birth in enumerate(BIRTHS):
        cells = []
        for c in source.columns:
            if c.kind == "id_number":
                cells.append(make_id("500102", birth, f"00{n + 1}"))
            elif c.name == "name":
                cells.append(CHINESE_NAMES[n])
            elif c.name == "death_date":
                cells.append("2018-01-15")
            elif c.name == "unemployed":  # a veteran qualifies only when unemployed
                cells.append("是")
            elif c.name == source.unique:  # one certificate a row
                cells.append(f"ZS{n + 1:04d}")
            elif c.kind == "choice":
                cells.append(c.choices[0][0])
            elif c.kind == "count" and c.between is not None:  # a year 2000–2100
                cells.append(str(c.between[0]))
            else:
                cells.append(VALID[c.kind])
        rows.append(cells)
    return Table(
        header=[c.label for c in source.columns],
        rows=rows,
        pools={c.label: POOLS.get(c.kind, []) for c in source.columns},
        aliases={c.label: list(c.aliases) for c in source.columns},
    )


@st.composite
def roster_files(draw: st.DrawFn, names: tuple[str, ...] = ROSTERS) -> tuple[str, HostileFile]:
    source = draw(st.sampled_from(names))
    return source, draw(files(base_table(SOURCES[source]), source))


AS_OF = st.sampled_from(["2018-03-31", "2018-06-30", "2017-12-31", "1900-01-01", "2100-01-01"])


#: Issue #19 §7's find, kept: a rejected cell holding NUL is stored with the rejected
#: row, which PostgreSQL refuses mid-import (a traceback; SQLite stores it).
NUL_IN_A_REJECTED_CELL = (
    "poverty",
    HostileFile(
        "poverty.csv",
        (
            "公民身份号码,姓名\n"
            f"{make_id('500102', '19750101', '001')},张三\n"
            f"{make_id('500102', '19800512', '002')},李\x00四\n"
        ).encode(),
        ("cell(1,姓名)=NUL",),
    ),
)


def imported_or_refused(
    drawn: tuple[str, HostileFile],
    as_of: str,
    dry_run: bool,
    run: Callable[..., Outcome],
    tmp_path,
) -> None:
    """``doudi import`` (``run``: the ``doudi`` fixture) of the drawn file, judged as a
    caseworker is owed."""
    source, hostile = drawn
    path = hostile.written_in(tmp_path)
    outcome = run("import", str(path), *options(dry_run, "--source", source, "--as-of", as_of))
    # a UTF-16 file is named as such, unless its date is refused first
    utf16 = hostile.utf16 and as_of.startswith(("2017", "2018"))
    judge(outcome, (source, as_of, hostile), dry_run=dry_run, utf16=utf16)


@FUZZ
@example(drawn=NUL_IN_A_REJECTED_CELL, as_of="2018-03-31", dry_run=False)
@given(drawn=roster_files(), as_of=AS_OF, dry_run=st.booleans())
def test_a_hostile_roster_is_refused_in_chinese_or_imported(
    drawn: tuple[str, HostileFile],
    as_of: str,
    dry_run: bool,
    doudi: Callable[..., Outcome],  # noqa: F811
    tmp_path,
) -> None:
    imported_or_refused(drawn, as_of, dry_run, doudi, tmp_path)


@FUZZ
@given(drawn=roster_files(RECORDS), as_of=AS_OF, dry_run=st.booleans())
def test_a_hostile_record_list_is_refused_in_chinese_or_imported(
    drawn: tuple[str, HostileFile],
    as_of: str,
    dry_run: bool,
    doudi: Callable[..., Outcome],  # noqa: F811
    tmp_path,
) -> None:
    """The record sources (counts, choices, several certificates a person), drawn apart:
    among the lists they would rarely be drawn."""
    imported_or_refused(drawn, as_of, dry_run, doudi, tmp_path)
