"""The checks of one cell, per column kind, as stages of the validation query.

Each column kind (:data:`doudi.rosters.sources.KINDS`) has its reading of a cell:
ID numbers (GB 11643: length, characters, province, birth date, check character; the
old 15 digits upgraded), dates as people write them, yes/no, disability grades,
amounts in yuan, bank account numbers, plain text, region codes, counts (months, a
year) and choices (one of a column's written forms). Each check adds
its expressions to the stages of :mod:`doudi.rosters.stages` and ends in a rejection
code (:data:`doudi.rosters.rejections.CODES`) and a specific Chinese reason, both null
for a valid cell. Every kind also refuses invisible control characters, text longer
than the registry holds (:mod:`doudi.rosters.limits`), and a date before the birth
the ID number states or before the entry it ends. Readings are stated where they are
implemented and collected in :func:`doudi.rosters.reading.read_roster`'s docstring.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import regions
from doudi.rosters.limits import text_limit
from doudi.rosters.sources import SOURCES, Column
from doudi.rosters.stages import Sql, in_list, literal

# Python's ``\s`` (what ``idnumber.normalize`` removes), spelled for RE2 (DuckDB, pyarrow).
_WS_RE2 = r"[\t-\r\x{1C}-\x{1F}\x{85}\p{Z}]"
# What no cell may hold: the C0 and C1 controls and DEL (a NUL ends a text in PostgreSQL
# and cut the name in SQLite), the invisible format characters (zero-width space,
# byte-order mark, bidi overrides) and the line and paragraph separators. Looked for in
# the text a cell is parsed from: whitespace that normalization removes (the tab some
# systems put before an ID number) never reaches the registry.
_CONTROL_RE2 = r"[\p{Cc}\p{Cf}\x{2028}\x{2029}]"
_FULLWIDTH_FROM = "０１２３４５６７８９Ｘｘ"
_FULLWIDTH_TO = "0123456789XX"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: A region code's lengths: the county's six digits, then three each for the township
#: and the village (统计用区划代码).
_REGION_LENGTHS = (6, 9, 12)

_DATE_RE = (
    r"^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?"
    r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]*)?)?)?$"
)
_YES = ("是", "Y", "YES", "1", "TRUE", "已脱贫", "已领取")
_NO = ("否", "N", "NO", "0", "FALSE", "未脱贫", "未领取")
_GRADES = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
_GRADE_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
#: The yes/no cells whose answer says the person does not belong on their list, with
#: that answer and the reason: only the unemployed veterans outside the employee medical
#: insurance are in the group (RULES.md §1: 已失业又未纳入职工医保的14类退役士兵).
_NOT_QUALIFYING = {
    ("veterans", "unemployed"): (
        False,
        "已就业，不属于已失业又未纳入职工医保的14类退役士兵",
    ),
    ("veterans", "in_employee_medical"): (
        True,
        "已参加职工医保，不属于已失业又未纳入职工医保的14类退役士兵",
    ),
}

#: The words a count may end with, per ``Column.unit`` (a regular expression).
_UNITS = {"月": "个月|月", "年": "年"}

_EXCEL_HINT = "；请把该列设为文本格式后重新录入"
_SCIENTIFIC_HINT = literal("；疑似被 Excel 存成了科学计数法，后几位已丢失" + _EXCEL_HINT)

#: One check of a cell: a condition over the columns of the earlier stages, the
#: rejection code it gives, and the SQL of its Chinese reason.
Check = tuple[str, str, str]


def calendar_date(year: str, month: str, day: str) -> str:
    """The SQL of the date ``year``-``month``-``day`` (integer expressions), null when
    the calendar has no such day (month 13, 30 February, 29 February 2019).

    Not ``try(make_date(…))``: a vector of rows in which one date does not exist makes
    DuckDB's ``try`` evaluate the vector again row by row, and a file's errors are
    spread over its vectors — at 10^6 rows the ID numbers' birth dates and one date
    column took 2 CPU s each (issue #25 §3), the month's days counted here a tenth of
    that. ``make_date`` is reached only for days that exist (a CASE branch runs on its
    rows alone); the Gregorian leap years, as ``make_date`` and ``datetime.date``
    count them."""
    leap = f"(({year}) % 4 = 0 AND ({year}) % 100 <> 0 OR ({year}) % 400 = 0)"
    days = (
        f"CASE WHEN ({month}) = 2 THEN CASE WHEN {leap} THEN 29 ELSE 28 END "
        f"WHEN ({month}) IN (4, 6, 9, 11) THEN 30 ELSE 31 END"
    )
    return (
        f"CASE WHEN ({month}) BETWEEN 1 AND 12 AND ({day}) BETWEEN 1 AND {days} "
        f"THEN make_date({year}, {month}, {day}) END"
    )


def _provinces() -> list[str]:
    """Two-digit province prefixes, exactly those ``regions.province_of`` accepts."""
    return [f"{p:02d}" for p in range(100) if regions.get(f"{p:02d}0000") is not None]


def normalized(column: Column, cells: pa.ChunkedArray) -> pa.ChunkedArray:
    """The text a cell is parsed from. NFKC turns full-width digits and punctuation
    (２０１８年３月, （必填）) into their ASCII forms; names, counts and choices lose
    every space ("张 三" is 张三, "12 个月" 12个月, "期满 终止" 期满终止); township and
    village names keep their characters as written, trimmed."""
    if column.kind == "text" and column.name != "name":
        return pc.utf8_trim_whitespace(cells)
    text = pc.utf8_normalize(cells, form="NFKC")
    if column.name == "name" or column.kind in ("count", "choice"):
        return pc.replace_substring_regex(text, _WS_RE2, "")
    return pc.utf8_trim_whitespace(text)


def column_sql(column: Column, c: str, source: str, excel: bool) -> Sql:
    """The validation of one present column: cells as written in ``c``, the text they
    are parsed from in ``{c}__n`` (see :func:`normalized`). Other columns are named by
    their canonical names (``id_number__birth``), as the validation query names them."""
    n = f"{c}__n"
    if column.kind == "id_number":
        return id_sql(column, c)
    if column.kind == "date":
        return _date_sql(column, c, source, excel)
    if column.kind == "text":
        checks = [_control(n, "true")]
        limit = text_limit(column)
        if limit is not None:
            checks.append(
                (
                    f"length({n}) > {limit}",
                    "too_long",
                    f"'最多 {limit} 个字符，实为 ' || length({n}) || ' 个'",
                )
            )
        return _decided(Sql(f"NULLIF({n}, '')"), column, c, checks)
    if column.kind == "region_code":
        return _region_sql(column, c)
    if column.kind == "yes_no":
        upper = f"upper({n})"
        sql = Sql(f"{c}__bool").at(
            2,
            f"CASE WHEN {upper} IN {in_list(_YES)} THEN true "
            f"WHEN {upper} IN {in_list(_NO)} THEN false END AS {c}__bool",
        )
        hint = "应填“是”或“否”（也可写 Y/N、1/0、已脱贫/未脱贫），实为「"
        checks = _parsed(n, f"{c}__bool", "yes_no", _quoting(hint, n))
        if (source, column.name) in _NOT_QUALIFYING:
            answer, why = _NOT_QUALIFYING[(source, column.name)]
            checks.append((f"{c}__bool = {str(answer).lower()}", "not_qualifying", literal(why)))
        return _decided(sql, column, c, checks)
    if column.kind == "grade":
        mapping = " ".join(f"WHEN {literal(k)} THEN {v}" for k, v in _GRADES.items())
        names = " ".join(f"WHEN {k} THEN {literal(v)}" for k, v in _GRADE_NAMES.items())
        # Only the severe-disability list limits the grade (重度 = 一级、二级).
        not_severe = f"{c}__grade > 2" if source == "disability" else "false"
        sql = (
            Sql(f"{c}__grade")
            .at(1, f"regexp_extract({n}, '^([1-4一二三四])(?:\\.0+)?级?$', 1) AS {c}__g")
            .at(2, f"CAST(CASE {c}__g {mapping} END AS TINYINT) AS {c}__grade")
        )
        hint = "残疾等级应为一级至四级（或 1–4），实为「"
        severe = (
            not_severe,
            "not_severe",
            f"'残疾等级' || (CASE {c}__grade {names} END) || '，不属于重度残疾（一、二级）'",
        )
        checks = [*_parsed(n, f"{c}__grade", "grade", _quoting(hint, n)), severe]
        return _decided(sql, column, c, checks)
    if column.kind == "decimal":
        sql = (
            Sql(f"{c}__dec")
            .at(1, f"regexp_replace(replace({n}, ',', ''), '元$', '') AS {c}__d")
            .at(
                2,
                f"CASE WHEN regexp_full_match({c}__d, '[0-9]{{1,16}}(\\.[0-9]{{1,2}}0*)?') "
                f"THEN TRY_CAST({c}__d AS DECIMAL(18,2)) END AS {c}__dec",
            )
        )
        hint = "应为金额（元，最多两位小数，如 100 或 100.00），实为「"
        return _decided(sql, column, c, _parsed(n, f"{c}__dec", "decimal", _quoting(hint, n)))
    if column.kind == "account":
        # Spaces and hyphens group the digits on cards and in hand-typed lists; a
        # number Excel stored as a float (6.22848E+18) has lost its last digits.
        longest = text_limit(column)
        digits = f"regexp_replace({n}, '[ -]', '', 'g')"
        sql = Sql(f"{c}__acct").at(
            1,
            f"CASE WHEN regexp_full_match({digits}, '[0-9]{{8,{longest}}}') "
            f"THEN {digits} END AS {c}__acct",
        )
        hint = f"银行账号应为 8 至 {longest} 位数字，实为「"
        reason = (
            f"{_quoting(hint, n)} || CASE WHEN regexp_matches({n}, '[eE]\\+') "
            f"THEN {_SCIENTIFIC_HINT} ELSE '' END"
        )
        return _decided(sql, column, c, _parsed(n, f"{c}__acct", "account", reason))
    if column.kind == "count":
        return _count_sql(column, c)
    if column.kind == "choice":
        return _choice_sql(column, c)
    raise ValueError(f"unknown column kind {column.kind!r}")  # pragma: no cover


def _decided(sql: Sql, column: Column, c: str, checks: list[Check]) -> Sql:
    """``{c}__code`` and ``{c}__reason`` of a cell: an empty one is missing (if the
    column is required) or valid; any other, the first of ``checks`` that holds."""
    empty_code = "'missing'" if column.required else "NULL"
    codes = " ".join(f"WHEN {when} THEN {literal(code)}" for when, code, _ in checks)
    reasons = " ".join(f"WHEN {literal(code)} THEN {reason}" for _, code, reason in checks)
    missing = literal(f"必填项「{column.label}」为空")
    return sql.at(4, f"CASE WHEN {c}__n = '' THEN {empty_code} {codes} END AS {c}__code").at(
        5, f"CASE {c}__code WHEN 'missing' THEN {missing} {reasons} END AS {c}__reason"
    )


def _control(text: str, suspect: str) -> Check:
    """An invisible control character in ``text`` (:data:`_CONTROL_RE2`), looked for
    where ``suspect`` holds: in free text always, in a parsed kind only when the cell
    did not parse (a parsed cell holds none; the search is the costly part). The
    reason names the character by its code point: it can neither be seen nor quoted."""
    first = f"regexp_extract({text}, {literal(_CONTROL_RE2)})"
    return (
        f"{suspect} AND regexp_matches({text}, {literal(_CONTROL_RE2)})",
        "control",
        f"'含有不可见的控制字符（' || printf('U+%04X', unicode({first})) || '），请删除后重新录入'",
    )


def _parsed(text: str, parsed: str, code: str, reason: str) -> list[Check]:
    """The checks of a cell parsed into ``parsed`` (null when it does not parse)."""
    return [_control(text, f"{parsed} IS NULL"), (f"{parsed} IS NULL", code, reason)]


def _quoting(hint: str, text: str) -> str:
    """The reason ``hint`` followed by the cell as written, in 「」."""
    return f"{literal(hint)} || {text} || '」'"


def _count_sql(column: Column, c: str) -> Sql:
    """A whole number, not negative: months (12, 12月, 12个月) or a year (2018, 2018年),
    as ``Column.unit`` says; a number Excel stored as 12.0 is 12. At most nine digits
    (an INTEGER holds it), and within ``Column.between`` when the column has bounds."""
    n = f"{c}__n"
    unit = f"(?:{_UNITS[column.unit]})?" if column.unit else ""
    example = {"月": "12 或 12个月", "年": "2018 或 2018年"}.get(column.unit, "12")
    shape = f"^([0-9]{{1,9}})(?:\\.0+)?{unit}$"
    sql = (
        Sql(f"{c}__count")
        .at(1, f"regexp_extract({n}, {literal(shape)}, 1) AS {c}__k")
        .at(2, f"CAST(NULLIF({c}__k, '') AS INTEGER) AS {c}__count")
    )
    hint = f"应为不小于 0 的整数（如 {example}），实为「"
    checks = _parsed(n, f"{c}__count", "count", _quoting(hint, n))
    if column.between is not None:
        low, high = column.between
        checks.append(
            (
                f"{c}__count NOT BETWEEN {low} AND {high}",
                "out_of_range",
                _quoting(f"应在 {low} 至 {high} 之间，实为「", n),
            )
        )
    return _decided(sql, column, c, checks)


def _choice_sql(column: Column, c: str) -> Sql:
    """One of the column's written forms (``Column.choices``), stored as its code; the
    reason lists the forms."""
    n = f"{c}__n"
    mapping = " ".join(
        f"WHEN {literal(form)} THEN {literal(code)}" for form, code in column.choices
    )
    forms = "".join(f"“{form}”" for form, _ in column.choices)
    sql = Sql(f"{c}__choice").at(2, f"CASE {n} {mapping} END AS {c}__choice")
    hint = f"应为{forms}之一，实为「"
    return _decided(sql, column, c, _parsed(n, f"{c}__choice", "choice", _quoting(hint, n)))


def _region_sql(column: Column, c: str) -> Sql:
    """A region code: six digits naming a current county-level region (GB/T 2260,
    :func:`doudi.core.regions.county_codes`), optionally followed by the township's
    and the village's three digits each; never longer than the registry holds."""
    n = f"{c}__n"
    limit = text_limit(column) or max(_REGION_LENGTHS)
    lengths = [k for k in _REGION_LENGTHS if k <= limit]
    shapes = "|".join(f"[0-9]{{{k}}}" for k in lengths)
    others = "、".join(f"{k} 位" for k in lengths[1:])
    written = f"{lengths[0]} 位" + (f"（或 {others}）" if others else "")
    # One text split into a table the codes are looked up in: an IN list of three
    # thousand literals took DuckDB a tenth of a second to plan, for every file.
    counties = f"SELECT unnest(string_split({literal(','.join(regions.county_codes()))}, ','))"
    sql = (
        Sql(f"NULLIF({n}, '')")
        .at(1, f"regexp_full_match({n}, {literal(shapes)}) AS {c}__shape")
        .at(
            2,
            f"CASE WHEN {c}__shape THEN substr({n}, 1, 6) IN ({counties}) "
            f"ELSE false END AS {c}__county",
        )
    )
    reason = (
        f"CASE WHEN {c}__shape THEN CASE WHEN length({n}) > 6 THEN '前 6 位' ELSE '' END "
        f"|| '「' || substr({n}, 1, 6) || '」不是现行的区县级行政区划代码' "
        f"ELSE {_quoting(f'行政区划代码应为 {written}数字，实为「', n)} END"
    )
    checks = [_control(n, f"NOT {c}__shape"), (f"NOT {c}__county", "region", reason)]
    return _decided(sql, column, c, checks)


def id_sql(column: Column, c: str) -> Sql:
    """GB 11643 checks in the order ``idnumber.parse`` makes them: length, characters,
    province, birth date, check character; a 15-digit number is upgraded first."""
    today = date.today().isoformat()  # idnumber.parse refuses births after today
    # The check character from the 17 digits held as one BIGINT: integer arithmetic
    # vectorises far better than 17 substrings per row.
    weighted = " + ".join(
        f"(({c}__int // {10 ** (16 - i)}) % 10) * {w}" for i, w in enumerate(_ID_WEIGHTS)
    )
    first_bad = f"(length(regexp_extract({c}__v, '^[0-9]*')) + 1)"
    bad_char = f"substr({c}__v, {first_bad}, 1)"
    scientific = (
        f"CASE WHEN regexp_full_match({c}__v, '[0-9](\\.[0-9]+)?E\\+?[0-9]+') THEN "
        f"{_SCIENTIFIC_HINT} ELSE '' END"
    )
    born = (
        f"substr({c}__17, 7, 4) || '-' || substr({c}__17, 11, 2) || '-' || substr({c}__17, 13, 2)"
    )
    truncated = literal(f"（末三位为 000，疑似被 Excel 当作数字保存而丢失了末几位{_EXCEL_HINT}）")
    control_when, _, control_reason = _control(f"{c}__v", f"coalesce(NOT {c}__chars_ok, true)")
    reason = f"""CASE {c}__code
        WHEN 'missing' THEN {literal(f"必填项「{column.label}」为空")}
        WHEN 'control' THEN {control_reason}
        WHEN 'id_length' THEN '身份证号应为18位（或旧版15位），实为 ' || {c}__len || ' 位'
            || {scientific}
        WHEN 'id_chars' THEN CASE
            WHEN {c}__len = 15 THEN '第 ' || {first_bad} || ' 位「' || {bad_char}
                || '」不是数字（15位旧号码应全部为数字）'
            WHEN {first_bad} <= 17 THEN '第 ' || {first_bad} || ' 位「' || {bad_char}
                || '」不是数字（前17位应为数字）'
            ELSE '末位「' || substr({c}__v, 18, 1) || '」应为数字或X' END
        WHEN 'id_region' THEN '地址码 ' || substr({c}__17, 1, 6) || ' 无效：省级代码 '
            || substr({c}__17, 1, 2) || ' 不存在'
        WHEN 'id_date' THEN '出生日期 ' || {born} || CASE WHEN {c}__birth IS NULL
            THEN ' 不存在' ELSE ' 不在合理范围内（1900 年至今）' END
        WHEN 'id_check' THEN '校验码应为 ' || {c}__expected || '，实为 ' || substr({c}__v, 18, 1)
            || CASE WHEN regexp_full_match({c}__v, '[0-9]{{15}}000')
                THEN {truncated}
                ELSE '' END
        END"""
    return (
        Sql(f"{c}__value")
        # Most cells are plain digits: only the others pay for removing whitespace and
        # translating full-width characters (idnumber.normalize).
        .at(
            0,
            f"CASE WHEN regexp_full_match({c}, '[0-9Xx]*') THEN upper({c}) "
            f"ELSE upper(translate(regexp_replace({c}, {literal(_WS_RE2 + '+')}, '', 'g'), "
            f"{literal(_FULLWIDTH_FROM)}, {literal(_FULLWIDTH_TO)})) END AS {c}__v",
        )
        .at(
            1,
            f"length({c}__v) AS {c}__len",
            f"CASE WHEN length({c}__v) = 15 THEN substr({c}__v, 1, 6) || '19' || "
            f"substr({c}__v, 7) WHEN length({c}__v) = 18 THEN substr({c}__v, 1, 17) "
            f"END AS {c}__17",
        )
        .at(
            2,
            f"CASE WHEN regexp_full_match({c}__17, '[0-9]{{17}}') "
            f"THEN CAST({c}__17 AS BIGINT) END AS {c}__int",
            f"substr({c}__17, 1, 2) IN {in_list(_provinces())} AS {c}__province_ok",
        )
        .at(
            3,
            f"CASE WHEN {c}__len = 15 THEN {c}__int IS NOT NULL "
            f"WHEN {c}__len = 18 THEN {c}__int IS NOT NULL "
            f"AND substr({c}__v, 18, 1) IN {in_list([*'0123456789X'])} END AS {c}__chars_ok",
            f"substr('10X98765432', CAST(({weighted}) % 11 AS INTEGER) + 1, 1) AS {c}__expected",
            calendar_date(
                f"CAST({c}__int // 10000000 % 10000 AS INTEGER)",
                f"CAST({c}__int // 100000 % 100 AS INTEGER)",
                f"CAST({c}__int // 1000 % 100 AS INTEGER)",
            )
            + f" AS {c}__birth",
        )
        .at(
            4,
            f"CASE WHEN {c}__v = '' THEN 'missing' "
            f"WHEN {control_when} THEN 'control' "
            f"WHEN {c}__len NOT IN (15, 18) THEN 'id_length' "
            f"WHEN NOT {c}__chars_ok THEN 'id_chars' "
            f"WHEN NOT {c}__province_ok THEN 'id_region' "
            f"WHEN {c}__birth IS NULL OR year({c}__birth) < 1900 "
            f"OR {c}__birth > DATE {literal(today)} THEN 'id_date' "
            f"WHEN {c}__len = 18 AND substr({c}__v, 18, 1) <> {c}__expected THEN 'id_check' "
            f"END AS {c}__code",
        )
        .at(
            5,
            f"{reason} AS {c}__reason",
            f"CASE WHEN {c}__code IS NOT NULL THEN NULL WHEN {c}__len = 15 "
            f"THEN {c}__17 || {c}__expected ELSE {c}__v END AS {c}__value",
            f"CASE WHEN {c}__code IS NOT NULL THEN NULL "
            f"WHEN {c}__int % 2 = 1 THEN 'M' ELSE 'F' END AS {c}__sex",
        )
    )


def _date_sql(column: Column, c: str, source: str, excel: bool) -> Sql:
    """Dates as people write them; see :func:`doudi.rosters.reading.read_roster` for the
    readings. Every date of a row is an event of the life of the person its ID number
    names (entered, exited, enrolled, paid, died): none is before that person's birth,
    and an exit is not before the entry it ends (``Column.not_before``)."""
    n = f"{c}__n"
    year_only = column.name == "exit_date"
    text = f"regexp_replace({n}, '^([0-9]{{4}})([0-9]{{2}})([0-9]{{2}})$', '\\1-\\2-\\3')"
    if year_only:
        text = f"regexp_replace({text}, '^([0-9]{{4}})年?$', '\\1-12-31')"
    serial = f"regexp_full_match({n}, '[0-9]{{5}}(\\.0+)?')" if excel else "false"
    written = f"{c}__p.y || '-' || lpad({c}__p.m, 2, '0') || '-' || lpad({c}__p.d, 2, '0')"
    examples = "2018-03-31、2018/3/31、2018.3.31、20180331 或 2018年3月31日"
    if year_only:
        examples += "；脱贫时间也可只写年份，如 2017"
    in_range = f"year({c}__parsed) BETWEEN 1900 AND 2099"
    unreadable = (
        f"CASE WHEN NOT {c}__recognized THEN '无法识别的日期「' || {n} || '」' || "
        f"{literal(f'（可写作 {examples}）')} "
        f"WHEN {c}__parsed IS NULL THEN '日期 ' || {written} || ' 不存在' "
        f"ELSE '日期 ' || strftime({c}__parsed, '%Y-%m-%d') "
        f"|| ' 超出合理范围（1900 至 2099 年）' END"
    )
    day = f"strftime({c}__date, '%Y-%m-%d')"
    # A birth after today is the ID number's own error (id_date), not this date's.
    birth = "id_number__birth"
    checks = [
        *_parsed(n, f"{c}__date", "date", unreadable),
        (
            f"{c}__date < {birth} AND {birth} <= DATE {literal(date.today().isoformat())}",
            "before_birth",
            f"'日期 ' || {day} || ' 早于公民身份号码中的出生日期 ' "
            f"|| strftime({birth}, '%Y-%m-%d')",
        ),
    ]
    latest = []
    if column.not_before is not None:
        entry = SOURCES[source].column(column.not_before)
        # The entry's column may be missing from the file: COLUMNS unpacks the columns
        # present, so without it the latest of the two is this date itself.
        parsed = literal(f"^({c}|{entry.name})__parsed$")
        latest = [f"greatest(*COLUMNS({parsed})) AS {c}__latest"]
        checks.append(
            (
                f"{c}__latest > {c}__date",
                "before_entry",
                f"'日期 ' || {day} || {literal(f' 早于{entry.label} ')} "
                f"|| strftime({c}__latest, '%Y-%m-%d')",
            )
        )
    sql = (
        Sql(f"{c}__date")
        .at(1, f"regexp_extract({text}, {literal(_DATE_RE)}, ['y', 'm', 'd']) AS {c}__p")
        .at(
            2,
            f"CASE WHEN {serial} THEN DATE '1899-12-30' + "
            f"CAST(floor(CAST({n} AS DOUBLE)) AS INTEGER) "
            f"WHEN {c}__p.y <> '' THEN "
            + calendar_date(
                f"CAST({c}__p.y AS INTEGER)",
                f"CAST({c}__p.m AS INTEGER)",
                f"CAST({c}__p.d AS INTEGER)",
            )
            + f" END AS {c}__parsed",
            f"{serial} OR {c}__p.y <> '' AS {c}__recognized",
        )
        .at(3, f"CASE WHEN {in_range} THEN {c}__parsed END AS {c}__date", *latest)
    )
    return _decided(sql, column, c, checks)
