"""The parts every department file's sources are made of: columns, sources, the
columns most lists share.

:mod:`doudi.rosters.sources` (the lists of people) and :mod:`doudi.rosters.record_sources`
(the record lists) both build on these; kept apart so that neither imports the other's
table of sources.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from doudi.core import vocab


def labelled(vocabulary: vocab.Vocabulary, *forms: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """A choice column's written forms: those given, then each code's own Chinese label
    as Doudi writes it (审核通过, 期满终止（未续订）, 五级（初级工）), in the form a cell is
    compared in (NFKC, no spaces): a list typed from Doudi's own workbooks is accepted."""
    seen = {form for form, _ in forms}
    more = []
    for code in vocabulary:
        label = unicodedata.normalize("NFKC", vocabulary.label(code)).replace(" ", "")
        if label not in seen:
            seen.add(label)
            more.append((label, code))
    return (*forms, *more)


#: Column kinds: how a cell is parsed and validated.
KINDS = (
    "id_number",
    "text",
    "date",
    "yes_no",
    "region_code",
    "decimal",
    "grade",
    "account",
    "count",  # a whole number of months, or a year
    "choice",  # one of a column's written forms, stored as its code
)


@dataclass(frozen=True)
class Column:
    name: str  # canonical identifier (GLOSSARY.md)
    label: str  # the Chinese header written by synth and shown in reports
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    #: the registry fields ("Model.field") the cell's text is stored in: it may be no
    #: longer than the shortest of them (rosters.limits), on SQLite as on PostgreSQL
    stored: tuple[str, ...] = ()
    #: the date column this one cannot precede (an exit is not before the entry)
    not_before: str | None = None
    #: a "choice" column's written forms, each with the code stored for it
    choices: tuple[tuple[str, str], ...] = ()
    #: a "count" column's least and greatest value (inclusive)
    between: tuple[int, int] | None = None
    #: the unit a "count" may be written with after its number: "月" (12月, 12个月), "年"
    unit: str = ""


@dataclass(frozen=True)
class Source:
    name: str  # --source value
    label: str  # Chinese name of the list
    department: str  # GLOSSARY departments
    #: "status" (opens status periods), "enrollment", "death", "payment" or "record"
    #: (rows kept as they are: no period opened or closed)
    kind: str
    columns: tuple[Column, ...]
    status: str | None = None  # the status a "status" list records
    scheme: str | None = None  # the scheme an "enrollment" list records
    #: the column no two rows may share: a person is on a list once, but may pay twice
    unique: str = "id_number"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


ID_NUMBER = Column(
    "id_number",
    "公民身份号码",
    "id_number",
    required=True,
    aliases=(
        "身份证号",
        "身份证号码",
        "证件号码",
        "公民身份证号码",
        "身份证",
        "公民身份证号",
        "证件号",
        "居民身份证号码",
    ),
)
NAME = Column(
    "name",
    "姓名",
    "text",
    required=True,
    aliases=("人员姓名", "户主姓名", "参保人姓名"),
    stored=("Person.name", "RosterEntry.name"),
)
REGION = Column(
    "region_code",
    "行政区划代码",
    "region_code",
    aliases=(
        "区划代码",
        "户籍地区划代码",
        "户籍所在地区划代码",
        "行政区划",
        "所属区划",
        "参保地区划代码",
    ),
    stored=("RosterEntry.region_code", "Person.hukou_region", "Enrollment.region_code"),
)
TOWNSHIP = Column(
    "township",
    "乡镇(街道)",
    "text",
    aliases=("乡镇", "乡(镇)", "街道", "乡镇街道"),
    stored=("Person.township", "RosterEntry.township"),
)
VILLAGE = Column(
    "village",
    "村(社区)",
    "text",
    aliases=("村", "行政村", "社区", "村社区", "村组"),
    stored=("Person.village", "RosterEntry.village"),
)
SINCE = Column(
    "since", "纳入时间", "date", aliases=("识别时间", "认定时间", "起始日期", "纳入日期")
)
COMMON = (ID_NUMBER, NAME, REGION, TOWNSHIP, VILLAGE)
#: A count of months: a century of them at most (a larger number is a typing error).
MONTHS = (0, 1200)
#: The months of unemployment benefit drawn in one year: a year has twelve, as a scenario
#: is told too (policy.rules.shared.BENEFIT_MONTHS_IN_A_YEAR; bound here so that a
#: list is read without loading the rules).
BENEFIT_MONTHS = (0, 12)
APPLICATION_DATE = Column(
    "application_date",
    "申请日期",
    "date",
    required=True,
    aliases=("申请时间", "提出申请日期", "申请办理日期"),
)
