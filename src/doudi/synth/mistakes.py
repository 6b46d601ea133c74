"""The deliberate mistakes a synthetic department file carries: their kinds (each
rejected by the importer or accepted after normalising) and how each is made.
The record lists (issue #20 §1) get kinds of their own cells too (:data:`RECORD_KINDS`):
a count in words, a count out of its range, a choice off the column's list, a required
cell left empty, two certificates of one number.

Why: real files contain these mistakes, and the manifest lists every one by kind and
row, so a test can check that the importer catches exactly these and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from doudi.core.idnumber import check_character
from doudi.rosters.sources import COMMON, Column, Source
from doudi.synth.randomness import Ints


@dataclass(frozen=True)
class ErrorKind:
    """A kind of deliberate mistake; ``rejected`` says whether the importer must refuse
    the row (True) or accept it after normalising (False)."""

    name: str
    label: str  # Chinese, for reports
    rejected: bool


ERROR_KINDS: dict[str, ErrorKind] = {
    k.name: k
    for k in (
        ErrorKind("check_digit", "身份证号校验码错误", True),
        ErrorKind("birth_date", "身份证号中的出生日期不存在", True),
        ErrorKind("old_15_digit", "15位旧身份证号（应升为18位）", False),
        ErrorKind("lowercase_x", "身份证号末位为小写x", False),
        ErrorKind("full_width", "身份证号为全角数字", False),
        ErrorKind("stray_space", "身份证号含多余空格", False),
        ErrorKind("empty_name", "姓名为空", True),
        ErrorKind("duplicate", "同一文件内身份证号重复", True),
        ErrorKind("name_variant", "姓名写法与其他部门不一致（异体字、空格）", False),
        ErrorKind("bad_date", "日期无法识别", True),
        ErrorKind("not_severe", "残疾等级为三级，不属于重度残疾", True),
        ErrorKind("not_qualifying", "退役士兵未失业或已参加职工医保，不属于名单对象", True),
        ErrorKind("bad_count", "月数或年度不是整数（如“十二”）", True),
        ErrorKind("out_of_range", "月数或年度超出合理范围（如资助年度2108）", True),
        ErrorKind("off_list", "选项不是该列的写法之一（如审核结果“再议”）", True),
        ErrorKind("missing_cell", "必填项为空（单位名称、证书编号、申请日期等）", True),
        ErrorKind("duplicate_number", "两张证书的证书编号相同（两行均不导入）", True),
    )
}
#: Kinds that only make sense on one list: the mistake is in a column of that list alone.
ONLY_ON = {"not_severe": "disability", "not_qualifying": "veterans"}
#: Kinds of a record list's own cells, each on the record lists that have a column it can
#: be in (:func:`cells_of`). Listed after the others: the other lists' files keep the
#: kinds, and so the random draws, they had.
RECORD_KINDS = ("bad_count", "out_of_range", "off_list", "missing_cell", "duplicate_number")
#: What each of those kinds writes into a cell, by the count's unit or the choice's column.
BAD_COUNTS = {"月": ("十二", "二十四个月", "一年半", "12.5"), "年": ("二〇一八", "今年", "2018.5")}
OUT_OF_RANGE = {"月": ("1320", "3600", "9999"), "年": ("2108", "208", "1018", "20180")}
OFF_LIST = {
    "contract_ending": ("协商解除", "再议", "待定"),
    "medical_scheme": ("新农合",),
    "certificate_level": ("六级", "特级"),
    "review_result": ("再议", "退回"),
}
#: Variant characters seen in real files (异体字/繁体), each encodable in GBK.
VARIANTS = dict(
    zip(
        "峰群杰强丽华伟军红兰凤云珍荣艳涛辉鹏飞刚静颖龙",
        "峯羣傑強麗華偉軍紅蘭鳳雲珎榮艷濤輝鵬飛剛靜穎龍",
        strict=True,
    )
)
#: Dates no importer can read.
BAD_DATES = ("2017-02-30", "2016-13-01", "0000-00-00", "待核实", "不详", "20171301")


def kinds_of(source: Source) -> list[str]:
    """The error kinds a source's file gets (三级 only makes sense on the disability list,
    a veteran with a job or employee medical insurance only on the veterans' list, an
    unreadable date only on a list with dates, a record kind only where its cells are)."""
    return [k for k in ERROR_KINDS if _made_on(k, source)]


def _made_on(kind: str, source: Source) -> bool:
    if kind in ONLY_ON:
        return ONLY_ON[kind] == source.name
    if kind in RECORD_KINDS:
        return bool(cells_of(kind, source))
    if kind == "bad_date":
        return date_column(source) is not None
    return True


def date_column(source: Source) -> str | None:
    """The column an unreadable date is written into: the list's first date."""
    return next((c.name for c in source.columns if c.kind == "date"), None)


def cells_of(kind: str, source: Source) -> list[Column]:
    """The columns of a record list a kind of :data:`RECORD_KINDS` can be in (none: the
    kind is not made on that list)."""
    if source.kind != "record":
        return []
    own = [c for c in source.columns if c not in COMMON]
    if kind == "bad_count":
        return [c for c in own if c.kind == "count"]
    if kind == "out_of_range":
        return [c for c in own if c.kind == "count" and c.between is not None]
    if kind == "off_list":
        return [c for c in own if c.kind == "choice"]
    if kind == "missing_cell":
        return [c for c in own if c.required]
    if kind == "duplicate_number":
        return [c for c in own if c.name == source.unique]
    return []


def edit_record_cells(
    chosen: dict[str, Ints],
    source: Source,
    columns: dict[str, pa.Array],
    out: dict[str, dict[int, str]],
) -> None:
    """The mistakes of a record list's own cells, each row's in the next of its kind's
    columns that is filled in that row (a running contract has no end date to misspell).
    Two certificates of one number are made with the rows (record_lists)."""
    for kind in RECORD_KINDS:
        if kind == "duplicate_number":
            continue
        cells = cells_of(kind, source)
        for i, pos in enumerate(chosen.get(kind, np.empty(0, np.int64)).tolist()):
            filled = [c for c in cells if columns[c.name][pos].is_valid]
            column = filled[i % len(filled)]
            out.setdefault(column.name, {})[pos] = _wrong(kind, column, i)


def _wrong(kind: str, column: Column, i: int) -> str:
    if kind == "missing_cell":
        return ""
    words = {
        "bad_count": BAD_COUNTS.get(column.unit, ()),
        "out_of_range": OUT_OF_RANGE.get(column.unit, ()),
        "off_list": OFF_LIST.get(column.name, ("再议",)),
    }[kind]
    return words[i % len(words)]


_FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def edit_ids(
    rng: np.random.Generator, chosen: dict[str, Ints], ids: pa.Array, out: dict[int, str]
) -> None:
    """The ID-number mistakes a caseworker or an old system makes."""

    def each(kind: str) -> list[tuple[int, str]]:
        positions = chosen.get(kind, np.empty(0, np.int64))
        return list(zip(positions.tolist(), ids.take(positions).to_pylist(), strict=True))

    for i, (pos, value) in enumerate(each("check_digit")):
        wrong = [c for c in "0123456789X" if c != value[17]]
        out[pos] = value[:17] + wrong[(i * 7 + int(rng.integers(0, 10))) % 10]
    impossible = ("13", "00", "32", "30")  # month 13 or 00, day 32, 30 February
    for i, (pos, value) in enumerate(each("birth_date")):
        kind = impossible[i % len(impossible)]
        body = (
            value[:10] + kind + value[12:17]
            if kind in ("13", "00")
            else value[:10] + ("02" if kind == "30" else value[10:12]) + kind + value[14:17]
        )
        out[pos] = body + check_character(body)  # only the date is wrong
    for pos, value in each("old_15_digit"):
        out[pos] = value[:6] + value[8:17]
    for pos, value in each("lowercase_x"):
        out[pos] = value[:17] + "x"
    for pos, value in each("full_width"):
        out[pos] = value.translate(_FULL_WIDTH)
    spaced = (
        lambda v: " " + v,
        lambda v: v + " ",
        lambda v: f"{v[:6]} {v[6:14]} {v[14:]}",
        lambda v: v + "\u3000",
    )
    for i, (pos, value) in enumerate(each("stray_space")):
        out[pos] = spaced[i % len(spaced)](value)


def edit_names(
    rng: np.random.Generator, chosen: dict[str, Ints], names: pa.Array, out: dict[int, str]
) -> None:
    for pos in chosen.get("empty_name", np.empty(0, np.int64)).tolist():
        out[pos] = ""
    positions = chosen.get("name_variant", np.empty(0, np.int64))
    for pos, name in zip(positions.tolist(), names.take(positions).to_pylist(), strict=True):
        variant = next((i for i, c in enumerate(name) if c in VARIANTS), None)
        if variant is not None and rng.random() < 0.7:
            out[pos] = name[:variant] + VARIANTS[name[variant]] + name[variant + 1 :]
        else:  # a half-width or full-width space after the surname
            out[pos] = name[:1] + (" " if rng.random() < 0.5 else "\u3000") + name[1:]
