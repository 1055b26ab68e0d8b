"""The HTTP service: a real ``equivmetrics serve`` (uvicorn) on a free port, spoken to over HTTP.

The tenants are those of docs/service.md's tenant file; every answer is compared with the Python
API's for the same tenant. No mocks: requests go through sockets to the subprocess.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from server_helpers import Server, running
from strategies import SETTINGS

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parent.parent
SERVICE_MD = (ROOT / "docs" / "service.md").read_text(encoding="utf-8")
TENANT_FILE = re.search(r"^```yaml\n(.*?)^```", SERVICE_MD, re.MULTILINE | re.DOTALL)
assert TENANT_FILE is not None
TENANTS_YAML = TENANT_FILE.group(1)

#: Each tenant of the file, as the Python API builds it.
ENGINES = {
    "us": em.load,
    "de": lambda: em.load(region="DE").with_params(minutes_per_transaction="4 min/transaction"),
    "gb": lambda: em.load(region="GB").with_params(hourly_labor_cost="38 GBP/hour"),
}

#: (endpoint, request) pairs answered by every tenant: the README's examples.
EXAMPLES: list[tuple[str, dict[str, Any]]] = [
    ("convert", {"quantity": "12000 transaction/month", "to": "fte"}),
    ("convert", {"quantity": "12000 transaction/month", "to": "labor_cost"}),
    ("convert", {"quantity": "1000 kWh", "to": "co2e", "of": "electricity_consumed"}),
    ("convert", {"quantity": [[1.0, 2.5, 1000.0], "kWh"], "to": "co2e", "compact": True}),
    ("feel-good", {"quantity": "12000 transaction/month"}),
    ("feel-good", {"quantity": "12400 kWh", "top": 4}),
    ("action", {"quantity": "420 kcal", "only": ["walking", "running"]}),
]

LOCALES = {"us": "en", "de": "de", "gb": "en"}


def _expected(tenant: str, command: str, request: dict[str, Any]) -> Any:
    engine = ENGINES[tenant]()
    options = {k: v for k, v in request.items() if k not in ("quantity", "to", "compact")}
    quantity = request["quantity"]
    if isinstance(quantity, list):
        quantity = tuple(quantity)
    if command == "convert":
        result = engine.convert(quantity, request["to"], **options)
        return json.loads(em_dumps(result.to_dict(compact=bool(request.get("compact")))))
    offer = engine.feel_good if command == "feel-good" else engine.action
    found = offer(quantity, locale=LOCALES[tenant], **options)
    return json.loads(em_dumps({"equivalents": found.to_dicts()}))


def em_dumps(data: Any) -> str:
    from equivmetrics._integrations.stream import dumps

    return dumps(data)


@pytest.fixture(scope="module")
def tenant_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tenants") / "tenants.yaml"
    path.write_text(TENANTS_YAML, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(tenant_file: Path) -> Iterator[Server]:
    with running(tenant_file, tenant_file.with_suffix(".log"), "--workers", "2") as live:
        yield live


# -- the README's examples, per tenant, as the Python API answers them ---------------------------


@pytest.mark.parametrize("tenant", sorted(ENGINES))
@pytest.mark.parametrize(("command", "request_"), EXAMPLES)
def test_tenants_answer_as_the_python_api(
    server: Server, tenant: str, command: str, request_: dict[str, Any]
) -> None:
    status, headers, body = server.post(f"/v1/{command}", request_, tenant)
    try:
        expected = _expected(tenant, command, request_)
    except em.EquivMetricsError as exc:  # refused alike: 422 with the same code and message
        refused = {"error": {**exc.to_dict(), "field": None}}
    else:
        refused = None
    if refused is not None:
        assert (status, body) == (422, refused)
        return
    assert status == 200, body
    assert headers["x-tenant"] == tenant
    assert body.pop("id") is None
    assert body == expected


def test_the_default_tenant_answers_without_a_header(server: Server) -> None:
    status, headers, body = server.post("/v1/convert", EXAMPLES[0][1])
    assert (status, headers["x-tenant"]) == (200, "us")
    assert round(body["magnitude"], 2) == 3.83


def test_tenants_differ_as_configured(server: Server) -> None:
    request = {"quantity": "12000 transaction/month", "to": "labor_cost", "id": 7}
    answers = {t: server.post("/v1/convert", request, t)[2] for t in ENGINES}
    assert {t: a["unit"] for t, a in answers.items()} == {
        "us": "USD/month",
        "de": "EUR/month",
        "gb": "GBP/month",
    }
    assert answers["gb"]["magnitude"] == pytest.approx(600 * 38)  # 3 min x 12,000 at GBP 38
    assert answers["de"]["id"] == 7


def test_explain_card_and_icon(server: Server) -> None:
    request = {"quantity": "420 kcal", "to": "walking"}
    status, _, body = server.post("/v1/explain", {**request, "locale": "fr"}, "us")
    assert status == 200
    assert body["text"] == em.explain(em.convert("420 kcal", "walking"), locale="fr")
    status, _, body = server.post("/v1/explain", request, "de")
    assert body["text"] == em.explain(ENGINES["de"]().convert("420 kcal", "walking"), locale="de")
    card = server.request("POST", "/v1/card", json.dumps({"quantity": "12400 kWh", "top": 4}))
    assert (card[0], card[1]["content-type"]) == (200, "text/html; charset=utf-8")
    assert card[2].decode() == em.render_html(em.feel_good("12400 kWh", top=4))
    action = {"quantity": "420 kcal", "role": "action", "title": "Burn it", "heading_level": 3}
    card = server.request("POST", "/v1/card", json.dumps(action), {"X-Tenant": "de"})
    found = ENGINES["de"]().action("420 kcal", locale="de")
    assert card[2].decode() == em.render_html(found, title="Burn it", heading_level=3)
    status, headers, raw = server.request("GET", "/v1/icons/seedling.svg")
    assert (status, headers["content-type"]) == (200, "image/svg+xml")
    assert raw.decode() == em.icon_svg("seedling")


def test_listings(server: Server) -> None:
    status, _, kinds = server.get("/v1/kinds", "de")
    assert (status, {k["name"] for k in kinds}) == (200, set(ENGINES["de"]().kinds))
    _, _, params = server.get("/v1/parameters", "de")
    assert params["minutes_per_transaction"]["value"] == 4
    _, _, params = server.get("/v1/parameters", "us")
    assert params["minutes_per_transaction"]["value"] == 3
    _, _, packs = server.get("/v1/packs", "gb")
    overridden = [
        p["parameters"]["hourly_labor_cost"]
        for p in packs
        if "hourly_labor_cost" in p["parameters"]
    ]
    assert overridden == [
        {"value": "38 GBP/hour", "low": None, "high": None, "source": None, "origin": "tenant"}
    ]
    _, _, regions = server.get("/v1/regions", "gb")
    assert regions["tenant_region"] == "GB"
    assert "GB" in {r["code"] for r in regions["regions"]}
    status, _, health = server.get("/healthz")  # (headers differ by their Date)
    assert (status, health) == (200, {"status": "ok"})
    status, _, ready = server.get("/readyz")
    assert (status, ready) == (200, {"status": "ready", "tenants": ["de", "gb", "us"]})


# -- many clients at once -------------------------------------------------------------------------


def test_fifty_concurrent_clients_get_their_own_tenants_answers(server: Server) -> None:
    request = {"quantity": "12000 transaction/month", "to": "labor_cost"}
    expected = {t: _expected(t, "convert", request) for t in ENGINES}
    jobs = [(sorted(ENGINES)[i % 3], i) for i in range(300)]

    def ask(job: tuple[str, int]) -> tuple[str, int, int, str, Any]:
        tenant, number = job
        status, headers, body = server.post("/v1/convert", {**request, "id": number}, tenant)
        return tenant, number, status, headers.get("x-tenant", ""), body

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(ask, jobs))
    for tenant, number, status, answered_by, body in answers:
        assert (status, answered_by, body.pop("id")) == (200, tenant, number)
        assert body == expected[tenant]


# -- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code", "field"),
    [
        ("POST", "/v1/convert", "{not json", 400, "bad_request", None),
        ("POST", "/v1/convert", "", 400, "bad_request", None),
        ("POST", "/v1/convert", "[1, 2]", 400, "bad_request", None),
        ("POST", "/v1/convert", b"\xff\xfe", 400, "bad_request", None),
        ("POST", "/v1/convert", '{"quantity": NaN, "to": "fte"}', 400, "bad_request", None),
        ("POST", "/v1/convert", '{"quantity": "1 kWh"}', 400, "bad_request", "to"),
        (
            "POST",
            "/v1/convert",
            '{"quantity": "1 kWh", "to": "co2e", "x": 1}',
            400,
            "bad_request",
            "x",
        ),
        ("POST", "/v1/feel-good", '{"quantity": 5}', 400, "bad_request", "quantity"),
        ("POST", "/v1/feel-good", '{"quantity": "1 kWh", "top": "2"}', 400, "bad_request", "top"),
        ("POST", "/v1/card", '{"quantity": "1 kWh", "role": "x"}', 400, "bad_request", "role"),
        (
            "POST",
            "/v1/explain",
            '{"quantity": "1 kWh", "to": "co2e", "locale": 5}',
            400,
            "bad_request",
            "locale",
        ),
        ("POST", "/v1/convert", '{"quantity": "3 kelvin", "to": "co2e"}', 422, "UnitError", None),
        (
            "POST",
            "/v1/convert",
            '{"quantity": "1 kWh", "to": "nope"}',
            422,
            "UnknownKindError",
            None,
        ),
        (
            "POST",
            "/v1/convert",
            '{"quantity": "-1 kWh", "to": "co2e"}',
            422,
            "NegativeValueError",
            None,
        ),
        (
            "POST",
            "/v1/convert",
            '{"quantity": "1 kWh", "to": "co2e", "params": {"nope": 1}}',
            422,
            "ParameterError",
            None,
        ),
        (
            "POST",
            "/v1/convert",
            '{"quantity": "1 kWh", "to": "co2e", "region": "ZZ"}',
            422,
            None,
            None,
        ),
        ("GET", "/v1/nope", None, 404, "not_found", None),
        ("GET", "/v1/icons/nope.svg", None, 404, "unknown_icon", "name"),
        ("GET", "/v1/convert", None, 405, "method_not_allowed", None),
    ],
)
def test_error_statuses(
    server: Server,
    method: str,
    path: str,
    body: Any,
    status: int,
    code: str | None,
    field: str | None,
) -> None:
    got, headers, raw = server.request(method, path, body)
    error = json.loads(raw)["error"]
    assert got == status, error
    assert headers["content-type"] == "application/json"
    assert set(error) == {"code", "message", "field"}
    assert code is None or error["code"] == code
    assert error["field"] == field


def test_unknown_tenant_is_404(server: Server) -> None:
    status, _, body = server.post("/v1/convert", {"quantity": "1 kWh", "to": "co2e"}, "fr")
    assert (status, body["error"]["code"], body["error"]["field"]) == (
        404,
        "unknown_tenant",
        "X-Tenant",
    )


def test_bounds(server: Server) -> None:
    big = b'{"quantity": "' + b"1" * (1 << 20) + b'"}'
    status, _, raw = server.request("POST", "/v1/convert", big)
    assert (status, json.loads(raw)["error"]["code"]) == (413, "too_large")
    many = {"quantity": [[1.0] * 10_001, "kWh"], "to": "co2e"}
    status, _, body = server.post("/v1/convert", many)
    assert (status, body["error"]["field"]) == (400, "quantity")
    long_text = {"quantity": "1 kWh", "to": "co2e", "of": "x" * 5000}
    assert server.post("/v1/convert", long_text)[0] == 400
    deep = "[" * 100_000 + "]" * 100_000
    assert server.request("POST", "/v1/convert", deep)[0] == 400


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    [
        "quantity",
        "to",
        "of",
        "per",
        "unit",
        "only",
        "top",
        "sig",
        "locale",
        "params",
        "region",
        "edition",
        "negative",
        "compact",
        "role",
        "title",
        "heading_level",
        "id",
    ]
)
WORDS = ["1 kWh", "co2e", "fte", "12 transaction"]
BODIES = (
    st.binary(max_size=200)
    | JSON.map(json.dumps)
    | st.dictionaries(FIELDS, JSON | st.sampled_from(WORDS), max_size=6).map(json.dumps)
)  # fmt: skip


@SETTINGS
@given(
    path=st.sampled_from(["/v1/convert", "/v1/feel-good", "/v1/action", "/v1/explain", "/v1/card"]),
    body=BODIES,
)
def test_bad_bodies_never_get_a_500(server: Server, path: str, body: bytes | str) -> None:
    status, _, raw = server.request("POST", path, body)
    assert status in (200, 400, 413, 422), raw[:500]
    if status != 200:
        assert set(json.loads(raw)["error"]) == {"code", "message", "field"}


# -- the OpenAPI document -------------------------------------------------------------------------


def test_openapi_covers_every_route(server: Server) -> None:
    from equivmetrics._integrations.server import create_app

    status, _, document = server.get("/openapi.json")
    assert status == 200
    assert document["openapi"].startswith("3.1")
    from starlette.routing import Route

    app_routes = create_app().routes
    assert all(isinstance(route, Route) for route in app_routes)
    routes = {
        (route.path, m.lower())
        for route in app_routes
        if isinstance(route, Route)
        for m in route.methods or ()
        if m != "HEAD"
    }
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert routes == documented
    for path, item in document["paths"].items():
        for method in item:
            url = path.replace("{name}", "seedling")
            status = server.request(method.upper(), url, "{}" if method == "post" else None)[0]
            assert status not in {404, 405}, path


# -- reloading the tenant file --------------------------------------------------------------------


def test_the_tenant_file_is_reloaded_and_a_bad_one_keeps_the_old(tmp_path: Path) -> None:
    path = tmp_path / "tenants.yaml"
    path.write_text(TENANTS_YAML, encoding="utf-8")
    request = {"quantity": "12000 transaction/month", "to": "manual_work"}
    with running(path, tmp_path / "log") as live:
        assert live.post("/v1/convert", request, "de")[2]["magnitude"] == 800
        path.write_text(
            TENANTS_YAML.replace("4 min/transaction", "5 min/transaction")
            + "  fr:\n    region: FR\n",
            encoding="utf-8",
        )
        _eventually(lambda: live.post("/v1/convert", request, "de")[2].get("magnitude") == 1000)
        assert live.post("/v1/convert", request, "fr")[0] == 200
        path.write_text(TENANTS_YAML.replace("4 min/transaction", "4 parsec"), encoding="utf-8")
        _eventually(lambda: live.get("/readyz") and "not reloaded" in live.log.read_text())
        assert live.post("/v1/convert", request, "de")[2]["magnitude"] == 1000
        assert live.post("/v1/convert", request, "fr")[0] == 200
        path.write_text("tenants: [", encoding="utf-8")
        _eventually(lambda: live.get("/readyz") and live.log.read_text().count("not reloaded") >= 2)
        assert live.get("/readyz")[2]["tenants"] == ["de", "fr", "gb", "us"]


def _eventually(check: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_a_bad_tenant_file_stops_serve(tmp_path: Path) -> None:
    path = tmp_path / "tenants.yaml"
    path.write_text(
        "tenants:\n  de:\n    currency: EUR\n    params: {hourly_labor_cost: 5 USD/hour}\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "equivmetrics", "serve", "--tenants", str(path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "params.hourly_labor_cost is in USD, the tenant's currency is EUR" in done.stderr


# -- docs/service.md runs against the real server ------------------------------------------------


def test_the_console_examples_of_the_service_page(server: Server) -> None:
    block = re.search(r"^```console\n(.*?)^```", SERVICE_MD, re.MULTILINE | re.DOTALL)
    assert block is not None
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]}
    for chunk in re.split(r"^\$ ", block.group(1), flags=re.MULTILINE)[1:]:
        command, _, expected = chunk.partition("\n")
        command = command.replace("localhost:8000", f"127.0.0.1:{server.port}")
        done = subprocess.run(
            command, shell=True, env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert done.stdout.rstrip("\n").splitlines() == expected.rstrip("\n").splitlines(), command


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_fetch_example_runs_with_node(server: Server, tmp_path: Path) -> None:
    block = re.search(r"^```js\n(.*?)^```", SERVICE_MD, re.MULTILINE | re.DOTALL)
    assert block is not None
    script = block.group(1).replace("localhost:8000", f"127.0.0.1:{server.port}")
    expected = re.findall(r"^// (.*)$", script, re.MULTILINE)
    path = tmp_path / "example.mjs"
    path.write_text(script, encoding="utf-8")
    done = subprocess.run(
        ["node", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.splitlines() == expected, done.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tenants: [", "not valid YAML"),
        ("- 1\n", "expected a mapping with 'tenants:'"),
        ("tenants: {}\n", "declare 1 to 1000 tenants"),
        ("tenants: {a: {}}\nextra: 1\n", "unknown field 'extra'"),
        ("tenants: {a: {}}\ndefault: b\n", "default 'b' is not a tenant"),
        ("tenants: {'a b': {}}\n", "tenant id 'a b' must be"),
        ("tenants: {a: {colour: red}}\n", "tenant a: unknown field 'colour'"),
        ("tenants: {a: {region: 5}}\n", "tenant a: region must be text"),
        ("tenants: {a: {params: [1]}}\n", "tenant a: params must map"),
        ("tenants: {a: {currency: euro}}\n", "currency 'euro' is no ISO 4217 code"),
        ("tenants: {a: {region: XX}}\n", "tenant a: no loaded pack has figures for region 'XX'"),
        ("tenants: {a: {params: {nope: 1}}}\n", "tenant a: unknown parameter 'nope'"),
    ],
)
def test_tenant_file_problems_are_named(tmp_path: Path, text: str, message: str) -> None:
    from equivmetrics._integrations.server_tenants import TenantFileError, read_tenants

    path = tmp_path / "tenants.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TenantFileError, match=re.escape(message)):
        read_tenants(path)


def test_serve_without_the_server_extra_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from equivmetrics._integrations.cli import main

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if not installed
    with pytest.raises(SystemExit) as exit_:
        main(["serve"])
    assert exit_.value.code == 2
    assert "pip install 'equivmetrics[server]'" in capsys.readouterr().err


def test_the_openapi_bodies_name_their_fields() -> None:
    from equivmetrics._integrations.server_openapi import openapi
    from equivmetrics._integrations.stream import COMMANDS

    paths = openapi()["paths"]
    convert = paths["/v1/convert"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(convert["properties"]) == COMMANDS["convert"] | {"compact"}
    assert convert["required"] == ["quantity", "to"]
    assert "requestBody" not in paths["/v1/kinds"]["get"]


def test_the_openapi_request_bodies_type_every_field() -> None:
    from equivmetrics._integrations.server_openapi import openapi

    document = openapi()
    for path, item in document["paths"].items():
        for operation in item.values():
            body = operation.get("requestBody")
            if body is None:
                continue
            schema = body["content"]["application/json"]["schema"]
            untyped = [name for name, field in schema["properties"].items() if not field]
            assert untyped == [], (path, untyped)
    convert = document["paths"]["/v1/convert"]["post"]["requestBody"]
    fields = convert["content"]["application/json"]["schema"]["properties"]
    assert fields["negative"]["enum"] == ["allow", "nan", "refuse", None]
    assert fields["to"] == {"type": "string", "description": "the target kind"}
