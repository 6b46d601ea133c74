"""An export's manifest: what it holds, counted and checksummed (``manifest.json``).

Why a manifest rather than listing the folders: it is written last, whole, so it names
one consistent export even while the next one is being written beside it (readers
take their files from it, never from a listing); it carries what a reader must check
before using the files — the region, the jurisdiction whose rules the facts were read
for, the year, and how far the registry had got (``registry_batch``: the last import
batch the export saw) — and the SHA-256 of every file, so an incremental export can
tell an unchanged county without reading it back, and anyone can check the files.

The checksums: a partition's is the SHA-256 of its tables' file checksums; the
export's of its region, jurisdiction, year and partitions' checksums. The time of the
export and the registry position are not part of it: an export of an unchanged
registry has the same checksum.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from doudi.lakehouse.location import LakeError, Location

#: The file at the lake's root naming the current export.
MANIFEST = "manifest.json"
#: The manifest's format; another is refused rather than misread.
FORMAT = "doudi-lake/1"


@dataclass(frozen=True)
class Part:
    """One table's file of one partition."""

    file: str  # inside the lake (lakehouse.layout.file_name)
    rows: int
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """One export: its header and, per partition (``province=…/county=…``), per table,
    its file."""

    region: str
    jurisdiction: str
    year: int
    exported_at: str  # ISO 8601, UTC
    registry_batch: int
    parts: dict[str, dict[str, Part]]

    def partition_checksum(self, key: str) -> str:
        digest = hashlib.sha256()
        for table, part in sorted(self.parts[key].items()):
            digest.update(f"{table} {part.sha256}\n".encode())
        return digest.hexdigest()

    @property
    def checksum(self) -> str:
        """The export's content: the same registry gives the same checksum."""
        digest = hashlib.sha256(f"{self.region}\n{self.jurisdiction}\n{self.year}\n".encode())
        for key in sorted(self.parts):
            digest.update(f"{key} {self.partition_checksum(key)}\n".encode())
        return digest.hexdigest()

    def tables(self) -> list[str]:
        return sorted({table for parts in self.parts.values() for table in parts})

    def rows(self, table: str, keys: list[str] | None = None) -> int:
        """The rows of ``table`` in the partitions ``keys`` (all by default)."""
        return sum(self.parts[k][table].rows for k in (self.parts if keys is None else keys))

    def to_json(self) -> bytes:
        tables = {
            table: {
                "rows": self.rows(table),
                "partitions": {
                    key: vars(parts[table])
                    for key, parts in sorted(self.parts.items())
                    if table in parts
                },
            }
            for table in self.tables()
        }
        document = {
            "format": FORMAT,
            "region": self.region,
            "jurisdiction": self.jurisdiction,
            "year": self.year,
            "exported_at": self.exported_at,
            "registry_batch": self.registry_batch,
            "checksum": self.checksum,
            "partitions": {key: self.partition_checksum(key) for key in sorted(self.parts)},
            "tables": tables,
        }
        return json.dumps(document, ensure_ascii=False, indent=1).encode() + b"\n"


def from_json(data: bytes, where: str) -> Manifest:
    """The manifest in ``data``; a Chinese :class:`LakeError` if it is not one of this
    format, or its checksum is not that of what it lists (edited, or cut short)."""
    try:
        document: dict[str, Any] = json.loads(data)
        if document.get("format") != FORMAT:
            raise LakeError(
                f"{where} 不是兜底数据湖清单（格式 {document.get('format')!r}，应为 {FORMAT}）"
                " / not a Doudi lake manifest"
            )
        parts: dict[str, dict[str, Part]] = {}
        for table, entry in document["tables"].items():
            for key, part in entry["partitions"].items():
                parts.setdefault(key, {})[table] = Part(**part)
        found = Manifest(
            document["region"],
            document["jurisdiction"],
            int(document["year"]),
            document["exported_at"],
            int(document["registry_batch"]),
            parts,
        )
    except (ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, LakeError):
            raise
        raise LakeError(f"{where} 无法读取：{exc} / the manifest cannot be read") from None
    if found.checksum != document.get("checksum"):
        raise LakeError(
            f"{where} 的校验和与其所列文件不符，清单已被改动或损坏 / manifest checksum mismatch"
        )
    return found


def load(location: Location) -> Manifest | None:
    """The lake's current export, None if nothing was exported there yet."""
    data = location.read_bytes(MANIFEST)
    return None if data is None else from_json(data, location.path(MANIFEST))
