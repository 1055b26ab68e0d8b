"""Feel-good and action equivalents: which are offered, in what order, and how they read."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from strategies import SETTINGS

FOREST = Path(__file__).parent / "packs" / "present" / "forest.yaml"


#: The engine of the forest pack alone is the session fixture ``forest`` (conftest.py).


# -- the product brief's examples ----------------------------------------------------------


def test_pace_label_reads_1_h_15_min_walking_and_42_minutes_running() -> None:
    walking, running = em.action("420 kcal", only=["walking", "running"])
    # 420 / (4.8 MET x 70 kg x 1 kcal/(kg h)) = 1.25 h = 1 h 15 min
    assert walking.kind == "walking"
    assert walking.role == "action"
    assert walking.value_text == "1 h 15 min"
    assert walking.text.startswith("1 h 15 min of brisk walking to burn it off")
    # 420 / (8.5 x 70) h = 42.35 min -> 2 significant figures (a wide range) -> 42
    assert running.value_text == "42"
    assert running.text.startswith("42 minutes of running to burn it off")
    assert walking.magnitude == pytest.approx(75.0, rel=1e-9)
    assert running.magnitude == pytest.approx(42.353, rel=1e-4)


def test_solar_feel_good_offers_trees_and_miles_with_sources() -> None:
    goods = em.feel_good("12400 kWh")
    by_kind = {e.kind: e for e in goods}
    assert {"tree_seedling", "vehicle_miles"} <= set(by_kind)
    trees, miles = by_kind["tree_seedling"], by_kind["vehicle_miles"]
    # 12,400 kWh x 7.0869e-4 t/kWh = 8.7878 t; / 0.060493 t per seedling = 145.3
    assert trees.magnitude == pytest.approx(145.27, rel=1e-3)
    # wide range (108-200): 2 significant figures
    assert trees.value_text == "150"
    assert "tree seedlings grown for 10 years" in trees.text
    # 8.7878 t / 3.9081e-4 t per mile = 22,486 miles
    assert miles.magnitude == pytest.approx(22486, rel=1e-3)
    assert "22,500 miles" in miles.text
    for equivalent in (trees, miles):
        assert equivalent.role == "feel_good"
        assert any("Environmental Protection Agency" in s.publisher for s in equivalent.sources)
        assert equivalent.steps[0].rule == "electricity_avoided_co2e"


def test_transactions_feel_good_is_the_value_brief() -> None:
    goods = em.feel_good("12000 transaction/month")
    assert [e.kind for e in goods] == ["manual_work", "fte", "labor_cost"]
    work, staff, cost = goods
    assert work.text.startswith("600 hours of manual work eliminated a month")
    # 600 x 12 / 1,878.50 h worked per FTE-year = 3.83 -> 2 figures (wide range) -> 3.8
    assert staff.text.startswith("3.8 full-time employees you did not need to hire")
    # 600 x $45.65 per hour worked = $27,390 -> $27,000
    assert cost.text.startswith("$27,000 of labour cost avoided a month")


# -- relatability --------------------------------------------------------------------------


def test_unpicturable_magnitudes_are_not_offered() -> None:
    kinds = [e.kind for e in em.feel_good("12400 kWh")]
    # 12,400 kWh is 1.07 million smartphone charges and 0.048 railcars of coal: not offered
    assert "smartphone_charge" not in kinds
    assert "coal_railcar" not in kinds


def test_at_most_one_per_family() -> None:
    engine = em.load()
    goods = engine.feel_good("12400 kWh")
    families = [e.family for e in goods]
    assert len(families) == len(set(families))
    kinds = {e.kind for e in goods}
    assert len(kinds & {"coal", "coal_railcar"}) <= 1
    assert len(kinds & {"gasoline", "diesel", "tanker_truck"}) <= 1
    assert len(kinds & {"tree_seedling", "forest_acre"}) == 1


def test_order_is_stable_and_follows_priority(forest: em.Engine) -> None:
    first = [e.kind for e in forest.feel_good("100 kg")]
    assert first == [e.kind for e in forest.feel_good("100 kg")]
    # planted and bushes share the family 'plants': planted has the lower priority number.
    # 100 kg = 5 trees (inside 1..100,000) = 10,000 leaves (outside 1..1,000, so offered
    # only to make up three)
    assert first == ["planted", "leaves"]


def test_top_keeps_the_first(forest: em.Engine) -> None:
    assert [e.kind for e in forest.feel_good("100 kg", top=1)] == ["planted"]


def test_only_keeps_the_given_order(forest: em.Engine) -> None:
    kinds = [e.kind for e in forest.feel_good("100 kg", only=["leaves", "bushes", "planted"])]
    assert kinds == ["leaves", "bushes", "planted"]


def test_a_total_is_not_offered_as_a_capacity() -> None:
    kinds = [e.kind for e in em.feel_good("12000 transaction")]
    assert "fte" not in kinds  # FTE needs a period: a total cannot fill it
    assert "manual_work" in kinds
    with_period = [e.kind for e in em.feel_good("12000 transaction", per="month")]
    assert "fte" in with_period


# -- wording -------------------------------------------------------------------------------


def test_never_zero_trees() -> None:
    [tiny] = em.feel_good("0.001 kWh", only=["tree_seedling"])
    assert tiny.value_text == "less than 1"
    assert tiny.text == "CO2 absorbed by less than 1 tree seedling grown for 10 years"
    [none] = em.feel_good("0 kWh", only=["tree_seedling"])
    assert none.text == "no tree seedlings grown for 10 years"


@SETTINGS
@given(kwh=st.floats(1e-6, 1e9))
def test_counts_never_read_zero_and_ranges_hold_the_value(kwh: float) -> None:
    for equivalent in em.feel_good((kwh, "kWh"), only=["tree_seedling", "coal_railcar"]):
        assert equivalent.value_text not in ("0", "0.0", "0.00")
        assert equivalent.low <= equivalent.magnitude <= equivalent.high
        assert not equivalent.text.startswith("as much CO2 as 0 ")


def test_singular_and_plural_in_english(forest: em.Engine) -> None:
    # 20 kg = 1 tree; 40 kg = 2 trees; with sig=1 the value shows as "1"
    [one] = forest.feel_good("20 kg", only=["planted"], sig=1)
    assert one.text == "about 1 tree planted"
    [two] = forest.feel_good("40 kg", only=["planted"], sig=1)
    assert two.text == "about 2 trees planted"
    [one_point_oh] = forest.feel_good("20 kg", only=["planted"], sig=2)
    assert one_point_oh.text == "about 1.0 trees planted"  # CLDR: visible decimals


@pytest.mark.parametrize(
    ("kg", "sig", "text"),
    [
        ("20 kg", 1, "około 1 posadzone drzewo"),  # 1 -> one
        ("20 kg", 2, "około 1,0 posadzonego drzewa"),  # 1,0 -> other (visible decimals)
        ("440 kg", 2, "około 22 posadzone drzewa"),  # 22 -> few
        ("500 kg", 2, "około 25 posadzonych drzew"),  # 25 -> many
        ("240 kg", 2, "około 12 posadzonych drzew"),  # 12 -> many (not few: 12-14 are many)
    ],
)
def test_polish_plural_forms(forest: em.Engine, kg: str, sig: int, text: str) -> None:
    pytest.importorskip("babel")
    [equivalent] = forest.feel_good(kg, only=["planted"], locale="pl", sig=sig)
    assert equivalent.text == text
    assert equivalent.locale == "pl"


def test_wide_ranges_are_shown_narrow_ones_not() -> None:
    [walking] = em.action("420 kcal", only=["walking"])
    assert walking.range_text == "48–110 min"  # 48.5-110.5 minutes: wide
    tenant = em.load().with_params(
        body_mass="70 kg", met_walking="4.8", kcal_per_kg_hour_per_met="1 kcal/kg/hour"
    )
    [exact] = tenant.action("420 kcal", only=["walking"])
    assert exact.range_text == ""
    assert exact.text == "1 h 15 min of brisk walking to burn it off"


def test_rates_say_their_period() -> None:
    [work] = em.feel_good("12000 transaction/day", only=["manual_work"])
    assert work.text.startswith("600 hours of manual work eliminated a day")
    [work] = em.feel_good("12000 transaction/hour", only=["manual_work"])
    assert " an hour" in work.text


def test_to_dict_shape_is_json_ready() -> None:
    [trees] = em.feel_good("12400 kWh", only=["tree_seedling"])
    data = json.loads(json.dumps(trees.to_dict()))
    assert data["schema"] == "equivmetrics.equivalent/1"
    assert set(data) == {
        "schema",
        "kind",
        "role",
        "magnitude",
        "low",
        "high",
        "unit",
        "text",
        "value_text",
        "range_text",
        "label",
        "icon",
        "family",
        "locale",
        "language",
        "region",
        "editions",
        "sources",
        "steps",
    }
    assert data["kind"] == "tree_seedling"
    # issue 13: where the figures hold and their edition (U.S. EPA page built on AVERT 2019)
    assert data["region"] == "US"
    assert data["editions"] == ["AVERT2019-eGRID2019"]
    assert data["icon"] == "seedling"
    assert data["sources"][0]["publisher"]
    assert math.isclose(data["magnitude"], trees.magnitude)


def test_the_compact_shape_for_dashboards() -> None:
    walking, running = em.action("420 kcal", only=["walking", "running"])
    data = json.loads(json.dumps(walking.to_dict(compact=True)))
    # 420 kcal / (4.8 MET x 70 kg x 1 kcal/(kg h)) = 1.25 h = 75 min; no steps, no parts
    assert data == {
        "schema": "equivmetrics.equivalent.compact/1",
        "kind": "walking",
        "role": "action",
        "magnitude": pytest.approx(75.0, rel=1e-12),
        "low": walking.low,
        "high": walking.high,
        "unit": "minute",
        "text": walking.text,
        "icon": walking.icon,
        "region": "",  # PACE holds everywhere
        "editions": list(walking.editions),
        "sources": [{"citation": s.cite(), "url": s.url} for s in walking.sources],
    }
    assert data["low"] < 75.0 < data["high"]
    assert data["sources"]
    assert all(set(s) == {"citation", "url"} for s in data["sources"])
    both = em.Equivalents((walking, running))
    assert both.to_dicts(compact=True) == [
        walking.to_dict(compact=True),
        running.to_dict(compact=True),
    ]
    assert both.to_dicts() == [walking.to_dict(), running.to_dict()]


# -- bad input -----------------------------------------------------------------------------


def test_bad_arguments_are_clear_errors(forest: em.Engine) -> None:
    with pytest.raises(em.UnknownKindError, match="unknown kind 'plantd' in only="):
        forest.feel_good("100 kg", only=["plantd"])
    with pytest.raises(em.InputError, match="top= must be a whole number"):
        forest.feel_good("100 kg", top=0)
    with pytest.raises(em.InputError, match="sig= must be a whole number from 1 to 6"):
        forest.feel_good("100 kg", sig=9)
    pytest.importorskip("babel")
    with pytest.raises(em.EquivMetricsError, match="unknown locale"):
        forest.feel_good("100 kg", locale="xx_YY")


def test_arrays_are_refused_with_a_pointer_to_metric_columns() -> None:
    np = pytest.importorskip("numpy")
    with pytest.raises(em.InputError, match=r"Metric.columns\(\)"):
        em.feel_good((np.array([1.0, 2.0]), "kWh"), only=["tree_seedling"])


def test_pack_wording_is_checked_at_load(tmp_path: Path) -> None:
    text = FOREST.read_text(encoding="utf-8").replace(
        'feel_good: "{value} {label}"\n  leaves', 'feel_good: "{value.__class__} {label}"\n  leaves'
    )
    assert "{value.__class__}" in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(em.PackError) as info:
        em.load(bad, bundled=False)
    [problem] = info.value.problems
    assert problem.field == "kinds.bushes.roles.feel_good"
    assert "unknown placeholder {value.__class__}" in problem.message
    assert (
        problem.location.line
        == text.splitlines().index('      feel_good: "{value.__class__} {label}"') + 1
    )


@pytest.mark.parametrize(
    ("template", "signs"),
    [
        ("${value} of labour cost avoided", ("$", "")),
        ("{value} € of savings", ("", " €")),
        ("{value}\u00a0€", ("", "\u00a0€")),
        ("£{value}", ("£", "")),
        ("{value} {label}", ("", "")),
        ("CHF {value}", ("", "")),  # letters are not a sign
        ("no value here", ("", "")),
    ],
)
def test_the_range_repeats_the_currency_sign_of_the_wording(
    template: str, signs: tuple[str, str]
) -> None:
    from equivmetrics._present.sentence import _money_signs

    assert _money_signs(template) == signs


def test_money_ranges_carry_the_sign() -> None:
    # 12,000 transactions x 3 min [1-10 min] = 600 h [200-2,000]; x $45.65/h loaded cost
    (money,) = em.feel_good("12000 transaction/month", only=["labor_cost"])
    assert money.text.startswith("$27,000 of labour cost avoided a month (range $")
    low, high = money.range_text.split("\u2013")
    assert low.startswith("$")
    assert high.startswith("$")


def test_a_kind_whose_figure_overflows_is_left_out_unless_asked_for() -> None:
    # 1e308 kWh is finite, but as miles driven it is beyond the largest float
    offered = em.feel_good("1e308 kWh", top=30)
    assert "vehicle_miles" not in [e.kind for e in offered]
    assert offered  # the other kinds are still offered
    with pytest.raises(em.InputError, match="the result is inf"):
        em.feel_good("1e308 kWh", only=["vehicle_miles"])
    with pytest.raises(em.InputError, match="sig= must be a whole number from 1 to 6, got '2'"):
        em.feel_good("5 kWh", sig="2")  # type: ignore[arg-type]


def test_per_on_a_rate_is_refused_not_an_empty_offer() -> None:
    # Found trying the library as a new user: every candidate refused the period, so the
    # offer came back empty. The input's own mistake is the error, as in convert.
    for offer in (em.feel_good, em.action):
        with pytest.raises(em.PeriodError, match=r"already a rate per month; drop per="):
            offer("12000 transaction/month", per="month")
    with pytest.raises(em.PeriodError, match=r"already a rate per month; drop per="):
        em.convert("12000 transaction/month", "fte", per="month")


def test_joules_need_of_for_equivalents_too() -> None:
    # Issue 13: action("1 GJ") gave 43,000 minutes of walking (read as food) and
    # feel_good("1 GJ") an empty tuple. A joule could be food, fuel or electricity.
    for offer in (em.feel_good, em.action):
        with pytest.raises(em.AmbiguousKindError) as info:
            offer("1 GJ")
        assert {"food_energy", "electricity_avoided", "natural_gas"} <= set(info.value.candidates)
        assert "of='food_energy'" in str(info.value)
    # said: 1 GJ of electricity avoided has feel-good equivalents (trees, miles...)
    assert em.feel_good("1 GJ", of="electricity_avoided")
    # and 1757.28 kJ of food is the PACE label's 1 h 15 min of walking
    (walk,) = em.action("1757.28 kJ", of="food_energy", only="walking")
    assert walk.magnitude == pytest.approx(75.0)


# -- never an empty offer (issue 13) ------------------------------------------------------------


def test_feel_good_of_food_energy_names_the_action_role() -> None:
    # food_energy leads only to activities (action kinds): feel_good("420 kcal") answered ()
    for call in (
        lambda: em.feel_good("420 kcal"),
        lambda: em.feel_good((420, "kcal"), top=1),
        lambda: em.default_engine().candidates("420 kcal", "feel_good"),
        lambda: em.Metric(source="food_energy", unit="kcal").apply(420),
    ):
        with pytest.raises(em.NoEquivalentError) as info:
            call()
        error = info.value
        assert isinstance(error, em.NoPathError)
        assert isinstance(error, LookupError)
        assert (error.source, error.role, error.roles) == ("food_energy", "feel_good", ("action",))
        assert str(error) == (
            "420 kcal of food_energy has no feel_good equivalents; it has action equivalents "
            "(walking, running, swimming, cycling): call action() instead of feel_good()"
        )
        assert error.to_dict()["code"] == "NoEquivalentError"
    # and the role it names answers
    assert [e.kind for e in em.action("420 kcal")] == ["walking", "running", "swimming", "cycling"]


PACK = """equivmetrics: 1
name: p
edition: "1"
license: MIT
sources:
  s: {title: T}
kinds:
  work: {unit: hour, input_units: [hour]}
  staff:
    unit: FTE
    roles: {feel_good: "{value} {label}"}
"""


def _pack(tmp_path: Path, kinds: str = "", rules: str = "") -> em.Engine:
    path = tmp_path / "p.yaml"
    rule = "  - {id: work_staff, from: work, to: staff, factor: 1 FTE*year/(2080 hour), source: s}"
    path.write_text(f"{PACK}{kinds}rules:\n{rule}\n{rules}", encoding="utf-8")
    return em.load(path, bundled=False)


def test_action_of_a_feel_good_only_input_names_the_feel_good_role(tmp_path: Path) -> None:
    engine = _pack(tmp_path)
    with pytest.raises(em.NoEquivalentError) as info:
        engine.action("600 hour/month")
    assert info.value.roles == ("feel_good",)
    assert str(info.value) == (
        "600 hour/month of work has no action equivalents; it has feel_good equivalents "
        "(staff): call feel_good() instead of action()"
    )
    # 600 h a month x 12 / 2,080 h per FTE-year = 3.46 FTE
    (staff,) = engine.feel_good("600 hour/month")
    assert staff.magnitude == pytest.approx(600 * 12 / 2080)


def test_every_candidate_left_out_says_why(tmp_path: Path) -> None:
    # staff is a capacity: a total of hours cannot fill it without a period
    engine = _pack(tmp_path)
    with pytest.raises(em.NoEquivalentError) as info:
        engine.feel_good("600 hour")
    message = str(info.value)
    assert message.startswith("600 hour of work has no feel_good equivalents that can be given: ")
    assert "staff is a capacity and needs a period" in message
    assert "'hour/month'" in message
    assert "per='month'" in message
    assert engine.feel_good("600 hour", per="month")  # as it says
    # a figure too large for a float: 1e300 hours x 1e10 USD/hour
    money = _pack(
        tmp_path,
        kinds="  cost: {unit: USD, roles: {action: '{value} {label}'}}\n",
        rules="  - {id: work_cost, from: work, to: cost, factor: 1e10 USD/hour, source: s}\n",
    )
    with pytest.raises(em.NoEquivalentError, match=r"cost would overflow a 64-bit float"):
        money.action((1e300, "hour"))
    assert money.action((1e3, "hour"))


def test_no_role_at_all_says_what_convert_reaches() -> None:
    # invoice_cost leads only to invoice, which is offered in no role
    for offer in (em.feel_good, em.action):
        with pytest.raises(em.NoEquivalentError) as info:
            offer("5 USD", of="invoice_cost")
        assert info.value.roles == ()
        message = str(info.value)
        assert message.startswith("5 USD of invoice_cost has no ")
        assert "no kind the loaded packs offer is reachable from it; convert() reaches invoice" in (
            message
        )


def test_only_naming_no_kind_is_an_error_not_an_empty_offer() -> None:
    nothing: list[Sequence[str]] = [[], ()]
    for only in nothing:
        with pytest.raises(em.InputValueError, match=r"^only= names no kind: name at least one"):
            em.feel_good("5 kWh", only=only)
    with pytest.raises(em.InputValueError, match=r"^only= names no kind"):
        em.default_engine().candidates("5 kWh", "action", only=[])


def test_candidates_check_their_arguments() -> None:
    engine = em.load()
    with pytest.raises(
        em.InputError, match=r"role must be one of feel_good, action, not 'feel-good'"
    ):
        engine.candidates("5 kWh", "feel-good")  # type: ignore[arg-type]
    with pytest.raises(em.UnknownKindError, match=r"unknown kind 'nope' in only="):
        engine.candidates("5 kWh", "feel_good", only=["nope"])


def test_a_range_end_past_the_largest_float_is_not_offered() -> None:
    # 1e308 kWh: some kinds' high ends pass 1.8e308 (an infinity); those are left out, and
    # what is offered has finite ends (it used to recurse without end wording an infinity).
    for offer in (em.feel_good, em.action):
        offered = offer("1e308 kWh")
        assert offered
        assert all(math.isfinite(e.low) and math.isfinite(e.high) for e in offered)
