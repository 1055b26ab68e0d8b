"""The bundled EPA greenhouse-gas pack (conversions/epa_ghg.yaml), edition 2023.

Every expected number below is worked by hand from the constants EPA publishes (see
../shared/reference/epa-ghg-equivalencies.md); the arithmetic is written next to it. None is
computed by the code under test. pint's pound is exactly 0.45359237 kg (2,204.62 lb/t) where
EPA divides by 2,204.6; the 1e-5 difference is inside every tolerance used here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from equivmetrics._packs.model import Pack
from strategies import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
EPA = ROOT / "conversions" / "epa_ghg.yaml"

#: t CO2e per one unit of each kind: (kind, input, hand-derived value, EPA's published value).
#: EPA's value is rounded; the check allows half a unit in its last digit.
PER_UNIT = [
    # 1,562.4 lb/MWh x 0.45359237 kg/lb / 1,000 kg/t / 1,000 kWh/MWh = 7.08693e-4
    ("electricity_avoided", "1 kWh", 7.08693e-4, "7.09e-4"),
    # 884.2 / (1 - 0.073) = 953.830 lb/MWh -> 953.830 x 0.45359237 / 1e6 = 4.32650e-4
    ("electricity_consumed", "1 kWh", 4.32650e-4, "4.33e-4"),
    # 8,887 g = 8.887e-3 t
    ("gasoline", "1 gallon", 8.887e-3, "8.887e-3"),
    # 10,180 g = 1.018e-2 t
    ("diesel", "1 gallon", 1.018e-2, "1.018e-2"),
    # 8.887e-3 / 22.9 / 0.993 = 3.90814e-4
    ("vehicle_miles", "1 mile", 3.90814e-4, "3.91e-4"),
    # 0.1 mmBtu x 14.43 kg C/mmBtu x 44/12 = 5.291 kg
    ("natural_gas", "1 therm", 5.291e-3, "5.29e-3"),
    # Mcf: 10.38 therm x 5.291e-3 = 5.49206e-2
    ("natural_gas", "10.38 therm", 5.49206e-2, "0.0549"),
    # the same from the volume: 1 Mcf x 10.38 therm/Mcf x 5.291e-3 t/therm
    ("natural_gas_volume", "1 Mcf", 5.49206e-2, "0.0549"),
    # 5.80 x 20.33 x 44/12 = 432.351 kg
    ("oil", "1 oil_barrel", 0.432351, "0.43"),
    # 8,500 gallon x 8.887e-3 = 75.5395
    ("tanker_truck", "1 count", 75.5395, "75.54"),
    # (43 - 9) W x 3 h/day x 365 day = 37,230 Wh = 37.23 kWh; x 7.08693e-4 = 2.63846e-2
    ("led_bulb", "1 count", 2.63846e-2, "2.64e-2"),
    # 11,880 kWh x 4.32650e-4 = 5.13988
    ("home_electricity", "1 home_year", 5.13988, "5.14"),
    # (0.11 x 23.2 + 0.89 x 38.0) = 36.372 lb C; x 44/12 = 133.364 lb CO2 = 60.4929 kg
    ("tree_seedling", "1 count", 6.04929e-2, "0.060"),
    # 0.84 t per acre per year
    ("forest_acre", "1 acre_year", 0.84, "0.84"),
    # 16 lb x 0.818 x 44/12 = 47.9893 lb = 21.7676 kg
    ("propane_cylinder", "1 count", 2.17676e-2, "0.0218"),
    # 20.84 x 26.12 x 44/12 = 1,995.916 kg per short ton; x 90.89 = 181,408.8 kg
    ("coal_railcar", "1 count", 181.4088, "181.4"),
    # 2.89 t per short ton (WARM)
    ("waste_recycled", "1 short_ton", 2.89, "2.89"),
    # 7 x 2.89 = 20.23
    ("garbage_truck", "1 count", 20.23, "20.23"),
    # 111 lb/yd3 x 25 gal / 173.57 gal/yd3 = 15.9878 lb = 7.99389e-3 short ton; x 2.89
    ("trash_bag", "1 count", 2.31023e-2, "2.31e-2"),
    # 14.46 Wh - 22 h x 0.13 W = 11.60 Wh = 0.0116 kWh; x 7.08693e-4 = 8.22084e-6
    ("smartphone_charge", "1 count", 8.22084e-6, "8.22e-6"),
]

#: Pound of coal as EPA publishes it: 20.84 mmBtu per METRIC ton x 26.12 kg C/mmBtu x 44/12
#: = 1,995.916 kg CO2 per metric ton / 2,204.6 lb = 9.05342e-4 t/lb (EPA: 9.05e-4). Read per
#: short ton, as EPA's railcar section reads the same heat content: / 2,000 lb = 9.97958e-4.
COAL_PER_LB = 1.995916 / 2204.6  # 9.05342e-4
COAL_PER_LB_SHORT_TON_READING = 9.97958e-4

#: The kinds and their display units: the twenty the design asks for, the gas-volume input
#: kind and the home compared by energy.
DISPLAY_UNITS = {
    "electricity_avoided": "kWh",
    "electricity_consumed": "kWh",
    "co2e": "t",
    "gasoline": "gallon",
    "diesel": "gallon",
    "vehicle_miles": "mile",
    "natural_gas": "therm",
    "natural_gas_volume": "Mcf",  # an input kind for gas billed by volume
    "oil": "oil_barrel",
    "tanker_truck": "count",
    "led_bulb": "count",
    "home_electricity": "home_year",
    "home_electricity_energy": "home_year",  # the same home, compared by energy
    "tree_seedling": "count",
    "forest_acre": "acre_year",
    "propane_cylinder": "count",
    "coal_railcar": "count",
    "coal": "lb",
    "waste_recycled": "short_ton",
    "garbage_truck": "count",
    "trash_bag": "count",
    "smartphone_charge": "count",
}


#: The engine of the EPA pack alone is the session fixture ``epa`` (conftest.py).


def _pack(engine: em.Engine, name: str = "epa_ghg") -> Pack:
    return next(p for p in engine.catalog.packs if p.name == name)


# --- the pack as a whole -----------------------------------------------------------------------


def test_bundled_packs_validate_with_every_example_passing() -> None:
    report = em.validate()
    assert report.ok, report.problems
    assert report.examples_run == report.examples_passed
    names = {p.name for p in em.load().catalog.packs}
    assert {"epa_ghg", "pace"} <= names


def test_the_epa_pack_alone_validates() -> None:
    report = em.validate(EPA, bundled=False)
    assert report.ok, report.problems
    assert report.examples_run >= 20


def test_pack_identity_and_edition(epa: em.Engine) -> None:
    pack = _pack(epa)
    # named for what it is built on (EPA's page as of about 2022), not "2023"
    assert pack.edition == "AVERT2019-eGRID2019"
    assert pack.edition_aliases == ("2023",)
    assert (pack.region, pack.topic) == ("US", "environment")
    for text in ("AVERT 2019", "eGRID2019", "1990–2020"):
        assert text in pack.description


#: The one kind compared by energy: reached from electricity only, never through co2e.
BY_ENERGY = "home_electricity_energy"


def test_the_twenty_equivalents_and_the_gas_volume_input_with_their_display_units(
    epa: em.Engine,
) -> None:
    assert {k: v.unit for k, v in epa.kinds.items()} == DISPLAY_UNITS


def test_every_parameter_has_a_source_and_a_note(epa: em.Engine) -> None:
    for pack in epa.catalog.packs:
        for param in pack.parameters:
            assert param.source is not None, param.name
            assert param.source.title, param.name
            assert param.note.strip(), f"{param.name} has no note explaining it and its range"


def test_every_factor_is_derived_from_named_parameters(epa: em.Engine) -> None:
    """No rule types in a final constant: factors use parameters and no number but 1."""
    number = re.compile(r"(?<![\w.])\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")
    for rule in epa.catalog.rules.values():
        assert rule.parameters, f"rule {rule.id} uses no parameter"
        literals = {float(n) for n in number.findall(rule.spec.factor)}
        assert literals <= {1.0}, f"rule {rule.id} types in {literals}"


def test_every_factor_has_a_range(epa: em.Engine) -> None:
    for kind in epa.kinds:
        if kind in ("co2e", BY_ENERGY):  # the energy home has no path to co2e (below)
            continue
        r = epa.convert((1.0, epa.kinds[kind].unit), "co2e", of=kind)
        assert r.low < r.high, kind
        assert r.low <= r.magnitude <= r.high, kind


def test_every_kind_but_the_energy_home_has_one_path_to_and_from_co2e(epa: em.Engine) -> None:
    paths = epa.catalog.paths
    for kind in epa.kinds:
        if kind not in ("co2e", BY_ENERGY):
            assert (kind, "co2e") in paths, kind
            assert ("co2e", kind) in paths, kind
    assert (BY_ENERGY, "co2e") not in paths
    assert ("co2e", BY_ENERGY) not in paths
    # 21 kinds linked by 20 reversible rules: a tree, so no cycle can disagree with itself;
    # and two one-way rules by energy into the energy home, which leads nowhere.
    rules = epa.catalog.rules.values()
    reversible = [r for r in rules if r.spec.reversible]
    one_way = sorted(
        (r.spec.source_kind, r.spec.target_kind) for r in rules if not r.spec.reversible
    )
    assert len(reversible) == len(epa.kinds) - 2
    assert one_way == [("electricity_avoided", BY_ENERGY), ("electricity_consumed", BY_ENERGY)]
    assert not any(source == BY_ENERGY for source, _ in paths)


# --- EPA's table --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "given", "derived", "published"), PER_UNIT, ids=[f"{k}:{g}" for k, g, _, _ in PER_UNIT]
)
def test_per_unit_factors_reproduce_epas_table(
    epa: em.Engine, kind: str, given: str, derived: float, published: str
) -> None:
    r = epa.convert(given, "co2e", of=kind)
    assert r.unit == "t"
    assert r.magnitude == pytest.approx(derived, rel=2e-4)
    # EPA rounds: agree to within half a unit of the last published digit.
    # "7.09e-4" has the significant digits 709: half a unit is 0.5 / 709 relative.
    significant = int(published.split("e", maxsplit=1)[0].replace(".", "").lstrip("0"))
    half_ulp = 0.5 / significant
    assert r.magnitude == pytest.approx(float(published), rel=half_ulp * 1.01)


def test_pound_of_coal_reproduces_epa_and_spans_the_short_ton_reading(
    epa: em.Engine,
) -> None:
    r = epa.convert("1 lb", "co2e", of="coal")
    assert r.magnitude == pytest.approx(COAL_PER_LB, rel=2e-4)
    assert r.magnitude == pytest.approx(9.05e-4, rel=0.0006)
    # The heat content read per short ton (EPA's railcar section) is the high end.
    assert r.low == pytest.approx(COAL_PER_LB, rel=2e-4)
    assert r.high == pytest.approx(COAL_PER_LB_SHORT_TON_READING, rel=2e-4)
    # The railcar is reproduced as EPA publishes it, straight to CO2e:
    # 90.89 short ton x 20.84 mmBtu/short ton x 26.12 x 44/12 = 181.409 t.
    railcar = epa.convert("1 count", "co2e", of="coal_railcar")
    assert railcar.magnitude == pytest.approx(181.4088, rel=2e-4)


def test_one_metric_ton_is_about_1100_pounds_of_coal_never_2204(epa: em.Engine) -> None:
    r = epa.convert("1 t", "coal")
    assert r.unit == "lb"
    # 1 / 9.05342e-4 = 1,104.57 lb (EPA); the low end 1 / 9.97958e-4 = 1,002.05 lb.
    assert r.magnitude == pytest.approx(1104.57, rel=2e-4)
    assert r.low == pytest.approx(1002.05, rel=2e-4)
    assert 1000 < r.low < r.magnitude == r.high < 1110
    # Kinds never mix: a metric ton of CO2e is not 2,204.6 lb of coal.
    assert abs(r.magnitude - 2204.6) > 1000
    assert abs(r.high - 2204.6) > 1000


def test_coal_ton_is_the_short_ton(epa: em.Engine) -> None:
    # 1 short ton of coal = 2,000 lb x 9.05342e-4 t/lb = 1.81068 t CO2.
    assert epa.convert("1 ton", "co2e", of="coal").magnitude == pytest.approx(1.81068, rel=2e-4)
    assert epa.convert("1 ton", "coal", of="coal", unit="lb").magnitude == pytest.approx(2000)


def test_gasoline_and_diesel_gallons_differ(epa: em.Engine) -> None:
    gas = epa.convert("100 gallon", "co2e")  # gallon alone means gasoline
    diesel = epa.convert("100 gallon", "co2e", of="diesel")
    assert gas.source_kind == "gasoline"
    assert gas.magnitude == pytest.approx(0.8887)  # 100 x 8,887 g
    assert diesel.magnitude == pytest.approx(1.018)  # 100 x 10,180 g
    assert diesel.magnitude / gas.magnitude == pytest.approx(10180 / 8887)
    # and backwards: 1 t = 1 / 8.887e-3 = 112.524 gallons of gasoline, 98.2318 of diesel.
    assert epa.convert("1 t", "gasoline").magnitude == pytest.approx(112.524, rel=1e-5)
    assert epa.convert("1 t", "diesel").magnitude == pytest.approx(98.2318, rel=1e-5)


def test_avoided_and_consumed_kwh_give_different_co2e(epa: em.Engine) -> None:
    default = epa.convert("12400 kWh", "co2e")
    avoided = epa.convert("12400 kWh", "co2e", of="electricity_avoided")
    consumed = epa.convert("12400 kWh", "co2e", of="electricity_consumed")
    assert default.source_kind == "electricity_avoided"  # no of=: EPA's calculator default
    assert default.magnitude == avoided.magnitude
    # 12,400 x 7.08693e-4 = 8.78779 t; 12,400 x 4.32650e-4 = 5.36486 t
    assert avoided.magnitude == pytest.approx(8.78779, rel=2e-4)
    assert consumed.magnitude == pytest.approx(5.36486, rel=2e-4)
    assert avoided.magnitude / consumed.magnitude == pytest.approx(
        1562.4 / (884.2 / 0.927), rel=1e-9
    )


@pytest.mark.parametrize("unit", ["Wh", "kWh", "MWh", "GWh"])
def test_every_electricity_unit_defaults_to_avoided(epa: em.Engine, unit: str) -> None:
    assert epa.convert(f"1 {unit}", "co2e").source_kind == "electricity_avoided"


def test_metric_ton_and_short_ton(epa: em.Engine) -> None:
    # "t" is the metric ton and goes to co2e with no of=.
    r = epa.convert("1 t", "co2e")
    assert (r.source_kind, r.magnitude, r.unit) == ("co2e", 1.0, "t")
    # 1,000 kg / 0.45359237 kg/lb = 2,204.6226 lb
    assert epa.convert("1 t", "co2e", unit="lb").magnitude == pytest.approx(2204.6226, rel=1e-7)
    # Waste is counted in SHORT tons: 2.89 t CO2e per short ton, so a metric ton of waste
    # is 2.89 x 1,000 / 907.18474 = 3.18570 t CO2e.
    assert epa.convert("1 short_ton", "co2e", of="waste_recycled").magnitude == pytest.approx(2.89)
    assert epa.convert("1 ton", "co2e", of="waste_recycled").magnitude == pytest.approx(2.89)
    assert epa.convert("1 t", "co2e", of="waste_recycled").magnitude == pytest.approx(
        3.18570, rel=1e-5
    )
    # A bare "ton" of CO2e is refused rather than silently read as 907 kg.
    with pytest.raises(em.EquivMetricsError, match="metric ton"):
        epa.convert("5 ton", "tree_seedling", of="co2e")
    # and "ton" alone is ambiguous between the mass kinds.
    with pytest.raises(em.AmbiguousKindError):
        epa.convert("5 ton", "co2e")


def test_barrels_of_oil_are_42_gallons_and_the_31_5_gallon_barrel_is_refused(
    epa: em.Engine,
) -> None:
    # 1 oil_barrel of gasoline = 42 gallon x 8.887e-3 = 0.373254 t
    assert epa.convert("1 oil_barrel", "co2e", of="gasoline").magnitude == pytest.approx(
        0.373254, rel=1e-5
    )
    assert epa.convert("1 oil_barrel", "co2e").source_kind == "oil"
    for text, of in (
        ("1 barrel", None),
        ("1 bbl", None),
        ("1 barrel", "gasoline"),
        ("1 barrel", "diesel"),
        ("1 bbl", "oil"),
    ):
        with pytest.raises(em.EquivMetricsError, match="oil_barrel"):
            epa.convert(text, "co2e", of=of)


def test_natural_gas_units(epa: em.Engine) -> None:
    # 1 mmBtu = 10 therm: 10 x 5.291e-3 = 5.291e-2 t
    assert epa.convert("1 MMBtu", "co2e").magnitude == pytest.approx(5.291e-2)
    # pint's therm is EPA's therm, exactly 0.1 mmBtu
    assert epa.convert("1 MMBtu", "natural_gas").magnitude == pytest.approx(10.0)
    assert epa.convert("1 therm", "co2e").source_kind == "natural_gas"
    # gas billed by volume: 1 Mcf = 1,000 cubic feet; x 10.38 therm/Mcf (EPA)
    assert epa.convert("1 Mcf", "natural_gas").magnitude == pytest.approx(10.38)
    assert epa.convert("28.316846592 m**3", "natural_gas", of="natural_gas_volume").magnitude == (
        pytest.approx(10.38)
    )  # 1,000 ft3 = 28.316846592 m3 exactly
    assert epa.convert("1 Mcf", "co2e").source_kind == "natural_gas_volume"
    assert "natural_gas_volume" not in [e.kind for e in epa.feel_good("12400 kWh", top=30)]


def test_dry_gallons_per_cubic_yard_agrees_with_pint(epa: em.Engine) -> None:
    value = epa.parameters["dry_gallons_per_cubic_yard"]
    # 173.57 dry gal/yd3 is a unit identity: 1 yd3 = 764.5549 L, 1 dry gal = 4.404884 L.
    ratio = value.central * em.get_registry().Quantity(1, value.unit).to("").magnitude
    assert ratio == pytest.approx(1.0, rel=1e-4)


# --- worked figures (the product brief: 12,400 kWh from solar panels) ---------------------------


def test_solar_panels_worked_figures(epa: em.Engine) -> None:
    # 12,400 kWh x 7.08693e-4 = 8.78779 t avoided
    # trees: 8.78779 / 0.0604929 = 145.270 (EPA's calculator, dividing by its rounded 0.060,
    #        shows 12,400 x 7.09e-4 / 0.060 = 146.5)
    # miles: 8.78779 / 3.90814e-4 = 22,485.8
    # coal:  8.78779 / 9.05342e-4 = 9,706.6 lb
    # homes: 8.78779 / 5.13988 = 1.70973 home-years
    trees = epa.convert("12400 kWh", "tree_seedling")
    assert trees.magnitude == pytest.approx(145.270, rel=2e-4)
    assert 145 < trees.magnitude < 147
    assert trees.unit == "count"
    assert epa.convert("12400 kWh", "vehicle_miles").magnitude == pytest.approx(22485.8, rel=2e-4)
    assert epa.convert("12400 kWh", "coal").magnitude == pytest.approx(9706.6, rel=2e-4)
    assert epa.convert("12400 kWh", "home_electricity").magnitude == pytest.approx(
        1.70973, rel=2e-4
    )


def test_rates_flow_through(epa: em.Engine) -> None:
    r = epa.convert("12400 kWh/year", "tree_seedling")
    assert r.magnitude == pytest.approx(145.270, rel=2e-4)
    assert r.unit == "count/year"
    # 12,400 kWh a year consumed / 11,880 kWh per home-year = 1.04377 homes powered
    homes = epa.convert("12400 kWh", "home_electricity", of="electricity_consumed", per="year")
    assert homes.magnitude == pytest.approx(12400 / 11880)
    assert homes.unit == "home_year/year"
    # 8.4 t a year / 0.84 t per acre-year = 10 acres of forest, year after year
    acres = epa.convert("8.4 t/year", "forest_acre")
    assert acres.magnitude == pytest.approx(10.0)
    assert acres.unit == "acre_year/year"


def test_derived_equivalents_follow_their_physical_chain(epa: em.Engine) -> None:
    chains = {
        ("1 count", "tanker_truck"): ["tanker_truck", "gasoline", "co2e"],
        ("1 count", "led_bulb"): ["led_bulb", "electricity_avoided", "co2e"],
        ("1 count", "smartphone_charge"): ["smartphone_charge", "electricity_avoided", "co2e"],
        ("1 home_year", "home_electricity"): ["home_electricity", "electricity_consumed", "co2e"],
        ("1 count", "coal_railcar"): ["coal_railcar", "co2e"],
        ("1 count", "garbage_truck"): ["garbage_truck", "waste_recycled", "co2e"],
        ("1 count", "trash_bag"): ["trash_bag", "waste_recycled", "co2e"],
    }
    for (text, kind), expected in chains.items():
        r = epa.convert(text, "co2e", of=kind)
        assert [r.steps[0].source_kind, *(s.target_kind for s in r.steps)] == expected


def test_led_bulbs_and_phones_use_the_avoided_rate(epa: em.Engine) -> None:
    # 1 kWh avoided = 1 / 37.23 lamp-years = 0.0268600; 1 kWh = 1 / 0.0116 = 86.2069 charges
    assert epa.convert("1 kWh", "led_bulb").magnitude == pytest.approx(1 / 37.23)
    assert epa.convert("1 kWh", "smartphone_charge").magnitude == pytest.approx(1 / 0.0116)


def test_explain_cites_epa(epa: em.Engine) -> None:
    r = epa.convert("12400 kWh", "tree_seedling")
    text = r.explain()
    assert "avoided_co2_rate" in text
    assert "Greenhouse Gas Equivalencies Calculator" in text
    names = {s.key for s in r.sources}
    assert {"avert_2019", "epa_equivalencies"} <= names


def test_a_tenant_can_use_its_own_grid_rate(epa: em.Engine) -> None:
    tenant = epa.with_params(avoided_co2_rate="1000 lb/MWh")
    # 12.4 MWh x 1,000 lb/MWh = 12,400 lb = 5.62455 t
    r = tenant.convert("12400 kWh", "co2e")
    assert r.magnitude == pytest.approx(5.62455, rel=1e-5)
    assert r.low == r.high == r.magnitude  # an override without a range is exact
    assert epa.convert("12400 kWh", "co2e").magnitude == pytest.approx(8.78779, rel=2e-4)


# --- homes by energy and by CO2 (issue 13, item 5) ---------------------------------------------

#: 12,400 kWh / 11,880 kWh per home-year = 1.043771 home-years, avoided or used alike; the range
#: divides by EPA-average +-10 %: 12,400 / 13,070 = 0.948737 and 12,400 / 10,700 = 1.158879.
HOMES_BY_ENERGY = 1.043771
HOMES_BY_ENERGY_LOW, HOMES_BY_ENERGY_HIGH = 0.948737, 1.158879
#: By CO2: 12,400 x 7.08693e-4 t = 8.78779 t avoided / 5.13988 t per home-year = 1.70973.
HOMES_BY_CO2 = 1.70973


@pytest.mark.parametrize("of", [None, "electricity_avoided", "electricity_consumed"])
def test_homes_by_energy_divide_kwh_by_a_homes_yearly_use(epa: em.Engine, of: str | None) -> None:
    r = epa.convert("12400 kWh", BY_ENERGY, of=of)
    assert (r.magnitude, r.unit) == (pytest.approx(HOMES_BY_ENERGY, rel=1e-6), "home_year")
    assert r.low == pytest.approx(HOMES_BY_ENERGY_LOW, rel=1e-6)
    assert r.high == pytest.approx(HOMES_BY_ENERGY_HIGH, rel=1e-6)
    # one rule, by energy: no step through co2e
    assert [s.target_kind for s in r.steps] == [BY_ENERGY]
    assert "co2e" not in {s.source_kind for s in r.steps}


def test_homes_by_energy_and_by_co2_differ_for_avoided_kwh(epa: em.Engine) -> None:
    by_co2 = epa.convert("12400 kWh", "home_electricity")
    by_energy = epa.convert("12400 kWh", BY_ENERGY)
    assert by_co2.magnitude == pytest.approx(HOMES_BY_CO2, rel=2e-4)
    assert by_energy.magnitude == pytest.approx(HOMES_BY_ENERGY, rel=1e-6)
    # For kWh used, both compare the same consumed rate: 12,400 / 11,880 either way.
    used = epa.convert("12400 kWh", "home_electricity", of="electricity_consumed")
    assert used.magnitude == pytest.approx(HOMES_BY_ENERGY, rel=1e-6)


def test_homes_by_energy_from_kinds_measured_in_electricity(epa: em.Engine) -> None:
    # 11,880 kWh is exactly EPA's average home-year
    assert epa.convert("11880 kWh", BY_ENERGY).magnitude == pytest.approx(1.0, rel=1e-12)
    # 100 lamps x (43 - 9) W x 3 h x 365 = 3,723 kWh; / 11,880 = 0.313384 home-years
    lamps = epa.convert("100 count", BY_ENERGY, of="led_bulb")
    assert lamps.magnitude == pytest.approx(0.313384, rel=1e-5)
    assert [s.rule for s in lamps.steps] == [
        "led_bulb_electricity",
        "electricity_avoided_home_energy",
    ]
    # the CO2 home read back by energy: 1 home-year -> 11,880 kWh used -> 1 home-year
    home = epa.convert("1 home_year", BY_ENERGY, of="home_electricity")
    assert home.magnitude == pytest.approx(1.0, rel=1e-12)
    assert [s.rule for s in home.steps] == [
        "home_electricity_use",
        "electricity_consumed_home_energy",
    ]
    # a yearly rate: homes powered year after year
    rate = epa.convert("12400 kWh/year", BY_ENERGY)
    assert (rate.magnitude, rate.unit) == (pytest.approx(HOMES_BY_ENERGY), "home_year/year")


@pytest.mark.parametrize(
    ("text", "of"),
    [
        ("1 t", "co2e"),
        ("100 gallon", "gasoline"),
        ("100 therm", "natural_gas"),
        ("1 count", "tree_seedling"),
    ],
)
def test_no_energy_home_from_co2e_or_through_it(epa: em.Engine, text: str, of: str) -> None:
    with pytest.raises(em.NoPathError, match="never reached through 'co2e'"):
        epa.convert(text, BY_ENERGY, of=of)
    with pytest.raises(em.NoPathError):
        epa.convert("1 home_year", "co2e", of=BY_ENERGY)  # one way: it leads nowhere


def test_a_ton_of_co2e_is_offered_no_energy_based_home(epa: em.Engine) -> None:
    for role in ("feel_good", "action"):
        kinds = [c.kind.name for c in epa.candidates("1 t", role, of="co2e")]
        assert BY_ENERGY not in kinds, role
    offered = epa.feel_good("1 t", of="co2e", top=50)
    assert BY_ENERGY not in [e.kind for e in offered]
    assert not any("as much electricity as" in e.text for e in offered)
    # a thousand tons makes about 195 homes by CO2 (1,000 / 5.13988 = 194.56), still none by energy
    many = epa.feel_good("1000 t", of="co2e", top=50)
    assert "home_electricity" in [e.kind for e in many]
    assert BY_ENERGY not in [e.kind for e in many]


def test_12400_kwh_offers_both_homes_with_distinguishable_texts(epa: em.Engine) -> None:
    for role in ("feel_good", "action"):
        offered = {e.kind: e for e in getattr(epa, role)("12400 kWh")}
        by_energy, by_co2 = offered[BY_ENERGY], offered["home_electricity"]
        assert (
            by_energy.text == "as much electricity as 1.04 homes use in a year (range 0.949–1.16)"
        )
        assert (
            by_co2.text == "as much CO2 as 1.7 homes' electricity use for one year (range 1.3–2.2)"
        )
        assert by_energy.family != by_co2.family  # both offered, neither hides the other
    # the energy home comes first among the homes: for kWh it is the direct comparison
    order = [e.kind for e in epa.feel_good("12400 kWh")]
    assert order.index(BY_ENERGY) < order.index("home_electricity")


def test_every_wording_says_what_it_compares(epa: em.Engine) -> None:
    """CO2-based equivalents say CO2; the energy home says electricity and not CO2."""
    for name, kind in epa.kinds.items():
        for role in ("feel_good", "action"):
            template = kind.presentation.template(role, "en")
            if template is None:
                continue
            text = template.format(value="2", label=kind.label_other, per="")
            if name == BY_ENERGY:
                assert "electricity" in text, (name, role, text)
                assert "CO2" not in text, (name, role, text)
            else:
                assert "CO2" in text, (name, role, text)


# --- properties ----------------------------------------------------------------------------------

#: Kinds linked to co2e (all but co2e itself and the energy home, which only electricity reaches).
_NON_CO2E = sorted(k for k in DISPLAY_UNITS if k not in ("co2e", BY_ENERGY))


@SETTINGS
@given(
    kind=st.sampled_from(_NON_CO2E),
    x=st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False),
)
def test_conversions_are_linear_with_ordered_ranges(epa: em.Engine, kind: str, x: float) -> None:
    unit = DISPLAY_UNITS[kind]
    one = epa.convert((1.0, unit), "co2e", of=kind)
    r = epa.convert((x, unit), "co2e", of=kind)
    assert r.magnitude == pytest.approx(x * one.magnitude, rel=1e-12)
    assert r.low <= r.magnitude <= r.high


@SETTINGS
@given(
    x=st.floats(min_value=1e-6, max_value=1e12, allow_nan=False, allow_infinity=False),
    of=st.sampled_from(["electricity_avoided", "electricity_consumed"]),
)
def test_homes_by_energy_are_kwh_over_11880(epa: em.Engine, x: float, of: str) -> None:
    r = epa.convert((x, "kWh"), BY_ENERGY, of=of)
    assert r.magnitude == pytest.approx(x / 11880, rel=1e-12)
    assert r.low <= r.magnitude <= r.high


@SETTINGS
@given(
    kind=st.sampled_from(_NON_CO2E),
    other=st.sampled_from(_NON_CO2E),
    x=st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False),
)
def test_round_trips_through_any_kind_return_the_input(
    epa: em.Engine, kind: str, other: str, x: float
) -> None:
    if kind == other:
        return
    there = epa.convert((x, DISPLAY_UNITS[kind]), other, of=kind)
    back = epa.convert((there.magnitude, DISPLAY_UNITS[other]), kind, of=other)
    assert back.magnitude == pytest.approx(x, rel=1e-9)
