"""The dashboard's coverage with the lists issue #20 §1 adds: the in-school list makes
nobody poor, and an employee-medical enrollment insures (the comparison's readings).

test_web's registry: 涪陵区 500102 (A registered poor, B dibao, C tekun, all in the
resident pension, none in a medical insurance) and 渝中区 500103 (D registered poor).
Added here: the education department's list of 涪陵区 with A and 戊 (a pupil on no other
list), and A's employee medical insurance.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.web.test_web import (  # noqa: F401 (fixtures)
    ID,
    PEOPLE,
    _web_db,
    csv_bytes,
    full_id,
    settings_override,
    site,
)

pytestmark = pytest.mark.slow  # builds the web application's databases and users

PUPIL = full_id("50010220050505005")


def test_a_pupil_is_not_poor_and_the_employee_medical_insurance_insures(site):  # noqa: F811
    from doudi.rosters.importing import import_roster
    from doudi.web.dashboard import board
    from doudi.web.roles import Scope

    march = date(2018, 3, 31)
    school = Path(site["tmp"]) / "students.csv"
    school.write_bytes(
        csv_bytes(
            {
                "公民身份号码": [ID["A"], PUPIL],
                "姓名": [PEOPLE["A"][1], "戊五"],
                "入学时间": ["2016-09-01"] * 2,
            }
        )
    )
    import_roster(site["db"], school, "students", march)
    medical = Path(site["tmp"]) / "employee_medical.csv"
    medical.write_bytes(
        csv_bytes({"公民身份号码": [ID["A"]], "姓名": [PEOPLE["A"][1]], "参保时间": ["2012-07-01"]})
    )
    import_roster(site["db"], medical, "employee_medical", march)
    counties = {
        c["code"]: (c["poor"], c["pension"], c["medical"])
        for c in board(Scope("t", "province_admin", "500000"), date(2018, 6, 30))["counties"]
    }
    # 涪陵区: A, B, C poor (not 戊), all three in the pension, A in the employee medical
    assert counties == {"500102": (3, 3, 1), "500103": (1, 1, 0)}
