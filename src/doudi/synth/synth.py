"""Synthetic department files (花名册) for the registry import (``doudi synth``).

Why: the import and the comparison (信息比对) have to be tested and benchmarked on
files that look like what a county office really receives — Chinese names, valid
GB 11643 ID numbers, GBK-encoded CSV next to UTF-8 and Excel, title rows above the
header, header variants — and that contain the mistakes real files contain. Real
rosters hold personal data and may never leave the agency, so we make them up.

:func:`synthesize` writes one file per source of :data:`doudi.rosters.sources.SOURCES`
for a made-up population living in the counties under a region, plus
``manifest.json`` (:class:`Manifest`). The manifest lists every deliberate error by
kind and row, and the people the comparison must find (poor but not enrolled, dead
but still receiving a pension, enrolled in another county), so a test can check
that the importer and the comparison catch exactly these and nothing else.

Everything is vectorised with numpy and pyarrow (names come from pools built once
from Faker's ``zh_CN`` data, ID numbers and their check characters are computed on
whole arrays); per-row Python runs only for the few rows that get an error and for
the rows of XLSX files. The output depends only on the arguments: the same seed
gives byte-identical files.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import xlsxwriter
from faker.providers.person.zh_CN import Provider as ZhPersonProvider

from doudi.core import regions
from doudi.core.idnumber import check_character
from doudi.rosters.sources import ROSTERS, SOURCES, Source

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Days = npt.NDArray[np.datetime64]

#: Encodings a file can have; "xlsx" means an Excel workbook.
ENCODINGS = ("gb18030", "utf-8-sig", "utf-8", "xlsx")
FILE_FORMATS = ("csv", "xlsx", "mixed")
#: Rows of an Excel sheet, header (and title) included.
XLSX_MAX_ROWS = 1_048_576
PAYMENTS_FILE = "pension_payment.csv"
BILLS_FILE = "bills.csv"
#: Of the resident-medical insured: the share with hospital stays this year (poor people
#: more often), and the hospital levels' weights (一级, 二级, 三级).
BILLED_IF_POOR, BILLED_IF_NOT = 0.12, 0.03
LEVEL_WEIGHTS = (0.35, 0.45, 0.2)
#: Date formats department files use; all parse unambiguously.
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")


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
    )
}

# Shares of the population, chosen to resemble a poor rural county around 2018.
POOR_SHARE = 0.08
POOR_EXIT_SHARE = 0.35  # registered poor already marked as out of poverty
DIBAO_IF_POOR, DIBAO_IF_NOT = 0.25, 0.0217  # → about 4 %, half of them also poor
TEKUN_IF_POOR, TEKUN_IF_NOT = 0.06, 0.0057  # → about 1 %
DISABILITY_IF_POOR, DISABILITY_IF_NOT = 0.05, 0.0174  # → about 2 %
DEATH_SHARE = 0.005
OUTREACH_SHARE = 0.05  # of poor, alive, not exit-marked people: deliberately not enrolled
MEDICAL_SHARE = 0.96  # of other people, in the resident-medical extract
PENSION_SHARE = 0.85  # of other adults, in the resident-pension extract
DEAD_KEEP_MEDICAL, DEAD_KEEP_PENSION = 0.3, 0.4  # dead people not yet removed
MOVED_IF_POOR, MOVED_IF_NOT = 0.03, 0.008  # enrolled in another county
# contributors who paid the year's whole contribution themselves by the as-of date
SELF_PAID_IF_POOR, SELF_PAID_IF_NOT = 0.10, 0.40
PENSION_AGE, RECEIVING_AGE = 16, 60

#: Resident-pension yearly tiers (yuan) and how often each is chosen.
TIERS = tuple(
    Decimal(f"{yuan}.00")
    for yuan in (100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500, 2000)
)
TIER_WEIGHTS = (0.55, 0.15, 0.08, 0.04, 0.06, 0.02, 0.02, 0.02, 0.01, 0.03, 0.01, 0.01)
POOR_TIER_WEIGHTS = (0.9, 0.06, 0.02, 0.0, 0.02, 0, 0, 0, 0, 0, 0, 0)

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

_TOWNSHIP_STEMS = (
    "石桥", "龙泉", "青山", "白沙", "河口", "新店", "马鞍", "黄土", "柳林", "双河",
    "太平", "长安", "永安", "高坪", "大坝", "桥头", "三合", "清水", "金竹", "兴隆",
    "观音", "平安", "龙门", "沙坪", "花园", "新华", "红星", "和平", "凤凰", "东风",
    "向阳", "七里", "十里", "五里", "水口", "石门", "铁炉", "茶园", "松林", "枫木",
    "桃源", "杨柳", "梨园", "竹林", "岩口", "土桥", "中和", "安乐", "福田", "复兴",
    "兴华", "大兴", "龙潭", "白马", "黄龙", "石龙", "青龙", "仁和", "文昌", "永兴",
)  # fmt: skip
_VILLAGE_STEMS = (
    *_TOWNSHIP_STEMS,
    "王家", "李家", "张家", "刘家", "陈家", "杨家", "赵家", "周家", "吴家", "何家",
    "马家", "罗家", "唐家", "谢家", "邓家", "彭家", "胡家", "曾家", "高家", "田家",
    "新民", "新村", "新街", "老街", "白鹤", "双龙", "双桥", "三星", "五星", "天星",
    "官渡", "渡口", "码头", "关口", "河坝", "坪上", "岭下", "塘坊", "东山", "南山",
    "北山", "西山", "楠木", "柏树", "杉树", "核桃", "板栗", "桂花", "荷花", "莲花",
    "团结", "胜利", "光明", "前进", "幸福", "红旗", "建设", "新农", "丰收", "民主",
)  # fmt: skip


# --- the manifest ---------------------------------------------------------------


@dataclass
class FileInfo:
    """One written file. Row numbers are the file's own (Excel row / CSV line, from 1);
    data starts at ``header_row + 1``."""

    path: str  # relative to the manifest
    source: str
    encoding: str  # one of ENCODINGS
    rows: int  # data rows, duplicates and error rows included
    title_row: bool
    header_row: int
    headers: list[str]  # as written, in column order (label or an alias)
    columns: list[str]  # the canonical names of those headers
    date_format: str
    errors: dict[str, int]  # deliberate errors by kind (ERROR_KINDS), zeros included
    error_rows: dict[str, list[int]]  # the rows of each kind


@dataclass
class Manifest:
    """What :func:`synthesize` wrote and the answers a correct import must reproduce."""

    region: str
    people: int  # the roster population
    as_of: date
    seed: int
    error_rate: float
    file_format: str
    enrolled_extra: int  # insured people who appear only in the enrollment extracts
    counties: list[str]  # hukou counties of the population
    files: list[FileInfo]
    poor_not_enrolled: int  # alive registered poor in neither enrollment extract
    dead_but_receiving: int  # on the death list and 是否领取待遇=是 in the pension extract
    moved_county: int  # people enrolled in a county other than their hukou county
    overlaps: dict[str, int]  # people on two status lists, e.g. "poverty+dibao"
    poor_not_enrolled_ids: list[str] = field(default_factory=list)
    dead_but_receiving_ids: list[str] = field(default_factory=list)
    moved_county_ids: list[str] = field(default_factory=list)
    #: the collection system's payments (征缴明细, GBK CSV) and the people on one of the
    #: four status lists among those who paid their whole contribution themselves
    payments_file: str = ""
    bills_file: str = ""
    self_paid_poor_ids: list[str] = field(default_factory=list)

    def file(self, source: str) -> FileInfo:
        return next(f for f in self.files if f.source == source)

    def to_json(self) -> str:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Read a ``manifest.json`` (or the directory holding one)."""
        path = path / "manifest.json" if path.is_dir() else path
        data = json.loads(path.read_text("utf-8"))
        data["as_of"] = date.fromisoformat(data["as_of"])
        data["files"] = [FileInfo(**f) for f in data["files"]]
        return cls(**data)


# --- randomness -------------------------------------------------------------------


def _rng(seed: int, *keys: int | str) -> np.random.Generator:
    """An independent stream per purpose, so changing one part of the generator does
    not shift the random numbers (and thus the files) of every other part."""
    words = [seed] + [k if isinstance(k, int) else zlib.crc32(k.encode()) for k in keys]
    return np.random.default_rng(words)


def _choose(rng: np.random.Generator, candidates: Ints, k: int) -> Ints:
    """Up to ``k`` distinct candidates, in ascending order."""
    k = min(k, len(candidates))
    if k == 0:
        return np.empty(0, np.int64)
    return np.sort(rng.choice(candidates, k, replace=False)).astype(np.int64)


def _dates(rng: np.random.Generator, first: date, last: date, n: int) -> Days:
    """Uniform dates in [first, last]; ``first`` is moved back if after ``last``."""
    lo, hi = np.datetime64(min(first, last), "D"), np.datetime64(last, "D")
    span = int((hi - lo).astype(np.int64))
    return lo + rng.integers(0, span + 1, n)


# --- places and names ------------------------------------------------------------


def counties_under(code: str) -> list[str]:
    """Every county-level code at or below ``code`` (province, city or county), sorted.

    regions.children only lists one level; provinces hold cities hold counties, but
    a few provinces hold county-level units directly, hence the recursion."""
    region = regions.get(code)
    if region is None:
        raise ValueError(f"未知的行政区划代码：{code}")
    if region.level == "county":
        return [code]
    found: list[str] = []
    for child in regions.children(code):
        found += [child.code] if child.level == "county" else counties_under(child.code)
    return sorted(found)


@dataclass
class _Places:
    """Townships and villages of each county: a fixed set per county and seed, so the
    same village name comes back in every file and every run."""

    codes: list[str]  # counties: the region's, then those outside it people moved to
    n_region: int  # how many of ``codes`` are the region's
    first: Ints  # index of each county's first village
    count: Ints  # villages per county
    township: pa.Array  # township name of each village
    village: pa.Array  # village name of each village

    @classmethod
    def build(cls, region: list[str], outside: list[str], seed: int) -> _Places:
        codes = region + outside
        towns: list[str] = []
        villages: list[str] = []
        first, count = [], []
        for code in codes:
            first.append(len(villages))
            for town, names in _county_places(code, seed):
                towns += [town] * len(names)
                villages += names
            count.append(len(villages) - first[-1])
        return cls(
            codes,
            len(region),
            np.array(first, np.int64),
            np.array(count, np.int64),
            pa.array(towns, pa.string()),
            pa.array(villages, pa.string()),
        )

    def pick(self, rng: np.random.Generator, county: Ints) -> Ints:
        """A village in each person's county."""
        offset = (rng.random(len(county)) * self.count[county]).astype(np.int64)
        return self.first[county] + offset


def _county_places(code: str, seed: int) -> list[tuple[str, list[str]]]:
    """Townships (镇/乡/街道) of one county and the villages (村/社区) of each."""
    rng = _rng(seed, "places", int(code))
    urban = (regions.region_name(code) or "").endswith("区")
    n_towns = int(rng.integers(8, 21))
    stems = [str(s) for s in rng.choice(_TOWNSHIP_STEMS, n_towns, replace=False)]
    suffix_p = (0.4, 0.1, 0.5) if urban else (0.55, 0.4, 0.05)
    suffixes = rng.choice(["镇", "乡", "街道"], n_towns, p=suffix_p)
    names = [s + str(x) for s, x in zip(stems, suffixes, strict=True)]
    if not urban and rng.random() < 0.6:
        names[0] = "城关镇"  # the county seat's town
    out = []
    for town in names:
        n_villages = int(rng.integers(5, 16))
        v_stems = rng.choice(_VILLAGE_STEMS, n_villages, replace=False)
        community = 0.8 if town.endswith("街道") else 0.08
        kinds = np.where(rng.random(n_villages) < community, "社区", "村")
        out.append((town, [str(s) + str(k) for s, k in zip(v_stems, kinds, strict=True)]))
    return out


@dataclass
class _NamePools:
    """Surnames with Faker's frequencies and given names per sex. Built once: calling
    Faker per row would take hours for 10^7 people, sampling indices takes seconds."""

    surnames: pa.Array
    surname_p: npt.NDArray[np.float64]
    given_male: pa.Array
    given_female: pa.Array

    @classmethod
    def build(cls, seed: int) -> _NamePools:
        rng = _rng(seed, "names")
        weights = ZhPersonProvider.last_names
        surnames = sorted(weights)
        p = np.array([weights[s] for s in surnames])

        def given(base: Sequence[str]) -> pa.Array:
            singles = [g for g in base if len(g) == 1]
            pairs = {
                str(a) + str(b)
                for a, b in zip(rng.choice(singles, 800), rng.choice(singles, 800), strict=True)
            }
            # No name is born with a variant character: in a file, one is always a mistake.
            pool = sorted(g for g in set(base) | pairs if not set(g) & set(VARIANTS.values()))
            return pa.array(pool, pa.string())

        return cls(
            pa.array(surnames, pa.string()),
            p / p.sum(),
            given(ZhPersonProvider.first_names_male),
            given(ZhPersonProvider.first_names_female),
        )

    def names(self, rng: np.random.Generator, male: Bools) -> pa.Array:
        n = len(male)
        surname = self.surnames.take(rng.choice(len(self.surnames), n, p=self.surname_p))
        g_male = self.given_male.take(rng.integers(0, len(self.given_male), n))
        g_female = self.given_female.take(rng.integers(0, len(self.given_female), n))
        given = pc.if_else(pa.array(male), g_male, g_female)
        return pc.binary_join_element_wise(surname, given, "")


def _neighbours(county: str) -> list[str]:
    """Counties outside a one-county region that its people can have moved to: the
    other counties of its city, else of its province."""
    for ancestor in regions.ancestors(county)[1:]:
        others = [c for c in counties_under(ancestor) if c != county]
        if others:
            return others[:20]
    return []


# --- people -------------------------------------------------------------------------

_WEIGHTS = np.array((7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), np.int64)
_CHECK_BYTES = np.frombuffer(b"10X98765432", np.uint8)


def _ymd(days: Days) -> tuple[Ints, Ints, Ints]:
    month_start = days.astype("datetime64[M]")
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = month_start.astype(np.int64) % 12 + 1
    day = (days - month_start).astype(np.int64) + 1
    return year, month, day


def id_numbers(county: Ints, birth: Days, sequence: Ints) -> pa.Array:
    """18-character GB 11643 numbers: county code, birth date, 3-digit sequence and the
    ISO 7064 MOD 11-2 check character, computed on whole arrays into one byte buffer
    (no Python string per person), so ten million numbers take about a second."""
    year, month, day = _ymd(birth)
    rest = county * 10**11 + (year * 10_000 + month * 100 + day) * 1_000 + sequence
    n = len(rest)
    chars = np.empty((n, 18), np.uint8)
    total = np.zeros(n, np.int64)
    for pos in range(16, -1, -1):
        digit = rest % 10
        rest = rest // 10
        chars[:, pos] = digit + ord("0")
        total += digit * _WEIGHTS[pos]
    chars[:, 17] = _CHECK_BYTES[total % 11]
    offsets = np.arange(0, 18 * (n + 1), 18, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(chars.tobytes()))


@dataclass
class _People:
    """The population: the roster population first, then the extra insured."""

    base: Bools  # in the roster population (False: an extra insured person)
    county: Ints  # hukou county, index into _Places.codes
    village: Ints  # hukou village, index into _Places villages
    birth: Days
    age: Ints  # whole years on the as-of date
    ids: pa.Array
    names: pa.Array

    def __len__(self) -> int:
        return len(self.base)


def _people(seed: int, places: _Places, people: int, extra: int, as_of: date) -> _People:
    rng = _rng(seed, "people", ",".join(places.codes[: places.n_region]))
    n = people + extra
    weight = rng.uniform(0.5, 1.5, places.n_region)  # counties differ in size
    county = rng.choice(places.n_region, n, p=weight / weight.sum()).astype(np.int64)
    village = places.pick(rng, county)
    male = rng.random(n) < 0.5
    # Ages: children, working age, elderly; rural hukou populations are old.
    band = rng.choice(3, n, p=(0.17, 0.60, 0.23))
    low, high = np.array((0, 16, 60))[band], np.array((16, 60, 95))[band]
    age_days = ((low + rng.random(n) * (high - low)) * 365.2425).astype(np.int64)
    birth = np.datetime64(as_of, "D") - np.maximum(age_days, 1)
    birth = np.maximum(birth, np.datetime64("1900-01-01"))  # GB 11643 knows no earlier year
    year, month, day = _ymd(birth)
    age = as_of.year - year - ((month * 100 + day) > as_of.month * 100 + as_of.day)
    # Sequence: odd for men, even for women; redraw clashes until every number is unique.
    county_num = np.array([int(c) for c in places.codes], np.int64)[county]
    key = (county_num * 100_000_000 + year * 10_000 + month * 100 + day) * 1_000
    sequence = 2 * rng.integers(1, 500, n) + male
    for _ in range(100):
        _, first = np.unique(key + sequence, return_index=True)
        clash = np.ones(n, bool)
        clash[first] = False
        if not clash.any():
            break
        again = np.flatnonzero(clash)
        sequence[again] = 2 * rng.integers(1, 500, len(again)) + male[again]
    else:  # pragma: no cover - needs hundreds of people per county, birth date and sex
        raise ValueError("人数过多：同一县同一天出生的同性别人员超出了身份证顺序码的容量")
    names = _NamePools.build(seed).names(rng, male)
    ids = id_numbers(county_num, birth, sequence)
    return _People(np.arange(n) < people, county, village, birth, age, ids, names)


# --- who is on which list -----------------------------------------------------------


@dataclass
class _Lists:
    """Membership and dates per person: the overlaps between departments live here."""

    poor: Bools
    exit_marked: Bools
    poor_since: Days
    exit_date: Days
    dibao: Bools
    dibao_since: Days
    tekun: Bools
    tekun_since: Days
    disability: Bools
    not_severe: Bools  # listed with grade 三级 by mistake
    severe_grade: Ints  # 1 or 2
    disability_since: Days
    dead: Bools
    death_date: Days
    outreach: Bools  # poor, alive, deliberately in no enrollment extract
    medical: Bools
    medical_since: Days
    pension: Bools
    pension_since: Days
    receiving: Bools
    tier: Ints  # index into TIERS
    moved: Bools
    enrolled_county: Ints  # county of the enrollment rows (differs for movers)
    enrolled_village: Ints


def _lists(seed: int, p: _People, places: _Places, error_rate: float, as_of: date) -> _Lists:
    rng = _rng(seed, "lists", ",".join(places.codes[: places.n_region]))
    n, base, age = len(p), p.base, p.age
    end = np.datetime64(as_of, "D")

    def since(first: date) -> Days:
        return np.maximum(_dates(rng, first, as_of, n), p.birth)

    poor = base & (rng.random(n) < POOR_SHARE)
    # Registered in the 2014 identification or its 2015 review, a fifth later on.
    poor_since = np.where(
        rng.random(n) < 0.8,
        _dates(rng, date(2014, 4, 1), min(as_of, date(2015, 12, 31)), n),
        _dates(rng, date(2016, 1, 1), min(as_of, date(2017, 12, 31)), n),
    )
    poor_since = np.minimum(np.maximum(poor_since, p.birth), end)
    exit_from = np.maximum(poor_since + 90, np.datetime64("2016-01-01"))
    exit_to = np.datetime64(min(as_of, date(2018, 12, 31)), "D")
    span = np.maximum((exit_to - exit_from).astype(np.int64) + 1, 1)
    exit_date = exit_from + (rng.random(n) * span).astype(np.int64)
    exit_marked = poor & (rng.random(n) < POOR_EXIT_SHARE) & (exit_from <= exit_to)

    def share(if_poor: float, if_not: float) -> Bools:
        return base & (rng.random(n) < np.where(poor, if_poor, if_not))

    dibao, dibao_since = share(DIBAO_IF_POOR, DIBAO_IF_NOT), since(date(2008, 1, 1))
    tekun, tekun_since = share(TEKUN_IF_POOR, TEKUN_IF_NOT), since(date(2006, 1, 1))
    disability = share(DISABILITY_IF_POOR, DISABILITY_IF_NOT)
    disability_since = since(date(2008, 1, 1))
    severe_grade = np.where(rng.random(n) < 0.4, 1, 2).astype(np.int64)
    # A few people with a mild (三级) disability listed by mistake: their own error kind.
    n_mild = round(int(disability.sum()) * error_rate / len(_kinds(SOURCES["disability"])))
    not_severe = np.zeros(n, bool)
    mild = np.flatnonzero(base & ~disability)
    not_severe[_choose(rng, mild, max(n_mild, 1) if error_rate > 0 else 0)] = True

    elderly = age >= RECEIVING_AGE
    weight = np.where(elderly, 5.0, 0.4)
    dead = base & (rng.random(n) < DEATH_SHARE * weight / weight[base].mean())
    death_date = np.maximum(_dates(rng, date(as_of.year - 2, as_of.month, 1), as_of, n), p.birth)

    candidates = np.flatnonzero(poor & ~exit_marked & ~dead)
    outreach = np.zeros(n, bool)
    outreach[_choose(rng, candidates, max(1, round(len(candidates) * OUTREACH_SHARE)))] = True

    # Every other living poor person is enrolled (应保尽保); dead people linger.
    alive_poor = poor & ~dead
    medical = (~base | (rng.random(n) < MEDICAL_SHARE) | alive_poor) & ~outreach
    medical &= ~dead | (rng.random(n) < DEAD_KEEP_MEDICAL)
    pension = (age >= PENSION_AGE) & ((rng.random(n) < PENSION_SHARE) | alive_poor) & ~outreach
    pension &= ~dead | (rng.random(n) < DEAD_KEEP_PENSION)
    receiving = pension & elderly
    tier = np.where(
        poor,
        rng.choice(len(TIERS), n, p=POOR_TIER_WEIGHTS),
        rng.choice(len(TIERS), n, p=TIER_WEIGHTS),
    ).astype(np.int64)
    medical_since = since(date(2008, 1, 1))
    adult_from = p.birth + round(PENSION_AGE * 365.2425)
    pension_since = np.minimum(np.maximum(since(date(2010, 7, 1)), adult_from), end)

    moved_p = np.where(poor, MOVED_IF_POOR, MOVED_IF_NOT)
    moved = base & ~dead & medical & (rng.random(n) < moved_p)
    enrolled_county, enrolled_village = p.county.copy(), p.village.copy()
    movers = np.flatnonzero(moved)
    if places.n_region > 1:  # to another county of the region
        step = rng.integers(1, places.n_region, len(movers))
        enrolled_county[movers] = (p.county[movers] + step) % places.n_region
    elif len(places.codes) > 1:  # a one-county region: to a neighbouring county
        outside = rng.integers(0, len(places.codes) - 1, len(movers))
        enrolled_county[movers] = 1 + outside
    else:
        moved[:] = False
        movers = movers[:0]
    enrolled_village[movers] = places.pick(rng, enrolled_county[movers])
    return _Lists(
        poor, exit_marked, poor_since, exit_date, dibao, dibao_since, tekun, tekun_since,
        disability, not_severe, severe_grade, disability_since, dead, death_date, outreach,
        medical, medical_since, pension, pension_since, receiving, tier, moved,
        enrolled_county, enrolled_village,
    )  # fmt: skip


# --- one file -------------------------------------------------------------------------


def _kinds(source: Source) -> list[str]:
    """The error kinds a source's file gets (三级 only makes sense on the disability list)."""
    return [k for k in ERROR_KINDS if k != "not_severe" or source.name == "disability"]


@dataclass
class _Roster:
    """One department's list before it is written: a row per listed person."""

    source: Source
    person: Ints
    county: Ints  # region_code of the row
    village: Ints  # township and village of the row
    values: dict[str, pa.Array]  # the source's own columns: date32 for dates, else strings
    # Rows whose rejection would change the answers the manifest promises (the outreach
    # list, the dead still receiving, the movers): they get no error that rejects them.
    protected: Bools
    fixed: dict[str, Bools] = field(default_factory=dict)  # rows wrong by construction


def _yes_no(flag: Bools) -> pa.Array:
    return pa.array(["否", "是"], pa.string()).take(pa.array(flag.astype(np.int8)))


def _day_array(days: Days, present: Bools | None = None) -> pa.Array:
    mask = None if present is None else ~present
    return pa.array(days.astype("datetime64[D]"), pa.date32(), mask=mask)


def _accounts(person: Ints) -> pa.Array:
    """Bank-card numbers of 19 digits, one per person; every 50th person has none
    on file (the withholding file cannot include them)."""
    digits = pc.utf8_lpad(pa.array((person * 7_919 + 104_729) % 10**14).cast(pa.string()), 14, "0")
    accounts = pc.binary_join_element_wise("62170", digits, "")
    return pc.if_else(pa.array(person % 50 == 7), pa.nulls(len(person), pa.string()), accounts)


def _rosters(p: _People, s: _Lists) -> list[_Roster]:
    """The seven lists, in the order of rosters.SOURCES."""

    def roster(
        name: str,
        member: Bools,
        protected: Bools,
        values: dict[str, Callable[[Ints], pa.Array]],
        enrolled: bool = False,
    ) -> _Roster:
        rows = np.flatnonzero(member)
        county = (s.enrolled_county if enrolled else p.county)[rows]
        village = (s.enrolled_village if enrolled else p.village)[rows]
        taken = {k: v(rows) for k, v in values.items()}
        return _Roster(SOURCES[name], rows, county, village, taken, protected[rows])

    alive_poor = s.poor & ~s.dead
    listed_disabled = s.disability | s.not_severe
    grades = pa.array(["一级", "二级", "三级"], pa.string())
    tiers = pa.array([str(t) for t in TIERS], pa.string())
    none = np.zeros(len(p), bool)
    out = [
        roster(
            "poverty",
            s.poor,
            s.outreach,
            {
                "since": lambda r: _day_array(s.poor_since[r]),
                "exit_marked": lambda r: _yes_no(s.exit_marked[r]),
                "exit_date": lambda r: _day_array(s.exit_date[r], s.exit_marked[r]),
            },
        ),
        roster("dibao", s.dibao, none, {"since": lambda r: _day_array(s.dibao_since[r])}),
        roster("tekun", s.tekun, none, {"since": lambda r: _day_array(s.tekun_since[r])}),
        roster(
            "disability",
            listed_disabled,
            none,
            {
                "since": lambda r: _day_array(s.disability_since[r]),
                "disability_grade": lambda r: grades.take(
                    np.where(s.not_severe[r], 3, s.severe_grade[r]) - 1
                ),
            },
        ),
        roster(
            "resident_pension",
            s.pension,
            alive_poor | s.moved | (s.dead & s.receiving),
            {
                "since": lambda r: _day_array(s.pension_since[r]),
                "contribution_tier": lambda r: tiers.take(pa.array(s.tier[r], mask=s.receiving[r])),
                "receiving": lambda r: _yes_no(s.receiving[r]),
                "bank_account": lambda r: _accounts(r),
            },
            enrolled=True,
        ),
        roster(
            "resident_medical",
            s.medical,
            alive_poor | s.moved,
            {"since": lambda r: _day_array(s.medical_since[r])},
            enrolled=True,
        ),
        roster(
            "death",
            s.dead,
            s.poor | s.receiving,
            {"death_date": lambda r: _day_array(s.death_date[r])},
        ),
    ]
    out[3].fixed["not_severe"] = s.not_severe[out[3].person]
    return out


@dataclass
class _Style:
    """How a department writes its file: format, title row, header words, date format."""

    encoding: str
    title: str | None
    headers: list[str]
    date_format: str


def _style(seed: int, source: Source, encoding: str, place: str) -> _Style:
    rng = _rng(seed, "style", source.name)
    title = f"{place}{source.label}" if rng.random() < 0.4 else None
    headers = [c.label for c in source.columns]
    if rng.random() < 0.5:  # this department uses its own words for the headers
        for i, c in enumerate(source.columns):
            word = str(rng.choice([c.label, *c.aliases]))
            if word not in headers:
                headers[i] = word
    date_format = str(rng.choice(DATE_FORMATS))
    return _Style(encoding, title, headers, date_format)


def _encodings(seed: int, file_format: str) -> dict[str, str]:
    """Encodings per source. "mixed": the big enrollment extracts are CSV (the systems
    export them so), the smaller lists a mix of Excel, GBK and UTF-8 CSV."""
    rng = _rng(seed, "formats")
    names = list(ROSTERS)
    if file_format == "xlsx":
        return dict.fromkeys(names, "xlsx")
    if file_format == "csv":
        return {n: str(rng.choice(["gb18030", "utf-8-sig", "utf-8"])) for n in names}
    small = [n for n in names if SOURCES[n].kind != "enrollment"]
    kinds = ["xlsx", "gb18030", "utf-8-sig"]
    picks = kinds + [str(k) for k in rng.choice(kinds, len(small) - len(kinds))]
    chosen = dict(zip(small, (str(k) for k in rng.permutation(picks)), strict=True))
    for n in names:
        chosen.setdefault(n, str(rng.choice(["gb18030", "utf-8-sig"])))
    return chosen


def _split(rng: np.random.Generator, total: int, kinds: list[str]) -> dict[str, int]:
    """``total`` errors spread evenly over ``kinds``, the remainder at random."""
    if not kinds:
        return {}
    counts = dict.fromkeys(kinds, total // len(kinds))
    for i in rng.choice(len(kinds), total % len(kinds), replace=False):
        counts[kinds[int(i)]] += 1
    return counts


@dataclass
class _Rendered:
    table: pa.Table  # string columns named by the canonical column names
    errors: dict[str, list[int]]  # kind -> 0-based data-row positions


@dataclass
class _Context:
    """What every file needs to know about the population while it is rendered."""

    people: _People
    places: _Places
    error_rate: float
    seed: int
    ends_x: Bools  # ID number ends with X
    born_19xx: Bools  # a 15-digit number can only encode 19yy
    files_per_person: Ints
    name_touched: Bools  # already has a name error in some file: keep its other names
    codes: pa.Array = field(init=False)

    def __post_init__(self) -> None:
        self.codes = pa.array(self.places.codes, pa.string())


def _render(r: _Roster, ctx: _Context, style: _Style) -> _Rendered:
    rng = _rng(ctx.seed, "errors", r.source.name)
    order = np.lexsort((r.person, r.village)).astype(np.int64)  # by village, like real lists
    n = len(order)
    fixed = {k: v[order] for k, v in r.fixed.items()}
    n_fixed = sum(int(v.sum()) for v in fixed.values())
    free = [k for k in _kinds(r.source) if k not in fixed]
    counts = _split(rng, max(round(n * ctx.error_rate) - n_fixed, 0), free)
    protected = r.protected[order]
    reserved = np.zeros(n, bool)
    for v in fixed.values():
        reserved |= v

    # The same row twice, the copy somewhere further down the file.
    src = _choose(rng, np.flatnonzero(~protected & ~reserved), counts.get("duplicate", 0))
    after = src + (rng.random(len(src)) * (n - src)).astype(np.int64)
    origin = np.concatenate([np.arange(n, dtype=np.int64), src])
    final = np.argsort(np.concatenate([2 * np.arange(n), 2 * after + 1]), kind="stable")
    origin = origin[final]
    copy = final >= n
    rows = order[origin]
    person = r.person[rows]
    used = reserved[origin] | np.isin(origin, src)
    protected = protected[origin]

    chosen: dict[str, Ints] = {"duplicate": np.flatnonzero(copy).astype(np.int64)}
    chosen |= {k: np.flatnonzero(v[origin] & ~copy).astype(np.int64) for k, v in fixed.items()}
    eligible: dict[str, Callable[[], Bools]] = {
        "lowercase_x": lambda: ctx.ends_x[person],
        "old_15_digit": lambda: ctx.born_19xx[person],
        "name_variant": lambda: (ctx.files_per_person[person] >= 2) & ~ctx.name_touched[person],
        "check_digit": lambda: ~protected,
        "birth_date": lambda: ~protected,
        "empty_name": lambda: ~protected & ~ctx.name_touched[person],
        "bad_date": lambda: ~protected,
        "full_width": lambda: np.ones(len(person), bool),
        "stray_space": lambda: np.ones(len(person), bool),
    }
    for kind, ok in eligible.items():
        if kind in counts:
            chosen[kind] = _choose(rng, np.flatnonzero(ok() & ~used), counts[kind])
            used[chosen[kind]] = True
            if kind in ("name_variant", "empty_name"):
                ctx.name_touched[person[chosen[kind]]] = True

    p = ctx.people
    columns: dict[str, pa.Array] = {
        "id_number": p.ids.take(person),
        "name": p.names.take(person),
        "region_code": ctx.codes.take(r.county[rows]),
        "township": ctx.places.township.take(r.village[rows]),
        "village": ctx.places.village.take(r.village[rows]),
    }
    for name, values in r.values.items():
        taken = values.take(rows)
        columns[name] = _format_dates(taken, style.date_format) if _is_date(taken) else taken
    date_column = "death_date" if "death_date" in columns else "since"
    edits: dict[str, dict[int, str]] = {c: {} for c in ("id_number", "name", date_column)}
    _edit_ids(rng, chosen, columns["id_number"], edits["id_number"])
    _edit_names(rng, chosen, columns["name"], edits["name"])
    for i, pos in enumerate(chosen.get("bad_date", [])):
        edits[date_column][int(pos)] = BAD_DATES[i % len(BAD_DATES)]
    for name, changes in edits.items():
        columns[name] = _patch(columns[name], changes)
    table = pa.table(
        [columns[c.name] for c in r.source.columns], [c.name for c in r.source.columns]
    )
    return _Rendered(table, {k: sorted(int(i) for i in v) for k, v in chosen.items()})


def _is_date(values: pa.Array) -> bool:
    return bool(values.type == pa.date32())


def _format_dates(values: pa.Array, fmt: str) -> pa.Array:
    iso = values.cast(pa.string())  # YYYY-MM-DD; nulls stay null (an empty cell)
    separator = {"%Y-%m-%d": "-", "%Y/%m/%d": "/", "%Y%m%d": ""}[fmt]
    return iso if separator == "-" else pc.replace_substring(iso, "-", separator)


def _patch(values: pa.Array, changes: dict[int, str]) -> pa.Array:
    if not changes:
        return values
    mask = np.zeros(len(values), bool)
    positions = sorted(changes)
    mask[positions] = True
    replacements = pa.array([changes[i] for i in positions], pa.string())
    return pc.replace_with_mask(values, pa.array(mask), replacements)


_FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _edit_ids(
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


def _edit_names(
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


# --- writing ----------------------------------------------------------------------------


def _write_csv(path: Path, table: pa.Table, style: _Style) -> None:
    """CSV as Excel or a department system exports it. pyarrow writes UTF-8 in batches;
    GB18030 files are transcoded batch by batch, so memory stays bounded."""
    eol = "\n" if style.encoding == "utf-8" else "\r\n"
    codec = "gb18030" if style.encoding == "gb18030" else "utf-8"
    head = ""
    if style.title:
        head += style.title + "," * (len(style.headers) - 1) + eol
    head += ",".join(style.headers) + eol
    options = pacsv.WriteOptions(include_header=False, quoting_style="none", eol=eol)
    with path.open("wb") as f:
        if style.encoding == "utf-8-sig":
            f.write(b"\xef\xbb\xbf")
        f.write(head.encode(codec))
        for batch in table.combine_chunks().to_batches(max_chunksize=200_000):
            sink = pa.BufferOutputStream()
            pacsv.write_csv(pa.Table.from_batches([batch]), sink, options)
            data = sink.getvalue().to_pybytes()
            f.write(data if codec == "utf-8" else data.decode("utf-8").encode(codec))


def _write_xlsx(path: Path, table: pa.Table, style: _Style, sheet: str, as_of: date) -> None:
    """One sheet, every cell text (as department exports are: an ID number stored as a
    number would lose its last digits). ``constant_memory`` streams rows to disk; the
    creation time is fixed so the same seed gives the same bytes."""
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    workbook.set_properties({"created": datetime(as_of.year, as_of.month, as_of.day)})
    sheet_ = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True})
    row = 0
    if style.title:
        sheet_.write_string(0, 0, style.title, bold)
        row = 1
    sheet_.write_row(row, 0, style.headers, bold)
    write = sheet_.write_row
    columns = [c.to_pylist() for c in table.columns]
    for i, values in enumerate(zip(*columns, strict=True), start=row + 1):
        write(i, 0, values)
    workbook.close()


# --- the entry point ----------------------------------------------------------------------


def synthesize(
    region: str,
    people: int,
    out: Path,
    *,
    as_of: date = date(2018, 3, 31),
    seed: int = 0,
    error_rate: float = 0.02,
    file_format: str = "mixed",
    enrolled: int | None = None,
) -> Manifest:
    """Write the department files of a made-up population of ``people`` persons living
    in the counties under ``region`` into ``out``, and ``out/manifest.json``.

    ``enrolled`` adds that many insured people (not poor, alive, living where they are
    insured) who appear only in the two enrollment extracts, so a benchmark can have
    far more insured than roster rows; by default the extracts hold only ``people``.
    ``error_rate`` is the share of rows per file that carry a deliberate error
    (:data:`ERROR_KINDS`). The files depend only on the arguments.
    """
    if people < 1:
        raise ValueError(f"人数应为正整数：{people}")
    extra = 0 if enrolled is None else enrolled
    if extra < 0 or people + extra > 100_000_000:
        raise ValueError(f"参保人数不合理：{enrolled}")
    if not 0 <= error_rate <= 0.5:
        raise ValueError(f"错误比例应在0到0.5之间：{error_rate}")
    if file_format not in FILE_FORMATS:
        raise ValueError(f"文件格式应为 {'、'.join(FILE_FORMATS)} 之一：{file_format}")
    if seed < 0:
        raise ValueError(f"随机种子应为非负整数：{seed}")
    if as_of > date.today():
        raise ValueError(f"名单截止日期不能晚于今天：{as_of}")
    counties = counties_under(region)
    if not counties:
        raise ValueError(f"行政区划{region}下没有县级区划")
    outside = _neighbours(counties[0]) if len(counties) == 1 else []
    places = _Places.build(counties, outside, seed)
    p = _people(seed, places, people, extra, as_of)
    s = _lists(seed, p, places, error_rate, as_of)
    rosters = _rosters(p, s)

    files_per_person = np.zeros(len(p), np.int64)
    for r in rosters:
        files_per_person[r.person] += 1
    born = p.birth.astype("datetime64[Y]").astype(np.int64) + 1970
    ctx = _Context(
        people=p,
        places=places,
        error_rate=error_rate,
        seed=seed,
        ends_x=pc.ends_with(p.ids, "X").to_numpy(zero_copy_only=False),
        born_19xx=(born >= 1900) & (born <= 1999),
        files_per_person=files_per_person,
        name_touched=np.zeros(len(p), bool),
    )
    out.mkdir(parents=True, exist_ok=True)
    place = _place_name(region)
    encodings = _encodings(seed, file_format)
    files = []
    for r in rosters:
        style = _style(seed, r.source, encodings[r.source.name], place)
        rendered = _render(r, ctx, style)
        header_rows = 2 if style.title else 1
        if style.encoding == "xlsx" and rendered.table.num_rows + header_rows > XLSX_MAX_ROWS:
            style.encoding = "utf-8-sig"  # too big for one sheet: the system exports CSV
        suffix = "xlsx" if style.encoding == "xlsx" else "csv"
        path = out / f"{r.source.name}.{suffix}"
        if style.encoding == "xlsx":
            _write_xlsx(path, rendered.table, style, r.source.label, as_of)
        else:
            _write_csv(path, rendered.table, style)
        files.append(
            FileInfo(
                path=path.name,
                source=r.source.name,
                encoding=style.encoding,
                rows=rendered.table.num_rows,
                title_row=style.title is not None,
                header_row=header_rows,
                headers=style.headers,
                columns=[c.name for c in r.source.columns],
                date_format=style.date_format,
                errors={k: len(rendered.errors.get(k, [])) for k in _kinds(r.source)},
                error_rows={
                    k: [header_rows + 1 + i for i in v] for k, v in rendered.errors.items()
                },
            )
        )

    paid = _write_payments(out / PAYMENTS_FILE, seed, p, s, as_of)
    _write_bills(out / BILLS_FILE, region, seed, p, s, as_of)

    def ids(flag: Bools) -> list[str]:
        return sorted(p.ids.take(np.flatnonzero(flag)).to_pylist())

    statuses = {"poverty": s.poor, "dibao": s.dibao, "tekun": s.tekun, "disability": s.disability}
    names = list(statuses)
    overlaps = {
        f"{a}+{b}": int((statuses[a] & statuses[b]).sum())
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    }
    manifest = Manifest(
        region=region,
        people=people,
        as_of=as_of,
        seed=seed,
        error_rate=error_rate,
        file_format=file_format,
        enrolled_extra=extra,
        counties=counties,
        files=files,
        poor_not_enrolled=int(s.outreach.sum()),
        dead_but_receiving=int((s.dead & s.receiving).sum()),
        moved_county=int(s.moved.sum()),
        overlaps=overlaps,
        poor_not_enrolled_ids=ids(s.outreach),
        dead_but_receiving_ids=ids(s.dead & s.receiving),
        moved_county_ids=ids(s.moved),
        payments_file=PAYMENTS_FILE,
        bills_file=BILLS_FILE,
        self_paid_poor_ids=ids(paid & (s.poor | s.dibao | s.tekun | s.disability)),
    )
    (out / "manifest.json").write_text(manifest.to_json() + "\n", encoding="utf-8")
    return manifest


def _write_payments(path: Path, seed: int, p: _People, s: _Lists, as_of: date) -> Bools:
    """The collection system's record of the year's contributions paid so far: some
    contributors paid their whole tier themselves between 1 January and ``as_of``
    (GB18030 CSV, one serial number per payment). Returns who paid."""
    rng = _rng(seed, "payments")
    statused = s.poor | s.dibao | s.tekun | s.disability
    paying = s.pension & ~s.receiving & ~s.dead
    paid = paying & (rng.random(len(p)) < np.where(statused, SELF_PAID_IF_POOR, SELF_PAID_IF_NOT))
    rows = np.flatnonzero(paid)
    first = date(as_of.year, 1, 1)
    tiers = pa.array([str(t) for t in TIERS], pa.string())
    serial = pc.utf8_lpad(pa.array(np.arange(1, len(rows) + 1)).cast(pa.string()), 8, "0")
    table = pa.table(
        {
            "id_number": p.ids.take(rows),
            "name": p.names.take(rows),
            "amount": tiers.take(pa.array(s.tier[rows])),
            "paid_on": _format_dates(_day_array(_dates(rng, first, as_of, len(rows))), "%Y-%m-%d"),
            "reference": pc.binary_join_element_wise(f"JF{as_of.year}", serial, ""),
        }
    )
    labels = [c.label for c in SOURCES["pension_payment"].columns]
    _write_csv(path, table, _Style("gb18030", None, labels, "%Y-%m-%d"))
    return paid


def _write_bills(path: Path, region: str, seed: int, p: _People, s: _Lists, as_of: date) -> None:
    """The hospitals' settlement export of the year so far (GB18030 CSV, Chinese
    headers): inpatient stays of resident-medical insured people, one to three each,
    discharged between 1 January and ``as_of``; 75–95 % of a bill within the policy
    scope, up to 3 % non-compliant, 9 in 10 in the county. Bill numbers carry the
    region's code, as a hospital's carry its own: two synthetic regions' bills can share
    one registry."""
    rng = _rng(seed, "bills")
    statused = s.poor | s.dibao | s.tekun | s.disability
    insured = s.medical & ~s.dead
    billed = insured & (rng.random(len(p)) < np.where(statused, BILLED_IF_POOR, BILLED_IF_NOT))
    person = np.repeat(np.flatnonzero(billed), rng.integers(1, 4, int(billed.sum())))
    n = len(person)
    first = date(as_of.year, 1, 1)
    discharged = np.sort(_dates(rng, first + timedelta(days=20), as_of, n))
    admitted = discharged - rng.integers(2, 21, n)
    total = rng.integers(200_000, 6_000_000, n)  # fen
    in_policy = total * rng.integers(75, 96, n) // 100
    non_compliant = (total - in_policy) * rng.integers(0, 31, n) // 100
    levels = pa.array(["一级", "二级", "三级"]).take(pa.array(rng.choice(3, n, p=LEVEL_WEIGHTS)))
    serial = pc.utf8_lpad(pa.array(np.arange(1, n + 1)).cast(pa.string()), 7, "0")

    def yuan(fen: Ints) -> pa.Array:
        return pa.array([f"{f // 100}.{f % 100:02d}" for f in fen.tolist()], pa.string())

    table = pa.table(
        {
            "bill_id": pc.binary_join_element_wise(f"ZY{region}{as_of.year}", serial, ""),
            "id_number": p.ids.take(pa.array(person)),
            "name": p.names.take(pa.array(person)),
            "admission_date": _format_dates(_day_array(admitted), "%Y-%m-%d"),
            "discharge_date": _format_dates(_day_array(discharged), "%Y-%m-%d"),
            "hospital_level": levels,
            "in_county": _yes_no(rng.random(n) < 0.9),
            "total_cost": yuan(total),
            "in_policy_cost": yuan(in_policy),
            "non_compliant_cost": yuan(non_compliant),
        }
    )
    labels = [
        "单据号",
        "公民身份号码",
        "姓名",
        "入院日期",
        "出院日期",
        "医院等级",
        "县域内",
        "总费用",
        "政策范围内费用",
        "不合规费用",
    ]
    _write_csv(path, table, _Style("gb18030", None, labels, "%Y-%m-%d"))


def _place_name(region: str) -> str:
    """The name for a title row; a municipality's "市辖区" is named after the city."""
    for code in regions.ancestors(region):
        name = regions.region_name(code) or ""
        if name not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            return name
    return region
