"""The lists behind Jiangxi's service targets (JX-2017-58/2.4.10): bank withholding
mandates per person, and the financial service points per village.

Why apart from the record sources: the record lists are those ``doudi synth`` draws with
every seed and the golden demo imports; these two serve one clause's indicators and are
written and imported after them, so a seed's earlier files keep every byte.

- Withholding mandates (代扣协议): a person's agreement that a bank withholds their
  resident-pension contribution from an account. A list of people, kind ``record``: each
  row is kept (a mandate signed stays signed), a later file erases nothing, a reader takes
  a person's latest mandate. The account is stored for the bank's cycle but shown
  masked in every output.
- Service points (村级金融便民服务点): one row per point, keyed by its village, without
  ID numbers: not a list of people, so it is not in ``SOURCES`` and has an importer of
  its own (:mod:`doudi.rosters.service_points`) built on the same reading of headers
  and cells.
"""

from __future__ import annotations

from doudi.rosters.columns import COMMON, REGION, TOWNSHIP, VILLAGE, Column, Source

#: The header variants of a bank account, as the resident-pension extract lists them.
ACCOUNT_ALIASES = (
    "银行卡号",
    "代扣账号",
    "银行账户",
    "社保卡银行账号",
    "社保卡金融账号",
    "账号",
)

WITHHOLDING_MANDATES = Source(
    "withholding_mandates",
    "城乡居民养老保险银行代扣协议",
    "si_bureau",
    "record",
    (
        *COMMON,
        Column(
            "bank_name",
            "代扣银行",
            "text",
            required=True,
            aliases=("开户银行", "开户行", "签约银行", "银行名称", "代扣机构"),
            stored=("RosterEntry.bank_name",),
        ),
        Column(
            "bank_account",
            "银行账号",
            "account",
            required=True,
            aliases=ACCOUNT_ALIASES,
            stored=("RosterEntry.bank_account",),
        ),
        Column(
            "since",
            "签约日期",
            "date",
            required=True,
            aliases=("签约时间", "协议签订日期", "签订日期", "代扣协议签订日期"),
        ),
    ),
)

#: The person lists of the service targets, imported by ``doudi import``.
SERVICE_SOURCES: tuple[Source, ...] = (WITHHOLDING_MANDATES,)

#: The service points of a county's villages: keyed by village, not by person.
SERVICE_POINTS = Source(
    "service_points",
    "村级金融便民服务点名单",
    "si_bureau",
    "place",
    (
        Column(
            REGION.name,
            REGION.label,
            REGION.kind,
            required=True,
            aliases=REGION.aliases,
            stored=("ServicePoint.region_code",),
        ),
        Column(
            TOWNSHIP.name,
            TOWNSHIP.label,
            TOWNSHIP.kind,
            required=True,
            aliases=TOWNSHIP.aliases,
            stored=("ServicePoint.township",),
        ),
        Column(
            VILLAGE.name,
            VILLAGE.label,
            VILLAGE.kind,
            required=True,
            aliases=VILLAGE.aliases,
            stored=("ServicePoint.village",),
        ),
        Column(
            "point_name",
            "服务点名称",
            "text",
            required=True,
            aliases=("网点名称", "便民服务点名称", "服务网点名称", "名称"),
            stored=("ServicePoint.point_name",),
        ),
        Column(
            "since",
            "设立日期",
            "date",
            required=True,
            aliases=("开设日期", "设立时间", "开通日期", "成立日期"),
        ),
    ),
    unique="point_name",
)
