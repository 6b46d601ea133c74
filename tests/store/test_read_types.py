"""Reading a registry table back whole, on SQLite and PostgreSQL: a text column that is
null in its first rows and filled later (bank accounts: the lists without them are
imported before the pension extract) is read as text. ADBC's SQLite driver typed it by
its first 1,024 rows as integers and the read failed ("Type mismatch … expected INT64");
the registry benchmark's read-back of 20,000 people hit it."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from conftest import make_id
from doudi.rosters.importing import import_roster
from doudi.store import db


def test_a_text_column_null_in_its_first_rows_reads_back_as_text(
    registry: db.Database, tmp_path: Path
) -> None:
    ids = [make_id("360102", f"19{60 + i // 900}0101", f"{i % 900 + 100:03d}") for i in range(1100)]
    poverty = tmp_path / "poverty.csv"
    pacsv.write_csv(
        pa.table({"公民身份号码": ids, "姓名": ["某"] * 1100, "纳入时间": ["2016-01-01"] * 1100}),
        poverty,
    )
    import_roster(registry, poverty, "poverty", date(2018, 3, 31))
    pension = tmp_path / "pension.csv"
    pacsv.write_csv(
        pa.table(
            {
                "公民身份号码": ids[:1],
                "姓名": ["某"],
                "参保时间": ["2015-01-01"],
                "缴费档次": ["100"],
                "银行账号": ["6217000000000001"],
            }
        ),
        pension,
    )
    import_roster(registry, pension, "resident_pension", date(2018, 3, 31), mode="addendum")

    read = registry.read("registry_roster_entry")
    assert read.schema.field("bank_account").type == pa.string()
    assert read.column("bank_account").to_pylist()[-1] == "6217000000000001"
    assert read.column("bank_account").null_count == 1100


def _address_space() -> int:
    """This process's virtual memory size in bytes (Linux)."""
    status = Path("/proc/self/status").read_text()
    return int(next(s for s in status.splitlines() if s.startswith("VmSize:")).split()[1]) * 1024


def test_a_read_reserves_memory_for_its_rows_only_so_the_process_can_still_fork(
    registry: db.Database, tmp_path: Path
) -> None:
    """A fixed batch of 2^30 rows made ADBC reserve ~150 GB of address space per read,
    kept while the table lived; starting Spark's JVM (a fork with preexec_fn) then
    failed with ENOMEM in the full test run."""
    ids = [make_id("360102", "19600101", f"{i + 100:03d}") for i in range(50)]
    poverty = tmp_path / "poverty.csv"
    pacsv.write_csv(
        pa.table({"公民身份号码": ids, "姓名": ["某"] * 50, "纳入时间": ["2016-01-01"] * 50}),
        poverty,
    )
    import_roster(registry, poverty, "poverty", date(2018, 3, 31))
    before = _address_space()
    kept = [registry.read("registry_roster_entry") for _ in range(3)]
    assert all(t.num_rows == 50 for t in kept)
    assert _address_space() - before < 4 << 30
    done = subprocess.run(["true"], preexec_fn=lambda: None, check=False)
    assert done.returncode == 0
