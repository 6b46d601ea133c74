"""`doudi work-injury import` of hostile files (issue #21 §1, as tests/fuzz does for the
rosters), on SQLite and PostgreSQL: exit 0 or 2, never a traceback; a refusal in Chinese
that changes no registry table; rejected rows with row, column and a Chinese reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.fuzz.budget import FUZZ
from tests.fuzz.hostile import AMOUNTS, CHINESE_NAMES, DATES, HostileFile, Table, files
from tests.fuzz.outcome import Outcome, invoke, judge, options

from conftest import make_id
from doudi.work_injury import lists_cli
from doudi.work_injury.sources import LISTS, WorkInjuryList

pytestmark = pytest.mark.slow

COUNTY = "360781"
VALID = {
    "text": "瑞兴建材",
    "date": "2018-06-01",
    "yes_no": "否",
    "region_code": COUNTY,
    "decimal": "100",
}
POOLS = {
    "date": DATES,
    "decimal": AMOUNTS,
    "region_code": ["999999", "360702", "3607", "360781000", "１２３４５６"],
    "yes_no": ["是", "否", "Y", "N", "1", "0", "是否"],
    "choice": ["其他", "飞机", "认定 中", "approved", ""],
    "id_number": [make_id(COUNTY, "20990101"), "36078119800101001", "360781800101001"],
}
BIRTHS = ("19750101", "19800512", "19650303")


def base_table(spec: WorkInjuryList) -> Table:
    """Three valid rows of the list, Chinese headers as ``doudi synth`` writes them."""
    rows = []
    for n, birth in enumerate(BIRTHS):
        cells = []
        for c in spec.source.columns:
            if c.kind == "id_number":
                cells.append(make_id(COUNTY, birth, f"00{n + 1}"))
            elif c.name == "name":
                cells.append(CHINESE_NAMES[n])
            elif c.name in ("project_id", "case_id"):
                cells.append(f"X{n + 1:03d}")
            elif c.kind == "choice":
                cells.append(c.choices[0][0])
            else:
                cells.append(VALID[c.kind])
        rows.append(cells)
    return Table(
        header=[c.label for c in spec.source.columns],
        rows=rows,
        pools={c.label: POOLS.get(c.kind, []) for c in spec.source.columns},
        aliases={c.label: list(c.aliases) for c in spec.source.columns},
    )


@st.composite
def list_files(draw: st.DrawFn) -> tuple[str, HostileFile]:
    name = draw(st.sampled_from(list(LISTS)))
    return name, draw(files(base_table(LISTS[name]), name))


@pytest.fixture
def doudi(registry: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Outcome]:
    monkeypatch.setattr(lists_cli, "open_registry", lambda: registry)
    return lambda *args: invoke(args, registry)


@FUZZ
@given(drawn=list_files(), as_of=st.sampled_from(["2018-06-30", "2100-01-01"]), dry=st.booleans())
def test_a_hostile_work_injury_list_is_refused_in_chinese_or_imported(
    drawn: tuple[str, HostileFile],
    as_of: str,
    dry: bool,
    doudi: Callable[..., Outcome],
    tmp_path: Path,
) -> None:
    name, hostile = drawn
    path = hostile.written_in(tmp_path)
    args = ["--source", name, "--file", str(path), "--region", COUNTY, "--as-of", as_of]
    outcome = doudi("work-injury", "import", *options(dry, *args))
    judge(outcome, (name, as_of, hostile), dry_run=dry, utf16=hostile.utf16)
