"""Names as the comparison compares them: one person's name as two departments wrote it.

Departments type names on different keyboards and code pages: full-width letters,
spaces inside the name, whichever middle dot (买买提·艾力) is at hand, the old form of
a character (张峯 for 张峰). A caseworker should chase a real disagreement (王小明 /
王晓明), not a writing variant, so names are normalized before they are compared
(:func:`normalize_name`), and a real disagreement gets a similarity by characters
(:func:`similarity`). Pure Python: NFKC and a character-level distance are not DuckDB
functions.
"""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal

#: Middle-dot variants written between the parts of a minority or foreign name
#: (买买提·艾力): departments type whichever their keyboard offers, or none. The
#: full stop is included because NFKC turns the full-width "．" some use into ".".
MIDDLE_DOTS = "\u00b7\u30fb\uff65\u2027\u2022\u2219\u22c5\u16eb\u0387."

#: Variant characters (异体字) seen in roster names, mapped to the form of the
#: 通用规范汉字表 (2013). Characters that table re-admitted for names (喆, 堃,
#: 昇, 甯 …) are deliberately absent: there they are distinct names.
VARIANTS = {
    "峯": "峰",
    "敎": "教",
    "衞": "卫",
    "衛": "卫",
    "羣": "群",
    "煕": "熙",
    "熈": "熙",
    "栢": "柏",
    "淸": "清",
    "眞": "真",
    "靑": "青",
    "徳": "德",
    "強": "强",
    "戶": "户",
    "冨": "富",
    "兇": "凶",
    "隣": "邻",
    "卽": "即",
    "敍": "叙",
    "敘": "叙",
    "綫": "线",
    "峩": "峨",
}
_VARIANT_TABLE = str.maketrans(VARIANTS)


def normalize_name(name: str) -> str:
    """A name as compared across departments.

    NFKC (full-width letters and digits become half-width, CJK compatibility
    ideographs become the unified ones), then whitespace and middle dots removed,
    then :data:`VARIANTS` applied. Two departments that write 张峯 and 张 峰 mean
    the same person's name; a caseworker should not chase that.
    """
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if not ch.isspace() and ch not in MIDDLE_DOTS)
    return text.translate(_VARIANT_TABLE)


def levenshtein(a: str, b: str) -> int:
    """Edit distance in characters, in Python: DuckDB's ``levenshtein`` has counted
    UTF-8 bytes (3 per Chinese character) in some versions."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def similarity(a: str, b: str) -> Decimal:
    """1 − distance / longer length, to 2 decimals (王小明 / 王晓明 → 0.67)."""
    longest = max(len(a), len(b))
    if longest == 0:
        return Decimal("1.00")
    value = Decimal(longest - levenshtein(a, b)) / Decimal(longest)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
