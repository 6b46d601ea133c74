"""Another process that holds a registry's writer lock (decision 0011), for the tests of
whoever must wait for it: the store's transactions, the command line, the web worker.

A process of its own, not a thread: on SQLite, ADBC and Django in one process must not
hold the same file at once (decision 0007), and a real second process is what a
caseworker's second job is.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from doudi.store import db

_HOLDER = """
import sys
from doudi.store import db
db.setup()
with db.register("holder", sys.argv[1]).transaction():
    print("held", flush=True)
    sys.stdin.read()
"""


@contextmanager
def writer_lock_held(database: db.Database) -> Iterator[Callable[[], None]]:
    """A child process holds ``database``'s writer lock (inside a writing transaction
    that writes nothing) until the block ends, or until the function it yields is
    called (from a timer, to let a waiting job go on)."""
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, database.url()],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "held"
        yield child.stdin.close
    finally:
        child.stdin.close()
        child.wait(timeout=30)
