"""Refused units are matched as pint reads them: with any SI prefix, symbol or plural.

A kind's ``refuse_units`` names a unit that would give a silently wrong number. A prefix does
not change what the unit means: ``kiloton`` is 1,000 short tons, ``kilogallon`` 1,000 US
gallons, ``Mbbl`` a million 31.5-gallon barrels. Names that say which unit they mean
(``short_ton``, ``US_liquid_gallon``) stay accepted, and so do prefixes on a unit the kind is
itself measured in (``kcal`` for food energy).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import equivmetrics as em

#: EPA: 8,887 g CO2 per gallon of gasoline; 1 t = 1e6 / 8,887 = 112.5239 gallons.
GALLONS_PER_T = 1e6 / 8887
#: DESNZ 2025: petrol 2.06916 kg CO2e per litre.
PETROL_KG_PER_L = 2.06916
TON_REASON = "pint's ton is the US short ton (2,000 lb) but emissions are reported in metric tons"
BARREL_REASON = "is the 31.5-gallon US liquid barrel, but a petroleum barrel holds 42 US gallons"


@pytest.fixture(scope="module")
def us() -> em.Engine:
    return em.load()


@pytest.fixture(scope="module")
def gb() -> em.Engine:
    return em.load(region="GB")


def test_a_kiloton_of_co2e_is_refused_like_a_ton(us: em.Engine) -> None:
    # pint's kiloton is 1,000 short tons = 907.18 t: it was silently accepted as such
    with pytest.raises(em.UnitError) as info:
        us.convert("1 kiloton", "co2e", of="co2e")
    assert str(info.value).startswith(
        "co2e does not accept 'kiloton': 'kiloton' is 1,000 ton (prefix kilo), and a prefix "
        "does not change what 'ton' means: 'ton' is ambiguous for emissions: "
    )
    assert TON_REASON in str(info.value)
    assert "Write 't' (or 'tonne', 1,000 kg) for metric tons" in str(info.value)
    assert info.value.unit == "kiloton"


@pytest.mark.parametrize("unit", ["kiloton", "kilotons", "kton", "megaton"])
def test_a_prefixed_ton_is_refused_as_a_result_unit(us: em.Engine, unit: str) -> None:
    with pytest.raises(em.UnitError) as info:
        us.convert("1 t", "co2e", unit=unit)
    message = str(info.value)
    assert message.startswith(f"co2e does not accept unit={unit!r}: {unit!r} is 1,")
    assert "and a prefix does not change what 'ton' means" in message
    assert TON_REASON in message
    assert info.value.unit == unit


def test_metric_tons_with_prefixes_and_the_short_ton_said_so_are_read(us: em.Engine) -> None:
    # kilotonne is the metric ton's prefix (pint's root metric_ton), not the short ton's
    assert us.convert("1 kilotonne", "co2e").magnitude == pytest.approx(1000.0, rel=1e-12)
    assert us.convert("1 t", "co2e", unit="kilotonne").magnitude == pytest.approx(0.001)
    assert us.convert("2 Mt", "co2e").magnitude == pytest.approx(2e6, rel=1e-12)
    # 1 t = 1 / 0.90718474 = 1.102311 short tons: short_ton names the unit on purpose
    short = us.convert("1 t", "co2e", unit="short_tons")
    assert short.magnitude == pytest.approx(1 / 0.90718474, rel=1e-12)
    # 1 short ton of CO2e = 0.90718474 t x 112.5239 gallons/t = 102.0800 gallons of gasoline
    gasoline = us.convert("1 short_ton", "gasoline", of="co2e")
    assert gasoline.magnitude == pytest.approx(0.90718474 * GALLONS_PER_T, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "of", "factor"),
    [("1 kbbl", "oil", "1,000"), ("1 kilobarrels", "gasoline", "1,000"), ("1 Mbbl", "oil", None)],
)
def test_prefixed_barrels_are_refused_like_barrels(
    us: em.Engine, text: str, of: str, factor: str | None
) -> None:
    unit = text.split()[1]
    with pytest.raises(em.UnitError) as info:
        us.convert(text, "co2e", of=of)
    message = str(info.value)
    assert message.startswith(f"{of} does not accept {unit!r}: {unit!r} is ")
    assert "a prefix does not change what 'barrel' means" in message
    assert BARREL_REASON in message
    assert "Write 'oil_barrel' for a 42-gallon barrel" in message
    if factor is not None:
        assert f"{unit!r} is {factor} " in message


def test_mbbl_says_pint_reads_mega_not_the_trades_thousand(us: em.Engine) -> None:
    with pytest.raises(em.UnitError) as info:
        us.convert("1 Mbbl", "co2e", of="gasoline")
    assert str(info.value).startswith(
        "gasoline does not accept 'Mbbl': 'Mbbl' is 1,000,000 bbl (prefix mega; pint reads M "
        "as the SI prefix, a million, where trade usage, as in Mbbl or Mcf, means a thousand), "
        "and a prefix does not change what 'barrel' means: pint's 'barrel' (and 'bbl')"
    )


def test_the_oil_barrel_is_still_read(us: em.Engine) -> None:
    # 1 t = 112.5239 gallons of gasoline / 42 = 2.67914 oil barrels
    r = us.convert("1 t", "gasoline", unit="oil_barrel")
    assert r.magnitude == pytest.approx(GALLONS_PER_T / 42, rel=1e-12)
    r = us.convert("1 t", "gasoline", unit="kgal")  # gasoline is in gallons: no refusal
    assert r.magnitude == pytest.approx(GALLONS_PER_T / 1000, rel=1e-12)


@pytest.mark.parametrize("text", ["1 kilogallon", "1 kgal", "3 kilogallons"])
def test_a_uk_kilogallon_of_petrol_is_refused_like_a_gallon(gb: em.Engine, text: str) -> None:
    # it was read as 1,000 US gallons = 3,785.4 L x 2.06916 kg/L = 7.83 t
    unit = text.split()[1]
    with pytest.raises(em.UnitError) as info:
        gb.convert(text, "co2e", of="petrol")
    message = str(info.value)
    assert message.startswith(f"petrol does not accept {unit!r}: {unit!r} is 1,000 gal")
    assert "a prefix does not change what 'gallon' means" in message
    assert "is the US gallon, 3.785 litres; a UK gallon is 4.546 litres" in message
    assert "write 'imperial_gallon' for UK gallons" in message


def test_gallons_said_to_be_us_or_uk_are_read(gb: em.Engine) -> None:
    # 1 US gallon = 3.785411784 L x 2.06916 = 7.832623 kg; 1 UK gallon 4.54609 L = 9.406588 kg
    us_gallon = gb.convert("1 US_liquid_gallon", "co2e", of="petrol", unit="kg")
    assert us_gallon.magnitude == pytest.approx(3.785411784 * PETROL_KG_PER_L, rel=1e-12)
    uk = gb.convert("1 imperial_gallon", "co2e", of="petrol", unit="kg")
    assert uk.magnitude == pytest.approx(4.54609 * PETROL_KG_PER_L, rel=1e-12)


def test_prefixes_on_the_kinds_own_unit_stay_accepted(us: em.Engine) -> None:
    # food_energy is in kcal (a prefixed calorie): it refuses the bare small calorie only.
    # 420 kcal / (4.8 MET x 70 kg x 1 kcal/(kg h)) = 1.25 h = 75 min walking
    assert us.convert("420 kcal", "walking").magnitude == pytest.approx(75.0, rel=1e-12)
    # 0.42 Mcal = 420 kcal
    assert us.convert("0.42 Mcal", "walking").magnitude == pytest.approx(75.0, rel=1e-12)
    # 420 kcal_it = 420 x 4,186.8 / 4,184 kcal = 420.2811 kcal: 75 x 4,186.8 / 4,184 min
    r = us.convert("420 kcal_it", "walking")
    assert r.magnitude == pytest.approx(75 * 4186.8 / 4184, rel=1e-12)
    with pytest.raises(em.UnitError) as info:
        us.convert("420 cal", "walking")
    assert str(info.value).startswith(
        "food_energy does not accept 'cal': food 'calories' are kilocalories, but "
        "'calorie'/'cal' here is the small calorie (1/1000 kcal)"
    )


# -- packs -----------------------------------------------------------------------------------


def test_a_refused_unit_must_be_one_unit_name(tmp_path: Path) -> None:
    pack = tmp_path / "bad.yaml"
    pack.write_text(
        "equivmetrics: 1\nname: bad\nedition: '1'\nlicense: MIT\nkinds:\n"
        "  co2:\n    unit: t\n    refuse_units:\n"
        "      ton/year: a rate of short tons\n",
        encoding="utf-8",
    )
    with pytest.raises(em.PackError) as info:
        em.load(pack, bundled=False)
    [problem] = info.value.problems
    assert problem.field == "kinds.co2.refuse_units"
    assert problem.message == "'ton/year' is not a single unit name"
    assert "name one unit, such as 'ton'" in problem.hint
    assert problem.location.line == 8


def test_a_pack_refusal_covers_the_prefixed_forms_in_metrics(tmp_path: Path) -> None:
    pack = tmp_path / "kt.yaml"
    pack.write_text(
        "equivmetrics: 1\nname: kt\nedition: '1'\nlicense: MIT\nkinds:\n"
        "  co2: {unit: t, refuse_units: {ton: the short ton is not a metric ton}}\n"
        "metrics:\n"
        "  - {name: m, from: co2, unit: kiloton/month}\n",
        encoding="utf-8",
    )
    with pytest.raises(em.PackError) as info:
        em.load(pack, bundled=False)
    [problem] = info.value.problems
    assert problem.field == "metrics.m.unit"
    assert problem.message == (
        "co2 does not accept 'kiloton/month': 'kiloton' is 1,000 ton (prefix kilo), and a prefix "
        "does not change what 'ton' means: the short ton is not a metric ton"
    )
    assert problem.location.line == 8
