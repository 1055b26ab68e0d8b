"""The library's own pint registry, domain units and unit parsing."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from equivmetrics._core import unit_defs as _defs
from equivmetrics._core import unit_text as _text
from equivmetrics._core import units as _units
from strategies import SETTINGS


def test_registry_is_created_once() -> None:
    assert em.get_registry() is em.get_registry()
    assert isinstance(em.get_registry(), pint.UnitRegistry)


def test_registry_is_not_pints_application_registry() -> None:
    app = pint.get_application_registry()
    assert em.get_registry() is not app
    assert "transaction" not in app  # the domain units stay in the library's registry


@pytest.mark.parametrize(
    ("source", "target", "factor"),
    [
        ("kWh", "Wh", 1000.0),
        ("MWh", "kWh", 1000.0),
        ("hour", "minute", 60.0),
        ("month", "day", 30.4375),  # pint: 1 year = 365.25 days, 1 month = 1/12 year
        ("year", "hour", 8766.0),  # 365.25 x 24
        ("Cal", "kcal", 1.0),  # the food Calorie is the kilocalorie
        ("kcal", "J", 4184.0),  # thermochemical calorie, 4.184 J
        ("MMBtu", "Btu", 1e6),
        ("txn", "transaction", 1.0),
        ("full_time_equivalent", "FTE", 1.0),
        ("transaction/month", "transaction/year", 12.0),
    ],
)
def test_unit_factor(source: str, target: str, factor: float) -> None:
    got = _units.unit_factor(_units.parse_unit(source), _units.parse_unit(target))
    assert got == pytest.approx(factor, rel=1e-12)


@pytest.mark.parametrize(
    ("source", "target"),
    [("USD", "EUR"), ("transaction", "FTE"), ("kWh", "kg"), ("hour", "FTE")],
)
def test_unit_factor_refuses_other_dimensions(source: str, target: str) -> None:
    # Currencies are separate dimensions: there is no silent exchange rate.
    with pytest.raises(em.UnitError, match="cannot express"):
        _units.unit_factor(_units.parse_unit(source), _units.parse_unit(target))


@pytest.mark.parametrize("code", _units.CURRENCIES)
def test_each_currency_is_its_own_dimension(code: str) -> None:
    unit = _units.parse_unit(code)
    assert str(unit.dimensionality) == f"[currency_{code}]"
    others = [c for c in _units.CURRENCIES if c != code]
    assert all(_units.parse_unit(c).dimensionality != unit.dimensionality for c in others)


def test_unknown_unit_suggests_the_close_name() -> None:
    with pytest.raises(em.UnitError) as info:
        _units.parse_unit("kWhh")
    assert "'kWhh'" in str(info.value)
    assert "did you mean" in str(info.value)
    assert "'kWh'" in str(info.value)
    assert info.value.unit == "kWhh"


def test_suggest_units_finds_prefixed_units() -> None:
    assert "kWh" in _units.base_scope().suggest("kWhh")
    assert "hour" in _units.base_scope().suggest("houur")


@pytest.mark.parametrize("unit", ["degC", "degF", "kWh/degC", "degree_Celsius"])
def test_offset_units_are_refused(unit: str) -> None:
    with pytest.raises(em.UnitError, match="offset"):
        _units.parse_unit(unit)


def test_delta_and_kelvin_are_fine() -> None:
    assert _units.parse_unit("kelvin") == em.get_registry().kelvin
    _units.parse_unit("delta_degC")


@pytest.mark.parametrize("text", ["3 kWh", "1000 kg"])
def test_a_quantity_is_not_a_unit(text: str) -> None:
    with pytest.raises(em.UnitError, match="quantity, not a unit"):
        _units.parse_unit(text)


@pytest.mark.parametrize("text", [b"kWh", 3, None])
def test_a_unit_must_be_text(text: object) -> None:
    # a wrong type is a TypeError (it was a UnitError, a ValueError, before issue 12)
    with pytest.raises(em.InputTypeError, match="must be a string"):
        _units.parse_unit(text)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["kWh /", "((kWh", "kWh.real"])
def test_malformed_unit_text(text: str) -> None:
    with pytest.raises(em.UnitError):
        _units.parse_unit(text)


@pytest.mark.parametrize("text", ["kWh $", "kWh?", "kWh, hour", "kWh[1]", "kWh ;"])
def test_garbage_in_unit_text_is_refused(text: str) -> None:
    # Characters outside the unit grammar must not be dropped silently ("kWh, hour" is not
    # kWh x hour, and "12 kWh $" is not 12 kWh).
    with pytest.raises(em.UnitError):
        _units.parse_unit(text)


def test_empty_unit_is_dimensionless() -> None:
    assert _units.parse_unit("") == em.get_registry().dimensionless


@pytest.mark.parametrize(
    ("text", "magnitude", "unit"),
    [
        ("12,000 transaction/month", 12000.0, "transaction/month"),
        ("12000 transaction/month", 12000.0, "transaction/month"),
        ("1,234,567.5 kWh", 1234567.5, "kWh"),
        ("1_000 kWh", 1000.0, "kWh"),
        ("  -2.5e3   hour ", -2500.0, "hour"),
        (".5 hour", 0.5, "hour"),
        ("420 kcal", 420.0, "kcal"),
    ],
)
def test_parse_quantity(text: str, magnitude: float, unit: str) -> None:
    assert _units.parse_quantity(text) == (magnitude, unit)


@pytest.mark.parametrize("text", ["kWh", "twelve kWh", "1,5 kWh", "12 kWhh"])
def test_parse_quantity_refuses(text: str) -> None:
    # "1,5" is a European decimal or a typo, never fifteen: a comma must separate thousands.
    with pytest.raises(em.UnitError):
        _units.parse_quantity(text)


@SETTINGS
@given(st.integers(min_value=0, max_value=10**12))
def test_parse_quantity_reads_thousands_separators(number: int) -> None:
    assert _units.parse_quantity(f"{number:,} kWh") == (float(number), "kWh")
    assert _units.parse_quantity(f"{number:_} kWh") == (float(number), "kWh")


def define(*units: _defs.NewUnit) -> tuple[_units.UnitScope, list[str | None]]:
    """The scope of these units, and per unit None or what was wrong with it."""
    return _defs.scope_for(list(units))


def test_define_unit_adds_and_refuses_redefinition() -> None:
    crate = _defs.NewUnit("emtest_units_crate", "12 kg")
    scope, problems = define(crate)
    assert problems == [None]
    reg = scope.registry
    assert reg.Quantity(2, "emtest_units_crate").to("kg").magnitude == pytest.approx(24, rel=1e-12)
    # the same definition again is a no-op; another meaning is refused
    assert define(crate, crate)[1] == [None, None]
    scope, problems = define(crate, _defs.NewUnit("emtest_units_crate", "13 kg"))
    message = problems[1]
    assert message is not None
    assert "already defined" in message
    reg = scope.registry
    assert reg.Quantity(1, "emtest_units_crate").to("kg").magnitude == pytest.approx(12, rel=1e-12)
    assert "emtest_units_crate" not in em.get_registry()  # the base scope never learns it


def test_the_same_unit_again_keeps_every_alias() -> None:
    # Two packs of one load define the same crate, each with an alias of its own: neither alias
    # is dropped. An alias already naming another unit is refused.
    scope, problems = define(
        _defs.NewUnit("emtest_units_tote", "12 kg", ("emtest_units_tt",)),
        _defs.NewUnit("emtest_units_tote", "12 kg", ("emtest_units_tote2",)),
        _defs.NewUnit("emtest_units_tote", "12000 g", ("emtest_units_tt", "emtest_units_t3")),
        _defs.NewUnit("Cal", "kilocalorie", ("emtest_units_foodcal",)),
        _defs.NewUnit("emtest_units_tote", "12 kg", ("kg",)),
    )
    assert problems[:4] == [None, None, None, None]
    assert problems[4] is not None
    assert "alias 'kg' of unit 'emtest_units_tote' is already a unit name" in problems[4]
    for alias in ("emtest_units_tt", "emtest_units_tote2", "emtest_units_t3"):
        # 3 totes of 12 kg = 36 kg
        assert scope.registry.Quantity(3, alias).to("kg").magnitude == pytest.approx(36)
    assert scope.registry.Quantity(1, "emtest_units_foodcal").to("kcal").magnitude == 1.0
    assert "emtest_units_foodcal" not in em.get_registry()
    # an alias is an addition: the pack gets a scope of its own, even with no new unit
    alone, (problem,) = define(_defs.NewUnit("Cal", "kilocalorie", ("emtest_units_foodcal",)))
    assert problem is None
    assert alone is not _units.base_scope()
    assert alone.registry.Quantity(2, "emtest_units_foodcal").to("kcal").magnitude == 2.0
    same, (problem,) = define(_defs.NewUnit("Cal", "kilocalorie"))
    assert (same, problem) == (_units.base_scope(), None)  # nothing new: the base scope


@pytest.mark.parametrize("name", ["mile", "hour", "transaction", "USD"])
def test_define_unit_never_changes_an_existing_unit(name: str) -> None:
    reg = em.get_registry()
    before = reg.Quantity(1, name).to_base_units()
    scope, (message,) = define(_defs.NewUnit(name, "3 kg"))
    assert message is not None
    assert "already defined" in message
    assert reg.Quantity(1, name).to_base_units() == before
    assert scope.registry.Quantity(1, name).to_base_units() == before


def test_define_unit_reports_bad_definitions() -> None:
    # pint checks a definition only when the unit is used: the library must check it up front
    scope, (message,) = define(_defs.NewUnit("emtest_units_bad", "3 kWhh"))
    assert message is not None
    assert "kWhh" in message
    assert "emtest_units_bad" not in scope.registry
    assert "emtest_units_bad" not in em.get_registry()


def test_host_registry_is_untouched_by_the_library() -> None:
    host: Any = pint.UnitRegistry()
    before = set(host._units)
    # using the library registry (and defining units in a scope) leaves the host's alone
    _units.parse_unit("transaction/month")
    define(_defs.NewUnit("emtest_units_host", "5 kg"))
    assert set(host._units) == before
    assert "transaction" not in host
    assert "emtest_units_host" not in host


def test_a_unit_written_as_a_dimension_starts_a_new_one() -> None:
    scope, (base, twin, length) = define(
        _defs.NewUnit("emtest_units_dimbase", "[emtest_units_dim]"),
        # a second base unit of the same dimension, or of a built-in one, would be a silent alias
        _defs.NewUnit("emtest_units_dimtwin", "[emtest_units_dim]"),
        _defs.NewUnit("emtest_units_len", "[length]"),
    )
    assert base is None
    assert twin is not None
    assert "'[emtest_units_dim]'" in twin
    assert "the dimension of unit 'emtest_units_dimbase'" in twin
    assert length is not None
    assert "a built-in dimension" in length
    assert "emtest_units_dimtwin" not in scope.registry
    assert "emtest_units_len" not in scope.registry
    # the refused units left the dimension with the unit that owns it
    dimensionality = scope.parse("emtest_units_dimbase").dimensionality
    assert dict(dimensionality) == {"[emtest_units_dim]": 1}


def test_unit_names_survive_a_unit_table_growing_meanwhile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scope = _units.UnitScope(_units.new_registry())
    real = type(scope.registry).__iter__
    calls = []

    def racing(registry: object) -> object:
        calls.append(1)
        if len(calls) < 3:  # what another thread reading 'MWh' for the first time can cause
            raise RuntimeError("dictionary changed size during iteration")
        return real(registry)

    monkeypatch.setattr(type(scope.registry), "__iter__", racing)
    assert "kWh" in scope.suggest("kWhh")
    assert len(calls) == 3


def test_the_prefix_list_is_pints() -> None:
    # The library keeps pint's prefixes in a list of its own (pint shows them only through
    # private attributes): each is one pint reads, and none is missing.
    reg = em.get_registry()
    for prefix in _text.PREFIXES:
        (found,) = reg.parse_unit_name(prefix + "gram")
        assert found[0] != "", prefix
        assert found[1:] == ("gram", ""), prefix
    pints: set[str] = set()
    for name, definition in reg._prefixes.items():  # read only, to check the list is whole
        pints.update((name, definition.symbol or "", *definition.aliases))
    assert pints - {"", "_"} == _text.PREFIXES


def test_a_unit_may_not_change_what_a_prefixed_or_plural_name_reads_as() -> None:
    # pint would read 'meters' as milli-'eters' (it prefers a prefix to a plural): refused.
    scope, (problem,) = define(_defs.NewUnit("eters", "3 kg", owner="pack 'p'", pack="p"))
    assert problem is not None
    assert problem.startswith("unit 'eters' would change what 'meters' means: 'meters' already")
    assert "'m' + 'eters'" in problem
    assert "choose a name whose prefixed and plural forms are free" in problem
    # one pack's own units are its author's choice; another pack's are not
    a_kblip = _defs.NewUnit("kblip", "5 kWh", owner="pack 'a' at a.yaml:6:3", pack="a")
    a_blips = _defs.NewUnit("blips", "7 kWh", owner="pack 'a' at a.yaml:7:3", pack="a")
    b_blip = _defs.NewUnit("blip", "1 kWh", owner="pack 'b' at b.yaml:6:3", pack="b")
    assert define(a_kblip, a_blips)[1] == [None, None]
    scope, problems = define(a_kblip, a_blips, b_blip)
    assert problems[:2] == [None, None]
    message = problems[2]
    assert message is not None
    assert message.startswith("unit 'blip' would change what 'blips' means")
    assert "defined by pack 'a' at a.yaml:7:3" in message
    assert "blip" not in scope.registry
    # the same units from two packs are checked as such, whatever was loaded before
    c_blips = _defs.NewUnit("blips", "7 kWh", owner="pack 'c' at c.yaml:6:3", pack="c")
    problem = define(a_kblip, c_blips)[1][1]
    assert problem is not None
    assert problem.startswith("unit 'blips' would change what 'kblips' means")


def test_the_first_registry_is_given_away_and_later_scopes_never_see_its_units() -> None:
    # In a fresh process the default engine's scope takes the first registry built, uncopied;
    # the base scope and another region's scope come later, copies of a template built then.
    # None of them reads another's pack units.
    script = (
        "import equivmetrics as em\n"
        "from equivmetrics._core import units\n"
        "us = em.load()\n"
        "print(units._built, units._template is None)\n"
        "base = em.get_registry()\n"
        "print(units._built, units._template is None)\n"
        "gb = em.load(region='GB')\n"
        "print(units._built, len({id(us.registry), id(base), id(gb.registry)}))\n"
        "print(['Mcf' in r for r in (us.registry, base, gb.registry)])\n"
        "print(['room_night' in r for r in (us.registry, base, gb.registry)])\n"
        "print(['invoice' in r for r in (us.registry, base, gb.registry)])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "EQUIVMETRICS_CACHE": "off"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "1 True",  # one registry built, none copied
        "2 False",  # the template is built when a second registry is needed
        "2 3",  # and copied for each later scope, one registry each
        "[True, False, False]",  # the EPA pack's unit (US only)
        "[False, False, True]",  # DESNZ's (GB only)
        "[True, False, True]",  # the productivity pack's, in both regions
    ]
