"""Where the synthetic population lives: the counties under a region, and a fixed set of
made-up townships (镇/乡/街道) and villages (村/社区) per county and seed.

Why: department files name a person's township and village, and the same village must
come back under the same name in every file and every run; a one-county region also
needs neighbouring counties its people can have moved to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from doudi.core import regions
from doudi.synth.randomness import Ints, stream

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
class Places:
    """Townships and villages of each county: a fixed set per county and seed, so the
    same village name comes back in every file and every run."""

    codes: list[str]  # counties: the region's, then those outside it people moved to
    n_region: int  # how many of ``codes`` are the region's
    first: Ints  # index of each county's first village
    count: Ints  # villages per county
    township: pa.Array  # township name of each village
    village: pa.Array  # village name of each village

    @classmethod
    def build(cls, region: list[str], outside: list[str], seed: int) -> Places:
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
    rng = stream(seed, "places", int(code))
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


def neighbours(county: str) -> list[str]:
    """Counties outside a one-county region that its people can have moved to: the
    other counties of its city, else of its province."""
    for ancestor in regions.ancestors(county)[1:]:
        others = [c for c in counties_under(ancestor) if c != county]
        if others:
            return others[:20]
    return []


def place_name(region: str) -> str:
    """The name for a title row; a municipality's "市辖区" is named after the city."""
    for code in regions.ancestors(region):
        name = regions.region_name(code) or ""
        if name not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            return name
    return region
