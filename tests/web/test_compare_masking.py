"""Nothing leaked (issue #19 §5): the comparison page and its Excel download, an
import's rejected rows and reasons, and a failed job show every ID number masked
(first four, last four: ``doudi.core.idnumber.mask``); the full number is on the
person page only, audited.

涪陵区 (500102) re-imports its poverty list with a number whose check character is
wrong and a repeated row: the comparison's "身份号码错误" and "重复记录" findings show
those numbers, which were shown in full before.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.web.test_web import (  # noqa: F401 (fixtures: the web application's databases)
    ID,
    _web_db,
    csv_bytes,
    full_id,
    html,
    login,
    settings_override,
    site,
    upload,
)

pytestmark = pytest.mark.slow  # builds the web application's databases and users

GOOD = full_id("50010219800101001")
BAD = GOOD[:-1] + ("1" if GOOD[-1] != "1" else "2")  # check character wrong


def masked(number: str) -> str:
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def bad_list(database: Any, tmp_path: Path) -> None:
    """The poverty list again (A of 涪陵区, D of 渝中区), with a wrong number and A twice."""
    from doudi.rosters.importing import import_roster

    path = tmp_path / "poverty-april.csv"
    rows = [(ID["A"], "甲一"), (ID["D"], "丁四"), (BAD, "坏号"), (ID["A"], "甲一")]
    path.write_bytes(
        csv_bytes(
            {
                "公民身份号码": [r[0] for r in rows],
                "姓名": [r[1] for r in rows],
                "纳入时间": ["2016-06-01"] * len(rows),
            }
        )
    )
    import_roster(database, path, "poverty", date(2018, 4, 30))


def compared(c: Any) -> str:
    from doudi.web import worker

    response = c.post("/compare/", {"as_of": "2018-06-30"})
    assert response.status_code == 302 and worker.run_pending() == 1
    return str(response["Location"])


def test_the_comparison_page_shows_invalid_and_duplicate_numbers_masked(site, tmp_path):  # noqa: F811
    bad_list(site["db"], tmp_path)
    c = login("fuling")
    result = compared(c)
    invalid = html(c.get(result, {"finding": "invalid_ids"}))
    assert masked(BAD) in invalid and "校验码" in invalid
    duplicate = html(c.get(result, {"finding": "duplicates"}))
    assert masked(ID["A"]) in duplicate
    uninsured = html(c.get(result, {"finding": "uninsured_medical"}))
    assert "甲一" in uninsured and masked(ID["A"]) in uninsured
    for page in (invalid, duplicate, uninsured):
        assert BAD not in page and not any(number in page for number in ID.values())


def test_the_comparison_workbook_shows_every_number_masked(site, tmp_path):  # noqa: F811
    bad_list(site["db"], tmp_path)
    c = login("fuling")
    download = c.get(compared(c) + "download/")
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as book:
        text = "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
    assert masked(BAD) in text and masked(ID["A"]) in text
    assert BAD not in text and not any(number in text for number in ID.values())
    assert not re.search(r"\d{15}", text.replace("0.", ""))  # no other number in full


def test_an_id_number_typed_into_another_column_is_masked_in_the_bill_import(site):  # noqa: F811
    """A bill whose admission date holds an ID number, one with a 17-digit number, one
    from an ungraded hospital: each is rejected naming its column, the numbers masked in
    the rows and reasons the page and the API show."""
    from doudi.web import worker

    short = ID["A"][:17]
    data = (
        "单据号,certno,begndate,enddate,hosp_lv,medfee_sumamt,inscp_scp_amt\n"
        f"ZY-7,{ID['A']},{ID['B']},2018-04-08,05,3000,2500\n"
        f"ZY-8,{short},2018-04-01,2018-04-08,05,3000,2500\n"
        f"ZY-9,{ID['A']},2018-04-01,2018-04-08,11,3000,2500\n"
        f"ZY-10,{ID['A']},2018-04-01,2018-04-08,08,3000,2500\n"
    ).encode("gb18030")
    c = login("fuling")
    response = upload(c, "县医院结算.csv", data, source="bills")
    assert response.status_code == 302 and worker.run_pending() == 1
    page = html(c.get(response["Location"]))
    assert "接受 1 张，拒绝 3 行" in page
    assert masked(ID["B"]) in page and masked(short) in page
    assert "hosp_lv" in page and "无等级" in page  # the ungraded hospital's row
    assert ID["B"] not in page and short not in page


def test_a_failed_jobs_reason_shows_numbers_masked(site):  # noqa: F811
    """Every row rejected: the job fails with the reasons, which quote the cells."""
    from doudi.web.models import Job

    data = (
        "单据号,certno,begndate,enddate,hosp_lv,medfee_sumamt,inscp_scp_amt\n"
        f"ZY-7,{ID['A']},{ID['B']},2018-04-08,05,3000,2500\n"
    ).encode("gb18030")
    from doudi.web import worker

    c = login("fuling")
    response = upload(c, "县医院结算.csv", data, source="bills")
    assert worker.run_pending() == 1
    job = Job.objects.order_by("-pk").first()
    assert job.state == "failed" and masked(ID["B"]) in job.error
    assert ID["B"] not in job.error and ID["B"] not in html(c.get(response["Location"]))
