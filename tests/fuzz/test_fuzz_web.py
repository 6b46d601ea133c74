"""The web application's inputs under hostile values (issue #19 §7): the settlement
calculator's form, the API's scenario, bill and import bodies. Never a 500 or a
traceback; an answer of 4xx says why in Chinese; a dry-run import through the API
changes no registry table and its job's error, if any, is Chinese.

Django's test client against the web application's registry (tests/web/test_web.py's
``site``); the registry paths of the imports are fuzzed on both databases through the
command line (test_fuzz_rosters, test_fuzz_bills).
"""

from __future__ import annotations

import copy
import json
import traceback
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from tests.fuzz.budget import FUZZ
from tests.fuzz.checksum import changed_tables, table_checksums
from tests.fuzz.hostile import AMOUNTS, DATES, LONG, HostileFile, files
from tests.fuzz.outcome import CHINESE
from tests.fuzz.test_fuzz_rosters import base_table
from tests.fuzz.test_fuzz_scenarios import SCENARIO, scenario_texts
from tests.web.test_web import _web_db, api, login, settings_override, site  # noqa: F401

from doudi.rosters.sources import SOURCES

# every test builds the web application's databases and users: seconds each
pytestmark = pytest.mark.slow

BILL = {
    "statuses": ["registered_poor"],
    "admission_date": "2018-03-01",
    "discharge_date": "2018-03-10",
    "hospital_level": "2",
    "in_county": True,
    "claim_type": "inpatient",
    "total_cost": "12000",
    "in_policy_cost": "10000",
    "non_compliant_cost": "0",
    "special_drug_cost": "0",
}
HOSTILE = {
    "jurisdiction": ["999999", "", "360000", "500000", "36"],
    "statuses": [[], ["unknown"], "registered_poor", [None], ["低保对象"]],
    "admission_date": DATES,
    "discharge_date": DATES,
    "hospital_level": ["0", "4", "01", "11", "二级", "referral_out", "", None, 2.5],
    "in_county": ["on", "", "是", None, 2],
    "claim_type": ["inpatient", "outpatient", "chronic", "", "unknown"],
    "total_cost": AMOUNTS,
    "in_policy_cost": AMOUNTS,
    "non_compliant_cost": AMOUNTS,
    "special_drug_cost": AMOUNTS,
    "disease": ["", "白血病", "名" * 300],
}


@st.composite
def bills(draw: st.DrawFn) -> dict[str, Any]:
    """The calculator's bill with up to four fields hostile (or gone)."""
    bill: dict[str, Any] = {"jurisdiction": "360000", **copy.deepcopy(BILL)}
    for _ in range(draw(st.integers(0, 4))):
        key = draw(st.sampled_from(sorted(HOSTILE)))
        if draw(st.integers(0, 9)) == 0:
            bill.pop(key, None)
        else:
            bill[key] = draw(st.one_of(st.sampled_from(HOSTILE[key]), LONG, st.text(max_size=6)))
    return bill


def answered(response: Any, what: Any) -> None:
    """A page or API answer a person can read: no server error, no traceback, a refusal
    (4xx) in Chinese."""
    body = response.content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        body = json.dumps(response.json(), ensure_ascii=False)  # the text, not \u escapes
    shown = f"{what!r}\n--- {response.status_code}:\n{body[:3000]}"
    assert response.status_code < 500, f"a server error: {shown}"
    assert "Traceback" not in body, f"a traceback: {shown}"
    if response.status_code >= 400:
        assert CHINESE.search(body), f"refused without a Chinese reason: {shown}"


def requested(call: Any, what: Any) -> Any:
    """``call()``'s response; an exception the view let through fails the test with it."""
    try:
        return call()
    except Exception:
        pytest.fail(f"an exception reached the request: {what!r}\n{traceback.format_exc()}")


@pytest.fixture
def caseworker(site: dict[str, Any]) -> Any:  # noqa: F811
    """A county caseworker signed in to the pages (once: Argon2 takes its time)."""
    return login("fuling")


@pytest.fixture
def token(site: dict[str, Any]) -> tuple[Any, dict[str, str]]:  # noqa: F811
    """A county caseworker's API client and token."""
    return api("fuling")


def form_data(bill: dict[str, Any]) -> dict[str, Any]:
    """The bill as a browser posts the calculator's form: text, a list for a checkbox
    group, a ticked box as "on"."""
    data: dict[str, Any] = {}
    for key, value in bill.items():
        if isinstance(value, list):
            data[key] = ["" if v is None else str(v) for v in value]
        elif value is True:
            data[key] = "on"
        elif value not in (None, False):
            data[key] = str(value)
    return data


@FUZZ
@given(bill=bills())
def test_the_settlement_calculator_answers_any_bill(caseworker, bill) -> None:
    response = requested(lambda: caseworker.post("/settle/", form_data(bill)), bill)
    answered(response, bill)


@FUZZ
@example(bill=dict(BILL), shape="body")  # issue #19 §7's find: no jurisdiction, English 422
@given(bill=bills(), shape=st.sampled_from(["body", "body", "body", "bill", "list", "text"]))
def test_the_settle_api_answers_any_bill(token, bill, shape) -> None:
    """The bill in its body, or a body of another shape: the bill alone, a list, text."""
    c, auth = token
    jurisdiction = bill.pop("jurisdiction", None)
    body = {
        "body": json.dumps({"jurisdiction": jurisdiction, "bill": bill}),
        "bill": json.dumps(bill),
        "list": json.dumps([bill]),
        "text": "jurisdiction=360000",
    }[shape]
    response = requested(lambda: c.post("/api/settle", body, "application/json", **auth), body)
    answered(response, body)


#: Issue #19 §7's find, kept: a scenario sent as the YAML file it was written in was
#: answered "Cannot parse request body" (and a list or text body, an English 422).
YAML_SCENARIO = ("scenario.yaml", yaml.safe_dump(SCENARIO, allow_unicode=True).encode(), ())


@FUZZ
@example(drawn=YAML_SCENARIO, shape="file")
@example(drawn=YAML_SCENARIO, shape="list")
@given(drawn=scenario_texts(), shape=st.sampled_from(["file", "object", "list", "text"]))
def test_the_evaluate_api_answers_any_scenario(token, drawn, shape) -> None:
    """The scenario as a file's bytes (any encoding), or as a JSON body of another shape."""
    c, auth = token
    _, data, how = drawn
    body: bytes | str = {
        "file": data,
        "object": json.dumps(SCENARIO),
        "list": json.dumps([SCENARIO]),
        "text": json.dumps("scenario"),
    }[shape]
    what = (shape, how, body)
    response = requested(lambda: c.post("/api/evaluate", body, "application/json", **auth), what)
    answered(response, what)


@FUZZ
@given(hostile=files(base_table(SOURCES["poverty"]), "扶贫"))
def test_the_import_api_dry_run_answers_any_file_and_writes_nothing(
    site: dict[str, Any],  # noqa: F811
    token: tuple[Any, dict[str, str]],
    hostile: HostileFile,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doudi.web import worker

    c, auth = token
    before = table_checksums(site["db"])
    fields = {"source": "poverty", "as_of": "2018-06-30", "dry_run": "true", "wait": "false"}
    upload = {"file": SimpleUploadedFile(hostile.name, hostile.data), **fields}
    response = requested(lambda: c.post("/api/imports", upload, **auth), hostile)
    answered(response, hostile)
    if response.status_code == 200:
        requested(worker.run_pending, hostile)
        job = c.get(f"/api/jobs/{response.json()['id']}", **auth).json()
        assert job["state"] in ("done", "failed"), (job, hostile)
        if job["state"] == "failed":
            assert CHINESE.search(job["error"] or ""), (job, hostile)
    assert not changed_tables(before, table_checksums(site["db"])), hostile
