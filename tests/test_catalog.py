"""The catalog: kinds with dimensions, evaluated parameters and factors, and the chosen paths."""

from __future__ import annotations

from pathlib import Path

import pytest

import equivmetrics as em

TESTS = Path(__file__).resolve().parent
GOOD = TESTS / "packs" / "good"

HEADER = 'equivmetrics: 1\nname: {name}\nedition: "1"\nlicense: MIT\nsources:\n  s: {{title: T}}\n'


def path_of(engine: em.Engine, source: str, target: str) -> list[tuple[str, bool]]:
    return [(e.rule.id, e.inverse) for e in engine.catalog.paths[(source, target)]]


def factor(engine: em.Engine, rule: str, unit: str) -> tuple[float, float, float]:
    value = engine.catalog.default_factors[rule].to(engine.catalog.units.parse(unit))
    return value.low, value.central, value.high


def pack_error(tmp_path: Path, body: str) -> em.PackError:
    path = tmp_path / "p.yaml"
    path.write_text(HEADER.format(name="p") + body, encoding="utf-8")
    with pytest.raises(em.PackError) as info:
        em.load(path, bundled=False)
    return info.value


# -- productivity -----------------------------------------------------------------------------


def test_productivity_kinds(prod: em.Engine) -> None:
    parse_unit = prod.catalog.units.parse  # the units of the engine's own scope
    kinds = prod.kinds
    assert kinds["manual_work"].unit == "hour"
    assert kinds["manual_work"].dimension == parse_unit("hour").dimensionality
    assert kinds["fte"].dimension == parse_unit("FTE").dimensionality
    assert kinds["labor_cost"].dimension == parse_unit("USD").dimensionality
    assert kinds["transaction"].label_other == "transactions processed"
    assert prod.catalog.claims[parse_unit("transaction")] == "transaction"


def test_productivity_paths(prod: em.Engine) -> None:
    assert path_of(prod, "transaction", "fte") == [
        ("transaction_manual_work", False),
        ("manual_work_fte", False),
    ]
    # two rules (via manual_work) beat three (via fte)
    assert path_of(prod, "transaction", "labor_cost") == [
        ("transaction_manual_work", False),
        ("manual_work_labor_cost", False),
    ]
    # one direct rule beats two
    assert path_of(prod, "fte", "labor_cost") == [("fte_labor_cost", False)]
    # walked backwards: rules are reversible by default
    assert path_of(prod, "labor_cost", "transaction") == [
        ("manual_work_labor_cost", True),
        ("transaction_manual_work", True),
    ]
    assert path_of(prod, "fte", "transaction") == [
        ("manual_work_fte", True),
        ("transaction_manual_work", True),
    ]


def test_productivity_factors_and_ranges(prod: em.Engine) -> None:
    # Hours worked in an FTE-year: 2,080 paid / (1 + 3.44 / 32.07) = 66,705.6 / 35.51 =
    # 1,878.50, exact (derived from published figures without ranges).
    hours = 2080 * 32.07 / 35.51
    low, mid, high = factor(prod, "manual_work_fte", "FTE*year/hour")
    assert (low, mid, high) == pytest.approx((1 / hours, 1 / hours, 1 / hours), rel=1e-12)
    # 1,878.50 x [45.65, 45.65, 48.05] = [85,753.6, 85,753.6, 90,262.0] USD/FTE/year
    low, mid, high = factor(prod, "fte_labor_cost", "USD/FTE/year")
    assert (low, mid, high) == pytest.approx((85_753.6, 85_753.6, 90_262.0), rel=1e-6)
    # 3 min/transaction, range 1-10
    low, mid, high = factor(prod, "transaction_manual_work", "minute/transaction")
    assert (low, mid, high) == pytest.approx((1, 3, 10), rel=1e-12)


def test_productivity_parameters(prod: em.Engine) -> None:
    params = prod.catalog.parameters
    worked = params["labor_cost_per_hour_worked"]
    assert worked.spec.source.key == "bls_ecec_2025q2"
    assert worked.spec.source.edition == "June 2025"
    # private industry $45.65 per hour worked; the civilian $48.05 is the high end
    value = worked.value.to(prod.catalog.units.parse("USD/hour"))
    assert (value.low, value.central, value.high) == pytest.approx((45.65, 45.65, 48.05), rel=1e-12)
    # the hourly cost is derived: $85,753.6 a year / 1,878.50 h = $45.65 an hour worked
    cost = params["hourly_labor_cost"]
    assert cost.inputs == ("labor_cost_per_fte_year", "hours_per_fte_year")
    value = cost.value.to(prod.catalog.units.parse("USD/hour"))
    assert (value.low, value.central, value.high) == pytest.approx((45.65, 45.65, 48.05), rel=1e-12)
    assert params["minutes_per_transaction"].spec.assumption is True
    assert params["hours_per_fte_year"].spec.assumption is False
    assert params["paid_hours_per_fte_year"].spec.source.key == "gao_fte"


def test_catalog_cannot_be_changed_behind_the_engines_back() -> None:
    # Engines and their tenants share one catalog: it must not be mutable through them.
    # (A fresh engine, so that a failure here cannot spoil the shared fixtures.)
    engine = em.load(GOOD / "preferred.yaml", bundled=False)
    tenant = engine.with_params()
    with pytest.raises(TypeError):
        engine.kinds["sneaky"] = engine.kinds["a"]  # type: ignore[index]
    # read-only mappings have no mutating methods at all
    with pytest.raises(AttributeError):
        engine.catalog.rules.pop("ab")  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        engine.catalog.paths.clear()  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        del engine.catalog.parameters["x"]  # type: ignore[attr-defined]
    assert "sneaky" not in tenant.kinds
    assert "ab" in engine.catalog.rules


# -- the test energy pack ---------------------------------------------------------------------


def test_energy_paths(energy: em.Engine) -> None:
    assert path_of(energy, "electricity", "gasoline") == [
        ("electricity_co2e", False),
        ("co2e_gasoline", False),
    ]
    assert path_of(energy, "heat", "electricity") == [
        ("heat_co2e", False),
        ("electricity_co2e", True),
    ]
    assert path_of(energy, "walking", "running") == [
        ("food_walking", True),
        ("food_running", False),
    ]
    assert ("co2e", "tree") in energy.catalog.paths
    assert ("tree", "co2e") not in energy.catalog.paths  # reversible: false
    assert not any("island" in pair for pair in energy.catalog.paths)


def test_energy_factors(energy: em.Engine) -> None:
    # 1 / (8887 g/gallon) = 1000 / 8887 gallon/kg = 0.1125239 gallon/kg
    low, mid, high = factor(energy, "co2e_gasoline", "gallon/kg")
    assert low == mid == high
    assert mid == pytest.approx(1000 / 8887, rel=1e-12)
    # 1 / [50, 60, 75] kg/count = [1/75, 1/60, 1/50] count/kg
    assert factor(energy, "co2e_tree", "count/kg") == pytest.approx(
        (1 / 75, 1 / 60, 1 / 50), rel=1e-12
    )


def test_kinds_sharing_a_dimension_stay_apart(energy: em.Engine) -> None:
    assert energy.kinds["electricity"].dimension == energy.kinds["heat"].dimension
    assert energy.kinds["walking"].dimension == energy.kinds["running"].dimension
    assert ("electricity", "heat") in energy.catalog.paths  # only through rules (via co2e)
    assert len(energy.catalog.paths[("electricity", "heat")]) == 2


def test_preferred_rule_settles_equally_short_paths() -> None:
    engine = em.load(GOOD / "preferred.yaml", bundled=False)
    assert path_of(engine, "a", "d") == [("ac", False), ("cd", False)]
    assert path_of(engine, "d", "a") == [("cd", True), ("ac", True)]


# -- not_via: kinds a path must not cross (tests/packs/good/not_via.yaml) --------------------


def test_not_via_keeps_paths_that_do_not_cross_the_named_kind() -> None:
    engine = em.load(GOOD / "not_via.yaml", bundled=False)
    assert path_of(engine, "saved", "house_energy") == [("saved_house_energy", False)]
    assert path_of(engine, "used", "house_energy") == [("used_house_energy", False)]
    assert path_of(engine, "lamp", "house_energy") == [
        ("lamp_saved", False),
        ("saved_house_energy", False),
    ]
    assert path_of(engine, "house_co2", "house_energy") == [
        ("house_co2_used", False),
        ("used_house_energy", False),
    ]
    # 36,000 kWh saved / 12,000 kWh per house = 3 houses, by energy
    assert engine.convert("36000 kWh", "house_energy", of="saved").magnitude == pytest.approx(3)


def test_not_via_drops_every_path_that_crosses_the_named_kind() -> None:
    engine = em.load(GOOD / "not_via.yaml", bundled=False)
    paths = engine.catalog.paths
    # from the named kind itself, and from kinds reached only through it
    assert ("emitted", "house_energy") not in paths
    assert ("petrol", "house_energy") not in paths
    # the one-way rules still lead nowhere back
    assert not any(source == "house_energy" for source, _ in paths)
    # other pairs through `emitted` are untouched
    assert path_of(engine, "petrol", "lamp") == [
        ("petrol_emitted", False),
        ("saved_emitted", True),
        ("lamp_saved", True),
    ]
    with pytest.raises(em.NoPathError, match="'house_energy' is never reached through 'emitted'"):
        engine.convert("1 kg", "house_energy", of="emitted")


def test_without_not_via_the_two_routes_tie(tmp_path: Path) -> None:
    text = (GOOD / "not_via.yaml").read_text(encoding="utf-8")
    path = tmp_path / "tie.yaml"
    path.write_text(text.replace("not_via: [emitted]", "label: house"), encoding="utf-8")
    with pytest.raises(em.PackError) as info:
        em.load(path, bundled=False)
    messages = [problem.message for problem in info.value.problems]
    assert any("equally short paths from 'emitted' to 'house_energy'" in m for m in messages)
    assert any("equally short paths from 'petrol' to 'house_energy'" in m for m in messages)


@pytest.mark.parametrize(
    ("names", "message", "hint"),
    [
        ("[b, emited]", "unknown kind 'emited'", "did you mean 'emitted'?"),
        ("a", "'a' is the kind itself", "list other kinds"),
    ],
)
def test_not_via_names_other_known_kinds(
    tmp_path: Path, names: str, message: str, hint: str
) -> None:
    error = pack_error(
        tmp_path,
        "kinds:\n  emitted: {unit: kg}\n  b: {unit: m}\n"
        f"  a:\n    unit: s\n    not_via: {names}\n",
    )
    [problem] = error.problems
    assert (problem.field, problem.location.line) == ("kinds.a.not_via", 12)
    assert problem.message == message
    assert problem.hint == hint


# -- meaning checks on small inline packs ----------------------------------------------------


def test_factor_may_carry_one_time_dimension(tmp_path: Path) -> None:
    # per year (a capacity to a rate) is fine; per year squared is not
    error = pack_error(
        tmp_path,
        "kinds:\n  a: {unit: kg}\n  b: {unit: m}\n"
        "rules:\n  - {id: ok, from: a, to: b, factor: 2 m/kg/year, source: s}\n"
        "  - {id: bad, from: b, to: a, factor: 2 kg/m/year**2, source: s}\n",
    )
    assert [(p.field, p.location.line) for p in error.problems] == [("rules.bad.factor", 12)]


def test_input_unit_claimed_twice(tmp_path: Path) -> None:
    error = pack_error(
        tmp_path,
        "kinds:\n  a: {unit: kWh, input_units: [kWh]}\n  b: {unit: kWh, input_units: [kWh]}\n",
    )
    [problem] = error.problems
    assert problem.field == "kinds.b.input_units"
    assert problem.location.line == 9
    assert "'a'" in problem.message


def test_input_unit_of_another_dimension(tmp_path: Path) -> None:
    error = pack_error(tmp_path, "kinds:\n  a: {unit: kWh, input_units: [kg]}\n")
    [problem] = error.problems
    assert problem.field == "kinds.a.input_units"
    assert "'kg'" in problem.message


# -- ambiguous units (issue 13: no unit read as the wrong thing) ------------------------------


def test_no_kind_may_claim_a_joule_the_bundled_packs_declare_ambiguous(tmp_path: Path) -> None:
    path = tmp_path / "heat.yaml"
    path.write_text(
        HEADER.format(name="heat") + "kinds:\n  heat:\n    unit: kWh\n    input_units: [MJ]\n",
        encoding="utf-8",
    )
    with pytest.raises(em.PackError) as info:
        em.load(path)  # with the bundled packs, whose PACE pack declares the joule ambiguous
    [problem] = info.value.problems
    assert problem.location.file == str(path)
    assert problem.location.line == 10  # the line of input_units
    assert problem.field == "kinds.heat.input_units"
    assert "'MJ' of pack 'heat' is declared ambiguous by pack 'pace' at " in problem.message
    assert "pace.yaml:" in problem.message
    assert "food, fuel or electricity" in problem.message
    assert "of=" in problem.hint


def test_a_pack_may_claim_a_joule_when_no_loaded_pack_declares_it(tmp_path: Path) -> None:
    # The declaration is data: packs loaded without it (no PACE pack) may claim joules.
    path = tmp_path / "heat.yaml"
    path.write_text(
        HEADER.format(name="heat") + "kinds:\n  heat: {unit: kWh, input_units: [MJ]}\n",
        encoding="utf-8",
    )
    engine = em.load(path, bundled=False)
    assert engine.source_kind("5 GJ") == "heat"  # the claim covers every prefix


def test_a_declared_ambiguous_unit_needs_of_even_for_one_kind(tmp_path: Path) -> None:
    path = tmp_path / "heat.yaml"
    path.write_text(
        HEADER.format(name="heat")
        + "ambiguous_units:\n  kJ: heat, light and motion are all energy\n"
        + "kinds:\n  heat: {unit: kWh}\n",
        encoding="utf-8",
    )
    engine = em.load(path, bundled=False)
    assert list(engine.catalog.ambiguous_units) == ["joule"]  # the declaration's root name
    for text in ("5 GJ", "5 joule", "5 MJ/month"):
        with pytest.raises(em.AmbiguousKindError) as info:
            engine.source_kind(text)
        assert info.value.candidates == ("heat",)
        assert "heat, light and motion are all energy" in str(info.value)
        assert "of='heat'" in str(info.value)
    assert engine.source_kind("5 kWh") == "heat"  # the one kind of the dimension, as before
    assert engine.convert("3.6 MJ", "heat", of="heat").magnitude == pytest.approx(1.0)


def test_a_pack_cannot_claim_what_it_declares_ambiguous(tmp_path: Path) -> None:
    error = pack_error(
        tmp_path,
        "ambiguous_units:\n  joule: any energy\nkinds:\n  heat: {unit: kWh, input_units: [kJ]}\n",
    )
    [problem] = error.problems
    assert problem.field == "kinds.heat.input_units"
    assert "'kJ' of pack 'p' is declared ambiguous by pack 'p' at " in problem.message


@pytest.mark.parametrize(
    ("declared", "says"),
    [("kWh/year", "not a single unit name"), ("jouel", "jouel"), ("kWh", "")],
)
def test_ambiguous_units_are_checked(tmp_path: Path, declared: str, says: str) -> None:
    body = f"ambiguous_units:\n  {declared}: why\n"
    if not says:  # a reason is required
        body = f"ambiguous_units:\n  {declared}:\n"
        says = "missing required field"
    error = pack_error(tmp_path, body)
    [problem] = error.problems
    assert problem.location.line == 8
    assert problem.field.startswith("ambiguous_units")
    assert says in problem.message


def test_a_pack_metric_or_reward_in_a_unit_its_kind_refuses(tmp_path: Path) -> None:
    # Issue 13: a unit a kind refuses is refused wherever it measures that kind, at load time
    body = (
        "kinds:\n"
        "  co2: {unit: t, refuse_units: {ton: the short ton is not a metric ton}}\n"
        "metrics:\n"
        "  - {name: m, from: co2, unit: ton/month}\n"
        "rewards:\n"
        "  - {name: r, kind: co2, every: 2 tons, grant: 1 count, reward: badge}\n"
    )
    error = pack_error(tmp_path, body)
    assert [(p.field, p.location.line) for p in error.problems] == [
        ("metrics.m.unit", 10),
        ("rewards.r.every", 12),
    ]
    for problem in error.problems:
        assert problem.message.startswith("co2 does not accept ")
        assert problem.message.endswith(": the short ton is not a metric ton")


def test_duplicate_rule_id(tmp_path: Path) -> None:
    error = pack_error(
        tmp_path,
        "kinds:\n  a: {unit: kg}\n  b: {unit: m}\n  c: {unit: s}\n"
        "rules:\n  - {id: r, from: a, to: b, factor: 2 m/kg, source: s}\n"
        "  - {id: r, from: b, to: c, factor: 2 s/m, source: s}\n",
    )
    [problem] = error.problems
    assert (problem.field, problem.location.line) == ("rules.r.id", 13)


def test_unknown_kind_in_a_rule_suggests(tmp_path: Path) -> None:
    error = pack_error(
        tmp_path,
        "kinds:\n  energy: {unit: kg}\n  mass: {unit: m}\n"
        "rules:\n  - {id: r, from: enregy, to: mass, factor: 2 m/kg, source: s}\n",
    )
    [problem] = error.problems
    assert "'enregy'" in problem.message
    assert "'energy'" in problem.hint


def test_parameter_with_bounds_of_another_dimension(tmp_path: Path) -> None:
    error = pack_error(
        tmp_path, "parameters:\n  p: {value: 2 kg, low: 1 m, high: 3 kg, source: s}\n"
    )
    [problem] = error.problems
    assert (problem.field, problem.location.line) == ("parameters.p", 8)
    assert "low" in problem.message


def test_zero_factor_is_refused(tmp_path: Path) -> None:
    error = pack_error(
        tmp_path,
        "kinds:\n  a: {unit: kg}\n  b: {unit: m}\n"
        "parameters:\n  p: {value: 2 m/kg, low: 0 m/kg, high: 3 m/kg, source: s}\n"
        "rules:\n  - {id: r, from: a, to: b, factor: p}\n",
    )
    [problem] = error.problems
    assert problem.field == "rules.r.factor"
    assert "positive" in problem.message


def test_claims_work_out_each_units_root_name_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whether a claim clashes with another kind's (kWh against MWh) is decided by the units'
    # root names; pint's reading of a name tries every prefix, so each unit is read once per
    # build, however many kinds claim units.
    from equivmetrics._catalog.regional import regional_catalog
    from equivmetrics._core.units import UnitScope
    from equivmetrics._packs.load import bundled_files, read_packs

    asked: list[object] = []
    real = UnitScope.root_name

    def counted(scope: UnitScope, unit: object) -> str | None:
        asked.append(unit)
        return real(scope, unit)

    packs = read_packs(bundled_files())
    monkeypatch.setattr(UnitScope, "root_name", counted)
    catalog = regional_catalog(packs)
    assert len(asked) == len(set(asked))
    assert len(set(asked)) >= len(catalog.claims)  # every claimed unit was looked at
    # epa_ghg.yaml: electricity_avoided claims kWh, Wh, MWh and GWh
    assert catalog.claim_roots["watt_hour"] == "electricity_avoided"
