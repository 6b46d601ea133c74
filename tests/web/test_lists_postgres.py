"""The lists' and the audit log's scope on PostgreSQL (issue #23 §2–3): the scope tests
of test_lists_web and test_audit_log_web (their names say ``scope``) run again with the
web application's own database on the PostgreSQL test server, in a child process,
since Django's database is chosen once per process (DOUDI_DATABASE_URL). A county's
user must not page or export another county's rows there either: the scope's
queries (LIKE prefixes, subqueries of the audit log, JSON filters of the job list)
are each database's own SQL."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def web_database() -> Iterator[str]:
    """A database of this test's own on the test server, dropped afterwards."""
    import psycopg

    url = (
        os.environ.get("DOUDI_TEST_DATABASE_URL")
        or subprocess.run(
            [str(REPO / "scripts" / "test-postgres.sh")], check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    base, _, name = url.rpartition("/")
    own = f"{name}_web_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{own}"')
        con.execute(f'CREATE DATABASE "{own}"')
    try:
        yield f"{base}/{own}"
    finally:
        with psycopg.connect(url, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')


def test_the_lists_and_the_audit_log_keep_their_scope_on_postgresql(web_database, tmp_path):
    env = {**os.environ, "DOUDI_DATABASE_URL": web_database, "DOUDI_HOME": str(tmp_path)}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-m",
        "not postgres and not browser",
        "-k",
        "scope",
        "tests/web/test_lists_web.py",
        "tests/web/test_audit_log_web.py",
    ]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "6 passed" in done.stdout  # the scope tests ran, none was left out
