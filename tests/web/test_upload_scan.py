"""The first look at an uploaded file (web/importing.scan), before it is queued: Excel's
"Unicode text" (UTF-16) is named as such, not called binary (issue #19 §4)."""

from __future__ import annotations

import codecs

import pytest

ROWS = "公民身份号码,姓名\r\n360102198005120021,李梅\r\n"


@pytest.fixture
def web(_django: None):
    """The upload checks (Django's settings must be loaded to import the web package)."""
    from doudi.web import importing

    return importing


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
def test_a_utf16_csv_is_named_utf16_not_binary(web, bom: bytes) -> None:
    encoding = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    with pytest.raises(web.UploadRejected, match="UTF-16") as refused:
        web.scan("名单.csv", bom + ROWS.encode(encoding))
    assert "二进制" not in str(refused.value)


def test_gbk_and_utf8_csv_pass_the_first_look(web) -> None:
    for data in (ROWS.encode("gb18030"), ROWS.encode("utf-8"), codecs.BOM_UTF8 + ROWS.encode()):
        web.scan("名单.csv", data)


def test_nul_bytes_without_a_utf16_mark_are_binary(web) -> None:
    with pytest.raises(web.UploadRejected, match="二进制"):
        web.scan("名单.csv", b"\x00\x01\x02" * 10)
