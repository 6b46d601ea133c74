"""The compiled rules kept on disk (engine/rule_cache.py, decision 0019): an entry gives
what compiling gives, any change to what it depends on is another entry, and a broken
or half-written entry is never an error, nor read as a whole one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ibis
import pytest
import yaml
from tests.conftest import REPO

from doudi.engine import backend, rule_cache, scenario
from doudi.policy import jurisdictions

EXAMPLES = sorted((REPO / "examples").glob("*-2018.yaml"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of the test's own, and no compiled rules in the process."""
    folder = tmp_path / "rules"
    monkeypatch.setenv("DOUDI_RULE_CACHE", str(folder))
    backend._plan.cache_clear()
    yield folder
    backend._plan.cache_clear()


def _compile_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, compiling the rules fails: what follows must come from the disk."""

    def refuse(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("the rules were compiled again")

    monkeypatch.setattr(ibis, "to_sql", refuse)


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


def test_a_stored_statement_is_the_compiled_one_with_the_values_it_read(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = jurisdictions.get("500000")
    overrides = {"resident_pension.minimum_tier": 100}
    compiled = backend.Plan("people", place, 2018, overrides)
    (entry,) = _entries(cache)
    _compile_fails(monkeypatch)
    stored = backend.Plan("people", place, 2018, overrides)
    assert stored.sql == compiled.sql
    for section in ("resident_pension", "resident_medical", "unemployment", "income"):
        assert stored.params.used(section) == compiled.params.used(section)
    assert stored.params.local_config_used("resident_pension")  # the override, marked
    assert _entries(cache) == [entry]


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_jurisdictions_example_gives_the_same_amounts_from_the_disk(
    example: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The examples of the five jurisdictions (and Tangshan's city rules): every amount,
    payer, clause and local-config note the same whether the rules were compiled in the
    process or read from an entry."""
    given = yaml.safe_load(example.read_text("utf-8"))
    compiled = scenario.evaluate(given)
    assert _entries(cache)
    backend._plan.cache_clear()
    _compile_fails(monkeypatch)
    assert scenario.evaluate(given) == compiled


def test_another_year_kind_territory_or_override_is_another_entry(cache: Path) -> None:
    key = rule_cache.key
    base = key("people", "500000", 2018, "{}", None)
    assert base == key("people", "500000", 2018, "{}", None)
    others = {
        key("people", "500000", 2019, "{}", None),
        key("registry", "500000", 2018, "{}", None),
        key("bills", "500000", 2018, "{}", None),
        key("people", "360000", 2018, "{}", None),
        key("people", "500000", 2018, "{}", "360000"),
        key("people", "500000", 2018, '{"resident_pension.minimum_tier": 100}', None),
        key("people", "500000", 2018, '{"resident_pension.minimum_tier": 200}', None),
    }
    assert base not in others and len(others) == 7


def test_a_changed_parameter_file_or_rule_is_another_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key digests the files the statement is made of: a parameter value changed in
    its YAML file, or a rule's source, is a miss (the old entry is never read)."""
    copy = tmp_path / "doudi"
    for part in (*rule_cache.SOURCE_FOLDERS, "engine"):
        shutil.copytree(rule_cache.PACKAGE / part, copy / part)
    monkeypatch.setattr(rule_cache, "PACKAGE", copy)

    def digest() -> str:
        rule_cache.sources_digest.cache_clear()
        return rule_cache.key("people", "500000", 2018, "{}", None)

    try:
        before = digest()
        assert digest() == before
        parameter = copy / "policy/parameters/50-chongqing/resident_pension/gov_paid_share.yaml"
        parameter.write_text(parameter.read_text("utf-8") + "\n# changed\n", "utf-8")
        after_parameter = digest()
        rule = copy / "policy/rules/resident_pension.py"
        rule.write_text(rule.read_text("utf-8") + "\n", "utf-8")
        after_rule = digest()
        assert len({before, after_parameter, after_rule}) == 3
    finally:
        rule_cache.sources_digest.cache_clear()


@pytest.mark.parametrize(
    "damage",
    [
        "truncated",
        "empty",
        "not json",
        "not utf-8",
        "another key",
        "another format",
        "no sql",
        "writable by others",
    ],
)
def test_a_broken_entry_is_compiled_again_and_rewritten(cache: Path, damage: str) -> None:
    place = jurisdictions.get("500000")
    good = backend.Plan("people", place, 2018, {})
    (entry,) = _entries(cache)
    whole = entry.read_bytes()
    data = json.loads(whole)
    broken = {
        "truncated": whole[: len(whole) // 2],
        "empty": b"",
        "not json": b"\x00" * 64,
        "not utf-8": b'{"sql": "\xff\xfe"}',
        "another key": json.dumps({**data, "key": "0" * 64}).encode(),
        "another format": json.dumps({**data, "format": rule_cache.FORMAT + 1}).encode(),
        "no sql": json.dumps({**data, "sql": None}).encode(),
        "writable by others": whole,
    }[damage]
    entry.write_bytes(broken)
    if damage == "writable by others":  # anyone could have put another statement in it
        entry.chmod(0o666)
    again = backend.Plan("people", place, 2018, {})
    assert again.sql == good.sql
    assert entry.read_bytes() == whole  # rewritten whole
    assert entry.stat().st_mode & 0o077 == 0  # the user's own
    assert _entries(cache) == [entry]


def test_a_folder_that_cannot_be_written_only_means_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_the_way = tmp_path / "a file"
    in_the_way.write_text("not a folder", "utf-8")
    monkeypatch.setenv("DOUDI_RULE_CACHE", str(in_the_way / "rules"))
    plan = backend.Plan("bills", jurisdictions.get("500000"), 2018, {})
    assert plan.sql.startswith(("WITH", "SELECT"))
    assert in_the_way.read_text("utf-8") == "not a folder"


def test_off_compiles_and_stores_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOUDI_RULE_CACHE", "off")
    monkeypatch.setenv("DOUDI_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert rule_cache.directory() is None
    backend.Plan("bills", jurisdictions.get("500000"), 2018, {})
    assert not list(tmp_path.rglob("*.json"))


_WRITER = """
import sys
from pathlib import Path
from doudi.engine import rule_cache

folder, name, me = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
mine = rule_cache.Compiled("SELECT " + me * 200_000, (("resident_pension", (me,)),))
for _ in range(40):
    rule_cache._write(folder, name, mine)
    found = rule_cache._read(folder / f"{name}.json", name)
    if found is None or len(set(found.sql[7:])) != 1 or found.used[0][1] != (found.sql[7],):
        sys.exit("read half an entry, or a mixture of two")
"""


def test_processes_writing_one_entry_at_once_never_leave_half_of_it(tmp_path: Path) -> None:
    """Four processes write the same entry (each its own 200 KB) and read it back, 40
    times each, at once: every read is one whole entry, and so is the one left."""
    name = "f" * 64
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(tmp_path), name, letter],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        for letter in "abcd"
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    left = rule_cache._read(tmp_path / f"{name}.json", name)
    assert left is not None and left.sql[7] in "abcd" and len(set(left.sql[7:])) == 1
    assert [p.name for p in tmp_path.iterdir()] == [f"{name}.json"]  # no temporary left


@pytest.mark.slow
def test_two_evaluations_compiling_at_once_both_answer_and_store_one_entry(
    tmp_path: Path,
) -> None:
    """Two cold ``doudi evaluate`` of the same scenario at once, the cache empty: both
    compile, both write; both answer the same, and the entry left is whole."""
    folder = tmp_path / "rules"
    example = REPO / "examples/chongqing-2018.yaml"
    env = {**os.environ, "DOUDI_RULE_CACHE": str(folder)}
    doudi = [sys.executable, "-m", "doudi.cli", "evaluate", str(example)]
    runs = [
        subprocess.Popen(
            doudi,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    assert outputs[0][0] == outputs[1][0]
    (entry,) = folder.glob("*.json")
    assert rule_cache._read(entry, entry.stem) is not None
    stored = subprocess.run(doudi, env=env, capture_output=True, text=True, check=True)
    assert stored.stdout == outputs[0][0]
