"""Shared helpers: evaluate one person or a list of people through the public API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import doudi

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


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
