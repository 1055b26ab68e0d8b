"""The bundled UK pack (conversions/desnz_2025.yaml): DESNZ 2025 conversion factors and Ofgem's
typical household electricity use, for region GB.

Every expected number below is worked by hand from the rows of DESNZ's 2025 flat-format file
(../shared/reference/regional-factors.md §1 lists them with their row IDs); the arithmetic is
written next to it. None is computed by the code under test. The first group of tests reads
the publisher's file itself and holds each parameter to its row.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from equivmetrics._packs.model import Pack
from strategies import SETTINGS


def _environment(engine: em.Engine) -> tuple[tuple[str, str], ...]:
    """The engine's chosen packs and editions, the productivity topic (which holds everywhere)
    left out."""
    return tuple(e for e in engine.editions if e[0] != "productivity")


ROOT = Path(__file__).resolve().parent.parent
DESNZ = ROOT / "conversions" / "desnz_2025.yaml"
#: The publisher's file, kept next to the project (not shipped with it).
FLAT = (
    Path(__file__).parents[2]
    / "shared"
    / "reference"
    / "data"
    / "desnz-ghg-conversion-factors-2025-flat.csv"
)
EDITION = "DESNZ 2025"
#: pint's mile, exactly.
KM_PER_MILE = 1.609344

#: Each DESNZ parameter: its row ID, the row's unit of measure, and words of the row's
#: description that prove it is the right row.
ROWS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "grid_generation_factor": (
        "7_400_4000_5_1",
        "kWh",
        ("UK electricity", "Electricity generated"),
    ),
    "grid_td_loss_factor": ("13_402_4000_5_1", "kWh", ("T&D- UK electricity",)),
    "car_unknown_fuel_per_km": ("4_301_3074_4_1", "km", ("Average car", "Unknown")),
    "car_petrol_per_km": ("4_301_3070_4_1", "km", ("Average car", "Petrol")),
    "car_diesel_per_km": ("4_301_3069_4_1", "km", ("Average car", "Diesel")),
    "petrol_per_litre": ("1_101_1017_8_1", "litres", ("Petrol (average biofuel blend)",)),
    "diesel_per_litre": ("1_101_1011_8_1", "litres", ("Diesel (average biofuel blend)",)),
    "natural_gas_per_kwh": ("1_100_1004_6_1", "kWh (Gross CV)", ("Natural gas",)),
    "natural_gas_per_m3": ("1_100_1004_1_1", "cubic metres", ("Natural gas",)),
    "rail_per_passenger_km": ("25_315_3147_11_1", "passenger.km", ("National rail",)),
    "hotel_per_room_night": ("29_600_4000_13_1", "Room per night", ("Hotel stay", "UK")),
}

#: Figures a parameter's note quotes but the pack does not use: (parameter, row ID, as quoted).
QUOTED = [
    ("petrol_per_litre", "1_101_1018_8_1", "2.33984"),  # 100% mineral petrol
    ("diesel_per_litre", "1_101_1012_8_1", "2.66155"),  # 100% mineral diesel
    ("natural_gas_per_kwh", "1_100_1004_7_1", "0.20270"),  # net CV
    ("car_unknown_fuel_per_km", "4_301_3074_9_1", "0.26915"),  # per mile
    ("car_petrol_per_km", "4_301_3070_9_1", "0.26187"),
    ("car_diesel_per_km", "4_301_3069_9_1", "0.27849"),
    ("hotel_per_room_night", "29_600_4001_13_1", "11.5"),  # London
]

#: The kinds and their display units: distances in km, fuel in litres, gas in kWh.
DISPLAY_UNITS = {
    "co2e": "t",
    "electricity_avoided": "kWh",
    "electricity_generated": "kWh",
    "electricity_consumed": "kWh",
    "home_electricity_energy": "home_year",
    "car_km": "km",
    "petrol_car_km": "km",
    "diesel_car_km": "km",
    "petrol": "L",
    "diesel": "L",
    "natural_gas": "kWh",
    "natural_gas_volume": "m**3",
    "rail_km": "km",
    "hotel_night": "room_night",
}
ELECTRICITY = ("electricity_avoided", "electricity_generated", "electricity_consumed")

#: kg CO2e per kWh of each electricity kind, from the rows:
#: generation 0.17700 (ID 7_400_4000_5_1); with T&D 0.17700 + 0.01853 (ID 13_402_4000_5_1)
#: = 0.19553. An avoided kWh is valued at the generation factor (no marginal factor exists).
KG_PER_KWH = {
    "electricity_avoided": 0.17700,
    "electricity_generated": 0.17700,
    "electricity_consumed": 0.19553,
}
#: EPA's electricity used (AVERT2019-eGRID2019 edition): 884.2 lb/MWh / (1 - 0.073), in kg/kWh
#: = 953.830 lb/MWh x 0.45359237 kg/lb / 1,000 = 0.432650 kg/kWh.
US_CONSUMED_KG_PER_KWH = 884.2 / (1 - 0.073) * 0.45359237 / 1000


@pytest.fixture(scope="module")
def gb() -> em.Engine:
    return em.load(region="GB")


def _pack(engine: em.Engine) -> Pack:
    return next(p for p in engine.catalog.packs if p.name == "desnz")


def _number(text: str) -> tuple[float, str]:
    """``"0.17700 kg/kWh"`` as ``(0.177, "kg/kWh")``."""
    number, _, unit = text.partition(" ")
    return float(number), unit


# --- (a) every figure is its row of the publisher's file ----------------------------------------


@pytest.fixture(scope="module")
def flat() -> dict[str, dict[str, str]]:
    if not FLAT.is_file():
        pytest.skip(
            f"DESNZ's flat file is not here ({FLAT}): the shared reference folder is absent"
        )
    with FLAT.open(encoding="utf-8-sig", newline="") as handle:
        return {row["ID"]: row for row in csv.DictReader(handle)}


def _value(row: dict[str, str]) -> float:
    assert row["GHG/Unit"] == "kg CO2e", row  # all gases, AR5: never a single gas's row
    return float(row["GHG Conversion Factor 2025"])


@pytest.mark.parametrize("name", sorted(ROWS))
def test_each_parameter_is_its_row_of_the_flat_file(
    gb: em.Engine, flat: dict[str, dict[str, str]], name: str
) -> None:
    row_id, uom, words = ROWS[name]
    row = flat[row_id]
    assert row["UOM"] == uom
    described = " ".join(row[f"Level {n}"] for n in range(1, 5)) + " " + row["Column Text"]
    for word in words:
        assert word in described, (row_id, described)
    spec = next(p for p in _pack(gb).parameters if p.name == name)
    value, unit = _number(spec.value)
    assert value == _value(row)
    assert unit.startswith("kg/")
    # the note cites the row and how it was read; the source is DESNZ 2025
    assert f"ID {row_id}" in spec.note
    assert "Primary: DESNZ flat file" in spec.note
    assert spec.source.key == "desnz_2025"
    assert spec.edition == EDITION


@pytest.mark.parametrize(("name", "row_id", "quoted"), QUOTED, ids=[q[1] for q in QUOTED])
def test_figures_quoted_in_notes_are_their_rows(
    gb: em.Engine, flat: dict[str, dict[str, str]], name: str, row_id: str, quoted: str
) -> None:
    spec = next(p for p in _pack(gb).parameters if p.name == name)
    assert quoted in spec.note
    assert row_id in spec.note
    assert float(quoted) == _value(flat[row_id])


@pytest.mark.parametrize("fuel", ["Unknown", "Petrol", "Diesel"])
def test_desnz_per_mile_rows_are_its_per_km_rows_in_miles(
    flat: dict[str, dict[str, str]], fuel: str
) -> None:
    """Miles are converted with pint's exact mile; DESNZ's own per-mile rows agree to 1e-4."""
    code = {"Unknown": "3074", "Petrol": "3070", "Diesel": "3069"}[fuel]
    per_km = _value(flat[f"4_301_{code}_4_1"])
    per_mile = _value(flat[f"4_301_{code}_9_1"])
    # 0.16725 x 1.609344 = 0.269163 against 0.26915 (DESNZ rounds from unrounded figures)
    assert per_mile == pytest.approx(per_km * KM_PER_MILE, rel=1e-4)


def test_electricity_consumed_is_generation_plus_td_losses(
    flat: dict[str, dict[str, str]],
) -> None:
    generation = _value(flat["7_400_4000_5_1"])
    losses = _value(flat["13_402_4000_5_1"])
    assert generation + losses == pytest.approx(KG_PER_KWH["electricity_consumed"], abs=1e-12)


# --- the pack as a whole ---------------------------------------------------------------------


def test_pack_identity_region_and_licence(gb: em.Engine) -> None:
    pack = _pack(gb)
    assert (pack.name, pack.edition, pack.region, pack.topic) == (
        "desnz",
        EDITION,
        "GB",
        "environment",
    )
    # its one edition needs no default mark: a GB pack of your own, read later, takes its place
    assert not pack.default
    [entry] = pack.regions
    assert (entry.code, entry.name, entry.parameters) == ("GB", "United Kingdom", ())
    # the attribution sentence the Open Government Licence v3.0 requires
    assert (
        "Contains public sector information licensed under the Open Government Licence v3.0"
        in " ".join(pack.license.split())
    )
    # what is left out, and why, is said in the description
    for text in ("woodland", "second-hand", "flights", "2026"):
        assert text in pack.description
    info = next(r for r in em.regions() if r.code == "GB")
    assert info.name == "United Kingdom"
    assert ("environment", EDITION, "desnz") in info.editions


def test_the_uk_pack_alone_validates_at_its_own_region() -> None:
    report = em.validate(DESNZ, bundled=False)
    assert report.ok, report.problems
    assert report.examples_run == report.examples_passed >= 20


def test_gb_and_uk_take_the_uk_pack_instead_of_the_us_one() -> None:
    for region in ("GB", "gb", "UK", "uk"):
        engine = em.load(region=region)
        names = {p.name for p in engine.catalog.packs}
        assert "desnz" in names, region
        assert "epa_ghg" not in names, region
        assert engine.region == "GB"
        assert _environment(engine) == (("desnz", EDITION),)
    assert "desnz" not in {p.name for p in em.load().catalog.packs}  # the US default
    # the national pack beats a dataset that lists GB in its table, unless that is named
    ember = em.load(region="GB", edition="Ember 2025")
    assert "desnz" not in {p.name for p in ember.catalog.packs}


def test_kinds_and_display_units(gb: em.Engine) -> None:
    mine = {name: kind.unit for name, kind in gb.kinds.items() if kind.pack == "desnz"}
    assert mine == DISPLAY_UNITS


def test_kinds_of_the_same_meaning_keep_the_us_pack_names(gb: em.Engine) -> None:
    us = em.load().kinds
    shared = {"co2e", "electricity_avoided", "electricity_consumed", "home_electricity_energy"}
    shared |= {"natural_gas", "diesel"}
    assert shared <= set(gb.kinds) & set(us)
    assert gb.kinds["co2e"].unit == us["co2e"].unit == "t"
    # EPA's average gasoline vehicle is not DESNZ's average car: a kind of its own
    assert "vehicle_miles" not in gb.kinds
    assert "gasoline" not in gb.kinds


def test_every_factor_is_derived_from_named_parameters(gb: em.Engine) -> None:
    number = re.compile(r"(?<![\w.])\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")
    for rule in _pack(gb).rules:
        assert gb.catalog.rules[rule.id].parameters, rule.id
        assert {float(n) for n in number.findall(rule.factor)} <= {1.0}, rule.id


def test_every_parameter_is_cited_with_a_reasoned_range(gb: em.Engine) -> None:
    for spec in _pack(gb).parameters:
        assert spec.source is not None, spec.name
        assert spec.source.publisher, spec.name
        assert spec.low is not None, spec.name
        assert spec.high is not None, spec.name
        assert "equivmetrics judgement" in spec.note, spec.name  # DESNZ gives no ranges
        value = gb.parameters[spec.name]
        assert value.low < value.central < value.high, spec.name


def test_the_home_figure_is_ofgems_tdcv_read_as_an_excerpt(gb: em.Engine) -> None:
    spec = next(p for p in _pack(gb).parameters if p.name == "home_electricity_use")
    assert spec.value == "2700 kWh/home_year"
    assert spec.source.key == "ofgem_tdcv"
    assert "excerpt" in spec.note.lower()
    assert "October 2023 – June 2026" in spec.note
    # the new value from 1 July 2026 is named, second-hand, and not used
    for text in ("1 July 2026", "2,500 kWh", "second-hand", "not used"):
        assert text in spec.note


def test_labels_and_roles_say_the_basis(gb: em.Engine) -> None:
    label = {name: kind.label_other for name, kind in gb.kinds.items()}
    assert "generation factor (Scope 2)" in label["electricity_generated"]
    assert "with grid losses" in label["electricity_consumed"]
    assert "valued at the UK average" in label["electricity_avoided"]
    for fuel in ("petrol", "diesel"):
        assert "average biofuel blend" in label[fuel]
    assert "gross CV" in label["natural_gas"]
    assert "average UK car (fuel unknown)" in label["car_km"]
    for name in ELECTRICITY:
        assert "AR5" in gb.kinds["co2e"].description
        assert "DESNZ" in gb.kinds[name].description
    # CO2-based equivalents say so; the home equivalent is energy and says nothing of CO2
    for name, kind in gb.kinds.items():
        if kind.pack != "desnz":
            continue
        for role in ("feel_good", "action"):
            text = kind.presentation.template(role, "en")
            if not text:
                continue
            if name == "home_electricity_energy":
                assert "CO2" not in text
                assert "electricity" in label[name]
            elif name != "co2e":
                assert text.startswith("as much CO2 as "), (name, role)


# --- (b) hand-worked conversions --------------------------------------------------------------

#: (given, of, to, unit, expected) - each worked from the rows by hand.
WORKED = [
    # 1,000 kWh x (0.17700 + 0.01853) kg/kWh = 195.53 kg
    ("1000 kWh", "electricity_consumed", "co2e", "t", 0.19553),
    # 1,000 kWh x 0.17700 = 177.00 kg (Scope 2 alone)
    ("1000 kWh", "electricity_generated", "co2e", "t", 0.177),
    # kWh alone is electricity_avoided, at the average generation factor: 177.00 kg
    ("1000 kWh", None, "co2e", "t", 0.177),
    # average car, unknown fuel: 100 x 0.16725 = 16.725 kg
    ("100 km", None, "co2e", "kg", 16.725),
    # 100 x 0.16272 = 16.272 kg; 100 x 0.17304 = 17.304 kg
    ("100 km", "petrol_car_km", "co2e", "kg", 16.272),
    ("100 km", "diesel_car_km", "co2e", "kg", 17.304),
    # 100 mile x 1.609344 = 160.9344 km x 0.16725 = 26.916278 kg
    ("100 mile", None, "co2e", "kg", 26.916278),
    # 50 L x 2.57082 = 128.541 kg; 40 L x 2.06916 = 82.7664 kg
    ("50 L", "diesel", "co2e", "kg", 128.541),
    ("40 L", "petrol", "co2e", "kg", 82.7664),
    # 10 UK gallons = 45.4609 L x 2.57082 = 116.871791 kg
    ("10 imperial_gallon", "diesel", "co2e", "kg", 116.871791),
    # 1,000 kWh (gross CV) x 0.18296 = 182.96 kg
    ("1000 kWh", "natural_gas", "co2e", "kg", 182.96),
    # 100 therm = 10,000,000 Btu x 1,055.05585262 J = 1.05505585262e10 J / 3.6e6 J/kWh
    #   = 2,930.71070 kWh x 0.18296 = 536.20283 kg
    ("100 therm", None, "co2e", "kg", 536.20283),
    # 100 m3 x 2.06672 = 206.672 kg
    ("100 m**3", "natural_gas_volume", "co2e", "kg", 206.672),
    # ... which is 206.672 / 0.18296 = 1,129.6021 kWh of gas, through co2e
    ("100 m**3", "natural_gas_volume", "natural_gas", "kWh", 1129.6021),
    # 100 passenger-km x 0.03546 = 3.546 kg; 3 room-nights x 10.4 = 31.2 kg
    ("100 km", "rail_km", "co2e", "kg", 3.546),
    ("3 room_night", None, "co2e", "kg", 31.2),
    # the other way: 1,000 kg / 0.16725 = 5,979.0732 km; / 2.06916 = 483.28790 L
    ("1 t", None, "car_km", "km", 5979.0732),
    ("1 t", None, "petrol", "L", 483.28790),
    # the solar dashboard: 12,400 kWh x 0.17700 = 2,194.8 kg avoided
    ("12400 kWh", None, "co2e", "t", 2.1948),
    # homes by energy: 12,400 / 2,700 = 4.592593 home-years
    ("12400 kWh", None, "home_electricity_energy", "home_year", 4.592593),
    # 2,194.8 kg / 0.16725 = 13,122.870 km; / 10.4 = 211.03846 room-nights
    ("12400 kWh", None, "car_km", "km", 13122.870),
    ("12400 kWh", None, "hotel_night", "room_night", 211.03846),
    # the same kWh used from the grid: 12,400 x 0.19553 = 2,424.572 kg
    ("12400 kWh", "electricity_consumed", "co2e", "t", 2.424572),
]


@pytest.mark.parametrize("region", ["GB", "uk"])
@pytest.mark.parametrize(
    ("given", "of", "to", "unit", "expected"), WORKED, ids=[f"{w[0]}:{w[1]}>{w[2]}" for w in WORKED]
)
def test_hand_worked_conversions(
    region: str, given: str, of: str | None, to: str, unit: str, expected: float
) -> None:
    r = em.load(region=region).convert(given, to, of=of, unit=unit)
    assert r.magnitude == pytest.approx(expected, rel=1e-6)
    assert r.region == "GB"
    assert EDITION in r.editions
    assert r.editions == (EDITION,)


def test_ranges_of_electricity_used(gb: em.Engine) -> None:
    r = gb.convert("1000 kWh", "co2e", of="electricity_consumed", unit="kg")
    # 1,000 x (0.15930 + 0.01668) = 175.98 kg; 1,000 x (0.19470 + 0.02038) = 215.08 kg
    assert r.low == pytest.approx(175.98, rel=1e-9)
    assert r.high == pytest.approx(215.08, rel=1e-9)


def test_kwh_alone_is_electricity_avoided_at_the_average_factor(gb: em.Engine) -> None:
    for unit in ("Wh", "kWh", "MWh", "GWh"):
        assert gb.convert(f"1 {unit}", "co2e").source_kind == "electricity_avoided"
    kind = gb.kinds["electricity_avoided"]
    assert "no marginal factor" in kind.description
    assert "AVERAGE" in kind.description
    r = gb.convert("12400 kWh", "co2e")
    [step] = r.steps
    assert [p.name for p in step.parameters] == ["grid_generation_factor"]


def test_feel_good_for_a_uk_solar_dashboard(gb: em.Engine) -> None:
    goods = em.load(region="uk").feel_good("12400 kWh", top=3)
    texts = {e.kind: e.text for e in goods}
    assert set(texts) == {"co2e", "car_km", "home_electricity_energy"}
    # 2.1948 t; 13,122.9 km (range 2,194.8 x 0.9 / 0.18398 = 10,737 to 2,194.8 x 1.1 / 0.15053
    # = 16,039); 4.5926 homes (12,400 / 2,970 = 4.175 to 12,400 / 2,430 = 5.103)
    assert texts["co2e"].startswith("2.19 metric tons of CO2 equivalent kept out of the air")
    assert texts["car_km"].startswith(
        "as much CO2 as 13,100 kilometres driven by an average UK car (fuel unknown)"
    )
    assert (
        texts["home_electricity_energy"]
        == "4.59 GB homes' electricity for a year (range 4.18–5.10)"
    )
    for e in goods:
        assert EDITION in {s.edition for s in e.steps}


def test_homes_are_by_energy_whatever_the_co2_basis(gb: em.Engine) -> None:
    homes = {
        k: gb.convert("12400 kWh", "home_electricity_energy", of=k).magnitude for k in ELECTRICITY
    }
    co2 = {k: gb.convert("12400 kWh", "co2e", of=k).magnitude for k in ELECTRICITY}
    for value in homes.values():
        assert value == pytest.approx(12400 / 2700)  # 4.592593 home-years
    assert co2["electricity_consumed"] > co2["electricity_generated"]
    # a rate: 12,400 kWh a year powers 4.59 homes, year after year
    rate = gb.convert("12400 kWh/year", "home_electricity_energy")
    assert (rate.magnitude, rate.unit) == (pytest.approx(12400 / 2700), "home_year/year")


def test_no_co2_amount_becomes_homes_or_another_electricity_basis(gb: em.Engine) -> None:
    paths = gb.catalog.paths
    for source in ("co2e", "petrol", "car_km", "natural_gas"):
        assert (source, "home_electricity_energy") not in paths
        for kind in ELECTRICITY:
            assert (source, kind) not in paths
    for a in ELECTRICITY:
        for b in ELECTRICITY:
            assert a == b or (a, b) not in paths
    with pytest.raises(
        em.NoPathError, match="no rule leads from 'co2e' to 'home_electricity_energy'"
    ):
        gb.convert("1 t", "home_electricity_energy")
    assert "home_electricity_energy" not in [
        e.kind for e in gb.feel_good("50 L", of="diesel", top=20)
    ]


def test_a_tenant_can_use_the_100_percent_mineral_figure(gb: em.Engine) -> None:
    tenant = gb.with_params(diesel_per_litre="2.66155 kg/L")
    # 50 L x 2.66155 = 133.0775 kg (ID 1_101_1012_8_1, quoted in the note)
    assert tenant.convert("50 L", "co2e", of="diesel", unit="kg").magnitude == pytest.approx(
        133.0775, rel=1e-9
    )
    assert gb.convert("50 L", "co2e", of="diesel", unit="kg").magnitude == pytest.approx(128.541)


# --- (c) properties ----------------------------------------------------------------------------

_kwh = st.floats(min_value=1e-3, max_value=1e9, allow_nan=False, allow_infinity=False)


@SETTINGS
@given(kind=st.sampled_from(ELECTRICITY), x=_kwh)
def test_electricity_to_car_km_is_the_product_of_its_steps(
    gb: em.Engine, kind: str, x: float
) -> None:
    r = gb.convert((x, "kWh"), "car_km", of=kind)
    assert [r.steps[0].source_kind, *(s.target_kind for s in r.steps)] == [kind, "co2e", "car_km"]
    product = x
    for step in r.steps:
        product = product / step.factor if step.inverse else product * step.factor
    assert r.magnitude == pytest.approx(product, rel=1e-12)
    # and by hand: x kWh x kg/kWh / 0.16725 kg/km
    assert r.magnitude == pytest.approx(x * KG_PER_KWH[kind] / 0.16725, rel=1e-9)
    assert r.low <= r.magnitude <= r.high


@SETTINGS
@given(x=_kwh)
def test_the_same_kwh_used_in_gb_and_the_us_differ_by_their_factors(
    gb: em.Engine, x: float
) -> None:
    us = em.load(region="US", edition="AVERT2019-eGRID2019")
    here = gb.convert((x, "kWh"), "co2e", of="electricity_consumed")
    there = us.convert((x, "kWh"), "co2e", of="electricity_consumed")
    # 0.19553 / 0.432650 = 0.451936
    assert here.magnitude / there.magnitude == pytest.approx(
        KG_PER_KWH["electricity_consumed"] / US_CONSUMED_KG_PER_KWH, rel=1e-9
    )
    assert (here.region, there.region) == ("GB", "US")


# --- (d) a GB result uses no US figure -------------------------------------------------------


def test_no_gb_result_uses_a_us_figure(gb: em.Engine) -> None:
    neutral = {p.name for p in gb.catalog.packs if not p.covers()}
    allowed = {"desnz"} | neutral
    editions = {EDITION} | {p.edition for p in gb.catalog.packs if p.name in neutral}
    sources = {s.key for p in gb.catalog.packs if p.name in allowed for s in p.sources}
    assert "epa_ghg" not in {p.name for p in gb.catalog.packs}
    mine = {name for name, kind in gb.kinds.items() if kind.pack == "desnz"}
    pairs = [(a, b) for a, b in gb.catalog.paths if a in mine or b in mine]
    assert len(pairs) > 100
    for source, target in pairs:
        unit = gb.kinds[source].unit
        r = gb.convert((1.0, unit), target, of=source)
        for step in r.steps:
            assert step.pack in allowed, (source, target, step.pack)
            assert step.region in {"GB", ""}, (source, target, step.region)
            for use in step.parameters:
                assert use.source is not None
                assert use.source.key in sources
        assert r.region in {"GB", ""}
        assert set(r.editions) <= editions, (source, target, r.editions)


# --- (e) unit traps ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "of"), [("5 ton", None), ("5 tons", "co2e")])
def test_a_bare_ton_of_co2e_is_refused(gb: em.Engine, text: str, of: str | None) -> None:
    with pytest.raises(em.UnitError, match="co2e does not accept") as info:
        gb.convert(text, "car_km", of=of)
    assert isinstance(info.value, ValueError)
    assert "pint's ton is the US short ton" in str(info.value)
    assert "Write 't' (or 'tonne', 1,000 kg)" in str(info.value)
    # 5 t = 5,000 kg / 0.16725 = 29,895.37 km
    assert gb.convert("5 t", "car_km").magnitude == pytest.approx(29895.366, rel=1e-6)


@pytest.mark.parametrize(
    ("text", "of"),
    [("5 gallon", None), ("5 gallons", "diesel"), ("5 gal", "petrol"), ("5 gallon", "petrol")],
)
def test_a_bare_gallon_of_fuel_is_refused(gb: em.Engine, text: str, of: str | None) -> None:
    with pytest.raises(em.UnitError, match=r"does not accept 'gal") as info:
        gb.convert(text, "co2e", of=of)
    message = str(info.value)
    assert "is the US gallon, 3.785 litres; a UK gallon is 4.546 litres" in message
    assert "'imperial_gallon'" in message


def test_a_bare_gallon_is_refused_as_a_result_unit_too(gb: em.Engine) -> None:
    with pytest.raises(em.UnitError, match="is the US gallon"):
        gb.convert("1 t", "diesel", unit="gallon")
    # 1,000 kg / 2.57082 kg/L = 388.98095 L / 4.54609 L = 85.56385 UK gallons
    r = gb.convert("1 t", "diesel", unit="imperial_gallon")
    assert r.magnitude == pytest.approx(85.56385, rel=1e-6)


def test_uk_and_explicit_us_gallons_are_read_as_written(gb: em.Engine) -> None:
    # 5 UK gallons = 22.73045 L x 2.06916 = 45.4609 + 1.572038 = 47.032938 kg
    for unit in ("imperial_gallon", "UK_gallon"):
        r = gb.convert(f"5 {unit}", "co2e", of="petrol", unit="kg")
        assert r.magnitude == pytest.approx(47.032938, rel=1e-7)
    # 5 US gallons, said so: 18.92705892 L x 2.06916 = 37.854118 + 1.308995 = 39.163113 kg
    r = gb.convert("5 US_liquid_gallon", "co2e", of="petrol", unit="kg")
    assert r.magnitude == pytest.approx(39.163113, rel=1e-7)


def test_litres_alone_name_the_candidates(gb: em.Engine) -> None:
    with pytest.raises(em.AmbiguousKindError) as info:
        gb.convert("50 L", "co2e")
    assert isinstance(info.value, LookupError)
    for kind in ("petrol", "diesel", "natural_gas_volume"):
        assert kind in str(info.value)
    assert "of=" in str(info.value)


def test_gas_kwh_needs_of_and_therms_do_not(gb: em.Engine) -> None:
    assert gb.convert("100 therm", "co2e").source_kind == "natural_gas"
    assert gb.convert("100 kWh", "co2e").source_kind == "electricity_avoided"
    gas = gb.convert("100 kWh", "co2e", of="natural_gas", unit="kg")
    assert gas.magnitude == pytest.approx(18.296)  # 100 x 0.18296
    assert not math.isclose(gas.magnitude, gb.convert("100 kWh", "co2e", unit="kg").magnitude)
