"""The bundled Ember grid pack (conversions/ember_grid.yaml), edition "Ember 2025".

Every figure below is typed in from ../shared/reference/regional-factors.md §4 (Ember's
yearly carbon intensity of generation, lifecycle g CO2e per kWh generated, as vendored by
CO2.js), and every expected number is worked by hand from those figures with the arithmetic
written next to it. None is read from the engine under test.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from equivmetrics._core.regions import ancestry
from equivmetrics._packs.model import Pack
from strategies import SETTINGS, positive


def _environment(engine: em.Engine) -> tuple[tuple[str, str], ...]:
    """The engine's chosen packs and editions, the productivity topic (which holds everywhere)
    left out."""
    return tuple(e for e in engine.editions if e[0] != "productivity")


EDITION = "Ember 2025"
KWH = "electricity_generated_lifecycle"

#: g CO2e per kWh generated, lifecycle (Ember), and the data year: §4 of the reference.
FIGURES: dict[str, tuple[float, int]] = {
    "US": (383.55, 2024),
    "CN": (557.50, 2024),
    "IN": (708.96, 2024),
    "JP": (483.73, 2024),
    "DE": (342.06, 2024),
    "GB": (215.79, 2024),
    "FR": (44.18, 2024),
    "BR": (106.06, 2024),
    "CA": (184.99, 2024),
    "AU": (553.76, 2024),
    "ZA": (713.90, 2024),
    "MX": (483.14, 2024),
    "KR": (415.65, 2024),
    "ID": (682.43, 2023),
    "RU": (446.17, 2024),
    "IT": (287.75, 2024),
    "ES": (146.15, 2024),
    "PL": (614.98, 2024),
    "SE": (35.89, 2024),
    "NO": (30.75, 2024),
    "NL": (252.70, 2024),
    "EU": (213.02, 2024),
    "World": (472.94, 2024),
}
#: Regions whose environment pack is Ember when no edition is named: every row but the two
#: with a national pack of their own (US: epa_ghg; GB: the DESNZ pack, once bundled).
EMBER_BY_DEFAULT = sorted(set(FIGURES) - {"US", "GB"})


def _engine(region: str, edition: str | None = None) -> em.Engine:
    return em.load(region=region, edition=edition)  # cached per region and edition


def _pack() -> Pack:
    return next(p for p in em.load().catalog.available if p.name == "ember_grid")


# --- the pack as a whole -----------------------------------------------------------------------


def test_every_example_holds_in_the_region_it_is_worked_for() -> None:
    """Each example runs here in its own region (the pack's, World, when it names none),
    whether or not em.validate() runs examples by region."""
    pack = _pack()
    assert len(pack.examples) >= 6
    regions = {example.region or "World" for example in pack.examples}
    assert {"World", "DE", "FR", "ID"} <= regions
    for example in pack.examples:
        engine = _engine(example.region or pack.region)
        result = engine.convert(example.given, example.to, of=example.of)
        expected = engine.convert(example.expect, example.to).magnitude  # a unit change only
        assert result.magnitude == pytest.approx(expected, rel=example.tolerance), example
        for bound, text in (("low", example.low), ("high", example.high)):
            if text is not None:
                want = engine.convert(text, example.to).magnitude
                assert getattr(result, bound) == pytest.approx(want, rel=example.tolerance)


def test_pack_identity_region_and_licence() -> None:
    pack = _pack()
    assert (pack.name, pack.edition, pack.region, pack.topic) == (
        "ember_grid",
        EDITION,
        "World",
        "environment",
    )
    assert pack.default is False  # the only Ember edition; national packs win by region
    for text in ("lifecycle emissions per kWh generated (Ember)", "2025-08-03", "Indonesia"):
        assert text in pack.description
    # what is left out, and why, is said
    for text in ("EEA", "108.1"):
        assert text in pack.description
    for text in ("CC BY-SA 4.0", "CC BY 4.0", "second-hand", "Attribution"):
        assert text in pack.license
    sources = {source.key: source for source in pack.sources}
    assert "country_overview_yearly" in sources["ember_yearly"].title
    assert "b459b5e5" in sources["co2js_average_intensities"].edition
    assert "7f0b09eb" in sources["co2js_average_intensities"].note


def test_the_table_has_every_row_of_the_reference_as_published() -> None:
    pack = _pack()
    table = {entry.code: entry for entry in pack.regions}
    assert set(table) == set(FIGURES)
    own = next(p for p in pack.parameters if p.name == "lifecycle_grid_intensity")
    assert own.value == "472.94 g/kWh"  # the pack's own figure is the World figure
    for code, (figure, year) in FIGURES.items():
        entry = table[code]
        assert entry.name, code
        (spec,) = entry.parameters
        assert spec.name == "lifecycle_grid_intensity"
        assert spec.value == f"{figure:.2f} g/kWh", code
        assert spec.edition == f"data year {year}", code
        assert f"data year {year}" in spec.note, code
        assert "how read: second-hand (vendored dataset)" in spec.note.casefold(), code
        assert spec.source.key == "ember_yearly"


def test_two_kinds_only_and_the_basis_is_in_the_kind() -> None:
    engine = _engine("DE")
    (pack,) = (p for p in engine.catalog.packs if p.name == "ember_grid")
    assert {kind.name for kind in pack.kinds} == {"co2e", KWH}
    spec = next(kind for kind in pack.kinds if kind.name == KWH)
    assert "lifecycle emissions per kWh generated (Ember)" in spec.description
    # the EPA pack's kWh kinds are another basis and are not in an Ember engine
    for other in ("electricity_avoided", "electricity_consumed"):
        with pytest.raises(em.EquivMetricsError):
            engine.convert("1000 kWh", "co2e", of=other)


def test_co2e_refuses_a_bare_ton() -> None:
    with pytest.raises(em.UnitError, match="metric tons"):
        _engine("DE").convert("1 ton", KWH)


def test_the_wording_names_the_basis() -> None:
    # 1 t / 342.06 g/kWh = 1,000,000 / 342.06 = 2,923.47 kWh
    (equivalent,) = _engine("DE").action("1 t", only=[KWH])
    assert equivalent.magnitude == pytest.approx(1e6 / 342.06, rel=1e-12)
    assert equivalent.text.startswith("as much CO2e as 2,920 kilowatt-hours")
    assert "generated (lifecycle emissions, Ember)" in equivalent.text


# --- (a) conversions worked by hand -------------------------------------------------------------

#: (region, given, expected t CO2e, low, high), from the figures and ranges of the pack.
HAND_WORKED = [
    # 1,000 kWh x 342.06 g/kWh = 342,060 g = 342.06 kg = 0.34206 t; range 324.96 to 359.16 g/kWh
    ("DE", "1000 kWh", 0.34206, 0.32496, 0.35916),
    # 1,000 kWh x 44.18 g/kWh = 44,180 g = 0.04418 t; range 41.97 to 46.39 g/kWh
    ("FR", "1000 kWh", 0.04418, 0.04197, 0.04639),
    # 12,400 kWh x 483.73 = 5,804,760 + 193,492 = 5,998,252 g; range 459.54 to 507.92 g/kWh:
    # 12,400 x 459.54 = 5,698,296 g; 12,400 x 507.92 = 6,298,208 g
    ("JP", "12400 kWh", 5.998252, 5.698296, 6.298208),
    # 1 MWh = 1,000 kWh x 472.94 g/kWh = 0.47294 t; range 449.29 to 496.59 g/kWh
    ("World", "1 MWh", 0.47294, 0.44929, 0.49659),
    # 1,000 kWh x 213.02 g/kWh = 0.21302 t; range 202.37 to 223.67 g/kWh
    ("EU", "1000 kWh", 0.21302, 0.20237, 0.22367),
    # Indonesia, data year 2023: 1,000 kWh x 682.43 g/kWh = 0.68243 t; range 648.31 to 716.55
    ("ID", "1000 kWh", 0.68243, 0.64831, 0.71655),
    # Canada: 1,000 kWh x 184.99 = 0.18499 t; low end the OWID reading 175 g/kWh, high +5 %
    ("CA", "1000 kWh", 0.18499, 0.175, 0.19424),
]


@pytest.mark.parametrize(("region", "given", "expected", "low", "high"), HAND_WORKED)
def test_hand_worked_conversions(
    region: str, given: str, expected: float, low: float, high: float
) -> None:
    result = _engine(region).convert(given, "co2e")
    assert (result.kind, result.source_kind, result.unit) == ("co2e", KWH, "t")
    assert result.magnitude == pytest.approx(expected, rel=1e-12)
    assert result.low == pytest.approx(low, rel=1e-12)
    assert result.high == pytest.approx(high, rel=1e-12)
    assert result.region == region
    assert result.editions == (EDITION,)
    data = result.to_dict()
    assert (data["region"], data["editions"]) == (region, [EDITION])


def test_a_rate_and_the_way_back() -> None:
    # 12,400 kWh a year in Germany: 12,400 x 342.06 = 4,241,544 g = 4.241544 t a year
    rate = _engine("DE").convert("12400 kWh/year", "co2e")
    assert (rate.magnitude, rate.unit) == (pytest.approx(4.241544, rel=1e-12), "t/year")
    # 1 t at the World figure: 1,000,000 / 472.94 = 2,114.43 kWh
    back = _engine("World").convert("1 t", KWH)
    assert back.magnitude == pytest.approx(2114.433, rel=1e-6)
    assert back.steps[0].inverse


# --- (b) properties ----------------------------------------------------------------------------

countries = st.sampled_from(sorted(FIGURES))


@SETTINGS
@given(kwh=positive, a=countries, b=countries)
def test_the_same_kwh_in_two_regions_differ_by_the_ratio_of_their_figures(
    kwh: float, a: str, b: str
) -> None:
    edition = EDITION  # named, so that US and GB give Ember's figure too
    in_a = _engine(a, edition).convert((kwh, "kWh"), "co2e").magnitude
    in_b = _engine(b, edition).convert((kwh, "kWh"), "co2e").magnitude
    assert in_a / in_b == pytest.approx(FIGURES[a][0] / FIGURES[b][0], rel=1e-12)
    # and each is kWh x g/kWh / 1e6 t/g
    assert in_a == pytest.approx(kwh * FIGURES[a][0] / 1e6, rel=1e-12)


@SETTINGS
@given(kwh=positive, a=countries, b=countries)
def test_a_chain_across_regions_is_the_product_of_its_steps(kwh: float, a: str, b: str) -> None:
    """kWh in ``a`` -> t CO2e -> the kWh of ``b`` with as much CO2e."""
    first = _engine(a, EDITION).convert((kwh, "kWh"), "co2e", unit="g")
    second = _engine(b, EDITION).convert((first.magnitude, "g"), KWH)
    (step_a,) = first.steps
    (step_b,) = second.steps
    assert (step_a.inverse, step_b.inverse) == (False, True)
    assert first.magnitude == pytest.approx(kwh * step_a.factor, rel=1e-12)
    assert second.magnitude == pytest.approx(kwh * step_a.factor / step_b.factor, rel=1e-12)
    assert second.magnitude == pytest.approx(kwh * FIGURES[a][0] / FIGURES[b][0], rel=1e-12)
    # the factor a result records is the product of its steps' (here one step, g/kWh)
    assert first.factor == pytest.approx(step_a.factor, rel=1e-12)


# --- (c) national packs win, unless the Ember edition is named --------------------------------


def test_the_us_keeps_the_epa_pack_and_names_ember_on_request() -> None:
    default = _engine("US").convert("1000 kWh", "co2e")
    assert EDITION not in default.editions
    assert ("ember_grid", EDITION) not in _engine("US").editions
    ember = _engine("US", EDITION).convert("1000 kWh", "co2e")
    # 1,000 kWh x 383.55 g/kWh = 0.38355 t, lifecycle per kWh generated
    assert ember.magnitude == pytest.approx(0.38355, rel=1e-12)
    assert (ember.region, ember.editions, ember.source_kind) == ("US", (EDITION,), KWH)
    assert _environment(_engine("US", "ember 2025")) == (("ember_grid", EDITION),)  # any case


def test_the_bundled_gb_pack_wins_over_ember() -> None:
    national = [
        p
        for p in em.load().catalog.available
        if p.region == "GB" and p.topic == "environment" and not p.extends
    ]
    if not national:
        pytest.skip("no national GB pack is bundled yet (the DESNZ pack of issue 13)")
    assert ("ember_grid", EDITION) not in _engine("GB").editions
    assert EDITION not in _engine("GB").convert("1000 kWh", "co2e").editions


def test_gb_with_the_ember_edition_named_uses_ember() -> None:
    result = _engine("GB", EDITION).convert("1000 kWh", "co2e")
    # 1,000 kWh x 215.79 g/kWh = 215,790 g = 0.21579 t
    assert result.magnitude == pytest.approx(0.21579, rel=1e-12)
    assert (result.region, result.editions) == ("GB", (EDITION,))


def test_a_national_pack_beats_ember_for_its_country() -> None:
    """Ember's table lists GB; the bundled DESNZ pack's own region is GB: more specific, it wins."""
    national = em.load(region="GB")
    assert _environment(national) == (("desnz", "DESNZ 2025"),)
    # 1,000 kWh x DESNZ's 0.17700 kg/kWh (electricity generated, ID 7_400_4000_5_1) = 177 kg
    assert national.convert("1000 kWh", "co2e").magnitude == pytest.approx(0.177)
    named = em.load(region="GB", edition=EDITION)
    assert _environment(named) == (("ember_grid", EDITION),)
    assert named.convert("1000 kWh", "co2e").magnitude == pytest.approx(0.21579, rel=1e-12)
    # and for a country it does not speak for, the national pack is not taken
    assert _environment(em.load(region="DE")) == (("ember_grid", EDITION),)


@pytest.mark.parametrize("region", EMBER_BY_DEFAULT)
def test_ember_is_the_environment_pack_of_every_other_row(region: str) -> None:
    assert _environment(_engine(region)) == (("ember_grid", EDITION),)


# --- (d) a country with no figure ---------------------------------------------------------------


@pytest.mark.parametrize("region", ["MT", "mt", "AT", "CH"])
def test_a_country_without_a_figure_is_an_error_never_a_wider_region(region: str) -> None:
    """Malta and Austria are in the EU, Switzerland is not: none has a row of its own. The
    EU aggregate is not taken silently; the error lists the regions with figures."""
    with pytest.raises(em.InputLookupError) as caught:
        em.load(region=region)
    message = str(caught.value)
    assert f"region {region.upper()!r}" in message
    for known in ("DE", "EU", "FR", "World"):
        assert known in message
    assert caught.value.value == region.upper()


def test_the_eu_aggregate_is_there_when_asked_for() -> None:
    result = _engine("EU").convert("1000 kWh", "co2e")
    assert result.region == "EU"  # recorded as the EU, never as a member state
    assert result.magnitude == pytest.approx(0.21302, rel=1e-12)


# --- (e) no result mixes regions -----------------------------------------------------------------


@pytest.mark.parametrize("region", sorted(FIGURES))
def test_every_step_speaks_for_the_region_asked_or_one_containing_it(region: str) -> None:
    engine = _engine(region, EDITION)
    assert engine.region == region
    chain = ancestry(region)
    for text, to in (("1000 kWh", "co2e"), ("1 t", KWH)):
        result = engine.convert(text, to)
        assert result.steps
        for step in result.steps:
            assert step.region in chain, (region, step.region)
            assert step.edition == EDITION
        assert result.region == region
        for use in (p for step in result.steps for p in step.parameters):
            assert use.edition == f"data year {FIGURES[region][1]}"
    # the figure applied is the region's own, not an ancestor's: 1 kWh = figure g
    one = engine.convert("1 kWh", "co2e", unit="g").magnitude
    assert math.isclose(one, FIGURES[region][0], rel_tol=1e-12)
