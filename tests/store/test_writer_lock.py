"""The writer lock (issue #19 §3, decision 0011): a writing transaction takes it at its
start; while another process holds it the job says so and waits, and past the limit it
is refused in Chinese with nothing written; a reading connection never waits. On SQLite
and PostgreSQL (the ``registry`` fixture); another process holds the lock
(``locking.writer_lock_held``)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from doudi.store import db, writer
from locking import writer_lock_held


def _watched(database: db.Database, told: list[str]) -> db.Database:
    return db.Database(database.alias, waiting=writer.Waiting(notice=lambda: told.append("wait")))


def test_a_writing_job_waits_for_the_writer_lock_and_says_so(registry):
    """The other job lets go only once this one has said that it waits: it was
    told, then it waited, then it wrote."""
    told: list[str] = []
    with writer_lock_held(registry) as release:

        def notice() -> None:
            told.append("wait")
            release()

        waiting = db.Database(registry.alias, waiting=writer.Waiting(notice=notice))
        with waiting.transaction() as con:
            db.execute(con, "UPDATE registry_person SET name = name")
    assert told == ["wait"]  # told once, as it began to wait


def test_a_writing_job_is_refused_in_chinese_past_the_limit(registry, monkeypatch):
    monkeypatch.setenv("DOUDI_WRITER_WAIT", "0.5")
    told: list[str] = []
    ran = False
    with (
        writer_lock_held(registry),
        pytest.raises(writer.WriterBusy) as refused,
        _watched(registry, told).transaction(),
    ):
        ran = True
    assert not ran  # the job's block never started
    assert told == ["wait"]
    assert str(refused.value).startswith("另一项写入任务仍在进行")
    assert "nothing written" in str(refused.value)


def test_a_job_that_finds_the_lock_free_neither_waits_nor_says_so(registry):
    told: list[str] = []
    with _watched(registry, told).transaction() as con:
        assert db.scalar(con, "SELECT count(*) FROM registry_person") == 0
    assert told == []


def test_reading_never_waits_for_a_writing_job(registry, monkeypatch):
    """A report or a page reads while an import writes: a reading connection takes
    no writer lock (with the lock it would be refused after 0.5 s here)."""
    monkeypatch.setenv("DOUDI_WRITER_WAIT", "0.5")
    with writer_lock_held(registry):
        assert registry.read("registry_person").num_rows == 0
        with registry.reading() as con:
            assert db.scalar(con, "SELECT count(*) FROM registry_import_batch") == 0


def test_an_sqlite_job_enforces_foreign_keys(_django, tmp_path: Path):
    """``PRAGMA foreign_keys = ON`` is ignored inside a transaction, and the driver
    opens one as it connects: the pragma used to do nothing. Django declares the
    registry's foreign keys deferred, so the commit is what refuses a dangling one."""
    database = db.register(f"fk_{tmp_path.name}", f"sqlite:///{tmp_path}/registry.sqlite3")
    database.migrate()
    with database.transaction() as con:
        assert db.scalar(con, "PRAGMA foreign_keys") == 1
    with pytest.raises(Exception, match="FOREIGN KEY"), database.transaction() as con:
        db.execute(
            con, "INSERT INTO registry_import_scope (batch_id, county) VALUES (999, '360102')"
        )


def test_djangos_sqlite_transactions_wait_for_the_write_lock(_django, tmp_path: Path):
    """The web's own writes (accounts, audit, jobs) in a transaction that reads first:
    SQLite refuses such a transaction at once when another holds the write lock,
    whatever the timeout, unless it took the lock at BEGIN (``transaction_mode``
    IMMEDIATE); with it, Django waits out the other writer."""
    from django.db import connections, transaction

    database = db.register(f"dj_{tmp_path.name}", f"sqlite:///{tmp_path}/registry.sqlite3")
    database.migrate()
    with connections[database.alias].cursor() as cursor:
        cursor.execute("CREATE TABLE scratch (x integer)")
    connections[database.alias].close()
    with writer_lock_held(database) as release:
        threading.Timer(1.0, release).start()
        with transaction.atomic(using=database.alias), connections[database.alias].cursor() as c:
            c.execute("SELECT count(*) FROM scratch")
            c.execute("INSERT INTO scratch VALUES (1)")
    connections[database.alias].close()
    assert database.read("registry_person").num_rows == 0


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "inf", "9999999"])
def test_a_bad_DOUDI_WRITER_WAIT_refuses_every_writing_job_in_chinese(registry, monkeypatch, value):
    """A limit that is no number of seconds from 0 to 2,147,483 (the databases' 32-bit
    milliseconds): ``float("abc")``'s English ValueError was a traceback, and only when
    the job had to wait. Now every writing job is refused, naming the variable and the
    value, before it writes; the lock is free here."""
    monkeypatch.setenv("DOUDI_WRITER_WAIT", value)
    ran = False
    with pytest.raises(writer.InvalidWait) as refused, registry.transaction():
        ran = True
    assert not ran
    assert str(refused.value).startswith(f"环境变量 DOUDI_WRITER_WAIT 的值 {value!r} 无效")
    assert "应为 0 至 2147483 之间的秒数" in str(refused.value)


@pytest.mark.parametrize(
    ("value", "seconds"), [("", 600.0), (" ", 600.0), ("0", 0.0), ("1.5", 1.5)]
)
def test_DOUDI_WRITER_WAIT_unset_is_ten_minutes_and_a_number_is_its_seconds(
    monkeypatch, value, seconds
):
    monkeypatch.setenv("DOUDI_WRITER_WAIT", value)
    assert writer.wait_seconds() == seconds


@pytest.mark.slow
def test_a_command_with_a_bad_DOUDI_WRITER_WAIT_exits_2_in_chinese_before_opening_anything(
    tmp_path: Path,
):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DOUDI_WRITER_WAIT": "ten",
        "DOUDI_DATABASE_URL": f"sqlite:///{tmp_path}/registry.sqlite3",
    }
    out = subprocess.run(
        [sys.executable, "-m", "doudi.cli", "imports"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 2
    assert "环境变量 DOUDI_WRITER_WAIT 的值 'ten' 无效" in out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "registry.sqlite3").exists()  # nothing created, nothing migrated


def test_a_reading_is_one_snapshot_while_an_import_commits(registry):
    """``Database.reading`` promises one moment for all its reads (the costing, the
    ledger and the lake export read several tables in one): an import committing
    between two of its reads shows in neither. PostgreSQL's default, READ COMMITTED,
    showed it in the second."""
    with registry.reading() as con:
        before = db.scalar(con, "SELECT count(*) FROM registry_import_batch")
        with registry.transaction() as other:
            db.execute(
                other,
                "INSERT INTO registry_import_batch (source, file_name, checksum, as_of, "
                "encoding, rows_read, rows_accepted, rows_rejected, people_added, "
                "periods_opened, periods_closed, imported_by, imported_at, mode, region) "
                "VALUES ('poverty', 'a.csv', 'x', '2018-03-31', 'utf-8', 1, 1, 0, 0, 0, 0, "
                "'测试', '2018-04-01 00:00:00', 'snapshot', '360102')",
            )
        assert db.scalar(con, "SELECT count(*) FROM registry_import_batch") == before
    with registry.reading() as con:
        assert db.scalar(con, "SELECT count(*) FROM registry_import_batch") == before + 1
