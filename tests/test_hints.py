"""Errors that point somewhere true: no gas read as electricity, no kind called unlinked.

* In Germany no loaded kind reads therms (natural gas is a kind of the U.S. and UK packs):
  the error says so instead of suggesting of='electricity_generated_lifecycle'.
* In the UK, home_electricity_energy is reached from the three electricity kinds by one-way
  rules: nothing can be computed from it, but it is not "linked to no other kind".
"""

from __future__ import annotations

from pathlib import Path

import pytest

import equivmetrics as em

#: pint's therm is 100,000 Btu of 1,055.056 J: 105,505,600 J = 29.307111 kWh.
THERM_J = 105_505_600.0
THERM_KWH = THERM_J / 3.6e6


def test_a_therm_in_germany_is_not_suggested_as_electricity() -> None:
    de = em.load(region="DE")
    with pytest.raises(em.AmbiguousKindError) as info:
        de.convert("1 therm", "co2e")
    message = str(info.value)
    assert message == (
        "no kind loaded for region DE measures 'therm': natural_gas reads it (pack desnz for "
        "GB, pack epa_ghg for US), and DE's packs have no such kind. 'therm' fits "
        "electricity_generated_lifecycle, food_energy only as an amount of the same dimension: "
        "give of= if you mean one of them, or load a region whose packs have the kind"
    )
    assert "e.g. of=" not in message
    assert info.value.unit == "therm"
    assert info.value.candidates == ("electricity_generated_lifecycle", "food_energy")


def test_a_therm_said_to_be_food_energy_is_still_read() -> None:
    # 105,505,600 J / 4,184 J per kcal = 25,216.44 kcal
    r = em.load(region="DE").convert("1 therm", "food_energy", of="food_energy")
    assert r.magnitude == pytest.approx(THERM_J / 4184, rel=1e-12)


def test_where_a_kind_reads_therms_they_are_gas() -> None:
    # GB: 29.307111 kWh x 0.18296 kg/kWh (DESNZ natural gas, gross CV) = 5.36203 kg
    r = em.load(region="GB").convert("1 therm", "co2e", unit="kg")
    assert r.magnitude == pytest.approx(THERM_KWH * 0.18296, rel=1e-12)
    assert r.steps[0].source_kind == "natural_gas"


def test_a_unit_claimed_elsewhere_only_to_be_refused_is_not_called_read() -> None:
    # the UK pack's petrol claims 'pint' only to refuse it: in the U.S. a pint of what is asked
    with pytest.raises(em.AmbiguousKindError) as info:
        em.load().convert("1 pint", "co2e")
    assert str(info.value) == (
        "'pint' could be any of diesel, gasoline, natural_gas_volume, oil; say which with of=, "
        "e.g. of='diesel'"
    )


def test_a_kind_reached_only_one_way_is_not_called_unlinked() -> None:
    gb = em.load(region="GB")
    reached = "electricity_avoided, electricity_consumed, electricity_generated"
    with pytest.raises(em.NoEquivalentError) as info:
        gb.feel_good("1 home_year")
    assert str(info.value) == (
        "1 home_year of home_electricity_energy has no feel_good equivalents and no action "
        "equivalents: no kind the loaded packs offer is reachable from it; "
        f"'home_electricity_energy' is only reached from {reached}, by one-way rules: nothing "
        "can be computed from it; convert an amount of one of those kinds instead"
    )
    assert info.value.source == "home_electricity_energy"
    with pytest.raises(em.NoPathError) as path:
        gb.convert("1 home_year", "co2e")
    assert str(path.value) == (
        "no rule leads from 'home_electricity_energy' to 'co2e'; 'home_electricity_energy' is "
        f"only reached from {reached}, by one-way rules: nothing can be computed from it; "
        "convert an amount of one of those kinds instead"
    )
    # and the way round works: 2,700 kWh used x 0.19553 kg/kWh = 527.931 kg
    r = gb.convert("2700 kWh", "co2e", of="electricity_consumed", unit="kg")
    assert r.magnitude == pytest.approx(2700 * 0.19553, rel=1e-12)


def test_a_kind_with_no_rule_at_all_is_still_called_unlinked(tmp_path: Path) -> None:
    pack = tmp_path / "lone.yaml"
    pack.write_text(
        "equivmetrics: 1\nname: lone\nedition: '1'\nlicense: MIT\nkinds:\n"
        "  widget: {unit: count, roles: {feel_good: '{value} widgets'}}\n"
        "  gadget: {unit: kg, roles: {feel_good: '{value} gadgets'}}\n",
        encoding="utf-8",
    )
    engine = em.load(pack, bundled=False)
    with pytest.raises(em.NoPathError) as info:
        engine.convert("1 kg", "widget")
    assert str(info.value) == (
        "no rule leads from 'gadget' to 'widget'; 'gadget' is linked to no other kind by the "
        "loaded packs"
    )
