"""Errors whose advice works: each error below names what to do, and doing it succeeds.

Each test asserts the suggestion the error makes, then follows it and checks the answer by hand
arithmetic from the bundled packs' cited figures.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import equivmetrics as em
from equivmetrics._integrations.stream import Bridge

#: EPA waste: 2,000 lb in a short ton x 0.45359237 kg/lb = 907.18474 kg.
SHORT_TON_KG = 2000 * 0.45359237
#: AVERT 2019: 1,562.4 lb CO2 per MWh avoided, in t per kWh.
T_CO2_PER_KWH = 1562.4 * 0.45359237 / 1000 / 1000


def _suggested_of(message: str) -> str:
    found = re.search(r"e\.g\. of='([a-z_0-9]+)'", message)
    assert found is not None, message
    return found.group(1)


# -- an ambiguous unit: only what would succeed, the likeliest first ---------------------------


def test_a_ton_suggests_a_kind_that_accepts_tons() -> None:
    # co2e could be measured in mass, but refuses 'ton' (the US short ton): never suggested
    with pytest.raises(em.AmbiguousKindError) as info:
        em.convert("2 ton", "co2e")
    message = str(info.value)
    suggested = _suggested_of(message)
    assert suggested != "co2e"
    assert "could be any of waste_recycled, coal;" in message
    # the kind that refuses says what to write instead
    assert "co2e does not accept 'ton'" in message
    assert "Write 't'" in message
    # following either suggestion succeeds
    assert em.convert("2 ton", "co2e", of=suggested).magnitude > 0
    assert em.convert("2 t", "co2e").magnitude == pytest.approx(2.0)


def test_a_ton_of_waste_is_converted_as_the_suggestion_says() -> None:
    # waste_recycled is shown in short tons: 2 ton reads as 2 short tons of it
    got = em.convert("2 ton", "waste_recycled", of="waste_recycled", unit="kg")
    assert got.magnitude == pytest.approx(2 * SHORT_TON_KG)


def test_hours_a_day_suggest_manual_work_first() -> None:
    # 'hour/day' is dimensionless: every count fits it as a plain number, and every time kind
    # as a rate. Most likely it is a kind measured in hours, as a rate.
    with pytest.raises(em.AmbiguousKindError) as info:
        em.feel_good("8 hour/day")
    message = str(info.value)
    assert _suggested_of(message) == "manual_work"
    listed = message.split("could be any of ", 1)[1].split(";", 1)[0]
    names = [name.strip() for name in listed.split(" and ")[0].split(",")]
    # kinds measured in hours first, then other time kinds; counts (coal_railcar) not shown
    assert names[:3] == ["manual_work", "recaptured_work", "rework"]
    assert "coal_railcar" not in names
    assert re.search(r"and \d+ more", listed)
    # the whole list stays on the error, for programs
    assert "coal_railcar" in info.value.candidates
    # following it: 8 hours a day of manual work is 8 h x 1/1,878.5 FTE-years per hour worked
    # x 365.25 days a year = 1.5555 FTE (bundled productivity pack, hours worked a year)
    goods = em.feel_good("8 hour/day", of="manual_work")
    fte = next(e for e in goods if e.kind == "fte")
    paid, leave, wages = 2080, 3.44, 32.07
    assert fte.magnitude == pytest.approx(8 * 365.25 / (paid / (1 + leave / wages)), rel=1e-6)


def test_a_target_puts_the_kinds_that_reach_it_first() -> None:
    # labor_cost is reached from manual work, not from walking: manual_work is suggested
    with pytest.raises(em.AmbiguousKindError) as info:
        em.convert("10 hour", "labor_cost")
    suggested = _suggested_of(str(info.value))
    assert suggested == "manual_work"
    assert em.convert("10 hour", "labor_cost", of=suggested).unit == "USD"


def test_the_command_line_says_of_as_an_option(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "equivmetrics", "convert", "2 ton", "co2e"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1
    assert "--of waste_recycled" in done.stderr
    assert "say which with --of," in done.stderr
    assert "of='" not in done.stderr
    command = ["convert", "2 ton", "co2e", "--of", "waste_recycled"]
    again = subprocess.run(
        [sys.executable, "-m", "equivmetrics", *command],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr


def test_python_says_of_as_a_keyword() -> None:
    with pytest.raises(em.AmbiguousKindError) as info:
        em.convert("2 ton", "co2e")
    assert "of='waste_recycled'" in str(info.value)
    assert "--of" not in str(info.value)


# -- common forms pint cannot read ------------------------------------------------------------


def test_a_thousands_k_is_recognised() -> None:
    with pytest.raises(em.UnitError) as info:
        em.convert("12k kWh", "co2e")
    message = str(info.value)
    assert "Boltzmann" not in message
    assert "[temperature]" not in message
    assert "'k' after a number is not read as a multiplier" in message
    assert "write '12000 kWh'" in message
    assert em.convert("12000 kWh", "co2e").magnitude == pytest.approx(12000 * T_CO2_PER_KWH)


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("1.5M transaction/month", "1500000 transaction/month"),
        ("3 million transaction", "3000000 transaction"),
        ("2.5 thousand kWh", "2500 kWh"),
    ],
)
def test_scaled_numbers_are_written_in_full(written: str, suggested: str) -> None:
    with pytest.raises(em.UnitError, match=re.escape(f"write {suggested!r}")):
        em.convert(written, "co2e" if "kWh" in written else "manual_work")
    em.convert(suggested, "co2e" if "kWh" in suggested else "manual_work")


def test_a_dollar_sign_in_a_parameter_is_recognised() -> None:
    with pytest.raises(em.ParameterValueError) as info:
        em.load().with_params(hourly_labor_cost="$55/hour")
    message = str(info.value)
    assert "hourly_labor_cost" in message
    assert "ISO 4217 code after the number" in message
    assert "write '55 USD/hour'" in message
    tenant = em.load().with_params(hourly_labor_cost="55 USD/hour")
    # 10 hours of manual work x $55 an hour = $550
    assert tenant.convert("10 hour", "labor_cost", of="manual_work").magnitude == pytest.approx(550)


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("$27,000", "27000 USD"),
        ("€450/month", "450 EUR/month"),
        ("450 €/month", "450 EUR/month"),  # the sign after the number, as German writes it
        ("450€/month", "450 EUR/month"),
        ("45,50 €/hour", "45.5 EUR/hour"),  # and its decimal comma
    ],
)
def test_a_currency_sign_in_an_input_is_recognised(written: str, suggested: str) -> None:
    with pytest.raises(em.UnitError, match=re.escape(f"write {suggested!r}")):
        em.convert(written, "labor_cost")
    assert em.convert(suggested, "labor_cost").magnitude > 0


@pytest.mark.parametrize(
    ("written", "suggested"),
    [("2,5 min", "2.5 min"), ("-0,25 min", "-0.25 min"), ("1,2345 min", "1.2345 min")],
)
def test_a_decimal_comma_is_said_how_to_write_in_an_input_and_a_parameter(
    written: str, suggested: str
) -> None:
    """12,000 is a thousands group; 2,5 can only be a decimal comma: say to write 2.5."""
    why = re.escape(f"cannot read {written!r}: a decimal is written with '.'; write {suggested!r}")
    with pytest.raises(em.UnitError, match=why):
        em.convert(written, "manual_work")
    with pytest.raises(em.ParameterValueError, match=f"parameter 'minutes_per_transaction': {why}"):
        em.load().with_params(minutes_per_transaction=written)
    assert em.convert("12,000 transaction", "manual_work").magnitude == 600  # x 3 min


def test_a_word_starting_like_a_prefix_is_not_suggested_with_it() -> None:
    """ "Transaktionen" is not "T" (tera) on a misspelt "transaction"."""
    with pytest.raises(em.UnitError) as info:
        em.convert("12000 Transaktionen/Monat", "manual_work")
    assert "did you mean 'transaction'?" in str(info.value)
    assert "Ttransaction" not in str(info.value)
    with pytest.raises(em.UnitError, match="did you mean 'kWh'"):
        em.convert("5 kWhh", "co2e")  # a prefix on a misspelt unit is still found


# -- pack problems: a "did you mean", no cascade ------------------------------------------------

_PACK = """\
equivmetrics: 1
name: widgets
edition: "1"
license: none
sources: {{me: {{title: Me}}}}
kinds:
  widget: {{unit: {unit}}}
parameters:
  minutes_per_widget: {{value: 3 min/count, source: me}}
  padded: {{value: {derived} * 2, source: me}}
rules:
  - {{from: widget, to: manual_work, factor: padded}}
examples:
  - {{given: 10 count, of: widget, to: manual_work, expect: 60 min}}
"""


def _pack(tmp_path: Path, *, unit: str = "count", derived: str = "minutes_per_widget") -> Path:
    path = tmp_path / "widgets.yaml"
    path.write_text(_PACK.format(unit=unit, derived=derived), encoding="utf-8")
    return path


def test_a_misspelt_parameter_in_a_derived_value_gets_did_you_mean(tmp_path: Path) -> None:
    report = em.validate(_pack(tmp_path, derived="minutes_per_widgt"))
    assert len(report.problems) == 1, report.problems
    (problem,) = report.problems
    assert problem.field == "parameters.padded"
    assert "unknown unit or parameter 'minutes_per_widgt'" in problem.message
    assert problem.hint == "did you mean 'minutes_per_widget'?"
    # no cascade: the rule using 'padded' is not also called unknown
    fixed = em.validate(_pack(tmp_path))
    assert fixed.ok, fixed.problems
    assert fixed.examples_passed == fixed.examples_run


def test_a_misspelt_parameter_in_a_factor_gets_did_you_mean(tmp_path: Path) -> None:
    path = _pack(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("factor: padded", "factor: paded"),
        encoding="utf-8",
    )
    (problem,) = em.validate(path).problems
    assert problem.field == "rules.widget_to_manual_work.factor"
    assert "did you mean 'padded'?" in problem.hint


def test_a_kind_with_an_unknown_unit_is_not_also_an_unknown_kind(tmp_path: Path) -> None:
    report = em.validate(_pack(tmp_path, unit="widgetz"))
    messages = [f"{p.field}: {p.message}" for p in report.problems]
    assert messages == ["kinds.widget.unit: unknown unit 'widgetz' in 'widgetz'"]
    assert em.validate(_pack(tmp_path, unit="count")).ok


# -- a negative amount names the kind the caller gave -----------------------------------------


def test_a_negative_amount_names_its_own_kind() -> None:
    with pytest.raises(em.NoEquivalentError) as info:
        em.feel_good("-5 t")
    message = str(info.value)
    assert message.startswith("-5 t of co2e has no feel_good equivalents")
    assert "give its size ('5 t')" in message
    assert "electricity_avoided' refuses" not in message
    goods = em.feel_good("5 t")
    # 5 t / AVERT's 1,562.4 lb per MWh avoided = 7,055.6 kWh
    electricity = next(e for e in goods if e.kind == "electricity_avoided")
    assert electricity.magnitude == pytest.approx(5 / T_CO2_PER_KWH)


def test_a_negative_conversion_names_the_input_kind_and_the_refusing_one() -> None:
    with pytest.raises(em.NegativeValueError) as info:
        em.convert("-2 t", "tree_seedling")
    message = str(info.value)
    assert message.startswith("-2 t of co2e is negative and, on the way to the result, kind ")
    assert "kind 'tree_seedling' refuses" in message
    assert em.convert("-2 t", "tree_seedling", negative="allow").magnitude < 0


def test_a_negative_of_a_refusing_kind_is_still_its_own_error() -> None:
    with pytest.raises(em.NegativeValueError, match="-5 kWh is negative and kind 'electricity"):
        em.feel_good("-5 kWh")


# -- arrays with the minimal install -----------------------------------------------------------


def test_arrays_without_numpy_say_to_install_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)  # import numpy now fails
    with pytest.raises(em.EquivMetricsError) as info:
        em.convert(([1000, 2000], "kWh"), "co2e")
    assert isinstance(info.value, em.InputTypeError)
    assert "pip install 'equivmetrics[numpy]'" in str(info.value)
    # the other way it names: one number at a time
    assert em.convert((1000, "kWh"), "co2e").magnitude == pytest.approx(1000 * T_CO2_PER_KWH)


def test_the_json_stream_says_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)
    out = io.StringIO()
    request = {"id": 1, "quantity": [[1000, 2000], "kWh"], "to": "co2e"}
    Bridge(em.load(), "convert").serve(io.BytesIO(json.dumps(request).encode() + b"\n"), out)
    error = json.loads(out.getvalue())["error"]
    assert error["code"] != "internal_error"
    assert error["code"] == "InputError"
    assert "pip install 'equivmetrics[numpy]'" in error["message"]
