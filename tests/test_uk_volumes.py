"""UK fuel in pint's bare volume names: they are US customary measures, refused in the GB pack.

pint's ``pint``, ``quart``, ``fluid_ounce``, ``cup`` and ``gill`` are the US ones (a US pint is
0.473 L, a UK pint 0.568 L), as its ``gallon`` is the US gallon. The DESNZ pack refuses them for
petrol and diesel, as it refuses ``gallon``; ``imperial_pint`` and the like are read, and so are
the US measures said so (``US_pint``). The U.S. pack reads them as US measures, as before.
"""

from __future__ import annotations

import pytest

import equivmetrics as em

#: EPA: 8,887 g CO2 per gallon of gasoline; 1 t = 1e6 / 8,887 = 112.5239 gallons.
GALLONS_PER_T = 1e6 / 8887
#: DESNZ 2025: petrol 2.06916 kg CO2e per litre.
PETROL_KG_PER_L = 2.06916


@pytest.fixture(scope="module")
def us() -> em.Engine:
    return em.load()


@pytest.fixture(scope="module")
def gb() -> em.Engine:
    return em.load(region="GB")


US_MEASURE = "are US customary measures: a US pint is 0.473 litres, a UK pint 0.568 litres"


@pytest.mark.parametrize(
    ("text", "of"),
    [
        ("1 pint", "petrol"),
        ("2 pints", "diesel"),
        ("1 pt", "petrol"),
        ("1 quart", "diesel"),
        ("1 qt", "petrol"),
        ("12 fluid_ounce", "petrol"),
        ("12 floz", "diesel"),
        ("1 cup", "petrol"),
        ("1 gill", "diesel"),
        ("1 pint", None),  # petrol claims it to refuse it: the same reason without of=
    ],
)
def test_a_uk_pint_of_fuel_in_us_measures_is_refused(
    gb: em.Engine, text: str, of: str | None
) -> None:
    unit = text.split()[1]
    with pytest.raises(em.UnitError) as info:
        gb.convert(text, "co2e", of=of)
    message = str(info.value)
    assert message.startswith(f"{of or 'petrol'} does not accept {unit!r}: pint's bare 'pint'")
    assert US_MEASURE in message
    assert "write the UK measure: 'imperial_pint', 'imperial_quart'" in message
    assert info.value.unit == unit


def test_a_us_pint_is_refused_as_a_result_unit_too(gb: em.Engine) -> None:
    with pytest.raises(em.UnitError, match=r"^diesel does not accept unit='pint': pint's bare"):
        gb.convert("1 t", "diesel", unit="pint")


@pytest.mark.parametrize(
    ("unit", "litres"),
    [
        # pint's imperial measures: a UK gallon is 4.54609 L, a pint an eighth of it
        ("imperial_pint", 4.54609 / 8),
        ("UK_pint", 4.54609 / 8),
        ("imperial_quart", 4.54609 / 4),
        ("imperial_fluid_ounce", 4.54609 / 160),
        ("imperial_cup", 4.54609 / 16),
        ("imperial_gill", 4.54609 / 32),
        # the US measures, said so: a US gallon is 231 in^3 = 3.785411784 L
        ("US_pint", 3.785411784 / 8),
        ("US_liquid_quart", 3.785411784 / 4),
        ("US_fluid_ounce", 3.785411784 / 128),
        ("US_liquid_cup", 3.785411784 / 16),
        ("US_liquid_gill", 3.785411784 / 32),
    ],
)
def test_uk_and_explicit_us_measures_are_read_as_written(
    gb: em.Engine, unit: str, litres: float
) -> None:
    # 1 imperial pint = 0.56826125 L x 2.06916 kg/L = 1.1758234 kg of CO2e
    r = gb.convert(f"1 {unit}", "co2e", of="petrol", unit="kg")
    assert r.magnitude == pytest.approx(litres * PETROL_KG_PER_L, rel=1e-12)


def test_the_us_pack_reads_a_pint_of_gasoline_as_the_us_pint(us: em.Engine) -> None:
    # 8,887 g a gallon / 8 = 1,110.875 g = 0.001110875 t
    r = us.convert("1 pint", "co2e", of="gasoline")
    assert r.magnitude == pytest.approx(8887 / 8 / 1e6, rel=1e-12)
    assert us.convert("1 t", "gasoline", unit="quart").magnitude == pytest.approx(
        GALLONS_PER_T * 4, rel=1e-12
    )
