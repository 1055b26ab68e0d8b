"""A parameter may say where its figure holds: U.S. facts in a pack for everywhere.

The productivity pack names no region, but its FTE and cost figures are U.S. ones (BLS's
employer costs, GAO's 2,080 paid hours). They carry ``region: US``, so a result that uses them
records region US in every engine, and a tenant's own figure records none.

Worked by hand (productivity 2025.2): 12,000 transactions x 3 min = 36,000 min = 600 h a month;
an FTE works 2,080 / (1 + 3.44 / 32.07) = 1,878.50 h a year, so 600 x 12 / 1,878.50 = 3.8328
FTE; 600 h x $45.65 = $27,390 a month.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import equivmetrics as em

HOURS_WORKED = 2080 / (1 + 3.44 / 32.07)
US_FACTS = (
    "paid_hours_per_fte_year",
    "paid_leave_per_hour_worked",
    "wages_per_hour_worked",
    "labor_cost_per_hour_worked",
)


@pytest.fixture(scope="module")
def gb() -> em.Engine:
    return em.load(region="GB")


def test_a_gb_labour_cost_says_it_is_a_us_figure(gb: em.Engine) -> None:
    r = gb.convert("12000 transaction/month", "labor_cost")
    assert r.magnitude == pytest.approx(600 * 45.65, rel=1e-12)
    assert r.unit == "USD/month"
    assert r.region == "US"
    assert dict(gb.editions)["productivity"] == "2025.2"
    assert r.editions == ("2025.2",)
    # the minutes per transaction are an assumption of no place; the hourly cost is BLS's
    assert [(s.rule, s.region, s.edition) for s in r.steps] == [
        ("transaction_manual_work", "", "2025.2"),
        ("manual_work_labor_cost", "US", "2025.2"),
    ]
    assert r.to_dict()["region"] == "US"
    assert "figures for region US, edition 2025.2" in r.explain()


@pytest.mark.parametrize("region", ["GB", "DE", "JP", "World", "US-CAMX"])
def test_ftes_are_us_ones_in_every_region(region: str) -> None:
    r = em.load(region=region).convert("12000 transaction/month", "fte")
    assert r.magnitude == pytest.approx(600 * 12 / HOURS_WORKED, rel=1e-12)
    assert round(r.magnitude, 4) == 3.8328
    assert r.region == "US"
    assert r.editions == ("2025.2",)


def test_figures_of_no_place_record_none(gb: em.Engine) -> None:
    # 600 h x 0.7 recapture share = 420 h: minutes and share are assumptions of no place
    for to, expected in (("manual_work", 600.0), ("recaptured_work", 420.0)):
        r = gb.convert("12000 transaction/month", to)
        assert r.magnitude == pytest.approx(expected, rel=1e-12)
        assert r.region == ""
        assert r.editions == ("2025.2",)


def test_a_tenants_own_figures_record_no_region(gb: em.Engine) -> None:
    mine = gb.with_params(hourly_labor_cost="55 USD/hour")
    r = mine.convert("12000 transaction/month", "labor_cost")
    assert r.magnitude == pytest.approx(600 * 55, rel=1e-12)  # $33,000
    assert r.region == ""
    # FTEs still count GAO's hours until the tenant gives its own: 7,200 / 1,600 = 4.5 FTE
    assert mine.convert("12000 transaction/month", "fte").region == "US"
    hours = gb.with_params(hours_per_fte_year="1600 hour/FTE/year")
    r = hours.convert("12000 transaction/month", "fte")
    assert r.magnitude == pytest.approx(4.5, rel=1e-12)
    assert r.region == ""


def test_the_earlier_edition_says_so_too() -> None:
    # 2025.1: 600 h x $48.05 (civilian) = $28,830; 7,200 / 2,080 = 3.4615 FTE
    old = em.load(region="GB", edition="2025.1")
    r = old.convert("12000 transaction/month", "labor_cost")
    assert r.magnitude == pytest.approx(600 * 48.05, rel=1e-12)
    assert (r.region, r.editions) == ("US", ("2025.1",))
    r = old.convert("12000 transaction/month", "fte")
    assert r.magnitude == pytest.approx(7200 / 2080, rel=1e-12)
    assert (r.region, r.editions) == ("US", ("2025.1",))


def test_which_productivity_parameters_are_us_facts(gb: em.Engine) -> None:
    regions = {name: p.spec.region for name, p in gb.catalog.parameters.items()}
    assert {n for n, r in regions.items() if r == "US"} == set(US_FACTS)
    for name in ("minutes_per_transaction", "recapture_share", "cost_per_error"):
        assert regions[name] == ""
    # derived figures follow their inputs rather than saying it themselves
    for name in ("hours_per_fte_year", "hourly_labor_cost", "labor_cost_per_fte_year"):
        assert regions[name] == ""


# -- the pack format ---------------------------------------------------------------------------

PACK = """\
equivmetrics: 1
name: wages
edition: "1"
license: MIT
region: GB
sources:
  survey: {{title: A wage survey}}
kinds:
  work: {{unit: hour, input_units: [hour]}}
  cost: {{unit: USD}}
parameters:
  rate:
    value: 40 USD/hour
    source: survey
{extra}
rules:
  - {{from: work, to: cost, factor: rate}}
"""


def _pack(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "wages.yaml"
    path.write_text(PACK.format(extra=extra), encoding="utf-8")
    return path


def test_a_parameter_region_overrides_the_packs_and_is_normalized(tmp_path: Path) -> None:
    engine = em.load(_pack(tmp_path, "    region: us"), bundled=False, region="GB")
    spec = engine.catalog.parameters["rate"].spec
    assert spec.region == "US"
    # 10 h x $40 = $400, a U.S. figure in a GB pack
    r = engine.convert("10 hour", "cost")
    assert r.magnitude == pytest.approx(400.0)
    assert r.region == "US"
    plain = em.load(_pack(tmp_path, ""), bundled=False, region="GB")
    assert plain.catalog.parameters["rate"].spec.region == "GB"


def test_a_bad_parameter_region_is_reported_at_its_line(tmp_path: Path) -> None:
    with pytest.raises(em.PackError) as info:
        em.load(_pack(tmp_path, "    region: Narnia"), bundled=False, region="GB")
    [problem] = info.value.problems
    assert problem.field == "parameters.rate.region"
    assert problem.location.line == 15
    assert problem.location.name == "wages.yaml"
    assert problem.message.startswith(
        "'Narnia' is not a region code: write an ISO 3166 country code such as 'GB'"
    )


def test_a_parameter_of_a_region_entry_names_no_region(tmp_path: Path) -> None:
    extra = (
        "regions:\n  GB-SCT:\n    name: Scotland\n    parameters:\n"
        "      rate: {value: 38 USD/hour, source: survey, region: US}\n"
    )
    with pytest.raises(em.PackError) as info:
        em.load(_pack(tmp_path, extra), bundled=False, region="GB")
    [problem] = info.value.problems
    assert problem.field == "regions.GB-SCT.parameters.rate.region"
    assert problem.location.line == 19
    assert problem.message == "a parameter of the entry for GB-SCT holds for GB-SCT"
    assert problem.hint.startswith("drop 'region:' here")
