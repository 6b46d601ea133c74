"""The writer lock: one writing job at a time on a registry database (decision 0011).

Every writing transaction takes it first, before it reads anything, so what it reads
is what the previous writer committed and the result equals running the jobs one
after the other. On PostgreSQL it is a transaction-level advisory lock (released by
the commit, the rollback or the death of the connection); on SQLite it is the
database's own write lock taken by ``BEGIN IMMEDIATE``, the only way the busy timeout
applies: a deferred transaction that has read and then writes gets SQLITE_BUSY at
once, whatever the timeout, because waiting could deadlock.

A job first tries the lock without waiting; if another job holds it, the job says so
(:class:`Waiting`) and waits up to ``DOUDI_WRITER_WAIT`` seconds (ten minutes unless
told), then is refused in Chinese (:class:`WriterBusy`) with nothing written. A value
of ``DOUDI_WRITER_WAIT`` that is no number of seconds refuses every writing job in
Chinese (:class:`InvalidWait`), contended or not.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

#: The advisory-lock key of the registry's writers ("doudi" in ASCII); a PostgreSQL
#: advisory lock belongs to one database, so registries on one server do not share it.
WRITER_KEY = 0x646F756469
#: How long a job waits for the writer lock unless DOUDI_WRITER_WAIT says otherwise.
DEFAULT_WAIT_SECONDS = 600.0
#: The longest wait that can be asked for: PostgreSQL's lock_timeout and SQLite's busy
#: timeout are 32-bit milliseconds (about 24 days).
MAX_WAIT_SECONDS = 2_147_483
#: The busy timeout kept once the lock is held (a reader finishing in rollback-journal mode).
BUSY_MS = 30_000


class WriterBusy(Exception):
    """Another writing job held the registry for longer than this one may wait;
    this one wrote nothing (str() is Chinese first)."""

    def __init__(self, waited: float) -> None:
        self.waited = waited
        super().__init__(
            f"另一项写入任务仍在进行（已等待 {waited:g} 秒），未写入任何数据，请稍后再试 / "
            f"another writing job is running (waited {waited:g} s); nothing written, "
            "try again later"
        )


class InvalidWait(ValueError):
    """``DOUDI_WRITER_WAIT`` is not a number of seconds from 0 to
    :data:`MAX_WAIT_SECONDS` (str() is Chinese first, naming the variable and its value)."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(
            f"环境变量 DOUDI_WRITER_WAIT 的值 {text!r} 无效：应为 0 至 {MAX_WAIT_SECONDS} "
            f"之间的秒数（不设则为 {DEFAULT_WAIT_SECONDS:g}），未写入任何数据 / "
            f"DOUDI_WRITER_WAIT must be seconds from 0 to {MAX_WAIT_SECONDS}, not {text!r}"
        )


def _quiet() -> None:
    """No notice (jobs nobody watches)."""


def _raise(error: WriterBusy) -> NoReturn:
    raise error


@dataclass(frozen=True)
class Waiting:
    """What a job does when another job holds the writer lock: ``notice()`` is called
    once, as it starts to wait (a line on the CLI, the job's stage on the web); past
    the limit ``refuse(error)`` gets the :class:`WriterBusy` and must raise (by default
    it raises it; the CLI turns it into its Chinese message and exit status 2)."""

    notice: Callable[[], None] = _quiet
    refuse: Callable[[WriterBusy], NoReturn] = _raise


def wait_seconds() -> float:
    """The limit of a wait for the writer lock: ``DOUDI_WRITER_WAIT`` seconds (600 when
    unset or empty). Anything but a number from 0 to :data:`MAX_WAIT_SECONDS` raises
    :class:`InvalidWait`: ``float()``'s English ValueError ended a job in a traceback,
    a negative or NaN limit means no wait, and a longer one than the databases take
    failed in the lock statement."""
    text = os.environ.get("DOUDI_WRITER_WAIT", "")
    if not text.strip():
        return DEFAULT_WAIT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        raise InvalidWait(text) from None
    if not 0 <= seconds <= MAX_WAIT_SECONDS:  # NaN too
        raise InvalidWait(text)
    return seconds


def take(con: Any, dialect: str, waiting: Waiting) -> None:
    """Take the writer lock on ``con``, whose transaction has read nothing yet (on
    SQLite: whose driver transaction was ended, see ``db._connect``); held until the
    transaction ends. Tries first without waiting, then tells ``waiting`` and waits.
    The limit is read first, so that a bad ``DOUDI_WRITER_WAIT`` refuses every writing
    job, not only one that happens to wait."""
    limit = wait_seconds()
    attempt = _sqlite if dialect == "sqlite" else _postgresql
    if attempt(con, 0.0):
        return
    waiting.notice()
    if not attempt(con, limit):
        waiting.refuse(WriterBusy(limit))


def _sqlite(con: Any, seconds: float) -> bool:
    """``BEGIN IMMEDIATE`` with a busy timeout of ``seconds``: the write lock at the
    start of the transaction, so the timeout applies (SQLite calls the busy handler
    only for a connection that holds no read transaction yet)."""
    import adbc_driver_manager

    with con.cursor() as cur:
        cur.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
        try:
            cur.execute("BEGIN IMMEDIATE")
        except adbc_driver_manager.OperationalError as exc:
            if "database is locked" not in str(exc):
                raise
            return False
        finally:
            cur.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
    return True


def _postgresql(con: Any, seconds: float) -> bool:
    """The advisory lock of this transaction: tried, or waited for up to ``seconds``
    (``lock_timeout`` for this one statement; an expired wait aborts the transaction,
    which the caller then rolls back)."""
    import adbc_driver_manager

    with con.cursor() as cur:
        if not seconds:
            cur.execute(f"SELECT pg_try_advisory_xact_lock({WRITER_KEY})")
            return bool(cur.fetchone()[0])
        cur.execute("SELECT current_setting('lock_timeout')")
        before = cur.fetchone()[0]
        cur.execute(f"SELECT set_config('lock_timeout', '{int(seconds * 1000)}ms', true)")
        cur.fetchall()
        try:
            cur.execute(f"SELECT pg_advisory_xact_lock({WRITER_KEY})")
            cur.fetchall()
        except adbc_driver_manager.Error as exc:
            if getattr(exc, "sqlstate", None) != "55P03":  # lock_not_available
                raise
            return False
        cur.execute("SELECT set_config('lock_timeout', $1, true)", [before])
        cur.fetchall()
    return True
