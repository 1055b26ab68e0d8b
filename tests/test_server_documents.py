"""The service's documents: ``/v1/report`` and ``/v1/scorecard`` on a real server, each answer
compared with what the Python API builds for the same tenant."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import equivmetrics as em
from equivmetrics.report import build_report
from server_helpers import Server, running

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "docs" / "examples" / "cs_scorecard.yaml"

#: The numbers of docs/adoption.md's worked example.
DATA = {
    "2026-02": {"Onboarding": {"active_users": 44, "licensed_seats": 50, "hours_saved": 170},
                "Support": {"active_users": 25, "licensed_seats": 50, "hours_saved": 100},
                "Billing": {"active_users": 10, "licensed_seats": 20, "hours_saved": 50}},
    "2026-03": {"Onboarding": {"active_users": 45, "licensed_seats": 50, "hours_saved": 180},
                "Support": {"active_users": 30, "licensed_seats": 50, "hours_saved": 120},
                "Billing": {"active_users": 10, "licensed_seats": 20, "hours_saved": 50}},
}  # fmt: skip
MONTHS = {"2026-02": 12000, "2026-03": 13500}
LABOUR = {"value": "50 EUR/hour", "low": "45 EUR/hour", "high": "55 EUR/hour"}


def _engine(tenant: str) -> em.Engine:
    if tenant == "cs":
        return em.load(PACK, region="DE").with_params(hourly_labor_cost=LABOUR)
    return em.load(region="GB").with_params(hourly_labor_cost="38 GBP/hour")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("documents")
    shutil.copy(PACK, folder / "cs_scorecard.yaml")
    tenants = folder / "tenants.yaml"
    tenants.write_text(
        "default: cs\n"
        "tenants:\n"
        "  cs:\n"
        "    region: DE\n"
        "    currency: EUR\n"
        "    locale: de\n"
        "    packs: [cs_scorecard.yaml]   # relative to this file\n"
        "    params:\n"
        "      hourly_labor_cost: {value: 50 EUR/hour, low: 45 EUR/hour, high: 55 EUR/hour}\n"
        "  gb:\n"
        "    region: GB\n"
        "    currency: GBP\n"
        "    params: {hourly_labor_cost: 38 GBP/hour}\n",
        encoding="utf-8",
    )
    with running(tenants, folder / "server.log", "--workers", "1") as live:
        yield live


def _json(data: Any) -> Any:
    from equivmetrics._integrations.stream import dumps

    return json.loads(dumps(data))


# -- /v1/report --------------------------------------------------------------------------------


@pytest.mark.parametrize("tenant", ["cs", "gb"])
def test_a_report_is_the_python_apis(server: Server, tenant: str) -> None:
    request = {"values": MONTHS, "unit": "transaction", "to": "labor_cost", "of": "transaction"}
    status, headers, body = server.post("/v1/report", request, tenant)
    assert status == 200, body
    assert headers["x-tenant"] == tenant
    locale = "de" if tenant == "cs" else "en"
    expected = build_report(_engine(tenant), MONTHS, "labor_cost", of="transaction",
                            unit="transaction", locale=locale)  # fmt: skip
    assert body == _json(expected.to_dict())
    assert body["schema"] == "equivmetrics.report/1"
    figures = {f["label"]: f["value"] for f in body["figures"]}
    if tenant == "gb":
        # March: 13,500 x 3 min = 675 h x GBP 38 = GBP 25,650
        assert figures["Labour cost in 2026-03"] == "£25,650"
    else:
        # 675 h x EUR 50 = EUR 33,750, in German
        assert figures["Arbeitskosten im Zeitraum 2026-03"] == "33.750\u00a0€"


def test_a_report_as_html_text_and_pdf(server: Server) -> None:
    request = {"values": [["2026-02", 12000], ["2026-03", 13500]], "unit": "transaction",
               "format": "html", "locale": "en"}  # fmt: skip
    status, headers, raw = server.request("POST", "/v1/report", json.dumps(request),
                                          {"X-Tenant": "gb"})  # fmt: skip
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    page = raw.decode()
    assert page.startswith('<!DOCTYPE html><html lang="en">')
    assert "Hours of manual work since 2026-02" in page
    status, headers, raw = server.request(
        "POST", "/v1/report", json.dumps({**request, "format": "text"}), {"X-Tenant": "gb"}
    )
    assert headers["content-type"].startswith("text/plain")
    assert raw.decode().startswith("Value report, 2026-03\n")
    if not (shutil.which("chromium") or os.environ.get("EQUIVMETRICS_CHROMIUM")):
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; CI must print the PDF")
        pytest.skip("chromium is not installed")
    status, headers, raw = server.request(
        "POST", "/v1/report", json.dumps({**request, "format": "pdf"}), {"X-Tenant": "gb"}
    )
    assert status == 200
    assert headers["content-type"] == "application/pdf"
    assert raw.startswith(b"%PDF-")


def test_a_report_of_text_totals(server: Server) -> None:
    request = {"values": {"2026-02": "12000 transaction", "2026-03": "13500 transaction"}}
    status, _, body = server.post("/v1/report", request, "gb")
    assert status == 200, body
    # 12,000 + 13,500 = 25,500 transactions since February
    assert body["input"]["cumulative"] == 25500


def test_a_report_with_its_scorecard(server: Server) -> None:
    request = {"values": MONTHS, "unit": "transaction", "format": "text",
               "scorecard": {"data": DATA, "tolerance": 0.05}}  # fmt: skip
    status, _, raw = server.request("POST", "/v1/report", json.dumps(request), {"X-Tenant": "cs"})
    assert status == 200, raw
    text = raw.decode()
    assert "Kennzahlenübersicht, 2026-03" in text
    assert "Wenn Support und Billing es wie die anderen nutzen würden:" in text
    # the value at stake of docs/adoption.md: 45 h a month at EUR 50 = EUR 2,250
    assert "2.250\u00a0€" in text


# -- /v1/scorecard -----------------------------------------------------------------------------


def test_a_scorecard_is_the_python_apis(server: Server) -> None:
    status, _, body = server.post("/v1/scorecard", {"data": DATA, "tolerance": 0.05}, "cs")
    assert status == 200, body
    expected = _engine("cs").scorecard(DATA, tolerance=0.05, locale="de")
    assert body == _json(expected.to_dict())
    assert [w["team"] for w in body["weak_links"]] == ["Support", "Billing"]
    assert body["at_stake"][0]["total"] == pytest.approx(45)  # 20 + 25 hours, by hand


def test_a_scorecard_from_rows_and_as_html_and_text(server: Server) -> None:
    rows = [{"period": p, "team": t, **numbers} for p, teams in DATA.items()
            for t, numbers in teams.items()]  # fmt: skip
    status, _, body = server.post("/v1/scorecard", {"rows": rows, "tolerance": 0.05}, "cs")
    assert status == 200
    assert body == server.post("/v1/scorecard", {"data": DATA, "tolerance": 0.05}, "cs")[2]
    status, headers, raw = server.request(
        "POST", "/v1/scorecard", json.dumps({"data": DATA, "format": "html", "locale": "en"})
    )
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert "Scorecard, 2026-03" in raw.decode()
    status, headers, raw = server.request(
        "POST", "/v1/scorecard", json.dumps({"data": DATA, "format": "text"})
    )
    assert headers["content-type"].startswith("text/plain")
    assert "Weak links in active_use" in raw.decode()


@pytest.mark.parametrize(
    ("path", "request_", "status", "code", "field"),
    [
        ("/v1/report", {"unit": "transaction"}, 400, "bad_request", "values"),
        ("/v1/report", {"values": {"2026-01": True}, "unit": "t"}, 400, "bad_request", "values"),
        ("/v1/report", {"values": {"2026-01": "many"}}, 422, "UnitError", None),
        ("/v1/report", {"values": MONTHS}, 400, "bad_request", "unit"),
        ("/v1/report", {"values": MONTHS, "unit": 3}, 400, "bad_request", "unit"),
        ("/v1/report", {"values": MONTHS, "unit": "transaction", "format": "docx"}, 400,
         "bad_request", "format"),
        ("/v1/report", {"values": MONTHS, "unit": "transaction", "trend": 0}, 400,
         "bad_request", "trend"),
        ("/v1/report", {"values": MONTHS, "unit": "transaction", "colour": "red"}, 400,
         "bad_request", "colour"),
        ("/v1/report", {"values": MONTHS, "unit": "transaction", "scorecard": []}, 400,
         "bad_request", "scorecard"),
        ("/v1/report", {"values": MONTHS, "unit": "transaction",
                        "scorecard": {"data": DATA, "tolerance": "x"}}, 400, "bad_request",
         "scorecard.tolerance"),
        ("/v1/report", {"values": MONTHS, "unit": "blip"}, 422, "UnitError", None),
        ("/v1/scorecard", {}, 400, "bad_request", "data"),
        ("/v1/scorecard", {"data": DATA, "rows": []}, 400, "bad_request", "data"),
        ("/v1/scorecard", {"data": DATA, "indicators": ["nps"]}, 400, "bad_request",
         "indicators"),
        ("/v1/scorecard", {"data": DATA, "reference": "best"}, 400, "bad_request", "reference"),
        ("/v1/scorecard", {"data": {"2026-03": {"Support": {
            "active_users": 60, "licensed_seats": 50, "hours_saved": 1}}}}, 422,
         "ScorecardError", None),
    ],
)  # fmt: skip
def test_bad_document_requests_are_named_errors(
    server: Server, path: str, request_: dict[str, Any], status: int, code: str, field: str | None
) -> None:
    got, _, body = server.post(path, request_, "cs")
    assert got == status, body
    assert body["error"]["code"] == code
    assert body["error"]["field"] == field
    assert body["error"]["message"]


def test_the_openapi_document_describes_the_documents() -> None:
    from equivmetrics._integrations.server_openapi import openapi

    paths = openapi()["paths"]
    report = paths["/v1/report"]["post"]
    body = report["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["values"]
    assert body["properties"]["unit"]["description"].startswith("the totals' unit")
    assert set(report["responses"]["200"]["content"]) == {
        "application/json", "text/html", "text/plain", "application/pdf"
    }  # fmt: skip
    card = paths["/v1/scorecard"]["post"]["requestBody"]["content"]["application/json"]
    assert card["schema"]["required"] == []
    assert card["schema"]["anyOf"] == [{"required": ["data"]}, {"required": ["rows"]}]
    assert card["schema"]["properties"]["reference"]["enum"] == ["median", "mean", "target", None]


def test_tenant_packs_must_be_a_list(tmp_path: Path) -> None:
    from equivmetrics._integrations.server_tenants import TenantFileError, read_tenants

    bad = tmp_path / "tenants.yaml"
    bad.write_text("tenants:\n  a: {packs: cs.yaml}\n", encoding="utf-8")
    with pytest.raises(TenantFileError, match="tenant a: packs must be a list of pack files"):
        read_tenants(bad)
    missing = tmp_path / "missing.yaml"
    missing.write_text("tenants:\n  a: {packs: [nowhere.yaml]}\n", encoding="utf-8")
    with pytest.raises(TenantFileError, match=r"(?s)tenant a: .*nowhere\.yaml: no such file"):
        read_tenants(missing)


def test_answers_match_their_openapi_schemas(server: Server) -> None:
    """Real answers of the running service validate against the schemas the document gives."""
    import jsonschema

    from equivmetrics._integrations.server_openapi import openapi

    document = openapi()
    components = document["components"]

    def check(path: str, method: str, body: Any) -> None:
        content = document["paths"][path][method]["responses"]["200"]["content"]
        schema = {"components": components, **content["application/json"]["schema"]}
        jsonschema.Draft202012Validator(schema).validate(body)

    months = {"values": MONTHS, "unit": "transaction", "scorecard": {"data": DATA}}
    posts = {
        "/v1/convert": {"quantity": "12000 transaction/month", "to": "fte"},
        "/v1/feel-good": {"quantity": "12000 transaction/month", "compact": True},
        "/v1/action": {"quantity": "12000 transaction/month"},
        "/v1/explain": {"quantity": "12000 transaction/month", "to": "fte"},
        "/v1/report": months,
        "/v1/scorecard": {"data": DATA},
    }
    for path, request in posts.items():
        status, _, body = server.post(path, request, "cs")
        assert status == 200, (path, body)
        check(path, "post", body)
    for path in ("/v1/packs", "/v1/kinds", "/v1/parameters", "/v1/regions", "/healthz",
                 "/readyz", "/openapi.json"):  # fmt: skip
        status, _, body = server.get(path, "cs")
        assert status == 200
        check(path, "get", body)
    # and a wrong answer would not pass: the schemas are not just "an object"
    with pytest.raises(jsonschema.ValidationError):
        check("/v1/convert", "post", {"magnitude": "many"})
    with pytest.raises(jsonschema.ValidationError):
        check("/v1/report", "post", {**server.post("/v1/report", months, "cs")[2], "figures": 3})


def test_numbers_beyond_a_float_are_a_scorecard_error_not_a_500(server: Server) -> None:
    huge = {"active_users": 1e308, "licensed_seats": 1e308, "hours_saved": 1}
    request = {"data": {"2026-03": {"A": huge, "B": huge}}}  # 1e308 + 1e308 overflows
    status, _, body = server.post("/v1/scorecard", request, "cs")
    assert status == 422, body
    assert body["error"]["code"] == "ScorecardError"
    assert "too large to compute with" in body["error"]["message"]


def test_a_scorecard_error_carries_its_problem_team_and_period(server: Server) -> None:
    """A dashboard points at the team's row from the fields, as the command line's --json
    gives them, without parsing the message; they validate against the OpenAPI document."""
    import jsonschema

    from equivmetrics._integrations.server_openapi import openapi

    support = {"active_users": 60, "licensed_seats": 50, "hours_saved": 1}
    billing = {"active_users": 1, "licensed_seats": 2, "hours_saved": 1}
    ratio = {"2026-03": {"Support": support, "Billing": billing}}
    status, _, body = server.post("/v1/scorecard", {"data": ratio}, "cs")
    assert status == 422, body
    error = body["error"]
    assert list(error)[:3] == ["code", "message", "field"]
    assert error["code"] == "ScorecardError"
    assert error["field"] is None
    assert (error["problem"], error["indicator"], error["team"], error["period"]) == (
        "above_one",
        "active_use",
        "Support",
        "2026-03",
    )  # 60 active users of 50 seats
    document = openapi()
    schema = {"components": document["components"], **document["components"]["schemas"]["Error"]}
    jsonschema.Draft202012Validator(schema).validate(body)
    status, _, body = server.post("/v1/scorecard", {"data": DATA}, "gb")  # no indicators
    assert status == 422, body
    assert body["error"]["problem"] == "no_indicators"


def test_text_with_a_decimal_comma_is_advised_in_the_services_words(server: Server) -> None:
    team = {"active_users": 30, "licensed_seats": 50, "hours_saved": "120,5"}
    data = {"2026-03": {"Support": team, "Billing": {**team, "hours_saved": 1}}}
    status, _, body = server.post("/v1/scorecard", {"data": data}, "cs")
    assert status == 422, body
    assert body["error"]["problem"] == "not_a_number"
    assert body["error"]["message"].endswith("send numbers in the JSON, not text")
    assert "pandas" not in body["error"]["message"]


def test_scorecard_advice_names_the_tenant_file_and_the_request_fields(server: Server) -> None:
    status, _, body = server.post("/v1/scorecard", {"data": DATA}, "gb")  # a tenant without packs
    assert status == 422, body
    message = body["error"]["message"]
    assert message.startswith("a scorecard needs at least one indicator")
    assert "packs: in the tenant file" in message
    assert "em.Indicator" not in message
    one = {"data": DATA, "teams": ["Support"]}
    status, _, body = server.post("/v1/scorecard", one, "cs")
    assert status == 422, body
    assert 'use "reference": "target"' in body["error"]["message"]
    status, _, body = server.post(
        "/v1/report", {"values": MONTHS, "unit": "transaction", "scorecard": one}, "cs"
    )
    assert 'use "reference": "target"' in body["error"]["message"]
