"""The JSON-lines bridge: one response line per request line, in order, errors included."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from equivmetrics._integrations import stream as _stream
from equivmetrics._integrations.cli import main
from equivmetrics._integrations.stream import Bridge, dumps
from strategies import SETTINGS

#: lb -> t: 0.45359237 kg per lb (exact), 1,000 kg per t; AVERT 2019 1,562.4 lb CO2/MWh.
T_CO2_PER_KWH = 1562.4 * 0.45359237 / 1000 / 1000


def _strict(line: str) -> Any:
    """Parse one line as strict JSON (NaN and Infinity are not JSON)."""

    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in output: {line}")

    return json.loads(line, parse_constant=refuse)


def serve(command: str, *lines: str | bytes, bridge: Bridge | None = None) -> list[Any]:
    raw = b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines)
    out = io.StringIO()
    (bridge or Bridge(em.load(), command)).serve(io.BytesIO(raw), out)
    text = out.getvalue()
    assert text.endswith("\n") or not text
    return [_strict(line) for line in text.splitlines()]


def test_convert_request_mirrors_engine_convert() -> None:
    [response] = serve(
        "convert",
        json.dumps(
            {
                "id": "r1",
                "quantity": "420 kcal",
                "to": "walking",
                "of": None,
                "unit": None,
                "per": None,
                "params": {"body_mass": "80 kg"},
            }
        ),
    )
    assert response["id"] == "r1"
    assert response["schema"] == "equivmetrics.result/1"
    # PACE: brisk walking 4.8 MET x 80 kg = 384 kcal/h; 420 / 384 h = 65.625 min
    assert response["magnitude"] == pytest.approx(420 / (4.8 * 80) * 60, rel=1e-12)
    assert response["unit"] == "minute"
    expected = em.load().with_params(body_mass="80 kg").convert("420 kcal", "walking")
    assert response == {"id": "r1", **expected.to_dict()}


def test_responses_in_order_blank_lines_skipped() -> None:
    responses = serve(
        "convert",
        '{"id": 1, "quantity": "12000 transaction/month", "to": "manual_work"}',
        "",
        "   ",
        '{"id": 2, "quantity": "420 kcal", "to": "walking"}',
        '{"id": 3, "quantity": [12000, "transaction/month"], "to": "manual_work", '
        '"unit": "min/day"}',
    )
    assert [r["id"] for r in responses] == [1, 2, 3]
    # 12,000 transactions x 3 min = 600 hours a month (productivity pack)
    assert responses[0]["magnitude"] == pytest.approx(600.0, rel=1e-12)
    assert responses[0]["unit"] == "hour/month"
    # 420 kcal / (4.8 MET x 70 kg x 1 kcal/kg/h) = 1.25 h = 75 min (PACE)
    assert responses[1]["magnitude"] == pytest.approx(75.0, rel=1e-12)
    # 600 hour/month = 36,000 min over 30.4375 days (a month is a twelfth of 365.25 days)
    assert responses[2]["magnitude"] == pytest.approx(36_000 / 30.4375, rel=1e-12)


def test_compact_responses() -> None:
    full, compact = serve(
        "convert",
        '{"id": 1, "quantity": "420 kcal", "to": "walking"}',
        '{"id": 2, "quantity": "420 kcal", "to": "walking", "compact": true}',
    )
    assert full["schema"] == "equivmetrics.result/1"
    assert "steps" in full
    # 420 kcal / (4.8 MET x 70 kg x 1 kcal/kg/h) = 1.25 h = 75 min (PACE)
    assert compact["schema"] == "equivmetrics.result.compact/1"
    assert compact["magnitude"] == pytest.approx(75.0, rel=1e-12)
    assert "steps" not in compact
    bridge = Bridge(em.load(), "feel-good", compact=True)
    default, asked = serve(
        "feel-good",
        '{"id": 1, "quantity": "12400 kWh", "top": 1}',
        '{"id": 2, "quantity": "12400 kWh", "top": 1, "compact": false}',
        bridge=bridge,
    )
    assert default["equivalents"][0]["schema"] == "equivmetrics.equivalent.compact/1"
    assert asked["equivalents"][0]["schema"] == "equivmetrics.equivalent/1"


def test_array_quantity_gives_arrays() -> None:
    [response] = serve("convert", '{"quantity": [[100, 0, 2.5], "kWh"], "to": "co2e"}')
    assert response["id"] is None
    assert response["magnitude"] == pytest.approx(
        [100 * T_CO2_PER_KWH, 0.0, 2.5 * T_CO2_PER_KWH], rel=1e-12
    )


GOOD = '{"id": "ok", "quantity": "1 kWh", "to": "co2e"}'


@pytest.mark.parametrize(
    ("line", "field", "needle"),
    [
        ("{not json", None, "not valid JSON"),
        ("[1, 2]", None, "must be a JSON object, not an array"),
        ('"text"', None, "must be a JSON object, not a string"),
        ('{"quantity": "1 kWh", "to": "co2e", "bogus": 1}', "bogus", "unknown field 'bogus'"),
        ('{"to": "co2e"}', "quantity", "field 'quantity' is required"),
        ('{"quantity": "1 kWh"}', "to", "field 'to' must name the target kind"),
        ('{"quantity": "1 kWh", "to": 5}', "to", "field 'to'"),
        ('{"quantity": 12, "to": "co2e"}', "quantity", "not a number"),
        ('{"quantity": [12, 3], "to": "co2e"}', "quantity", '[magnitude, \\"unit\\"]'),
        ('{"quantity": [true, "kWh"], "to": "co2e"}', "quantity", "field 'quantity'"),
        ('{"quantity": [1e999, "kWh"], "to": "co2e"}', None, "1e999 is too large"),
        ('{"quantity": [1' + "0" * 400 + ', "kWh"], "to": "co2e"}', "quantity", "too large"),
        ('{"quantity": "1 kWh", "to": "co2e", "of": 3}', "of", "field 'of' must be a string"),
        ('{"quantity": "1 kWh", "to": "co2e", "per": []}', "per", "not an array"),
        ('{"quantity": "1 kWh", "to": "co2e", "params": []}', "params", "field 'params'"),
        (
            '{"quantity": "1 kWh", "to": "co2e", "params": {"body_mass": true}}',
            "params.body_mass",
            "params.body_mass must be text",
        ),
        ('{"quantity": "1 kWh", "to": "co2e", "of": NaN}', None, "NaN is not JSON"),
        ('{"quantity": "1 kWh", "to": "co2e", "of": -Infinity}', None, "-Infinity is not JSON"),
        ("[" * 100_000, None, "not valid JSON"),
        ('{"quantity": "1 kWh", "to": "co2e", "compact": 1}', "compact", "true, false or null"),
    ],
)
def test_bad_requests_get_an_error_line_and_the_stream_goes_on(
    line: str, field: str | None, needle: str
) -> None:
    bad, good = serve("convert", line, GOOD)
    assert set(bad) == {"id", "error"}
    assert bad["error"]["code"] == "bad_request"
    assert bad["error"]["field"] == field
    assert needle.replace("\\", "") in bad["error"]["message"]
    assert good["id"] == "ok"
    assert good["magnitude"] == pytest.approx(T_CO2_PER_KWH, rel=1e-12)


def test_invalid_utf8_and_overlong_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_stream, "MAX_LINE_BYTES", 64)
    long = '{"id": "long", "quantity": "1 kWh", "to": "co2e", "of": "' + "x" * 200 + '"}'
    responses = serve("convert", b"{\xff}", long, GOOD)
    assert [r["id"] for r in responses] == [None, None, "ok"]
    assert "not UTF-8" in responses[0]["error"]["message"]
    assert "longer than 64 bytes" in responses[1]["error"]["message"]


@pytest.mark.parametrize(
    ("request_", "code", "needle"),
    [
        ({"quantity": "1 kWhh", "to": "co2e"}, "UnitError", "kWhh"),
        ({"quantity": "1 kWh", "to": "co2"}, "UnknownKindError", "'co2'"),
        ({"quantity": "600 hour", "to": "fte", "of": "manual_work"}, "PeriodError", "period"),
        ({"quantity": "1 GJ", "to": "co2e"}, "AmbiguousKindError", "of='food_energy'"),
        ({"quantity": "1 t", "to": "gasoline", "unit": "bbl"}, "UnitError", "31.5-gallon"),
        ({"quantity": "1 kWh", "to": "co2e", "params": {"nope": "1"}}, "ParameterError", "nope"),
        ({"quantity": "-1 kWh", "to": "co2e"}, "NegativeValueError", "negative"),
    ],
)
def test_library_errors_carry_their_class_name(
    request_: dict[str, Any], code: str, needle: str
) -> None:
    bad, good = serve("convert", json.dumps({"id": 7, **request_}), GOOD)
    assert bad["id"] == 7
    assert bad["error"]["code"] == code
    assert needle in bad["error"]["message"]
    assert bad["error"]["field"] is None
    assert good["id"] == "ok"


def test_negative_field_overrides_the_policy() -> None:
    allowed, bad = serve(
        "convert",
        '{"quantity": "-2 kWh", "to": "co2e", "negative": "allow"}',
        '{"quantity": "-2 kWh", "to": "co2e", "negative": "sometimes"}',
    )
    assert allowed["magnitude"] == pytest.approx(-2 * T_CO2_PER_KWH, rel=1e-12)
    assert bad["error"]["code"] == "InputError"
    assert "negative='sometimes'" in bad["error"]["message"]


def test_non_finite_results_are_null() -> None:
    # 1e400 overflows to infinity when read; JSON has no infinity, so it is null
    [response] = serve("convert", '{"quantity": "1e400 kWh", "to": "co2e"}')
    assert response["magnitude"] is None
    assert response["input"]["magnitude"] is None
    assert dumps({"a": [float("nan"), {"b": float("-inf")}], "c": 1.5}) == (
        '{"a": [null, {"b": null}], "c": 1.5}'
    )


def test_tenants_are_cached_bounded_and_isolated() -> None:
    bridge = Bridge(em.load(), "convert", max_tenants=2)
    masses = ["80 kg", "140 kg", "80 kg", "60 kg", "140 kg"]
    lines = [
        json.dumps({"id": m, "quantity": "420 kcal", "to": "walking", "params": {"body_mass": m}})
        for m in masses
    ]
    responses = serve("convert", *lines, bridge=bridge)
    for mass, response in zip(masses, responses, strict=True):
        kg = float(mass.split()[0])
        assert response["magnitude"] == pytest.approx(420 / (4.8 * kg) * 60, rel=1e-12)
    assert len(bridge._tenants) == 2
    first = bridge._tenant({"body_mass": "140 kg"})
    assert bridge._tenant({"body_mass": "140 kg"}) is first


def test_equivalents_requests() -> None:
    walking, running, polish, bad = serve(
        "action",
        '{"id": 1, "quantity": "420 kcal", "only": ["walking"]}',
        '{"id": 2, "quantity": "420 kcal", "only": ["running"], "params": {"body_mass": "140 kg"}}',
        '{"id": 3, "quantity": "12400 kWh", "only": ["co2e"], "locale": "pl", "sig": 2}',
        '{"id": 4, "quantity": "420 kcal", "top": "2"}',
    )
    assert walking["equivalents"][0]["text"] == (
        "1 h 15 min of brisk walking to burn it off (range 48–110 min)"
    )
    # 420 / (8.5 MET x 140 kg) h = 21.18 min
    assert running["equivalents"][0]["magnitude"] == pytest.approx(420 / (8.5 * 140) * 60)
    assert running["equivalents"][0]["text"] == "21.2 minutes of running to burn it off"
    # 12,400 x 7.087e-4 = 8.79 t, two figures in Polish: "8,8"
    assert polish["equivalents"][0]["value_text"] == "8,8"
    assert polish["equivalents"][0]["locale"] == "pl"
    assert bad["error"] == {
        "code": "bad_request",
        "message": "field 'top' must be a whole number or null, not a string",
        "field": "top",
    }
    [feel] = serve("feel-good", '{"quantity": "12400 kWh", "top": 1}')
    assert [e["kind"] for e in feel["equivalents"]] == ["co2e"]
    [unknown] = serve("feel-good", '{"quantity": "12400 kWh", "to": "co2e"}')
    assert unknown["error"]["field"] == "to"
    # issue 13: never an empty list of equivalents; the error names the role that has some
    [none, empty] = serve(
        "feel-good", '{"quantity": "420 kcal"}', '{"quantity": "12400 kWh", "only": []}'
    )
    assert none["error"]["code"] == "NoEquivalentError"
    assert "it has action equivalents" in none["error"]["message"]
    assert empty["error"]["code"] == "InputError"
    assert "only= names no kind" in empty["error"]["message"]


def test_exit_status_says_whether_a_request_failed() -> None:
    out = io.StringIO()
    engine = em.load()
    assert Bridge(engine, "convert").serve(io.BytesIO(GOOD.encode() + b"\n"), out) == 0
    assert Bridge(engine, "convert").serve(io.BytesIO(b"{}\n" + GOOD.encode()), out) == 1
    with pytest.raises(em.InputError, match="no JSON stream for 'explain'"):
        Bridge(engine, "explain")


def test_main_streams_from_stdin(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b'{"id": 9, "quantity": "1 kWh", "to": "co2e"}\n'))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["convert", "--json", "-", "--param", "avoided_co2_rate=2000 lb/MWh"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    # a --param applies to every request: 2,000 lb/MWh = 2000 x 0.45359237 kg / 1,000 kWh
    assert _strict(line)["magnitude"] == pytest.approx(2000 * 0.45359237 / 1e6, rel=1e-12)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["convert", "-", "co2e"], "'-' reads JSON requests from stdin"),
        (["convert", "--json", "-", "co2e"], "drop 'co2e'"),
        (["explain", "--json", "-"], "'-' reads JSON requests from stdin"),
        (["action", "-"], "use it with --json"),
    ],
)
def test_stream_usage_errors(args: list[str], needle: str, capsys: Any) -> None:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    assert needle in capsys.readouterr().err


def test_a_process_kept_open_answers_each_line_at_once() -> None:
    """The way another program uses it: write a line, read its answer, write the next."""
    with subprocess.Popen(
        [sys.executable, "-m", "equivmetrics", "convert", "--json", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdin is not None
        assert process.stdout is not None
        try:
            for number in range(3):
                request = {"id": number, "quantity": f"{number} transaction", "to": "manual_work"}
                process.stdin.write(json.dumps(request) + "\n")
                process.stdin.flush()
                response = _strict(process.stdout.readline())
                assert response["id"] == number
                assert response["magnitude"] == pytest.approx(number * 3 / 60)  # 3 min each
            process.stdin.write("oops\n")
            process.stdin.flush()
            assert _strict(process.stdout.readline())["error"]["code"] == "bad_request"
        finally:
            process.stdin.close()
        assert process.wait(timeout=60) == 1
        assert process.stderr is not None
        assert process.stderr.read() == ""


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["1 kWh", "420 kcal", "co2e", "walking", "kg", "month", "80 kg"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
field_names = st.sampled_from(
    ["id", "quantity", "to", "of", "unit", "per", "params", "only", "top", "sig", "locale", "x"]
)
requests = st.dictionaries(field_names, json_values, max_size=6)
SHARED = em.load()


@SETTINGS
@given(
    command=st.sampled_from(["convert", "feel-good", "action"]),
    items=st.lists(requests | json_values | st.binary(max_size=20), min_size=1, max_size=4),
)
def test_any_line_gets_exactly_one_valid_json_answer(command: str, items: list[Any]) -> None:
    """Fuzz: whatever arrives, each non-blank line gets one strict-JSON line; never a crash."""
    lines = []
    for item in items:
        raw = item if isinstance(item, bytes) else json.dumps(item).encode()
        lines.append(raw.replace(b"\n", b" ").replace(b"\r", b" "))
    responses = serve(command, *lines, GOOD if command == "convert" else '{"quantity": "1 kWh"}')
    # blank means JSON white space only (RFC 8259); bytes.strip() would also drop \x0b, \x0c...
    expected = [line for line in lines if line.strip(b" \t\r\n")]
    assert len(responses) == len(expected) + 1
    for response in responses:
        assert "error" in response or "schema" in response or "equivalents" in response
        if "error" in response:
            assert response["error"]["code"] != "internal_error", response
    assert "error" not in responses[-1]


def test_only_json_white_space_makes_a_blank_line() -> None:
    # Found by the one-answer-per-line property: Python's str.strip() takes U+001C (a file
    # separator) and U+000C (form feed) for white space, JSON does not (RFC 8259: space, tab,
    # CR, LF). Such a line is a bad request with an answer, never silently skipped.
    answers = serve("convert", b"\x1c\n", b"\x0c\n", b"\x0b\n", b" \t\r\n")
    assert [a["error"]["code"] for a in answers] == ["bad_request"] * 3


def test_a_request_may_name_its_region_and_edition() -> None:
    # issue 13: a tenant's place travels with its request, like its params
    old, bad_region, bad_edition, unknown = serve(
        "convert",
        '{"id": 1, "quantity": "1 MWh", "to": "co2e", "region": "us", "edition": "2023"}',
        '{"id": 2, "quantity": "1 MWh", "to": "co2e", "region": 5}',
        '{"id": 3, "quantity": "1 MWh", "to": "co2e", "edition": {"x": 1}}',
        '{"id": 4, "quantity": "1 MWh", "to": "co2e", "region": "US-NOWHERE"}',
    )
    # 1 MWh x 1,562.4 lb/MWh x 0.45359237 kg/lb = 708.69 kg (EPA's AVERT 2019 rate)
    assert old["magnitude"] == pytest.approx(1.5624 * 0.45359237 / 1000 * 1000, rel=1e-9)
    assert old["region"] == "US"
    assert old["editions"] == ["AVERT2019-eGRID2019"]
    assert bad_region["error"]["field"] == "region"
    assert "region code" in bad_region["error"]["message"]
    assert bad_edition["error"]["field"] == "edition"
    assert "no loaded pack has figures for region 'US-NOWHERE'" in unknown["error"]["message"]
