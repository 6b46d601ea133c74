"""The person page and the person API over a registry on SQLite and on PostgreSQL (the
``registry`` fixture; issue #19 §4): a person asked about a year before their birth, and
bills stored before the bills' checks were tightened. Django's test client, with the
registry's models routed to the fixture's database (the accounts stay in the web
application's own)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.web.test_web import PASSWORD, _web_db, api, html, login  # noqa: F401

import support
from conftest import make_id
from doudi.bills import importing as bills
from doudi.rosters.importing import import_roster

pytestmark = pytest.mark.slow  # builds the web application's databases and users

USERS = {"fuling": ("caseworker", "500102"), "donghu": ("caseworker", "360102")}


class RegistryRouter:
    """The registry's models read from and written to the test's registry database."""

    def __init__(self, alias: str):
        self.alias = alias

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return self.alias if model._meta.app_label == "registry" else None

    db_for_write = db_for_read

    def allow_relation(self, a: Any, b: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return None


@pytest.fixture
def pages(registry: Any, _web_db: Any, tmp_path: Path) -> Any:  # noqa: F811
    """The pages and the API read ``registry``; the users are the web application's."""
    from django.conf import settings
    from django.core.cache import cache
    from django.test import override_settings

    from doudi.web.accounts import set_user

    cache.clear()
    for username, (role, region) in USERS.items():
        set_user(username, role, region, PASSWORD)
    routers = [RegistryRouter(registry.alias), *settings.DATABASE_ROUTERS]
    with override_settings(DATABASE_ROUTERS=routers, DOUDI_WORK_DIR=tmp_path / "web"):
        yield registry


def insert(registry: Any, table: str, row: dict[str, Any]) -> None:
    """A row written straight into a registry table, as an older import stored it."""
    from django.db import connections

    marks = ", ".join(["%s"] * len(row))
    with connections[registry.alias].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(row)}) VALUES ({marks})", list(row.values())
        )


def one_value(registry: Any, sql: str, params: list[Any]) -> Any:
    from django.db import connections

    with connections[registry.alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


# --- a person born after the year asked about ---------------------------------------------

BABY = make_id("500102", "20200501", "003")  # 小明, born 2020-05-01, 涪陵区


def test_the_explanation_of_a_year_before_the_birth_has_no_age_and_no_subsidy(pages, tmp_path):
    """Born 2020-05-01 and asked about 2018, with a registered-poor period from 2016 an
    old import stored: before, the 2018 explanation showed "未满16周岁（-2周岁）" and a
    medical subsidy of 100% (docs/readings.md 25)."""
    path = support.roster(tmp_path / "poverty.csv", [(BABY, "小明")], {"纳入时间": ["2020-06-01"]})
    import_roster(pages, path, "poverty", date(2021, 3, 31))
    pk = one_value(pages, "SELECT id FROM registry_person WHERE id_number = %s", [BABY])
    batch = one_value(pages, "SELECT max(id) FROM registry_import_batch", [])
    insert(
        pages,
        "registry_status_period",
        {
            "person_id": pk,
            "status": "registered_poor",
            "department": "poverty_office",
            "valid_from": date(2016, 6, 1),
            "exit_marked": False,
            "batch_id": batch,
        },
    )
    page = html(login("fuling").get(f"/people/{pk}/explanation/", {"year": 2018}))
    assert "2018年该人尚未出生，无须缴费，无缴费资助" in page  # medical
    assert "2018年该人尚未出生，无须缴费，也无政府代缴" in page  # pension
    assert not re.search(r"-\d+周岁|未满16周岁（", page)
    assert "由财政资助" not in page and "不享受财政资助" in page
    client, auth = api("fuling")
    medical = client.get(f"/api/people/{pk}/explanation", {"year": 2018}, **auth).json()[
        "resident_medical"
    ]
    # CQ-2018-82/2.2.1: nothing subsidised, nothing due: 0.00 of 0.00
    assert (medical["subsidy"], medical["contribution"], medical["reasons"]) == (
        "0.00",
        "0.00",
        ["not_born"],
    )


# --- bills stored before the checks were tightened ------------------------------------------


def old_bill(registry: Any, bill_id: str, stay: tuple[date, date], cost: str) -> None:
    """A bill of support.POOR's written as an older import stored it, in policy except
    for 500.00 (level 2, in the county, inpatient)."""
    person = one_value(
        registry, "SELECT id FROM registry_person WHERE id_number = %s", [support.POOR]
    )
    batch = one_value(registry, "SELECT max(id) FROM registry_import_batch", [])
    total = Decimal(cost)
    insert(
        registry,
        "registry_bill",
        {
            "person_id": person,
            "bill_id": bill_id,
            "jurisdiction": "360000",
            "admission_date": stay[0],
            "discharge_date": stay[1],
            "hospital_level": "2",
            "in_county": True,
            "total_cost": total,
            "in_policy_cost": total - Decimal("500.00"),
            "non_compliant_cost": Decimal("0.00"),
            "special_drug_cost": Decimal("0.00"),
            "claim_type": "inpatient",
            "batch_id": batch,
        },
    )


def test_old_bills_the_settlement_refuses_are_shown_with_the_reason_JX_2017_58_2_2_5(
    pages, tmp_path
):
    """A 2016 bill (Jiangxi's settlement parameters begin in 2018) and one of 10^11 yuan
    (beyond what the settlement computes: engine.settlement.BILL_LIMIT) used to end the
    page and the API in a 500. They are shown unsettled with the settlement's own reason;
    the person's other bill is settled as ever."""
    support.load_bills_people(pages, tmp_path)
    path = support.write(
        tmp_path / "bills.csv", [f"JX-001,{support.POOR},2018-03-01,2018-03-10,二级,是,12000,10000"]
    )
    bills.import_bills(pages, path, "360000")
    old_bill(pages, "OLD-2016", (date(2016, 3, 1), date(2016, 3, 10)), "8000.00")
    old_bill(pages, "HUGE-2018", (date(2018, 5, 1), date(2018, 5, 9)), "99999999999.00")
    pk = one_value(pages, "SELECT id FROM registry_person WHERE id_number = %s", [support.POOR])

    response = login("donghu").get(f"/people/{pk}/")
    assert response.status_code == 200
    page = html(response)
    # in the bill's row, where its payer layers would be, and the other bill's layers
    assert 'class="error">本单据未结算：出院日期：出院年度 2016 无法结算：' in page
    assert 'class="error">本单据未结算：总费用：单张单据金额不能超过 9999999999.99 元' in page
    assert "7680.00" in page
    assert "Traceback" not in page

    client, auth = api("donghu")
    response = client.get(f"/api/people/{pk}", **auth)
    assert response.status_code == 200
    shown = {b["bill_id"]: b for b in response.json()["bills"]}
    assert list(shown) == ["OLD-2016", "JX-001", "HUGE-2018"]  # in discharge order
    old, huge = shown["OLD-2016"], shown["HUGE-2018"]
    assert old["unsettled_reason"].startswith("本单据未结算：出院日期：出院年度 2016 无法结算：")
    assert "江西省（360000）2016年没有有效的参数" in old["unsettled_reason"]
    assert huge["unsettled_reason"] == (
        "本单据未结算：总费用：单张单据金额不能超过 9999999999.99 元，实为 99999999999.00；"
        "政策范围内费用：单张单据金额不能超过 9999999999.99 元，实为 99999999499.00"
    )
    assert (old["layers"], huge["layers"]) == ([], [])
    # JX-001 as when it is the person's only bill (tests/web/test_people_record.py):
    # basic 80% × (10000 − 400) = 7680.00; critical illness 400.00; assistance
    # 70% × 1920 = 1344.00
    settled = shown["JX-001"]
    assert settled["unsettled_reason"] is None
    assert support.paid(settled) == {
        "basic": "7680.00",
        "critical_illness": "400.00",
        "assistance": "1344.00",
    }
