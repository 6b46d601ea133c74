"""Who each insurance line counts as poor, run over the staged tables (decision 0015).

The reading is the policy's (:mod:`doudi.policy.counted`: the rules' status windows
and categories of each jurisdiction); this module only feeds it the region's people
and periods as the plan feeds the rules (an exit mark without a date counts from the
period's start, as ``plan.inputs`` hands it over; in school or unable to work = on
that list on some day of the year up to the day), once per jurisdiction the region's
people belong to, and leaves ``counted`` (``person_id``, ``pension_group``,
``medical_group``) in the connection.

A person belongs to the jurisdiction of their hukou county; a county outside every
document's jurisdiction follows the national default (NAT-2017-59), as Sichuan does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache

import ibis

from doudi.policy import counted, jurisdictions, schema
from doudi.policy.params import MissingParameter, Params
from doudi.policy.rules.shared import STATUSES

#: What the policy reads of a person beside the statuses (the plan's ``STATUS_FACTS``).
FACTS = ("student", "unable_to_work")


class NoTargets(ValueError):
    """A jurisdiction's documents are not in force in the day's year: no government
    payment targets anyone, so no line can say who is poor; the message is Chinese."""


def jurisdiction_of(county: str) -> str:
    """The code of the jurisdiction whose documents a county's people follow."""
    try:
        return jurisdictions.resolve(county).code
    except jurisdictions.UnknownJurisdiction:
        return jurisdictions.NATIONAL


@lru_cache(maxsize=256)
def _groups_sql(jurisdiction: str, day: date) -> str:
    """The policy's reading for one jurisdiction as DuckDB SQL over ``rule_people``
    (with a ``jurisdiction`` column) and ``rule_statuses``; compiled once per
    jurisdiction and day. Only constants of the code (jurisdiction codes, the
    documents' dates, the day as a date literal) enter the text."""
    people = ibis.table({**counted.PEOPLE, "jurisdiction": "string"}, name="rule_people")
    statuses = ibis.table(schema.STATUSES, name="rule_statuses")
    mine = people.filter(people.jurisdiction == jurisdiction).drop("jurisdiction")
    p = Params(jurisdiction, day.year)
    try:
        expr = counted.groups(mine, statuses, p, day)
    except MissingParameter as exc:
        raise NoTargets(
            f"{p.jurisdiction.name}{day.year}年尚无社会保险扶贫的政府代缴或参保资助政策，"
            f"无法确定比对对象（决定0015）：{exc}"
        ) from None
    return str(ibis.to_sql(expr, dialect="duckdb"))


_STATUS_LIST = ", ".join(f"'{s}'" for s in STATUSES)
_FACT_FLAGS = ", ".join(
    f"bool_or(s.status = '{f}' AND s.valid_from <= $as_of::DATE"
    f" AND (s.valid_to IS NULL OR s.valid_to > make_date(year($as_of::DATE), 1, 1))) AS {f}"
    for f in FACTS
)

_RULE_TABLES = (
    f"""
    CREATE TEMP TABLE rule_people AS
    SELECT p.person_id AS row_no, p.birth_date,
           coalesce(f.student, false) AS student,
           coalesce(f.unable_to_work, false) AS unable_to_work,
           p.jurisdiction
    FROM person p
    LEFT JOIN (
        SELECT CAST(s.person_id AS BIGINT) AS person_id, {_FACT_FLAGS}
        FROM (SELECT person_id, CAST(status AS VARCHAR) AS status,
                     CAST(valid_from AS DATE) AS valid_from, CAST(valid_to AS DATE) AS valid_to
              FROM in_registry_status_period) s
        GROUP BY 1
    ) f ON f.person_id = p.person_id
    """,
    f"""
    CREATE TEMP TABLE rule_statuses AS
    SELECT CAST(person_id AS BIGINT) AS row_no, CAST(status AS VARCHAR) AS status,
           CAST(valid_from AS DATE) AS valid_from, CAST(valid_to AS DATE) AS valid_to,
           CASE WHEN coalesce(CAST(exit_marked AS BOOLEAN), false)
                THEN coalesce(CAST(exit_date AS DATE), CAST(valid_from AS DATE)) END
               AS exit_date
    FROM in_registry_status_period
    WHERE CAST(person_id AS BIGINT) IN (SELECT person_id FROM person)
      AND CAST(status AS VARCHAR) IN ({_STATUS_LIST})
    """,
)


def targets(codes: list[str], day: date) -> None:
    """Raise :class:`NoTargets` (Chinese) if a jurisdiction of ``codes`` has no
    targets on ``day``: the check :func:`count` makes, alone, for a caller that counts
    elsewhere (Spark's tasks, ``lakejobs.comparison``)."""
    for code in codes:
        _groups_sql(code, day)


def count(run: Callable[[str], None], day: date, codes: list[str]) -> None:
    """Create ``counted`` for the people of ``person`` (of the jurisdictions ``codes``),
    ``run`` running a statement with the day bound as ``$as_of``."""
    for statement in _RULE_TABLES:
        run(statement)
    parts = [
        f"SELECT row_no AS person_id, pension_group, medical_group FROM ({_groups_sql(c, day)})"
        for c in codes
    ]
    empty = (
        "SELECT NULL::BIGINT AS person_id, NULL::VARCHAR AS pension_group,"
        " NULL::VARCHAR AS medical_group WHERE false"
    )
    run(f"CREATE TEMP TABLE counted AS {' UNION ALL '.join(parts) or empty}")
