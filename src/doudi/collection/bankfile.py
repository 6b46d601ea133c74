"""The bank files of the withholding cycle: what the bureau sends, what the bank returns.

Both are GBK text, one record a line (CRLF), fields separated by ``|`` (a character
that occurs in no name, ID number or amount); amounts are yuan with two decimals,
dates ``YYYYMMDD``. A header record ``H`` opens the file and a trailer ``T`` closes
it, each with the line count and total, so a truncated or edited file is caught.
docs/bank.md describes the layout field by field.

Withholding request (代扣请求文件)::

    H|DOUDI-DK|1|<batch no>|<region>|<year>|<created>|<deposit deadline>|<lines>|<total>
    D|<seq>|<account>|<name>|<ID number>|<amount>|<memo>
    T|<lines>|<total>

Return (回盘文件), one ``D`` per line the bank processed::

    H|DOUDI-HP|1|<batch no>|<processed>|<lines>|<total requested>|<total deducted>
    D|<seq>|<account>|<name>|<ID number>|<requested>|<deducted>|<deducted on>|<code>|<message>
    T|<lines>|<total deducted>

This module only writes and parses; whether a return matches its request is
the cycle's business (collection/). Every problem is reported with its line number, in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from doudi.core import textfile

ENCODING = "gbk"
EOL = "\r\n"
REQUEST_KIND, RETURN_KIND, VERSION = "DOUDI-DK", "DOUDI-HP", "1"

#: The bank's result codes and what each allows for the amount deducted.
RESULTS = {
    "0000": "扣款成功",
    "0001": "部分扣款（余额不足，已扣可用余额）",
    "1001": "余额不足",
    "1002": "账户已销户",
    "1003": "账户冻结",
    "1004": "户名不符",
    "1005": "账号不存在",
}
PAID, PARTLY_PAID = "0000", "0001"

_BATCH_NO = re.compile(r"^[0-9A-Za-z]{1,32}$")
_AMOUNT = re.compile(r"^[0-9]{1,16}\.[0-9]{2}$")
_FORBIDDEN = re.compile(r"[|\r\n]")


class BankFileError(ValueError):
    """The file is not a valid bank file; ``problems`` lists each, Chinese first."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "；".join(problems[:10])
        more = f"；另有 {len(problems) - 10} 处" if len(problems) > 10 else ""
        super().__init__(f"{shown}{more}")


@dataclass(frozen=True)
class RequestLine:
    seq: int
    account: str
    name: str
    id_number: str
    amount: Decimal


@dataclass(frozen=True)
class ReturnLine:
    line_no: int  # the line of the file (the header is line 1)
    seq: int
    account: str
    name: str
    id_number: str
    requested: Decimal
    deducted: Decimal
    deducted_on: date | None
    code: str
    message: str


@dataclass(frozen=True)
class BankReturnFile:
    batch_no: str
    processed_on: date
    total_requested: Decimal
    total_deducted: Decimal
    lines: list[ReturnLine]


def _yuan(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01'))}"


def _day(d: date) -> str:
    return d.strftime("%Y%m%d")


def _field(text: str) -> str:
    """A field as written: a name with ``|`` or a line break would break the record."""
    return _FORBIDDEN.sub(" ", text)


def write_request(
    batch_no: str,
    region: str,
    year: int,
    created: date,
    deadline: date,
    lines: list[RequestLine],
) -> bytes:
    """The withholding request file's bytes (GBK)."""
    total = sum((line.amount for line in lines), Decimal("0.00"))
    memo = f"城乡居民养老保险{year}年个人缴费"
    records = [
        "|".join(
            (
                "H",
                REQUEST_KIND,
                VERSION,
                batch_no,
                region,
                str(year),
                _day(created),
                _day(deadline),
                str(len(lines)),
                _yuan(total),
            )
        )
    ]
    records += [
        "|".join(("D", str(x.seq), x.account, _field(x.name), x.id_number, _yuan(x.amount), memo))
        for x in lines
    ]
    records.append(f"T|{len(lines)}|{_yuan(total)}")
    return (EOL.join(records) + EOL).encode(ENCODING)


def write_return(
    batch_no: str,
    processed_on: date,
    lines: list[RequestLine],
    results: list[tuple[Decimal, date | None, str]],
) -> bytes:
    """A return file's bytes; ``results`` gives (deducted, deducted on, code) per line.
    Used by the bank simulator (synth.bank.simulate_return) and the tests."""
    requested = sum((x.amount for x in lines), Decimal("0.00"))
    deducted_total = sum((r[0] for r in results), Decimal("0.00"))
    records = [
        "|".join(
            (
                "H",
                RETURN_KIND,
                VERSION,
                batch_no,
                _day(processed_on),
                str(len(lines)),
                _yuan(requested),
                _yuan(deducted_total),
            )
        )
    ]
    for x, (deducted, on, code) in zip(lines, results, strict=True):
        records.append(
            "|".join(
                (
                    "D",
                    str(x.seq),
                    x.account,
                    _field(x.name),
                    x.id_number,
                    _yuan(x.amount),
                    _yuan(deducted),
                    _day(on) if on else "",
                    code,
                    RESULTS.get(code, ""),
                )
            )
        )
    records.append(f"T|{len(lines)}|{_yuan(deducted_total)}")
    return (EOL.join(records) + EOL).encode(ENCODING)


def decode(data: bytes) -> str:
    """The text of a GBK bank file (core.textfile.decode_gbk), its refusal as a problem."""
    try:
        return textfile.decode_gbk(data)
    except textfile.FileError as exc:
        raise BankFileError([exc.chinese]) from None


def parse_return(data: bytes) -> BankReturnFile:
    """Parse and check a return file on its own: layout, amounts, codes, totals."""
    text = decode(data)
    records = text.replace("\r\n", "\n").split("\n")
    while records and not records[-1].strip():
        records.pop()
    problems: list[str] = []
    if not records:
        raise BankFileError(["文件为空"])
    head = records[0].split("|")
    if len(head) != 8 or head[0] != "H" or head[1] != RETURN_KIND:
        raise BankFileError(
            [f"第 1 行应为回盘文件头（H|{RETURN_KIND}|…，8 个字段），实为「{records[0][:60]}」"]
        )
    if not _BATCH_NO.match(head[3]):
        raise BankFileError([f"第 1 行：批次号应为 1 至 32 位字母或数字，实为「{head[3][:40]}」"])
    if head[2] != VERSION:
        problems.append(f"第 1 行：不支持的文件版本「{head[2]}」（应为 {VERSION}）")
    processed = _parse_day(head[4], 1, "银行处理日期", problems)
    head_count = _parse_int(head[5], 1, "笔数", problems)
    head_requested = _parse_amount(head[6], 1, "应扣总额", problems)
    head_deducted = _parse_amount(head[7], 1, "实扣总额", problems)
    if len(records) < 2 or not records[-1].startswith("T|"):
        raise BankFileError([*problems, "文件缺少尾记录（T|笔数|实扣总额），可能不完整"])
    lines: list[ReturnLine] = []
    seen: dict[int, int] = {}
    for i, record in enumerate(records[1:-1], start=2):
        line = _return_line(record, i, problems)
        if line is None:
            continue
        if processed and line.deducted_on and line.deducted_on > processed:
            problems.append(
                f"第 {i} 行：扣款日期 {line.deducted_on} 晚于回盘文件的银行处理日期 {processed}"
            )
        if line.seq in seen:
            problems.append(f"第 {i} 行：序号 {line.seq} 与第 {seen[line.seq]} 行重复")
            continue
        seen[line.seq] = i
        lines.append(line)
    tail = records[-1].split("|")
    n = len(records)
    if len(tail) != 3:
        problems.append(f"第 {n} 行：尾记录应为 T|笔数|实扣总额")
    else:
        tail_count = _parse_int(tail[1], n, "笔数", problems)
        tail_total = _parse_amount(tail[2], n, "实扣总额", problems)
        data_lines = len(records) - 2
        if tail_count is not None and tail_count != data_lines:
            problems.append(f"第 {n} 行：尾记录笔数 {tail_count} 与明细行数 {data_lines} 不符")
        if head_count is not None and head_count != data_lines:
            problems.append(f"第 1 行：文件头笔数 {head_count} 与明细行数 {data_lines} 不符")
        deducted = sum((x.deducted for x in lines), Decimal("0.00"))
        requested = sum((x.requested for x in lines), Decimal("0.00"))
        if tail_total is not None and tail_total != deducted:
            problems.append(f"第 {n} 行：尾记录实扣总额 {tail_total} 与明细合计 {deducted} 不符")
        if head_deducted is not None and head_deducted != deducted:
            problems.append(f"第 1 行：文件头实扣总额 {head_deducted} 与明细合计 {deducted} 不符")
        if head_requested is not None and head_requested != requested:
            problems.append(f"第 1 行：文件头应扣总额 {head_requested} 与明细合计 {requested} 不符")
    if problems:
        raise BankFileError(problems)
    assert processed is not None and head_requested is not None and head_deducted is not None
    return BankReturnFile(head[3], processed, head_requested, head_deducted, lines)


def _return_line(record: str, i: int, problems: list[str]) -> ReturnLine | None:
    f = record.split("|")
    if len(f) != 10:
        problems.append(f"第 {i} 行：明细记录应为 10 个字段（D|…），实为 {len(f)} 个")
        return None
    if f[0] != "D":
        problems.append(f"第 {i} 行：明细记录应以 D 开头，实为「{f[0][:10]}」")
        return None
    before = len(problems)
    seq = _parse_int(f[1], i, "序号", problems)
    requested = _parse_amount(f[5], i, "应扣金额", problems)
    deducted = _parse_amount(f[6], i, "实扣金额", problems)
    on = _parse_day(f[7], i, "扣款日期", problems) if f[7] else None
    code = f[8]
    if code not in RESULTS:
        known = "、".join(f"{k}（{v}）" for k, v in RESULTS.items())
        problems.append(f"第 {i} 行：未知的银行结果代码「{code}」（可用：{known}）")
    elif requested is not None and deducted is not None:
        if deducted > requested:
            problems.append(f"第 {i} 行：实扣金额 {deducted} 大于应扣金额 {requested}")
        elif code == PAID and deducted != requested:
            problems.append(f"第 {i} 行：结果为扣款成功，但实扣 {deducted} ≠ 应扣 {requested}")
        elif code == PARTLY_PAID and not Decimal(0) < deducted < requested:
            problems.append(f"第 {i} 行：结果为部分扣款，实扣金额应大于 0 且小于应扣金额")
        elif code not in (PAID, PARTLY_PAID) and deducted != 0:
            problems.append(f"第 {i} 行：结果为「{RESULTS[code]}」，实扣金额应为 0.00")
        if code in (PAID, PARTLY_PAID) and on is None and not f[7]:
            problems.append(f"第 {i} 行：已扣款的记录缺少扣款日期")
    if len(problems) > before:
        return None
    assert seq is not None and requested is not None and deducted is not None
    return ReturnLine(i, seq, f[2], f[3], f[4], requested, deducted, on, code, f[9])


def _parse_int(text: str, i: int, what: str, problems: list[str]) -> int | None:
    if not text.isascii() or not text.isdigit():
        problems.append(f"第 {i} 行：{what}应为整数，实为「{text}」")
        return None
    return int(text)


def _parse_amount(text: str, i: int, what: str, problems: list[str]) -> Decimal | None:
    if not _AMOUNT.match(text):
        problems.append(f"第 {i} 行：{what}应为两位小数的金额（元），实为「{text}」")
        return None
    return Decimal(text)


def _parse_day(text: str, i: int, what: str, problems: list[str]) -> date | None:
    try:
        if len(text) != 8 or not text.isascii() or not text.isdigit():
            raise ValueError(text)
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        problems.append(f"第 {i} 行：{what}应为 YYYYMMDD 格式的日期，实为「{text}」")
        return None
