"""Two people at once (issue #19 §3, decision 0011): two real ``doudi`` processes whose
writing jobs (or first migrations) overlap, on SQLite and PostgreSQL.

The overlap is made certain, not hoped for: the first job stops inside its transaction
(``DOUDI_PAUSE``, at the step where the kill tests kill it) and goes on only once the
second has said on standard error that it waits. Found before: on PostgreSQL two
snapshots of one source imported at once gave wrong periods and both reported
success, two plans of one year ended in an IntegrityError; on SQLite the second job
died after about 2 s with "database is locked".
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import support
from conftest import make_id
from doudi.store import db

pytestmark = pytest.mark.slow

WAITING = "另一项写入任务正在进行，等待其完成"
REFUSED = "另一项写入任务仍在进行"
#: forty people of a Jiangxi county on the March list; June's lacks the first and
#: adds two
PEOPLE = [make_id("360102", "19700101", f"{n:03d}") for n in range(1, 43)]
MARCH, JUNE = "2018-03-31", "2018-06-30"


@dataclass
class Done:
    code: int
    stdout: str
    stderr: str


class Job:
    """``doudi <args>`` as a process of its own on ``database``; its standard error
    goes to a file, so the test can read it while the process runs."""

    def __init__(
        self, database: db.Database, home: Path, name: str, args: list[str], **env: str
    ) -> None:
        self.err = home / f"{name}.stderr"
        with self.err.open("w") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from doudi.cli import app; app()", *args],
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                cwd=home,
                env={
                    **os.environ,
                    "DOUDI_DATABASE_URL": database.url(),
                    "DOUDI_HOME": str(home),
                    **env,
                },
            )

    def says(self, text: str) -> bool:
        return text in self.err.read_text("utf-8")

    def done(self) -> Done:
        stdout, _ = self.process.communicate(timeout=180)
        return Done(self.process.returncode, stdout, self.err.read_text("utf-8"))


def until(condition: Any, what: str) -> None:
    end = time.monotonic() + 120
    while not condition():
        assert time.monotonic() < end, f"timed out waiting until {what}"
        time.sleep(0.05)


def overlapping(
    database: db.Database,
    home: Path,
    step: str,
    first: list[str],
    second: list[str],
    *,
    hold: str = WAITING,
    **env: str,
) -> tuple[Done, Done]:
    """Run ``first`` until it reaches ``step`` inside its transaction, then ``second``;
    ``first`` goes on once ``second`` has said ``hold`` (or has ended)."""
    pause = home / "paused"
    one = Job(database, home, "first", first, DOUDI_PAUSE=step, DOUDI_PAUSE_FILE=str(pause))
    until(lambda: pause.exists() or one.process.poll() is not None, "the first job paused")
    two = Job(database, home, "second", second, **env)
    until(lambda: two.says(hold) or two.process.poll() is not None, f"the second said {hold}")
    pause.unlink(missing_ok=True)
    return one.done(), two.done()


def run(database: db.Database, home: Path, args: list[str]) -> Done:
    return Job(database, home, "alone", args).done()


def write_lists(home: Path) -> tuple[list[str], list[str]]:
    """The ``doudi import`` arguments of the March and the June list of one source."""

    def poverty(name: str, people: list[str]) -> Path:
        rows = [(p, f"测试{n}") for n, p in enumerate(people)]
        return support.roster(home / name, rows, {"纳入时间": ["2017-06-01"] * len(rows)})

    march = poverty("march.csv", PEOPLE[:40])
    june = poverty("june.csv", PEOPLE[1:])
    return (
        ["import", str(march), "--source", "poverty", "--as-of", MARCH],
        ["import", str(june), "--source", "poverty", "--as-of", JUNE],
    )


def periods(database: db.Database) -> list[tuple[Any, ...]]:
    """The status periods by ID number and the as-of date of the list that opened
    them (row ids differ between two runs)."""
    people = {r["id"]: r["id_number"] for r in database.read("registry_person").to_pylist()}
    lists = {r["id"]: r["as_of"] for r in database.read("registry_import_batch").to_pylist()}
    return sorted(
        (people[p["person_id"]], p["status"], p["valid_from"], p["valid_to"], lists[p["batch_id"]])
        for p in database.read("registry_status_period").to_pylist()
    )


def clean(done: Done) -> None:
    assert done.code == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr


def test_two_snapshots_of_one_source_at_once_equal_one_after_the_other(registry, tmp_path):
    march, june = write_lists(tmp_path)
    clean(run(registry, tmp_path, march))
    clean(run(registry, tmp_path, june))
    one_after_the_other = periods(registry)
    assert next(p for p in one_after_the_other if p[0] == PEOPLE[0])[3] is not None  # closed

    database = support.emptied(registry, tmp_path, "together")
    clean(run(database, tmp_path, ["imports"]))  # the tables made before two processes start
    first, second = overlapping(database, tmp_path, "people", march, june)
    clean(first)
    clean(second)
    assert WAITING in second.stderr
    assert periods(database) == one_after_the_other


def test_two_plans_of_one_year_at_once_make_one_version(registry, tmp_path):
    support.load_plan_people(registry, tmp_path)
    clean(run(registry, tmp_path, ["imports"]))
    plan = ["plan", "--jurisdiction", "500000", "--year", "2018"]
    first, second = overlapping(registry, tmp_path, "plan", plan, plan)
    clean(first)
    clean(second)
    assert WAITING in second.stderr
    # one version per programme (decision 0012): the second run reused both
    versions = registry.read("registry_plan_version").column("programme").to_pylist()
    assert sorted(versions) == ["resident_medical", "resident_pension"]


def test_a_job_that_waits_past_the_limit_is_refused_in_chinese(registry, tmp_path):
    march, june = write_lists(tmp_path)
    clean(run(registry, tmp_path, ["imports"]))
    first, second = overlapping(
        registry, tmp_path, "people", march, june, hold=REFUSED, DOUDI_WRITER_WAIT="1"
    )
    clean(first)
    assert second.code == 2, second.stderr
    assert WAITING in second.stderr and REFUSED in second.stderr
    assert "Traceback" not in second.stderr
    batches = registry.read("registry_import_batch").to_pylist()
    assert [str(b["as_of"]) for b in batches] == [MARCH]  # the second wrote nothing


@contextmanager
def fresh(registry: db.Database, home: Path) -> Iterator[db.Database]:
    """A database nobody has migrated yet, of the registry's kind: a new SQLite file,
    or a new database on the PostgreSQL test server (dropped afterwards)."""
    if registry.dialect == "sqlite":
        yield db.register(f"{registry.alias}_fresh", f"sqlite:///{home}/fresh.sqlite3")
        return
    import psycopg

    base, _, name = registry.url().rpartition("/")
    own = f"{name}_fresh"
    with psycopg.connect(registry.url(), autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{own}"')
        con.execute(f'CREATE DATABASE "{own}"')
    try:
        yield db.register("postgresql_fresh", f"{base}/{own}")
    finally:
        from django.db import connections

        connections["postgresql_fresh"].close()
        with psycopg.connect(registry.url(), autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')


def test_two_processes_that_find_a_fresh_database_migrate_one_after_the_other(registry, tmp_path):
    """Two commands started on a database nobody has migrated: the first is held once
    Django has planned its migrations; without the migration lock the second applied
    them all meanwhile, and the first then failed ("table django_content_type already
    exists", a traceback). Now the second says that it waits, and plans only once the
    first has migrated: it finds nothing to do, and both succeed."""
    with fresh(registry, tmp_path) as database:
        first, second = overlapping(database, tmp_path, "migrate", ["imports"], ["imports"])
        clean(first)
        clean(second)
        assert WAITING in second.stderr
        assert database.read("registry_person").num_rows == 0  # the tables are there
