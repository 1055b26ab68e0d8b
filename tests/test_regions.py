"""Regions and editions (issue 13): packs that speak for a place, chosen when an engine loads.

The packs here are small and synthetic, so every expected number is plain arithmetic on the
figures typed into them: grid intensity 0.5 kg/kWh in "Northland" (XA, a user-assigned ISO
code), 0.2 in its region XA-SOUTH, 0.8 in "Eastland" (XB), 0.4 for the world.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from equivmetrics._core import regions as _regions
from equivmetrics._packs import load as _load

GRID = """\
equivmetrics: 1
name: grid
edition: Grid 2024
edition_aliases: [2024]
region: World
topic: environment
license: test figures
sources:
  s: {title: synthetic figures}
kinds:
  electricity: {unit: kWh, input_units: [kWh], roles: {feel_good: "{value} {label}"}}
  co2: {unit: kg, input_units: [kg], roles: {feel_good: "{value} {label}"}}
  tree: {unit: count, roles: {feel_good: "{value} {label}"}}
parameters:
  intensity: {value: 0.4 kg/kWh, low: 0.3 kg/kWh, high: 0.5 kg/kWh, source: s}
  per_tree: {value: 20 kg/count, source: s}
rules:
  - {id: electricity_co2, from: electricity, to: co2, factor: intensity}
  - {id: co2_tree, from: co2, to: tree, factor: 1 / per_tree}
regions:
  World: {name: World, parameters: {}}
  XA:
    name: Northland
    parameters:
      intensity: {value: 0.5 kg/kWh, source: s, note: Northland's figure}
  XB:
    name: Eastland
    parameters:
      intensity: {value: 0.8 kg/kWh, source: s}
examples:
  - {given: 10 kWh, to: co2, expect: 4 kg, note: 10 x 0.4}
  - {given: 10 kWh, to: co2, expect: 5 kg, region: XA, note: 10 x 0.5}
"""

NORTH = """\
equivmetrics: 1
name: north
edition: North 2025
region: XA
topic: environment
license: test figures
sources:
  n: {title: Northland's own publisher}
kinds:
  electricity: {unit: kWh, input_units: [kWh], roles: {feel_good: "{value} {label}"}}
  co2: {unit: kg, input_units: [kg], roles: {feel_good: "{value} {label}"}}
parameters:
  intensity: {value: 0.45 kg/kWh, source: n}
rules:
  - {id: electricity_co2, from: electricity, to: co2, factor: intensity}
"""

SOUTH = """\
equivmetrics: 1
name: south{year}
edition: South {year}
region: XA
extends: north
default: {default}
license: test figures
sources:
  q: {{title: subregion figures}}
regions:
  XA-SOUTH:
    name: Northland South
    parameters:
      intensity: {{value: {value} kg/kWh, source: q}}
"""

NEUTRAL = """\
equivmetrics: 1
name: neutral
edition: "1"
license: test figures
sources:
  c: {title: a convention}
kinds:
  chore: {unit: hour, input_units: [hour], roles: {action: "{value} {label}"}}
  cost: {unit: USD, input_units: [USD]}
parameters:
  wage: {value: 30 USD/hour, source: c}
rules:
  - {id: chore_cost, from: chore, to: cost, factor: wage}
"""


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("regions")
    (folder / "grid.yaml").write_text(GRID)
    (folder / "north.yaml").write_text(NORTH)
    (folder / "south2024.yaml").write_text(SOUTH.format(year=2024, default="false", value=0.3))
    (folder / "south2025.yaml").write_text(SOUTH.format(year=2025, default="true", value=0.2))
    (folder / "neutral.yaml").write_text(NEUTRAL)
    return folder


def _load_at(folder: Path, region: str | None = None, edition: object = None) -> em.Engine:
    return em.load(folder, bundled=False, region=region, edition=edition)  # type: ignore[arg-type]


# -- region codes -------------------------------------------------------------------------------


def test_codes_are_read_in_any_case_and_uk_is_gb() -> None:
    assert _regions.normalize("us-camx") == "US-CAMX"
    assert _regions.normalize(" uk ") == "GB"
    assert _regions.normalize("WORLD") == "World"
    assert _regions.ancestry("FR") == ("FR", "EU", "World")
    assert _regions.ancestry("GB") == ("GB", "World")
    assert _regions.ancestry("US-CAMX") == ("US-CAMX", "US", "World")
    with pytest.raises(ValueError, match=r"not a region code.*ISO 3166"):
        _regions.normalize("Germany")


# -- choosing packs -----------------------------------------------------------------------------


def test_a_countrys_own_pack_beats_a_world_table_and_neutral_packs_always_load(
    packs: Path,
) -> None:
    engine = _load_at(packs, "XA")
    names = [p.name for p in engine.catalog.packs]
    assert "north" in names
    assert "grid" not in names
    assert "neutral" in names
    assert engine.region == "XA"
    assert engine.editions == (("north", "North 2025"),)
    r = engine.convert("10 kWh", "co2")
    assert r.magnitude == pytest.approx(4.5)  # 10 x 0.45, Northland's own publisher
    assert (r.region, r.editions) == ("XA", ("North 2025",))
    # the chore pack holds everywhere: its results name no region
    chore = engine.convert("2 hour", "cost")
    assert chore.magnitude == pytest.approx(60)
    assert chore.region == ""


def test_a_world_table_speaks_for_a_country_without_its_own_pack(packs: Path) -> None:
    r = _load_at(packs, "xb").convert("10 kWh", "co2")
    assert r.magnitude == pytest.approx(8.0)  # 10 x 0.8
    assert r.region == "XB"
    assert r.editions == ("Grid 2024",)
    [use] = r.steps[0].parameters
    assert use.name == "intensity"
    assert use.value == pytest.approx(0.8)
    assert r.steps[0].to_dict()["region"] == "XB"


def test_an_overlay_sets_a_subregion_with_its_default_edition(packs: Path) -> None:
    engine = _load_at(packs, "XA-SOUTH")
    assert engine.editions == (("north", "North 2025"), ("south2025", "South 2025"))
    r = engine.convert("10 kWh", "co2")
    assert r.magnitude == pytest.approx(2.0)  # 10 x 0.2 (South 2025, the default)
    assert r.region == "XA-SOUTH"
    assert r.editions == ("South 2025",)
    older = _load_at(packs, "XA-SOUTH", "south 2024").convert("10 kWh", "co2")
    assert older.magnitude == pytest.approx(3.0)  # 10 x 0.3, named by edition
    assert older.editions == ("South 2024",)


def test_a_named_edition_picks_an_alternative_pack_and_aliases_load_it(packs: Path) -> None:
    r = _load_at(packs, "XA", "Grid 2024").convert("10 kWh", "co2")
    assert r.magnitude == pytest.approx(5.0)  # the world table's Northland row: 10 x 0.5
    assert _load_at(packs, "XA", ["2024"]).editions == (("grid", "Grid 2024"),)


def test_results_say_where_their_figures_hold(packs: Path) -> None:
    r = _load_at(packs, "XB").convert("40 kWh", "tree")
    # 40 x 0.8 = 32 kg; / 20 kg per tree = 1.6 trees
    assert r.magnitude == pytest.approx(1.6)
    assert [s.region for s in r.steps] == ["XB", "World"]
    assert r.region == "XB"
    data = r.to_dict()
    assert data["region"] == "XB"
    assert data["editions"] == ["Grid 2024"]
    assert r.to_dict(compact=True)["region"] == "XB"
    assert r.explain().splitlines()[1] == "  figures for region XB, edition Grid 2024"


def test_default_region_is_the_us_and_the_bundled_default_engine_is_unchanged() -> None:
    engine = em.load()
    assert engine.region == "US"
    assert em.load(region="us") is engine
    assert engine.editions == (("epa_ghg", "AVERT2019-eGRID2019"), ("productivity", "2025.2"))
    assert em.load(region="US", edition="AVERT2019-eGRID2019").editions == engine.editions
    # last year's reports named the EPA pack's edition "2023": that label still loads it
    assert em.load(region="US", edition="2023").editions == engine.editions
    # and the productivity pack's earlier edition (2,080 paid hours, $48.05 per hour worked)
    old = em.load(edition=["2023", "2025.1"])
    assert old.editions == (("epa_ghg", "AVERT2019-eGRID2019"), ("productivity", "2025.1"))
    # 12,000 x 3 min = 600 h a month = 7,200 h a year; / 2,080 h = 3.4615 FTE (as before)
    assert old.convert("12000 transaction/month", "fte").magnitude == pytest.approx(7200 / 2080)
    r = em.convert("12400 kWh", "co2e")
    # 12,400 kWh x 1,562.4 lb/MWh / 2,204.62 lb/t = 8.788 t (EPA's AVERT 2019 rate)
    assert r.magnitude == pytest.approx(12.4 * 1562.4 * 0.45359237 / 1000, rel=1e-9)
    assert (r.region, r.editions) == ("US", ("AVERT2019-eGRID2019",))


# -- errors -------------------------------------------------------------------------------------


def test_a_region_no_pack_knows_is_an_error_listing_the_known_ones(packs: Path) -> None:
    with pytest.raises(em.InputLookupError, match=r"no loaded pack has figures for region 'XC'"):
        _load_at(packs, "XC")
    with pytest.raises(LookupError, match=r"XA, XA-SOUTH, XB"):
        _load_at(packs, "XA-NORTH")
    with pytest.raises(em.InputValueError, match=r"'Northland' is not a region code"):
        _load_at(packs, "Northland")
    with pytest.raises(em.InputTypeError, match="region must be text"):
        _load_at(packs, 7)  # type: ignore[arg-type]


def test_an_edition_the_region_lacks_names_the_ones_it_has(packs: Path) -> None:
    with pytest.raises(em.InputValueError, match=r"no pack for region 'XB' has edition 'North"):
        _load_at(packs, "XB", "North 2025")
    with pytest.raises(ValueError, match=r"editions for 'XB': '2024', 'Grid 2024' — did you mean"):
        _load_at(packs, "XB", "Grid 2099")
    with pytest.raises(em.InputValueError, match="non-empty name"):
        _load_at(packs, "XB", "  ")


def test_two_default_editions_are_an_error_saying_to_name_one(tmp_path: Path) -> None:
    (tmp_path / "north.yaml").write_text(NORTH)
    for year in (2024, 2025):
        text = SOUTH.format(year=year, default="true", value=0.2)
        (tmp_path / f"south{year}.yaml").write_text(text)
    with pytest.raises(em.InputValueError, match=r"several editions.*name one with edition="):
        _load_at(tmp_path, "XA-SOUTH")
    report = em.validate(tmp_path, bundled=False)
    assert any("XA-SOUTH" in p.message and p.field == "regions" for p in report.problems)


# -- the pack format ----------------------------------------------------------------------------


def _line(text: str, start: str) -> int:
    """The 1-based line of ``text`` that starts with ``start``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def _problems(text: str) -> list[em.Problem]:
    pack, problems = _load.parse_pack(text, "p.yaml")
    assert pack is None or problems == []
    return problems


def test_bad_region_fields_are_reported_with_file_and_line() -> None:
    problems = _problems(GRID.replace("region: World", "region: Mars"))
    [bad] = [p for p in problems if p.field == "pack.region"]
    assert "'Mars' is not a region code" in bad.message
    assert str(bad.location) == "p.yaml:5:1"  # the line of the field
    twice = GRID.replace("  XB:\n", "  xa:\n")
    [dup] = [p for p in _problems(twice) if "listed twice" in p.message]
    assert dup.field == "regions.xa"
    assert dup.location.line == _line(twice, "  xa:")
    unnamed = GRID.replace("    name: Eastland\n", "")
    assert any(p.field == "regions.XB.name" for p in _problems(unnamed))


def test_an_overlay_only_sets_parameters() -> None:
    text = SOUTH.format(year=2025, default="true", value=0.2) + "kinds:\n  x: {unit: kg}\n"
    [problem] = [p for p in _problems(text) if p.field == "pack.kinds"]
    assert "an overlay (extends: north) cannot declare kinds" in problem.message
    bare = "\n".join(SOUTH.format(year=2025, default="true", value=0.2).splitlines()[:10])
    assert any("needs a 'regions:' table" in p.message for p in _problems(bare))


def test_an_entry_setting_a_parameter_the_pack_lacks_is_a_pack_error(tmp_path: Path) -> None:
    text = GRID.replace("      intensity: {value: 0.8", "      intensty: {value: 0.8")
    (tmp_path / "grid.yaml").write_text(text)
    with pytest.raises(em.PackError, match=r"pack 'grid' has no parameter 'intensty'") as caught:
        _load_at(tmp_path, "XB")
    assert "did you mean 'intensity'?" in str(caught.value)
    report = em.validate(tmp_path, bundled=False)
    line = _line(text, "      intensty:")
    assert any("intensty" in p.message and p.location.line == line for p in report.problems)


def test_an_entry_of_the_wrong_dimension_is_found_by_validate(tmp_path: Path) -> None:
    text = GRID.replace("0.8 kg/kWh", "0.8 kg/km")
    (tmp_path / "grid.yaml").write_text(text)
    report = em.validate(tmp_path, bundled=False)
    assert not report.ok
    # reported at the entry itself, naming both dimensions, besides the rule that uses it
    [entry] = [p for p in report.problems if p.field == "regions.XB.parameters.intensity"]
    assert entry.location.line == _line(text, "      intensity: {value: 0.8 kg/km")
    assert "'intensity' for XB is '0.8 kg/km'" in entry.message
    assert "measures it as '0.4 kg/kWh'" in entry.message


def test_examples_run_in_their_region(packs: Path) -> None:
    report = em.validate(packs, bundled=False)
    assert report.ok, report.problems
    assert report.examples_run == 2
    wrong = GRID.replace("expect: 5 kg, region: XA", "expect: 6 kg, region: XA")
    folder = packs.parent / "wrong"
    folder.mkdir(exist_ok=True)
    (folder / "grid.yaml").write_text(wrong)
    report = em.validate(folder, bundled=False)
    [problem] = report.problems
    assert "gave 5 kg, expected 6 kg" in problem.message
    assert problem.location.line == _line(wrong, "  - {given: 10 kWh, to: co2, expect: 6 kg")


# -- tenants ------------------------------------------------------------------------------------


def test_a_tenant_carries_its_overrides_to_another_region(packs: Path) -> None:
    tenant = _load_at(packs, "XB").with_params(per_tree="10 kg/count", wage="40 USD/hour")
    moved = tenant.with_region("World")
    assert moved.region == "World"
    # 40 kWh x 0.4 kg/kWh = 16 kg; / 10 kg per tree (the tenant's) = 1.6 trees
    assert moved.convert("40 kWh", "tree").magnitude == pytest.approx(1.6)
    assert moved.convert("1 hour", "cost").magnitude == pytest.approx(40)
    assert tenant.region == "XB"  # unchanged
    assert _load_at(packs, "XB").with_region("XA") is not None
    with pytest.raises(
        em.UnknownParameterError,
        match=r"set parameter .per_tree., which the packs for region .XA. do not have",
    ):
        tenant.with_region("XA")  # Northland's own pack has no per-tree figure


def test_engines_of_one_place_are_built_once(packs: Path) -> None:
    engine = _load_at(packs, "XB")
    assert engine.with_region("xa").core is engine.with_region("XA").core


def test_regions_lists_every_place_with_its_editions(packs: Path) -> None:
    info = {r.code: r for r in _load_at(packs).regions()}
    assert list(info) == ["World", "XA", "XA-SOUTH", "XB"]
    assert info["XA"].name == "Northland"
    assert {e for _, e, _ in info["XA-SOUTH"].editions} == {"South 2024", "South 2025"}
    assert {p for _, _, p in info["XA"].editions} == {"grid", "north", "south2024", "south2025"}


# -- laws ---------------------------------------------------------------------------------------

FACTORS = {"World": 0.4, "XA": 0.45, "XB": 0.8, "XA-SOUTH": 0.2}
positive = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(kwh=positive, a=st.sampled_from(sorted(FACTORS)), b=st.sampled_from(sorted(FACTORS)))
def test_the_same_input_in_two_regions_differs_by_the_ratio_of_their_factors(
    packs: Path, kwh: float, a: str, b: str
) -> None:
    ra = _load_at(packs, a).convert((kwh, "kWh"), "co2")
    rb = _load_at(packs, b).convert((kwh, "kWh"), "co2")
    assert ra.magnitude / rb.magnitude == pytest.approx(FACTORS[a] / FACTORS[b], rel=1e-12)


@given(kwh=positive, region=st.sampled_from(sorted(FACTORS)))
def test_a_regional_chain_is_the_product_of_its_steps_and_mixes_no_regions(
    packs: Path, kwh: float, region: str
) -> None:
    engine = _load_at(packs, region)
    if "tree" not in engine.kinds:  # Northland's own pack has no trees
        return
    r = engine.convert((kwh, "kWh"), "tree")
    assert r.magnitude == pytest.approx(kwh * math.prod(s.factor for s in r.steps), rel=1e-12)
    chain = _regions.ancestry(region)
    assert all(step.region in chain for step in r.steps)
    assert len({s.edition for s in r.steps if s.pack == "grid"}) == 1


# -- the bundled regions ------------------------------------------------------------------------

BUNDLED = [info.code for info in em.regions()]


@pytest.mark.parametrize("code", BUNDLED)
def test_no_bundled_result_mixes_regions_or_editions(code: str) -> None:
    engine = em.load(region=code)
    chain = _regions.ancestry(code)
    allowed = {edition for _, edition in engine.editions}
    allowed |= {p.edition for p in engine.catalog.packs if not p.region}
    overlaid = {  # every parameter a chosen table or overlay sets for this place
        spec.name: entry.pack
        for pack in engine.catalog.packs
        for entry in pack.regions
        if entry.code in chain
        for spec in entry.parameters
    }
    if not any(kind.unit == "kWh" for kind in engine.kinds.values()):
        return  # a place with labour costs only (Eurostat), no electricity figures
    results: list[em.Result | em.Equivalent] = list(engine.feel_good("12400 kWh", top=50))
    results += [
        engine.convert("1 MWh", "co2e", of=k) for k, v in engine.kinds.items() if v.unit == "kWh"
    ]
    for r in results:
        assert all(step.region in (*chain, "") for step in r.steps), r
        assert set(r.editions) <= allowed, r
        for step in r.steps:
            for use in step.parameters:
                spec = engine.catalog.parameters[use.name].spec
                if use.name in overlaid:
                    # a figure set for the place comes from the place's entry, never the
                    # pack's national or world default
                    assert spec.pack == overlaid[use.name], (code, use.name)
                    assert spec.region in chain


# -- review findings (issue 13) -----------------------------------------------------------------

TRANSIT = """\
equivmetrics: 1
name: transit
edition: Transit 2025
region: {region}
topic: transit
license: test figures
sources:
  t: {{title: a city's transit figures}}
kinds:
  ride: {{unit: count, input_units: [count]}}
  ride_co2: {{unit: g}}
parameters:
  per_ride: {{value: 90 g/count, source: t}}
rules:
  - {{id: ride_co2, from: ride, to: ride_co2, factor: per_ride}}
"""


def test_naming_another_topics_edition_keeps_a_subregions_overlay(tmp_path: Path) -> None:
    (tmp_path / "transit.yaml").write_text(TRANSIT.format(region="US-CAMX"))
    engine = em.load(tmp_path, region="US-CAMX", edition="Transit 2025")
    r = engine.convert("1 MWh", "co2e", of="electricity_consumed")
    # eGRID2023 CAMX: 436.655 lb/MWh / (1 - 0.041) / 2,204.62 lb/t = 0.2065 t, not EPA's national
    assert r.magnitude == pytest.approx(436.655 / 0.959 * 0.45359237 / 1000, rel=1e-9)
    assert r.region == "US-CAMX"


def test_an_aggregates_figure_is_never_a_members_own(tmp_path: Path) -> None:
    # Malta has no Ember row; a pack of another topic for Malta must not bring the EU average in
    (tmp_path / "transit.yaml").write_text(TRANSIT.format(region="MT"))
    engine = em.load(tmp_path, region="MT")
    assert "co2e" not in engine.kinds
    assert engine.convert("3 count", "ride_co2").magnitude == pytest.approx(270)
    with pytest.raises(em.UnknownKindError, match=r"not those for region 'MT'"):
        engine.convert("1 kWh", "co2e")


def test_a_pack_of_yours_for_a_place_takes_the_bundled_ones_place(tmp_path: Path) -> None:
    mine = NORTH.replace("name: north", "name: my_gb").replace("region: XA", "region: GB")
    (tmp_path / "my_gb.yaml").write_text(mine)
    engine = em.load(tmp_path, region="GB")
    assert dict(engine.editions)["my_gb"] == "North 2025"
    assert engine.convert("10 kWh", "co2").magnitude == pytest.approx(4.5)  # 10 x 0.45
    # the bundled UK pack is still there by name
    assert "desnz" in dict(em.load(tmp_path, region="GB", edition="DESNZ 2025").editions)


def test_places_are_cached_by_meaning_and_the_cache_is_bounded() -> None:
    from equivmetrics._engine import bundled as _bundled

    gb = em.load(region="GB")
    assert em.load().with_region("uk").core is gb.core
    assert em.load(edition="EGRID2022 ").core is em.load(region="us", edition=["egrid2022"]).core
    for n in range(_bundled.MAX_PLACES + 10):
        em.load(edition=["eGRID2022"] * (n + 1) + ["2023"] * (n % 2))
    assert len(_bundled._placed) <= _bundled.MAX_PLACES


@pytest.mark.parametrize(
    ("edition", "error", "needle"),
    [
        (2023, em.InputTypeError, "got int"),
        (b"eGRID2022", em.InputTypeError, "got bytes"),
        ({"a": 1}, em.InputTypeError, "got dict"),
        ([], em.InputTypeError, "one or more names"),
        (["eGRID2022", "eGRID2023"], em.InputValueError, "several of them"),
        (["2025.1", "2025.2"], em.InputValueError, "name one edition per topic"),
    ],
)
def test_bad_editions_are_errors_of_the_library(edition: object, error: type, needle: str) -> None:
    with pytest.raises(error, match=needle) as caught:
        em.load(edition=edition)  # type: ignore[arg-type]
    assert isinstance(caught.value, em.EquivMetricsError)


def test_an_overlay_of_a_pack_not_loaded_is_a_pack_error(tmp_path: Path) -> None:
    (tmp_path / "south.yaml").write_text(SOUTH.format(year=2025, default="true", value=0.2))
    with pytest.raises(em.PackError, match=r"extends 'north', but no loaded pack is named"):
        _load_at(tmp_path, "XA-SOUTH")


def test_a_tenants_regional_figure_does_not_travel(packs: Path) -> None:
    camx = em.load(region="US-CAMX").with_params(egrid_co2_rate="100 lb/MWh")
    with pytest.raises(em.ParameterValueError, match=r"'egrid_co2_rate' is a figure for region"):
        camx.with_region("US-ERCT")
    # a figure of no place travels
    moved = em.load(region="US-CAMX").with_params(body_mass="80 kg").with_region("GB")
    assert moved.parameters["body_mass"].central == pytest.approx(80)


def test_common_spellings_of_region_codes() -> None:
    assert [_regions.normalize(c) for c in ("USA", "U.S.", "u.k.", "EL")] == [
        "US",
        "US",
        "GB",
        "GR",
    ]


def test_a_derived_figure_abroad_cites_the_figures_it_is_made_of() -> None:
    # found in review: in Germany the hourly labour cost (43.4 EUR, Eurostat's) was cited to the
    # U.S. BLS, the source the pack gives the U.S. derivation; a derived parameter cites none
    r = em.load(region="DE").convert("12000 transaction/month", "labor_cost")
    uses = {u.name: u for u in r.steps[1].parameters}
    assert uses["hourly_labor_cost"].source is None
    assert uses["hourly_labor_cost"].derivation == "labor_cost_per_fte_year / hours_per_fte_year"
    assert uses["labor_cost_per_hour_worked"].source is not None
    assert uses["labor_cost_per_hour_worked"].source.publisher == "Eurostat"
    text = r.explain()
    assert (
        "hourly_labor_cost = 43.4 EUR / hour; = labor_cost_per_fte_year / hours_per_fte_year"
        in text
    )
    assert "hourly_labor_cost = 43.4 EUR / hour; source: U.S." not in text
    german = em.explain(r, locale="de")
    assert (
        "hourly_labor_cost = 43,4 EUR / hour; = labor_cost_per_fte_year / hours_per_fte_year"
        in german
    )
