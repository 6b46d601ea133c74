"""The texts of a bills file that the registry could not hold as they are (issue #19 §4).

PostgreSQL ends the whole import on a NUL ("invalid byte sequence") or on a text longer
than its ``VARCHAR(n)`` ("value too long"), where SQLite cuts the text at the NUL or
stores it whole: both are checked on the cells, before anything is written, so that the
two databases behave the same and the row is rejected with its reason instead. The
lengths are the registry models' ``max_length``, the one place they are set. The
characters refused are those the rosters refuse (rosters.checks): the C0 and C1
controls and DEL, the invisible format characters (zero-width space, byte-order mark,
bidi overrides) and the line and paragraph separators.
"""

from __future__ import annotations

from functools import cache

from doudi.core.textfile import control_character
from doudi.store import db


@cache
def text_limits(model: str) -> dict[str, int]:
    """The bounded texts of the registry's ``model``: field → its ``max_length``."""
    db.setup()
    from django.apps import apps

    fields = apps.get_model("registry", model)._meta.concrete_fields
    return {f.name: int(f.max_length) for f in fields if f.max_length}


def text_problem(text: str, limit: int) -> tuple[str, str] | None:
    """(code, Chinese reason) when ``text`` holds a control character or is longer than
    ``limit`` characters (0: no limit); None when the registry can hold it."""
    char = control_character(text)
    if char in ("U+000A", "U+000D"):  # a quote left open swallows the rows after it
        return (
            "control",
            "单元格内有换行（可能有未配对的引号，其后的行被并入本行），请改正后重新导出",
        )
    if char is not None:
        return "control", f"含有不可见的控制字符（{char}），请删除后重新导出"
    if limit and len(text) > limit:
        return "too_long", f"长度为 {len(text)} 个字符，超过登记库允许的 {limit} 个"
    return None
