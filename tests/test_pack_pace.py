"""The bundled PACE pack (conversions/pace.yaml): food energy as minutes of activity.

Expected numbers are worked by hand from the reference constants (../shared/reference/pace.md):
minutes = kcal / (MET x body mass x 1 kcal/(kg h)) x 60, with 70 kg and the 2024 Adult
Compendium (walking 4.8 MET, running 8.5 MET) or the 2011 Compendium (swimming 5.8 MET,
cycling 6.8 MET). None is computed by the code under test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from strategies import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
PACE = ROOT / "conversions" / "pace.yaml"

#: 420 kcal at 70 kg, in minutes:
#:   walking  420 / (4.8 x 70) h = 420 / 336 h = 1.25 h    = 75.0 min
#:   running  420 / (8.5 x 70) h = 420 / 595 h = 0.705882 h = 42.3529 min
#:   swimming 420 / (5.8 x 70) h = 420 / 406 h = 1.034483 h = 62.0690 min
#:   cycling  420 / (6.8 x 70) h = 420 / 476 h = 0.882353 h = 52.9412 min
MINUTES_420 = {"walking": 75.0, "running": 42.3529, "swimming": 62.0690, "cycling": 52.9412}

ACTIVITIES = sorted(MINUTES_420)

#: The engine of the PACE pack alone is the session fixture ``pace`` (conftest.py).


# --- the pack as a whole ---------------------------------------------------------------------


def test_bundled_packs_validate_with_every_example_passing() -> None:
    report = em.validate()
    assert report.ok, report.problems
    assert report.examples_run == report.examples_passed


def test_the_pace_pack_alone_validates() -> None:
    report = em.validate(PACE, bundled=False)
    assert report.ok, report.problems
    assert report.examples_run >= 5


def test_kinds_and_display_units(pace: em.Engine) -> None:
    assert {k: v.unit for k, v in pace.kinds.items()} == {
        "food_energy": "kcal",
        "walking": "minute",
        "running": "minute",
        "swimming": "minute",
        "cycling": "minute",
    }


def test_every_parameter_has_a_source_and_a_note(pace: em.Engine) -> None:
    pack = next(p for p in pace.catalog.packs if p.name == "pace")
    names = {p.name for p in pack.parameters}
    assert {
        "body_mass",
        "met_walking",
        "met_running",
        "met_swimming",
        "met_cycling",
        "kcal_per_kg_hour_per_met",
    } <= names
    for param in pack.parameters:
        assert param.source is not None, param.name
        assert param.source.title, param.name
        assert param.note.strip(), param.name


def test_met_values_cite_the_compendium_edition_and_code(pace: em.Engine) -> None:
    params = pace.catalog.parameters
    expected = {
        "met_walking": (4.8, "compendium_2024", "17200"),
        "met_running": (8.5, "compendium_2024", "5.0–5.2 mph"),
        "met_swimming": (5.8, "compendium_2011", "18240"),
        "met_cycling": (6.8, "compendium_2011", "01020"),
    }
    for name, (value, source, code) in expected.items():
        param = params[name]
        assert param.value.central == value
        assert param.spec.source.key == source
        assert code in param.spec.note
        assert param.value.low < value < param.value.high  # a range on every MET


# --- the PACE example --------------------------------------------------------------------------


@pytest.mark.parametrize("activity", ACTIVITIES)
def test_420_kcal(pace: em.Engine, activity: str) -> None:
    r = pace.convert("420 kcal", activity)
    assert r.unit == "minute"
    assert r.magnitude == pytest.approx(MINUTES_420[activity], rel=1e-5)
    assert r.low < r.magnitude < r.high


def test_the_label_reads_1_h_15_min_walking_or_42_min_running(pace: em.Engine) -> None:
    assert pace.convert("420 kcal", "walking", unit="hour").magnitude == pytest.approx(1.25)
    assert round(pace.convert("420 kcal", "running").magnitude) == 42


def test_walking_and_running_minutes_differ(pace: em.Engine) -> None:
    walking = pace.convert("420 kcal", "walking").magnitude
    running = pace.convert("420 kcal", "running").magnitude
    assert walking != pytest.approx(running)
    assert walking / running == pytest.approx(8.5 / 4.8)
    # Minutes of walking are not minutes of running: 75 min walking = 75 x 4.8 / 8.5 running.
    r = pace.convert("75 minute", "running", of="walking")
    assert r.magnitude == pytest.approx(42.3529, rel=1e-5)
    assert [s.target_kind for s in r.steps] == ["food_energy", "running"]


@pytest.mark.parametrize(
    "text", ["420 kcal", "420 Cal", "420 Calorie", "420 Calories", "420 kilocalories"]
)
def test_food_calorie_spellings(pace: em.Engine, text: str) -> None:
    r = pace.convert(text, "walking")
    assert r.source_kind == "food_energy"
    assert r.magnitude == pytest.approx(75.0)


def test_kilojoules_are_food_energy_only_when_said(pace: em.Engine) -> None:
    # Issue 13: kJ was claimed by food_energy, so any joule read as food. A joule could be
    # fuel or electricity too: the pack declares it ambiguous, even with food_energy the only
    # energy kind loaded, and the error says how to choose.
    with pytest.raises(em.AmbiguousKindError) as info:
        pace.convert("1757.28 kJ", "walking")
    assert info.value.candidates == ("food_energy",)
    assert info.value.unit == "kJ"
    message = str(info.value)
    assert "food, fuel or electricity" in message
    assert "of='food_energy'" in message
    # 420 kcal x 4.184 kJ/kcal = 1,757.28 kJ = 75.0 min of walking, as on European labels
    r = pace.convert("1757.28 kJ", "walking", of="food_energy")
    assert r.source_kind == "food_energy"
    assert r.magnitude == pytest.approx(75.0)


def test_the_joule_is_declared_ambiguous_in_the_pack(pace: em.Engine) -> None:
    (declared,) = pace.catalog.ambiguous_units.values()
    assert (declared.unit, declared.pack) == ("joule", "pace")
    assert "kJ" not in pace.kinds["food_energy"].input_units


#: Every SI prefix of the joule, by symbol and by name, with its power of ten (from the SI
#: brochure, 9th edition, table 7; not from the code).
JOULE_PREFIXES = [
    ("qJ", "quectojoule", -30),
    ("rJ", "rontojoule", -27),
    ("yJ", "yoctojoule", -24),
    ("zJ", "zeptojoule", -21),
    ("aJ", "attojoule", -18),
    ("fJ", "femtojoule", -15),
    ("pJ", "picojoule", -12),
    ("nJ", "nanojoule", -9),
    ("uJ", "microjoule", -6),
    ("mJ", "millijoule", -3),
    ("cJ", "centijoule", -2),
    ("dJ", "decijoule", -1),
    ("J", "joule", 0),
    ("daJ", "decajoule", 1),
    ("hJ", "hectojoule", 2),
    ("kJ", "kilojoule", 3),
    ("MJ", "megajoule", 6),
    ("GJ", "gigajoule", 9),
    ("TJ", "terajoule", 12),
    ("PJ", "petajoule", 15),
    ("EJ", "exajoule", 18),
    ("ZJ", "zettajoule", 21),
    ("YJ", "yottajoule", 24),
    ("RJ", "ronnajoule", 27),
    ("QJ", "quettajoule", 30),
]


@SETTINGS
@given(
    amount=st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False),
    prefix=st.sampled_from(JOULE_PREFIXES),
    spelled=st.booleans(),
)
def test_any_joule_needs_of_and_then_is_kcal_over_4184(
    amount: float, prefix: tuple[str, str, int], spelled: bool
) -> None:
    symbol, name, power = prefix
    unit = name if spelled else symbol
    with pytest.raises(em.AmbiguousKindError) as info:
        em.convert((amount, unit), "walking")
    assert {"food_energy", "electricity_avoided", "natural_gas"} <= set(info.value.candidates)
    # by hand: amount x 10^power J x (1 kcal / 4184 J), the thermochemical kilocalorie
    kcal = amount * 10.0**power / 4184
    r = em.convert((amount, unit), "food_energy", of="food_energy")
    assert r.unit == "kcal"
    assert r.magnitude == pytest.approx(kcal, rel=1e-9)
    walked = em.convert((amount, unit), "walking", of="food_energy").magnitude
    assert walked == pytest.approx(em.convert((kcal, "kcal"), "walking").magnitude, rel=1e-9)


@pytest.mark.parametrize("text", ["420 calories", "420 calorie", "420 cal", "420 cal_it"])
def test_small_calories_are_refused_with_a_pointer_to_kcal(pace: em.Engine, text: str) -> None:
    with pytest.raises(em.EquivMetricsError, match="kcal"):
        pace.convert(text, "walking")
    with pytest.raises(em.EquivMetricsError, match="kcal"):
        pace.convert(text, "running", of="food_energy")


def test_small_calories_are_refused_by_the_bundled_engine_too() -> None:
    with pytest.raises(em.EquivMetricsError, match="kcal"):
        em.convert("420 calories", "walking")
    assert em.convert("420 kcal", "walking").magnitude == pytest.approx(75.0)


def test_rates_flow_through(pace: em.Engine) -> None:
    # 2,000 kcal a day / 336 kcal per hour = 5.95238 h = 357.143 min a day
    r = pace.convert("2000 kcal/day", "walking")
    assert r.unit == "minute/day"
    assert r.magnitude == pytest.approx(357.143, rel=1e-5)


# --- the speeds and METs against the published labels ------------------------------------------

#: Published PACE labels work out to about 5.3-5.7 kcal/min walking and 10.0-10.75 kcal/min
#: running (pace.md: Daley 2020's example, the RSPH 2016 table).
LABEL_KCAL_PER_MIN = {"walking": (5.3, 5.7), "running": (10.0, 10.75)}


def test_walking_burns_5_6_kcal_a_minute_inside_the_labels(pace: em.Engine) -> None:
    # 3.5-3.9 mph, 4.8 MET x 70 kg x 1 kcal/(kg h) = 336 kcal/h = 5.6 kcal/min
    r = pace.convert("1 minute", "food_energy", of="walking")
    assert r.magnitude == pytest.approx(5.6, rel=1e-12)
    low, high = LABEL_KCAL_PER_MIN["walking"]
    assert low <= r.magnitude <= high
    # range 3.8 x 60 x 1 / 60 = 3.8 to 5.5 x 90 x 1.05 / 60 = 8.6625 kcal/min, around the labels
    assert (r.low, r.high) == pytest.approx((3.8, 8.6625), rel=1e-12)
    assert r.low < low
    assert high < r.high
    assert "3.5–3.9 mph" in pace.kinds["walking"].description
    assert "5.6 kcal" in pace.kinds["walking"].description


def test_running_burns_9_92_kcal_a_minute_and_its_range_covers_the_labels(
    pace: em.Engine,
) -> None:
    # 5.0-5.2 mph, 8.5 MET x 70 = 595 kcal/h = 9.9167 kcal/min: the 420 kcal example's 42 min
    # is 420 / 42 = 10.0 kcal/min, 0.8 % more
    r = pace.convert("1 minute", "food_energy", of="running")
    assert r.magnitude == pytest.approx(9.91667, rel=1e-5)
    assert r.magnitude == pytest.approx(420 / 42, rel=0.01)
    # at 70 kg the MET range 8.3-9.3 gives 8.3 x 70 / 60 = 9.683 to 9.3 x 70 / 60 = 10.85
    # kcal/min, which covers the labels' 10.0-10.75 (a 6 mph reading; 9.3 MET is 6-6.3 mph)
    low, high = LABEL_KCAL_PER_MIN["running"]
    met = pace.catalog.parameters["met_running"].value
    assert met.low * 70 / 60 == pytest.approx(9.68333, rel=1e-5)
    assert met.high * 70 / 60 == pytest.approx(10.85, rel=1e-12)
    assert met.low * 70 / 60 < low
    assert high < met.high * 70 / 60
    six_mph = pace.with_params(met_running=9.3).convert("1 minute", "food_energy", of="running")
    assert six_mph.magnitude == pytest.approx(10.85, rel=1e-12)
    assert "5.0–5.2 mph" in pace.kinds["running"].description


def test_daleys_400_kcal_example(pace: em.Engine) -> None:
    # Daley 2020: 400 kcal = 70 min walking or 40 min running. The pack: 400 / 336 h =
    # 71.429 min walking (2 % more), 400 / 595 h = 40.336 min running (1 % more).
    walking = pace.convert("400 kcal", "walking").magnitude
    running = pace.convert("400 kcal", "running").magnitude
    assert walking == pytest.approx(71.4286, rel=1e-5)
    assert running == pytest.approx(40.3361, rel=1e-5)
    assert walking == pytest.approx(70, rel=0.025)
    assert running == pytest.approx(40, rel=0.01)


def test_the_evidence_cites_daley_2020_and_reynolds_2022(pace: em.Engine) -> None:
    pack = next(p for p in pace.catalog.packs if p.name == "pace")
    sources = {s.key: s for s in pack.sources}
    daley, reynolds = sources["pace_daley_2020"], sources["pace_reynolds_2022"]
    assert "10.1136/jech-2019-213216" in daley.title
    assert "-103 to -27" in daley.note
    assert "10.1371/journal.pmed.1004116" in reynolds.title
    assert reynolds.edition == "2022"
    assert "PLOS Medicine" in reynolds.title
    for fact in ("10 worksite cafeterias", "250,000 transactions", "-5 kcal", "-14 to 4"):
        assert fact in reynolds.note + reynolds.title, fact
    # next to each other in the pack, and both in the text a reader of the methodology sees
    keys = list(sources)
    assert keys.index("pace_reynolds_2022") == keys.index("pace_daley_2020") + 1
    for fact in ("Daley et al. 2020", "65 kcal per meal", "Reynolds", "-5 kcal", "-14 to 4"):
        assert fact in pack.description, fact
    page = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    assert "`pace_reynolds_2022`" in page
    assert "no evidence of an effect" in page


# --- body mass -----------------------------------------------------------------------------------


def test_twice_the_mass_half_the_minutes(pace: em.Engine) -> None:
    heavy = pace.with_params(body_mass="140 kg")
    for activity in ACTIVITIES:
        r = heavy.convert("420 kcal", activity)
        assert r.magnitude == pytest.approx(MINUTES_420[activity] / 2, rel=1e-5)
    # the default engine is untouched
    assert pace.convert("420 kcal", "walking").magnitude == pytest.approx(75.0)


def test_an_80_kg_person(pace: em.Engine) -> None:
    # 420 / (4.8 x 80) h = 420 / 384 h = 1.09375 h = 65.625 min
    r = pace.with_params(body_mass="80 kg").convert("420 kcal", "walking")
    assert r.magnitude == pytest.approx(65.625)
    # body mass in pounds works too: 176.37 lb = 80.0 kg (176.37 x 0.45359237 = 79.9999)
    r = pace.with_params(body_mass="176.3698 lb").convert("420 kcal", "walking")
    assert r.magnitude == pytest.approx(65.625, rel=1e-5)


def test_ranges_come_from_mass_met_and_the_kcal_convention(pace: em.Engine) -> None:
    r = pace.convert("420 kcal", "walking")
    # low:  420 / (5.5 MET x 90 kg x 1.05) h = 420 / 519.75 h = 48.4848 min
    # high: 420 / (3.8 MET x 60 kg x 1.00) h = 420 / 228 h    = 110.526 min
    assert r.low == pytest.approx(48.4848, rel=1e-5)
    assert r.high == pytest.approx(110.526, rel=1e-5)
    # A person's own mass is exact: the range then comes from the MET and convention only.
    # low: 420 / (5.5 x 140 x 1.05) h = 31.1688 min; high: 420 / (3.8 x 140) h = 47.3684 min
    own = pace.with_params(body_mass="140 kg").convert("420 kcal", "walking")
    assert own.low == pytest.approx(31.1688, rel=1e-5)
    assert own.high == pytest.approx(47.3684, rel=1e-5)


def test_explain_names_the_compendium_and_the_assumed_mass(pace: em.Engine) -> None:
    text = pace.convert("420 kcal", "walking").explain()
    assert "2024 Adult Compendium" in text
    assert "body_mass" in text
    assert "assumption" in text


@SETTINGS
@given(
    mass=st.floats(min_value=20, max_value=250, allow_nan=False, allow_infinity=False),
    activity=st.sampled_from(ACTIVITIES),
)
def test_minutes_scale_inversely_with_body_mass(
    pace: em.Engine, mass: float, activity: str
) -> None:
    one = pace.with_params(body_mass=(mass, "kg")).convert("420 kcal", activity).magnitude
    two = pace.with_params(body_mass=(2 * mass, "kg")).convert("420 kcal", activity).magnitude
    assert two == pytest.approx(one / 2, rel=1e-12)
    # minutes x mass is constant: 70 kg x the 70 kg minutes
    assert one * mass == pytest.approx(MINUTES_420[activity] * 70, rel=1e-5)


@SETTINGS
@given(
    kcal=st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False),
    activity=st.sampled_from(ACTIVITIES),
)
def test_minutes_are_linear_in_food_energy(pace: em.Engine, kcal: float, activity: str) -> None:
    r = pace.convert((kcal, "kcal"), activity)
    assert r.magnitude == pytest.approx(kcal * MINUTES_420[activity] / 420, rel=1e-5)
    assert r.low <= r.magnitude <= r.high
