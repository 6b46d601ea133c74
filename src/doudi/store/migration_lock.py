"""One migration at a time on a registry database (issue #19).

Every command migrates the registry before it works (``console.open_registry``). Two
processes that found a fresh database at once both planned every migration and both
applied them: the one that came second to a migration failed with "table
django_content_type already exists" (SQLite) or "relation … already exists"
(PostgreSQL), a traceback. Holding this lock around
Django's ``migrate``, the second process plans only once the first has finished, finds
every migration applied and does nothing.

- PostgreSQL: a session-level advisory lock (:data:`MIGRATION_KEY`) on a connection of
  its own, released after the migration or by the end of the connection (a killed
  process). Not the writer lock's key: a migration must not wait for a long writing job
  (decision 0011), only for another migration.
- SQLite: an exclusive ``flock`` on a file beside the database, ``<file>-migrate.lock``
  (the kernel releases it when the process dies). Not the database's own write lock:
  Django migrates through a connection of its own, which would then wait for this one.

Like the writer lock, it is first tried without waiting; if another process migrates,
``Waiting.notice()`` says so and the process waits up to ``DOUDI_WRITER_WAIT`` seconds,
then ``Waiting.refuse`` gets a :class:`writer.WriterBusy` (nothing written).
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from doudi.store import writer

#: The advisory-lock key of migrations: the writer lock's key + 1 (decision 0011).
MIGRATION_KEY = writer.WRITER_KEY + 1
#: How often a waiting process tries the lock again.
POLL_SECONDS = 0.1


class Lock(Protocol):
    def attempt(self) -> bool: ...

    def release(self) -> None: ...


@contextmanager
def held(dialect: str, where: str, waiting: writer.Waiting) -> Iterator[None]:
    """The migration lock of the database at ``where`` (an SQLite file's path or a
    PostgreSQL URI), held for the block."""
    limit = writer.wait_seconds()
    lock: Lock = _SqliteFile(where) if dialect == "sqlite" else _Advisory(where)
    try:
        if not lock.attempt():
            waiting.notice()
            end = time.monotonic() + limit
            while not lock.attempt():
                if time.monotonic() >= end:
                    waiting.refuse(writer.WriterBusy(limit))
                time.sleep(POLL_SECONDS)
        yield
    finally:
        lock.release()


class _SqliteFile:
    """An exclusive ``flock`` on ``<database file>-migrate.lock``."""

    def __init__(self, database: str) -> None:
        self.path = Path(f"{database}-migrate.lock")
        self.file: Any = None
        self.held = False

    def attempt(self) -> bool:
        if self.file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = self.path.open("a")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        self.held = True
        return True

    def release(self) -> None:
        if self.file is not None:
            if self.held:
                fcntl.flock(self.file, fcntl.LOCK_UN)
            self.file.close()


class _Advisory:
    """A session-level advisory lock on a connection of its own (autocommit)."""

    def __init__(self, uri: str) -> None:
        import adbc_driver_postgresql.dbapi as postgresql

        self.con = postgresql.connect(uri, autocommit=True)
        self.held = False

    def attempt(self) -> bool:
        with self.con.cursor() as cur:
            cur.execute(f"SELECT pg_try_advisory_lock({MIGRATION_KEY})")
            self.held = bool(cur.fetchone()[0])
        return self.held

    def release(self) -> None:
        try:
            if self.held:
                with self.con.cursor() as cur:
                    cur.execute(f"SELECT pg_advisory_unlock({MIGRATION_KEY})")
                    cur.fetchall()
        finally:
            self.con.close()
