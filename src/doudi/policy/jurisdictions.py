"""The jurisdiction tree: national → province → city.

A city inherits its province's parameters and overrides only what its own
document says (Tangshan forwards Hebei's document unchanged; Panzhihua has its
own document under Sichuan, which has none here and so inherits the national
defaults). ``family`` names the document whose rules a jurisdiction follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from doudi.core import regions

NATIONAL = "000000"


@dataclass(frozen=True)
class Jurisdiction:
    """One jurisdiction, resolved once at a command's edge and passed down as is:
    what callers need of it (its hukou prefix, its parent chain) is here, so nothing
    below looks its code up again."""

    code: str
    name: str
    folder: str  # parameter folder under policy/parameters/
    parent: str | None
    document: str  # the clause-id prefix of the document it implements

    @property
    def hukou_prefix(self) -> str:
        """The digits a hukou code inside this jurisdiction starts with ("36", "1302")."""
        return regions.hukou_prefix(self.code)

    @cached_property
    def chain(self) -> tuple[Jurisdiction, ...]:
        """This jurisdiction and its ancestors, nearest first (city, province, national):
        the order in which a parameter is looked for."""
        out = [self]
        while out[-1].parent is not None:
            out.append(JURISDICTIONS[str(out[-1].parent)])
        return tuple(out)


JURISDICTIONS: dict[str, Jurisdiction] = {
    j.code: j
    for j in (
        Jurisdiction(NATIONAL, "全国（国家默认）", "00-national", None, "NAT-2017-59"),
        Jurisdiction("360000", "江西省", "36-jiangxi", NATIONAL, "JX-2017-58"),
        Jurisdiction("130000", "河北省", "13-hebei", NATIONAL, "HE-2018-3"),
        Jurisdiction("130200", "唐山市", "1302-tangshan", "130000", "HE-2018-3"),
        Jurisdiction("370000", "山东省", "37-shandong", NATIONAL, "SD-2017-37"),
        Jurisdiction("510000", "四川省", "51-sichuan", NATIONAL, "NAT-2017-59"),
        Jurisdiction("510400", "攀枝花市", "5104-panzhihua", "510000", "PZH-2018-195"),
        Jurisdiction("500000", "重庆市", "50-chongqing", NATIONAL, "CQ-2018-82"),
    )
}


class UnknownJurisdiction(KeyError):
    def __str__(self) -> str:
        known = "、".join(f"{c}（{j.name}）" for c, j in JURISDICTIONS.items())
        return f"未知的统筹地区代码：{self.args[0]!r}；可选：{known}"


def get(code: str | Jurisdiction) -> Jurisdiction:
    """The jurisdiction with exactly this code; one already resolved passes through."""
    if isinstance(code, Jurisdiction):
        return code
    try:
        return JURISDICTIONS[str(code)]
    except KeyError:
        raise UnknownJurisdiction(code) from None


def resolve(code: str) -> Jurisdiction:
    """The jurisdiction for ``code``, or for the city or province above it.

    A caseworker may name their county (``130281`` 遵化市 → Tangshan, ``500102``
    涪陵区 → Chongqing); a code outside the covered jurisdictions is unknown.
    """
    code = str(code)
    if code in JURISDICTIONS:
        return JURISDICTIONS[code]
    for ancestor in regions.ancestors(code)[1:]:
        if ancestor in JURISDICTIONS and ancestor != NATIONAL:
            return JURISDICTIONS[ancestor]
    raise UnknownJurisdiction(code)
