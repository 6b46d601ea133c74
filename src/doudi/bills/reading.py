"""A hospital settlement system's bills CSV as read, before any check of a bill.

The export comes in GBK or UTF-8 (core.textfile), under Chinese headers (Doudi's, or
the hospital system's own names of the same fields) or the national platform's field
names (engine.nhsa reads those). Each cell is kept under the engine's name of its
column, and the file's own header of each name is kept beside, so that a rejected row
names the column as the hospital wrote it (总费用, not total_cost: issue #19 §4).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from doudi.bills import cells
from doudi.core import textfile, vocab
from doudi.core.textfile import FileError
from doudi.engine import nhsa

#: Chinese headers of a settlement export, to the engine's field names (the platform's
#: names, setl_id, certno …, are read by engine.nhsa).
HEADERS_ZH = {
    "单据号": "bill_id",
    "结算单据号": "bill_id",
    "结算编号": "bill_id",
    "公民身份号码": "id_number",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "入院日期": "admission_date",
    "出院日期": "discharge_date",
    "医院等级": "hospital_level",
    "县域内": "in_county",
    "县域内就医": "in_county",
    "总费用": "total_cost",
    "医疗总费用": "total_cost",
    "政策范围内费用": "in_policy_cost",
    "不合规费用": "non_compliant_cost",
    "特殊药品费用": "special_drug_cost",
    "结算类别": "claim_type",
    "病种": "disease",
}
#: A hospital's file names levels and kinds in Chinese: read back to their codes.
LEVELS_ZH = {zh: code for code, zh in vocab.HOSPITAL_LEVEL.items() if code.isdigit()}
CLAIMS_ZH = {zh: code for code, zh in vocab.CLAIM_TYPE.items()}
#: Each field's Chinese name (its first header above), for a column the file lacks.
LABELS = {name: zh for zh, name in reversed(HEADERS_ZH.items())}
#: The "column" of a problem of the whole row.
ROW = "整行"


@dataclass(frozen=True)
class BillsFile:
    """A bills CSV as read: its rows by file row number, each cell under the engine's
    name for its column (unknown columns under their header), and the file's header of
    each name, which a rejected row names (总费用, not total_cost)."""

    encoding: str
    headers: dict[str, str]
    rows: list[tuple[int, dict[str, str | None]]]
    width: int  # the header's count of columns
    misshapen: dict[int, int]  # row number → its count of cells, where not ``width``

    def column(self, name: str) -> str:
        """The column a rejected row names for the field or cell ``name``: the file's
        header, else the field's Chinese name (a required column the file lacks)."""
        return self.headers.get(name) or LABELS.get(name) or name


def read_file(data: bytes) -> BillsFile:
    """The rows of a bills CSV (GBK and UTF-8 as the roster files). A header the report
    could not name a column by (a control character, longer than the registry keeps, two
    columns of one field) refuses the file."""
    encoding, text = textfile.decode(data)
    # newline=None: lines ending in a lone CR (old Mac and some hospital systems) are lines
    reader = csv.reader(io.StringIO(text, newline=None))
    try:
        return _read(reader, encoding)
    except csv.Error as exc:  # a quote left open that swallows more than a cell may hold
        raise FileError(
            f"第 {reader.line_num} 行起无法按 CSV 读取（可能有未配对的引号），未写入任何数据",
            f"line {reader.line_num} cannot be read as CSV ({exc}); nothing was written",
        ) from None


def _read(reader: Iterator[list[str]], encoding: str) -> BillsFile:
    """The header, then each row that is not blank (see :func:`read_file`)."""
    header = [h.strip() for h in next(reader, None) or []]
    if not any(header):
        raise FileError("文件为空，没有表头", "the file is empty")
    names = [HEADERS_ZH.get(h, h) for h in header]
    headers = _headers(header, names)
    if "bill_id" not in headers:
        # A bill is stored and settled once by its number: never make one up (issue #19).
        raise FileError(
            "缺少单据号列（单据号、结算单据号、结算编号、setl_id 或 mdtrt_id），未写入任何数据；"
            "请导出含单据号的结算单据",
            "the bill-number column is missing; nothing was written",
        )
    rows: list[tuple[int, dict[str, str | None]]] = []
    misshapen: dict[int, int] = {}
    for number, found in enumerate(reader, start=2):
        if not any(c.strip() for c in found):
            continue
        # a cell short, or one more that is not empty (a comma left unquoted): its cells
        # would be read under the wrong columns
        if len(found) < len(header) or any(c.strip() for c in found[len(header) :]):
            misshapen[number] = len(found)
        rows.append(
            (number, {n: (c.strip() or None) for n, c in zip(names, found, strict=False) if n})
        )
    return BillsFile(encoding, headers, rows, len(header), misshapen)


def _headers(header: list[str], names: list[str]) -> dict[str, str]:
    """Each column's names (Doudi's, the platform's field and the engine's it reads it
    as) → the file's header of it; raises FileError for a header no rejected row could
    name, or two columns read as one field (the second would silently win)."""
    limit = cells.text_limits("RejectedRow")["column"]
    seen: dict[str, str] = {}
    out: dict[str, str] = {}
    for position, (text, name) in enumerate(zip(header, names, strict=True), start=1):
        if not name:
            continue
        problem = cells.text_problem(text, limit)
        if problem is not None:
            raise FileError(
                f"表头第 {position} 列{problem[1]}，未写入任何数据",
                f"header column {position} cannot name a column; nothing was written",
            )
        if name in seen:
            raise FileError(
                f"表头第 {position} 列「{text}」与「{seen[name]}」是同一字段，"
                "请删去其中一列，未写入任何数据",
                f"two columns of the field {name}; nothing was written",
            )
        seen[name] = out[name] = text
        out.setdefault(nhsa.INPUT.get(name, name), text)
    return out


def normalized(raw: dict[str, str | None]) -> dict[str, Any]:
    """Chinese cell values as the engine's (二级 → 2, 住院 → inpatient; 县域内 是/否 the
    engine reads itself)."""
    out: dict[str, Any] = dict(raw)
    level = raw.get("hospital_level")
    if level in LEVELS_ZH:
        out["hospital_level"] = LEVELS_ZH[level]
    elif level in ("转外诊", "转外就医"):
        out["hospital_level"] = "referral_out"
    claim = raw.get("claim_type")
    if claim in CLAIMS_ZH:
        out["claim_type"] = CLAIMS_ZH[claim]
    return out
