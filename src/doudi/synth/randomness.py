"""Seeded random draws shared by every synth module, and the numpy array types they
pass around.

Why one place: each part of the generator (places, people, lists, mistakes, styles,
payments, bills) draws from its own :func:`stream`, keyed by purpose; that is what makes
the same seed give byte-identical files.
"""

from __future__ import annotations

import zlib
from datetime import date

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Days = npt.NDArray[np.datetime64]


def stream(seed: int, *keys: int | str) -> np.random.Generator:
    """An independent stream per purpose, so changing one part of the generator does
    not shift the random numbers (and thus the files) of every other part."""
    words = [seed] + [k if isinstance(k, int) else zlib.crc32(k.encode()) for k in keys]
    return np.random.default_rng(words)


def choose(rng: np.random.Generator, candidates: Ints, k: int) -> Ints:
    """Up to ``k`` distinct candidates, in ascending order."""
    k = min(k, len(candidates))
    if k == 0:
        return np.empty(0, np.int64)
    return np.sort(rng.choice(candidates, k, replace=False)).astype(np.int64)


def random_dates(rng: np.random.Generator, first: date, last: date, n: int) -> Days:
    """Uniform dates in [first, last]; ``first`` is moved back if after ``last``."""
    lo, hi = np.datetime64(min(first, last), "D"), np.datetime64(last, "D")
    span = int((hi - lo).astype(np.int64))
    return lo + rng.integers(0, span + 1, n)
