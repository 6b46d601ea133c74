"""What kind of workbook a caseworker sent, said in Chinese (issue #19 §4): a
password-protected .xlsx was called a legacy .xls, whose fix (save as .xlsx) does not
help; it is named as encrypted now. Both are OLE compound files: an encrypted workbook
is told apart by its EncryptedPackage stream, named in the OLE directory in UTF-16LE."""

from __future__ import annotations

from pathlib import Path

import pytest

from doudi.core.textfile import FileError
from doudi.rosters.reading import read_roster

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # the compound file's header block


def directory_entry(name: str) -> bytes:
    """A 128-byte OLE directory entry naming a stream (name, its length in bytes)."""
    raw = (name + "\0").encode("utf-16-le")
    return raw.ljust(64, b"\0") + len(raw).to_bytes(2, "little") + bytes(62)


def test_an_encrypted_xlsx_is_named_encrypted_not_legacy(tmp_path: Path) -> None:
    path = tmp_path / "低保名单.xlsx"
    path.write_bytes(OLE + directory_entry("EncryptionInfo") + directory_entry("EncryptedPackage"))
    with pytest.raises(FileError, match="设有打开密码") as refused:
        read_roster(path, "dibao")
    assert ".xls）" not in str(refused.value)


def test_a_legacy_xls_is_named_legacy(tmp_path: Path) -> None:
    path = tmp_path / "低保名单.xls"
    path.write_bytes(OLE + directory_entry("Workbook"))
    with pytest.raises(FileError, match=r"旧版 Excel（\.xls）"):
        read_roster(path, "dibao")
