"""How the plan's batch asks for memory: in ordinary pages, from jemalloc.

A province's plan writes gigabytes of fresh memory once and reads it once or twice,
and on the machines this project runs on fresh memory is the larger part of its
time. Both NumPy and Arrow's default allocator (mimalloc) ask the kernel for
transparent huge pages; where the kernel then compacts memory to find them
(``defrag`` ``madvise``, the kernel's default) a GiB of fresh memory costs 0.8–2.8 s,
against 0.55–0.7 s in 4 KiB pages (measured on this project's 2-core machines,
docs/scale.md). Huge pages buy the plan nothing back: it reads its arrays in order.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa
from numpy._core import multiarray


@contextmanager
def plan_memory() -> Iterator[None]:
    """NumPy's new arrays in ordinary pages and Arrow's from jemalloc (where pyarrow
    has it) inside the block; both settings are the process's and are put back."""
    huge_before = multiarray._set_madvise_hugepage(False)  # type: ignore[attr-defined]
    pool_before = pa.default_memory_pool()
    try:
        pa.set_memory_pool(_pool())
        yield
    finally:
        pa.set_memory_pool(pool_before)
        multiarray._set_madvise_hugepage(huge_before)  # type: ignore[attr-defined]


def _pool() -> pa.MemoryPool:
    """jemalloc, which asks for no huge pages; the default pool where pyarrow was
    built without it (its wheels for Linux and macOS have it)."""
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()
