"""Shared helpers: evaluate one person or a list of people through the public API."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

import doudi

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    """The compiled rules' disk cache (engine.rule_cache) of this test run alone, shared
    by its processes: a run starts as a fresh machine would, and leaves the user's
    cache folder alone."""
    os.environ.setdefault("DOUDI_RULE_CACHE", tempfile.mkdtemp(prefix="doudi-rule-cache-"))


#: Test files whose tests share one pytest-xdist worker (``make test``: ``-n 2 --dist
#: loadfile``; every other file is a unit of its own): the Spark tests, so one JVM and
#: one standalone cluster are started, and the browser tests, one server and one
#: Chromium. A file with a test of the marker must be listed (checked at collection).
SHARED_WORKER = {
    "spark": (
        "tests/engine/test_spark.py",
        "tests/costing/test_costing_spark.py",
        "tests/plan/test_lake_spark.py",
    ),
    "browser": (
        "tests/web/test_browser.py",
        "tests/web/test_walk_browser.py",
        "tests/web/test_accessibility_browser.py",
        "tests/web/test_costing_browser.py",
    ),
}
_WORKER_OF = {path: group for group, paths in SHARED_WORKER.items() for path in paths}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked ``spark`` or ``browser`` in a file :data:`SHARED_WORKER` does not
    list would start its own JVM or browser on the other worker: refused."""
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        for marker in SHARED_WORKER:
            if item.get_closest_marker(marker) and _WORKER_OF.get(path) != marker:
                raise pytest.UsageError(f"{path}: list it in tests/conftest.py SHARED_WORKER")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadfile``, a file a unit of work as xdist has it (a module's fixtures,
    a synthetic province, are built once), except that the files of each
    :data:`SHARED_WORKER` group are one unit. (xdist's own ``loadgroup`` marks a test by
    rewriting its node id, which pytest 9 no longer reads: it grouped nothing.)"""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Grouped(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return _WORKER_OF.get(path, path)

    return Grouped(config, log)


def person(id_number: str, name: str = "测试", **facts: Any) -> dict[str, Any]:
    """A scenario person with the contract's defaults (enrolled at the minimum tier)."""
    base: dict[str, Any] = {
        "id_number": id_number,
        "name": name,
        "student": False,
        "employee_pension": False,
        "statuses": [],
        "resident_pension": {"enrolled": True},
    }
    base.update(facts)
    return base


def run(
    jurisdiction: str, year: int, people: list[dict[str, Any]], **params: Any
) -> list[dict[str, Any]]:
    scenario = {
        "jurisdiction": jurisdiction,
        "year": year,
        "parameters": params,
        "people": people,
    }
    return doudi.evaluate(scenario)["results"]


def one(jurisdiction: str, year: int, p: dict[str, Any], **params: Any) -> dict[str, Any]:
    return run(jurisdiction, year, [p], **params)[0]


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared is missing beside the repository (looked in {SHARED})")
    return SHARED


def make_id(region: str, birth: str, seq: str = "002") -> str:
    """A valid 18-digit ID number for a region and birth date (YYYYMMDD)."""
    from doudi.core.idnumber import check_character

    first17 = f"{region}{birth}{seq}"
    return first17 + check_character(first17)


def status(
    kind: str, start: str, end: str | None = None, exit_date: str | None = None
) -> dict[str, Any]:
    return {"status": kind, "from": start, "to": end, "exit_date": exit_date}


# -- registry databases: every registry test runs on SQLite and on PostgreSQL ----------

_POSTGRES: dict[str, Any] = {}


@pytest.fixture(scope="session")
def _django(tmp_path_factory: pytest.TempPathFactory) -> None:
    import os

    home = tmp_path_factory.mktemp("doudi-home")
    os.environ.setdefault("DOUDI_DATABASE_URL", f"sqlite:///{home}/default.sqlite3")
    from doudi.store import db

    db.setup()


def _postgres_url() -> str:
    """A database of this test run's own on the test server (DOUDI_TEST_DATABASE_URL,
    or the one scripts/test-postgres.sh starts, installing Debian's package when
    missing): two test runs at once (two sessions, or a session and its CI run) would
    otherwise truncate each other's tables mid-test. Dropped when the run ends."""
    import atexit
    import os
    import subprocess

    import psycopg

    url = os.environ.get("DOUDI_TEST_DATABASE_URL")
    if not url:
        script = REPO / "scripts" / "test-postgres.sh"
        url = subprocess.run([str(script)], check=True, capture_output=True, text=True).stdout
    base, _, name = url.strip().rpartition("/")
    own = f"{name}_{os.getpid()}"
    with psycopg.connect(url.strip(), autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{own}"')
        con.execute(f'CREATE DATABASE "{own}"')

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(url.strip(), autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')

    atexit.register(drop)
    return f"{base}/{own}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def registry(request: pytest.FixtureRequest, tmp_path: Path, _django: None) -> Any:
    """An empty, migrated registry on each database."""
    from doudi.store import db

    if request.param == "sqlite":
        database = db.register(f"sqlite_{tmp_path.name}", f"sqlite:///{tmp_path}/registry.sqlite3")
        database.migrate()
        return database
    if "db" not in _POSTGRES:
        database = db.register("postgresql", _postgres_url())
        with database.transaction() as con:
            db.execute(con, "DROP SCHEMA public CASCADE")
            db.execute(con, "CREATE SCHEMA public")
        database.migrate()
        _POSTGRES["db"] = database
    database = _POSTGRES["db"]
    tables = ", ".join(db.registry_tables())
    with database.transaction() as con:
        db.execute(con, f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    return database


def kill_during(registry: Any, step: str, imports: str, call: str) -> None:
    """Run ``call`` against ``registry`` in a fresh process that SIGKILLs itself at the
    job's fault point ``step`` (``jobs.db.fault``: rows written, not committed), and
    check it died that way. ``imports``: the lines the call needs; ``database`` is the
    registry, registered in the child."""
    import os
    import subprocess
    import sys

    script = (
        f"{imports}\n"
        "from doudi.store import db\n"
        "db.setup()\n"
        f"database = db.register('victim', {registry.url()!r})\n"
        f"{call}\n"
    )
    env = {**os.environ, "DOUDI_FAULT": step}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True)
    assert done.returncode == -9, done.stderr.decode()  # killed by SIGKILL, mid-transaction
