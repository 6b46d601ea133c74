"""信息比对 (comparison): the registry's lists against each other, for one region and day.

A county's caseworkers have to prove 应保尽保 (full coverage): every poor person is
insured, nobody draws a pension after death, and the departments agree on who is who.
This job reads the registry tables (as Arrow, whichever database they came from),
runs the comparison in DuckDB in-process, and returns one Arrow table per finding
plus a summary per region, ready for :mod:`doudi.store.workbook`.

This module is the entry point: it checks the tables and the region, then runs the
steps, each in a module of its own: :mod:`~doudi.comparison.staging` (typed copies of
the region's rows in DuckDB), :mod:`~doudi.comparison.findings` (one SQL statement per
finding), :mod:`~doudi.comparison.summary` (rates and counts per region level), with
names compared by :mod:`~doudi.comparison.names`.

Readings (where the task can be read two ways, what this module does):

- **Poor (贫困人员)**, per insurance line (decision 0015, :mod:`doudi.policy.counted`):
  the people the line's government payment targets in their jurisdiction (by hukou
  county) and in the year of ``as_of``, read with the rules' own status windows and
  categories up to the day: the pension's government-paid contribution (exit marks,
  Hebei's 包括已脱贫 and Chongqing's Y-1 recognition as each document reads them), the
  medical contribution subsidy's groups (Jiangxi's minors and 60+ of low-income
  families, Hebei's other assistance targets …). ``poor`` is counted by either line.
  The in-school and unable-to-work lists (``student``, ``unable_to_work``) make nobody
  poor; the rules read them as facts (a severely disabled adult unable to work is a
  Jiangxi medical group). "Holds on day d" is ``valid_from <= d < valid_to``
  (``valid_to`` null = still open).
- **Alive**: no death date, or a death date after ``as_of``. Only living poor people
  are counted in the coverage findings and in the summary's denominators, so that
  ``pension_insured + uninsured_pension = pension_poor`` and
  ``medical_insured + uninsured_medical = medical_poor`` hold on every summary row.
- **Age 16**: full years on ``as_of`` (a person born on 29 February turns a year
  older on 1 March in common years). Resident pension outreach has no upper age:
  a poor person of 70 without a pension is also someone to follow up.
- **Insured for pension**: a ``resident_pension`` or ``employee_pension``
  enrollment holding on ``as_of``, in any region (insured elsewhere is insured; it
  is reported separately). Medical: ``resident_medical`` or ``employee_medical``
  holding on ``as_of`` (one in the employee insurance is insured, as for pension).
- **Insured elsewhere**: a holding enrollment (any scheme) whose region code's
  first six digits differ from the person's hukou county. An enrollment with no
  region code is not reported (nothing to compare).
- **死亡冒领**: a ``resident_pension`` enrollment marked receiving, begun on or
  before ``as_of``, that holds on at least one day after the death date
  (``valid_to`` null or ``valid_to > death_date + 1 day``: ``valid_to`` is
  exclusive, so a period ending the day after the death ended on the death date).
  Months = whole months (by day of month) from the death date to the earlier of
  ``as_of`` and the enrollment's end; one row per person (the longest).
- **The latest batch**: of each source, for each county of the region: among the
  batches whose import covered that county (``registry_import_scope``), max ``as_of``,
  then max id. Another region's newer file of the same source is not the region's.
- **Name conflicts**: the latest batches of each source; per person, every pair of
  sources whose raw names differ. Both names are normalized
  (:func:`~doudi.comparison.names.normalize_name`); a pair equal after normalization is
  only a writing variant and is counted in the summary (``name_variants``), not listed.
  Similarity is computed on the normalized names.
- **Invalid IDs / duplicates**: rejected rows of the latest batches of each source,
  with code ``id_*`` / ``duplicate``, of the region only: every row of a batch whose
  counties are all the region's (and the batch their latest); of a batch covering
  counties outside it, the rows whose value (the number as written) starts with the
  code of a county the batch is the region's latest for. A row of such a batch that
  names no county (an empty or short number) is shown only to a region covering the
  whole batch. Rejected rows have no person, so they are counted on the summary's top
  row only.
- **On several lists (多部门名单)**: a person holding status periods of two or
  more departments on ``as_of``; every holding period of a status counts (an
  exit-marked registered-poor person is still on the poverty office's list), the
  ``student`` and ``unable_to_work`` facts do not (being in school is no second
  subsidy).
- The region: a six-digit province, city or county code; people are in it if their
  ``hukou_region`` starts with its prefix (2, 4 or 6 digits). Findings are sorted by
  county, township, village and ID number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pyarrow as pa

from doudi.comparison import counting, findings, staging, summary
from doudi.core import regions
from doudi.store.lake import Lake

#: The registry tables the comparison reads (``db_table`` names of the models).
TABLES = (
    "registry_person",
    "registry_status_period",
    "registry_enrollment",
    "registry_roster_entry",
    "registry_import_batch",
    "registry_import_scope",
    "registry_rejected_row",
)

#: Digits of the hukou region code a region of each level is matched on.
_PREFIX = {"province": 2, "city": 4, "county": 6}

#: The findings, in report order, with their Chinese titles.
FINDINGS: tuple[tuple[str, str], ...] = (
    ("uninsured_pension", "养老保险未参保"),
    ("uninsured_medical", "医疗保险未参保"),
    ("insured_elsewhere", "异地参保"),
    ("paid_after_death", "死亡冒领"),
    ("name_conflicts", "姓名不一致"),
    ("invalid_ids", "身份号码错误"),
    ("duplicates", "重复记录"),
    ("multiple_lists", "多部门名单"),
)


class ComparisonError(ValueError):
    """The comparison cannot run (bad region, missing table); the message is in Chinese."""


@dataclass(frozen=True)
class Comparison:
    """What the comparison found for ``region`` on ``as_of``: one Arrow table each.

    Every person finding starts with ``id_number, name, county_code, county,
    township, village`` (``county`` = the county's name) and is sorted by county,
    township, village, ID number; then:

    - ``uninsured_pension``, ``uninsured_medical``: ``statuses`` (the group by which
      the line counts the person, Chinese), ``age``;
    - ``insured_elsewhere``: ``scheme`` (Chinese), ``enrollment_region_code``,
      ``enrollment_region`` (its name);
    - ``paid_after_death``: ``death_date``, ``months_since_death``;
    - ``name_conflicts``: ``source_a``, ``name_a``, ``source_b``, ``name_b`` (list
      labels and names as written), ``similarity`` (Decimal, 2 places);
    - ``multiple_lists``: ``statuses``, ``departments`` (Chinese);
    - ``invalid_ids``, ``duplicates`` (no person): ``source``, ``file_name``,
      ``row_number``, ``column``, ``value``, ``reason``.

    ``summary``: ``level`` (省/市/县(区)/乡镇(街道)/村(社区)), ``region_code`` (the
    county's for township and village rows), ``region_name``, ``county``,
    ``township``, ``village``, ``poor``, ``pension_poor``, ``pension_insured``,
    ``pension_rate``, ``medical_poor``, ``medical_insured``, ``medical_rate`` (Decimal
    percentages,
    2 places, null when nobody is counted), then the row count of each finding and
    ``name_variants``; ``invalid_ids`` and ``duplicates`` on the first row only.
    """

    region: str
    region_name: str
    as_of: date
    summary: pa.Table
    uninsured_pension: pa.Table
    uninsured_medical: pa.Table
    insured_elsewhere: pa.Table
    paid_after_death: pa.Table
    name_conflicts: pa.Table
    invalid_ids: pa.Table
    duplicates: pa.Table
    multiple_lists: pa.Table

    def finding(self, name: str) -> pa.Table:
        """A finding by its name in :data:`FINDINGS`."""
        if name not in dict(FINDINGS):
            raise KeyError(name)
        table: pa.Table = getattr(self, name)
        return table


def region_prefix(region: str) -> tuple[str, str]:
    """The level and hukou-code prefix of a six-digit region code.

    The level comes from the region tree; a code not in the tree (retired) is read
    by its trailing zeros, since GB/T 2260 codes nest by prefix.
    """
    if not re.fullmatch(r"\d{6}", region or ""):
        raise ComparisonError(f"区划代码应为6位数字：{region!r}")
    found = regions.get(region)
    if found is not None and found.level in _PREFIX:
        level = found.level
    elif region.endswith("0000"):
        level = "province"
    elif region.endswith("00"):
        level = "city"
    else:
        level = "county"
    return level, region[: _PREFIX[level]]


def compare(tables: Mapping[str, pa.Table], region: str, as_of: date) -> Comparison:
    """Compare the registry's lists for ``region`` (province, city or county code) on
    ``as_of``; the readings are in the module docstring."""
    missing = [t for t in TABLES if t not in tables]
    if missing:
        raise ComparisonError("缺少登记表：" + "、".join(missing))
    level, prefix = region_prefix(region)
    region_name = regions.region_name(region) or region
    db = Lake({"as_of": as_of, "prefix": prefix, "region": region, "region_name": region_name})
    try:
        staging.stage(db, {name: tables[name] for name in TABLES})
    except counting.NoTargets as exc:
        db.con.close()
        raise ComparisonError(str(exc)) from None
    found, variants = findings.find(db)
    overview = summary.summarize(db, level, found, variants)
    db.con.close()
    return Comparison(
        region=region, region_name=region_name, as_of=as_of, summary=overview, **found
    )
