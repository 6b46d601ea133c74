"""The parameter set a rule sees: one jurisdiction, one year, with overrides.

Rules read values through :class:`Params` so that every value they used is
recorded; a result that depends on a ``local-config`` value says so (示例参数，
需按本地政策配置), and a what-if override from a scenario is marked as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

from doudi.policy import jurisdictions, parameters
from doudi.policy.jurisdictions import Jurisdiction
from doudi.policy.parameters import ParameterError, Value


class MissingParameter(ParameterError):
    """A rule needs a value that is not in force for this jurisdiction and year."""


class Params:
    """Parameters in force for ``jurisdiction`` in ``year``.

    Values are looked up as in force on 31 December of the year: a document
    issued during a year (Chongqing's on 2018-05-21) governs that whole
    contribution year when its values are keyed from 1 January. ``jurisdiction`` is
    a code or a :class:`~doudi.policy.jurisdictions.Jurisdiction` already resolved.

    ``territory``: the jurisdiction whose people the rules are applied to, where that
    is not the rules' own (a costing of another jurisdiction's rules on this one's
    registered population, decision 0017): where a rule asks whether a person's hukou
    or insured county is the jurisdiction's own, the territory stands in for it, as
    the population would be that jurisdiction's own had it adopted the rules.
    """

    def __init__(
        self,
        jurisdiction: str | Jurisdiction,
        year: int,
        overrides: Mapping[str, Any] | None = None,
        territory: str | Jurisdiction | None = None,
    ):
        self.jurisdiction = jurisdictions.get(jurisdiction)
        self.territory = self.jurisdiction if territory is None else jurisdictions.get(territory)
        self.year = year
        self.on = date(year, 12, 31)
        self._overrides: dict[str, Value] = {}
        for path, raw in (overrides or {}).items():
            self._overrides[path] = self._override(path, raw)
        self._used: dict[str, list[Value]] = {}
        self._section = "general"

    def _override(self, path: str, raw: Any) -> Value:
        definition = parameters.describe(path, self.jurisdiction)
        if definition is None:
            raise ParameterError(f"未知的参数路径：{path}（见 docs/parameters.md）")
        if raw is None:  # a rule would read None as the value, not as "not in force"
            raise ParameterError(f"参数覆盖 {path}：缺少取值（不覆盖请删去此项）")
        converted = parameters._convert(definition.unit, raw, f"参数覆盖 {path}")
        return Value(path, converted, self.on, self.jurisdiction.code, None, False, override=True)

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        """Record the values read inside this block under ``name``."""
        previous, self._section = self._section, name
        try:
            yield
        finally:
            self._section = previous

    def value(self, path: str) -> Value | None:
        """The value record of ``path`` (``None`` if not in force), recorded as used."""
        found = self._overrides.get(path) or parameters.lookup(path, self.jurisdiction, self.on)
        if found is not None:
            self._used.setdefault(self._section, [])
            if found not in self._used[self._section]:
                self._used[self._section].append(found)
        return found

    def get(self, path: str, default: Any = ...) -> Any:
        """The raw value of ``path``; raises :class:`MissingParameter` if absent."""
        found = self.value(path)
        if found is None:
            if default is not ...:
                return default
            raise MissingParameter(
                f"{self.jurisdiction.name}（{self.jurisdiction.code}）{self.year}年没有有效的参数 "
                f"{path}：文件未规定或已到期"
            )
        return found.value

    def used_paths(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The paths of the values read so far, by section, in the order read: what
        a compiled statement kept on disk remembers of them (``engine.rule_cache``)."""
        return tuple((s, tuple(v.path for v in values)) for s, values in self._used.items())

    def record(self, used: Iterable[tuple[str, Iterable[str]]]) -> None:
        """Read the values of ``used`` (``used_paths``) as the rules read them, each
        under its section: the rules' statement taken from the disk was compiled
        without this object, whose results must still say which values they used."""
        for section, paths in used:
            with self.section(section):
                for path in paths:
                    self.value(path)

    def used(self, section: str) -> list[Value]:
        return list(self._used.get(section, []))

    def local_config_used(self, section: str) -> list[Value]:
        """Values of ``section`` that are examples (local config) or overrides."""
        return [v for v in self.used(section) if v.local_config or v.override]
