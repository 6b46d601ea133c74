"""Every name the code writes down exists where it is defined: each clause id in
``src/`` is in the clause registry, each parameter path a rule reads is a parameter,
and each code has a Chinese (and English) label in ``core/vocab.py``.

A misspelt clause id would be quoted as nothing in an explanation; a misspelt path
would fail only when a rule first reads it, perhaps in one jurisdiction's year; a code
without a label would reach a caseworker as ``demobilized_14``.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from doudi.core import vocab
from doudi.policy import clauses, parameters

SRC = Path(__file__).resolve().parents[2] / "src" / "doudi"
CODE = [p for p in SRC.rglob("*.py") if "migrations" not in p.parts]
CLAUSE_ID = re.compile(r"\b(?:NAT|GF|JX|HE|SD|PZH|CQ)-\d{4}-\d+(?:/[0-9][0-9.]*[0-9]|/[0-9])?\b")
PROGRAMS = ("resident_pension", "resident_medical", "medical_settlement", "unemployment", "income")
PARAMETER_PATH = re.compile(r"""["'](?:{})\.[a-z_0-9]+["']""".format("|".join(PROGRAMS)))


def written(pattern: re.Pattern[str], paths: list[Path]) -> dict[str, str]:
    """Each match in the files, with the first file that writes it."""
    found: dict[str, str] = {}
    for path in paths:
        for match in pattern.findall(path.read_text(encoding="utf-8")):
            found.setdefault(match.strip("\"'"), str(path.relative_to(SRC)))
    return found


def test_every_clause_id_in_the_code_is_registered() -> None:
    ids = written(CLAUSE_ID, CODE + sorted((SRC / "policy" / "parameters").rglob("*.yaml")))
    assert len(ids) > 30  # the pattern finds the ids the rules cite
    documents = {c.split("/")[0] for c in set(clauses.registry())}
    unknown = {
        cid: where
        for cid, where in ids.items()
        if not (cid in set(clauses.registry()) if "/" in cid else cid in documents)
    }
    assert not unknown, f"clause ids not in policy/clauses/: {unknown}"


def test_every_parameter_path_in_the_code_is_a_parameter() -> None:
    paths = written(PARAMETER_PATH, CODE)
    assert len(paths) > 30
    unknown = {p: where for p, where in paths.items() if p not in parameters.known_paths()}
    assert not unknown, f"parameter paths read but never defined: {unknown}"


def test_every_vocabulary_code_has_a_chinese_and_an_english_label() -> None:
    for vocabulary in (*vocab.ALL, vocab.FIELD):
        for code in vocabulary:
            zh, en = vocabulary[code], vocabulary.en(code)
            assert re.search(r"[\u4e00-\u9fff]", zh), f"{vocabulary.kind}.{code}: {zh!r}"
            assert en and en.isascii(), f"{vocabulary.kind}.{code}: {en!r}"


def test_every_code_the_system_stores_has_a_label() -> None:
    from doudi.policy.rules.shared import STATUSES
    from doudi.rosters.sources import SOURCES
    from doudi.store import db

    db.setup()
    from doudi.registry import models

    assert set(STATUSES) <= set(vocab.STATUS)
    assert set(models.STATUSES) <= set(vocab.STATUS)
    assert set(models.SCHEMES) <= set(vocab.SCHEME)
    assert {s.department for s in SOURCES.values() if s.department} <= set(vocab.DEPARTMENT)


def test_every_payer_a_parameter_names_has_a_label() -> None:
    payers: set[str] = set()
    for path in (SRC / "policy" / "parameters").rglob("*payer*.yaml"):
        for entry in (yaml.safe_load(path.read_text(encoding="utf-8"))["values"] or {}).values():
            value = entry.get("value") if isinstance(entry, dict) else None
            if isinstance(value, dict):
                payers |= set(value)
            elif isinstance(value, str):
                payers.add(value)
    assert payers and payers <= set(vocab.PAYER), payers - set(vocab.PAYER)


def test_a_label_of_an_unknown_code_is_the_code_itself() -> None:
    assert vocab.STATUS.label("no_such_status") == "no_such_status"
    assert vocab.STATUS.label("low_income_family") == "城镇低收入家庭成员"
    assert vocab.STATUS.label("low_income_family", "en") == "urban low-income household member"


#: How the code writes an audit row's action (and, where it names one, its table): the
#: web's ``audit.record``, the rosters' ``_audit``, the bank cycle's ``audit``, and the
#: jobs' Arrow columns and SQL.
AUDIT_WRITES = (
    re.compile(r'audit\.record\(\s*request,\s*"(\w+)",\s*"(\w+)"'),
    re.compile(r'self\._audit\(\s*"(\w+)",\s*"(\w+)"'),
    re.compile(r'\baudit\(\s*con,\s*database,\s*actor,\s*"(\w+)",\s*"(\w+)"'),
    re.compile(
        r'"action": pa\.array\(\[\s*"(\w+)"\][^\n]*\n\s*"table_name": pa\.array\(\[\s*"(\w+)"\]'
    ),
    re.compile(r"'(\w+)' AS action()"),
)


def test_every_audit_action_and_table_the_code_writes_has_a_label() -> None:
    """The audit log shows each action and table in words (issue #23 §2): a code
    written without a label would reach an auditor as ``add_service_point``."""
    from doudi.work_injury.importing import ACTIONS
    from doudi.work_injury.sources import LISTS

    actions, tables = set(ACTIONS.values()) | set(vocab.PERIOD_CHANGE), set()
    tables |= {spec.table for spec in LISTS.values()}
    tables |= {"registry_status_period", "registry_enrollment"}
    for path in CODE:
        text = path.read_text(encoding="utf-8")
        for pattern in AUDIT_WRITES:
            for action, table in pattern.findall(text):
                actions.add(action)
                tables |= {table} - {""}
    assert {"unmask", "download", "insert", "add_record", "bank_return"} <= actions
    assert {"registry_bill", "registry_payment", "web_job"} <= tables  # the patterns read
    assert actions <= set(vocab.AUDIT_ACTION), actions - set(vocab.AUDIT_ACTION)
    assert tables <= set(vocab.AUDIT_TABLE), tables - set(vocab.AUDIT_TABLE)
