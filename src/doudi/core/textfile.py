"""One decoder for the text files Doudi is given, and one error for a file it cannot read.

Departments, hospitals and banks send CSV and text exports from Excel, WPS and their
own systems: UTF-8 (with or without a BOM) or GBK/GB18030, sometimes UTF-16 from
Excel's "Unicode text". Rosters, bills and ``doudi settle`` read them through
:func:`to_utf8` / :func:`decode` (the same answer for the same bytes); bank files,
which must be GBK, through :func:`decode_gbk`. A file that cannot be read raises
:class:`FileError`, Chinese first with the English beside it, and nothing is written;
so does a file that cannot even be opened (:func:`read_bytes`, :func:`unreadable`).
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path


class FileError(Exception):
    """The whole file cannot be read; ``str()`` is Chinese first, then English.

    Raised instead of rejecting rows when there is nothing row-by-row to say: the
    caseworker has to fix or re-export the file itself.
    """

    def __init__(self, chinese: str, english: str) -> None:
        super().__init__(f"{chinese}（{english}）")
        self.chinese = chinese
        self.english = english


def read_bytes(path: Path) -> bytes:
    """The bytes of a file a person named, or :class:`FileError` saying in Chinese why
    it cannot be opened (:func:`unreadable`)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from None


def unreadable(path: Path, error: OSError) -> FileError:
    """Why ``path`` cannot be opened, Chinese first: Python's own words ("[Errno 2] No
    such file or directory") are English and must not reach a caseworker."""
    if isinstance(error, FileNotFoundError):
        return FileError(f"找不到文件：{path}", f"file not found: {path}")
    if isinstance(error, IsADirectoryError):
        return FileError(f"{path} 是一个文件夹，不是文件", f"{path} is a folder, not a file")
    if isinstance(error, PermissionError):
        return FileError(
            f"无法读取文件：{path}（没有读取权限）", f"cannot read {path}: permission denied"
        )
    return FileError(f"无法读取文件：{path}", f"cannot read {path}")


def to_utf8(data: bytes) -> tuple[str, bytes]:
    """The file's encoding and its text as UTF-8 bytes (without a BOM).

    A BOM says UTF-8; otherwise bytes that are valid UTF-8 are UTF-8 (a pure-ASCII
    GBK file is the same bytes), and anything else must be GB18030, the superset of
    GBK that Chinese Windows and WPS write.
    """
    refuse_utf16(data)
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8) :]
        bad = _utf8_error_offset(body)
        if bad is not None:
            offset = bad + len(codecs.BOM_UTF8)
            raise FileError(
                f"文件以 UTF-8 标记开头，但第 {offset} 字节处不是有效的 UTF-8 编码",
                f"the file starts with a UTF-8 BOM but byte {offset} is not valid UTF-8",
            )
        return "utf-8-sig", body
    if _utf8_error_offset(data) is None:
        return "utf-8", data
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise FileError(
            f"无法识别文件编码：第 {exc.start} 字节（从 0 起算）处既不是 UTF-8 也不是 "
            "GB18030/GBK 编码，请另存为 UTF-8 或 GBK 编码的 CSV",
            f"unknown encoding: byte offset {exc.start} is neither UTF-8 nor GB18030/GBK",
        ) from exc
    return "gb18030", text.encode("utf-8")


def refuse_utf16(data: bytes) -> None:
    """Refuse Excel's "Unicode text" export by its UTF-16 byte-order mark: GB18030
    would decode it into nonsense, and a NUL-byte check would call it binary."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileError(
            "文件为 UTF-16 编码（Excel「Unicode 文本」），"
            "请另存为 CSV（UTF-8 或 GBK 编码）后再导入",
            "the file is UTF-16 (Excel 'Unicode text'); save it as CSV in UTF-8 or GBK",
        )


def decode(data: bytes) -> tuple[str, str]:
    """The file's encoding and its text (:func:`to_utf8`'s rules)."""
    encoding, body = to_utf8(data)
    return encoding, body.decode("utf-8")


def decode_gbk(data: bytes) -> str:
    """The text of a file that must be GBK (a bank's file). A UTF-8 file, or bytes that
    are not GBK, are refused: a file saved in the wrong encoding shows its names
    garbled and must not be booked."""
    if not data.isascii() and _utf8_error_offset(data) is None:
        raise FileError(
            "文件编码应为 GBK，实为 UTF-8（请用银行系统导出的原文件，不要另存为 UTF-8）",
            "the file must be GBK but is UTF-8",
        )
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise FileError(
            f"文件编码应为 GBK，第 {exc.start} 字节起无法按 GBK 解码",
            f"not GBK from byte {exc.start}",
        ) from None


def _utf8_error_offset(data: bytes) -> int | None:
    """The offset of the first byte that is not valid UTF-8, or None; decodes in
    chunks so that a large file is not held twice as a Python string."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    chunk = 1 << 22
    for start in range(0, len(data), chunk):
        try:
            decoder.decode(data[start : start + chunk], final=start + chunk >= len(data))
        except UnicodeDecodeError as exc:
            return start + exc.start
    return None


#: Line and paragraph separators: invisible, and not in the categories below.
_SEPARATORS = "\u2028\u2029"


def control_character(text: str) -> str | None:
    """The first invisible control character of ``text``, named by its code point
    (e.g. U+0000; never quoted: a NUL can be stored nowhere), or None.
    ``isprintable`` decides most texts at C speed; the characters it doubts are
    looked up one by one."""
    if text.isprintable():
        return None
    for char in text:
        if char in _SEPARATORS or unicodedata.category(char) in ("Cc", "Cf"):
            return f"U+{ord(char):04X}"
    return None


def storable(text: str) -> str:
    """``text`` with each control character written as its code point (e.g. [U+0000]):
    a refused cell is kept for the department or hospital to find, in a form every
    database stores (PostgreSQL refuses a NUL in text) and a person can read. Rosters
    and bills store their rejected cells through this one function."""
    if control_character(text) is None:
        return text
    return "".join(f"[U+{ord(c):04X}]" if control_character(c) else c for c in text)
