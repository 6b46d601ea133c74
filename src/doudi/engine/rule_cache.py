"""The compiled rules kept on disk, so that a process need not compile them again
(issue #25 §2, decision 0019).

Compiling the rules of one programme, jurisdiction, year and set of overrides to
one DuckDB statement (Ibis building and rewriting the expression tree, sqlglot
printing about 120 KB of SQL) took 1.5–1.8 s, the same in every process: most of a
cold ``doudi evaluate`` of one person (2.4 s), and the fixed cost of every plan
process. What it produces is deterministic: the statement, and which parameters
each section of the rules read (``Params.used``: what a result's local-config note
and a costing's override list are made of). Both are kept in one JSON file per
key, the key a digest of everything they depend on: the rule, parameter and clause
files (``doudi/policy``, ``doudi/core``), the backend and the programs that say
what each kind of plan reads and compiles, this module, the libraries that print
the SQL, the kind of plan, the jurisdiction, year, territory and overrides. Any
change to one of them is another key: an entry is never updated, only written whole
under a new name.

An entry is written to a temporary file in the cache folder and renamed over its
name, so two processes compiling the same rules at once each write a whole file
and a reader sees one or the other, never half of one. An entry that cannot be
read (truncated, corrupt, of another format, under the wrong name) is compiled
again and rewritten; a folder that cannot be written (read-only, full) only
means compiling every time. Neither is ever an error to the user.

Where: ``DOUDI_RULE_CACHE`` (``off`` for none), else ``$DOUDI_HOME/cache/rules``
where ``DOUDI_HOME`` is set (the web application's and the registry's folder),
else the user's cache folder (``$XDG_CACHE_HOME/doudi/rules``, by default
``~/.cache/doudi/rules``): not ``./var`` of whatever folder ``doudi evaluate`` is
run in.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

#: What an entry holds; bumped when its shape changes (old entries are then misses).
FORMAT = 1
#: Entries kept at most (about 120 KB each): a costing tries many sets of overrides,
#: and each is a key of its own. The oldest read are removed beyond it.
MAX_ENTRIES = 256
#: The package folders the compiled statement depends on: the rules, parameters and
#: clauses (``policy``), the region codes and money rules they read (``core``).
SOURCE_FOLDERS = ("policy", "core")
#: Single files it depends on: what each kind of plan reads and compiles, and what an
#: entry means.
#: The Spark statement's entries (``spark.SparkPlan``) depend on ``engine/spark.py`` too.
SOURCE_FILES = (
    "engine/backend.py",
    "engine/programs.py",
    "engine/rule_cache.py",
    "engine/spark.py",
)
#: The libraries that turn the expressions into SQL: another version may print other
#: SQL (or read the same differently).
LIBRARIES = ("ibis", "sqlglot", "duckdb", "pyarrow")
PACKAGE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Compiled:
    """What compiling the rules produces: the statement, and the parameter paths each
    section of the rules read, in the order read (``Params.used``)."""

    sql: str
    used: tuple[tuple[str, tuple[str, ...]], ...]


def directory() -> Path | None:
    """The cache folder (module docstring), or ``None`` when turned off."""
    given = os.environ.get("DOUDI_RULE_CACHE")
    if given is not None:
        return None if given.strip().lower() in ("", "off", "0") else Path(given)
    home = os.environ.get("DOUDI_HOME")
    if home:
        return Path(home).resolve() / "cache" / "rules"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "doudi" / "rules"


@cache
def sources_digest() -> str:
    """A digest of every file the compiled statement depends on (``SOURCE_FOLDERS``,
    ``SOURCE_FILES``) and of the installed libraries that print it; once per process
    (about 400 KB read)."""
    files = [PACKAGE / name for name in SOURCE_FILES]
    for folder in SOURCE_FOLDERS:
        for root, dirs, names in os.walk(PACKAGE / folder):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            files += [Path(root) / n for n in names if not n.endswith((".pyc", ".pyo"))]
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for library in LIBRARIES:
        digest.update(_installed(library).encode() + b"\0")
    return digest.hexdigest()


def _installed(library: str) -> str:
    """Which copy of ``library`` is installed, without importing it (ibis and sqlglot
    are not imported at all when the cache answers): where its ``__init__`` is, its
    size and the time it was written, which an install of another version changes."""
    spec = importlib.util.find_spec(library)
    if spec is None or spec.origin is None:
        return f"{library}:absent"
    stat = os.stat(spec.origin)
    return f"{library}:{spec.origin}:{stat.st_size}:{stat.st_mtime_ns}"


def key(kind: str, jurisdiction: str, year: int, overrides: str, territory: str | None) -> str:
    """The entry's name: a digest of the sources and of what was asked (``overrides``
    as JSON with sorted keys, as ``backend`` keys its own per-process cache)."""
    asked = json.dumps(
        [FORMAT, sources_digest(), kind, jurisdiction, year, overrides, territory],
        ensure_ascii=False,
    )
    return hashlib.sha256(asked.encode()).hexdigest()


def compiled(name: str, compile_rules: Callable[[], Compiled]) -> Compiled:
    """The entry ``name`` if one is stored and whole, else ``compile_rules()``, stored."""
    folder = directory()
    if folder is None:
        return compile_rules()
    found = _read(folder / f"{name}.json", name)
    if found is not None:
        return found
    made = compile_rules()
    _write(folder, name, made)
    return made


def _read(path: Path, name: str) -> Compiled | None:
    """The entry at ``path``, or ``None`` if there is none or it is not whole. One
    another user wrote, or others may write, is not read: its statement is run."""
    try:
        with open(path, "rb") as file:
            stat = os.fstat(file.fileno())
            if stat.st_uid != os.getuid() or stat.st_mode & 0o022:
                return None
            data = json.loads(file.read())
    except (OSError, ValueError):  # absent, unreadable, truncated, not JSON, not UTF-8
        return None
    if not isinstance(data, Mapping) or data.get("format") != FORMAT or data.get("key") != name:
        return None
    sql, used = data.get("sql"), data.get("used")
    if not isinstance(sql, str) or not sql or not isinstance(used, list):
        return None
    sections: list[tuple[str, tuple[str, ...]]] = []
    for item in used:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
            return None
        section, paths = item
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            return None
        sections.append((section, tuple(paths)))
    with contextlib.suppress(OSError):  # the oldest read are the first pruned
        os.utime(path)
    return Compiled(sql, tuple(sections))


def _write(folder: Path, name: str, made: Compiled) -> None:
    """Store ``made`` as ``name``: a temporary file renamed over the name (atomic on
    one file system), so that a reader never sees half an entry."""
    entry = {
        "format": FORMAT,
        "key": name,
        "sql": made.sql,
        "used": [[section, list(paths)] for section, paths in made.used],
    }
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "wb", dir=folder, prefix=f".{name}.", suffix=".tmp", delete=False
        ) as out:
            temporary = out.name
            out.write(json.dumps(entry, ensure_ascii=False).encode())
        os.replace(temporary, folder / f"{name}.json")
        temporary = None
        _prune(folder)
    except OSError:  # a folder that cannot be written: the rules are compiled each time
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _prune(folder: Path) -> None:
    """Remove the entries read longest ago beyond ``MAX_ENTRIES``, and temporary files
    an hour old (of a process killed while writing)."""
    stale = time.time() - 3600
    for path in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < stale:
                path.unlink()
    entries = []
    for path in folder.glob("*.json"):
        with contextlib.suppress(OSError):  # removed meanwhile by another process
            entries.append((path.stat().st_mtime_ns, path))
    entries.sort()
    for _, path in entries[: max(len(entries) - MAX_ENTRIES, 0)]:
        with contextlib.suppress(OSError):
            path.unlink()
